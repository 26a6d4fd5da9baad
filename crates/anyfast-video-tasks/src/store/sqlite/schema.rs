//! The SQLite store's schema: what a file must be before anything is changed in it, and the
//! versioned migrations that bring it up to date.
//!
//! A file is looked at read-only first. It is ours when its `application_id` is ours, or when
//! it is a journal of the command line's first version (no application id, `user_version` 1,
//! the `tasks` and `statuses` tables with their columns). An empty or new file becomes a new
//! store. Anything else is refused with what it is (not SQLite, or SQLite with other tables),
//! and nothing in it is changed: not even its journal mode.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::super::backend::StoreError;
use super::failed;

/// `PRAGMA application_id` of a task store ("afvd").
pub(super) const APPLICATION_ID: i64 = 0x6166_7664;
/// The schema this version writes (`PRAGMA user_version`).
pub(super) const VERSION: i64 = 2;

/// Each migration, from the version before it: `MIGRATIONS[n]` brings version `n` to `n + 1`.
const MIGRATIONS: [&str; 2] = [
    // 0 → 1: the command line's journal.
    "
    CREATE TABLE tasks (
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
    CREATE INDEX tasks_by_task_id ON tasks (task_id);
    CREATE INDEX tasks_by_batch ON tasks (batch, line);
    CREATE TABLE statuses (
        key       TEXT NOT NULL,
        at        INTEGER NOT NULL,
        status    TEXT NOT NULL,
        progress  INTEGER
    );
    CREATE INDEX statuses_by_key ON statuses (key);
    ",
    // 1 → 2: leases, the account, the saved length.
    "
    ALTER TABLE tasks ADD COLUMN account TEXT;          -- a fingerprint of the API key
    ALTER TABLE tasks ADD COLUMN output_bytes INTEGER;  -- the saved video's length
    ALTER TABLE tasks ADD COLUMN lease TEXT;            -- the holder's lease, while held
    ALTER TABLE tasks ADD COLUMN holder_host TEXT;      -- the holder, or the last one
    ALTER TABLE tasks ADD COLUMN holder_pid INTEGER;
    ALTER TABLE tasks ADD COLUMN holder_scope TEXT;
    ALTER TABLE tasks ADD COLUMN lease_until INTEGER;   -- unix milliseconds
    ALTER TABLE tasks ADD COLUMN claims INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE tasks ADD COLUMN previous_lease TEXT;   -- a lease taken over from a holder that stopped
    ALTER TABLE tasks ADD COLUMN ended_host TEXT;       -- the process that ended it (saved its video)
    ALTER TABLE tasks ADD COLUMN ended_pid INTEGER;
    ",
];

/// The columns of the first version's `tasks` table: a file with them is a journal to upgrade.
const FIRST_COLUMNS: [&str; 16] = [
    "key",
    "task_id",
    "state",
    "status",
    "progress",
    "request_hash",
    "prompt",
    "output",
    "last_frame",
    "base_url",
    "batch",
    "line",
    "assets",
    "error",
    "created_at",
    "updated_at",
];

/// What a file is, read before anything is changed.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// No file, or an empty one: a new store.
    Nothing,
    /// A store (or first-version journal) at this schema version.
    Ours(i64),
}

/// Looks at `path` read-only: a new store, ours at some version, or refused with what it is.
pub(super) fn inspect(path: &Path) -> Result<Found, StoreError> {
    let length = match std::fs::metadata(path) {
        Ok(metadata) => metadata.len(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(error) => return Err(refused(path, &format!("cannot be read ({error})"))),
    };
    if length == 0 {
        return Ok(Found::Nothing);
    }
    let mut header = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut file| std::io::Read::read(&mut file, &mut header))
        .map_err(|error| refused(path, &format!("cannot be read ({error})")))?;
    if read < 16 || &header != b"SQLite format 3\0" {
        return Err(refused(
            path,
            &format!(
                "is not an SQLite database (it starts with {})",
                describe_bytes(&header[..read])
            ),
        ));
    }
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|error| refused(path, &format!("cannot be opened ({error})")))?;
    connection
        .busy_timeout(std::time::Duration::from_secs(10))
        .map_err(failed)?;
    let pragma = |name: &str| -> Result<i64, StoreError> {
        connection
            .pragma_query_value(None, name, |row| row.get(0))
            .map_err(|error| refused(path, &format!("cannot be read ({error})")))
    };
    // One read transaction for all three: another process creating the store at this moment
    // commits its id, version and tables at once, and reads spread over two snapshots saw a
    // version and tables without the id (a store "of another program").
    let snapshot = connection.unchecked_transaction().map_err(failed)?;
    let (application, version) = (pragma("application_id")?, pragma("user_version")?);
    let tables = tables(&connection).map_err(failed)?;
    snapshot.finish().map_err(failed)?;
    if application == APPLICATION_ID {
        return Ok(Found::Ours(version));
    }
    if application == 0 && version == 0 && tables.is_empty() {
        return Ok(Found::Nothing);
    }
    if application == 0 && version == 1 && is_first_journal(&connection, &tables) {
        return Ok(Found::Ours(1));
    }
    let what = if application != 0 {
        format!("application id {application:#x}")
    } else {
        format!("user version {version}")
    };
    Err(refused(
        path,
        &format!(
            "is an SQLite database of another program ({what}; tables: {})",
            if tables.is_empty() {
                "none".to_string()
            } else {
                tables.join(", ")
            }
        ),
    ))
}

/// Brings an open connection from `found` to [`VERSION`], in one immediate transaction (the
/// version read again inside it: another process may have upgraded the file meanwhile), and
/// refuses a newer version.
pub(super) fn migrate(connection: &Connection, path: &str) -> Result<(), StoreError> {
    connection
        .execute_batch("BEGIN IMMEDIATE")
        .map_err(failed)?;
    let upgraded = (|| {
        let version: i64 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(failed)?;
        if version > VERSION {
            return Err(StoreError::Incompatible(format!(
                "{path} was written by a newer anyfast-video (task store schema {version}; this version reads up to {VERSION}); nothing was changed"
            )));
        }
        for migration in &MIGRATIONS[version.max(0) as usize..] {
            connection.execute_batch(migration).map_err(failed)?;
        }
        connection
            .execute_batch(&format!(
                "PRAGMA user_version = {VERSION}; PRAGMA application_id = {APPLICATION_ID};"
            ))
            .map_err(failed)
    })();
    match upgraded {
        Ok(()) => connection.execute_batch("COMMIT").map_err(failed),
        Err(error) => {
            let _ = connection.execute_batch("ROLLBACK");
            Err(error)
        }
    }
}

fn tables(connection: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = connection.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let names = statement.query_map([], |row| row.get(0))?;
    names.collect()
}

fn is_first_journal(connection: &Connection, tables: &[String]) -> bool {
    if tables != ["statuses", "tasks"] {
        return false;
    }
    let columns: rusqlite::Result<Vec<String>> = connection
        .prepare("SELECT name FROM pragma_table_info('tasks')")
        .and_then(|mut statement| {
            statement
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        });
    columns.is_ok_and(|columns| {
        FIRST_COLUMNS
            .iter()
            .all(|name| columns.iter().any(|c| c == name))
    })
}

fn refused(path: &Path, what: &str) -> StoreError {
    StoreError::Incompatible(format!(
        "{} {what}: not an anyfast-video task store, and nothing in it was changed",
        path.display()
    ))
}

/// The first bytes of a file, as text when they are printable, else in hex.
fn describe_bytes(bytes: &[u8]) -> String {
    let text: String = String::from_utf8_lossy(bytes).chars().take(16).collect();
    if !bytes.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() || c == '\n' || c == '\t')
    {
        format!("{:?}", text.trim_end())
    } else {
        let hex: Vec<String> = bytes
            .iter()
            .take(8)
            .map(|byte| format!("{byte:02x}"))
            .collect();
        format!("the bytes {}", hex.join(" "))
    }
}
