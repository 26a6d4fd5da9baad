//! The PostgreSQL store's schema, in a schema of its own (`anyfast_video`) so that it can share
//! a database with anything else: what must be there before anything is changed, and the
//! versioned migrations, run under an advisory lock so that replicas starting together migrate
//! once.

use tokio_postgres::Client;
use tokio_postgres::types::Type;

use super::super::backend::StoreError;
use super::failed;

/// The schema (namespace) of the store's tables.
pub(super) const SCHEMA: &str = "anyfast_video";
/// The schema version this version writes.
pub(super) const VERSION: i32 = 1;
/// What the store's own table says it is.
const APPLICATION: &str = "anyfast-video task store";
/// The advisory lock migrations hold ("afvd").
const MIGRATION_LOCK: i64 = 0x6166_7664;

/// `MIGRATIONS[n]` brings version `n` to `n + 1`.
const MIGRATIONS: [&str; 1] = ["
CREATE TABLE anyfast_video.store (
    only_row     BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    application  TEXT NOT NULL,
    version      INTEGER NOT NULL
);
CREATE TABLE anyfast_video.tasks (
    key             TEXT PRIMARY KEY,   -- the create's Idempotency-Key
    seq             BIGSERIAL,          -- the order records were written in
    task_id         TEXT,
    state           TEXT NOT NULL,
    status          TEXT,               -- the last status the service reported
    progress        SMALLINT,
    request_hash    TEXT NOT NULL,
    prompt          TEXT,
    output          TEXT,               -- where the video goes
    last_frame      TEXT,
    output_bytes    BIGINT,             -- the saved video's length
    base_url        TEXT NOT NULL,      -- the service the task lives on (never the key)
    account         TEXT,               -- a fingerprint of the API key (never the key)
    batch           TEXT,
    line            BIGINT,
    assets          TEXT,               -- uploaded asset ids, as JSON
    error           TEXT,
    created_at      BIGINT NOT NULL,    -- unix seconds, the server's clock
    updated_at      BIGINT NOT NULL,
    lease           TEXT,               -- the holder's lease, while held
    holder_host     TEXT,               -- the holder, or the last one
    holder_pid      BIGINT,
    holder_scope    TEXT,
    lease_until     BIGINT,             -- unix milliseconds, the server's clock
    claims          INTEGER NOT NULL DEFAULT 1,
    previous_lease  TEXT,               -- a lease taken over from a holder that stopped
    ended_host      TEXT,               -- the process that ended it (saved its video)
    ended_pid       BIGINT
);
CREATE INDEX tasks_by_task_id ON anyfast_video.tasks (task_id);
CREATE INDEX tasks_by_batch ON anyfast_video.tasks (batch, line);
CREATE INDEX tasks_unfinished ON anyfast_video.tasks (created_at)
    WHERE state IN ('sending', 'created', 'waiting', 'downloading', 'timed_out', 'error');
CREATE TABLE anyfast_video.statuses (
    seq       BIGSERIAL PRIMARY KEY,
    key       TEXT NOT NULL,
    at        BIGINT NOT NULL,
    status    TEXT NOT NULL,
    progress  SMALLINT
);
CREATE INDEX statuses_by_key ON anyfast_video.statuses (key);
"];

/// Checks what the database holds, then creates or upgrades the store's schema. A schema
/// `anyfast_video` that is not a store, or a store of a newer version, is refused and left as
/// it is.
pub(super) async fn prepare(client: &mut Client, place: &str) -> Result<(), StoreError> {
    let transaction = client.transaction().await.map_err(failed)?;
    // Every statement unnamed, with its parameters' types (`*_typed`), and the lock
    // transaction-scoped: nothing outlives the transaction, as behind PgBouncer's transaction
    // pooling (see the backend's docs).
    transaction
        .execute_typed(
            "SELECT pg_advisory_xact_lock($1)",
            &[(&MIGRATION_LOCK, Type::INT8)],
        )
        .await
        .map_err(failed)?;
    let tables: Vec<String> = transaction
        .query_typed(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
            &[(&SCHEMA, Type::TEXT)],
        )
        .await
        .map_err(failed)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let schema_exists: bool = transaction
        .query_typed_one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = $1)",
            &[(&SCHEMA, Type::TEXT)],
        )
        .await
        .map_err(failed)?
        .get(0);
    let version = if tables.iter().any(|table| table == "store") {
        let row = transaction
            .query_typed_one("SELECT application, version FROM anyfast_video.store", &[])
            .await
            .map_err(failed)?;
        let (application, version): (String, i32) = (row.get(0), row.get(1));
        if application != APPLICATION {
            return Err(foreign(place, &tables));
        }
        version
    } else if tables.is_empty() {
        0
    } else {
        return Err(foreign(place, &tables));
    };
    if version > VERSION {
        return Err(StoreError::Incompatible(format!(
            "{place} holds a task store written by a newer anyfast-video (schema {version}; this version reads up to {VERSION}); nothing was changed"
        )));
    }
    if version < VERSION {
        if !schema_exists {
            transaction
                .batch_execute(&format!("CREATE SCHEMA {SCHEMA}"))
                .await
                .map_err(failed)?;
        }
        for migration in &MIGRATIONS[version as usize..] {
            transaction.batch_execute(migration).await.map_err(failed)?;
        }
        transaction
            .execute_typed(
                "INSERT INTO anyfast_video.store (application, version) VALUES ($1, $2)
                 ON CONFLICT (only_row) DO UPDATE SET version = excluded.version",
                &[(&APPLICATION, Type::TEXT), (&VERSION, Type::INT4)],
            )
            .await
            .map_err(failed)?;
    }
    transaction.commit().await.map_err(failed)
}

fn foreign(place: &str, tables: &[String]) -> StoreError {
    StoreError::Incompatible(format!(
        "the schema {SCHEMA} of {place} holds tables that are not an anyfast-video task store ({}); nothing was changed",
        tables.join(", ")
    ))
}
