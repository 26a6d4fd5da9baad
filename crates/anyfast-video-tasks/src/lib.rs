//! Durable anyfast video tasks: a task store with leases, so that no billed task is lost or
//! made twice when a process stops, restarts, or runs beside others.
//!
//! [`anyfast_video`] makes videos; this crate makes them survive. [`Tasks`] pairs a client
//! with a [`TaskStore`] (an SQLite file, or PostgreSQL for several machines) and runs each
//! task under a record and a lease:
//!
//! - the record is written *before* the create is sent, keyed by the create's
//!   `Idempotency-Key` with a fingerprint of the request, and then holds the task's id, each
//!   status, where its files go and how it ended (the API key is never stored, only a
//!   fingerprint of it to tell accounts apart);
//! - a lease says which process works on the record: claimed atomically, renewed while it
//!   works, fenced on every write, taken over when its holder dies; a record held by a live
//!   process is waited for or skipped, never worked on twice;
//! - [`Tasks::recover`] finishes what stopped processes left (at start-up, and every lease
//!   period), and the same idempotency key never pays twice.
//!
//! ```no_run
//! use anyfast_video::{Client, VideoRequest};
//! use anyfast_video_tasks::{RecoverOptions, TaskOptions, TaskStore, Tasks};
//!
//! # async fn run() -> Result<(), anyfast_video_tasks::Error> {
//! let client = Client::from_env()?;
//! let store = TaskStore::open("tasks.sqlite").await?; // or "postgres://app@db.internal/videos"
//! let tasks = Tasks::new(client, store);
//! tasks.recover(RecoverOptions::default()).await?;
//! // A job delivered twice (to two replicas, or after a restart) makes one task, one video:
//! let options = TaskOptions::default().idempotency_key("order-1042");
//! let finished = tasks.generate(VideoRequest::text("a cat"), "order-1042.mp4", options).await?;
//! println!("{} {:?}", finished.task_id, finished.action);
//! # Ok(())
//! # }
//! ```
//!
//! # Inside
//!
//! `store` is the store (one public type over an SQLite and a PostgreSQL backend, and the
//! leases); `record` its vocabulary (records, states, holders); `fingerprint` what a record
//! knows its request by; `owner` who this process is (host, pid, whether a holder is gone);
//! `flow` one task under a lease from wherever its record stands; `tasks` the facade;
//! `options` and `error` what goes in and comes out.
//!
//! # Features
//!
//! `sqlite` (default): rusqlite with SQLite built in, nothing to run. `postgres`:
//! tokio-postgres with rustls, for several processes on several machines.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod fingerprint;
mod flow;
mod options;
mod owner;
mod record;
pub mod store;
mod tasks;

pub use error::Error;
pub use fingerprint::{FINGERPRINT_FORM, fingerprint};
pub use options::{Action, Finished, IfHeld, Outputs, TaskOptions};
pub use record::{Holder, StatusSeen, TaskQuery, TaskRecord, TaskState};
pub use store::{StoreOptions, TaskStore};
pub use tasks::{RecoverOptions, Recovered, Tasks};
