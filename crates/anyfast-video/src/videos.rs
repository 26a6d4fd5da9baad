//! [`Videos`]: create, get, wait and download: the generated `create_video_generation` and
//! `get_video_generation` sent as calls (span, retries, tolerant read), the poll loop and the
//! downloader (`generate`, which uses them all, is in [`generate`](crate::generate)).

use std::path::Path;

use anyfast_video_api::types;
use anyfast_video_api::validate::KlingAction;

use crate::assets::Assets;
use crate::call::Call;
use crate::download::{DownloadOptions, Downloaded};
use crate::error::Error;
use crate::families::{KlingTask, PreparedBody};
use crate::poll::WaitOptions;
use crate::request::VideoRequest;
use crate::retry::{self, Processed, RetryPolicy};
use crate::send::Sender;
use crate::task::{Task, UploadedAsset};
use crate::tolerant;

/// The Kling action a body is created with (`None` for `/v1/video/generations`).
fn kling_action(body: &PreparedBody) -> Option<KlingAction> {
    match body {
        PreparedBody::Generations(_) => None,
        PreparedBody::KlingText2Video(_) => Some(KlingAction::Text2Video),
        PreparedBody::KlingImage2Video(_) => Some(KlingAction::Image2Video),
        PreparedBody::KlingMultiImage2Video(_) => Some(KlingAction::MultiImage2Video),
        PreparedBody::KlingOmniVideo(_) => Some(KlingAction::OmniVideo),
    }
}

/// The video operations of a [`Client`](crate::Client); get one with
/// [`Client::videos`](crate::Client::videos).
#[derive(Clone, Copy, Debug)]
pub struct Videos<'a> {
    pub(crate) sender: &'a Sender,
    /// The storage host's client, for downloads.
    pub(crate) storage: &'a reqwest::Client,
    pub(crate) policy: &'a RetryPolicy,
    /// For the request's files marked `upload_as_asset`.
    pub(crate) assets: Assets<'a>,
}

impl Videos<'_> {
    /// Checks the request (reading local files), then creates the task. Nothing is sent when
    /// the request breaks a rule.
    ///
    /// Any 2xx answer that names a task id is a created task, whatever its shape. The create
    /// carries an `Idempotency-Key` that stays the same across its retries. It is retried only
    /// when the request provably was not processed (connection refused, 429); when its outcome
    /// is unknown (a timeout, a 5xx, a lost connection, a 2xx without a findable id) the error
    /// is [`Error::CreateOutcomeUnknown`], because the task may exist, unless the retry policy
    /// opts in to retrying such creates.
    ///
    /// Local files marked [`MediaSource::upload_as_asset`](crate::MediaSource::upload_as_asset)
    /// are first uploaded to the asset library (checked against its limits, waited for until
    /// Active) and sent as `asset://<ID>`; the ids are in [`Task::uploaded_assets`].
    ///
    /// Every family's request is created here: a [`VideoRequest`], or a
    /// [`WanRequest`](crate::WanRequest), [`HappyHorseRequest`](crate::HappyHorseRequest) or
    /// [`KlingRequest`](crate::KlingRequest) (sent to Kling's own route).
    pub async fn create(self, request: impl Into<VideoRequest>) -> Result<Task, Error> {
        self.create_with(request.into(), CreateOptions::default())
            .await
    }

    /// [`Videos::create`] with options: the `Idempotency-Key` to send (one the caller stored
    /// before sending, say, to recognise the create later).
    pub async fn create_with(
        self,
        request: impl Into<VideoRequest>,
        options: CreateOptions,
    ) -> Result<Task, Error> {
        let request = request.into();
        // Boxed, and only when there is something to upload: the upload's future is large, and
        // would otherwise make every create's future as large, to be moved at every await.
        let (request, uploaded) = if request.pending_uploads().is_empty() {
            (request, Vec::new())
        } else {
            Box::pin(self.upload_marked_files(request)).await?
        };
        let key = options.idempotency_key.unwrap_or_else(new_idempotency_key);
        // Boxed too: its attempts (the body, the retries, the span) would make the future of
        // every create, and of whatever holds one, that much larger to move.
        let mut task = Box::pin(self.create_prepared(request, key)).await?;
        task.uploaded_assets = uploaded;
        Ok(task)
    }

    /// Uploads the request's files marked for upload; returns the request with their asset
    /// references in their place, and what was uploaded.
    async fn upload_marked_files(
        self,
        request: VideoRequest,
    ) -> Result<(VideoRequest, Vec<UploadedAsset>), Error> {
        let pending = request.pending_uploads();
        let mut request = request;
        let mut uploaded = Vec::with_capacity(pending.len());
        for (index, path, kind) in pending {
            let field = format!("content[{index}]");
            let asset_id = self.assets.upload_for_request(&path, kind, &field).await?;
            request = request.with_uploaded(index, &asset_id);
            uploaded.push(UploadedAsset {
                index,
                path,
                asset_id,
            });
        }
        Ok((request, uploaded))
    }

    async fn create_prepared(self, request: VideoRequest, key: String) -> Result<Task, Error> {
        let body = request.prepare().await?;
        let retry_uncertain = self.policy.retry_uncertain_creates;
        // The first attempt that may have reached the server: once one has, the create's
        // outcome stays unknown whatever later attempts answer.
        let first_uncertain = std::sync::Mutex::new(None::<Error>);
        let retry_if = |error: &Error| match Processed::of(error) {
            Processed::No => true,
            Processed::Perhaps => {
                first_uncertain
                    .lock()
                    .expect("the create's uncertainty")
                    .get_or_insert_with(|| outcome_unknown(error, &key, self.sender.making));
                retry_uncertain
            }
            Processed::Finally => false,
        };
        let sender = self.sender;
        let attempt = || async {
            let (api, making) = (sender.api(), sender.making);
            let answer = match &body {
                PreparedBody::Generations(body) => {
                    let create = api.create_video_generation().idempotency_key(key.as_str());
                    sender
                        .send("create", making, create.body(body.clone()).send())
                        .await?
                }
                PreparedBody::KlingText2Video(body) => {
                    let create = api.create_kling_text2video().body(body.clone());
                    sender.send("create", making, create.send()).await?
                }
                PreparedBody::KlingImage2Video(body) => {
                    let create = api.create_kling_image2video().body(body.clone());
                    sender.send("create", making, create.send()).await?
                }
                PreparedBody::KlingMultiImage2Video(body) => {
                    let create = api.create_kling_multi_image2video().body(body.clone());
                    sender.send("create", making, create.send()).await?
                }
                PreparedBody::KlingOmniVideo(body) => {
                    let create = api.create_kling_omni_video().body(body.clone());
                    sender.send("create", making, create.send()).await?
                }
            };
            let mut task = tolerant::created(&answer)?;
            if let Some(action) = kling_action(&body) {
                task.id = KlingTask::id_of(action, &task.id);
            }
            Ok(task)
        };
        let finish = |result: Result<Task, Error>| {
            let uncertain = first_uncertain
                .lock()
                .expect("the create's uncertainty")
                .take();
            result.map_err(|error| uncertain.unwrap_or(error))
        };
        Call::new("create", self.policy)
            .run_then(retry_if, attempt, finish)
            .await
    }

    /// The task's current state, retrying on 429, 5xx, network failures and unreadable
    /// answers. The task's [`Task::id`] is `id`.
    pub async fn get(self, id: &str) -> Result<Task, Error> {
        self.query(id, retry::idempotent).await
    }

    /// Queries task `id`, retried by `retry_if` (the poll loop asks for [`retry::once`]: it
    /// decides itself what to do with failures).
    async fn query(self, id: &str, retry_if: fn(&Error) -> bool) -> Result<Task, Error> {
        Call::new("get", self.policy)
            .task(id)
            .run(retry_if, || async {
                match self.ask(id).await {
                    Ok(answer) => tolerant::queried(id, &answer),
                    Err(error) => Err(error.for_task(id)),
                }
            })
            .await
    }

    /// One query of task `id`: at `/v1/video/generations`, or Kling's route for a Kling id
    /// (the action's, then, if that answers 404, the one without the action, since anyfast's
    /// pages disagree on which it is).
    async fn ask(self, id: &str) -> Result<anyfast_video_api::capture::RawAnswer, Error> {
        let (api, timeout) = (self.sender.api(), self.sender.query);
        let Some(kling) = KlingTask::parse(id) else {
            let call = api.get_video_generation().id(id).send();
            return self.sender.send("get", timeout, call).await;
        };
        // An action the spec's query route does not list (multi-image2video) is asked about
        // without it.
        let action = kling
            .action
            .and_then(|action| types::KlingTaskAction::try_from(action).ok());
        if let Some(action) = action {
            let call = api
                .get_kling_task()
                .action(action)
                .task_id(kling.task_id)
                .send();
            match self.sender.send("get", timeout, call).await {
                Ok(answer) if answer.status == reqwest::StatusCode::NOT_FOUND => {}
                Err(Error::Api { status: 404, .. }) => {}
                answered => return answered,
            }
        }
        let call = api.get_kling_task_by_id().task_id(kling.task_id).send();
        self.sender.send("get", timeout, call).await
    }

    /// Polls the task until it succeeds (returning it), fails ([`Error::TaskFailed`]), its
    /// answers stay unreadable, or the wait's deadline passes ([`Error::WaitTimeout`]). See
    /// [`WaitOptions`] for the cadence and every way a wait ends. Dropping the future stops the
    /// polling; the task itself goes on.
    pub async fn wait(self, id: &str, options: WaitOptions) -> Result<Task, Error> {
        crate::poll::wait(id, &options, self.policy, || self.query(id, retry::once)).await
    }

    /// Downloads the finished task's video to `path`; see [`Videos::download_with`].
    pub async fn download(self, task: &Task, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        self.download_with(task, path, DownloadOptions::default())
            .await
    }

    /// Downloads the finished task's video to `path` in constant memory: into `path.part`,
    /// renamed when complete and of the announced length, resuming with `Range` after a lost
    /// connection. The API key is never sent to the storage host, and the URL's signature
    /// never appears in errors or logs.
    pub async fn download_with(
        self,
        task: &Task,
        path: impl AsRef<Path>,
        options: DownloadOptions,
    ) -> Result<Downloaded, Error> {
        let url = video_url(task)?;
        self.fetch(task, File::Video, url, path.as_ref(), &options)
            .await
    }

    /// Downloads the finished task's last frame (an image; the request must have asked for it
    /// with [`VideoRequest::return_last_frame`]) to `path`, the way videos are downloaded:
    /// streamed, checked, never with the key.
    pub async fn download_last_frame(
        self,
        task: &Task,
        path: impl AsRef<Path>,
    ) -> Result<Downloaded, Error> {
        self.download_last_frame_with(task, path, DownloadOptions::default())
            .await
    }

    /// [`Videos::download_last_frame`] with options.
    pub async fn download_last_frame_with(
        self,
        task: &Task,
        path: impl AsRef<Path>,
        options: DownloadOptions,
    ) -> Result<Downloaded, Error> {
        let Some(url) = task.last_frame_url.as_deref() else {
            return Err(Error::Download {
                task_id: task.id.clone(),
                detail: "the task has no last frame: create it with return_last_frame(true)".into(),
            });
        };
        self.fetch(task, File::LastFrame, url, path.as_ref(), &options)
            .await
    }

    async fn fetch(
        self,
        task: &Task,
        which: File,
        url: &str,
        path: &Path,
        options: &DownloadOptions,
    ) -> Result<Downloaded, Error> {
        let download = |url: String| async move {
            crate::download::download(self.storage, self.policy, &task.id, &url, path, options)
                .await
        };
        // The download retries by itself (resuming where it broke): one attempt here.
        Call::new("download", self.policy)
            .task(&task.id)
            .run(retry::once, || async {
                let mut result = download(url.to_string()).await;
                if let Err(Error::LinkExpired { .. }) = result {
                    // The link expired (they last 24 hours): once more with a fresh one.
                    tracing::debug!(task_id = %task.id, "the storage host refused the link; querying the task for a fresh one");
                    let fresh = self.get(&task.id).await?;
                    let same_file = match which {
                        File::Video => fresh.video_url.clone(),
                        File::LastFrame => fresh.last_frame_url.clone(),
                    };
                    if let Some(url) = same_file {
                        result = download(url).await;
                    }
                    if let Err(Error::LinkExpired { age, .. }) = &mut result {
                        *age = task_age(&fresh);
                    }
                }
                result
            })
            .await
    }
}

/// How [`Videos::create_with`] creates.
///
/// ```
/// use anyfast_video::CreateOptions;
///
/// let options = CreateOptions::default().idempotency_key("batch-7-line-42");
/// # let _ = options;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateOptions {
    pub(crate) idempotency_key: Option<String>,
}

impl CreateOptions {
    /// The `Idempotency-Key` the create sends (on each of its retries). By default a random
    /// 128-bit key is made per create. anyfast does not document the header; a server that
    /// honours it recognises a repeated create.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}

/// Which of a task's files a download fetches (for a fresh link of the same one).
#[derive(Clone, Copy)]
enum File {
    Video,
    LastFrame,
}

/// How long ago a task was made (or finished), by its own times.
fn task_age(task: &Task) -> Option<std::time::Duration> {
    let since = task.created_at.or(task.finished_at)?;
    std::time::SystemTime::now().duration_since(since).ok()
}

/// The finished task's video URL, or why there is none.
fn video_url(task: &Task) -> Result<&str, Error> {
    if let Some(url) = task.video_url.as_deref() {
        return Ok(url);
    }
    Err(match &task.failure {
        Some(_) => crate::poll::failed(task),
        None => Error::Download {
            task_id: task.id.clone(),
            detail: format!("the task has no video URL (it is {})", task.status),
        },
    })
}

/// The error a create gives up with when `error` (its first attempt that may have reached the
/// server) left no usable answer: the task may exist.
fn outcome_unknown(error: &Error, idempotency_key: &str, timeout: std::time::Duration) -> Error {
    let (what, task_id, body) = match error {
        Error::Transport { source, .. } if source.is_timeout() => (
            format!("timed out after {} s", timeout.as_secs()),
            None,
            None,
        ),
        Error::Transport { source, .. } => (lost(&crate::error::with_causes(source)), None, None),
        Error::Api {
            status, message, ..
        } => (format!("was answered {status} ({message})"), None, None),
        Error::InvalidResponse {
            detail,
            task_id,
            body,
            ..
        } => (format!("was {detail}"), task_id.clone(), Some(body.clone())),
        other => (lost(other), None, None),
    };
    Error::CreateOutcomeUnknown {
        what,
        idempotency_key: idempotency_key.to_string(),
        task_id,
        body,
    }
}

fn lost(why: &dyn std::fmt::Display) -> String {
    format!("lost its connection before an answer came ({why})")
}

/// A new `Idempotency-Key`: 128 random bits in hex, one per logical create.
///
/// ```
/// let key = anyfast_video::new_idempotency_key();
/// assert_eq!(key.len(), 32);
/// assert!(key.bytes().all(|byte| byte.is_ascii_hexdigit() && !byte.is_ascii_uppercase()));
/// assert_ne!(key, anyfast_video::new_idempotency_key());
/// ```
pub fn new_idempotency_key() -> String {
    format!("{:032x}", fastrand::u128(..))
}
