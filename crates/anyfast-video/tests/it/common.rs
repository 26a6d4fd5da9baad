//! Shared setup: a mock server and a client pointed at it.

use std::time::Duration;

use anyfast_mock::{MockConfig, MockServer};
use anyfast_video::{Client, GenerateOptions, RetryPolicy, Task, VideoRequest, WaitOptions};

pub const KEY: &str = "sk-live-0123456789abcdef";

/// The variable that runs every test against a drifting mock (`MockConfig::drift`): its
/// value is the drift seed. CI runs the suite once without it and once with it.
pub const DRIFT_ENV: &str = "ANYFAST_MOCK_DRIFT";

/// A mock with `config`, drifting when [`DRIFT_ENV`] is set.
pub async fn mock(config: MockConfig) -> MockServer {
    let config = match drift_seed() {
        Some(seed) => config.drift(seed),
        None => config,
    };
    MockServer::start(config).await.expect("the mock starts")
}

/// A mock with `config`, never drifting: for tests that assert the documented answer itself.
pub async fn exact_mock(config: MockConfig) -> MockServer {
    MockServer::start(config).await.expect("the mock starts")
}

/// The drift seed of this run, if any.
pub fn drift_seed() -> Option<u64> {
    let value = std::env::var(DRIFT_ENV)
        .ok()
        .filter(|value| !value.is_empty())?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{DRIFT_ENV} must be a number, not {value:?}")),
    )
}

/// Retries that wait milliseconds, not seconds.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

pub fn client(mock: &MockServer) -> Client {
    client_for(&mock.base_url(), quick_retries())
}

/// A client with the test key, for `base_url`, retrying by `policy`.
pub fn client_for(base_url: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .retry_policy(policy)
        .build()
        .unwrap()
}

pub fn quick_wait() -> WaitOptions {
    WaitOptions::default()
        .poll_interval(Duration::from_millis(20))
        .max_poll_interval(Duration::from_millis(50))
        .timeout(Duration::from_secs(20))
}

/// `generate` with the quick wait.
pub fn quick_generate() -> GenerateOptions {
    GenerateOptions::default().wait(quick_wait())
}

/// A task for "a cat", just created.
pub async fn created_task(client: &Client) -> Task {
    client
        .videos()
        .create(VideoRequest::text("a cat"))
        .await
        .unwrap()
}

/// A task for "a cat", created and waited for until it succeeded.
pub async fn finished_task(client: &Client) -> Task {
    let task = created_task(client).await;
    client.videos().wait(&task.id, quick_wait()).await.unwrap()
}

/// The partial files (`*.part`) beside `path`: none is left after a download ends, whichever
/// way it ends.
pub fn part_files(path: &std::path::Path) -> Vec<std::path::PathBuf> {
    let folder = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "part"))
        .collect()
}

/// Waits (up to 20 s) until `done` holds.
pub async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}
