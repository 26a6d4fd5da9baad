//! The SQLite store's one connection, on a thread of its own, committing in groups: every job
//! queued while the previous group was being written goes into the next transaction together
//! (group commit), so a batch of hundreds of tasks costs a few commits per second instead of
//! one per write. Jobs run in the order they were queued; a job's [`Receipt`] is answered once
//! its group is committed, and a caller that needs its write durable before going on (a
//! claim, the id of a task just created) awaits it without holding up the async runtime.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::super::backend::{Receipt, StoreError};

/// What a job does once its group's commit is known: `None` when it succeeded.
type AfterCommit = Box<dyn FnOnce(Option<&StoreError>) + Send>;
/// A piece of work on the connection, inside its group's transaction.
type Work = Box<dyn FnOnce(&Connection) -> AfterCommit + Send>;

/// A piece of work, and whether it is committed at once rather than gathered.
struct Job {
    work: Work,
    urgent: bool,
}

/// The most jobs in one transaction.
const MOST_PER_GROUP: usize = 512;
/// How long a group with nothing urgent waits for more jobs. A batch's 10,000 lines write
/// about 60,000 times; gathering the writes nobody waits for cut its commits by more than half.
const GATHERING: Duration = Duration::from_millis(20);

/// The writer thread, and the queue to it.
pub(super) struct Writer {
    jobs: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    pub fn start(connection: Connection) -> Writer {
        let (jobs, queue) = channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("anyfast-video-store".into())
            .spawn(move || write_in_groups(&connection, &queue))
            .expect("a thread for the task store");
        Writer {
            jobs: Some(jobs),
            thread: Some(thread),
        }
    }

    /// Queues `work` now; the receipt answers once its group is committed: its result, or the
    /// commit's error.
    pub fn call<T: Send + 'static>(
        &self,
        urgent: bool,
        work: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Receipt<T> {
        let (reply, receipt) = Receipt::new();
        let job = Job {
            urgent,
            work: Box::new(move |connection| {
                let result = work(connection);
                Box::new(move |failed_commit| {
                    let result = match (result, failed_commit) {
                        (Ok(_), Some(error)) => Err(error.clone()),
                        (result, _) => result,
                    };
                    if let Err(error) = &result {
                        tracing::debug!(%error, "a task store write failed");
                    }
                    let _ = reply.send(result);
                })
            }),
        };
        if let Some(jobs) = &self.jobs
            && jobs.send(job).is_err()
        {
            tracing::warn!("the task store's writer has stopped");
        }
        receipt
    }
}

impl Drop for Writer {
    /// Everything queued is written before the store goes away.
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread: gathers a group of jobs, runs them in one transaction, commits, then tells each
/// how the commit went. A group is every job queued while the previous group was written; when
/// none of them is urgent, it also takes what comes in the next [`GATHERING`].
fn write_in_groups(connection: &Connection, queue: &Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let gathered_until = Instant::now() + GATHERING;
        let mut urgent = first.urgent;
        let mut group = vec![first.work];
        while group.len() < MOST_PER_GROUP {
            let next = if urgent {
                queue.try_recv().ok()
            } else {
                queue
                    .recv_timeout(gathered_until.saturating_duration_since(Instant::now()))
                    .ok()
            };
            let Some(job) = next else { break };
            urgent |= job.urgent;
            group.push(job.work);
        }
        // IMMEDIATE: the write lock is taken (or waited for, up to the busy timeout) up front,
        // so that a claim's read and write are one atomic step against other processes.
        // Without a transaction, each statement commits on its own (and reports its own error).
        let in_transaction = connection.execute_batch("BEGIN IMMEDIATE").is_ok();
        let after: Vec<AfterCommit> = group.into_iter().map(|job| job(connection)).collect();
        let committed = if in_transaction {
            connection.execute_batch("COMMIT").map_err(super::failed)
        } else {
            Ok(())
        };
        if committed.is_err() {
            let _ = connection.execute_batch("ROLLBACK");
        }
        for tell in after {
            tell(committed.as_ref().err());
        }
    }
}
