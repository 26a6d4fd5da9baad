//! The task store: a durable record of every task, shared by processes, with leases that say
//! who is working on which.
//!
//! [`Tasks`](crate::Tasks) writes a
//! task's record *before* its create is sent (keyed by the create's `Idempotency-Key`, with a
//! fingerprint of the request), its id once known, each status, where its video goes, and how
//! it ended; the API key is never stored (only a fingerprint, to tell accounts apart). So a
//! service that is restarted mid-wait loses nothing: [`Tasks::recover`](crate::Tasks::recover)
//! finishes what was left, and a second `generate` with the same key finishes or returns the
//! first one instead of paying again.
//!
//! **Leases.** Only the holder of a record's lease creates, polls or downloads its task. A
//! claim is atomic (SQLite: inside an immediate transaction; PostgreSQL: a conditional insert
//! or update of the row `FOR UPDATE SKIP LOCKED` finds); the holder's process renews its
//! leases every third of their time ([`StoreOptions::lease_ttl`], default 30 s) and releases
//! each when done. A lease whose holder died expires, and anyone may then claim it; on the
//! same machine a holder whose process is gone is seen at once. A record held by a live
//! holder is left alone ([`Error::HeldElsewhere`] names it, or
//! the caller waits for it): never worked on twice. Every write of a holder is fenced by its
//! lease, and a holder whose lease was taken over stops.
//!
//! **Backends.** SQLite (feature `sqlite`, on by default: rusqlite with SQLite built in, WAL
//! mode, nothing to run) for one machine; PostgreSQL (feature `postgres`, off by default:
//! tokio-postgres, TLS with rustls) for many. Both pass the same conformance suite.
//!
//! ```no_run
//! use anyfast_video_tasks::store::{TaskQuery, TaskStore};
//!
//! # async fn run() -> Result<(), anyfast_video_tasks::Error> {
//! let store = TaskStore::open("tasks.sqlite").await?; // or "postgres://app@db.internal/videos"
//! for record in store.list(&TaskQuery::recent(20)).await? {
//!     println!("{} {} {:?}", record.key, record.state, record.task_id);
//! }
//! # Ok(())
//! # }
//! ```

// Without a backend there is only the API, which refuses to open anything.
#![cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]

mod backend;
#[cfg(test)]
mod conformance;
mod lease;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::Error;
use crate::owner;
use backend::{Backend, ClaimArgs, Claimed, LeaseToken};

pub(crate) use crate::record::NewTask;
pub use crate::record::{Holder, StatusSeen, TaskQuery, TaskRecord, TaskState};
pub(crate) use backend::{Change, StoreError};
pub(crate) use lease::{Lease, Lost};

/// The shortest lease: renewals come every third of it.
pub const MIN_LEASE_TTL: Duration = Duration::from_millis(300);

/// How long a lease lasts without renewal, by default.
pub const DEFAULT_LEASE_TTL: Duration = Duration::from_secs(30);

/// How a store is opened.
///
/// ```
/// use anyfast_video_tasks::store::StoreOptions;
/// use std::time::Duration;
///
/// let options = StoreOptions::default().lease_ttl(Duration::from_secs(60));
/// # let _ = options;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreOptions {
    lease_ttl: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            lease_ttl: DEFAULT_LEASE_TTL,
        }
    }
}

impl StoreOptions {
    /// How long a lease lasts without renewal (default 30 s): how soon the
    /// tasks of a holder that died on another machine may be taken over (at least
    /// [`MIN_LEASE_TTL`]). Leases are renewed every third of it.
    pub fn lease_ttl(mut self, ttl: Duration) -> Self {
        self.lease_ttl = ttl.max(MIN_LEASE_TTL);
        self
    }
}

/// A durable record of tasks: SQLite or PostgreSQL. Cheap to clone; every clone shares one
/// connection and one lease renewer.
#[derive(Clone)]
pub struct TaskStore {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    backend: Box<dyn Backend>,
    place: String,
    ttl: Duration,
    held: lease::Held,
}

impl fmt::Debug for TaskStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskStore")
            .field("location", &self.inner.place)
            .field("lease_ttl", &self.inner.ttl)
            .finish()
    }
}

/// What a claim came to, for the flows that use it.
pub(crate) enum Claim {
    /// Held: the record as it is now, and the lease.
    Held(TaskRecord, Lease),
    /// Someone else holds it (no record: another process is writing it right now).
    Busy(Option<TaskRecord>),
    /// There is no record.
    Missing,
}

impl TaskStore {
    /// Opens the store at `location`: a `postgres://` (or `postgresql://`) URL, `:memory:`,
    /// or the path of an SQLite file (also `sqlite:PATH`), created when missing. An SQLite file
    /// or a PostgreSQL schema that is not a task store is refused, and nothing in it changed.
    pub async fn open(location: &str) -> Result<TaskStore, Error> {
        TaskStore::open_with(location, StoreOptions::default()).await
    }

    /// [`TaskStore::open`] with options.
    pub async fn open_with(location: &str, options: StoreOptions) -> Result<TaskStore, Error> {
        if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            return TaskStore::postgres_with(location, options).await;
        }
        if location == ":memory:" {
            return TaskStore::in_memory_with(options).await;
        }
        let path = location.strip_prefix("sqlite:").unwrap_or(location);
        let path = path.strip_prefix("//").unwrap_or(path);
        TaskStore::sqlite_with(std::path::Path::new(path), options).await
    }

    /// The SQLite store in this file, created when missing.
    pub async fn sqlite(path: impl AsRef<std::path::Path>) -> Result<TaskStore, Error> {
        TaskStore::sqlite_with(path.as_ref(), StoreOptions::default()).await
    }

    #[cfg_attr(not(feature = "sqlite"), allow(unused_variables))]
    async fn sqlite_with(
        path: &std::path::Path,
        options: StoreOptions,
    ) -> Result<TaskStore, Error> {
        #[cfg(feature = "sqlite")]
        {
            let place = path.display().to_string();
            let owned = path.to_path_buf();
            let opened = tokio::task::spawn_blocking(move || sqlite::Sqlite::open(&owned))
                .await
                .map_err(|error| Error::Store {
                    detail: format!("opening {place}: {error}"),
                    task_id: None,
                })?;
            let backend = opened.map_err(|error| store_error(&place, error))?;
            Ok(TaskStore::start(Box::new(backend), place, options))
        }
        #[cfg(not(feature = "sqlite"))]
        Err(Error::config(
            "this build of anyfast-video-tasks has no SQLite task store: enable the `sqlite` feature",
        ))
    }

    /// A store in memory, gone with the process (SQLite).
    pub async fn in_memory() -> Result<TaskStore, Error> {
        TaskStore::in_memory_with(StoreOptions::default()).await
    }

    #[cfg_attr(not(feature = "sqlite"), allow(unused_variables))]
    async fn in_memory_with(options: StoreOptions) -> Result<TaskStore, Error> {
        #[cfg(feature = "sqlite")]
        {
            let backend =
                sqlite::Sqlite::in_memory().map_err(|error| store_error("memory", error))?;
            Ok(TaskStore::start(
                Box::new(backend),
                "memory".into(),
                options,
            ))
        }
        #[cfg(not(feature = "sqlite"))]
        Err(Error::config(
            "this build of anyfast-video-tasks has no SQLite task store: enable the `sqlite` feature",
        ))
    }

    /// The PostgreSQL store in the database at `url` (tables in the schema `anyfast_video`,
    /// created when missing).
    pub async fn postgres(url: &str) -> Result<TaskStore, Error> {
        TaskStore::postgres_with(url, StoreOptions::default()).await
    }

    #[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
    async fn postgres_with(url: &str, options: StoreOptions) -> Result<TaskStore, Error> {
        #[cfg(feature = "postgres")]
        {
            let place = without_password(url);
            let backend = postgres::Postgres::open(url, &place, options.lease_ttl)
                .await
                .map_err(|error| store_error(&place, error))?;
            Ok(TaskStore::start(Box::new(backend), place, options))
        }
        #[cfg(not(feature = "postgres"))]
        Err(Error::config(
            "this build of anyfast-video-tasks has no PostgreSQL task store: enable the `postgres` feature",
        ))
    }

    fn start(backend: Box<dyn Backend>, place: String, options: StoreOptions) -> TaskStore {
        let inner = Arc::new(Inner {
            backend,
            place,
            ttl: options.lease_ttl,
            held: lease::Held::default(),
        });
        tokio::spawn(lease::renew_forever(
            Arc::downgrade(&inner),
            options.lease_ttl,
        ));
        TaskStore { inner }
    }

    /// Where it is: a file, `memory`, or a PostgreSQL URL without its password.
    pub fn location(&self) -> &str {
        &self.inner.place
    }

    /// How long its leases last without renewal.
    pub fn lease_ttl(&self) -> Duration {
        self.inner.ttl
    }

    /// The record of `key` (an `Idempotency-Key`).
    pub async fn get(&self, key: &str) -> Result<Option<TaskRecord>, Error> {
        self.inner
            .backend
            .get(key)
            .await
            .map_err(|error| self.error(error))
    }

    /// The newest record of task `task_id` on the service at `base_url` (as
    /// [`Client::base_url`](anyfast_video::Client::base_url) gives it). Task ids are only unique per
    /// service (two services, a mock and the real one, may both have a `cgt-…1`), so a record
    /// of another service is never found. [`Tasks::find`](crate::Tasks::find) also prefers the
    /// client's own account's records.
    pub async fn find_task(
        &self,
        task_id: &str,
        base_url: &str,
    ) -> Result<Option<TaskRecord>, Error> {
        self.find_task_of(task_id, base_url, None).await
    }

    /// [`TaskStore::find_task`], the records of `account` (or of none recorded) first.
    pub(crate) async fn find_task_of(
        &self,
        task_id: &str,
        base_url: &str,
        account: Option<&str>,
    ) -> Result<Option<TaskRecord>, Error> {
        self.inner
            .backend
            .find_task(task_id, base_url, account)
            .await
            .map_err(|error| self.error(error))
    }

    /// How long a holder keeps trying to record a task's id it learnt while the store does
    /// not answer (a network partition: the id is a fact that must not be lost), and so how
    /// long others may wait for such a late id, and a batch for its store to come back: ten
    /// lease periods, at least 30 s and at most 5 minutes.
    pub fn patience(&self) -> Duration {
        (self.inner.ttl * 10).clamp(Duration::from_secs(30), Duration::from_secs(300))
    }

    /// The records `query` selects.
    pub async fn list(&self, query: &TaskQuery) -> Result<Vec<TaskRecord>, Error> {
        self.inner
            .backend
            .list(query)
            .await
            .map_err(|error| self.error(error))
    }

    /// The statuses seen of `key`'s task, oldest first.
    pub async fn statuses(&self, key: &str) -> Result<Vec<StatusSeen>, Error> {
        self.inner
            .backend
            .statuses(key)
            .await
            .map_err(|error| self.error(error))
    }

    /// Returns once everything written before is durable (releases queued by dropped work
    /// included): call it before a process exits.
    pub async fn flush(&self) -> Result<(), Error> {
        self.inner
            .backend
            .flush()
            .await
            .map_err(|error| self.error(error))
    }

    /// Records a status seen of `key`'s task by someone who does not hold its record (a
    /// look at the task from outside its flow); queued, written unless it is the last one
    /// recorded already.
    pub fn record_status(&self, key: &str, status: &str, progress: u8) {
        drop(self.inner.backend.observe(key, status, progress));
    }

    /// Claims `key` (writing `new`, state `sending`, when there is no record). A holder in this
    /// machine's scope whose process is gone loses its lease at once.
    pub(crate) async fn claim(&self, key: &str, new: Option<NewTask>) -> Result<Claim, Error> {
        // The lease of a holder seen gone, taken at the second attempt.
        let mut take_from: Option<String> = None;
        loop {
            let me = owner::me();
            let token = LeaseToken {
                key: key.to_string(),
                id: owner::new_lease_id(),
                host: me.host.clone(),
                pid: me.pid,
                scope: me.scope.clone(),
            };
            let claimed_at = Instant::now();
            let args = ClaimArgs {
                lease: token.clone(),
                new: new.clone(),
                ttl: self.inner.ttl,
                take_from: take_from.clone(),
            };
            let claimed = self
                .inner
                .backend
                .claim(args)
                .await
                .map_err(|error| self.error(error))?;
            return Ok(match claimed {
                Claimed::Held(record) => {
                    Claim::Held(record, Lease::new(self.inner.clone(), token, claimed_at))
                }
                Claimed::Busy(None) => Claim::Busy(None),
                Claimed::Busy(Some(record)) => {
                    let gone = record.current_holder().and_then(|holder| {
                        owner::is_gone(holder.scope.as_deref(), holder.pid)
                            .then(|| holder.lease.clone())
                            .flatten()
                    });
                    match gone {
                        Some(lease) if take_from.is_none() => {
                            tracing::info!(key, holder = %record.holder.as_ref().map(ToString::to_string).unwrap_or_default(), "the holder is gone; taking its lease");
                            take_from = Some(lease);
                            continue;
                        }
                        _ => Claim::Busy(Some(record)),
                    }
                }
                Claimed::Missing => Claim::Missing,
            });
        }
    }

    fn error(&self, error: StoreError) -> Error {
        store_error(&self.inner.place, error)
    }
}

/// A backend's error as the crate's.
fn store_error(place: &str, error: StoreError) -> Error {
    let detail = match error {
        StoreError::Incompatible(why) => why,
        other => format!("{place}: {other}"),
    };
    Error::Store {
        detail,
        task_id: None,
    }
}

/// A PostgreSQL URL without its password, for messages.
#[cfg(feature = "postgres")]
fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}
