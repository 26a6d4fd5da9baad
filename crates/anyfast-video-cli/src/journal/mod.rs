//! The task journal: an SQLite database (WAL mode) that records every task the command line
//! creates, so that no task is lost when the process is killed and none is made twice.
//!
//! A row is written *before* a create is sent (state `sending`, with the request's hash and
//! the create's idempotency key), then updated with the task's id, each status seen, where
//! its video goes, and how it ended. `tasks` lists the rows, `resume` finishes the unfinished
//! ones, `batch` skips, resumes or creates each line by its row. The API key is never stored.

mod location;
mod store;
mod writer;

use std::sync::Arc;

pub use location::{Location, locate};
pub use store::{Entry, Journal, NewEntry, State};

/// Reports a journal write that failed after a create was sent: a warning, never fatal (the
/// task goes on either way, and its id is printed).
pub fn warn_unrecorded(error: &rusqlite::Error) {
    eprintln!("warning: the task journal could not be updated: {error}");
}

/// The journal of one command, if any, and the key of the task it is about: every write does
/// nothing without a journal, so that commands need not ask.
#[derive(Clone, Debug)]
pub struct Tracker {
    journal: Option<Arc<Journal>>,
    key: String,
}

impl Tracker {
    pub fn new(journal: Option<Arc<Journal>>, key: String) -> Self {
        Tracker { journal, key }
    }

    /// The idempotency key of the task's create: the row's key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The journal, if there is one.
    pub fn journal(&self) -> Option<&Journal> {
        self.journal.as_deref()
    }

    /// Queues `write` on the journal, if there is one. A write after the create was sent is
    /// never fatal: the task goes on either way, its id is printed, and an error is reported
    /// as a warning.
    pub fn write(&self, write: impl FnOnce(&Journal, &str)) {
        if let Some(journal) = &self.journal {
            write(journal, &self.key);
        }
    }
}
