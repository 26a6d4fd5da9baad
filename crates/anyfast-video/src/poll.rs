//! Waiting for a task: the poll cadence and what ends a wait.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::retry::Outcome;
use crate::videos::Videos;
use crate::{Error, Task, TaskStatus};

/// What `on_progress` keeps.
type ProgressCallback = Arc<dyn Fn(&Task) + Send + Sync>;

/// How [`Videos::wait`] polls.
///
/// The first poll comes at once; the next after `poll_interval` (default 2 s), and each later
/// interval is 1.5 times the one before, up to `max_poll_interval` (default 15 s, the service's
/// advice while a task runs), each jittered by ±10 %. A `Retry-After` from the server is
/// honoured (up to the deadline). Timeouts, 429,
/// 5xx and lost connections while polling are retried with backoff until `timeout` (default
/// 30 minutes) and never end the wait early.
///
/// ```
/// use anyfast_video::WaitOptions;
/// use std::time::Duration;
///
/// let options = WaitOptions::default()
///     .poll_interval(Duration::from_secs(1))
///     .timeout(Duration::from_secs(600))
///     .on_progress(|task| eprintln!("{} {}%", task.status, task.progress));
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct WaitOptions {
    poll_interval: Duration,
    max_poll_interval: Duration,
    timeout: Duration,
    on_progress: Option<ProgressCallback>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            poll_interval: Duration::from_secs(2),
            max_poll_interval: Duration::from_secs(15),
            timeout: Duration::from_secs(30 * 60),
            on_progress: None,
        }
    }
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("poll_interval", &self.poll_interval)
            .field("max_poll_interval", &self.max_poll_interval)
            .field("timeout", &self.timeout)
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

impl WaitOptions {
    /// The first (shortest) interval between polls.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self.max_poll_interval = self.max_poll_interval.max(interval);
        self
    }

    /// The longest interval between polls.
    pub fn max_poll_interval(mut self, interval: Duration) -> Self {
        self.max_poll_interval = interval.max(self.poll_interval);
        self
    }

    /// How long to wait in all before [`Error::WaitTimeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Called with the task whenever its status or progress changes (and on the first poll).
    pub fn on_progress(mut self, callback: impl Fn(&Task) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(callback));
        self
    }
}

pub(crate) async fn wait(
    videos: Videos<'_>,
    id: &str,
    options: WaitOptions,
) -> Result<Task, Error> {
    let started = Instant::now();
    let retry = &videos.client.inner.retry;
    let mut interval = options.poll_interval;
    let mut failures_in_a_row = 0;
    let mut last_seen: Option<(TaskStatus, u8)> = None;
    loop {
        let pause = match videos.get_once(id).await {
            Ok(task) => {
                failures_in_a_row = 0;
                let seen = Some((task.status.clone(), task.progress));
                if seen != last_seen {
                    if let Some(callback) = &options.on_progress {
                        callback(&task);
                    }
                    last_seen = seen;
                }
                match &task.status {
                    TaskStatus::Succeeded => return Ok(task),
                    TaskStatus::Failed | TaskStatus::Cancelled | TaskStatus::Expired => {
                        let failure = task.failure.clone();
                        return Err(Error::TaskFailed {
                            task_id: task.id,
                            reason: failure
                                .as_ref()
                                .map_or_else(|| task.status.to_string(), |f| f.reason.clone()),
                            code: failure.and_then(|f| f.code),
                        });
                    }
                    _ => {}
                }
                let pause = jittered(interval);
                interval = (interval.saturating_mul(3) / 2).min(options.max_poll_interval);
                pause
            }
            Err(error) => match Outcome::of(&error).retry_after_for_idempotent() {
                Some(retry_after) => {
                    tracing::debug!(task_id = id, %error, "poll failed; trying again");
                    // backoff() is jittered already, and never shortens a Retry-After.
                    let pause = retry.backoff(failures_in_a_row, retry_after).max(interval);
                    failures_in_a_row = failures_in_a_row.saturating_add(1);
                    pause
                }
                None => return Err(error.for_task(id)),
            },
        };
        let remaining = options.timeout.saturating_sub(started.elapsed());
        if remaining.is_zero() {
            let status =
                last_seen.map_or_else(|| "unknown".to_string(), |(status, _)| status.to_string());
            return Err(Error::WaitTimeout {
                task_id: id.to_string(),
                waited: started.elapsed(),
                status,
            });
        }
        // The last pause is cut short so that one more poll happens at the deadline.
        tokio::time::sleep(pause.min(remaining)).await;
    }
}

/// `interval` ± 10 %, so that many waiting clients do not poll in step.
fn jittered(interval: Duration) -> Duration {
    let tenth = interval / 10;
    (interval - tenth).saturating_add(tenth.mul_f64(2.0 * fastrand::f64()))
}

#[cfg(test)]
mod tests {
    use super::jittered;
    use std::time::Duration;

    #[test]
    fn jitter_stays_within_ten_percent_even_for_huge_intervals() {
        for _ in 0..1000 {
            let pause = jittered(Duration::from_secs(10));
            assert!(pause >= Duration::from_secs(9) && pause <= Duration::from_secs(11));
        }
        assert!(jittered(Duration::MAX) >= Duration::MAX - Duration::MAX / 10);
    }
}
