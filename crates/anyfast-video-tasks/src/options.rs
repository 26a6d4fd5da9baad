//! What a durable run is asked to do ([`TaskOptions`], [`Outputs`], [`IfHeld`]) and what it
//! says it did ([`Finished`], [`Action`]).

use std::path::PathBuf;
use std::sync::Arc;

use anyfast_video::{DownloadOptions, Downloaded, GenerateOptions, Task, WaitOptions};

use crate::record::Holder;

/// Called when a task store's record is found held by another process: its holder, and the
/// task's id when known.
pub(crate) type HeldCallback = Arc<dyn Fn(&Holder, Option<&str>) + Send + Sync>;

/// How a durable run works: the client's [`GenerateOptions`] (the idempotency key, the
/// created-task callback, how to wait and download, the last frame) and what only a store
/// adds (what to do with a record another process holds, whether to resend a create whose
/// outcome is unknown, the batch line, the request's fingerprint).
///
/// ```
/// use anyfast_video_tasks::{IfHeld, TaskOptions};
///
/// let options = TaskOptions::default().idempotency_key("order-1042").if_held(IfHeld::Skip);
/// # let _ = options;
/// ```
#[derive(Clone, Default)]
pub struct TaskOptions {
    pub(crate) generate: GenerateOptions,
    pub(crate) if_held: IfHeld,
    pub(crate) on_held: Option<HeldCallback>,
    pub(crate) retry_unknown_create: bool,
    pub(crate) batch_line: Option<(String, u64)>,
    pub(crate) request_hash: Option<String>,
}

impl std::fmt::Debug for TaskOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskOptions")
            .field("generate", &self.generate)
            .field("if_held", &self.if_held)
            .field("on_held", &self.on_held.is_some())
            .field("retry_unknown_create", &self.retry_unknown_create)
            .field("batch_line", &self.batch_line)
            .field("request_fingerprint", &self.request_hash)
            .finish()
    }
}

impl From<GenerateOptions> for TaskOptions {
    fn from(generate: GenerateOptions) -> Self {
        TaskOptions {
            generate,
            ..TaskOptions::default()
        }
    }
}

impl TaskOptions {
    /// The client's part of these options, for a run without a store.
    pub fn into_generate(self) -> GenerateOptions {
        self.generate
    }

    /// The record's key and the create's `Idempotency-Key` (default: a new random one). A
    /// second run with the same key finishes (or returns) the first one's task.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.generate = self.generate.idempotency_key(key);
        self
    }

    /// Called with the created task before waiting begins.
    pub fn on_created(mut self, callback: impl Fn(&Task) + Send + Sync + 'static) -> Self {
        self.generate = self.generate.on_created(callback);
        self
    }

    /// How to wait (default [`WaitOptions::default`]).
    pub fn wait(mut self, options: WaitOptions) -> Self {
        self.generate = self.generate.wait(options);
        self
    }

    /// How to download (default [`DownloadOptions::default`]; the part file's tag is the
    /// lease's id whatever it says).
    pub fn download(mut self, options: DownloadOptions) -> Self {
        self.generate = self.generate.download(options);
        self
    }

    /// Also save the last frame here (the request must ask for it with
    /// [`VideoRequest::return_last_frame`](anyfast_video::VideoRequest::return_last_frame)).
    pub fn last_frame(mut self, path: impl Into<PathBuf>) -> Self {
        self.generate = self.generate.last_frame(path);
        self
    }

    /// What to do when another live process holds the task's record (default
    /// [`IfHeld::Wait`]: wait until it is done with it).
    pub fn if_held(mut self, if_held: IfHeld) -> Self {
        self.if_held = if_held;
        self
    }

    /// Called once when the record is found held by another process (its holder, and the
    /// task's id when known), before waiting for it.
    pub fn on_held(
        mut self,
        callback: impl Fn(&Holder, Option<&str>) + Send + Sync + 'static,
    ) -> Self {
        self.on_held = Some(Arc::new(callback));
        self
    }

    /// Send the create again (with the same idempotency key) when the record says an earlier
    /// create's outcome is unknown. Off by default: the task may exist, and a second create
    /// may be billed.
    pub fn retry_unknown_create(mut self, retry: bool) -> Self {
        self.retry_unknown_create = retry;
        self
    }

    /// The record is line `line` of batch `batch` (for listing).
    pub fn batch_line(mut self, batch: impl Into<String>, line: u64) -> Self {
        self.batch_line = Some((batch.into(), line));
        self
    }

    /// The fingerprint recorded for the request (default: one of the request itself). A
    /// second use of the idempotency key must come with the same one.
    pub fn request_fingerprint(mut self, fingerprint: impl Into<String>) -> Self {
        self.request_hash = Some(fingerprint.into());
        self
    }
}

/// What to do with a record another live process holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum IfHeld {
    /// Wait until its holder is done with it (or gone), then go on from where it stands.
    #[default]
    Wait,
    /// Give up at once with [`Error::HeldElsewhere`](crate::Error::HeldElsewhere).
    Skip,
}

/// Where a task's files go.
///
/// ```
/// use anyfast_video_tasks::Outputs;
///
/// let outputs = Outputs::video("cat.mp4").with_last_frame("cat-last.png");
/// assert!(Outputs::none().video.is_none());
/// # let _ = outputs;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outputs {
    /// The video.
    pub video: Option<PathBuf>,
    /// The last frame (the request must have asked for it).
    pub last_frame: Option<PathBuf>,
}

impl Outputs {
    /// The video goes to `path`.
    pub fn video(path: impl Into<PathBuf>) -> Outputs {
        Outputs {
            video: Some(path.into()),
            last_frame: None,
        }
    }

    /// Nothing is downloaded: the task is only waited for.
    pub fn none() -> Outputs {
        Outputs::default()
    }

    /// The last frame goes to `path` too.
    pub fn with_last_frame(mut self, path: impl Into<PathBuf>) -> Outputs {
        self.last_frame = Some(path.into());
        self
    }
}

/// What a durable run did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// The create was sent by this run.
    Created,
    /// The task existed; this run waited for it and saved its files.
    Resumed,
    /// The record said done, and its video is where it should be: nothing was asked of the
    /// service.
    AlreadyDone,
}

/// A task finished under its lease.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Finished {
    /// The record's key (the create's `Idempotency-Key`).
    pub key: String,
    /// The task's id.
    pub task_id: String,
    /// The task as last queried (`None` when it was already done: nothing was queried).
    pub task: Option<Task>,
    /// What this run did.
    pub action: Action,
    /// The saved video, when one was asked for and saved by this run (or found whole).
    pub video: Option<Downloaded>,
    /// The process that ended the record before this run, when it was another: for a task
    /// found done, the one that saved it.
    pub ended_by: Option<Holder>,
}
