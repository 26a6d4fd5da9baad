//! How many API requests a client has in flight at most: a bound that the gateway's per-key
//! concurrency gate lowers (429 `token_concurrency_limit_reached`: half as many) and successes
//! raise again (one more after as many successes in a row as the bound), up to the bound the
//! client was built with. Waiting longer does not help such a 429; sending fewer at once does.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{Semaphore, SemaphorePermit};

/// Shared by every clone of a client.
#[derive(Debug)]
pub(crate) struct InFlight {
    slots: Semaphore,
    most: usize,
    state: Mutex<Bound>,
    /// Slots to take away as requests end (lowering the bound while they run).
    owed: AtomicUsize,
}

#[derive(Debug)]
struct Bound {
    now: usize,
    successes: usize,
}

/// A request's slot; given back (or taken away, when the bound was lowered) when dropped.
pub(crate) struct Slot<'a> {
    permit: Option<SemaphorePermit<'a>>,
    owed: &'a AtomicUsize,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let Some(permit) = self.permit.take() else {
            return;
        };
        let paid = self
            .owed
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |owed| {
                owed.checked_sub(1)
            });
        if paid.is_ok() {
            permit.forget();
        }
    }
}

impl InFlight {
    pub fn new(most: usize) -> InFlight {
        let most = most.max(1);
        InFlight {
            slots: Semaphore::new(most),
            most,
            state: Mutex::new(Bound {
                now: most,
                successes: 0,
            }),
            owed: AtomicUsize::new(0),
        }
    }

    /// Waits for a slot.
    pub async fn slot(&self) -> Slot<'_> {
        let permit = self
            .slots
            .acquire()
            .await
            .expect("the semaphore is never closed");
        Slot {
            permit: Some(permit),
            owed: &self.owed,
        }
    }

    /// The gateway refused a request for the key's concurrency: half as many at once.
    pub fn too_many(&self) {
        let mut bound = self.state.lock().expect("in-flight bound");
        let lower = (bound.now / 2).max(1);
        let cut = bound.now - lower;
        bound.now = lower;
        bound.successes = 0;
        drop(bound);
        // Free slots go at once; the others as their requests end.
        let forgotten = self.slots.forget_permits(cut);
        self.owed.fetch_add(cut - forgotten, Ordering::SeqCst);
        tracing::debug!(
            at_most = lower,
            "the key's concurrency is limited: fewer requests at once"
        );
    }

    /// A request succeeded: after as many successes in a row as the bound, one more at once.
    pub fn succeeded(&self) {
        let mut bound = self.state.lock().expect("in-flight bound");
        if bound.now >= self.most {
            return;
        }
        bound.successes += 1;
        if bound.successes >= bound.now {
            bound.successes = 0;
            bound.now += 1;
            drop(bound);
            let repaid = self
                .owed
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |owed| {
                    owed.checked_sub(1)
                });
            if repaid.is_err() {
                self.slots.add_permits(1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl InFlight {
        /// The bound now.
        fn bound(&self) -> usize {
            self.state.lock().expect("in-flight bound").now
        }
    }

    #[tokio::test]
    async fn a_concurrency_refusal_halves_the_bound_and_successes_raise_it_again() {
        let in_flight = InFlight::new(8);
        let held: Vec<Slot<'_>> =
            futures_util::future::join_all((0..6).map(|_| in_flight.slot())).await;
        in_flight.too_many();
        assert_eq!(in_flight.bound(), 4);
        drop(held);
        // 4 slots now: a fifth waits.
        let four: Vec<Slot<'_>> =
            futures_util::future::join_all((0..4).map(|_| in_flight.slot())).await;
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(20), in_flight.slot())
                .await
                .is_err()
        );
        drop(four);
        for _ in 0..4 {
            in_flight.succeeded();
        }
        assert_eq!(in_flight.bound(), 5);
        let five: Vec<Slot<'_>> =
            futures_util::future::join_all((0..5).map(|_| in_flight.slot())).await;
        assert_eq!(five.len(), 5);
        drop(five);
        for _ in 0..3 {
            in_flight.too_many();
        }
        assert_eq!(in_flight.bound(), 1, "never below one");
    }
}
