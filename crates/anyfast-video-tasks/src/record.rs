//! What a task store holds about one task: [`TaskRecord`], its [`TaskState`], and who holds
//! it ([`Holder`]); and which records to list ([`TaskQuery`]). Re-exported by
//! [`store`](crate::store), whose vocabulary this is.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Where a task stands, as its record says. Stored as the words of [`TaskState::as_str`],
/// the same words as the command line's journal of earlier versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskState {
    /// The record is written and the create is on its way; if it stays so, the process
    /// stopped before an answer came, and the task may exist.
    Sending,
    /// The create was refused before reaching the service, or provably not processed (429,
    /// connection refused): nothing was made; it may be sent again.
    NotSent,
    /// The create may have made a task, but no usable answer came: never sent again without
    /// being asked to.
    Unknown,
    /// The service refused the create (a 4xx): no task.
    Refused,
    /// The task exists; nobody has waited for it yet.
    Created,
    /// Its holder is waiting for it.
    Waiting,
    /// Its video is being downloaded.
    Downloading,
    /// Done: the video (if one was asked for) is saved, with the length recorded.
    Done,
    /// The task failed: no video.
    Failed,
    /// The wait gave up; the task goes on.
    TimedOut,
    /// Something went wrong after the create (a download, the network): it can be resumed.
    Error,
}

impl TaskState {
    pub(crate) const ALL: [TaskState; 11] = [
        TaskState::Sending,
        TaskState::NotSent,
        TaskState::Unknown,
        TaskState::Refused,
        TaskState::Created,
        TaskState::Waiting,
        TaskState::Downloading,
        TaskState::Done,
        TaskState::Failed,
        TaskState::TimedOut,
        TaskState::Error,
    ];

    /// The word stored for it.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Sending => "sending",
            TaskState::NotSent => "not_sent",
            TaskState::Unknown => "unknown",
            TaskState::Refused => "refused",
            TaskState::Created => "created",
            TaskState::Waiting => "waiting",
            TaskState::Downloading => "downloading",
            TaskState::Done => "done",
            TaskState::Failed => "failed",
            TaskState::TimedOut => "timed_out",
            TaskState::Error => "error",
        }
    }

    /// The state a stored word names (`Error` for a word this version does not know).
    pub fn parse(word: &str) -> TaskState {
        TaskState::ALL
            .into_iter()
            .find(|state| state.as_str() == word)
            .unwrap_or(TaskState::Error)
    }

    /// Whether the task exists and is not over yet: it can be waited for and finished without
    /// a create. A record left `sending` or `unknown` is not: its task may not exist, and its
    /// create is never sent again unasked.
    ///
    /// ```
    /// use anyfast_video_tasks::store::TaskState;
    ///
    /// assert!(TaskState::Waiting.is_resumable());
    /// assert!(!TaskState::Sending.is_resumable());
    /// assert!(!TaskState::Done.is_resumable());
    /// ```
    pub fn is_resumable(self) -> bool {
        matches!(
            self,
            TaskState::Created
                | TaskState::Waiting
                | TaskState::Downloading
                | TaskState::TimedOut
                | TaskState::Error
        )
    }

    /// Whether nothing more will happen to the record by itself: done, failed, refused, or a
    /// create with an unknown outcome.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            TaskState::Done | TaskState::Failed | TaskState::Refused | TaskState::Unknown
        )
    }
}

impl fmt::Display for TaskState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The process that holds a record (while its lease lasts), or held it last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    /// Its host name.
    pub host: String,
    /// Its process id.
    pub pid: u32,
    /// Whether it holds the record now: a lease that has not been released. It may have
    /// expired: see [`Holder::lease_left`].
    pub holding: bool,
    /// How long its lease had left when the record was read; zero or less once expired.
    pub lease_left_ms: Option<i64>,
    /// The lease's id (unique per claim), while held.
    pub(crate) lease: Option<String>,
    /// The holder's machine and process namespace, to tell whether it is gone (see
    /// `owner::is_gone`).
    pub(crate) scope: Option<String>,
}

impl Holder {
    /// How long the lease had left when read, if it is held and has not expired.
    pub fn lease_left(&self) -> Option<Duration> {
        let left = self.lease_left_ms.filter(|_| self.holding)?;
        (left > 0).then(|| Duration::from_millis(left as u64))
    }
}

impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pid {} on {}", self.pid, self.host)
    }
}

/// One task's record: what was asked, what became of it, and who works on it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct TaskRecord {
    /// The record's key: the create's `Idempotency-Key`.
    pub key: String,
    /// The task's id, once the create answered (or an id an uncertain answer named).
    pub task_id: Option<String>,
    /// Where it stands.
    pub state: TaskState,
    /// The last status the service reported.
    pub status: Option<String>,
    /// The last progress the service reported (0–100).
    pub progress: Option<u8>,
    /// A fingerprint of the request that was sent (a second use of the key with another
    /// request is refused).
    pub request_hash: String,
    /// The request's first text, for people reading the list.
    pub prompt: Option<String>,
    /// Where its video goes.
    pub output: Option<PathBuf>,
    /// Where its last frame goes.
    pub last_frame: Option<PathBuf>,
    /// The saved video's length, once done.
    pub output_bytes: Option<u64>,
    /// The service the task lives on (never the key).
    pub base_url: String,
    /// A fingerprint of the API key it was created with (never the key): another key cannot
    /// see the task.
    pub account: Option<String>,
    /// The batch it is a line of, and the line's number (from 1).
    pub batch: Option<String>,
    /// The line's number in its batch (from 1).
    pub line: Option<u64>,
    /// Asset ids uploaded for its request.
    pub assets: Vec<String>,
    /// What went wrong, when something did.
    pub error: Option<String>,
    /// When the record was made (unix seconds, the store's clock).
    pub created_at: i64,
    /// When it last changed (unix seconds, the store's clock).
    pub updated_at: i64,
    /// Who holds it, or claimed it last.
    pub holder: Option<Holder>,
    /// The process that ended it last (recorded it done, failed, ...): for a done task, the
    /// one that saved its video, on its host.
    pub ended_by: Option<Holder>,
    /// How many times it was claimed: 1 right after the claim that wrote it.
    pub claims: u32,
    /// The lease before the current one, when its holder stopped without releasing it: its
    /// partial files are the new holder's to remove.
    pub(crate) previous_lease: Option<String>,
}

impl TaskRecord {
    /// The holder, if one holds the record now (its lease may have expired).
    pub fn current_holder(&self) -> Option<&Holder> {
        self.holder.as_ref().filter(|holder| holder.holding)
    }

    /// Whether its create's sender stopped, or was cut off from the store, before the create
    /// was answered, and no id has been recorded since (state `sending` or `unknown`, no task
    /// id, no cause of its own): a sender cut off from the store may still be alive, and
    /// records the id it learns as soon as the store answers again, for up to
    /// [`TaskStore::patience`](crate::store::TaskStore::patience).
    pub fn may_learn_its_id(&self) -> bool {
        self.task_id.is_none()
            && self.error.is_none()
            && matches!(self.state, TaskState::Sending | TaskState::Unknown)
    }

    /// Whether a done task's video must be saved again: it was saved on this machine (or
    /// nobody knows where: a journal of the first version) and is missing, or its file has another length than the one
    /// recorded. A video saved on another machine is that machine's.
    pub fn video_needs_saving(&self) -> bool {
        let Some(path) = &self.output else {
            return false;
        };
        match std::fs::metadata(path) {
            Ok(metadata) => self
                .output_bytes
                .is_some_and(|bytes| bytes != metadata.len()),
            Err(_) => self
                .ended_by
                .as_ref()
                .is_none_or(|holder| holder.host == crate::owner::me().host),
        }
    }
}

/// A status the service reported, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusSeen {
    /// The status word.
    pub status: String,
    /// The progress (0–100).
    pub progress: u8,
    /// When it was seen (unix seconds).
    pub at: i64,
}

/// Which records to list ([`TaskStore::list`](crate::store::TaskStore::list)).
///
/// ```
/// use anyfast_video_tasks::store::{TaskQuery, TaskState};
///
/// let newest = TaskQuery::recent(20);
/// let open = TaskQuery::unfinished();
/// let failed_in_batch = TaskQuery::all().batch("b-1").states([TaskState::Failed]);
/// # let _ = (newest, open, failed_in_batch);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskQuery {
    pub(crate) states: Option<Vec<TaskState>>,
    pub(crate) batch: Option<String>,
    pub(crate) limit: Option<usize>,
    pub(crate) newest_first: bool,
}

impl TaskQuery {
    /// Every record, oldest first.
    pub fn all() -> TaskQuery {
        TaskQuery::default()
    }

    /// The `limit` most recently changed records, newest first.
    pub fn recent(limit: usize) -> TaskQuery {
        TaskQuery {
            limit: Some(limit),
            newest_first: true,
            ..TaskQuery::default()
        }
    }

    /// The records whose task exists and is not over ([`TaskState::is_resumable`]), and those
    /// left `sending`, oldest first.
    pub fn unfinished() -> TaskQuery {
        let states = TaskState::ALL
            .into_iter()
            .filter(|state| state.is_resumable() || *state == TaskState::Sending)
            .collect();
        TaskQuery::default().states_vec(states)
    }

    /// Only records in these states.
    pub fn states(self, states: impl IntoIterator<Item = TaskState>) -> TaskQuery {
        self.states_vec(states.into_iter().collect())
    }

    fn states_vec(mut self, states: Vec<TaskState>) -> TaskQuery {
        self.states = Some(states);
        self
    }

    /// Only the lines of this batch.
    pub fn batch(mut self, batch: impl Into<String>) -> TaskQuery {
        self.batch = Some(batch.into());
        self
    }

    /// At most this many.
    pub fn limit(mut self, limit: usize) -> TaskQuery {
        self.limit = Some(limit);
        self
    }
}

/// What a new record holds, written before its create is sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct NewTask {
    pub key: String,
    pub request_hash: String,
    pub prompt: Option<String>,
    pub output: Option<PathBuf>,
    pub last_frame: Option<PathBuf>,
    pub base_url: String,
    pub account: Option<String>,
    pub batch: Option<String>,
    pub line: Option<u64>,
}
