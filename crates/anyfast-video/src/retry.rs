//! When to try a call again, and how long to wait first.

use std::time::Duration;

use crate::Error;

/// How calls are retried. Queries and downloads are retried on 429, 5xx, connection failures
/// and timeouts. A create is retried only when its request provably was not processed
/// (connection refused, 429), unless [`RetryPolicy::retry_uncertain_creates`] opts in.
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
    /// dropped connection). Off by default: such a create may have made (and billed) a task,
    /// and anyfast may ignore the `Idempotency-Key` header that each retry repeats.
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

    /// The wait before retry number `retry` (0-based).
    pub fn backoff(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_backoff);
        let jittered = exponential.mul_f64(0.5 + fastrand::f64() * 0.5);
        retry_after.map_or(jittered, |asked| asked.max(jittered))
    }
}

/// What an error says about the request that caused it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The server did not process it (connection refused, 429): safe to send again.
    NotProcessed { retry_after: Option<Duration> },
    /// It may have been processed (timeout, 5xx, connection lost, unreadable 200).
    Uncertain { retry_after: Option<Duration> },
    /// Retrying cannot help (4xx other than 429, validation, configuration).
    Final,
}

impl Outcome {
    pub fn of(error: &Error) -> Outcome {
        match error {
            Error::RateLimited { retry_after, .. } => Outcome::NotProcessed {
                retry_after: *retry_after,
            },
            Error::Transport { source, .. } if source.is_connect() => {
                Outcome::NotProcessed { retry_after: None }
            }
            Error::Transport { .. } | Error::InvalidResponse { .. } => {
                Outcome::Uncertain { retry_after: None }
            }
            Error::Api {
                status: 408 | 500..=599,
                retry_after,
                ..
            } => Outcome::Uncertain {
                retry_after: *retry_after,
            },
            _ => Outcome::Final,
        }
    }

    /// How long to wait before retrying a call that is safe to repeat, if it should be.
    pub fn retry_after_for_idempotent(self) -> Option<Option<Duration>> {
        match self {
            Outcome::NotProcessed { retry_after } | Outcome::Uncertain { retry_after } => {
                Some(retry_after)
            }
            Outcome::Final => None,
        }
    }
}

/// Runs `attempt` until it succeeds, fails finally, or retries run out. `retryable` decides
/// from an error whether (and after what `Retry-After`) to go again.
pub(crate) async fn retrying<T, F, Fut>(
    policy: &RetryPolicy,
    retryable: impl Fn(&Error) -> Option<Option<Duration>>,
    mut attempt: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let mut retry = 0;
    loop {
        let error = match attempt().await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let Some(retry_after) = retryable(&error) else {
            return Err(error);
        };
        if retry >= policy.max_retries
            || retry_after.is_some_and(|asked| asked > policy.max_retry_after)
        {
            return Err(error);
        }
        let wait = policy.backoff(retry, retry_after);
        tracing::debug!(retry = retry + 1, wait_ms = wait.as_millis() as u64, %error, "retrying");
        tokio::time::sleep(wait).await;
        retry += 1;
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

    fn api_error(status: u16, retry_after: Option<Duration>) -> Error {
        Error::Api {
            status,
            code: None,
            message: String::new(),
            request_id: None,
            task_id: None,
            retry_after,
        }
    }

    #[test]
    fn every_5xx_and_408_leave_the_outcome_uncertain_with_their_retry_after() {
        for status in [408, 500, 501, 502, 503, 504, 505, 520, 524, 529, 599] {
            assert_eq!(
                Outcome::of(&api_error(status, Some(Duration::from_secs(2)))),
                Outcome::Uncertain {
                    retry_after: Some(Duration::from_secs(2))
                },
                "{status}"
            );
        }
        for status in [400, 401, 403, 404, 409, 422] {
            assert_eq!(
                Outcome::of(&api_error(status, None)),
                Outcome::Final,
                "{status}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retries_stop_at_the_limit_and_at_a_final_error() {
        let policy = RetryPolicy {
            max_retries: 2,
            ..RetryPolicy::default()
        };
        let mut calls = 0;
        let result: Result<(), Error> = retrying(
            &policy,
            |_| Some(None),
            || {
                calls += 1;
                async { Err(Error::Config("x".into())) }
            },
        )
        .await;
        assert!(result.is_err());
        assert_eq!(calls, 3);

        let mut calls = 0;
        let _ = retrying::<(), _, _>(
            &policy,
            |_| None,
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
        let policy = RetryPolicy::default();
        let mut calls = 0;
        let _ = retrying::<(), _, _>(
            &policy,
            |_| Some(Some(Duration::from_secs(3600))),
            || {
                calls += 1;
                async { Err(Error::Config("x".into())) }
            },
        )
        .await;
        assert_eq!(calls, 1);
    }
}
