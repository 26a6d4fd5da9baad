//! Tasks on a store: every record state a `generate` can meet, the same key used
//! twice, another process's record, and a service killed with SIGKILL mid-wait whose task a
//! new process recovers without a second create.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::*;
use anyfast_mock::{Fault, FaultKind, MockConfig, MockServer, Route, SAMPLE_VIDEO, Timing};
use anyfast_video::{Client, VideoRequest, WaitOptions};
use anyfast_video_tasks::{
    Action, Error, IfHeld, Outputs, RecoverOptions, TaskOptions, TaskQuery, TaskState, TaskStore,
    Tasks, fingerprint,
};

/// The client's error.
type VideoError = anyfast_video::Error;

fn quick() -> WaitOptions {
    WaitOptions::default()
        .poll_interval(Duration::from_millis(20))
        .max_poll_interval(Duration::from_millis(50))
}

fn options(key: &str) -> TaskOptions {
    TaskOptions::default().idempotency_key(key).wait(quick())
}

fn client_with(mock: &MockServer, store: &TaskStore, key: &str) -> Tasks {
    let client = Client::builder()
        .api_key(key)
        .base_url(mock.base_url())
        .build()
        .unwrap();
    Tasks::new(client, store.clone())
}

async fn sqlite(dir: &Path) -> TaskStore {
    TaskStore::sqlite(dir.join("tasks.sqlite")).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_key_twice_makes_one_task_and_a_lost_video_is_saved_again_without_a_create() {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(dir.path()).await;
    let client = client_with(&mock, &store, KEY);
    let path = dir.path().join("cat.mp4");
    let first = client
        .generate(VideoRequest::text("one cat"), &path, options("order-1"))
        .await
        .unwrap();
    assert_eq!(first.action, Action::Created);
    assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
    let record = store.get("order-1").await.unwrap().unwrap();
    assert_eq!(
        (record.state, record.output_bytes),
        (TaskState::Done, Some(SAMPLE_VIDEO.len() as u64))
    );
    assert_eq!(record.task_id.as_deref(), Some(first.task_id.as_str()));
    assert_eq!(record.prompt.as_deref(), Some("one cat"));

    let again = client
        .generate(VideoRequest::text("one cat"), &path, options("order-1"))
        .await
        .unwrap();
    assert_eq!(
        (again.action, again.task_id.as_str()),
        (Action::AlreadyDone, first.task_id.as_str())
    );
    assert_eq!(mock.count(Route::Create), 1, "never paid twice");

    std::fs::remove_file(&path).unwrap();
    let saved = client
        .generate(VideoRequest::text("one cat"), &path, options("order-1"))
        .await
        .unwrap();
    assert_eq!(saved.action, Action::Resumed);
    assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
    std::fs::write(&path, b"cut short").unwrap();
    let mended = client
        .finish("order-1", None, options("order-1"))
        .await
        .unwrap();
    assert_eq!(
        mended.action,
        Action::Resumed,
        "a file of the wrong length is saved again"
    );
    assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
    assert_eq!(mock.count(Route::Create), 1);
    assert_eq!(part_files(&path), Vec::<PathBuf>::new());
}

/// A copy of a done task saved at a path of the caller's own never moves its record: not to
/// `waiting` while the copy is made (another process reading it then would finish the task
/// again, into the record's folder, which may be another machine's), nor to an error when the
/// copy fails.
#[tokio::test(flavor = "multi_thread")]
async fn an_own_copy_of_a_done_task_leaves_its_record_as_it_was() {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(dir.path()).await;
    let client = client_with(&mock, &store, KEY);
    let saved = dir.path().join("cat.mp4");
    client
        .generate(VideoRequest::text("one cat"), &saved, options("copy-1"))
        .await
        .unwrap();
    let before = store.get("copy-1").await.unwrap().unwrap();
    assert_eq!(before.state, TaskState::Done);

    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let watch = {
        let (store, seen) = (store.clone(), seen.clone());
        move |_: &anyfast_video::Task| {
            let record = tokio::task::block_in_place(|| {
                tokio::runtime::Handle::current().block_on(store.get("copy-1"))
            });
            seen.lock().unwrap().push(record.unwrap().unwrap().state);
        }
    };
    let copy = dir.path().join("my-copy.mp4");
    let finished = client
        .finish(
            "copy-1",
            Some(Outputs::video(&copy)),
            options("copy-1").wait(quick().on_progress(watch)),
        )
        .await
        .unwrap();
    assert_eq!(std::fs::read(&copy).unwrap(), SAMPLE_VIDEO);
    assert_eq!(finished.task_id, before.task_id.clone().unwrap());
    let seen = seen.lock().unwrap().clone();
    assert!(!seen.is_empty());
    assert!(
        seen.iter().all(|state| *state == TaskState::Done),
        "{seen:?}"
    );

    let nowhere = dir.path().join("no-such-folder").join("copy.mp4");
    client
        .finish("copy-1", Some(Outputs::video(&nowhere)), options("copy-1"))
        .await
        .unwrap_err();
    let after = store.get("copy-1").await.unwrap().unwrap();
    assert_eq!(
        (after.state, &after.output),
        (TaskState::Done, &before.output)
    );
    assert_eq!(after.output_bytes, before.output_bytes);
    assert_eq!(mock.count(Route::Create), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_used_for_another_request_is_refused_before_sending() {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(dir.path()).await;
    let client = client_with(&mock, &store, KEY);
    let path = dir.path().join("cat.mp4");
    client
        .generate(VideoRequest::text("a cat"), &path, options("k"))
        .await
        .unwrap();
    let error = client
        .generate(
            VideoRequest::text("a dog"),
            dir.path().join("dog.mp4"),
            options("k"),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::KeyReused { .. }), "{error:?}");
    assert!(error.task_id().is_some(), "{error}");
    assert_eq!(mock.count(Route::Create), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_cut_off_is_never_sent_again_unless_asked_and_then_with_its_key() {
    let mock = mock(
        MockConfig::default()
            .timing(Timing::Instant)
            .fault(Fault::next(
                Route::Create,
                1,
                FaultKind::Latency(Duration::from_secs(30)),
            )),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(dir.path()).await;
    let client = client_with(&mock, &store, KEY);
    let path = dir.path().join("cat.mp4");
    let cut = tokio::time::timeout(
        Duration::from_millis(500),
        client.generate(VideoRequest::text("a cut cat"), &path, options("k")),
    )
    .await;
    assert!(cut.is_err(), "the create was still on its way");
    store.flush().await.unwrap();
    let record = store.get("k").await.unwrap().unwrap();
    assert_eq!(
        record.state,
        TaskState::Sending,
        "recorded before it was sent"
    );
    assert!(
        record.current_holder().is_none(),
        "and released when the work was dropped"
    );

    let error = client
        .generate(VideoRequest::text("a cut cat"), &path, options("k"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Video(VideoError::CreateOutcomeUnknown { ref idempotency_key, .. }) if idempotency_key == "k"),
        "{error:?}"
    );
    assert_eq!(
        store.get("k").await.unwrap().unwrap().state,
        TaskState::Unknown
    );
    assert_eq!(mock.count(Route::Create), 1);

    let retried = client
        .generate(
            VideoRequest::text("a cut cat"),
            &path,
            options("k").retry_unknown_create(true),
        )
        .await
        .unwrap();
    assert_eq!(retried.action, Action::Created);
    assert_eq!(mock.count(Route::Create), 2);
    assert_eq!(
        mock.create_count_for_idempotency_key("k"),
        2,
        "the same key again"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_task_stays_failed_and_another_accounts_task_is_left_to_it() {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(dir.path()).await;
    let client = client_with(&mock, &store, KEY);
    let failing = VideoRequest::text("a failing cat [mock:fail]");
    let error = client
        .generate(failing.clone(), dir.path().join("f.mp4"), options("f"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Video(VideoError::TaskFailed { .. })),
        "{error:?}"
    );
    let again = client
        .generate(failing, dir.path().join("f.mp4"), options("f"))
        .await
        .unwrap_err();
    assert!(
        matches!(again, Error::Video(VideoError::TaskFailed { .. })),
        "{again:?}"
    );
    assert_eq!(again.task_id(), error.task_id());
    assert_eq!(mock.count(Route::Create), 1);

    let other = client_with(&mock, &store, "sk-another-account-key");
    let error = other
        .generate(
            VideoRequest::text("a failing cat [mock:fail]"),
            dir.path().join("f.mp4"),
            options("f"),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::OtherAccount { .. }), "{error:?}");
    assert!(!error.to_string().contains("sk-another"), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_record_another_process_holds_is_skipped_or_waited_for_never_worked_on_twice() {
    let mock = mock(MockConfig::default().timing(Timing::Lasting(Duration::from_secs(2)))).await;
    let dir = tempfile::tempdir().unwrap();
    // Two handles on one file: two processes, as far as leases go.
    let (first, second) = (sqlite(dir.path()).await, sqlite(dir.path()).await);
    let (one, two) = (
        client_with(&mock, &first, KEY),
        client_with(&mock, &second, KEY),
    );
    let path = dir.path().join("cat.mp4");
    let working = tokio::spawn({
        let path = path.clone();
        async move {
            one.generate(VideoRequest::text("a held cat"), &path, options("k"))
                .await
        }
    });
    until("the first holds it and its task is made", || {
        mock.count(Route::Create) == 1
    })
    .await;
    let skipped = two
        .generate(
            VideoRequest::text("a held cat"),
            &path,
            options("k").if_held(IfHeld::Skip),
        )
        .await
        .unwrap_err();
    let Error::HeldElsewhere { holder, .. } = &skipped else {
        panic!("{skipped:?}");
    };
    assert_eq!(holder.pid, std::process::id());
    assert!(
        skipped.to_string().contains("is being finished by pid"),
        "{skipped}"
    );
    let told = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let waited = two
        .generate(
            VideoRequest::text("a held cat"),
            &path,
            options("k").on_held({
                let told = told.clone();
                move |_, _| told.store(true, std::sync::atomic::Ordering::Relaxed)
            }),
        )
        .await
        .unwrap();
    assert!(told.load(std::sync::atomic::Ordering::Relaxed));
    assert_eq!(
        waited.action,
        Action::AlreadyDone,
        "done by the first: nothing left to do"
    );
    assert_eq!(working.await.unwrap().unwrap().action, Action::Created);
    assert_eq!(mock.count(Route::Create), 1);
    assert_eq!(mock.count(Route::Download), 1);
    assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_left_sending_is_marked_unknown_and_reported_once_by_recover() {
    let mock = mock(
        MockConfig::default()
            .timing(Timing::Instant)
            .fault(Fault::next(
                Route::Create,
                1,
                FaultKind::Latency(Duration::from_secs(30)),
            )),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(dir.path()).await;
    let client = client_with(&mock, &store, KEY);
    let cut = tokio::time::timeout(
        Duration::from_millis(500),
        client.generate(
            VideoRequest::text("a lost cat"),
            dir.path().join("c.mp4"),
            options("k"),
        ),
    )
    .await;
    assert!(cut.is_err());
    let recovered = client.recover(RecoverOptions::default()).await.unwrap();
    assert_eq!(recovered.len(), 1);
    assert!(
        matches!(
            recovered[0].result,
            Err(Error::Video(VideoError::CreateOutcomeUnknown { .. }))
        ),
        "{recovered:?}"
    );
    assert!(
        client
            .recover(RecoverOptions::default())
            .await
            .unwrap()
            .is_empty(),
        "once"
    );
    assert_eq!(mock.count(Route::Create), 1);
}

/// The child of the next test: a service that generates with a store, killed mid-wait.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "the child process of a_service_killed_mid_wait_is_finished_by_recover_without_a_second_create"]
async fn child_a_service_that_generates_with_a_store() {
    let (Ok(location), Ok(base_url), Ok(output)) = (
        std::env::var("CHILD_STORE"),
        std::env::var("CHILD_BASE_URL"),
        std::env::var("CHILD_OUTPUT"),
    ) else {
        return;
    };
    let store = TaskStore::open(&location).await.unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .build()
        .unwrap();
    Tasks::new(client, store)
        .generate(
            VideoRequest::text("a service's cat"),
            output,
            options("job-42"),
        )
        .await
        .unwrap();
}

async fn killed_service_is_recovered(location: &str) {
    let mock = mock(MockConfig::default().timing(Timing::Lasting(Duration::from_secs(3)))).await;
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("job-42.mp4");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "store::child_a_service_that_generates_with_a_store",
            "--ignored",
            "--nocapture",
        ])
        .env("CHILD_STORE", location)
        .env("CHILD_BASE_URL", mock.base_url())
        .env("CHILD_OUTPUT", &output)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    until("the child's first poll", || mock.count(Route::Get) >= 1).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!output.exists());

    let store = TaskStore::open(location).await.unwrap();
    let record = store
        .get("job-42")
        .await
        .unwrap()
        .expect("recorded before the create");
    assert_eq!(record.state, TaskState::Waiting);
    assert!(
        record.current_holder().is_some(),
        "the dead child still holds it"
    );
    let client = client_with(&mock, &store, KEY);
    let recovered = client
        .recover(RecoverOptions::default().wait(quick()))
        .await
        .unwrap();
    assert_eq!(recovered.len(), 1, "{recovered:?}");
    let finished = recovered.into_iter().next().unwrap().result.unwrap();
    assert_eq!(
        (finished.action, finished.key.as_str()),
        (Action::Resumed, "job-42")
    );
    assert_eq!(std::fs::read(&output).unwrap(), SAMPLE_VIDEO);
    assert_eq!(mock.count(Route::Create), 1, "no second create");
    let record = store.get("job-42").await.unwrap().unwrap();
    assert_eq!(record.state, TaskState::Done);
    assert!(
        store
            .list(&TaskQuery::unfinished())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(part_files(&output), Vec::<PathBuf>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_killed_mid_wait_is_finished_by_recover_without_a_second_create() {
    let dir = tempfile::tempdir().unwrap();
    killed_service_is_recovered(dir.path().join("tasks.sqlite").to_str().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_on_postgresql_killed_mid_wait_is_finished_by_recover_without_a_second_create() {
    let Some(cluster) = throwaway_postgres::required("the PostgreSQL store's tests") else {
        return;
    };
    killed_service_is_recovered(&cluster.create_database("killed_service").unwrap()).await;
}

/// The fingerprint this version gives `VideoRequest::text("a cat in the rain").duration(8)
/// .ratio(Ratio::X169)`: a record written now holds it. It must never move, whatever the spec
/// gains (`cargo xtask drill` checks the same value after adding an optional field and an enum
/// value: xtask/drill/regenerated.rs).
const CAT_IN_THE_RAIN: &str = "v2:b25ad57237e4f4154d5b1a6b5b5ee554";

fn cat_in_the_rain() -> VideoRequest {
    VideoRequest::text("a cat in the rain")
        .duration(8)
        .ratio(anyfast_video::Ratio::X169)
}

#[tokio::test]
async fn a_requests_fingerprint_is_what_its_caller_set_and_not_how_it_was_built() {
    assert_eq!(
        fingerprint(&cat_in_the_rain()).await.unwrap(),
        CAT_IN_THE_RAIN
    );
    // The same request from the API's JSON, with a null and the field order changed.
    let from_json = VideoRequest::from_json(serde_json::json!({
        "ratio": "16:9", "seed": null, "duration": 8,
        "content": [{"type": "text", "text": "a cat in the rain"}], "model": "seedance-fast",
    }))
    .unwrap();
    assert_eq!(
        fingerprint(&from_json).await.unwrap(),
        fingerprint(&cat_in_the_rain().model("seedance-fast"))
            .await
            .unwrap()
    );
    // Another value, another field, or another input is another request.
    for other in [
        cat_in_the_rain().duration(9),
        cat_in_the_rain().seed(7),
        cat_in_the_rain().prompt("and a dog"),
        cat_in_the_rain()
            .extra("user_tag", serde_json::json!("x"))
            .unwrap(),
    ] {
        assert_ne!(
            fingerprint(&other).await.unwrap(),
            CAT_IN_THE_RAIN,
            "{other:?}"
        );
    }
    // A local file counts by its content, not by its path or what it is sent as.
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one.png"), dir.path().join("two.png"));
    std::fs::write(&one, b"the same bytes").unwrap();
    std::fs::write(&two, b"the same bytes").unwrap();
    let inline = fingerprint(&cat_in_the_rain().first_frame(one.as_path()))
        .await
        .unwrap();
    let uploaded = fingerprint(
        &cat_in_the_rain().first_frame(anyfast_video::MediaSource::upload_as_asset(&two)),
    )
    .await
    .unwrap();
    assert_eq!(inline, uploaded);
    std::fs::write(&two, b"other bytes").unwrap();
    assert_ne!(
        fingerprint(&cat_in_the_rain().first_frame(two.as_path()))
            .await
            .unwrap(),
        inline
    );
}

/// The hash of a request's `Debug` output: how fingerprints were made before their canonical
/// form, and so what records written by earlier versions hold.
fn old_fingerprint(debug: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(debug.as_bytes())
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A job whose record an earlier version wrote (its fingerprint the hash of the request's
/// `Debug` output, under a body type that had one field less: the spec has gained `seed`
/// since) is redelivered with its key after the upgrade: it finds its one task and finishes
/// it, with no `KeyReused`; another request under that key is still refused. A record written
/// by this version keeps its fingerprint (see `CAT_IN_THE_RAIN`).
#[tokio::test(flavor = "multi_thread")]
async fn a_record_written_before_an_upgrade_is_redelivered_with_its_key_to_its_one_task() {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(dir.path()).await;
    let client = client_with(&mock, &store, KEY);
    let debug = format!("{:?}", cat_in_the_rain());
    assert!(debug.contains("seed: None, "), "{debug}");
    let before_the_upgrade = old_fingerprint(&debug.replace("seed: None, ", ""));
    assert_ne!(before_the_upgrade, old_fingerprint(&debug));
    // Version N: the create sent and its id recorded, then the process stopped.
    let path = dir.path().join("rain.mp4");
    let created = client
        .create(
            cat_in_the_rain(),
            Outputs::video(&path),
            options("job-7").request_fingerprint(&before_the_upgrade),
        )
        .await
        .unwrap();
    assert_eq!(
        store.get("job-7").await.unwrap().unwrap().request_hash,
        before_the_upgrade
    );
    // The upgraded service is redelivered the job.
    let finished = client
        .generate(cat_in_the_rain(), &path, options("job-7"))
        .await
        .unwrap();
    assert_eq!(
        (finished.action, finished.task_id.as_str()),
        (Action::Resumed, created.id.as_str())
    );
    assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
    assert_eq!(mock.count(Route::Create), 1);
    let again = client
        .generate(cat_in_the_rain(), &path, options("job-7"))
        .await
        .unwrap();
    assert_eq!(again.action, Action::AlreadyDone);
    let other = client
        .generate(
            VideoRequest::text("a dog"),
            dir.path().join("dog.mp4"),
            options("job-7"),
        )
        .await
        .unwrap_err();
    assert!(matches!(other, Error::KeyReused { .. }), "{other:?}");

    // A record of this version: its fingerprint is the canonical one, and a redelivery finds it.
    let path = dir.path().join("now.mp4");
    client
        .create(cat_in_the_rain(), Outputs::video(&path), options("job-8"))
        .await
        .unwrap();
    assert_eq!(
        store.get("job-8").await.unwrap().unwrap().request_hash,
        CAT_IN_THE_RAIN
    );
    let finished = client
        .generate(cat_in_the_rain(), &path, options("job-8"))
        .await
        .unwrap();
    assert_eq!(finished.action, Action::Resumed);
    assert_eq!(mock.count(Route::Create), 2);
}
