//! The PostgreSQL backend: one store for many processes on many machines. Each process keeps
//! one connection, owned by a worker task that runs the queued jobs in groups, each group in
//! one transaction (one commit, one WAL flush, for every write queued meanwhile), its
//! statements pipelined. A claim takes a record only when it is free, expired, or its
//! holder's lease is named as gone: a fresh record is `INSERT … ON CONFLICT DO NOTHING` under
//! the key's advisory lock (`pg_try_advisory_xact_lock`: a key another transaction is
//! inserting is busy, not waited for), an existing one an `UPDATE` of the row
//! `SELECT … FOR UPDATE SKIP LOCKED` finds, so that a claim never waits for another
//! process's transaction. Leases are measured by the server's clock, the
//! one clock every machine shares.
//!
//! When the connection is lost (the server restarting, the network), the group in hand is
//! kept, the worker reconnects with backoff and runs it again (every job is safe to run
//! twice); after a lease's time without a connection (by then every lease it held may have
//! expired), jobs fail with the store unreachable until it is back.

mod schema;

use std::str::FromStr;
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::{Client, Row, Statement, Transaction};

use super::backend::{Backend, Change, ClaimArgs, Claimed, LeaseToken, Receipt, StoreError};
use crate::record::{Holder, StatusSeen, TaskQuery, TaskRecord, TaskState};

/// The most jobs in one transaction.
const MOST_PER_GROUP: usize = 512;
/// How long a group with nothing urgent waits for more jobs.
const GATHERING: Duration = Duration::from_millis(20);

/// The server's clock, in unix milliseconds.
const NOW_MS: &str = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

fn columns() -> String {
    format!(
        "key, task_id, state, status, progress, request_hash, prompt, output, last_frame,
         output_bytes, base_url, account, batch, line, assets, error, created_at, updated_at,
         lease, holder_host, holder_pid, holder_scope, lease_until, claims, previous_lease,
         ended_host, ended_pid, lease_until - {NOW_MS} AS lease_left"
    )
}

/// The statements, prepared once per connection.
struct Statements {
    claim_new: Statement,
    claim_existing: Statement,
    by_key: Statement,
    by_task_id: Statement,
    list_oldest: Statement,
    list_newest: Statement,
    set_created: Statement,
    set_state: Statement,
    set_status: Statement,
    add_status: Statement,
    finish: Statement,
    release: Statement,
    renew: Statement,
    statuses: Statement,
}

impl Statements {
    async fn prepare(client: &Client) -> Result<Statements, tokio_postgres::Error> {
        let columns = columns();
        let seconds = format!("({NOW_MS} / 1000)");
        let list = |order: &str| {
            format!(
                "SELECT {columns} FROM anyfast_video.tasks
                 WHERE ($1::text[] IS NULL OR state = ANY($1)) AND ($2::text IS NULL OR batch = $2)
                 ORDER BY {order} LIMIT $3"
            )
        };
        Ok(Statements {
            claim_new: client
                .prepare(&format!(
                    "INSERT INTO anyfast_video.tasks (key, state, request_hash, prompt, output,
                         last_frame, base_url, account, batch, line, created_at, updated_at,
                         lease, holder_host, holder_pid, holder_scope, lease_until, claims)
                     SELECT $1, 'sending', $2, $3, $4, $5, $6, $7, $8, $9, {seconds}, {seconds},
                         $10, $11, $12, $13, {NOW_MS} + $14, 1
                     WHERE pg_try_advisory_xact_lock(hashtextextended($1, 0))
                     ON CONFLICT (key) DO NOTHING
                     RETURNING {columns}"
                ))
                .await?,
            claim_existing: client
                .prepare(&format!(
                    "UPDATE anyfast_video.tasks SET
                         previous_lease = CASE WHEN lease IS NOT DISTINCT FROM $2 THEN previous_lease ELSE lease END,
                         claims = claims + CASE WHEN lease IS NOT DISTINCT FROM $2 THEN 0 ELSE 1 END,
                         lease = $2, holder_host = $3, holder_pid = $4, holder_scope = $5,
                         lease_until = {NOW_MS} + $6
                     WHERE key IN (
                         SELECT key FROM anyfast_video.tasks
                         WHERE key = $1 AND (lease IS NULL OR lease_until <= {NOW_MS}
                                             OR lease = $7 OR lease = $2)
                         FOR UPDATE SKIP LOCKED)
                     RETURNING {columns}"
                ))
                .await?,
            by_key: client
                .prepare(&format!(
                    "SELECT {columns} FROM anyfast_video.tasks WHERE key = $1"
                ))
                .await?,
            by_task_id: client
                .prepare(&format!(
                    "SELECT {columns} FROM anyfast_video.tasks WHERE task_id = $1
                     ORDER BY updated_at DESC, seq DESC LIMIT 1"
                ))
                .await?,
            list_oldest: client.prepare(&list("created_at, seq")).await?,
            list_newest: client.prepare(&list("updated_at DESC, seq DESC")).await?,
            set_created: client
                .prepare(&format!(
                    "UPDATE anyfast_video.tasks SET task_id = $3, state = $5, assets = $4,
                         error = NULL, updated_at = {seconds}
                     WHERE key = $1 AND (lease = $2 OR (task_id IS NULL AND state IN ('sending', 'unknown')))"
                ))
                .await?,
            set_state: client
                .prepare(&format!(
                    "UPDATE anyfast_video.tasks SET state = $3, error = $4,
                         task_id = COALESCE(task_id, $5), updated_at = {seconds}
                     WHERE key = $1 AND lease = $2"
                ))
                .await?,
            set_status: client
                .prepare(&format!(
                    "UPDATE anyfast_video.tasks SET status = $3, progress = $4, updated_at = {seconds}
                     WHERE key = $1 AND ($2::text IS NULL OR lease = $2)
                       AND (status IS DISTINCT FROM $3 OR progress IS DISTINCT FROM $4)"
                ))
                .await?,
            add_status: client
                .prepare(&format!(
                    "INSERT INTO anyfast_video.statuses (key, at, status, progress)
                     VALUES ($1, {seconds}, $2, $3)"
                ))
                .await?,
            finish: client
                .prepare(&format!(
                    "UPDATE anyfast_video.tasks SET state = $3, error = $4, output_bytes = $5,
                         updated_at = {seconds}, lease = NULL, lease_until = NULL, previous_lease = NULL,
                         ended_host = holder_host, ended_pid = holder_pid
                     WHERE key = $1 AND lease = $2"
                ))
                .await?,
            release: client
                .prepare(
                    "UPDATE anyfast_video.tasks SET lease = NULL, lease_until = NULL
                     WHERE key = $1 AND lease = $2",
                )
                .await?,
            renew: client
                .prepare(&format!(
                    "UPDATE anyfast_video.tasks AS t SET lease_until = {NOW_MS} + $3
                     FROM unnest($1::text[], $2::text[]) AS held(key, lease)
                     WHERE t.key = held.key AND t.lease = held.lease
                     RETURNING t.lease"
                ))
                .await?,
            statuses: client
                .prepare(
                    "SELECT status, progress, at FROM anyfast_video.statuses WHERE key = $1 ORDER BY seq",
                )
                .await?,
        })
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
    FindTask(String),
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
        let mut client = connect(&config).await?;
        schema::prepare(&mut client, place).await?;
        let statements = Statements::prepare(&client).await.map_err(failed)?;
        let (jobs, queue) = mpsc::unbounded_channel();
        tokio::spawn(work(
            Worker {
                config,
                client: Some((client, statements)),
                reconnect_for,
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

    fn find_task(&self, task_id: &str) -> Receipt<Option<TaskRecord>> {
        self.queue(Op::FindTask(task_id.into()), true)
            .map(one_record)
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

/// The worker's connection, made again when lost.
struct Worker {
    config: tokio_postgres::Config,
    client: Option<(Client, Statements)>,
    /// How long it tries to reconnect before failing the jobs in hand.
    reconnect_for: Duration,
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
    /// Runs a group until it commits, reconnecting when the connection is lost; fails it
    /// once the store has been unreachable for `reconnect_for`.
    async fn run(
        &mut self,
        group: &[Job],
        down_since: &mut Option<Instant>,
    ) -> Vec<Result<Answer, StoreError>> {
        let mut pause = Duration::from_millis(50);
        let mut deadlocks = 0;
        loop {
            if self.client.is_none() {
                match connect(&self.config).await {
                    Ok(client) => match Statements::prepare(&client).await {
                        Ok(statements) => self.client = Some((client, statements)),
                        Err(error) => {
                            tracing::debug!(%error, "preparing the task store's statements")
                        }
                    },
                    Err(error) => tracing::debug!(%error, "reconnecting to the task store"),
                }
            }
            let Some((client, statements)) = self.client.as_mut() else {
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
            match run_in_transaction(client, statements, group).await {
                Ok(answers) => {
                    *down_since = None;
                    return answers;
                }
                Err(error) if is_connection_lost(&error) || client.is_closed() => {
                    tracing::warn!(%error, "the connection to the task store was lost; reconnecting");
                    down_since.get_or_insert_with(Instant::now);
                    self.client = None;
                }
                Err(error) if is_conflict(&error) && deadlocks < 20 => {
                    deadlocks += 1;
                    tracing::debug!(%error, "a task store transaction conflicted; running it again");
                }
                Err(error) => {
                    // One job's statement failed (and with it the group's transaction): each job
                    // again on its own, so that the others are not failed with it.
                    tracing::warn!(%error, "a task store transaction failed; running its jobs one by one");
                    let mut answers = Vec::with_capacity(group.len());
                    for job in group {
                        let alone =
                            run_in_transaction(client, statements, std::slice::from_ref(job)).await;
                        answers.push(alone.map_err(failed).and_then(|mut one| one.remove(0)));
                    }
                    return answers;
                }
            }
        }
    }
}

async fn run_in_transaction(
    client: &mut Client,
    statements: &Statements,
    group: &[Job],
) -> Result<Vec<Result<Answer, StoreError>>, tokio_postgres::Error> {
    let transaction = client.transaction().await?;
    let runs = group
        .iter()
        .map(|job| run_op(&transaction, statements, &job.op));
    let mut answers = Vec::with_capacity(group.len());
    for answer in join_all(runs).await {
        answers.push(answer?);
    }
    transaction.commit().await?;
    Ok(answers)
}

/// Runs one job's statements; an `Err` is a database error that aborts the transaction, an
/// `Ok(Err(..))` the job's own outcome (a lease lost).
async fn run_op(
    transaction: &Transaction<'_>,
    statements: &Statements,
    op: &Op,
) -> Result<Result<Answer, StoreError>, tokio_postgres::Error> {
    let fenced = |changed: u64| {
        if changed == 0 {
            Err(StoreError::LeaseLost)
        } else {
            Ok(Answer::Written)
        }
    };
    Ok(match op {
        Op::Claim(claim) => Ok(Answer::Claimed(
            run_claim(transaction, statements, claim).await?,
        )),
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
                    fenced(
                        transaction
                            .execute(
                                &statements.set_created,
                                &[key, id, task_id, &assets, &state.as_str()],
                            )
                            .await?,
                    )
                }
                Change::State {
                    state,
                    error,
                    task_id,
                } => fenced(
                    transaction
                        .execute(
                            &statements.set_state,
                            &[key, id, &state.as_str(), error, task_id],
                        )
                        .await?,
                ),
                Change::Status { status, progress } => {
                    status_seen(transaction, statements, key, Some(id), status, *progress).await?;
                    Ok(Answer::Written)
                }
                Change::Finish {
                    state,
                    error,
                    output_bytes,
                } => {
                    let bytes = output_bytes.map(|bytes| bytes as i64);
                    fenced(
                        transaction
                            .execute(
                                &statements.finish,
                                &[key, id, &state.as_str(), error, &bytes],
                            )
                            .await?,
                    )
                }
                Change::Release => {
                    transaction.execute(&statements.release, &[key, id]).await?;
                    Ok(Answer::Written)
                }
            }
        }
        Op::Renew(leases, ttl) => {
            let keys: Vec<&str> = leases.iter().map(|lease| lease.key.as_str()).collect();
            let ids: Vec<&str> = leases.iter().map(|lease| lease.id.as_str()).collect();
            let ttl = ttl.as_millis() as i64;
            let rows = transaction
                .query(&statements.renew, &[&keys, &ids, &ttl])
                .await?;
            Ok(Answer::Renewed(rows.iter().map(|row| row.get(0)).collect()))
        }
        Op::Observe {
            key,
            status,
            progress,
        } => {
            status_seen(transaction, statements, key, None, status, *progress).await?;
            Ok(Answer::Written)
        }
        Op::Get(key) => Ok(Answer::Record(
            transaction
                .query_opt(&statements.by_key, &[key])
                .await?
                .map(|row| record(&row)),
        )),
        Op::FindTask(task_id) => Ok(Answer::Record(
            transaction
                .query_opt(&statements.by_task_id, &[task_id])
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
            let rows = transaction
                .query(statement, &[&states, &query.batch, &limit])
                .await?;
            Ok(Answer::Records(rows.iter().map(record).collect()))
        }
        Op::Statuses(key) => {
            let rows = transaction.query(&statements.statuses, &[key]).await?;
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

/// A claim: a fresh record inserted; else the existing one taken when it is free; else what
/// holds it. Each step is a statement of its own, so that each sees what the one before waited
/// for (a concurrent insert of the same key, committed).
async fn run_claim(
    transaction: &Transaction<'_>,
    statements: &Statements,
    claim: &ClaimArgs,
) -> Result<Claimed, tokio_postgres::Error> {
    let lease = &claim.lease;
    let pid = i64::from(lease.pid);
    let ttl = claim.ttl.as_millis() as i64;
    if let Some(new) = &claim.new {
        let output = new
            .output
            .as_deref()
            .map(|path| path.to_string_lossy().into_owned());
        let last_frame = new
            .last_frame
            .as_deref()
            .map(|path| path.to_string_lossy().into_owned());
        let line = new.line.map(|line| line as i64);
        let inserted = transaction
            .query_opt(
                &statements.claim_new,
                &[
                    &lease.key,
                    &new.request_hash,
                    &new.prompt,
                    &output,
                    &last_frame,
                    &new.base_url,
                    &new.account,
                    &new.batch,
                    &line,
                    &lease.id,
                    &lease.host,
                    &pid,
                    &lease.scope,
                    &ttl,
                ],
            )
            .await?;
        if let Some(row) = inserted {
            return Ok(Claimed::Held(record(&row)));
        }
    }
    let taken = transaction
        .query_opt(
            &statements.claim_existing,
            &[
                &lease.key,
                &lease.id,
                &lease.host,
                &pid,
                &lease.scope,
                &ttl,
                &claim.take_from,
            ],
        )
        .await?;
    if let Some(row) = taken {
        return Ok(Claimed::Held(record(&row)));
    }
    Ok(
        match transaction
            .query_opt(&statements.by_key, &[&lease.key])
            .await?
        {
            Some(row) => Claimed::Busy(Some(record(&row))),
            // Another transaction holds the key's lock: it is inserting the record now.
            None if claim.new.is_some() => Claimed::Busy(None),
            None => Claimed::Missing,
        },
    )
}

async fn status_seen(
    transaction: &Transaction<'_>,
    statements: &Statements,
    key: &str,
    lease: Option<&str>,
    status: &str,
    progress: u8,
) -> Result<(), tokio_postgres::Error> {
    let progress = i16::from(progress);
    let changed = transaction
        .execute(&statements.set_status, &[&key, &lease, &status, &progress])
        .await?;
    if changed > 0 {
        transaction
            .execute(&statements.add_status, &[&key, &status, &progress])
            .await?;
    }
    Ok(())
}

/// A connection, with TLS when the server offers it (rustls, the platform's certificates;
/// `sslmode=disable` in the URL turns it off, `sslmode=require` makes it required).
async fn connect(config: &tokio_postgres::Config) -> Result<Client, StoreError> {
    use rustls_platform_verifier::ConfigVerifierExt;
    let tls = rustls::ClientConfig::with_platform_verifier()
        .map_err(|error| StoreError::Failed(format!("TLS for PostgreSQL: {error}")))?;
    let connector = tokio_postgres_rustls::MakeRustlsConnect::new(tls);
    let (client, connection) = config.connect(connector).await.map_err(failed)?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!(%error, "the task store's connection ended");
        }
    });
    Ok(client)
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
