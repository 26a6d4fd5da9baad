//! The conformance suite: the same tests, with the same assertions, against every backend
//! (SQLite in a temporary file, PostgreSQL in a throwaway cluster of the machine's own
//! server). Two handles on one store stand for two processes: each has its own connection
//! and its own leases.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::backend::{ClaimArgs, Claimed, LeaseToken};
use super::*;

/// Where a test's store lives: each test gets a store of its own.
enum Place {
    Sqlite(tempfile::TempDir),
    #[cfg(feature = "postgres")]
    Postgres(String),
}

impl Place {
    fn sqlite() -> Place {
        Place::Sqlite(tempfile::tempdir().unwrap())
    }

    #[cfg(feature = "postgres")]
    fn postgres(test: &str) -> Option<Place> {
        let cluster =
            throwaway_postgres::required("the PostgreSQL task store's conformance tests")?;
        Some(Place::Postgres(cluster.create_database(test).unwrap()))
    }

    /// A database of the shared cluster reached through the shared PgBouncer in `mode`, one
    /// server connection for all of the test's handles: in transaction mode, each of their
    /// transactions may run on a connection another handle used last.
    #[cfg(feature = "postgres")]
    fn pgbouncer(test: &str, mode: throwaway_postgres::PoolMode) -> Option<Place> {
        let what = "the PostgreSQL task store's conformance tests through PgBouncer";
        let bouncer = throwaway_postgres::required_bouncer(mode, what)?;
        let cluster = throwaway_postgres::required(what)?;
        let url = cluster.create_database(test).unwrap();
        Some(Place::Postgres(bouncer.in_front_of(&url)))
    }

    fn location(&self) -> String {
        match self {
            Place::Sqlite(dir) => dir.path().join("tasks.sqlite").display().to_string(),
            #[cfg(feature = "postgres")]
            Place::Postgres(url) => url.clone(),
        }
    }

    /// A handle on the store: another process, as far as leases go.
    async fn open(&self) -> TaskStore {
        self.open_with(DEFAULT_LEASE_TTL).await
    }

    async fn open_with(&self, ttl: Duration) -> TaskStore {
        TaskStore::open_with(&self.location(), StoreOptions::default().lease_ttl(ttl))
            .await
            .unwrap()
    }
}

macro_rules! conformance {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $test() {
                    super::$test(&super::Place::sqlite()).await;
                }
            )*
        }
        #[cfg(feature = "postgres")]
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $test() {
                    let Some(place) = super::Place::postgres(stringify!($test)) else { return };
                    super::$test(&place).await;
                }
            )*
        }
        #[cfg(feature = "postgres")]
        mod pgbouncer_transaction {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $test() {
                    let mode = throwaway_postgres::PoolMode::Transaction;
                    let Some(place) = super::Place::pgbouncer(stringify!($test), mode) else { return };
                    super::$test(&place).await;
                }
            )*
        }
        #[cfg(feature = "postgres")]
        mod pgbouncer_session {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $test() {
                    let mode = throwaway_postgres::PoolMode::Session;
                    let Some(place) = super::Place::pgbouncer(stringify!($test), mode) else { return };
                    super::$test(&place).await;
                }
            )*
        }
    };
}

conformance!(
    a_new_record_is_written_with_its_holder_before_anything_else,
    a_held_record_is_busy_for_others_and_free_once_released,
    only_one_of_many_concurrent_claims_wins,
    an_expired_lease_is_taken_over_and_its_holder_is_fenced_off,
    a_holder_taken_over_learns_it_at_its_next_renewal,
    a_task_id_is_recorded_even_by_a_holder_that_lost_the_record,
    a_renewal_extends_the_leases_still_held_and_names_them,
    statuses_are_recorded_when_they_change,
    the_end_is_recorded_with_the_length_and_frees_the_record,
    lists_select_by_state_batch_and_recency,
    a_status_seen_from_outside_is_recorded_on_an_unheld_record,
    everything_written_is_there_when_the_store_is_opened_again,
    the_lease_of_a_holder_seen_gone_is_taken_at_once,
    a_task_id_is_found_only_on_its_own_service_and_its_own_accounts_first,
);

fn new_task(key: &str) -> NewTask {
    NewTask {
        key: key.into(),
        request_hash: "hash-1".into(),
        prompt: Some("a cat".into()),
        output: Some(PathBuf::from("/videos/cat.mp4")),
        last_frame: None,
        base_url: "https://www.anyfast.ai".into(),
        account: Some("acct-1".into()),
        batch: None,
        line: None,
    }
}

async fn held(store: &TaskStore, key: &str, new: Option<NewTask>) -> (TaskRecord, Lease) {
    match store.claim(key, new).await.unwrap() {
        Claim::Held(record, lease) => (record, lease),
        Claim::Busy(record) => panic!("{key} is busy: {record:?}"),
        Claim::Missing => panic!("{key} is missing"),
    }
}

async fn busy(store: &TaskStore, key: &str) -> TaskRecord {
    match store.claim(key, None).await.unwrap() {
        Claim::Busy(Some(record)) => record,
        Claim::Busy(None) => panic!("{key} is being written"),
        Claim::Held(record, _) => panic!("{key} was claimed: {record:?}"),
        Claim::Missing => panic!("{key} is missing"),
    }
}

/// Takes `key` from the holder of lease `from`, as a claimer that saw it gone does.
async fn take_over(store: &TaskStore, key: &str, from: &str) -> Claimed {
    let me = owner::me();
    let args = ClaimArgs {
        lease: LeaseToken {
            key: key.into(),
            id: owner::new_lease_id(),
            host: me.host.clone(),
            pid: me.pid,
            scope: me.scope.clone(),
        },
        new: None,
        ttl: DEFAULT_LEASE_TTL,
        take_from: Some(from.to_string()),
    };
    store.inner.backend.claim(args).await.unwrap()
}

async fn a_new_record_is_written_with_its_holder_before_anything_else(place: &Place) {
    let store = place.open().await;
    let (record, lease) = held(&store, "k1", Some(new_task("k1"))).await;
    assert_eq!(record.state, TaskState::Sending);
    assert_eq!(record.claims, 1, "written by this claim");
    assert_eq!(record.task_id, None);
    let holder = record.current_holder().expect("held");
    assert_eq!(
        (holder.host.as_str(), holder.pid),
        (owner::me().host.as_str(), std::process::id())
    );
    assert!(
        holder
            .lease_left()
            .is_some_and(|left| left <= DEFAULT_LEASE_TTL)
    );
    assert_eq!(holder.lease.as_deref(), Some(lease.id()));
    let read = store.get("k1").await.unwrap().unwrap();
    assert_eq!(
        (
            read.prompt.as_deref(),
            read.output,
            read.account.as_deref(),
            read.request_hash.as_str()
        ),
        (
            Some("a cat"),
            Some(PathBuf::from("/videos/cat.mp4")),
            Some("acct-1"),
            "hash-1"
        )
    );
    assert_eq!(store.get("nothing").await.unwrap(), None);
}

async fn a_held_record_is_busy_for_others_and_free_once_released(place: &Place) {
    let (one, two) = (place.open().await, place.open().await);
    let (_, lease) = held(&one, "k1", Some(new_task("k1"))).await;
    let seen = busy(&two, "k1").await;
    let holder = seen.current_holder().expect("held by the first");
    assert_eq!(holder.pid, std::process::id());
    assert!(holder.lease_left().is_some());
    assert!(matches!(
        two.claim("k1", Some(new_task("k1"))).await.unwrap(),
        Claim::Busy(_)
    ));
    lease.release().await.unwrap();
    let (record, _) = held(&two, "k1", None).await;
    assert_eq!(record.claims, 2);
    assert_eq!(record.state, TaskState::Sending, "a claim changes no state");
    assert_eq!(record.previous_lease, None, "released: nothing left behind");
    assert!(matches!(
        two.claim("nothing", None).await.unwrap(),
        Claim::Missing
    ));
}

async fn only_one_of_many_concurrent_claims_wins(place: &Place) {
    let mut handles = Vec::new();
    for _ in 0..6 {
        handles.push(place.open().await);
    }
    for round in 0..10 {
        let key = format!("race-{round}");
        let claims = handles
            .iter()
            .map(|store| store.claim(&key, Some(new_task(&key))));
        let results = futures_util::future::join_all(claims).await;
        let mut leases = Vec::new();
        let mut won = 0;
        for result in results {
            match result.unwrap() {
                Claim::Held(record, lease) => {
                    won += 1;
                    assert_eq!(record.claims, 1);
                    leases.push(lease);
                }
                Claim::Busy(record) => {
                    assert!(record.is_none_or(|record| record.current_holder().is_some()))
                }
                Claim::Missing => panic!("a claim with a new record never finds nothing"),
            }
        }
        assert_eq!(won, 1, "round {round}");
    }
}

async fn an_expired_lease_is_taken_over_and_its_holder_is_fenced_off(place: &Place) {
    let store = place.open().await;
    // A holder that died: its lease is in the store, and nobody renews it.
    let me = owner::me();
    let dead = LeaseToken {
        key: "k1".into(),
        id: owner::new_lease_id(),
        host: "host-a".into(),
        pid: 4_000_000,
        scope: Some("another-machine".into()),
    };
    let claim = ClaimArgs {
        lease: dead.clone(),
        new: Some(new_task("k1")),
        ttl: MIN_LEASE_TTL,
        take_from: None,
    };
    assert!(matches!(
        store.inner.backend.claim(claim).await.unwrap(),
        Claimed::Held(_)
    ));
    let seen = busy(&store, "k1").await;
    assert_eq!(
        seen.current_holder().map(ToString::to_string).as_deref(),
        Some("pid 4000000 on host-a")
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let (record, lease) = loop {
        match store.claim("k1", None).await.unwrap() {
            Claim::Held(record, lease) => break (record, lease),
            _ if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(50)).await,
            _ => panic!("the expired lease was never taken over"),
        }
    };
    assert_eq!(record.previous_lease.as_deref(), Some(dead.id.as_str()));
    assert_eq!(record.claims, 2);
    assert_eq!(record.current_holder().unwrap().pid, me.pid);
    let stale = Change::State {
        state: TaskState::Waiting,
        error: None,
        task_id: None,
    };
    assert_eq!(
        store.inner.backend.write(&dead, stale).await,
        Err(StoreError::LeaseLost),
        "the old holder's writes are fenced off"
    );
    let fresh = Change::State {
        state: TaskState::Waiting,
        error: None,
        task_id: None,
    };
    lease.write(fresh).await.unwrap();
}

async fn a_holder_taken_over_learns_it_at_its_next_renewal(place: &Place) {
    let (one, two) = (place.open().await, place.open().await);
    let (_, lease) = held(&one, "k1", Some(new_task("k1"))).await;
    assert!(matches!(
        take_over(&two, "k1", lease.id()).await,
        Claimed::Held(_)
    ));
    lease::renew_once(&one.inner).await;
    let lost = tokio::time::timeout(Duration::from_secs(5), lease.lost())
        .await
        .expect("the holder is told");
    assert_eq!(lost, Lost::TakenOver);
}

async fn a_task_id_is_recorded_even_by_a_holder_that_lost_the_record(place: &Place) {
    let (one, two) = (place.open().await, place.open().await);
    let (_, lease) = held(&one, "k1", Some(new_task("k1"))).await;
    assert!(matches!(
        take_over(&two, "k1", lease.id()).await,
        Claimed::Held(_)
    ));
    // The create was on its way when the lease was lost; its answer still names the task, and
    // is written as a fact (the holder is told it no longer holds the record).
    let created = Change::Created {
        task_id: "cgt-1".into(),
        assets: vec!["asset-1".into()],
        state: TaskState::Created,
    };
    assert_eq!(lease.write(created).await, Err(StoreError::NotHeld));
    let record = two.get("k1").await.unwrap().unwrap();
    assert_eq!(
        (record.task_id.as_deref(), record.state),
        (Some("cgt-1"), TaskState::Created)
    );
    assert_eq!(record.assets, ["asset-1"]);
    let again = Change::Created {
        task_id: "cgt-2".into(),
        assets: vec![],
        state: TaskState::Created,
    };
    assert_eq!(
        lease.write(again).await,
        Err(StoreError::LeaseLost),
        "but only once"
    );
}

async fn a_renewal_extends_the_leases_still_held_and_names_them(place: &Place) {
    let (one, two) = (place.open().await, place.open().await);
    let (_, first) = held(&one, "k1", Some(new_task("k1"))).await;
    let (_, second) = held(&one, "k2", Some(new_task("k2"))).await;
    let tokens = one.inner.held.tokens();
    assert_eq!(tokens.len(), 2);
    let mut renewed = one
        .inner
        .backend
        .renew(tokens.clone(), DEFAULT_LEASE_TTL)
        .await
        .unwrap();
    renewed.sort();
    let mut both = vec![first.id().to_string(), second.id().to_string()];
    both.sort();
    assert_eq!(renewed, both);
    assert!(matches!(
        take_over(&two, "k2", second.id()).await,
        Claimed::Held(_)
    ));
    let renewed = one
        .inner
        .backend
        .renew(tokens, DEFAULT_LEASE_TTL)
        .await
        .unwrap();
    assert_eq!(renewed, [first.id().to_string()]);
}

async fn statuses_are_recorded_when_they_change(place: &Place) {
    let store = place.open().await;
    let (_, lease) = held(&store, "k1", Some(new_task("k1"))).await;
    for (status, progress) in [
        ("queued", 0),
        ("queued", 0),
        ("running", 40),
        ("running", 40),
    ] {
        drop(lease.write(Change::Status {
            status: status.into(),
            progress,
        }));
    }
    store.flush().await.unwrap();
    let seen: Vec<(String, u8)> = store
        .statuses("k1")
        .await
        .unwrap()
        .into_iter()
        .map(|seen| (seen.status, seen.progress))
        .collect();
    assert_eq!(
        seen,
        [("queued".to_string(), 0), ("running".to_string(), 40)]
    );
    let record = store.get("k1").await.unwrap().unwrap();
    assert_eq!(
        (record.status.as_deref(), record.progress),
        (Some("running"), Some(40))
    );
}

async fn the_end_is_recorded_with_the_length_and_frees_the_record(place: &Place) {
    let store = place.open().await;
    let (_, lease) = held(&store, "k1", Some(new_task("k1"))).await;
    let created = Change::Created {
        task_id: "cgt-9".into(),
        assets: vec![],
        state: TaskState::Created,
    };
    lease.write(created).await.unwrap();
    lease
        .finish(TaskState::Done, None, Some(28_123))
        .await
        .unwrap();
    let record = store
        .find_task("cgt-9", "https://www.anyfast.ai")
        .await
        .unwrap()
        .expect("found by its task id");
    assert_eq!(record.key, "k1");
    assert_eq!(
        (record.state, record.output_bytes),
        (TaskState::Done, Some(28_123))
    );
    assert!(record.current_holder().is_none(), "released");
    assert_eq!(
        record.holder.as_ref().map(|holder| holder.pid),
        Some(std::process::id()),
        "its last holder is kept"
    );
    let (again, _) = held(&store, "k1", None).await;
    assert_eq!(again.previous_lease, None);
    assert_eq!(
        store
            .find_task("cgt-0", "https://www.anyfast.ai")
            .await
            .unwrap(),
        None
    );
}

/// Task ids are only unique per service: the same id on two services (a mock's ids repeat
/// within a second) is two tasks, each found only through its own service; of one service's,
/// the account's own record is found first.
async fn a_task_id_is_found_only_on_its_own_service_and_its_own_accounts_first(place: &Place) {
    let store = place.open().await;
    let record = |key: &str, base_url: &str, account: &str| NewTask {
        base_url: base_url.into(),
        account: Some(account.into()),
        ..new_task(key)
    };
    for (key, base_url, account) in [
        ("mine", "http://127.0.0.1:1111", "acct-1"),
        ("other-service", "http://127.0.0.1:2222", "acct-1"),
        ("other-account", "http://127.0.0.1:1111", "acct-2"),
    ] {
        let (_, lease) = held(&store, key, Some(record(key, base_url, account))).await;
        let created = Change::Created {
            task_id: "cgt-1-mock00001".into(),
            assets: vec![],
            state: TaskState::Created,
        };
        lease.write(created).await.unwrap();
        lease.release().await.unwrap();
    }
    let found = |base_url: &'static str, account: Option<&'static str>| {
        let store = store.clone();
        async move {
            store
                .find_task_of("cgt-1-mock00001", base_url, account)
                .await
                .unwrap()
                .map(|record| record.key)
        }
    };
    assert_eq!(
        found("http://127.0.0.1:1111", Some("acct-1"))
            .await
            .as_deref(),
        Some("mine")
    );
    assert_eq!(
        found("http://127.0.0.1:1111", Some("acct-2"))
            .await
            .as_deref(),
        Some("other-account")
    );
    assert_eq!(
        found("http://127.0.0.1:2222", Some("acct-2"))
            .await
            .as_deref(),
        Some("other-service"),
        "another account's record of the service, when it has no other"
    );
    assert_eq!(found("http://127.0.0.1:3333", Some("acct-1")).await, None);
}

async fn lists_select_by_state_batch_and_recency(place: &Place) {
    let store = place.open().await;
    for (line, state) in [
        (1, TaskState::Done),
        (2, TaskState::Failed),
        (3, TaskState::Waiting),
    ] {
        let key = format!("line-{line}");
        let mut new = new_task(&key);
        new.batch = Some("b-1".into());
        new.line = Some(line);
        let (_, lease) = held(&store, &key, Some(new)).await;
        lease
            .write(Change::Created {
                task_id: format!("cgt-{line}"),
                assets: vec![],
                state: TaskState::Created,
            })
            .await
            .unwrap();
        lease.finish(state, None, None).await.unwrap();
    }
    let (_, _unfinished) = held(&store, "alone", Some(new_task("alone"))).await;
    let keys = |records: Vec<TaskRecord>| {
        records
            .into_iter()
            .map(|record| record.key)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        keys(store.list(&TaskQuery::all()).await.unwrap()),
        ["line-1", "line-2", "line-3", "alone"]
    );
    assert_eq!(
        keys(store.list(&TaskQuery::unfinished()).await.unwrap()),
        ["line-3", "alone"]
    );
    assert_eq!(
        keys(
            store
                .list(&TaskQuery::all().batch("b-1").states([TaskState::Failed]))
                .await
                .unwrap()
        ),
        ["line-2"]
    );
    assert_eq!(store.list(&TaskQuery::recent(2)).await.unwrap().len(), 2);
    let batch = store.list(&TaskQuery::all().batch("b-1")).await.unwrap();
    assert_eq!(
        batch.iter().map(|record| record.line).collect::<Vec<_>>(),
        [Some(1), Some(2), Some(3)]
    );
}

async fn a_status_seen_from_outside_is_recorded_on_an_unheld_record(place: &Place) {
    let store = place.open().await;
    let (_, lease) = held(&store, "k1", Some(new_task("k1"))).await;
    lease.release().await.unwrap();
    store.record_status("k1", "running", 10);
    store.flush().await.unwrap();
    let record = store.get("k1").await.unwrap().unwrap();
    assert_eq!(
        (record.status.as_deref(), record.progress),
        (Some("running"), Some(10))
    );
}

async fn everything_written_is_there_when_the_store_is_opened_again(place: &Place) {
    {
        let store = place.open().await;
        let (_, lease) = held(&store, "k1", Some(new_task("k1"))).await;
        lease
            .write(Change::Created {
                task_id: "cgt-1".into(),
                assets: vec![],
                state: TaskState::Created,
            })
            .await
            .unwrap();
        drop(lease.write(Change::Status {
            status: "queued".into(),
            progress: 0,
        }));
        drop(lease);
        store.flush().await.unwrap();
    }
    let store = place.open().await;
    let record = store.get("k1").await.unwrap().unwrap();
    assert_eq!(
        (record.task_id.as_deref(), record.status.as_deref()),
        (Some("cgt-1"), Some("queued"))
    );
    assert!(
        record.current_holder().is_none(),
        "a dropped lease is released"
    );
}

async fn the_lease_of_a_holder_seen_gone_is_taken_at_once(place: &Place) {
    let me = owner::me();
    if me.scope.is_none() {
        return; // No /proc: only expiry tells, which another test covers.
    }
    let mut exited = std::process::Command::new("true").spawn().unwrap();
    let pid = exited.id();
    exited.wait().unwrap();
    let store = place.open().await;
    let gone = LeaseToken {
        key: "k1".into(),
        id: owner::new_lease_id(),
        host: me.host.clone(),
        pid,
        scope: me.scope.clone(),
    };
    let claim = ClaimArgs {
        lease: gone.clone(),
        new: Some(new_task("k1")),
        ttl: Duration::from_secs(3600),
        take_from: None,
    };
    assert!(matches!(
        store.inner.backend.claim(claim).await.unwrap(),
        Claimed::Held(_)
    ));
    let (record, _) = held(&store, "k1", None).await;
    assert_eq!(record.previous_lease.as_deref(), Some(gone.id.as_str()));
}

// What each backend has of its own: files and schemas that are not a store, migrations, a
// server that restarts.

/// The first version's journal, as `anyfast-video` 0.2 wrote it.
fn first_journal(path: &std::path::Path) {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection
        .execute_batch(&format!(
            "PRAGMA journal_mode = WAL; BEGIN; {} PRAGMA user_version = 1; COMMIT;",
            FIRST_SCHEMA
        ))
        .unwrap();
    connection
        .execute(
            "INSERT INTO tasks (key, task_id, state, request_hash, prompt, output, base_url, created_at, updated_at)
             VALUES ('old-key', 'cgt-old', 'waiting', 'h', 'an old cat', '/videos/old.mp4', 'https://www.anyfast.ai', 1, 1)",
            [],
        )
        .unwrap();
}

/// The first version's schema (as `sqlite::schema` migrates from it).
const FIRST_SCHEMA: &str = "
    CREATE TABLE tasks (key TEXT PRIMARY KEY, task_id TEXT, state TEXT NOT NULL, status TEXT,
        progress INTEGER, request_hash TEXT NOT NULL, prompt TEXT, output TEXT, last_frame TEXT,
        base_url TEXT NOT NULL, batch TEXT, line INTEGER, assets TEXT, error TEXT,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
    CREATE INDEX tasks_by_task_id ON tasks (task_id);
    CREATE INDEX tasks_by_batch ON tasks (batch, line);
    CREATE TABLE statuses (key TEXT NOT NULL, at INTEGER NOT NULL, status TEXT NOT NULL, progress INTEGER);
    CREATE INDEX statuses_by_key ON statuses (key);";

fn refusal(result: Result<TaskStore, Error>) -> String {
    match result {
        Err(Error::Store { detail, .. }) => detail,
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_a_first_version_journal_is_upgraded_in_place_and_keeps_its_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    first_journal(&path);
    let store = TaskStore::sqlite(&path).await.unwrap();
    let record = store.get("old-key").await.unwrap().unwrap();
    assert_eq!(
        (record.task_id.as_deref(), record.state),
        (Some("cgt-old"), TaskState::Waiting)
    );
    assert_eq!(record.prompt.as_deref(), Some("an old cat"));
    assert!(record.current_holder().is_none() && record.account.is_none());
    let (claimed, _) = held(&store, "old-key", Some(new_task("old-key"))).await;
    assert_eq!(
        claimed.claims, 2,
        "an old record is not mistaken for a new one"
    );
    drop(store);
    let connection = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    let application: i64 = connection
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .unwrap();
    assert_eq!((version, application), (2, 0x6166_7664));
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_files_that_are_not_a_store_are_refused_and_left_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "my shopping list\n").unwrap();
    let why = refusal(TaskStore::sqlite(&text).await);
    assert!(
        why.contains("is not an SQLite database") && why.contains("my shopping list"),
        "{why}"
    );
    assert_eq!(std::fs::read(&text).unwrap(), b"my shopping list\n");

    let other = dir.path().join("other.sqlite");
    {
        let connection = rusqlite::Connection::open(&other).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE photos (id INTEGER, data BLOB); CREATE TABLE albums (id INTEGER);",
            )
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    let why = refusal(TaskStore::sqlite(&other).await);
    assert!(
        why.contains("another program")
            && why.contains("albums, photos")
            && why.contains("nothing in it was changed"),
        "{why}"
    );
    assert!(!why.contains("CREATE"), "no schema dump: {why}");
    assert_eq!(std::fs::read(&other).unwrap(), before, "not a byte changed");
    assert!(
        !dir.path().join("other.sqlite-wal").exists(),
        "its journal mode was not switched to WAL"
    );
    let connection = rusqlite::Connection::open(&other).unwrap();
    let mode: String = connection
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_a_store_of_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tasks.sqlite");
    drop(TaskStore::sqlite(&path).await.unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 9")
        .unwrap();
    let why = refusal(TaskStore::sqlite(&path).await);
    assert!(
        why.contains("newer anyfast-video") && why.contains("schema 9"),
        "{why}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_processes_opening_a_new_file_at_once_all_get_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().join("tasks.sqlite").display().to_string();
    let opens = (0..6).map(|_| TaskStore::open(&location));
    for opened in futures_util::future::join_all(opens).await {
        opened.unwrap();
    }
}

#[cfg(feature = "postgres")]
mod postgres_own {
    use super::*;

    async fn client(url: &str) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_schema_that_is_not_a_store_is_refused_and_left_as_it_was() {
        let Some(cluster) = throwaway_postgres::required("the PostgreSQL store's tests") else {
            return;
        };
        let url = cluster.create_database("foreign").unwrap();
        let client = client(&url).await;
        client
            .batch_execute("CREATE SCHEMA anyfast_video; CREATE TABLE anyfast_video.orders (id INT); INSERT INTO anyfast_video.orders VALUES (7);")
            .await
            .unwrap();
        let why = refusal(TaskStore::open(&url).await);
        assert!(
            why.contains("not an anyfast-video task store") && why.contains("orders"),
            "{why}"
        );
        let tables: i64 = client
            .query_one("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'anyfast_video'", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(tables, 1, "nothing was created beside it");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_store_of_a_newer_version_is_refused_and_replicas_starting_together_migrate_once() {
        let Some(cluster) = throwaway_postgres::required("the PostgreSQL store's tests") else {
            return;
        };
        let url = cluster.create_database("versions").unwrap();
        let opens = (0..5).map(|_| TaskStore::open(&url));
        for opened in futures_util::future::join_all(opens).await {
            opened.unwrap();
        }
        client(&url)
            .await
            .batch_execute("UPDATE anyfast_video.store SET version = 9")
            .await
            .unwrap();
        let why = refusal(TaskStore::open(&url).await);
        assert!(
            why.contains("newer anyfast-video") && why.contains("schema 9"),
            "{why}"
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_restarted_server_is_reconnected_to_and_nothing_is_lost() {
        if throwaway_postgres::required("the PostgreSQL store's tests").is_none() {
            return;
        }
        // A cluster of its own: this test stops it.
        let cluster = throwaway_postgres::Cluster::start(&[("fsync", "off")]).unwrap();
        let url = cluster.create_database("restart").unwrap();
        let store = TaskStore::open(&url).await.unwrap();
        let (_, lease) = held(&store, "k1", Some(new_task("k1"))).await;
        cluster.stop().unwrap();
        // Queued while the server is down: written once it is back.
        let created = lease.write(Change::Created {
            task_id: "cgt-1".into(),
            assets: vec![],
            state: TaskState::Created,
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        cluster.start_again().unwrap();
        created.await.unwrap();
        let (record, _) = held(&store, "k2", Some(new_task("k2"))).await;
        assert_eq!(record.claims, 1);
        let first = store.get("k1").await.unwrap().unwrap();
        assert_eq!(first.task_id.as_deref(), Some("cgt-1"));
    }
}
