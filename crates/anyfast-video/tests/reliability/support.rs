//! What the sections share: clients with short timeouts and quick retries, and mocks.

use std::time::Duration;

use anyfast_mock::{MockConfig, MockServer};
use anyfast_video::{Client, RetryPolicy, WaitOptions};

pub const KEY: &str = "sk-reliability-0123456789abcdef";

/// Short timeouts, so that "slower than the timeout" takes half a second, and retries that
/// wait milliseconds.
pub fn client(mock: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(mock.base_url())
        .create_timeout(Duration::from_millis(600))
        .request_timeout(Duration::from_millis(600))
        .download_read_timeout(Duration::from_millis(600))
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            ..RetryPolicy::default()
        })
        .build()
        .expect("a client")
}

pub fn quick_wait() -> WaitOptions {
    WaitOptions::default()
        .poll_interval(Duration::from_millis(20))
        .max_poll_interval(Duration::from_millis(50))
        .timeout(Duration::from_secs(30))
}

pub async fn mock(config: MockConfig) -> MockServer {
    MockServer::start(config).await.expect("the mock starts")
}

/// The peak resident set of this process so far, in MiB (`VmHWM`).
pub fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}
