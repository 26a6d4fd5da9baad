//! Waiting for a task: the poll cadence, and what ends a wait.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::error::Error;
use crate::retry::{self, Backoff, RetryPolicy};
use crate::task::TaskCallback;
use crate::task::{Task, TaskStatus};

/// The shortest interval between polls, whatever is asked: a zero interval would poll in a
/// busy loop.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_millis(10);

/// How many answers in a row a wait may fail to read before it ends (see
/// [`WaitOptions::max_unreadable_answers`]).
pub const DEFAULT_MAX_UNREADABLE_ANSWERS: u32 = 5;

/// How [`Videos::wait`](crate::Videos::wait) polls, and when it gives up.
///
/// The first poll comes after `poll_interval` (default 10 s), and each later interval is 1.5
/// times the one before, up to `max_poll_interval` (default 15 s, the service's advice while a
/// task runs), each jittered by ±10 %: right after a create the task is known to be pending,
/// and generation takes one to five minutes, so this stays under one query per 10 s of
/// generation and returns at most 15 s after the task ends. [`WaitOptions::poll_at_once`] adds
/// a poll at the start, for a task that may have ended already (one created long ago).
/// Intervals shorter than [`MIN_POLL_INTERVAL`] are raised to it.
///
/// What ends a wait:
/// - the task succeeds (the wait returns it) or fails ([`Error::TaskFailed`]);
/// - an error that retrying cannot help (401, 404, an error in a 200) ends it at once;
/// - **answers it cannot read** (HTML from a proxy, JSON without a status or, for a succeeded
///   task, without a video URL): after `max_unreadable_answers` in a row (default 5) the wait
///   ends with [`Error::InvalidResponse`] naming the task and the last cause, instead of
///   polling a broken answer until the deadline;
/// - the deadline (`timeout`, default 30 minutes): [`Error::WaitTimeout`], with the last status
///   and the last error seen.
///
/// Transient failures (timeouts, 429, 5xx, lost connections) are retried with backoff and
/// `Retry-After` until the deadline; they never end a wait early.
///
/// ```
/// use anyfast_video::WaitOptions;
/// use std::time::Duration;
///
/// let options = WaitOptions::default()
///     .poll_interval(Duration::from_secs(5))
///     .poll_at_once(true)
///     .timeout(Duration::from_secs(600))
///     .on_progress(|task| eprintln!("{} {}%", task.status, task.progress));
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct WaitOptions {
    poll_at_once: bool,
    poll_interval: Duration,
    max_poll_interval: Duration,
    timeout: Duration,
    max_unreadable_answers: u32,
    on_progress: Option<TaskCallback>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            poll_at_once: false,
            poll_interval: Duration::from_secs(10),
            max_poll_interval: Duration::from_secs(15),
            timeout: Duration::from_secs(30 * 60),
            max_unreadable_answers: DEFAULT_MAX_UNREADABLE_ANSWERS,
            on_progress: None,
        }
    }
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("poll_at_once", &self.poll_at_once)
            .field("poll_interval", &self.poll_interval)
            .field("max_poll_interval", &self.max_poll_interval)
            .field("timeout", &self.timeout)
            .field("max_unreadable_answers", &self.max_unreadable_answers)
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

impl WaitOptions {
    /// Whether to poll as soon as the wait begins (default no: right after a create there is
    /// nothing new to learn). Set it when waiting for a task made earlier, which may have ended.
    pub fn poll_at_once(mut self, at_once: bool) -> Self {
        self.poll_at_once = at_once;
        self
    }

    /// The first (shortest) interval between polls; at least [`MIN_POLL_INTERVAL`].
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval.max(MIN_POLL_INTERVAL);
        self.max_poll_interval = self.max_poll_interval.max(self.poll_interval);
        self
    }

    /// The longest interval between polls; never shorter than the first.
    pub fn max_poll_interval(mut self, interval: Duration) -> Self {
        self.max_poll_interval = interval.max(self.poll_interval);
        self
    }

    /// How long to wait in all before [`Error::WaitTimeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many unreadable answers in a row end the wait (default 5; at least 1).
    pub fn max_unreadable_answers(mut self, count: u32) -> Self {
        self.max_unreadable_answers = count.max(1);
        self
    }

    /// Called with the task whenever its status or progress changes (and on the first poll).
    pub fn on_progress(mut self, callback: impl Fn(&Task) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(callback));
        self
    }

    /// The progress callback, if one was given (a layer that adds its own calls it too).
    pub fn progress_callback(&self) -> Option<TaskCallback> {
        self.on_progress.clone()
    }

    /// Whether it polls at once.
    pub fn polls_at_once(&self) -> bool {
        self.poll_at_once
    }
}

/// What one readable answer means for a wait.
pub(crate) enum Verdict<T> {
    /// The wait is over: here is the result.
    Done(T),
    /// The wait is over: the thing failed.
    Failed(Error),
    /// Not yet; this is where it stands (for the timeout's message).
    Pending { status: String },
}

/// Waits for task `id` with `query`: until it succeeds, fails, an error ends the wait, or the
/// deadline passes. `on_progress` hears of every change of status or progress.
pub(crate) async fn wait<Q, Fut>(
    id: &str,
    options: &WaitOptions,
    policy: &RetryPolicy,
    query: Q,
) -> Result<Task, Error>
where
    Q: FnMut() -> Fut,
    Fut: Future<Output = Result<Task, Error>>,
{
    let mut last_seen: Option<(TaskStatus, u8)> = None;
    poll_until(id, options, policy, query, |task: Task| {
        let seen = Some((task.status.clone(), task.progress));
        if seen != last_seen {
            if let Some(callback) = &options.on_progress {
                callback(&task);
            }
            last_seen = seen;
        }
        if task.status == TaskStatus::Succeeded {
            Verdict::Done(task)
        } else if task.status.is_failure() {
            Verdict::Failed(failed(&task))
        } else {
            Verdict::Pending {
                status: task.status.to_string(),
            }
        }
    })
    .await
}

/// Polls `id` with `query` until `judge` says the wait is over, an error that retrying cannot
/// help comes, too many answers in a row cannot be read, or the deadline passes. The one
/// polling loop of the crate: tasks and assets wait with it.
pub(crate) async fn poll_until<T, Q, Fut>(
    id: &str,
    options: &WaitOptions,
    policy: &RetryPolicy,
    mut query: Q,
    mut judge: impl FnMut(T) -> Verdict<T>,
) -> Result<T, Error>
where
    Q: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let started = Instant::now();
    let mut cadence = Cadence::new(options);
    let mut backoff = Backoff::new(policy);
    let mut unreadable_in_a_row = 0;
    let mut last_status: Option<String> = None;
    if !options.poll_at_once {
        tokio::time::sleep(cadence.next().min(options.timeout)).await;
    }
    loop {
        // The pause before the next poll, and the error of this one, if it failed.
        let (pause, last_error) = match query().await {
            Ok(answer) => {
                backoff.reset();
                unreadable_in_a_row = 0;
                match judge(answer) {
                    Verdict::Done(done) => return Ok(done),
                    Verdict::Failed(error) => return Err(error),
                    Verdict::Pending { status } => last_status = Some(status),
                }
                (cadence.next(), None)
            }
            Err(error) => {
                let error = error.for_task(id);
                if let Error::InvalidResponse { .. } = error {
                    unreadable_in_a_row += 1;
                    if unreadable_in_a_row >= options.max_unreadable_answers {
                        return Err(unreadable_too_often(id, unreadable_in_a_row, &error));
                    }
                }
                if !retry::idempotent(&error) {
                    return Err(error);
                }
                tracing::debug!(id, %error, "poll failed; trying again");
                // backoff's pause is jittered already, and never shortens a Retry-After.
                let pause = backoff.pause(error.retry_after()).max(cadence.current());
                (pause, Some(error))
            }
        };
        let remaining = options.timeout.saturating_sub(started.elapsed());
        if remaining.is_zero() {
            return Err(Error::WaitTimeout {
                task_id: id.to_string(),
                waited: started.elapsed(),
                status: last_status.unwrap_or_else(|| "unknown".to_string()),
                last_error: last_error.map(Box::new),
            });
        }
        // The last pause is cut short so that one more poll happens at the deadline.
        tokio::time::sleep(pause.min(remaining)).await;
    }
}

/// The error of a task that ended without a video.
pub(crate) fn failed(task: &Task) -> Error {
    let failure = task.failure.as_ref();
    Error::TaskFailed {
        task_id: task.id.clone(),
        reason: failure.map_or_else(|| task.status.to_string(), |f| f.reason.clone()),
        code: failure.and_then(|failure| failure.code.clone()),
    }
}

fn unreadable_too_often(id: &str, count: u32, last: &Error) -> Error {
    let (detail, body) = match last {
        Error::InvalidResponse { detail, body, .. } => (detail.as_str(), body.clone()),
        _ => ("", String::new()),
    };
    Error::InvalidResponse {
        operation: "wait",
        task_id: Some(id.to_string()),
        detail: format!("{count} answers in a row could not be read; the last {detail}"),
        body,
    }
}

/// The intervals between polls of a running task.
struct Cadence {
    interval: Duration,
    max: Duration,
}

impl Cadence {
    fn new(options: &WaitOptions) -> Self {
        Cadence {
            interval: options.poll_interval.max(MIN_POLL_INTERVAL),
            max: options.max_poll_interval.max(MIN_POLL_INTERVAL),
        }
    }

    /// The interval the cadence is at.
    fn current(&self) -> Duration {
        self.interval
    }

    /// The next pause (jittered), growing the interval for the one after.
    fn next(&mut self) -> Duration {
        let pause = jittered(self.interval);
        self.interval = (self.interval.saturating_mul(3) / 2).min(self.max);
        pause
    }
}

/// `interval` ± 10 %, so that many waiting clients do not poll in step.
fn jittered(interval: Duration) -> Duration {
    let tenth = interval / 10;
    (interval - tenth).saturating_add(tenth.mul_f64(2.0 * fastrand::f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_ten_percent_even_for_huge_intervals() {
        for _ in 0..1000 {
            let pause = jittered(Duration::from_secs(10));
            assert!(pause >= Duration::from_secs(9) && pause <= Duration::from_secs(11));
        }
        assert!(jittered(Duration::MAX) >= Duration::MAX - Duration::MAX / 10);
    }

    #[test]
    fn a_zero_interval_is_raised_and_the_cadence_grows_to_its_cap() {
        let options = WaitOptions::default()
            .poll_interval(Duration::ZERO)
            .max_poll_interval(Duration::from_millis(20));
        let mut cadence = Cadence::new(&options);
        assert_eq!(cadence.current(), MIN_POLL_INTERVAL);
        let pauses: Vec<Duration> = (0..4).map(|_| cadence.next()).collect();
        assert!(
            pauses
                .iter()
                .all(|pause| *pause >= Duration::from_millis(9))
        );
        assert_eq!(cadence.current(), Duration::from_millis(20));
    }

    fn task(status: TaskStatus) -> Task {
        Task::new("cgt-1", status).with_video_url("https://v")
    }

    fn unreadable() -> Error {
        Error::InvalidResponse {
            operation: "get",
            task_id: None,
            detail: "answered 200 with an HTML page, not JSON".into(),
            body: "<html>".into(),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn persistent_unreadable_answers_end_the_wait_with_the_id_and_cause() {
        let mut polls = 0;
        let error = wait(
            "cgt-1",
            &WaitOptions::default(),
            &RetryPolicy::default(),
            || {
                polls += 1;
                async { Err::<Task, _>(unreadable()) }
            },
        )
        .await
        .unwrap_err();
        assert_eq!(polls, DEFAULT_MAX_UNREADABLE_ANSWERS);
        assert_eq!(error.task_id(), Some("cgt-1"));
        let text = error.to_string();
        assert!(text.contains("5 answers in a row"), "{text}");
        assert!(text.contains("HTML page"), "{text}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_readable_answer_in_between_restarts_the_count() {
        let mut polls = 0;
        let done = wait(
            "cgt-1",
            &WaitOptions::default(),
            &RetryPolicy::default(),
            || {
                polls += 1;
                let answer = match polls {
                    5 => Ok(task(TaskStatus::Running)),
                    9 => Ok(task(TaskStatus::Succeeded)),
                    _ => Err(unreadable()),
                };
                async move { answer }
            },
        )
        .await
        .unwrap();
        assert_eq!(done.status, TaskStatus::Succeeded);
        assert_eq!(polls, 9);
    }

    #[tokio::test(start_paused = true)]
    async fn a_timeout_carries_the_last_error() {
        let options = WaitOptions::default().timeout(Duration::from_secs(60));
        let error = wait("cgt-1", &options, &RetryPolicy::default(), || async {
            Err::<Task, _>(Error::Api {
                status: 503,
                code: None,
                message: "busy".into(),
                request_id: None,
                task_id: None,
                retry_after: None,
            })
        })
        .await
        .unwrap_err();
        match error {
            Error::WaitTimeout {
                task_id,
                status,
                last_error: Some(last),
                ..
            } => {
                assert_eq!((task_id.as_str(), status.as_str()), ("cgt-1", "unknown"));
                assert!(last.to_string().contains("503"), "{last}");
                assert_eq!(last.task_id(), Some("cgt-1"));
            }
            other => panic!("{other:?}"),
        }
    }
}
