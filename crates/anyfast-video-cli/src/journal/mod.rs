//! The task journal: the library's task store (an SQLite file by default, or a PostgreSQL
//! database shared by several machines) in which every task the command line creates is
//! recorded before its create is sent, and finished under a lease, so that no task is lost
//! when the process is killed, none is made twice, and two processes never work on one.
//! `tasks` lists it, `resume` finishes what was left, `batch` shares its lines through it.

mod location;
mod private;

use std::time::Duration;

use anyfast_video_tasks::{StoreOptions, TaskStore};

pub use location::{Location, is_default, locate};

use crate::args::Global;
use crate::exit::Failure;

/// The journal the flags and the environment ask for, opened.
pub async fn open(global: &Global) -> Result<Option<TaskStore>, Failure> {
    let location = locate(global.journal.as_deref(), global.no_journal, global.mock);
    let target = match &location {
        Location::Off => return Ok(None),
        Location::Memory => ":memory:".to_string(),
        Location::File(path) => {
            private::prepare(path, is_default(path)).map_err(|error| {
                Failure::File(format!(
                    "cannot create the task journal {}: {error} (pass --no-journal to go without)",
                    path.display()
                ))
            })?;
            path.to_string_lossy().into_owned()
        }
        Location::Url(url) => url.clone(),
    };
    let options = StoreOptions::default().lease_ttl(Duration::from_secs_f64(global.lease_ttl));
    TaskStore::open_with(&target, options)
        .await
        .map(Some)
        .map_err(|error| {
            Failure::File(format!(
                "cannot open the task journal: {} (pass --no-journal to go without)",
                match error {
                    anyfast_video_tasks::Error::Store { detail, .. } => detail,
                    other => other.to_string(),
                }
            ))
        })
}
