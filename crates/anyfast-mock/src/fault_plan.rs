//! The fault plan: which of the faults in force fire on a given request, with a seeded
//! generator behind `rate=` triggers so that a run can be repeated.

use std::time::Duration;

use crate::faults::{Fault, FaultKind, Trigger};
use crate::route::Route;

/// What the faults decided for one request.
#[derive(Clone, Debug, Default)]
pub(crate) struct Decision {
    /// The summed latency of every latency fault that fired.
    pub latency: Duration,
    /// The first other fault that fired.
    pub outcome: Option<FaultKind>,
}

/// The faults in force, and the generator behind `rate=` triggers.
#[derive(Debug)]
pub(crate) struct FaultPlan {
    faults: Vec<Fault>,
    random: fastrand::Rng,
}

impl FaultPlan {
    pub fn new(faults: Vec<Fault>, seed: u64) -> Self {
        FaultPlan {
            faults,
            random: fastrand::Rng::with_seed(seed),
        }
    }

    pub fn add(&mut self, fault: Fault) {
        self.faults.push(fault);
    }

    pub fn clear(&mut self) {
        self.faults.clear();
    }

    /// Decides the faults of one request to `route`, spending `next=` counts.
    pub fn decide(&mut self, route: Route) -> Decision {
        let mut decision = Decision::default();
        for fault in &mut self.faults {
            if fault.route.is_some_and(|target| target != route) {
                continue;
            }
            let is_latency = matches!(fault.kind, FaultKind::Latency(_));
            // Only one outcome can answer a request; a later one keeps its `next=` count for
            // the requests after.
            if !is_latency && decision.outcome.is_some() {
                continue;
            }
            let fires = match fault.trigger {
                Trigger::Always => true,
                Trigger::Next(0) => false,
                Trigger::Next(left) => {
                    fault.trigger = Trigger::Next(left - 1);
                    true
                }
                Trigger::Rate(rate) => self.random.f64() < rate,
            };
            if !fires {
                continue;
            }
            match &fault.kind {
                FaultKind::Latency(delay) => decision.latency += *delay,
                other => decision.outcome = Some(other.clone()),
            }
        }
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_n_fires_n_times_on_its_route_only() {
        let mut plan = FaultPlan::new(
            vec![Fault::next(Route::Get, 2, FaultKind::DropConnection)],
            1,
        );
        assert_eq!(plan.decide(Route::Create).outcome, None);
        assert_eq!(
            plan.decide(Route::Get).outcome,
            Some(FaultKind::DropConnection)
        );
        assert_eq!(
            plan.decide(Route::Get).outcome,
            Some(FaultKind::DropConnection)
        );
        assert_eq!(plan.decide(Route::Get).outcome, None);
    }

    #[test]
    fn latencies_add_up_and_the_first_outcome_wins() {
        let mut plan = FaultPlan::new(
            vec![
                Fault::new(None, FaultKind::Latency(Duration::from_millis(5))),
                Fault::next(Route::Get, 1, FaultKind::MalformedJson),
                Fault::next(Route::Get, 1, FaultKind::TruncateBody),
                Fault::new(
                    Some(Route::Get),
                    FaultKind::Latency(Duration::from_millis(7)),
                ),
            ],
            1,
        );
        let first = plan.decide(Route::Get);
        assert_eq!(first.latency, Duration::from_millis(12));
        assert_eq!(first.outcome, Some(FaultKind::MalformedJson));
        // The truncation did not fire with the malformed body, so it is still due.
        assert_eq!(
            plan.decide(Route::Get).outcome,
            Some(FaultKind::TruncateBody)
        );
    }

    #[test]
    fn a_rate_fires_about_that_often_and_repeats_for_a_seed() {
        let run = |seed| {
            let mut plan = FaultPlan::new(
                vec![Fault::new(None, FaultKind::DropConnection).trigger(Trigger::Rate(0.3))],
                seed,
            );
            (0..10_000)
                .map(|_| plan.decide(Route::Get).outcome.is_some())
                .collect::<Vec<bool>>()
        };
        let fired = run(42).iter().filter(|fired| **fired).count();
        assert!((2_700..3_300).contains(&fired), "{fired}");
        assert_eq!(run(42), run(42), "the same seed fires on the same requests");
        assert_ne!(run(42), run(43), "another seed fires on others");
    }
}
