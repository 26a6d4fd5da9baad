//! [`Videos`]: create, get, wait, download and generate — the facade over the transport, the
//! tolerant reader, the retry engine, the poll loop and the downloader.

use std::path::Path;
use std::time::Instant;

use tracing::Instrument;

use crate::answer;
use crate::download::{DownloadOptions, Downloaded};
use crate::poll::WaitOptions;
use crate::retry::{Processed, RetryPolicy, retrying};
use crate::trace::{call_span, record};
use crate::transport::Transport;
use crate::{Error, Task, VideoRequest};

/// The video operations of a [`Client`](crate::Client); get one with
/// [`Client::videos`](crate::Client::videos).
#[derive(Clone, Copy, Debug)]
pub struct Videos<'a> {
    pub(crate) transport: &'a Transport,
    pub(crate) policy: &'a RetryPolicy,
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
    pub async fn create(self, request: VideoRequest) -> Result<Task, Error> {
        let body = request.encode().await?;
        let key = idempotency_key();
        let span = call_span("create");
        async {
            let started = Instant::now();
            let retry_uncertain = self.policy.retry_uncertain_creates;
            // The first attempt that may have reached the server: once one has, the create's
            // outcome stays unknown whatever later attempts answer.
            let mut first_uncertain: Option<Uncertainty> = None;
            let result = retrying(
                self.policy,
                |error| match Processed::of(error) {
                    Processed::No => true,
                    Processed::Perhaps => {
                        if first_uncertain.is_none() {
                            first_uncertain = Some(Uncertainty::of(error));
                        }
                        retry_uncertain
                    }
                    Processed::Finally => false,
                },
                || async {
                    let answer = self.transport.create(body.clone(), &key).await?;
                    answer::created(&answer)
                },
            )
            .await;
            let result = result.map_err(|error| match first_uncertain.take() {
                Some(uncertainty) => uncertainty.into_error(&key, self.transport),
                None => error,
            });
            record(&result, started);
            result
        }
        .instrument(span)
        .await
    }

    /// The task's current state, retrying on 429, 5xx, network failures and unreadable
    /// answers. The task's [`Task::id`] is `id`.
    pub async fn get(self, id: &str) -> Result<Task, Error> {
        retrying(
            self.policy,
            |error| Processed::of(error).worth_repeating(),
            || self.query(id),
        )
        .await
    }

    /// One query, no retry: the poll loop decides itself what to do with failures.
    async fn query(self, id: &str) -> Result<Task, Error> {
        let span = call_span("get");
        span.record("task_id", id);
        async {
            let started = Instant::now();
            let result = match self.transport.query(id).await {
                Ok(answer) => answer::queried(id, &answer),
                Err(error) => Err(error.for_task(id)),
            };
            record(&result, started);
            result
        }
        .instrument(span)
        .await
    }

    /// Polls the task until it succeeds (returning it), fails ([`Error::TaskFailed`]), its
    /// answers stay unreadable, or the wait's deadline passes ([`Error::WaitTimeout`]). See
    /// [`WaitOptions`] for the cadence and every way a wait ends. Dropping the future stops the
    /// polling; the task itself goes on.
    pub async fn wait(self, id: &str, options: WaitOptions) -> Result<Task, Error> {
        crate::poll::wait(id, &options, self.policy, || self.query(id)).await
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
        let span = call_span("download");
        span.record("task_id", task.id.as_str());
        async {
            let started = Instant::now();
            let result = crate::download::download(
                self.transport,
                self.policy,
                &task.id,
                url,
                path.as_ref(),
                &options,
            )
            .await;
            record(&result, started);
            result
        }
        .instrument(span)
        .await
    }

    /// Creates the task, waits for it (default [`WaitOptions`]) and downloads its video to
    /// `path`. Every error after the create carries the task's id.
    pub async fn generate(
        &self,
        request: VideoRequest,
        path: impl AsRef<Path>,
    ) -> Result<Task, Error> {
        let created = self.create(request).await?;
        let done = self.wait(&created.id, WaitOptions::default()).await?;
        self.download(&done, path).await?;
        Ok(done)
    }
}

/// The finished task's video URL, or why there is none.
fn video_url(task: &Task) -> Result<&str, Error> {
    if let Some(url) = task.video_url.as_deref() {
        return Ok(url);
    }
    Err(match &task.failure {
        Some(failure) => Error::TaskFailed {
            task_id: task.id.clone(),
            reason: failure.reason.clone(),
            code: failure.code.clone(),
        },
        None => Error::Download {
            task_id: task.id.clone(),
            detail: format!("the task has no video URL (it is {})", task.status),
        },
    })
}

/// Why a create's outcome is unknown: what happened to the first attempt that may have
/// reached the server.
enum Uncertainty {
    TimedOut,
    ConnectionLost(String),
    Answered {
        status: u16,
        message: String,
    },
    Unreadable {
        detail: String,
        task_id: Option<String>,
        body: String,
    },
}

impl Uncertainty {
    fn of(error: &Error) -> Uncertainty {
        match error {
            Error::Transport { source, .. } if source.is_timeout() => Uncertainty::TimedOut,
            Error::Transport { source, .. } => Uncertainty::ConnectionLost(source.to_string()),
            Error::Api {
                status, message, ..
            } => Uncertainty::Answered {
                status: *status,
                message: message.clone(),
            },
            Error::InvalidResponse {
                detail,
                task_id,
                body,
                ..
            } => Uncertainty::Unreadable {
                detail: detail.clone(),
                task_id: task_id.clone(),
                body: body.clone(),
            },
            other => Uncertainty::ConnectionLost(other.to_string()),
        }
    }

    /// The error a create gives up with, for lack of a usable answer.
    fn into_error(self, idempotency_key: &str, transport: &Transport) -> Error {
        let (what, task_id, body) = match self {
            Uncertainty::TimedOut => (
                format!("timed out after {} s", transport.create_timeout().as_secs()),
                None,
                None,
            ),
            Uncertainty::ConnectionLost(why) => (
                format!("lost its connection before an answer came ({why})"),
                None,
                None,
            ),
            Uncertainty::Answered { status, message } => {
                (format!("was answered {status} ({message})"), None, None)
            }
            Uncertainty::Unreadable {
                detail,
                task_id,
                body,
            } => (format!("was {detail}"), task_id, Some(body)),
        };
        Error::CreateOutcomeUnknown {
            what,
            idempotency_key: idempotency_key.to_string(),
            task_id,
            body,
        }
    }
}

/// 128 random bits in hex: one per logical create.
fn idempotency_key() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}
