//! The SQLite backend: one file (WAL mode, so that several processes on one machine use it at
//! once), or memory. Every statement runs on the writer's thread ([`writer`]); a claim is one
//! `INSERT … ON CONFLICT DO UPDATE … WHERE` inside the group's `BEGIN IMMEDIATE` transaction,
//! which holds the database's one write lock: two processes never both win a record.

mod schema;
mod writer;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params};

use super::backend::{Backend, Change, ClaimArgs, Claimed, LeaseToken, Receipt, StoreError};
use crate::record::{Holder, StatusSeen, TaskQuery, TaskRecord, TaskState};
use writer::Writer;

/// The columns of a record, in the order [`record`] reads them.
const COLUMNS: &str = "key, task_id, state, status, progress, request_hash, prompt, output,
    last_frame, output_bytes, base_url, account, batch, line, assets, error, created_at,
    updated_at, lease, holder_host, holder_pid, holder_scope, lease_until, claims, previous_lease,
    ended_host, ended_pid";

const CLAIM_NEW: &str = "
INSERT INTO tasks (key, state, request_hash, prompt, output, last_frame, base_url, account,
                   batch, line, created_at, updated_at, lease, holder_host, holder_pid,
                   holder_scope, lease_until, claims)
VALUES (?1, 'sending', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15, 1)
ON CONFLICT (key) DO UPDATE SET
    previous_lease = CASE WHEN tasks.lease IS excluded.lease THEN tasks.previous_lease ELSE tasks.lease END,
    claims = tasks.claims + (tasks.lease IS NOT excluded.lease),
    lease = excluded.lease, holder_host = excluded.holder_host, holder_pid = excluded.holder_pid,
    holder_scope = excluded.holder_scope, lease_until = excluded.lease_until
WHERE tasks.lease IS NULL OR tasks.lease_until <= ?16 OR tasks.lease IS ?17
   OR tasks.lease = excluded.lease
RETURNING ";

const CLAIM_EXISTING: &str = "
UPDATE tasks SET
    previous_lease = CASE WHEN lease IS ?2 THEN previous_lease ELSE lease END,
    claims = claims + (lease IS NOT ?2),
    lease = ?2, holder_host = ?3, holder_pid = ?4, holder_scope = ?5, lease_until = ?6
WHERE key = ?1 AND (lease IS NULL OR lease_until <= ?7 OR lease IS ?8 OR lease = ?2)
RETURNING ";

/// Answers whether the id was written under the lease (1) or, the lease lost meanwhile, as a
/// fact onto a record that had no id yet (0); no row: not written.
const SET_CREATED: &str = "
UPDATE tasks SET task_id = ?3, state = ?6, assets = ?4, error = NULL, updated_at = ?5
WHERE key = ?1 AND (lease = ?2 OR (task_id IS NULL AND state IN ('sending', 'unknown')))
RETURNING coalesce(lease = ?2, 0)";
const SET_STATE: &str = "
UPDATE tasks SET state = ?3, error = ?4, task_id = COALESCE(task_id, ?5), updated_at = ?6
WHERE key = ?1 AND lease = ?2";
const SET_STATUS: &str = "
UPDATE tasks SET status = ?3, progress = ?4, updated_at = ?5
WHERE key = ?1 AND (lease = ?2 OR ?2 IS NULL) AND (status IS NOT ?3 OR progress IS NOT ?4)";
const ADD_STATUS: &str = "INSERT INTO statuses (key, at, status, progress) VALUES (?1, ?2, ?3, ?4)";
const FINISH: &str = "
UPDATE tasks SET state = ?3, error = ?4, output_bytes = ?5, updated_at = ?6,
                 lease = NULL, lease_until = NULL, previous_lease = NULL,
                 ended_host = holder_host, ended_pid = holder_pid
WHERE key = ?1 AND lease = ?2";
const RELEASE: &str =
    "UPDATE tasks SET lease = NULL, lease_until = NULL WHERE key = ?1 AND lease = ?2";
const RENEW: &str = "UPDATE tasks SET lease_until = ?3 WHERE key = ?1 AND lease = ?2";

/// A task store in an SQLite file or in memory.
pub(crate) struct Sqlite {
    writer: Writer,
}

impl Sqlite {
    /// Opens (creating when needed) the store at `path`. A file that is not a store is refused
    /// before anything in it is changed.
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        if let Some(folder) = path
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
        {
            std::fs::create_dir_all(folder).map_err(|error| {
                StoreError::Failed(format!("cannot create {}: {error}", folder.display()))
            })?;
        }
        // Processes that open a new store at the same moment race for the switch to WAL and
        // the schema; SQLite answers the loser "locked" at once, so it tries again.
        let mut attempts = 0;
        loop {
            match Sqlite::open_once(path) {
                Err(StoreError::Unavailable(_)) if attempts < 50 => {
                    attempts += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                opened => return opened,
            }
        }
    }

    fn open_once(path: &Path) -> Result<Sqlite, StoreError> {
        schema::inspect(path)?;
        let connection = Connection::open(path).map_err(failed)?;
        // Before anything that takes a lock: several processes may use the store at once.
        connection
            .busy_timeout(Duration::from_secs(10))
            .map_err(failed)?;
        let mode: String = connection
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .map_err(failed)?;
        if !mode.eq_ignore_ascii_case("wal") {
            connection
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(failed)?;
        }
        Sqlite::ready(connection, &path.display().to_string())
    }

    /// A store in memory, gone with the process.
    pub fn in_memory() -> Result<Sqlite, StoreError> {
        Sqlite::ready(Connection::open_in_memory().map_err(failed)?, "memory")
    }

    fn ready(connection: Connection, place: &str) -> Result<Sqlite, StoreError> {
        // Durable at every transaction's end in WAL mode, without an fsync per write.
        connection
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(failed)?;
        connection
            .busy_timeout(Duration::from_secs(10))
            .map_err(failed)?;
        schema::migrate(&connection, place)?;
        Ok(Sqlite {
            writer: Writer::start(connection),
        })
    }

    fn select(&self, rest: String, parameters: Vec<Value>) -> Receipt<Vec<TaskRecord>> {
        self.writer.call(true, move |connection| {
            let now = now_ms();
            let mut statement = connection
                .prepare_cached(&format!("SELECT {COLUMNS} FROM tasks {rest}"))
                .map_err(failed)?;
            let rows = statement
                .query_map(rusqlite::params_from_iter(parameters), |row| {
                    record(row, now)
                })
                .map_err(failed)?;
            rows.collect::<rusqlite::Result<_>>().map_err(failed)
        })
    }
}

impl Backend for Sqlite {
    fn claim(&self, claim: ClaimArgs) -> Receipt<Claimed> {
        self.writer.call(true, move |connection| {
            let now = now_ms();
            let until = now + claim.ttl.as_millis() as i64;
            let lease = &claim.lease;
            let claimed = match &claim.new {
                Some(new) => connection
                    .prepare_cached(&format!("{CLAIM_NEW}{COLUMNS}"))
                    .and_then(|mut statement| {
                        statement
                            .query_row(
                                params![
                                    lease.key,
                                    new.request_hash,
                                    new.prompt,
                                    new.output.as_deref().map(path_text),
                                    new.last_frame.as_deref().map(path_text),
                                    new.base_url,
                                    new.account,
                                    new.batch,
                                    new.line,
                                    now / 1000,
                                    lease.id,
                                    lease.host,
                                    lease.pid,
                                    lease.scope,
                                    until,
                                    now,
                                    claim.take_from,
                                ],
                                |row| record(row, now),
                            )
                            .map(Some)
                            .or_else(no_row)
                    }),
                None => connection
                    .prepare_cached(&format!("{CLAIM_EXISTING}{COLUMNS}"))
                    .and_then(|mut statement| {
                        statement
                            .query_row(
                                params![
                                    lease.key,
                                    lease.id,
                                    lease.host,
                                    lease.pid,
                                    lease.scope,
                                    until,
                                    now,
                                    claim.take_from,
                                ],
                                |row| record(row, now),
                            )
                            .map(Some)
                            .or_else(no_row)
                    }),
            }
            .map_err(failed)?;
            if let Some(record) = claimed {
                return Ok(Claimed::Held(record));
            }
            let existing = connection
                .prepare_cached(&format!("SELECT {COLUMNS} FROM tasks WHERE key = ?1"))
                .and_then(|mut statement| {
                    statement
                        .query_row(params![lease.key], |row| record(row, now))
                        .map(Some)
                        .or_else(no_row)
                })
                .map_err(failed)?;
            Ok(existing.map_or(Claimed::Missing, |record| Claimed::Busy(Some(record))))
        })
    }

    fn write(&self, lease: &LeaseToken, change: Change) -> Receipt {
        let (key, id) = (lease.key.clone(), lease.id.clone());
        self.writer.call(change.is_urgent(), move |connection| {
            let now = now_ms();
            let at = now / 1000;
            let run = |sql: &str, values: &[&dyn rusqlite::ToSql]| {
                connection
                    .prepare_cached(sql)
                    .and_then(|mut statement| statement.execute(values))
                    .map_err(failed)
            };
            let fenced = |changed: usize| {
                if changed == 0 {
                    Err(StoreError::LeaseLost)
                } else {
                    Ok(())
                }
            };
            match change {
                Change::Created {
                    task_id,
                    assets,
                    state,
                } => {
                    let assets =
                        (!assets.is_empty()).then(|| serde_json::Value::from(assets).to_string());
                    let written = connection
                        .prepare_cached(SET_CREATED)
                        .and_then(|mut statement| {
                            statement
                                .query_row(
                                    params![key, id, task_id, assets, at, state.as_str()],
                                    |row| row.get::<_, bool>(0),
                                )
                                .map(Some)
                                .or_else(no_row)
                        })
                        .map_err(failed)?;
                    match written {
                        Some(true) => Ok(()),
                        Some(false) => Err(StoreError::NotHeld),
                        None => Err(StoreError::LeaseLost),
                    }
                }
                Change::State {
                    state,
                    error,
                    task_id,
                } => fenced(run(
                    SET_STATE,
                    params![key, id, state.as_str(), error, task_id, at],
                )?),
                Change::Status { status, progress } => {
                    status_seen(connection, &key, Some(&id), &status, progress, at)
                }
                Change::Finish {
                    state,
                    error,
                    output_bytes,
                } => fenced(run(
                    FINISH,
                    params![key, id, state.as_str(), error, output_bytes, at],
                )?),
                Change::Release => run(RELEASE, params![key, id]).map(|_| ()),
            }
        })
    }

    fn renew(&self, leases: Vec<LeaseToken>, ttl: Duration) -> Receipt<Vec<String>> {
        self.writer.call(true, move |connection| {
            let until = now_ms() + ttl.as_millis() as i64;
            let mut statement = connection.prepare_cached(RENEW).map_err(failed)?;
            let mut held = Vec::with_capacity(leases.len());
            for lease in leases {
                if statement
                    .execute(params![lease.key, lease.id, until])
                    .map_err(failed)?
                    > 0
                {
                    held.push(lease.id);
                }
            }
            Ok(held)
        })
    }

    fn observe(&self, key: &str, status: &str, progress: u8) -> Receipt {
        let (key, status) = (key.to_string(), status.to_string());
        self.writer.call(false, move |connection| {
            status_seen(connection, &key, None, &status, progress, now_ms() / 1000)
        })
    }

    fn get(&self, key: &str) -> Receipt<Option<TaskRecord>> {
        first(self.select("WHERE key = ?1".into(), vec![Value::Text(key.into())]))
    }

    fn find_task(
        &self,
        task_id: &str,
        base_url: &str,
        account: Option<&str>,
    ) -> Receipt<Option<TaskRecord>> {
        // The service's own records first (the same account, or none recorded); another
        // service's never: task ids are only unique per service.
        first(self.select(
            "WHERE task_id = ?1 AND base_url = ?2
             ORDER BY coalesce(account IS NULL OR account = ?3, 0) DESC, updated_at DESC, rowid DESC LIMIT 1"
                .into(),
            vec![
                Value::Text(task_id.into()),
                Value::Text(base_url.into()),
                account.map_or(Value::Null, |account| Value::Text(account.into())),
            ],
        ))
    }

    fn list(&self, query: &TaskQuery) -> Receipt<Vec<TaskRecord>> {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        if let Some(states) = &query.states {
            let marks: Vec<String> = states
                .iter()
                .map(|state| {
                    values.push(Value::Text(state.as_str().into()));
                    format!("?{}", values.len())
                })
                .collect();
            conditions.push(format!("state IN ({})", marks.join(", ")));
        }
        if let Some(batch) = &query.batch {
            values.push(Value::Text(batch.clone()));
            conditions.push(format!("batch = ?{}", values.len()));
        }
        let mut rest = String::new();
        if !conditions.is_empty() {
            rest = format!("WHERE {}", conditions.join(" AND "));
        }
        rest.push_str(if query.newest_first {
            " ORDER BY updated_at DESC, rowid DESC"
        } else {
            " ORDER BY created_at, rowid"
        });
        if let Some(limit) = query.limit {
            values.push(Value::Integer(limit as i64));
            rest.push_str(&format!(" LIMIT ?{}", values.len()));
        }
        self.select(rest, values)
    }

    fn statuses(&self, key: &str) -> Receipt<Vec<StatusSeen>> {
        let key = key.to_string();
        self.writer.call(true, move |connection| {
            let mut statement = connection
                .prepare_cached(
                    "SELECT status, progress, at FROM statuses WHERE key = ?1 ORDER BY rowid",
                )
                .map_err(failed)?;
            let rows = statement
                .query_map(params![key], |row| {
                    Ok(StatusSeen {
                        status: row.get(0)?,
                        progress: row.get::<_, Option<u8>>(1)?.unwrap_or(0),
                        at: row.get(2)?,
                    })
                })
                .map_err(failed)?;
            rows.collect::<rusqlite::Result<_>>().map_err(failed)
        })
    }

    fn flush(&self) -> Receipt {
        self.writer.call(true, |_| Ok(()))
    }
}

/// Records a status when it differs from the last one: in the record (held by `lease`, or by
/// anyone when `None`) and in the history.
fn status_seen(
    connection: &Connection,
    key: &str,
    lease: Option<&str>,
    status: &str,
    progress: u8,
    at: i64,
) -> Result<(), StoreError> {
    let changed = connection
        .prepare_cached(SET_STATUS)
        .and_then(|mut statement| statement.execute(params![key, lease, status, progress, at]))
        .map_err(failed)?;
    if changed > 0 {
        connection
            .prepare_cached(ADD_STATUS)
            .and_then(|mut statement| statement.execute(params![key, at, status, progress]))
            .map_err(failed)?;
    }
    Ok(())
}

/// The first record a selection found.
fn first(receipt: Receipt<Vec<TaskRecord>>) -> Receipt<Option<TaskRecord>> {
    receipt.map(|records| records.into_iter().next())
}

fn no_row<T>(error: rusqlite::Error) -> rusqlite::Result<Option<T>> {
    match error {
        rusqlite::Error::QueryReturnedNoRows => Ok(None),
        other => Err(other),
    }
}

/// An SQLite error as the store reports it: "busy" (the write lock held by another process
/// past the busy timeout) is the store being unavailable for now.
pub(super) fn failed(error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            StoreError::Unavailable(format!("{error} (another process holds it)"))
        }
        _ => StoreError::Failed(error.to_string()),
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or_default()
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Who ended a record, from its `ended_host` and `ended_pid`.
fn ended_by(host: Option<String>, pid: Option<u32>) -> Option<Holder> {
    Some(Holder {
        host: host?,
        pid: pid.unwrap_or_default(),
        holding: false,
        lease_left_ms: None,
        lease: None,
        scope: None,
    })
}

/// A record from a row of [`COLUMNS`], its lease measured against `now` (unix ms).
fn record(row: &Row<'_>, now: i64) -> rusqlite::Result<TaskRecord> {
    let path = |value: Option<String>| value.map(PathBuf::from);
    let assets: Option<String> = row.get(14)?;
    let lease: Option<String> = row.get(18)?;
    let host: Option<String> = row.get(19)?;
    let lease_until: Option<i64> = row.get(22)?;
    let holder = host.map(|host| -> rusqlite::Result<Holder> {
        Ok(Holder {
            host,
            pid: row.get::<_, Option<u32>>(20)?.unwrap_or_default(),
            holding: lease.is_some(),
            lease_left_ms: lease_until.map(|until| until - now),
            scope: row.get(21)?,
            lease: lease.clone(),
        })
    });
    Ok(TaskRecord {
        key: row.get(0)?,
        task_id: row.get(1)?,
        state: TaskState::parse(&row.get::<_, String>(2)?),
        status: row.get(3)?,
        progress: row.get(4)?,
        request_hash: row.get(5)?,
        prompt: row.get(6)?,
        output: path(row.get(7)?),
        last_frame: path(row.get(8)?),
        output_bytes: row.get(9)?,
        base_url: row.get(10)?,
        account: row.get(11)?,
        batch: row.get(12)?,
        line: row.get(13)?,
        assets: assets
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default(),
        error: row.get(15)?,
        created_at: row.get(16)?,
        updated_at: row.get(17)?,
        holder: holder.transpose()?,
        claims: row.get(23)?,
        previous_lease: row.get(24)?,
        ended_by: ended_by(row.get(25)?, row.get(26)?),
    })
}
