//! [`Videos`]: create, get, wait, download and generate.

use std::path::Path;
use std::time::Instant;

use tracing::Instrument;
use tracing::field::Empty;

use crate::api_error::{code_and_message, from_generated};
use crate::download::{DownloadOptions, Downloaded};
use crate::poll::WaitOptions;
use crate::retry::{Outcome, retrying};
use crate::{Client, Error, Task, VideoRequest};

/// The video operations of a [`Client`]; get one with [`Client::videos`].
#[derive(Clone, Copy, Debug)]
pub struct Videos<'a> {
    pub(crate) client: &'a Client,
}

impl Videos<'_> {
    /// Checks the request (reading local files), then creates the task. Nothing is sent when
    /// the request breaks a rule.
    ///
    /// The create carries an `Idempotency-Key` that stays the same across its retries. It is
    /// retried only when the request provably was not processed (connection refused, 429);
    /// when its outcome is unknown (a timeout, a 5xx, a lost connection) the error is
    /// [`Error::CreateOutcomeUnknown`], because the task may exist, unless the retry policy
    /// opts in to retrying such creates.
    pub async fn create(self, request: VideoRequest) -> Result<Task, Error> {
        let body = request.prepare().await?;
        let key = idempotency_key();
        let inner = &self.client.inner;
        let span = call_span("create");
        async {
            let started = Instant::now();
            let uncertain_too = inner.retry.retry_uncertain_creates;
            // The first attempt that may have reached the server, described: once one has, the
            // create's outcome stays unknown whatever later attempts answer.
            let first_uncertain = std::cell::RefCell::new(None);
            let retryable = |error: &Error| {
                let outcome = Outcome::of(error);
                if let Outcome::Uncertain { .. } = outcome {
                    let mut first = first_uncertain.borrow_mut();
                    if first.is_none() {
                        *first = Some(describe_uncertain(error, inner.create_timeout));
                    }
                }
                match outcome {
                    Outcome::NotProcessed { retry_after } => Some(retry_after),
                    Outcome::Uncertain { retry_after } if uncertain_too => Some(retry_after),
                    _ => None,
                }
            };
            let result = retrying(&inner.retry, retryable, || async {
                inner
                    .create_api
                    .create_video_generation()
                    .idempotency_key(key.as_str())
                    .body(body.clone())
                    .send()
                    .await
                    .map(|response| Task::from_created(response.into_inner()))
                    .map_err(|error| from_generated(error, "create"))
            })
            .await
            .map_err(|error| match first_uncertain.take() {
                Some(what) => Error::CreateOutcomeUnknown {
                    what,
                    idempotency_key: key.clone(),
                },
                None => error,
            });
            record(&result, started);
            result
        }
        .instrument(span)
        .await
    }

    /// The task's current state, retrying on 429, 5xx and network failures.
    pub async fn get(self, id: &str) -> Result<Task, Error> {
        let retry = &self.client.inner.retry;
        retrying(
            retry,
            |error| Outcome::of(error).retry_after_for_idempotent(),
            || self.get_once(id),
        )
        .await
    }

    /// One query, no retry: the poll loop decides itself what to do with failures.
    pub(crate) async fn get_once(self, id: &str) -> Result<Task, Error> {
        let span = call_span("get");
        span.record("task_id", id);
        async {
            let started = Instant::now();
            let result = self
                .client
                .inner
                .query_api
                .get_video_generation()
                .id(id)
                .send()
                .await
                .map_err(|error| from_generated(error, "get"))
                .and_then(|response| {
                    let answer = response.into_inner();
                    refuse_error_in_success(&answer)?;
                    Ok(Task::from_queried(id, answer))
                })
                .map_err(|error| error.for_task(id));
            record(&result, started);
            result
        }
        .instrument(span)
        .await
    }

    /// Polls the task until it succeeds (returning it), fails ([`Error::TaskFailed`]), or the
    /// wait's deadline passes ([`Error::WaitTimeout`]). See [`WaitOptions`] for the cadence.
    /// Dropping the future stops the polling; the task itself goes on.
    pub async fn wait(self, id: &str, options: WaitOptions) -> Result<Task, Error> {
        crate::poll::wait(self, id, options).await
    }

    /// Downloads the finished task's video to `path`; see [`Videos::download_with`].
    pub async fn download(self, task: &Task, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        self.download_with(task, path, DownloadOptions::default())
            .await
    }

    /// Downloads the finished task's video to `path` in constant memory: into `path.part`,
    /// renamed when complete and of the announced length, resuming with `Range` after a lost
    /// connection. The API key is never sent to the storage host.
    pub async fn download_with(
        self,
        task: &Task,
        path: impl AsRef<Path>,
        options: DownloadOptions,
    ) -> Result<Downloaded, Error> {
        let span = call_span("download");
        span.record("task_id", task.id.as_str());
        let started = Instant::now();
        let inner = &self.client.inner;
        let result = crate::download::download(
            &inner.downloads,
            &inner.retry,
            task,
            path.as_ref(),
            &options,
        )
        .instrument(span.clone())
        .await;
        let _entered = span.enter();
        record(&result, started);
        result
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

/// A 200 whose body is an error (`{"code": "task_not_exist", "message": ..., "data": null}`).
#[allow(deprecated)] // reads the older flat shapes' fields to tell a task from an error
fn refuse_error_in_success(
    answer: &anyfast_video_api::types::GetVideoGenerationResponse,
) -> Result<(), Error> {
    let is_error = answer.data.is_none()
        && answer.id.is_none()
        && answer.status.is_none()
        && answer.code.as_deref().is_some_and(|code| code != "success");
    if !is_error {
        return Ok(());
    }
    let body = anyfast_video_api::types::ErrorBody {
        code: answer.code.clone(),
        message: answer.message.clone(),
        ..Default::default()
    };
    let (code, message) = code_and_message(&body);
    Err(Error::Api {
        status: 200,
        code,
        message,
        request_id: None,
        task_id: None,
        retry_after: None,
    })
}

/// What happened to a create whose request may have reached the server.
fn describe_uncertain(error: &Error, timeout: std::time::Duration) -> String {
    match error {
        Error::Transport { source, .. } if source.is_timeout() => {
            format!("timed out after {} s", timeout.as_secs())
        }
        Error::Transport { source, .. } => {
            format!("lost its connection before an answer came ({source})")
        }
        Error::Api {
            status, message, ..
        } => format!("was answered {status} ({message})"),
        Error::InvalidResponse { detail, .. } => {
            format!("was answered with a body that could not be read ({detail})")
        }
        other => other.to_string(),
    }
}

/// 128 random bits in hex: one per logical create.
fn idempotency_key() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

fn call_span(operation: &'static str) -> tracing::Span {
    tracing::info_span!(
        "anyfast_video",
        operation,
        task_id = Empty,
        status = Empty,
        http_status = Empty,
        request_id = Empty,
        elapsed_ms = Empty,
    )
}

/// Records how a call ended on the current span, and logs it.
fn record<T: RecordedOutcome>(result: &Result<T, Error>, started: Instant) {
    let span = tracing::Span::current();
    span.record("elapsed_ms", started.elapsed().as_millis() as u64);
    match result {
        Ok(value) => {
            value.record(&span);
            tracing::debug!("done");
        }
        Err(error) => {
            span.record("status", "error");
            if let Error::Api {
                status, request_id, ..
            } = error
            {
                span.record("http_status", status);
                if let Some(request_id) = request_id {
                    span.record("request_id", request_id.as_str());
                }
            }
            if let Some(id) = error.task_id() {
                span.record("task_id", id);
            }
            tracing::warn!(%error, "failed");
        }
    }
}

/// What a successful call adds to its span.
trait RecordedOutcome {
    fn record(&self, span: &tracing::Span);
}

impl RecordedOutcome for Task {
    fn record(&self, span: &tracing::Span) {
        span.record("task_id", self.id.as_str());
        span.record("status", self.status.to_string());
    }
}

impl RecordedOutcome for Downloaded {
    fn record(&self, span: &tracing::Span) {
        span.record("status", "downloaded");
    }
}
