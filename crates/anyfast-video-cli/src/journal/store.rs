//! The journal's SQLite store: its schema, and one method per thing that happens to a task.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params};

use super::writer::Writer;

/// The schema; `user_version` says which one a file has.
const SCHEMA_VERSION: i64 = 1;
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS tasks (
    key           TEXT PRIMARY KEY,   -- the create's Idempotency-Key
    task_id       TEXT,
    state         TEXT NOT NULL,
    status        TEXT,               -- the last status the service reported
    progress      INTEGER,
    request_hash  TEXT NOT NULL,
    prompt        TEXT,
    output        TEXT,               -- where the video goes
    last_frame    TEXT,               -- where the last frame goes
    base_url      TEXT NOT NULL,      -- the service the task lives on (never the key)
    batch         TEXT,               -- the batch file's id, for batch lines
    line          INTEGER,            -- the line's number (from 1)
    assets        TEXT,               -- uploaded asset ids, as JSON
    error         TEXT,
    created_at    INTEGER NOT NULL,   -- unix seconds
    updated_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_by_task_id ON tasks (task_id);
CREATE INDEX IF NOT EXISTS tasks_by_batch ON tasks (batch, line);
CREATE TABLE IF NOT EXISTS statuses (
    key       TEXT NOT NULL,
    at        INTEGER NOT NULL,
    status    TEXT NOT NULL,
    progress  INTEGER
);
CREATE INDEX IF NOT EXISTS statuses_by_key ON statuses (key);
";

/// The statements, prepared once per connection (`prepare_cached`): a batch runs each
/// thousands of times.
const INSERT_ROW: &str = "
INSERT INTO tasks (key, state, request_hash, prompt, output, last_frame, base_url, batch, line,
                   created_at, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
ON CONFLICT (key) DO UPDATE SET state = ?2, error = NULL, updated_at = ?10";
const SET_CREATED: &str = "
UPDATE tasks SET task_id = ?2, state = ?3, assets = ?4, error = NULL, updated_at = ?5
WHERE key = ?1";
const SET_STATE: &str = "
UPDATE tasks SET state = ?2, error = ?3, task_id = COALESCE(task_id, ?4), updated_at = ?5
WHERE key = ?1";
const SET_STATUS: &str = "
UPDATE tasks SET status = ?2, progress = ?3, updated_at = ?4
WHERE key = ?1 AND (status IS NOT ?2 OR progress IS NOT ?3)";
const ADD_STATUS: &str = "INSERT INTO statuses (key, at, status, progress) VALUES (?1, ?2, ?3, ?4)";
/// The columns of an [`Entry`], in the order `entry` reads them.
const COLUMNS: &str = "key, task_id, state, status, progress, request_hash, prompt, output,
    last_frame, base_url, batch, line, assets, error, created_at, updated_at";

/// Where a task stands, as the journal knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// The row is written and the create is on its way; if it stays so, the process stopped
    /// before an answer came, and the task may exist.
    Sending,
    /// The create was refused before reaching the service, or provably not processed (429,
    /// connection refused): nothing was made; it may be sent again.
    NotSent,
    /// The create may have made a task, but no usable answer came: never sent again without
    /// being asked to.
    Unknown,
    /// The service refused the create (a 4xx): no task.
    Refused,
    /// The task exists; nobody is waiting for it yet.
    Created,
    /// Someone is waiting for it.
    Waiting,
    /// Its video is being downloaded.
    Downloading,
    /// Done: the video (if asked for) is saved.
    Done,
    /// The task failed: no video.
    Failed,
    /// The wait gave up; the task goes on.
    TimedOut,
    /// Something went wrong after the create (a download, the network): it can be resumed.
    Error,
}

impl State {
    const ALL: [State; 11] = [
        State::Sending,
        State::NotSent,
        State::Unknown,
        State::Refused,
        State::Created,
        State::Waiting,
        State::Downloading,
        State::Done,
        State::Failed,
        State::TimedOut,
        State::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Sending => "sending",
            State::NotSent => "not_sent",
            State::Unknown => "unknown",
            State::Refused => "refused",
            State::Created => "created",
            State::Waiting => "waiting",
            State::Downloading => "downloading",
            State::Done => "done",
            State::Failed => "failed",
            State::TimedOut => "timed_out",
            State::Error => "error",
        }
    }

    fn parse(word: &str) -> State {
        State::ALL
            .into_iter()
            .find(|state| state.as_str() == word)
            .unwrap_or(State::Error)
    }

    /// Whether `resume` should wait for (and download) the task: it exists, and it is not
    /// over yet. A row left `sending` or `unknown` is not: its task may not exist, and its
    /// create is never sent again unasked.
    pub fn is_resumable(self) -> bool {
        matches!(
            self,
            State::Created | State::Waiting | State::Downloading | State::TimedOut | State::Error
        )
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A row about to be written, before its create is sent.
#[derive(Clone, Debug, Default)]
pub struct NewEntry {
    pub key: String,
    pub request_hash: String,
    pub prompt: Option<String>,
    pub output: Option<PathBuf>,
    pub last_frame: Option<PathBuf>,
    pub base_url: String,
    pub batch: Option<String>,
    pub line: Option<u64>,
}

/// A row of the journal.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub task_id: Option<String>,
    pub state: State,
    pub status: Option<String>,
    pub progress: Option<u8>,
    pub request_hash: String,
    pub prompt: Option<String>,
    pub output: Option<PathBuf>,
    pub last_frame: Option<PathBuf>,
    pub base_url: String,
    pub batch: Option<String>,
    pub line: Option<u64>,
    pub assets: Option<String>,
    pub error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The journal: one SQLite connection on its writer thread, shared by the tasks of one
/// command.
pub struct Journal {
    writer: Writer,
    path: Option<PathBuf>,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish()
    }
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or_default()
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

impl Journal {
    /// Opens (creating when needed) the journal at `path`, in WAL mode so that several
    /// processes (a batch and a `tasks` beside it) can use it at once.
    pub fn open(path: &Path) -> rusqlite::Result<Journal> {
        if let Some(folder) = path
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
        {
            std::fs::create_dir_all(folder).map_err(|error| {
                rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                    Some(format!("cannot create {}: {error}", folder.display())),
                )
            })?;
        }
        // Processes that open a new journal at the same moment race for the switch to WAL and
        // the schema; SQLite answers the loser "locked" at once, so it tries again.
        let mut attempts = 0;
        loop {
            match Journal::open_once(path) {
                Err(error) if is_busy(&error) && attempts < 50 => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                opened => return opened,
            }
        }
    }

    fn open_once(path: &Path) -> rusqlite::Result<Journal> {
        let connection = Connection::open(path)?;
        // Before anything that takes a lock: several processes may use the journal at once.
        connection.busy_timeout(std::time::Duration::from_secs(10))?;
        let mode: String = connection.pragma_query_value(None, "journal_mode", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            connection.pragma_update(None, "journal_mode", "WAL")?;
        }
        Journal::ready(connection, Some(path.to_path_buf()))
    }

    /// A journal in memory, gone with the process.
    pub fn in_memory() -> rusqlite::Result<Journal> {
        Journal::ready(Connection::open_in_memory()?, None)
    }

    fn ready(connection: Connection, path: Option<PathBuf>) -> rusqlite::Result<Journal> {
        // Durable at every transaction's end in WAL mode, without an fsync per write.
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISMATCH),
                Some(format!(
                    "the journal was written by a newer anyfast-video (schema {version})"
                )),
            ));
        }
        if version < SCHEMA_VERSION {
            // One immediate transaction: the write lock is taken (or waited for) up front.
            connection.execute_batch(&format!(
                "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))?;
        }
        Ok(Journal {
            writer: Writer::start(connection),
            path,
        })
    }

    /// The file, for messages (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Writes the row of a create about to be sent, and returns once it is durable.
    pub async fn begin(&self, entry: &NewEntry) -> rusqlite::Result<()> {
        let at = now();
        let entry = entry.clone();
        self.writer
            .call(move |connection| {
                connection.prepare_cached(INSERT_ROW)?.execute(params![
                    entry.key,
                    State::Sending.as_str(),
                    entry.request_hash,
                    entry.prompt,
                    entry.output.as_deref().map(path_text),
                    entry.last_frame.as_deref().map(path_text),
                    entry.base_url,
                    entry.batch,
                    entry.line,
                    at,
                ])?;
                Ok(())
            })
            .await
    }

    /// The create answered with a task: recorded, and durable on return (a task must never be
    /// known only to a process that may be killed next).
    pub async fn created(
        &self,
        key: &str,
        task_id: &str,
        assets: Option<&str>,
    ) -> rusqlite::Result<()> {
        let (key, task_id, assets) = (
            key.to_string(),
            task_id.to_string(),
            assets.map(str::to_string),
        );
        self.writer
            .call(move |connection| {
                connection.prepare_cached(SET_CREATED)?.execute(params![
                    key,
                    task_id,
                    State::Created.as_str(),
                    assets,
                    now()
                ])?;
                Ok(())
            })
            .await
    }

    /// The task moved to `state`, with an error when it went wrong. A task id learnt on the way
    /// (from an uncertain create's answer) is kept. Queued: the caller goes on before it is
    /// written, and an error is reported as a warning (a state lost to a crash is one that
    /// `resume` or a rerun finds out again).
    pub fn set_state(&self, key: &str, state: State, error: Option<&str>, task_id: Option<&str>) {
        let (key, error, task_id) = (
            key.to_string(),
            error.map(str::to_string),
            task_id.map(str::to_string),
        );
        self.writer.submit(move |connection| {
            connection.prepare_cached(SET_STATE)?.execute(params![
                key,
                state.as_str(),
                error,
                task_id,
                now()
            ])?;
            Ok(())
        });
    }

    /// The service reported this status; recorded when it differs from the last one. Queued,
    /// like [`Journal::set_state`].
    pub fn status(&self, key: &str, status: &str, progress: u8) {
        let (key, status) = (key.to_string(), status.to_string());
        self.writer.submit(move |connection| {
            let at = now();
            let changed = connection
                .prepare_cached(SET_STATUS)?
                .execute(params![key, status, progress, at])?;
            if changed > 0 {
                connection
                    .prepare_cached(ADD_STATUS)?
                    .execute(params![key, at, status, progress])?;
            }
            Ok(())
        });
    }

    /// The statuses seen of a task, oldest first.
    pub async fn statuses(&self, key: &str) -> rusqlite::Result<Vec<(String, u8)>> {
        let key = key.to_string();
        self.writer
            .call(move |connection| {
                let mut statement = connection.prepare_cached(
                    "SELECT status, progress FROM statuses WHERE key = ?1 ORDER BY rowid",
                )?;
                let rows = statement.query_map(params![key], |row| {
                    Ok((row.get(0)?, row.get::<_, Option<u8>>(1)?.unwrap_or(0)))
                })?;
                rows.collect()
            })
            .await
    }

    /// The most recently changed rows, newest first.
    pub async fn recent(&self, limit: usize) -> rusqlite::Result<Vec<Entry>> {
        self.select(
            "ORDER BY updated_at DESC, rowid DESC LIMIT ?1".into(),
            vec![Value::Integer(limit as i64)],
        )
        .await
    }

    /// The rows whose task can be waited for and finished.
    pub async fn resumable(&self) -> rusqlite::Result<Vec<Entry>> {
        let states: Vec<Value> = State::ALL
            .into_iter()
            .filter(|state| state.is_resumable())
            .map(|state| Value::Text(state.as_str().into()))
            .collect();
        let placeholders = vec!["?"; states.len()].join(", ");
        self.select(
            format!("WHERE state IN ({placeholders}) ORDER BY created_at, rowid"),
            states,
        )
        .await
    }

    /// The newest row of task `task_id`.
    pub async fn by_task_id(&self, task_id: &str) -> rusqlite::Result<Option<Entry>> {
        Ok(self
            .select(
                "WHERE task_id = ?1 ORDER BY updated_at DESC LIMIT 1".into(),
                vec![Value::Text(task_id.into())],
            )
            .await?
            .pop())
    }

    /// Whether any row belongs to batch `batch`.
    pub async fn has_batch(&self, batch: &str) -> rusqlite::Result<bool> {
        let batch = batch.to_string();
        self.writer
            .call(move |connection| {
                connection.query_row(
                    "SELECT EXISTS (SELECT 1 FROM tasks WHERE batch = ?1)",
                    params![batch],
                    |row| row.get(0),
                )
            })
            .await
    }

    /// The row of a create, by its key.
    pub async fn by_key(&self, key: &str) -> rusqlite::Result<Option<Entry>> {
        Ok(self
            .select("WHERE key = ?1".into(), vec![Value::Text(key.into())])
            .await?
            .pop())
    }

    /// The rows that match `rest` (the query after `FROM tasks`), read on the writer's thread
    /// after everything queued before (a read sees every write this process made).
    async fn select(&self, rest: String, parameters: Vec<Value>) -> rusqlite::Result<Vec<Entry>> {
        self.writer
            .call(move |connection| {
                let mut statement =
                    connection.prepare_cached(&format!("SELECT {COLUMNS} FROM tasks {rest}"))?;
                let rows = statement.query_map(rusqlite::params_from_iter(parameters), entry)?;
                rows.collect()
            })
            .await
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn entry(row: &Row<'_>) -> rusqlite::Result<Entry> {
    let path = |value: Option<String>| value.map(PathBuf::from);
    Ok(Entry {
        key: row.get(0)?,
        task_id: row.get(1)?,
        state: State::parse(&row.get::<_, String>(2)?),
        status: row.get(3)?,
        progress: row.get(4)?,
        request_hash: row.get(5)?,
        prompt: row.get(6)?,
        output: path(row.get(7)?),
        last_frame: path(row.get(8)?),
        base_url: row.get(9)?,
        batch: row.get(10)?,
        line: row.get(11)?,
        assets: row.get(12)?,
        error: row.get(13)?,
        created_at: row.get(14)?,
        updated_at: row.get(15)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(key: &str) -> NewEntry {
        NewEntry {
            key: key.into(),
            request_hash: "h".into(),
            prompt: Some("a cat".into()),
            output: Some("cat.mp4".into()),
            base_url: "https://www.anyfast.ai".into(),
            ..NewEntry::default()
        }
    }

    #[tokio::test]
    async fn a_task_is_recorded_from_before_its_create_to_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j/journal.sqlite")).unwrap();
        journal.begin(&new("k1")).await.unwrap();
        assert_eq!(
            journal.by_key("k1").await.unwrap().unwrap().state,
            State::Sending
        );
        journal.created("k1", "cgt-1", None).await.unwrap();
        journal.status("k1", "queued", 0);
        journal.status("k1", "queued", 0);
        journal.status("k1", "running", 40);
        journal.set_state("k1", State::Waiting, None, None);
        assert_eq!(journal.resumable().await.unwrap().len(), 1);
        journal.set_state("k1", State::Done, None, None);
        let entry = journal.by_task_id("cgt-1").await.unwrap().unwrap();
        assert_eq!((entry.state, entry.progress), (State::Done, Some(40)));
        assert_eq!(
            journal.statuses("k1").await.unwrap(),
            [("queued".to_string(), 0), ("running".to_string(), 40)],
            "only changes are recorded"
        );
        assert!(journal.resumable().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn the_journal_survives_reopening_and_never_holds_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        {
            let journal = Journal::open(&path).unwrap();
            journal.begin(&new("k2")).await.unwrap();
            journal.set_state("k2", State::Unknown, Some("timed out"), Some("cgt-2?"));
        }
        let journal = Journal::open(&path).unwrap();
        let entry = journal.by_key("k2").await.unwrap().unwrap();
        assert_eq!(entry.state, State::Unknown);
        assert_eq!(entry.task_id.as_deref(), Some("cgt-2?"));
        assert!(!entry.state.is_resumable());
        let bytes = std::fs::read(&path).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("Bearer"));
    }
}
