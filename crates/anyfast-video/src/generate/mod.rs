//! Creating, waiting for and saving a task in one call ([`Videos::generate_with`]) and its
//! options: straight to the service, or, with a task store, under a record and a lease
//! ([`flow`]), so that nothing is lost or made twice.

pub(crate) mod flow;

use std::path::{Path, PathBuf};

use crate::download::{DownloadOptions, Downloaded};
use crate::poll::WaitOptions;
use crate::store::{Holder, TaskStore};
use crate::task::TaskCallback;
use crate::videos::{CreateOptions, Videos};
use crate::{Error, Task, VideoRequest};
use flow::{Run, Until};

impl Videos<'_> {
    /// Creates the task, waits for it (default [`WaitOptions`]) and downloads its video to
    /// `path`. Every error after the create carries the task's id. See
    /// [`Videos::generate_with`] for the options.
    pub async fn generate(
        &self,
        request: VideoRequest,
        path: impl AsRef<Path>,
    ) -> Result<Task, Error> {
        self.generate_with(request, path, GenerateOptions::default())
            .await
    }

    /// Creates the task, tells `on_created` about it before waiting (so that its id can be
    /// stored somewhere that survives this process), waits for it, and downloads its video to
    /// `path` (and its last frame, when asked). Every error after the create carries the
    /// task's id.
    ///
    /// With a task store ([`ClientBuilder::store`](crate::ClientBuilder::store)), the task's
    /// record is written before the create is sent and kept up to date under a lease, so that
    /// a process killed mid-wait loses nothing ([`Tasks::recover`](crate::Tasks::recover)
    /// finishes it), and a second call with the same
    /// [`idempotency_key`](GenerateOptions::idempotency_key) finishes (or returns) the first
    /// task instead of creating another: see [`Tasks::generate`](crate::Tasks::generate).
    ///
    /// ```no_run
    /// use anyfast_video::{Client, GenerateOptions, VideoRequest, WaitOptions};
    /// use std::time::Duration;
    ///
    /// # async fn run() -> Result<(), anyfast_video::Error> {
    /// let client = Client::from_env()?;
    /// let options = GenerateOptions::default()
    ///     .on_created(|task| println!("created {}: store it before waiting", task.id))
    ///     .wait(WaitOptions::default().timeout(Duration::from_secs(600)))
    ///     .last_frame("cat-last.png");
    /// let request = VideoRequest::text("a cat").return_last_frame(true);
    /// client.videos().generate_with(request, "cat.mp4", options).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn generate_with(
        &self,
        request: VideoRequest,
        path: impl AsRef<Path>,
        options: GenerateOptions,
    ) -> Result<Task, Error> {
        if let Some(store) = self.store {
            let finished = generate_recorded(*self, store, request, path.as_ref(), options).await?;
            return match finished.task {
                Some(task) => Ok(task),
                None => self.get(&finished.task_id).await,
            };
        }
        let create = CreateOptions {
            idempotency_key: options.idempotency_key.clone(),
        };
        let created = self.create_with(request, create).await?;
        if let Some(on_created) = &options.on_created {
            on_created(&created);
        }
        let mut done = self.wait(&created.id, options.wait).await?;
        done.uploaded_assets = created.uploaded_assets;
        self.download_with(&done, path, options.download).await?;
        if let Some(last_frame) = &options.last_frame {
            self.download_last_frame(&done, last_frame).await?;
        }
        Ok(done)
    }
}

/// [`Videos::generate_with`] with a store: under a record, saying what it did.
pub(crate) async fn generate_recorded(
    videos: Videos<'_>,
    store: &TaskStore,
    request: VideoRequest,
    path: &Path,
    options: GenerateOptions,
) -> Result<Finished, Error> {
    let mut outputs = Outputs::video(path);
    outputs.last_frame = options.last_frame.clone();
    let run = Run::new(videos, store, &options, Until::Saved)
        .request(request, outputs)
        .await?;
    flow::run(run).await
}

/// What [`Videos::generate_with`] does besides creating, waiting and downloading.
#[derive(Clone, Default)]
pub struct GenerateOptions {
    pub(crate) idempotency_key: Option<String>,
    pub(crate) on_created: Option<TaskCallback>,
    pub(crate) wait: WaitOptions,
    pub(crate) download: DownloadOptions,
    pub(crate) last_frame: Option<std::path::PathBuf>,
    pub(crate) if_held: IfHeld,
    pub(crate) on_held: Option<HeldCallback>,
    pub(crate) retry_unknown_create: bool,
    pub(crate) batch_line: Option<(String, u64)>,
    pub(crate) request_hash: Option<String>,
}

/// Called when a task store's record is found held by another process.
pub(crate) type HeldCallback =
    std::sync::Arc<dyn Fn(&crate::store::Holder, Option<&str>) + Send + Sync>;

impl std::fmt::Debug for GenerateOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GenerateOptions")
            .field("idempotency_key", &self.idempotency_key)
            .field("on_created", &self.on_created.is_some())
            .field("wait", &self.wait)
            .field("download", &self.download)
            .field("last_frame", &self.last_frame)
            .field("if_held", &self.if_held)
            .field("retry_unknown_create", &self.retry_unknown_create)
            .field("batch_line", &self.batch_line)
            .finish_non_exhaustive()
    }
}

impl GenerateOptions {
    /// The create's `Idempotency-Key` (see [`CreateOptions::idempotency_key`]).
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Called with the created task before waiting begins: store its id where it survives
    /// a crash, and a task is never lost.
    pub fn on_created(mut self, callback: impl Fn(&Task) + Send + Sync + 'static) -> Self {
        self.on_created = Some(std::sync::Arc::new(callback));
        self
    }

    /// How to wait (default [`WaitOptions::default`]).
    pub fn wait(mut self, options: WaitOptions) -> Self {
        self.wait = options;
        self
    }

    /// How to download (default [`DownloadOptions::default`]).
    pub fn download(mut self, options: DownloadOptions) -> Self {
        self.download = options;
        self
    }

    /// Also save the last frame here (the request must ask for it with
    /// [`VideoRequest::return_last_frame`]).
    pub fn last_frame(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.last_frame = Some(path.into());
        self
    }

    /// With a task store: what to do when another live process holds the task's record
    /// (default [`IfHeld::Wait`]: wait until it is done with it).
    pub fn if_held(mut self, if_held: IfHeld) -> Self {
        self.if_held = if_held;
        self
    }

    /// With a task store: called once when the record is found held by another process
    /// (its holder, and the task's id when known), before waiting for it.
    pub fn on_held(
        mut self,
        callback: impl Fn(&crate::store::Holder, Option<&str>) + Send + Sync + 'static,
    ) -> Self {
        self.on_held = Some(std::sync::Arc::new(callback));
        self
    }

    /// With a task store: send the create again (with the same idempotency key) when the
    /// record says an earlier create's outcome is unknown. Off by default: the task may exist,
    /// and a second create may be billed.
    pub fn retry_unknown_create(mut self, retry: bool) -> Self {
        self.retry_unknown_create = retry;
        self
    }

    /// With a task store: the record is line `line` of batch `batch` (for listing).
    pub fn batch_line(mut self, batch: impl Into<String>, line: u64) -> Self {
        self.batch_line = Some((batch.into(), line));
        self
    }

    /// With a task store: the fingerprint recorded for the request (default: one of the
    /// request itself). A second use of the idempotency key must come with the same one.
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
    /// Give up at once with [`Error::HeldElsewhere`].
    Skip,
}

/// Where a task's files go.
///
/// ```
/// use anyfast_video::Outputs;
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
