//! The journal's one connection, on a thread of its own, committing in groups: every job queued
//! while the previous group was being written goes into the next transaction together (group
//! commit), so a batch of hundreds of tasks costs a few commits per second instead of one per
//! write. A caller that must know its write is durable before going on (the row of a create
//! about to be sent, the id of a task just created) awaits its group's commit, without holding
//! up the async runtime's threads; the others go on at once, and their errors are reported from
//! the thread.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use tokio::sync::oneshot;

/// What a job does once its group's commit is known: `None` when it succeeded.
type AfterCommit = Box<dyn FnOnce(Option<&rusqlite::Error>) + Send>;
/// A piece of work on the connection, inside its group's transaction.
type Work = Box<dyn FnOnce(&Connection) -> AfterCommit + Send>;

/// A piece of work, and whether someone waits for its commit.
struct Job {
    work: Work,
    awaited: bool,
}

/// The most jobs in one transaction.
const MOST_PER_GROUP: usize = 512;
/// How long a group that nobody awaits waits for more jobs. A batch's 10,000 lines write about
/// 60,000 times; grouping the unawaited ones cut its journal's commits from 19,000 to 7,600
/// (awaited jobs are committed at once: someone is waiting).
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
            .name("anyfast-video-journal".into())
            .spawn(move || write_in_groups(&connection, &queue))
            .expect("a thread for the journal");
        Writer {
            jobs: Some(jobs),
            thread: Some(thread),
        }
    }

    /// Runs `work` on the connection; ready once its group is committed: its result, or the
    /// commit's error.
    pub async fn call<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> rusqlite::Result<T> {
        let (reply, answer) = oneshot::channel::<rusqlite::Result<T>>();
        self.queue(
            true,
            Box::new(move |connection| {
                let result = work(connection);
                Box::new(move |failed_commit| {
                    let result = match (result, failed_commit) {
                        (Ok(_), Some(error)) => Err(copy(error)),
                        (result, _) => result,
                    };
                    let _ = reply.send(result);
                })
            }),
        );
        answer.await.unwrap_or_else(|_| Err(closed()))
    }

    /// Queues `work` and goes on; an error is reported on stderr as a warning (the task goes
    /// on either way).
    pub fn submit(&self, work: impl FnOnce(&Connection) -> rusqlite::Result<()> + Send + 'static) {
        self.queue(
            false,
            Box::new(move |connection| {
                let result = work(connection);
                Box::new(move |failed_commit| {
                    if let Some(error) = result.err().as_ref().or(failed_commit) {
                        super::warn_unrecorded(error);
                    }
                })
            }),
        );
    }

    fn queue(&self, awaited: bool, work: Work) {
        if let Some(jobs) = &self.jobs
            && jobs.send(Job { work, awaited }).is_err()
        {
            eprintln!("warning: the task journal's writer has stopped");
        }
    }
}

impl Drop for Writer {
    /// Everything queued is written before the journal goes away.
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread: gathers a group of jobs, runs them in one transaction, commits, then tells each
/// how the commit went. A group is every job queued while the previous group was written; when
/// nobody awaits any of them, it also takes what comes in the next [`GATHERING`], so that the
/// writes nobody waits for (statuses, states) share commits.
fn write_in_groups(connection: &Connection, queue: &Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let gathered_until = Instant::now() + GATHERING;
        let mut awaited = first.awaited;
        let mut group = vec![first.work];
        while group.len() < MOST_PER_GROUP {
            let next = if awaited {
                queue.try_recv().ok()
            } else {
                queue
                    .recv_timeout(gathered_until.saturating_duration_since(Instant::now()))
                    .ok()
            };
            let Some(job) = next else { break };
            awaited |= job.awaited;
            group.push(job.work);
        }
        // IMMEDIATE: the write lock is taken (or waited for, up to the busy timeout) up front.
        // Without a transaction, each statement commits on its own (and reports its own error).
        let in_transaction = connection.execute_batch("BEGIN IMMEDIATE").is_ok();
        let after: Vec<AfterCommit> = group.into_iter().map(|job| job(connection)).collect();
        let committed = if in_transaction {
            connection.execute_batch("COMMIT")
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

/// A copy of an error for a second reader (rusqlite's errors are not `Clone`).
fn copy(error: &rusqlite::Error) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
        Some(error.to_string()),
    )
}

fn closed() -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISUSE),
        Some("the task journal's writer has stopped".into()),
    )
}
