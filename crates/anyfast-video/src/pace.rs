//! One pace for every call of a client: when the service answers 429, every call waits until
//! the time it asked for (or a short pause) before sending, instead of each call discovering
//! the limit on its own. A batch of hundreds of tasks then backs off together.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The pause after a 429 that named no `Retry-After`.
const DEFAULT_PAUSE: Duration = Duration::from_secs(1);
/// The longest pause a 429 can impose on every call (a longer `Retry-After` is left to the
/// retry policy of the call that received it).
const MAX_PAUSE: Duration = Duration::from_secs(60);

/// Shared by every clone of a client.
#[derive(Debug, Default)]
pub(crate) struct Pacer {
    not_before: Mutex<Option<Instant>>,
}

impl Pacer {
    /// Waits until calls may be sent again.
    pub async fn ready(&self) {
        let until = *self.not_before.lock().expect("pacer");
        if let Some(until) = until
            && until > Instant::now()
        {
            tokio::time::sleep_until(until).await;
        }
    }

    /// The service answered 429: hold every call back for `retry_after` (or a second).
    pub fn rate_limited(&self, retry_after: Option<Duration>) {
        let pause = retry_after.unwrap_or(DEFAULT_PAUSE).min(MAX_PAUSE);
        let until = Instant::now() + pause;
        let mut not_before = self.not_before.lock().expect("pacer");
        if not_before.is_none_or(|current| current < until) {
            *not_before = Some(until);
        }
        tracing::debug!(
            pause_ms = pause.as_millis() as u64,
            "rate limited: every call waits"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_429_holds_every_call_back_for_its_retry_after_and_no_longer() {
        let pacer = Pacer::default();
        let started = Instant::now();
        pacer.ready().await;
        assert_eq!(started.elapsed(), Duration::ZERO);
        pacer.rate_limited(Some(Duration::from_secs(3)));
        pacer.rate_limited(Some(Duration::from_secs(1)));
        pacer.ready().await;
        assert_eq!(
            started.elapsed(),
            Duration::from_secs(3),
            "the longer pause wins"
        );
        pacer.rate_limited(Some(Duration::from_secs(3600)));
        pacer.ready().await;
        assert_eq!(
            started.elapsed(),
            Duration::from_secs(63),
            "capped at a minute"
        );
    }
}
