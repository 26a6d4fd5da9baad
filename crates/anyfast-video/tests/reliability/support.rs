//! What the sections share beyond the suites' common set-up: clients with short timeouts.

use std::time::Duration;

use anyfast_mock::{Fault, FaultKind, MockConfig, MockServer, Route, Timing};
use anyfast_video::Client;

pub use crate::common::{KEY, mock, quick_wait};

/// How long a call may take here: short, so that "slower than the timeout" (the faults'
/// [`SLOWER_THAN_THE_TIMEOUT`]) costs seconds, not minutes, yet far longer than a call takes on
/// a machine whose cores are all busy (at 600 ms, creates timed out under
/// `.ci/under-load.sh`).
pub const TIMEOUT: Duration = Duration::from_secs(3);

/// What the latency faults last: twice [`TIMEOUT`].
pub const SLOWER_THAN_THE_TIMEOUT: Duration = Duration::from_secs(6);

/// Short timeouts ([`TIMEOUT`]), and retries that wait milliseconds.
pub fn client(mock: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(mock.base_url())
        .create_timeout(TIMEOUT)
        .request_timeout(TIMEOUT)
        .download_read_timeout(TIMEOUT)
        .retry_policy(crate::common::quick_retries())
        .build()
        .expect("a client")
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

/// A mock in instant timing whose first query answers `get_status` with an HTML page and whose
/// first create is rate limited: a run through it meets an error body and a retry of each kind.
pub fn with_a_failing_query_and_create(get_status: u16) -> MockConfig {
    MockConfig::default()
        .timing(Timing::Instant)
        .fault(Fault::next(
            Route::Get,
            1,
            FaultKind::ServerError {
                status: get_status,
                html: true,
            },
        ))
        .fault(Fault::next(
            Route::Create,
            1,
            FaultKind::RateLimited {
                retry_after_secs: 0,
            },
        ))
}
