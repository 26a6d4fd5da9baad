//! The PostgreSQL store's schema, in a schema of its own (`anyfast_video`) so that it can share
//! a database with anything else: what must be there before anything is changed, and the
//! versioned migrations, run under an advisory lock so that replicas starting together migrate
//! once.

use tokio_postgres::Client;
use tokio_postgres::types::Type;

use super::super::backend::StoreError;
use super::{NOW_MS, failed};

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
    // A store written before the function existed (or by a version that never made it) gets
    // it now; under the migration lock, so that replicas starting together create it once.
    let missing: bool = transaction
        .query_typed_one(
            "SELECT to_regprocedure($1) IS NULL",
            &[(&WRITES_SIGNATURE, Type::TEXT)],
        )
        .await
        .map_err(failed)?
        .get(0);
    if missing {
        transaction
            .batch_execute(&writes_function())
            .await
            .map_err(failed)?;
    }
    transaction.commit().await.map_err(failed)
}

/// The server-side function that applies a group of writes (claims included), in order, in
/// one statement: see [`writes_function`].
pub(super) const WRITES_FUNCTION: &str = "anyfast_video.writes_1";
/// Its signature, as `to_regprocedure` reads it.
const WRITES_SIGNATURE: &str = "anyfast_video.writes_1(jsonb)";

/// The function [`WRITES_FUNCTION`]: takes a JSON array of writes (each `{"i", "op", "key",
/// "lease", …}`: a claim, a holder's change or a status seen from outside) and answers one
/// row per write, `(i, outcome, task)`, the record for a claim.
///
/// Why a function: behind PgBouncer's transaction pooling the store may keep no named
/// statement from one transaction to the next, so every statement sent is parsed, analysed
/// and planned again at each execution (about 0.45 ms for a claim on the benchmark's machine,
/// several a line). PL/pgSQL plans the statements inside a function once per server
/// connection and keeps the plans in that server process, where no client sees them: the
/// client sends one small unnamed statement per group of writes, whichever server
/// connection it lands on. Those cached plans are harmless to share between PgBouncer's
/// clients: they hold no client's data or settings (every name is schema-qualified and the
/// function pins its own `search_path`), permissions are checked at each execution, and the
/// server replans them when a table they use changes or the function is replaced.
///
/// Its statements are the ones the client sent before it, one by one (and a version of the
/// store that does not call it writes the same rows): a claim inserts a fresh record under
/// the key's advisory lock, else takes the existing one `FOR UPDATE SKIP LOCKED` when it is
/// free, else reads what holds it; each statement sees what the one before waited for
/// (a volatile function takes a snapshot per statement). Its name carries a number: a change
/// of what it does is a new function, so that processes of the older version, still running
/// during an upgrade, keep theirs.
fn writes_function() -> String {
    let seconds = format!("({NOW_MS} / 1000)");
    format!(
        r#"
CREATE FUNCTION {WRITES_FUNCTION}(writes jsonb)
RETURNS TABLE (i integer, outcome text, task anyfast_video.tasks)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $writes$
DECLARE
    w record;
    held boolean;
BEGIN
    FOR w IN SELECT * FROM jsonb_to_recordset(writes) AS x(
        i integer, op text, key text, lease text, new boolean, request_hash text, prompt text,
        output text, last_frame text, base_url text, account text, batch text, line bigint,
        host text, pid bigint, scope text, ttl bigint, take_from text, task_id text,
        assets text, state text, error text, status text, progress smallint, bytes bigint)
    LOOP
        i := w.i;
        task := NULL;
        IF w.op = 'claim' THEN
            IF w.new THEN
                INSERT INTO anyfast_video.tasks AS t (key, state, request_hash, prompt, output,
                    last_frame, base_url, account, batch, line, created_at, updated_at,
                    lease, holder_host, holder_pid, holder_scope, lease_until, claims)
                SELECT w.key, 'sending', w.request_hash, w.prompt, w.output, w.last_frame,
                    w.base_url, w.account, w.batch, w.line, {seconds}, {seconds},
                    w.lease, w.host, w.pid, w.scope, {NOW_MS} + w.ttl, 1
                WHERE pg_try_advisory_xact_lock(hashtextextended(w.key, 0))
                ON CONFLICT (key) DO NOTHING
                RETURNING t.* INTO task;
                IF FOUND THEN
                    outcome := 'held';
                    RETURN NEXT;
                    CONTINUE;
                END IF;
            END IF;
            UPDATE anyfast_video.tasks AS t SET
                previous_lease = CASE WHEN t.lease IS NOT DISTINCT FROM w.lease THEN t.previous_lease ELSE t.lease END,
                claims = t.claims + CASE WHEN t.lease IS NOT DISTINCT FROM w.lease THEN 0 ELSE 1 END,
                lease = w.lease, holder_host = w.host, holder_pid = w.pid, holder_scope = w.scope,
                lease_until = {NOW_MS} + w.ttl
            WHERE t.key IN (
                SELECT s.key FROM anyfast_video.tasks AS s
                WHERE s.key = w.key AND (s.lease IS NULL OR s.lease_until <= {NOW_MS}
                                         OR s.lease = w.take_from OR s.lease = w.lease)
                FOR UPDATE SKIP LOCKED)
            RETURNING t.* INTO task;
            IF FOUND THEN
                outcome := 'held';
            ELSE
                SELECT t.* INTO task FROM anyfast_video.tasks AS t WHERE t.key = w.key;
                -- No record while claiming a fresh one: another transaction holds the key's
                -- lock, it is inserting the record now.
                outcome := CASE WHEN FOUND OR w.new THEN 'busy' ELSE 'missing' END;
            END IF;
        ELSIF w.op = 'created' THEN
            -- Written under the lease, or (the lease lost meanwhile) as a fact onto a record
            -- that has no id yet; else not written.
            UPDATE anyfast_video.tasks AS t SET task_id = w.task_id, state = w.state,
                assets = w.assets, error = NULL, updated_at = {seconds}
            WHERE t.key = w.key AND (t.lease = w.lease
                  OR (t.task_id IS NULL AND t.state IN ('sending', 'unknown')))
            RETURNING COALESCE(t.lease = w.lease, FALSE) INTO held;
            outcome := CASE WHEN NOT FOUND THEN 'lost' WHEN held THEN 'written' ELSE 'not_held' END;
        ELSIF w.op = 'state' THEN
            UPDATE anyfast_video.tasks AS t SET state = w.state, error = w.error,
                task_id = COALESCE(t.task_id, w.task_id), updated_at = {seconds}
            WHERE t.key = w.key AND t.lease = w.lease;
            outcome := CASE WHEN FOUND THEN 'written' ELSE 'lost' END;
        ELSIF w.op = 'status' THEN
            -- Under the lease when one is given (a holder's), else on any record (seen from
            -- outside); the history gets it when it changed.
            UPDATE anyfast_video.tasks AS t SET status = w.status, progress = w.progress,
                updated_at = {seconds}
            WHERE t.key = w.key AND (w.lease IS NULL OR t.lease = w.lease)
              AND (t.status IS DISTINCT FROM w.status OR t.progress IS DISTINCT FROM w.progress);
            IF FOUND THEN
                INSERT INTO anyfast_video.statuses (key, at, status, progress)
                VALUES (w.key, {seconds}, w.status, w.progress);
            END IF;
            outcome := 'written';
        ELSIF w.op = 'finish' THEN
            UPDATE anyfast_video.tasks AS t SET state = w.state, error = w.error,
                output_bytes = w.bytes, updated_at = {seconds}, lease = NULL,
                lease_until = NULL, previous_lease = NULL,
                ended_host = t.holder_host, ended_pid = t.holder_pid
            WHERE t.key = w.key AND t.lease = w.lease;
            outcome := CASE WHEN FOUND THEN 'written' ELSE 'lost' END;
        ELSIF w.op = 'release' THEN
            UPDATE anyfast_video.tasks AS t SET lease = NULL, lease_until = NULL
            WHERE t.key = w.key AND t.lease = w.lease;
            outcome := 'written';
        ELSE
            RAISE EXCEPTION 'anyfast_video: unknown write %', w.op;
        END IF;
        RETURN NEXT;
    END LOOP;
END
$writes$;
"#
    )
}

/// The first migration, for the tests that make a store as the version before wrote it.
#[cfg(test)]
pub(super) fn first_migration() -> &'static str {
    MIGRATIONS[0]
}

fn foreign(place: &str, tables: &[String]) -> StoreError {
    StoreError::Incompatible(format!(
        "the schema {SCHEMA} of {place} holds tables that are not an anyfast-video task store ({}); nothing was changed",
        tables.join(", ")
    ))
}
