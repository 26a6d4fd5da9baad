//! The PostgreSQL backend: one store for many processes on many machines. Each process keeps
//! one connection, owned by a worker task that runs the queued jobs in groups, each group
//! atomic (one commit, one WAL flush, for every write queued meanwhile). A claim takes a record
//! only when it is free, expired, or its holder's lease is named as gone: a fresh record is
//! `INSERT … ON CONFLICT DO NOTHING` under the key's advisory lock
//! (`pg_try_advisory_xact_lock`: a key another transaction is inserting is busy, not waited
//! for), an existing one an `UPDATE` of the row `SELECT … FOR UPDATE SKIP LOCKED` finds, so
//! that a claim never waits for another process's transaction. Leases are measured by the
//! server's clock, the one clock every machine shares.
//!
//! **One statement per group of writes.** The writes (claims, a holder's changes, statuses
//! seen) are applied by a PL/pgSQL function the schema holds (`anyfast_video.writes_1`, see
//! `schema`): the group's writes go to it as one JSON array, in order, in one unnamed
//! statement, and it answers a row per write. A group of writes alone is that one statement,
//! atomic by itself: one round trip, no `BEGIN` or `COMMIT`. The reads, and the renewal, are
//! statements of their own; a group that holds them is a transaction, its statements
//! pipelined. Why: every statement the client sends is parsed, analysed and planned again at
//! each execution (no named statement may be kept, see below), which cost about 0.45 ms per
//! statement, several a line, and made the batch 7 times slower than the raw loop; the
//! function's statements are planned once per server connection, inside the server.
//!
//! When the connection is lost (the server restarting, the network), the group in hand is
//! kept, the worker reconnects with backoff and runs it again (every job is safe to run
//! twice); after a lease's time without a connection (by then every lease it held may have
//! expired), jobs fail with the store unreachable until it is back. A connection that stops
//! answering without being closed (a network partition: no reset, no FIN) is as good as lost:
//! every attempt, and every reconnection, has a deadline of half a lease, after which the
//! connection is dropped, so that a store call that hangs fails instead of waiting forever.
//!
//! Nothing outlives a transaction, so that the store works behind PgBouncer in transaction
//! pooling mode (where a client's next transaction may run on another server connection):
//! every statement is unnamed, its parameters' types given with it (`query_typed`), never a
//! named statement prepared once per connection; locks are transaction-scoped
//! (`pg_advisory_xact_lock`), and no session setting is changed. The function's cached plans
//! live in the server process, not in the client's session: whichever client's call lands on
//! a server connection finds them there (or makes them), and they are the same for every
//! client.

mod schema;
#[cfg(test)]
mod tests;

use std::str::FromStr;
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, GenericClient, Row};

use super::backend::{Backend, Change, ClaimArgs, Claimed, LeaseToken, Receipt, StoreError};
use crate::record::{Holder, StatusSeen, TaskQuery, TaskRecord, TaskState};

/// The most jobs in one transaction.
const MOST_PER_GROUP: usize = 512;
/// How long a group with nothing urgent waits for more jobs.
const GATHERING: Duration = Duration::from_millis(20);

/// The server's clock, in unix milliseconds.
const NOW_MS: &str = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

/// The store's columns, as a record is read from them.
const COLUMNS: [&str; 27] = [
    "key",
    "task_id",
    "state",
    "status",
    "progress",
    "request_hash",
    "prompt",
    "output",
    "last_frame",
    "output_bytes",
    "base_url",
    "account",
    "batch",
    "line",
    "assets",
    "error",
    "created_at",
    "updated_at",
    "lease",
    "holder_host",
    "holder_pid",
    "holder_scope",
    "lease_until",
    "claims",
    "previous_lease",
    "ended_host",
    "ended_pid",
];

/// The columns a record is read from, each `{of}.column` (`of` a table, or a record in
/// parentheses), with the time left on its lease.
fn columns_of(of: &str) -> String {
    let mut columns: Vec<String> = COLUMNS
        .iter()
        .map(|column| format!("{of}.{column}"))
        .collect();
    columns.push(format!("{of}.lease_until - {NOW_MS} AS lease_left"));
    columns.join(", ")
}

/// The statements' text, written once: each is sent unnamed, with its parameters' types
/// (`query_typed`), so that no statement outlives its transaction (see the module's docs).
/// The writes (claims included) go through the schema's function instead
/// ([`schema::WRITES_FUNCTION`]): one statement per group of them.
struct Statements {
    writes: String,
    by_key: String,
    by_task_id: String,
    list_oldest: String,
    list_newest: String,
    renew: String,
    statuses: String,
}

/// A parameter of a statement, with its type.
fn typed(value: &(dyn ToSql + Sync), kind: Type) -> (&(dyn ToSql + Sync), Type) {
    (value, kind)
}

impl Statements {
    fn new() -> Statements {
        let columns = columns_of("tasks");
        let list = |order: &str| {
            format!(
                "SELECT {columns} FROM anyfast_video.tasks
                 WHERE ($1::text[] IS NULL OR state = ANY($1)) AND ($2::text IS NULL OR batch = $2)
                 ORDER BY {order} LIMIT $3"
            )
        };
        Statements {
            writes: format!(
                "SELECT w.i, w.outcome, {} FROM {}($1::jsonb) AS w",
                columns_of("(w.task)"),
                schema::WRITES_FUNCTION
            ),
            by_key: format!("SELECT {columns} FROM anyfast_video.tasks WHERE key = $1"),
            // The service's own records first (the same base URL; the same account, or none
            // recorded); another service's never: task ids are only unique per service.
            by_task_id: format!(
                "SELECT {columns} FROM anyfast_video.tasks
                 WHERE task_id = $1 AND base_url = $2
                 ORDER BY COALESCE(account IS NULL OR account = $3, FALSE) DESC, updated_at DESC, seq DESC
                 LIMIT 1"
            ),
            list_oldest: list("created_at, seq"),
            list_newest: list("updated_at DESC, seq DESC"),
            renew: format!(
                "UPDATE anyfast_video.tasks AS t SET lease_until = {NOW_MS} + $3
                 FROM unnest($1::text[], $2::text[]) AS held(key, lease)
                 WHERE t.key = held.key AND t.lease = held.lease
                 RETURNING t.lease"
            ),
            statuses:
                "SELECT status, progress, at FROM anyfast_video.statuses WHERE key = $1 ORDER BY seq"
                    .into(),
        }
    }
}

/// What a job asks.
enum Op {
    Claim(ClaimArgs),
    Write(LeaseToken, Change),
    Renew(Vec<LeaseToken>, Duration),
    Observe {
        key: String,
        status: String,
        progress: u8,
    },
    Get(String),
    FindTask {
        task_id: String,
        base_url: String,
        account: Option<String>,
    },
    List(TaskQuery),
    Statuses(String),
    Flush,
}

/// What a job answers.
enum Answer {
    Claimed(Claimed),
    Written,
    Renewed(Vec<String>),
    Record(Option<TaskRecord>),
    Records(Vec<TaskRecord>),
    Statuses(Vec<StatusSeen>),
}

struct Job {
    op: Op,
    urgent: bool,
    reply: oneshot::Sender<Result<Answer, StoreError>>,
}

/// A task store in a PostgreSQL database.
pub(crate) struct Postgres {
    jobs: mpsc::UnboundedSender<Job>,
}

impl Postgres {
    /// Connects to `url` (`postgres://user:password@host:port/database?…`), checks and
    /// migrates the schema, and starts the worker. `place` names it in messages (the URL
    /// without its password).
    pub async fn open(
        url: &str,
        place: &str,
        reconnect_for: Duration,
    ) -> Result<Postgres, StoreError> {
        let mut config = tokio_postgres::Config::from_str(url).map_err(|error| {
            StoreError::Failed(format!("{place} is not a PostgreSQL URL: {error}"))
        })?;
        // Unless the URL says otherwise: a server that does not answer is not waited for as
        // long as the system's TCP timeouts, and a connection that died unseen is noticed.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        config.keepalives_idle(Duration::from_secs(30));
        // A server (or a pooler) that accepts the connection but never answers is not waited
        // for forever either.
        let opening = async {
            let (mut client, connection) = connect(&config).await?;
            schema::prepare(&mut client, place).await?;
            Ok::<_, StoreError>((client, connection))
        };
        let (client, connection) =
            tokio::time::timeout(OPENING, opening).await.map_err(|_| {
                StoreError::Unavailable(format!(
                    "{place} did not answer within {} s",
                    OPENING.as_secs()
                ))
            })??;
        let (jobs, queue) = mpsc::unbounded_channel();
        tokio::spawn(work(
            Worker {
                config,
                client: Some(client),
                connection: Some(connection),
                statements: Statements::new(),
                reconnect_for,
                deadline: attempt_deadline(reconnect_for),
            },
            queue,
        ));
        Ok(Postgres { jobs })
    }

    fn queue(&self, op: Op, urgent: bool) -> Receipt<Answer> {
        let (reply, receipt) = Receipt::new();
        // A worker that has stopped drops the job, and with it the reply: the receipt then
        // says so.
        let _ = self.jobs.send(Job { op, urgent, reply });
        receipt
    }
}

impl Backend for Postgres {
    fn claim(&self, claim: ClaimArgs) -> Receipt<Claimed> {
        self.queue(Op::Claim(claim), true)
            .map(|answer| match answer {
                Answer::Claimed(claimed) => claimed,
                _ => unreachable!("a claim is answered with a claim"),
            })
    }

    fn write(&self, lease: &LeaseToken, change: Change) -> Receipt {
        let urgent = change.is_urgent();
        self.queue(Op::Write(lease.clone(), change), urgent)
            .map(|_| ())
    }

    fn renew(&self, leases: Vec<LeaseToken>, ttl: Duration) -> Receipt<Vec<String>> {
        self.queue(Op::Renew(leases, ttl), true)
            .map(|answer| match answer {
                Answer::Renewed(held) => held,
                _ => unreachable!("a renewal is answered with the leases held"),
            })
    }

    fn observe(&self, key: &str, status: &str, progress: u8) -> Receipt {
        let op = Op::Observe {
            key: key.into(),
            status: status.into(),
            progress,
        };
        self.queue(op, false).map(|_| ())
    }

    fn get(&self, key: &str) -> Receipt<Option<TaskRecord>> {
        self.queue(Op::Get(key.into()), true).map(one_record)
    }

    fn find_task(
        &self,
        task_id: &str,
        base_url: &str,
        account: Option<&str>,
    ) -> Receipt<Option<TaskRecord>> {
        let op = Op::FindTask {
            task_id: task_id.into(),
            base_url: base_url.into(),
            account: account.map(str::to_string),
        };
        self.queue(op, true).map(one_record)
    }

    fn list(&self, query: &TaskQuery) -> Receipt<Vec<TaskRecord>> {
        self.queue(Op::List(query.clone()), true)
            .map(|answer| match answer {
                Answer::Records(records) => records,
                _ => unreachable!("a list is answered with records"),
            })
    }

    fn statuses(&self, key: &str) -> Receipt<Vec<StatusSeen>> {
        self.queue(Op::Statuses(key.into()), true)
            .map(|answer| match answer {
                Answer::Statuses(statuses) => statuses,
                _ => unreachable!("statuses are answered with statuses"),
            })
    }

    fn flush(&self) -> Receipt {
        self.queue(Op::Flush, true).map(|_| ())
    }
}

fn one_record(answer: Answer) -> Option<TaskRecord> {
    match answer {
        Answer::Record(record) => record,
        _ => unreachable!("a lookup is answered with a record"),
    }
}

/// How long opening the store may take in all (connecting, checking and migrating).
const OPENING: Duration = Duration::from_secs(30);

/// How long one attempt at a group (or a reconnection) may take before the connection is given
/// up as lost: half a lease, so that a connection that stopped answering is noticed, and the
/// jobs behind it failed, within the lease period (a renewal gives up sooner, after a third:
/// see the lease module).
fn attempt_deadline(lease_ttl: Duration) -> Duration {
    (lease_ttl / 2).max(Duration::from_millis(100))
}

/// The worker's connection, made again when lost.
struct Worker {
    config: tokio_postgres::Config,
    client: Option<Client>,
    /// The task that drives the connection: ended when the connection is given up.
    connection: Option<tokio::task::AbortHandle>,
    statements: Statements,
    /// How long it tries to reconnect before failing the jobs in hand.
    reconnect_for: Duration,
    /// How long one attempt may take ([`attempt_deadline`]).
    deadline: Duration,
}

/// The worker: gathers a group of jobs, runs it in one transaction, answers each job.
async fn work(mut worker: Worker, mut queue: mpsc::UnboundedReceiver<Job>) {
    let mut down_since: Option<Instant> = None;
    while let Some(first) = queue.recv().await {
        let mut urgent = first.urgent;
        let mut group = vec![first];
        let gathered_until = tokio::time::Instant::now() + GATHERING;
        while group.len() < MOST_PER_GROUP {
            let next = if urgent {
                queue.try_recv().ok()
            } else {
                tokio::time::timeout_at(gathered_until, queue.recv())
                    .await
                    .ok()
                    .flatten()
            };
            let Some(job) = next else { break };
            urgent |= job.urgent;
            group.push(job);
        }
        let answers = worker.run(&group, &mut down_since).await;
        for (job, answer) in group.into_iter().zip(answers) {
            let _ = job.reply.send(answer);
        }
    }
}

impl Worker {
    /// Runs a group until it commits, reconnecting when the connection is lost (or stops
    /// answering within the deadline); fails it once the store has been unreachable for
    /// `reconnect_for`.
    async fn run(
        &mut self,
        group: &[Job],
        down_since: &mut Option<Instant>,
    ) -> Vec<Result<Answer, StoreError>> {
        let mut pause = Duration::from_millis(50);
        let mut deadlocks = 0;
        loop {
            if self.client.is_none() {
                match tokio::time::timeout(self.deadline, connect(&self.config)).await {
                    Ok(Ok((client, connection))) => {
                        self.client = Some(client);
                        self.connection = Some(connection);
                    }
                    Ok(Err(error)) => tracing::debug!(%error, "reconnecting to the task store"),
                    Err(_) => tracing::debug!(
                        deadline = ?self.deadline,
                        "reconnecting to the task store: no answer in time"
                    ),
                }
            }
            let Some(client) = self.client.as_mut() else {
                let since = *down_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= self.reconnect_for {
                    let why = StoreError::Unavailable(format!(
                        "no connection to PostgreSQL for {} s",
                        since.elapsed().as_secs()
                    ));
                    return group.iter().map(|_| Err(why.clone())).collect();
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
                continue;
            };
            let attempt = tokio::time::timeout(
                self.deadline,
                run_in_transaction(client, &self.statements, group),
            )
            .await;
            match attempt {
                Ok(Ok(answers)) => {
                    *down_since = None;
                    return answers;
                }
                Err(_) => {
                    // No answer, and no error either: a network that stopped moving bytes. The
                    // connection is given up (the server rolls back whatever was not committed
                    // once it sees it close); every job is safe to run again on a new one.
                    tracing::warn!(deadline = ?self.deadline, "the task store did not answer in time; reconnecting");
                    down_since.get_or_insert_with(Instant::now);
                    self.drop_connection();
                }
                Ok(Err(error)) if is_connection_lost(&error) || client.is_closed() => {
                    tracing::warn!(%error, "the connection to the task store was lost; reconnecting");
                    down_since.get_or_insert_with(Instant::now);
                    self.drop_connection();
                }
                Ok(Err(error)) if is_conflict(&error) && deadlocks < 20 => {
                    deadlocks += 1;
                    tracing::debug!(%error, "a task store transaction conflicted; running it again");
                }
                Ok(Err(error)) => {
                    // One job's statement failed (and with it the group's transaction): each job
                    // again on its own, so that the others are not failed with it.
                    tracing::warn!(%error, "a task store transaction failed; running its jobs one by one");
                    let mut answers = Vec::with_capacity(group.len());
                    let mut timed_out = false;
                    for job in group {
                        let alone = tokio::time::timeout(
                            self.deadline,
                            run_in_transaction(client, &self.statements, std::slice::from_ref(job)),
                        )
                        .await;
                        answers.push(match alone {
                            Ok(alone) => alone.map_err(failed).and_then(|mut one| one.remove(0)),
                            Err(_) => {
                                timed_out = true;
                                Err(StoreError::Unavailable(format!(
                                    "no answer from PostgreSQL within {} ms",
                                    self.deadline.as_millis()
                                )))
                            }
                        });
                    }
                    if timed_out {
                        self.drop_connection();
                    }
                    return answers;
                }
            }
        }
    }

    /// Gives the connection up: the client dropped, the task that drives it ended (a socket
    /// that stopped moving bytes would keep it waiting).
    fn drop_connection(&mut self) {
        self.client = None;
        if let Some(connection) = self.connection.take() {
            connection.abort();
        }
    }
}

/// Runs a group: its writes (claims included) one statement per run of them, through the
/// schema's function; every other job a statement of its own; all of them pipelined, in the
/// order they were queued. A group that is one statement (the usual case: a run of writes)
/// is sent alone, atomic by itself: one round trip, no `BEGIN` and `COMMIT` around it.
/// Otherwise the group is one transaction.
async fn run_in_transaction(
    client: &mut Client,
    statements: &Statements,
    group: &[Job],
) -> Result<Vec<Result<Answer, StoreError>>, tokio_postgres::Error> {
    let parts = parts(group);
    if let [part] = parts.as_slice() {
        return run_part(&*client, statements, group, part).await;
    }
    let transaction = client.transaction().await?;
    let runs = parts
        .iter()
        .map(|part| run_part(&transaction, statements, group, part));
    let mut answers = Vec::with_capacity(group.len());
    for part in join_all(runs).await {
        answers.extend(part?);
    }
    transaction.commit().await?;
    Ok(answers)
}

/// The jobs of a group, in order, as they are sent: each run of writes together, each other
/// job alone (as ranges of the group).
fn parts(group: &[Job]) -> Vec<std::ops::Range<usize>> {
    let mut parts: Vec<std::ops::Range<usize>> = Vec::new();
    for (at, job) in group.iter().enumerate() {
        match parts.last_mut() {
            Some(last) if is_write(&job.op) && is_write(&group[last.start].op) => last.end = at + 1,
            _ => parts.push(at..at + 1),
        }
    }
    parts
}

/// Whether a job is a write the schema's function applies.
fn is_write(op: &Op) -> bool {
    matches!(op, Op::Claim(_) | Op::Write(..) | Op::Observe { .. })
}

/// Runs one part of a group ([`parts`]): its jobs' answers, in order.
async fn run_part(
    db: &(impl GenericClient + Sync),
    statements: &Statements,
    group: &[Job],
    part: &std::ops::Range<usize>,
) -> Result<Vec<Result<Answer, StoreError>>, tokio_postgres::Error> {
    let jobs = &group[part.clone()];
    if is_write(&jobs[0].op) {
        run_writes(db, statements, jobs).await
    } else {
        Ok(vec![run_op(db, statements, &jobs[0].op).await?])
    }
}

/// Applies writes (all [`is_write`]) in one call of the schema's function: the writes as a
/// JSON array, one row back for each.
async fn run_writes(
    db: &(impl GenericClient + Sync),
    statements: &Statements,
    jobs: &[Job],
) -> Result<Vec<Result<Answer, StoreError>>, tokio_postgres::Error> {
    let writes: Vec<serde_json::Value> = jobs
        .iter()
        .enumerate()
        .map(|(at, job)| write_as_json(at, &job.op))
        .collect();
    let writes = serde_json::Value::from(writes).to_string();
    let rows = db
        .query_typed(&statements.writes, &[typed(&writes, Type::TEXT)])
        .await?;
    let mut answers: Vec<Option<Result<Answer, StoreError>>> = jobs.iter().map(|_| None).collect();
    for row in &rows {
        let at = row.get::<_, i32>("i") as usize;
        let outcome: &str = row.get("outcome");
        let claim = |at: usize| match &jobs[at].op {
            Op::Claim(claim) => claim,
            _ => unreachable!("only a claim is answered with a record"),
        };
        let answer = match outcome {
            "held" => Ok(Answer::Claimed(Claimed::Held(record(row)))),
            "busy" if row.get::<_, Option<String>>("key").is_some() => {
                Ok(Answer::Claimed(Claimed::Busy(Some(record(row)))))
            }
            "busy" => {
                debug_assert!(claim(at).new.is_some());
                Ok(Answer::Claimed(Claimed::Busy(None)))
            }
            "missing" => Ok(Answer::Claimed(Claimed::Missing)),
            "written" => Ok(Answer::Written),
            "lost" => Err(StoreError::LeaseLost),
            "not_held" => Err(StoreError::NotHeld),
            other => Err(StoreError::Failed(format!(
                "the task store's function answered {other:?}"
            ))),
        };
        if let Some(slot) = answers.get_mut(at) {
            *slot = Some(answer);
        }
    }
    Ok(answers
        .into_iter()
        .map(|answer| {
            answer.unwrap_or_else(|| {
                Err(StoreError::Failed(
                    "the task store's function did not answer a write".into(),
                ))
            })
        })
        .collect())
}

/// A write as the schema's function reads it (`at`: its place in the call).
fn write_as_json(at: usize, op: &Op) -> serde_json::Value {
    use serde_json::json;
    let path = |path: &Option<std::path::PathBuf>| {
        path.as_deref()
            .map(|path| path.to_string_lossy().into_owned())
    };
    match op {
        Op::Claim(claim) => {
            let lease = &claim.lease;
            let new = claim.new.as_ref();
            json!({
                "i": at,
                "op": "claim",
                "key": lease.key,
                "lease": lease.id,
                "host": lease.host,
                "pid": lease.pid,
                "scope": lease.scope,
                "ttl": claim.ttl.as_millis() as u64,
                "take_from": claim.take_from,
                "new": new.is_some(),
                "request_hash": new.map(|new| &new.request_hash),
                "prompt": new.and_then(|new| new.prompt.as_ref()),
                "output": new.and_then(|new| path(&new.output)),
                "last_frame": new.and_then(|new| path(&new.last_frame)),
                "base_url": new.map(|new| &new.base_url),
                "account": new.and_then(|new| new.account.as_ref()),
                "batch": new.and_then(|new| new.batch.as_ref()),
                "line": new.and_then(|new| new.line),
            })
        }
        Op::Write(lease, change) => {
            let (key, id) = (&lease.key, &lease.id);
            match change {
                Change::Created {
                    task_id,
                    assets,
                    state,
                } => {
                    let assets = (!assets.is_empty())
                        .then(|| serde_json::Value::from(assets.clone()).to_string());
                    json!({"i": at, "op": "created", "key": key, "lease": id,
                           "task_id": task_id, "assets": assets, "state": state.as_str()})
                }
                Change::State {
                    state,
                    error,
                    task_id,
                } => json!({"i": at, "op": "state", "key": key, "lease": id,
                            "state": state.as_str(), "error": error, "task_id": task_id}),
                Change::Status { status, progress } => {
                    json!({"i": at, "op": "status", "key": key, "lease": id,
                           "status": status, "progress": progress})
                }
                Change::Finish {
                    state,
                    error,
                    output_bytes,
                } => json!({"i": at, "op": "finish", "key": key, "lease": id,
                            "state": state.as_str(), "error": error, "bytes": output_bytes}),
                Change::Release => json!({"i": at, "op": "release", "key": key, "lease": id}),
            }
        }
        // A status seen from outside: on the record whoever holds it.
        Op::Observe {
            key,
            status,
            progress,
        } => json!({"i": at, "op": "status", "key": key, "lease": null,
                    "status": status, "progress": progress}),
        _ => unreachable!("only writes go through the function"),
    }
}

/// Runs one job that is not a write ([`is_write`]); an `Err` is a database error that aborts
/// the transaction.
async fn run_op(
    db: &(impl GenericClient + Sync),
    statements: &Statements,
    op: &Op,
) -> Result<Result<Answer, StoreError>, tokio_postgres::Error> {
    Ok(match op {
        Op::Claim(_) | Op::Write(..) | Op::Observe { .. } => {
            unreachable!("writes go through the function")
        }
        Op::Renew(leases, ttl) => {
            let keys: Vec<&str> = leases.iter().map(|lease| lease.key.as_str()).collect();
            let ids: Vec<&str> = leases.iter().map(|lease| lease.id.as_str()).collect();
            let ttl = ttl.as_millis() as i64;
            let rows = db
                .query_typed(
                    &statements.renew,
                    &[
                        typed(&keys, Type::TEXT_ARRAY),
                        typed(&ids, Type::TEXT_ARRAY),
                        typed(&ttl, Type::INT8),
                    ],
                )
                .await?;
            Ok(Answer::Renewed(rows.iter().map(|row| row.get(0)).collect()))
        }
        Op::Get(key) => Ok(Answer::Record(
            db.query_typed_opt(&statements.by_key, &[typed(key, Type::TEXT)])
                .await?
                .map(|row| record(&row)),
        )),
        Op::FindTask {
            task_id,
            base_url,
            account,
        } => Ok(Answer::Record(
            db.query_typed_opt(
                &statements.by_task_id,
                &[
                    typed(task_id, Type::TEXT),
                    typed(base_url, Type::TEXT),
                    typed(account, Type::TEXT),
                ],
            )
            .await?
            .map(|row| record(&row)),
        )),
        Op::List(query) => {
            let states: Option<Vec<&str>> = query
                .states
                .as_ref()
                .map(|states| states.iter().map(|state| state.as_str()).collect());
            let limit = query.limit.map(|limit| limit as i64);
            let statement = if query.newest_first {
                &statements.list_newest
            } else {
                &statements.list_oldest
            };
            let rows = db
                .query_typed(
                    statement,
                    &[
                        typed(&states, Type::TEXT_ARRAY),
                        typed(&query.batch, Type::TEXT),
                        typed(&limit, Type::INT8),
                    ],
                )
                .await?;
            Ok(Answer::Records(rows.iter().map(record).collect()))
        }
        Op::Statuses(key) => {
            let rows = db
                .query_typed(&statements.statuses, &[typed(key, Type::TEXT)])
                .await?;
            Ok(Answer::Statuses(
                rows.iter()
                    .map(|row| StatusSeen {
                        status: row.get(0),
                        progress: row.get::<_, Option<i16>>(1).unwrap_or(0) as u8,
                        at: row.get(2),
                    })
                    .collect(),
            ))
        }
        Op::Flush => Ok(Answer::Written),
    })
}

/// A connection, with TLS when the server offers it (rustls, the platform's certificates;
/// `sslmode=disable` in the URL turns it off, `sslmode=require` makes it required), and the
/// handle of the task that drives it.
async fn connect(
    config: &tokio_postgres::Config,
) -> Result<(Client, tokio::task::AbortHandle), StoreError> {
    use rustls_platform_verifier::ConfigVerifierExt;
    let tls = rustls::ClientConfig::with_platform_verifier()
        .map_err(|error| StoreError::Failed(format!("TLS for PostgreSQL: {error}")))?;
    let connector = tokio_postgres_rustls::MakeRustlsConnect::new(tls);
    let (client, connection) = config.connect(connector).await.map_err(failed)?;
    let driving = tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!(%error, "the task store's connection ended");
        }
    });
    Ok((client, driving.abort_handle()))
}

/// A PostgreSQL error as the store reports it: no connection is the store being unavailable.
pub(super) fn failed(error: tokio_postgres::Error) -> StoreError {
    let text = match error.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => {
            let source = std::error::Error::source(&error)
                .map(|source| format!(": {source}"))
                .unwrap_or_default();
            format!("{error}{source}")
        }
    };
    if is_connection_lost(&error) {
        StoreError::Unavailable(text)
    } else {
        StoreError::Failed(text)
    }
}

/// A connection that failed or ended, or a server shutting down or starting up.
fn is_connection_lost(error: &tokio_postgres::Error) -> bool {
    match error.code() {
        Some(code) => {
            let code = code.code();
            code.starts_with("08") || code.starts_with("57P")
        }
        None => error.is_closed() || error.as_db_error().is_none(),
    }
}

/// A deadlock or a serialization failure: the transaction may simply run again.
fn is_conflict(error: &tokio_postgres::Error) -> bool {
    error
        .code()
        .is_some_and(|code| matches!(code.code(), "40P01" | "40001"))
}

/// A record from a row of the store's columns.
fn record(row: &Row) -> TaskRecord {
    let path = |name: &str| {
        row.get::<_, Option<String>>(name)
            .map(std::path::PathBuf::from)
    };
    let lease: Option<String> = row.get("lease");
    let holder = row
        .get::<_, Option<String>>("holder_host")
        .map(|host| Holder {
            host,
            pid: row.get::<_, Option<i64>>("holder_pid").unwrap_or_default() as u32,
            holding: lease.is_some(),
            lease_left_ms: row.get("lease_left"),
            scope: row.get("holder_scope"),
            lease: lease.clone(),
        });
    TaskRecord {
        key: row.get("key"),
        task_id: row.get("task_id"),
        state: TaskState::parse(row.get("state")),
        status: row.get("status"),
        progress: row
            .get::<_, Option<i16>>("progress")
            .map(|progress| progress as u8),
        request_hash: row.get("request_hash"),
        prompt: row.get("prompt"),
        output: path("output"),
        last_frame: path("last_frame"),
        output_bytes: row
            .get::<_, Option<i64>>("output_bytes")
            .map(|bytes| bytes as u64),
        base_url: row.get("base_url"),
        account: row.get("account"),
        batch: row.get("batch"),
        line: row.get::<_, Option<i64>>("line").map(|line| line as u64),
        assets: row
            .get::<_, Option<String>>("assets")
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default(),
        error: row.get("error"),
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
        holder,
        claims: row.get::<_, i32>("claims") as u32,
        previous_lease: row.get("previous_lease"),
        ended_by: row
            .get::<_, Option<String>>("ended_host")
            .map(|host| Holder {
                host,
                pid: row.get::<_, Option<i64>>("ended_pid").unwrap_or_default() as u32,
                holding: false,
                lease_left_ms: None,
                lease: None,
                scope: None,
            }),
    }
}
