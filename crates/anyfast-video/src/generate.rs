//! Creating, waiting for and saving a task in one call ([`Videos::generate_with`]) and its
//! options. A generate that must survive a restart (a record before the create, a lease while
//! it runs) is the `anyfast-video-tasks` crate's: it builds on these options.

use std::path::{Path, PathBuf};

use crate::download::DownloadOptions;
use crate::error::Error;
use crate::poll::WaitOptions;
use crate::request::VideoRequest;
use crate::task::{Task, TaskCallback};
use crate::videos::{CreateOptions, Videos};

impl Videos<'_> {
    /// Creates the task, waits for it (default [`WaitOptions`]) and downloads its video to
    /// `path`. Every error after the create carries the task's id. See
    /// [`Videos::generate_with`] for the options.
    pub async fn generate(
        &self,
        request: impl Into<VideoRequest>,
        path: impl AsRef<Path>,
    ) -> Result<Task, Error> {
        self.generate_with(request.into(), path, GenerateOptions::default())
            .await
    }

    /// Creates the task, tells `on_created` about it before waiting (so that its id can be
    /// stored somewhere that survives this process), waits for it, and downloads its video to
    /// `path` (and its last frame, when asked). Every error after the create carries the
    /// task's id.
    ///
    /// A process stopped mid-wait leaves a task that exists (it was billed): keep its id from
    /// `on_created`, or use `anyfast-video-tasks`, whose durable generate records it before
    /// the create is sent and finishes it after a restart.
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
        request: impl Into<VideoRequest>,
        path: impl AsRef<Path>,
        options: GenerateOptions,
    ) -> Result<Task, Error> {
        let create = CreateOptions {
            idempotency_key: options.idempotency_key.clone(),
        };
        let created = self.create_with(request.into(), create).await?;
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

/// What [`Videos::generate_with`] does besides creating, waiting and downloading. Set with
/// its methods; its fields are public to read (a durable flow runs the same steps).
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct GenerateOptions {
    /// The create's `Idempotency-Key`, when one was chosen.
    pub idempotency_key: Option<String>,
    /// Called with the created task before waiting begins.
    pub on_created: Option<TaskCallback>,
    /// How it waits.
    pub wait: WaitOptions,
    /// How it downloads.
    pub download: DownloadOptions,
    /// Where the last frame goes, if it is saved.
    pub last_frame: Option<PathBuf>,
}

impl std::fmt::Debug for GenerateOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GenerateOptions")
            .field("idempotency_key", &self.idempotency_key)
            .field("on_created", &self.on_created.is_some())
            .field("wait", &self.wait)
            .field("download", &self.download)
            .field("last_frame", &self.last_frame)
            .finish()
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
}
