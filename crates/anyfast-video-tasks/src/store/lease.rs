//! Leases: a claim on a record for a while, renewed while its holder works, released when it
//! is done. One renewer per store handle extends every lease it holds in one statement, every
//! third of the lease's time; a lease the store no longer has (someone took it over, after it
//! expired) is lost, and so is one the store could not confirm for two renewals in a row (it
//! may expire unseen): its holder stops working on the task. A renewal that gets no answer
//! within a third of the lease counts as one that failed (a network partition closes and
//! resets nothing: without a deadline the renewal would wait for as long as the partition
//! lasts, and the holder would go on working on tasks others have taken over); so a holder cut
//! off from its store learns it before its leases expire.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::Inner;
use super::backend::{Change, LeaseToken, Receipt, StoreError};

/// Why a lease was lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Lost {
    /// Someone else holds the record now.
    TakenOver,
    /// The store could not be reached to renew it.
    Unreachable(String),
}

impl std::fmt::Display for Lost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lost::TakenOver => f.write_str("its lease expired and another process took it over"),
            Lost::Unreachable(why) => write!(f, "its lease could not be renewed ({why})"),
        }
    }
}

/// The leases a store handle holds, and how to tell their holders they are lost.
#[derive(Default)]
pub(super) struct Held {
    leases: Mutex<HashMap<String, HeldLease>>,
}

struct HeldLease {
    token: LeaseToken,
    /// When the lease runs out unless renewed, by this process's clock (a little before the
    /// store's: it is measured from before the claim was sent).
    until: Instant,
    lost: watch::Sender<Option<Lost>>,
}

impl Held {
    fn add(
        &self,
        token: LeaseToken,
        ttl: Duration,
        claimed_at: Instant,
    ) -> watch::Receiver<Option<Lost>> {
        let (lost, watcher) = watch::channel(None);
        let lease = HeldLease {
            token: token.clone(),
            until: claimed_at + ttl,
            lost,
        };
        self.leases
            .lock()
            .expect("the leases' lock")
            .insert(token.id, lease);
        watcher
    }

    fn remove(&self, id: &str) {
        self.leases.lock().expect("the leases' lock").remove(id);
    }

    pub(super) fn tokens(&self) -> Vec<LeaseToken> {
        let leases = self.leases.lock().expect("the leases' lock");
        leases.values().map(|lease| lease.token.clone()).collect()
    }

    /// After a renewal sent at `sent`: the leases in `renewed` last another `ttl`; the others
    /// of `asked` are lost.
    fn renewed(&self, asked: &[LeaseToken], renewed: &[String], sent: Instant, ttl: Duration) {
        let mut leases = self.leases.lock().expect("the leases' lock");
        for token in asked {
            if renewed.contains(&token.id) {
                if let Some(lease) = leases.get_mut(&token.id) {
                    lease.until = sent + ttl;
                }
            } else if let Some(lease) = leases.remove(&token.id) {
                tracing::warn!(key = %token.key, "a task's lease was taken over; its work stops");
                let _ = lease.lost.send(Some(Lost::TakenOver));
            }
        }
    }

    /// A renewal failed: the leases that may run out before the next one are lost.
    fn unconfirmed(&self, why: &StoreError, next: Instant) {
        let mut leases = self.leases.lock().expect("the leases' lock");
        let expiring: Vec<String> = leases
            .iter()
            .filter(|(_, lease)| lease.until <= next)
            .map(|(id, _)| id.clone())
            .collect();
        for id in expiring {
            if let Some(lease) = leases.remove(&id) {
                tracing::warn!(key = %lease.token.key, %why, "a task's lease could not be renewed; its work stops");
                let _ = lease.lost.send(Some(Lost::Unreachable(why.to_string())));
            }
        }
    }
}

/// Renews the leases of a store handle until the handle is gone.
pub(super) async fn renew_forever(inner: Weak<Inner>, ttl: Duration) {
    loop {
        tokio::time::sleep(ttl / 3).await;
        let Some(inner) = inner.upgrade() else { return };
        renew_once(&inner).await;
    }
}

/// Renews every lease the handle holds, in one statement; tells the holders of those the
/// store no longer has, or could not confirm in time, that they are lost.
pub(super) async fn renew_once(inner: &Inner) {
    let asked = inner.held.tokens();
    if asked.is_empty() {
        return;
    }
    let sent = Instant::now();
    let deadline = inner.ttl / 3;
    let renewal = tokio::time::timeout(deadline, inner.backend.renew(asked.clone(), inner.ttl))
        .await
        .unwrap_or_else(|_| {
            Err(StoreError::Unavailable(format!(
                "no answer to a renewal within {} ms",
                deadline.as_millis()
            )))
        });
    match renewal {
        Ok(renewed) => inner.held.renewed(&asked, &renewed, sent, inner.ttl),
        Err(error) => {
            tracing::warn!(%error, "renewing the task store's leases failed");
            inner
                .held
                .unconfirmed(&error, Instant::now() + inner.ttl / 3);
        }
    }
}

/// A record held by this process: only the holder of a lease creates, polls or downloads its
/// task. Released when dropped (queued; [`Lease::release`] waits for it).
pub(crate) struct Lease {
    inner: Arc<Inner>,
    token: LeaseToken,
    lost: watch::Receiver<Option<Lost>>,
    ended: bool,
}

impl Lease {
    pub(super) fn new(inner: Arc<Inner>, token: LeaseToken, claimed_at: Instant) -> Lease {
        let lost = inner.held.add(token.clone(), inner.ttl, claimed_at);
        Lease {
            inner,
            token,
            lost,
            ended: false,
        }
    }

    /// The record's key.
    pub fn key(&self) -> &str {
        &self.token.key
    }

    /// The lease's id: also the tag of its holder's partial files.
    pub fn id(&self) -> &str {
        &self.token.id
    }

    /// Queues a change (in order after every earlier write); the receipt says when it is
    /// durable.
    pub fn write(&self, change: Change) -> Receipt {
        self.inner.backend.write(&self.token, change)
    }

    /// Ends the holder's work: the final state (and the video's length), the lease released,
    /// durable on return.
    pub async fn finish(
        mut self,
        state: super::TaskState,
        error: Option<String>,
        output_bytes: Option<u64>,
    ) -> Result<(), StoreError> {
        self.end();
        let change = Change::Finish {
            state,
            error,
            output_bytes,
        };
        self.inner.backend.write(&self.token, change).await
    }

    /// Releases the lease, the state kept, durable on return: anyone may claim the record at
    /// once.
    pub async fn release(mut self) -> Result<(), StoreError> {
        self.end();
        self.inner.backend.write(&self.token, Change::Release).await
    }

    /// A handle that records statuses under this lease from a callback (queued).
    pub fn status_writer(&self) -> StatusWriter {
        StatusWriter {
            inner: self.inner.clone(),
            token: self.token.clone(),
        }
    }

    /// Ready when the lease is lost, with why; pending for as long as it is held.
    pub async fn lost(&self) -> Lost {
        let mut watcher = self.lost.clone();
        loop {
            if let Some(lost) = watcher.borrow_and_update().clone() {
                return lost;
            }
            if watcher.changed().await.is_err() {
                // The renewer forgot the lease (it ended): it is not lost, only over.
                std::future::pending::<()>().await;
            }
        }
    }

    fn end(&mut self) {
        self.ended = true;
        self.inner.held.remove(&self.token.id);
    }
}

/// Records the statuses a wait sees, under a lease.
pub(crate) struct StatusWriter {
    inner: Arc<Inner>,
    token: LeaseToken,
}

impl StatusWriter {
    /// Queues a status seen.
    pub fn status(&self, status: &str, progress: u8) {
        let change = Change::Status {
            status: status.to_string(),
            progress,
        };
        drop(self.inner.backend.write(&self.token, change));
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if !self.ended {
            self.inner.held.remove(&self.token.id);
            // Queued: the writer writes it even though nobody waits (a store's `flush`, or its
            // drop, waits for it).
            drop(self.inner.backend.write(&self.token, Change::Release));
        }
    }
}
