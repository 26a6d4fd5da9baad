//! Written by `cargo xtask drill` as the CLI crate's test `drill` (and removed after), once
//! the spec has gained the ratio '2:1', an optional `frames_per_second` and the operation
//! `list_video_generation_events`, and the client has been regenerated, with nothing else
//! edited: code a user writes against the regenerated crates. It is not a test of the
//! committed workspace, which has none of them.

use anyfast_mock::{MockConfig, MockServer, Route, Timing};
use anyfast_video::{Client, Ratio, VideoRequest};
use serde_json::{Value, json};

const KEY: &str = "sk-drill-0123456789";

fn last_create(mock: &MockServer) -> (Value, Option<u16>) {
    mock.requests()
        .into_iter()
        .rfind(|request| request.route == Route::Create)
        .map(|request| (request.body.unwrap_or_default(), request.status))
        .expect("a create reached the mock")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_new_ratio_and_field_are_sent_typed_and_the_mock_accepts_them() {
    let mock = MockServer::start(MockConfig::default().timing(Timing::Instant))
        .await
        .unwrap();

    // The library: the new enum variant and the new field, both typed.
    let client = Client::builder()
        .api_key(KEY)
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let request = VideoRequest::text("a cat")
        .ratio(Ratio::X21)
        .with_body(|body| body.frames_per_second = Some(24));
    let task = client.videos().create(request).await.unwrap();
    assert!(!task.id.is_empty());
    let (body, status) = last_create(&mock);
    assert_eq!((body["ratio"].clone(), body["frames_per_second"].clone()), (json!("2:1"), json!(24)));
    assert_eq!(status, Some(200), "the mock accepts both");

    // The CLI: --ratio knows the new word, --param reads the new field with its type.
    let cli = env!("CARGO_BIN_EXE_anyfast-video");
    let journal = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(cli)
            .env("ANYFAST_API_KEY", KEY)
            .env("ANYFAST_VIDEO_JOURNAL", journal.path().join("journal.sqlite"))
            .args(["--base-url", &mock.base_url(), "create", "a dog", "--ratio", "2:1"])
            .args(extra)
            .output()
            .unwrap()
    };
    let sent = tokio::task::block_in_place(|| run(&["--param", "frames_per_second=30"]));
    assert!(sent.status.success(), "{}", String::from_utf8_lossy(&sent.stderr));
    let (body, status) = last_create(&mock);
    assert_eq!((body["ratio"].clone(), body["frames_per_second"].clone()), (json!("2:1"), json!(30)));
    assert_eq!(status, Some(200), "the mock accepts both");

    // Typed, not passed through: a word where the spec says integer is refused before sending.
    let creates = mock.requests().iter().filter(|r| r.route == Route::Create).count();
    let refused = tokio::task::block_in_place(|| run(&["--param", "frames_per_second=fast"]));
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("frames_per_second"));
    assert_eq!(mock.requests().iter().filter(|r| r.route == Route::Create).count(), creates);
}

/// A record written before the spec change (by the committed workspace, whose fingerprint of
/// this request is this value: crates/anyfast-video-tasks/tests/it/store.rs checks it there) is
/// redelivered with its key after it: the request's fingerprint has not moved, so the job finds
/// its one task and finishes it, with no `KeyReused`.
#[tokio::test(flavor = "multi_thread")]
async fn a_record_written_before_the_change_is_redelivered_to_its_one_task() {
    use anyfast_video_tasks::{Action, Outputs, TaskOptions, TaskStore, Tasks};
    const BEFORE_THE_CHANGE: &str = "v2:b25ad57237e4f4154d5b1a6b5b5ee554";
    let cat_in_the_rain = || VideoRequest::text("a cat in the rain").duration(8).ratio(Ratio::X169);
    assert_eq!(anyfast_video_tasks::fingerprint(&cat_in_the_rain()).await.unwrap(), BEFORE_THE_CHANGE);

    let mock = MockServer::start(MockConfig::default().timing(Timing::Instant)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = TaskStore::open(dir.path().join("tasks.sqlite").to_str().unwrap()).await.unwrap();
    let client = Client::builder().api_key(KEY).base_url(mock.base_url()).build().unwrap();
    let tasks = Tasks::new(client, store);
    let path = dir.path().join("rain.mp4");
    let options = || TaskOptions::default().idempotency_key("job-7");
    // The record as the version before the change wrote it: its fingerprint, its task.
    let before = options().request_fingerprint(BEFORE_THE_CHANGE);
    tasks.create(cat_in_the_rain(), Outputs::video(&path), before).await.unwrap();
    let finished = tasks.generate(cat_in_the_rain(), &path, options()).await.unwrap();
    assert_eq!(finished.action, Action::Resumed);
    assert_eq!(mock.requests().iter().filter(|r| r.route == Route::Create).count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_new_operation_is_callable_through_the_library_client() {
    let mock = MockServer::start(MockConfig::default().timing(Timing::Instant))
        .await
        .unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(mock.base_url())
        .build()
        .unwrap();
    // The generated operation, on the library's configured client (key, base URL, hooks): the
    // mock does not know it and answers 404, which the generated client reports as the
    // documented 4XX error with its status.
    let result = client
        .api()
        .list_video_generation_events()
        .id("cgt-drill")
        .send()
        .await;
    match result {
        Err(anyfast_video::api::Error::ErrorResponse(answer)) => {
            assert_eq!(answer.status().as_u16(), 404)
        }
        other => panic!("expected the mock's 404 as an ErrorResponse, got {other:?}"),
    }
}
