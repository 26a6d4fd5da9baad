//! The PostgreSQL store's own tests, beside the conformance suite: its schema function and
//! stores written before it.

use std::path::PathBuf;

use super::schema;
use crate::store::backend::Change;
use crate::store::{Claim, NewTask, TaskState, TaskStore};

async fn client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

fn new_task(key: &str) -> NewTask {
    NewTask {
        key: key.into(),
        request_hash: "hash-1".into(),
        prompt: Some("a cat".into()),
        output: Some(PathBuf::from("/videos/cat.mp4")),
        last_frame: None,
        base_url: "https://www.anyfast.ai".into(),
        account: Some("acct-1".into()),
        batch: Some("b-1".into()),
        line: Some(7),
    }
}

/// What the version before the function wrote, as it wrote it: its schema (version 1, no
/// function), and a record claimed, created and left held by a process that stopped, written
/// with that version's own statements.
async fn store_of_the_version_before(url: &str) {
    let client = client(url).await;
    client
        .batch_execute(&format!(
            "CREATE SCHEMA anyfast_video; {}
             INSERT INTO anyfast_video.store (application, version)
                 VALUES ('anyfast-video task store', 1);",
            schema::first_migration()
        ))
        .await
        .unwrap();
    // The claim of a fresh record, then its id, exactly as that version sent them (its lease
    // already expired: its holder stopped).
    client
        .batch_execute(
            "INSERT INTO anyfast_video.tasks (key, state, request_hash, prompt, output,
                 last_frame, base_url, account, batch, line, created_at, updated_at,
                 lease, holder_host, holder_pid, holder_scope, lease_until, claims)
             SELECT 'old-key', 'sending', 'hash-1', 'an old cat', '/videos/old.mp4', NULL,
                 'https://www.anyfast.ai', 'acct-1', 'b-1', 3, 1, 1,
                 'old-lease', 'old-host', 4242, NULL, 1000, 1
             WHERE pg_try_advisory_xact_lock(hashtextextended('old-key', 0))
             ON CONFLICT (key) DO NOTHING;
             UPDATE anyfast_video.tasks SET task_id = 'cgt-old', state = 'waiting',
                 assets = '[\"asset-1\"]', error = NULL, updated_at = 2
             WHERE key = 'old-key' AND (lease = 'old-lease'
                   OR (task_id IS NULL AND state IN ('sending', 'unknown')));
             UPDATE anyfast_video.tasks SET status = 'running', progress = 40, updated_at = 2
             WHERE key = 'old-key' AND lease = 'old-lease'
               AND (status IS DISTINCT FROM 'running' OR progress IS DISTINCT FROM 40);
             INSERT INTO anyfast_video.statuses (key, at, status, progress)
                 VALUES ('old-key', 2, 'running', 40);",
        )
        .await
        .unwrap();
}

async fn function_exists(url: &str) -> bool {
    client(url)
        .await
        .query_one(
            "SELECT to_regprocedure('anyfast_video.writes_1(jsonb)') IS NOT NULL",
            &[],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_written_before_the_function_gets_it_and_its_records_are_finished_by_it() {
    let Some(cluster) = throwaway_postgres::required("the PostgreSQL store's tests") else {
        return;
    };
    let url = cluster.create_database("before_function").unwrap();
    store_of_the_version_before(&url).await;
    assert!(!function_exists(&url).await);

    let store = TaskStore::open(&url).await.unwrap();
    assert!(function_exists(&url).await, "opening the store added it");
    let old = store.get("old-key").await.unwrap().unwrap();
    assert_eq!(
        (old.task_id.as_deref(), old.state, old.status.as_deref()),
        (Some("cgt-old"), TaskState::Waiting, Some("running"))
    );
    assert_eq!(old.assets, vec!["asset-1".to_string()]);
    assert_eq!((old.batch.as_deref(), old.line), (Some("b-1"), Some(3)));
    // Its holder's lease expired: the record is taken over through the function, which
    // finishes it.
    let (record, lease) = match store.claim("old-key", None).await.unwrap() {
        Claim::Held(record, lease) => (record, lease),
        _ => panic!("the old record is not claimed"),
    };
    assert_eq!(
        (record.claims, record.previous_lease.as_deref()),
        (2, Some("old-lease"))
    );
    assert_eq!(record.task_id.as_deref(), Some("cgt-old"));
    lease
        .write(Change::Status {
            status: "succeeded".into(),
            progress: 100,
        })
        .await
        .unwrap();
    lease
        .finish(TaskState::Done, None, Some(28_000))
        .await
        .unwrap();
    let done = store.get("old-key").await.unwrap().unwrap();
    assert_eq!(
        (
            done.state,
            done.output_bytes,
            done.current_holder().is_none()
        ),
        (TaskState::Done, Some(28_000), true)
    );
    let statuses: Vec<String> = store
        .statuses("old-key")
        .await
        .unwrap()
        .into_iter()
        .map(|seen| seen.status)
        .collect();
    assert_eq!(statuses, ["running", "succeeded"]);

    // A new record beside it, and the schema's version unchanged: a process of the version
    // before, still running during the upgrade, keeps opening the store.
    match store
        .claim("new-key", Some(new_task("new-key")))
        .await
        .unwrap()
    {
        Claim::Held(record, _) => assert_eq!(record.claims, 1),
        _ => panic!("a new record is not claimed"),
    }
    let version: i32 = client(&url)
        .await
        .query_one("SELECT version FROM anyfast_video.store", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(version, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn replicas_opening_a_store_without_the_function_create_it_once() {
    let Some(cluster) = throwaway_postgres::required("the PostgreSQL store's tests") else {
        return;
    };
    let url = cluster.create_database("function_once").unwrap();
    store_of_the_version_before(&url).await;
    let opens = (0..5).map(|_| TaskStore::open(&url));
    for opened in futures_util::future::join_all(opens).await {
        opened.unwrap();
    }
    assert!(function_exists(&url).await);
}
