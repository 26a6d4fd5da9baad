//! What a backend (SQLite, PostgreSQL) does for the store: claims, the holder's writes,
//! renewals and reads, each atomic. Every backend runs its writes through one ordered queue:
//! a write is queued when it is made, in order, and its [`Receipt`] says when it is durable;
//! dropping the receipt does not cancel it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::oneshot;

use crate::record::{NewTask, StatusSeen, TaskQuery, TaskRecord, TaskState};

/// A boxed future, for the backends' methods.
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What went wrong in a backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StoreError {
    /// The store cannot be reached (a connection refused or lost, the server restarting).
    Unavailable(String),
    /// The store answered with an error.
    Failed(String),
    /// The record is no longer held by this lease: someone took it over.
    LeaseLost,
    /// Written, though the record is no longer held by this lease: a task id recorded as a
    /// fact onto a record that had none ([`Change::Created`]); its holder, or the next one,
    /// finishes the task.
    NotHeld,
    /// The file or database is not a task store of this version.
    Incompatible(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Unavailable(why) => write!(f, "the task store is unreachable: {why}"),
            StoreError::Failed(why) | StoreError::Incompatible(why) => f.write_str(why),
            StoreError::LeaseLost => f.write_str("the task's lease was taken over"),
            StoreError::NotHeld => f.write_str(
                "the task's id was recorded, but its lease was taken over: another process finishes it",
            ),
        }
    }
}

/// A lease, as a backend needs it: its id and its holder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LeaseToken {
    pub key: String,
    pub id: String,
    pub host: String,
    pub pid: u32,
    pub scope: Option<String>,
}

/// A claim to make.
#[derive(Clone, Debug)]
pub(crate) struct ClaimArgs {
    /// The lease to hold the record with (its `key` is the record's).
    pub lease: LeaseToken,
    /// The record to write (state `sending`) when there is none yet.
    pub new: Option<NewTask>,
    /// How long the lease lasts without renewal.
    pub ttl: Duration,
    /// A lease whose holder is known to be gone: taken even if it has not expired.
    pub take_from: Option<String>,
}

/// What a claim came to.
#[derive(Clone, Debug)]
pub(crate) enum Claimed {
    /// The record is held by the claim's lease (written now, when it was new).
    Held(TaskRecord),
    /// Someone else's lease holds it (it may have expired since, by the store's clock); no
    /// record when another process is writing it at this very moment.
    Busy(Option<TaskRecord>),
    /// There is no record, and none was to be written.
    Missing,
}

/// A change the holder of a record makes.
#[derive(Clone, Debug)]
pub(crate) enum Change {
    /// The create answered with a task: its id, the assets uploaded for it, and the state it
    /// is in now (`created`, or `waiting` when its holder goes on to wait for it). Written even
    /// when the lease was taken over meanwhile, as long as the record has no task id and its
    /// create's outcome is unknown (an id must never be lost): then the write answers
    /// [`StoreError::NotHeld`].
    Created {
        task_id: String,
        assets: Vec<String>,
        state: TaskState,
    },
    /// A new state, with an error when it went wrong, and an id learnt on the way.
    State {
        state: TaskState,
        error: Option<String>,
        task_id: Option<String>,
    },
    /// The service reported this status (recorded in the history when it changed).
    Status { status: String, progress: u8 },
    /// The end of this holder's work: the state, the video's length when saved, and the lease
    /// released.
    Finish {
        state: TaskState,
        error: Option<String>,
        output_bytes: Option<u64>,
    },
    /// The lease released, the state kept: anyone may claim it at once.
    Release,
}

impl Change {
    /// Whether someone is likely to wait for it (the caller, or another process for the
    /// release): committed at once rather than gathered with later writes.
    pub fn is_urgent(&self) -> bool {
        matches!(
            self,
            Change::Created { .. } | Change::Finish { .. } | Change::Release
        )
    }
}

/// When a queued write is durable: its result, once committed. The work was queued when the
/// receipt was made; dropping the receipt does not cancel it.
pub(crate) struct Receipt<T = ()>(BoxFuture<'static, Result<T, StoreError>>);

impl<T: Send + 'static> Receipt<T> {
    /// A receipt and the sender its backend answers on.
    pub fn new() -> (oneshot::Sender<Result<T, StoreError>>, Receipt<T>) {
        let (reply, answer) = oneshot::channel();
        let receipt = Receipt(Box::pin(async move {
            answer.await.unwrap_or_else(|_| {
                Err(StoreError::Unavailable(
                    "the task store's writer has stopped".into(),
                ))
            })
        }));
        (reply, receipt)
    }

    /// The receipt of `self`'s result, changed by `change`.
    pub fn map<U: Send + 'static>(
        self,
        change: impl FnOnce(T) -> U + Send + 'static,
    ) -> Receipt<U> {
        Receipt(Box::pin(async move { self.0.await.map(change) }))
    }
}

impl<T> Future for Receipt<T> {
    type Output = Result<T, StoreError>;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.as_mut().poll(context)
    }
}

/// A task store's backend.
pub(crate) trait Backend: Send + Sync + 'static {
    /// Claims a record (writing it when new), atomically.
    fn claim(&self, claim: ClaimArgs) -> Receipt<Claimed>;
    /// Applies a holder's change, fenced by its lease: [`StoreError::LeaseLost`] when the
    /// record is no longer held by it.
    fn write(&self, lease: &LeaseToken, change: Change) -> Receipt;
    /// Extends these leases by `ttl`; answers the lease ids still held.
    fn renew(&self, leases: Vec<LeaseToken>, ttl: Duration) -> Receipt<Vec<String>>;
    /// Records a status seen of a task nobody holds (`anyfast-video status ID`).
    fn observe(&self, key: &str, status: &str, progress: u8) -> Receipt;
    /// The record of `key`.
    fn get(&self, key: &str) -> Receipt<Option<TaskRecord>>;
    /// The newest record of task `task_id` on the service at `base_url`: of `account` (or of
    /// none recorded) first, else of another account; never another service's (task ids are
    /// only unique per service).
    fn find_task(
        &self,
        task_id: &str,
        base_url: &str,
        account: Option<&str>,
    ) -> Receipt<Option<TaskRecord>>;
    /// The records `query` selects.
    fn list(&self, query: &TaskQuery) -> Receipt<Vec<TaskRecord>>;
    /// The statuses seen of `key`, oldest first.
    fn statuses(&self, key: &str) -> Receipt<Vec<StatusSeen>>;
    /// Ready once everything queued before is written.
    fn flush(&self) -> Receipt;
}
