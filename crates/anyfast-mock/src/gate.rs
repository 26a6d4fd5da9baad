//! The gateway's per-key concurrency gate: with a limit, a request beyond that many in flight is
//! answered 429 `token_concurrency_limit_reached` without being processed, as anyfast's
//! gateway does. Off by default.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many requests are being processed, and how many may be.
#[derive(Debug, Default)]
pub(crate) struct ConcurrencyGate {
    limit: Option<usize>,
    inside: AtomicUsize,
}

/// A request inside the gate; leaves it when dropped.
pub(crate) struct Inside<'a>(&'a AtomicUsize);

impl Drop for Inside<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl ConcurrencyGate {
    pub fn new(limit: Option<usize>) -> ConcurrencyGate {
        ConcurrencyGate {
            limit,
            inside: AtomicUsize::new(0),
        }
    }

    /// Lets a request in, unless the limit is reached.
    pub fn enter(&self) -> Option<Inside<'_>> {
        let now = self.inside.fetch_add(1, Ordering::SeqCst);
        let inside = Inside(&self.inside);
        match self.limit {
            Some(limit) if now >= limit => None,
            _ => Some(inside),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_beyond_the_limit_are_turned_away_and_those_who_left_make_room() {
        let gate = ConcurrencyGate::new(Some(2));
        let (first, second) = (gate.enter(), gate.enter());
        assert!(first.is_some() && second.is_some());
        assert!(gate.enter().is_none());
        drop(first);
        assert!(gate.enter().is_some());
        assert!(ConcurrencyGate::new(None).enter().is_some());
    }
}
