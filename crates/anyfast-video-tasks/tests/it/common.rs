//! Shared set-up: a mock, the test key, and conditions waited for.

use std::time::Duration;

use anyfast_mock::{MockConfig, MockServer};

pub const KEY: &str = "sk-live-0123456789abcdef";

/// The variable that runs every test against a drifting mock (`MockConfig::drift`): its
/// value is the drift seed.
const DRIFT_ENV: &str = "ANYFAST_MOCK_DRIFT";

/// A mock with `config`, drifting when [`DRIFT_ENV`] is set.
pub async fn mock(config: MockConfig) -> MockServer {
    let seed = std::env::var(DRIFT_ENV)
        .ok()
        .filter(|value| !value.is_empty())
        .map(|value| value.parse().expect("ANYFAST_MOCK_DRIFT is a number"));
    let config = match seed {
        Some(seed) => config.drift(seed),
        None => config,
    };
    MockServer::start(config).await.expect("the mock starts")
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
