//! How a task walks from NOT_START to SUCCESS or FAILURE, and how fast.

use std::time::Duration;

use crate::stable_hash::fnv1a;

/// The moments, counted from creation, at which a task changes state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// NOT_START → QUEUED.
    pub queued_after: Duration,
    /// QUEUED → IN_PROGRESS.
    pub started_after: Duration,
    /// IN_PROGRESS → SUCCESS or FAILURE.
    pub finished_after: Duration,
}

/// How fast tasks finish.
///
/// With the `cli` feature it is a clap `ValueEnum` of its three named speeds (`instant`,
/// `fast`, `realistic`); the program's `--timing` also takes a duration for
/// [`Timing::Lasting`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Timing {
    /// Every task has finished when its create returns.
    Instant,
    /// About a second and a half from creation to the end, with each state visible.
    Fast,
    /// Like the real service: 1 to 5 minutes in all (fixed per task id).
    Realistic,
    /// Every task takes this long, each state visible: `Fast` stretched (or shrunk) to this
    /// length. Long ones keep tasks running while a test kills its client mid-batch.
    ///
    /// ```
    /// use anyfast_mock::Timing;
    /// use std::time::Duration;
    ///
    /// let schedule = Timing::Lasting(Duration::from_secs(30)).schedule("cgt-1");
    /// assert_eq!(schedule.queued_after, Duration::from_secs(2));
    /// assert_eq!(schedule.started_after, Duration::from_secs(6));
    /// assert_eq!(schedule.finished_after, Duration::from_secs(30));
    /// ```
    #[cfg_attr(feature = "cli", value(skip))]
    Lasting(Duration),
    /// Your own schedule.
    #[cfg_attr(feature = "cli", value(skip))]
    Custom(Schedule),
}

impl Timing {
    /// The schedule of the task with this id.
    ///
    /// ```
    /// use anyfast_mock::Timing;
    /// use std::time::Duration;
    ///
    /// let realistic = Timing::Realistic.schedule("cgt-1");
    /// assert!(realistic.finished_after >= Duration::from_secs(60));
    /// assert!(realistic.finished_after <= Duration::from_secs(300));
    /// assert_eq!(Timing::Realistic.schedule("cgt-1"), realistic);
    /// assert_eq!(Timing::Instant.schedule("cgt-1").finished_after, Duration::ZERO);
    /// ```
    pub fn schedule(&self, id: &str) -> Schedule {
        match self {
            Timing::Instant => Schedule {
                queued_after: Duration::ZERO,
                started_after: Duration::ZERO,
                finished_after: Duration::ZERO,
            },
            Timing::Fast => FAST,
            Timing::Lasting(total) => {
                // Scaled in nanoseconds, exact for the whole-second lengths people write.
                let scale = |step: Duration| {
                    let nanos = total.as_nanos() * step.as_nanos() / FAST.finished_after.as_nanos();
                    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
                };
                Schedule {
                    queued_after: scale(FAST.queued_after),
                    started_after: scale(FAST.started_after),
                    finished_after: *total,
                }
            }
            Timing::Realistic => {
                let spread = fnv1a(id);
                Schedule {
                    queued_after: Duration::from_secs(2),
                    started_after: Duration::from_secs(5 + spread % 16),
                    finished_after: Duration::from_secs(60 + (spread >> 8) % 241),
                }
            }
            Timing::Custom(schedule) => *schedule,
        }
    }
}

/// The schedule of [`Timing::Fast`], which [`Timing::Lasting`] scales.
const FAST: Schedule = Schedule {
    queued_after: Duration::from_millis(100),
    started_after: Duration::from_millis(300),
    finished_after: Duration::from_millis(1500),
};

/// Where a task is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Accepted, not yet queued.
    NotStarted,
    /// Waiting for a worker.
    Queued,
    /// Being generated; the percentage is 1 to 99.
    InProgress(u8),
    /// Done; the video can be downloaded.
    Succeeded,
    /// Done without a video.
    Failed,
}

impl Phase {
    /// The phase at `elapsed` after creation, for a task that fails or not.
    pub(crate) fn at(schedule: &Schedule, elapsed: Duration, fails: bool) -> Phase {
        if elapsed >= schedule.finished_after {
            return if fails {
                Phase::Failed
            } else {
                Phase::Succeeded
            };
        }
        if elapsed >= schedule.started_after {
            let span = schedule.finished_after - schedule.started_after;
            let done = (elapsed - schedule.started_after).as_secs_f64() / span.as_secs_f64();
            return Phase::InProgress((done * 100.0).clamp(1.0, 99.0) as u8);
        }
        if elapsed >= schedule.queued_after {
            Phase::Queued
        } else {
            Phase::NotStarted
        }
    }

    /// The percentage the service reports.
    pub(crate) fn percent(self) -> u8 {
        match self {
            Phase::NotStarted | Phase::Queued => 0,
            Phase::InProgress(percent) => percent,
            Phase::Succeeded | Phase::Failed => 100,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_walks_through_every_phase_in_order() {
        let schedule = Timing::Fast.schedule("cgt-1");
        let at = |millis| Phase::at(&schedule, Duration::from_millis(millis), false);
        assert_eq!(at(0), Phase::NotStarted);
        assert_eq!(at(150), Phase::Queued);
        assert_eq!(at(300), Phase::InProgress(1));
        assert_eq!(at(900), Phase::InProgress(50));
        assert_eq!(at(1499), Phase::InProgress(99));
        assert_eq!(at(1500), Phase::Succeeded);
        assert_eq!(
            Phase::at(&schedule, Duration::from_secs(9), true),
            Phase::Failed
        );
    }

    #[test]
    fn realistic_schedules_vary_between_one_and_five_minutes() {
        let finishes: Vec<u64> = (0..200)
            .map(|n| {
                Timing::Realistic
                    .schedule(&format!("cgt-{n}"))
                    .finished_after
                    .as_secs()
            })
            .collect();
        assert!(finishes.iter().all(|secs| (60..=300).contains(secs)));
        assert!(finishes.iter().any(|secs| *secs < 120) && finishes.iter().any(|secs| *secs > 240));
    }

    #[test]
    fn a_lasting_task_shows_every_state_for_its_share_of_the_time() {
        let schedule = Timing::Lasting(Duration::from_secs(20)).schedule("cgt-1");
        let at = |secs| Phase::at(&schedule, Duration::from_secs(secs), false);
        assert_eq!(at(0), Phase::NotStarted);
        assert_eq!(at(2), Phase::Queued);
        assert_eq!(at(4), Phase::InProgress(1));
        assert_eq!(at(12), Phase::InProgress(50));
        assert_eq!(at(19), Phase::InProgress(93));
        assert_eq!(at(20), Phase::Succeeded);
        assert_eq!(
            Timing::Lasting(Duration::ZERO).schedule("cgt-1"),
            Timing::Instant.schedule("cgt-1")
        );
    }
}
