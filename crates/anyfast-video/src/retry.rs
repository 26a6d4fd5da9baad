//! The one retry engine: when to try a call again, and how long to wait first. Creates,
//! queries, waits and downloads all decide with it.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::error::Error;

/// How calls are retried. Queries and downloads are retried on 429, 408, 5xx, connection
/// failures, timeouts and unreadable answers. A create is retried only when its request
/// provably was not processed (connection refused, 429), unless
/// [`RetryPolicy::retry_uncertain_creates`] opts in.
///
/// The wait before retry `n` (0-based) is a random duration between half and all of
/// `initial_backoff × 2ⁿ` (capped at `max_backoff`), or the server's `Retry-After` if longer.
///
/// ```
/// use anyfast_video::RetryPolicy;
/// use std::time::Duration;
///
/// let policy = RetryPolicy::default();
/// assert_eq!(policy.max_retries, 4);
/// let wait = policy.backoff(2, None);
/// assert!(wait >= Duration::from_secs(1) && wait <= Duration::from_secs(2));
/// assert_eq!(policy.backoff(0, Some(Duration::from_secs(9))), Duration::from_secs(9));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 4).
    pub max_retries: u32,
    /// The base of the exponential backoff (default 500 ms).
    pub initial_backoff: Duration,
    /// The longest backoff (default 30 s).
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured (default 5 minutes); a longer one ends the retries.
    pub max_retry_after: Duration,
    /// Also retry a create whose request may have reached the server (a timeout, a 5xx, a
    /// dropped connection, an unreadable answer). Off by default: such a create may have made
    /// (and billed) a task, and anyfast may ignore the `Idempotency-Key` header that each retry
    /// repeats.
    pub retry_uncertain_creates: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(300),
            retry_uncertain_creates: false,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn never() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (0-based), given the server's `Retry-After`.
    pub fn backoff(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_backoff);
        let jittered = exponential.mul_f64(0.5 + fastrand::f64() * 0.5);
        retry_after.map_or(jittered, |asked| asked.max(jittered))
    }
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Try again after this long.
    RetryAfter(Duration),
    /// Stop trying, for this reason.
    GiveUp(GiveUp),
}

/// Why the retries of a call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GiveUp {
    /// Every retry the policy allows was spent.
    Exhausted { retries: u32 },
    /// The server asked to wait longer than the policy honours.
    RetryAfterTooLong { limit: Duration },
}

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GiveUp::Exhausted { retries } => write!(f, "gave up after {retries} retries"),
            GiveUp::RetryAfterTooLong { limit } => write!(
                f,
                "the server's Retry-After is longer than the policy's limit of {} s",
                limit.as_secs()
            ),
        }
    }
}

/// The failures of one call so far, and what the policy makes of the next one.
#[derive(Debug)]
pub(crate) struct Backoff<'a> {
    policy: &'a RetryPolicy,
    failures: u32,
}

impl<'a> Backoff<'a> {
    pub fn new(policy: &'a RetryPolicy) -> Self {
        Backoff {
            policy,
            failures: 0,
        }
    }

    /// After one more failure: how long to wait before the next attempt, or why not to make
    /// one.
    pub fn after_failure(&mut self, retry_after: Option<Duration>) -> Decision {
        if retry_after.is_some_and(|asked| asked > self.policy.max_retry_after) {
            return Decision::GiveUp(GiveUp::RetryAfterTooLong {
                limit: self.policy.max_retry_after,
            });
        }
        if self.failures >= self.policy.max_retries {
            return Decision::GiveUp(GiveUp::Exhausted {
                retries: self.policy.max_retries,
            });
        }
        Decision::RetryAfter(self.pause(retry_after))
    }

    /// After one more failure of a call that retries without a limit of its own (a wait,
    /// bounded by its deadline): how long to pause.
    pub fn pause(&mut self, retry_after: Option<Duration>) -> Duration {
        let wait = self.policy.backoff(self.failures, retry_after);
        self.failures = self.failures.saturating_add(1);
        wait
    }

    /// The call made progress: later failures count from zero again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

/// What an error says about the request that caused it having been processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Processed {
    /// Certainly not (connection refused, 429): safe to send again, even a create.
    No,
    /// Perhaps (timeout, 408, 5xx, lost connection, unreadable answer): safe to repeat only
    /// what is idempotent.
    Perhaps,
    /// Yes, and retrying cannot help (4xx other than 408 and 429, validation, configuration,
    /// a failed task).
    Finally,
}

impl Processed {
    pub fn of(error: &Error) -> Processed {
        match error {
            Error::RateLimited { .. } => Processed::No,
            Error::Transport { source, .. } if source.is_connect() => Processed::No,
            Error::Transport { .. } | Error::InvalidResponse { .. } => Processed::Perhaps,
            Error::Api {
                status: 408 | 500..=599,
                ..
            } => Processed::Perhaps,
            _ => Processed::Finally,
        }
    }
}

/// The rule of calls that change nothing (queries, lists, downloads): tried again whenever
/// another try may help.
pub(crate) fn idempotent(error: &Error) -> bool {
    Processed::of(error) != Processed::Finally
}

/// The rule of calls that make something (a create, an upload): tried again only when the
/// request provably was not processed.
pub(crate) fn only_if_not_processed(error: &Error) -> bool {
    Processed::of(error) == Processed::No
}

/// How long the server asked to wait (`Retry-After` in whole seconds; the HTTP-date form is
/// not used by this service).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// One try: the caller decides itself what to do with a failure (the poll loop does).
pub(crate) fn once(_: &Error) -> bool {
    false
}

/// Runs `attempt` until it succeeds, fails with an error `retry_if` refuses, or the policy
/// gives up; returns the last result.
pub(crate) async fn retrying<T, Fut>(
    policy: &RetryPolicy,
    mut retry_if: impl FnMut(&Error) -> bool,
    mut attempt: impl FnMut() -> Fut,
) -> Result<T, Error>
where
    Fut: Future<Output = Result<T, Error>>,
{
    let mut backoff = Backoff::new(policy);
    loop {
        let error = match attempt().await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        if !retry_if(&error) {
            return Err(error);
        }
        match backoff.after_failure(error.retry_after()) {
            Decision::GiveUp(_) => return Err(error),
            Decision::RetryAfter(wait) => {
                tracing::debug!(wait_ms = wait.as_millis() as u64, %error, "retrying");
                tokio::time::sleep(wait).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_within_jitter_and_is_capped() {
        let policy = RetryPolicy::default();
        for _ in 0..100 {
            let first = policy.backoff(0, None);
            assert!(first >= Duration::from_millis(250) && first <= Duration::from_millis(500));
            let capped = policy.backoff(20, None);
            assert!(capped >= Duration::from_secs(15) && capped <= Duration::from_secs(30));
        }
    }

    fn api_error(status: u16) -> Error {
        Error::Api {
            status,
            code: None,
            message: String::new(),
            request_id: None,
            task_id: None,
            retry_after: Some(Duration::from_secs(2)),
        }
    }

    #[test]
    fn every_5xx_and_408_leave_processing_uncertain() {
        for status in [408, 500, 501, 502, 503, 504, 505, 520, 524, 529, 599] {
            assert_eq!(
                Processed::of(&api_error(status)),
                Processed::Perhaps,
                "{status}"
            );
        }
        for status in [400, 401, 403, 404, 409, 422] {
            assert_eq!(
                Processed::of(&api_error(status)),
                Processed::Finally,
                "{status}"
            );
        }
    }

    #[test]
    fn a_backoff_gives_up_after_its_retries_or_at_a_long_retry_after_and_restarts_on_progress() {
        let policy = RetryPolicy {
            max_retries: 2,
            ..RetryPolicy::default()
        };
        let mut backoff = Backoff::new(&policy);
        assert!(matches!(
            backoff.after_failure(None),
            Decision::RetryAfter(_)
        ));
        assert!(matches!(
            backoff.after_failure(None),
            Decision::RetryAfter(_)
        ));
        assert_eq!(
            backoff.after_failure(None),
            Decision::GiveUp(GiveUp::Exhausted { retries: 2 })
        );
        backoff.reset();
        assert!(matches!(
            backoff.after_failure(None),
            Decision::RetryAfter(_)
        ));
        assert_eq!(
            backoff.after_failure(Some(Duration::from_secs(3600))),
            Decision::GiveUp(GiveUp::RetryAfterTooLong {
                limit: Duration::from_secs(300)
            })
        );
        assert_eq!(
            backoff.after_failure(Some(Duration::from_secs(7))),
            Decision::RetryAfter(Duration::from_secs(7))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn retries_stop_at_the_limit_and_at_a_refused_error() {
        let policy = RetryPolicy {
            max_retries: 2,
            ..RetryPolicy::default()
        };
        let mut calls = 0;
        let result: Result<(), Error> = retrying(
            &policy,
            |_| true,
            || {
                calls += 1;
                async { Err(Error::Config("x".into())) }
            },
        )
        .await;
        assert!(result.is_err());
        assert_eq!(calls, 3);

        let mut calls = 0;
        let _ = retrying::<(), _>(
            &policy,
            |_| false,
            || {
                calls += 1;
                async { Err(Error::Config("x".into())) }
            },
        )
        .await;
        assert_eq!(calls, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_after_beyond_the_limit_is_not_waited_for() {
        let mut calls = 0;
        let _ = retrying::<(), _>(
            &RetryPolicy::default(),
            |_| true,
            || {
                calls += 1;
                async {
                    Err(Error::RateLimited {
                        retry_after: Some(Duration::from_secs(3600)),
                        message: String::new(),
                        task_id: None,
                    })
                }
            },
        )
        .await;
        assert_eq!(calls, 1);
    }
}
