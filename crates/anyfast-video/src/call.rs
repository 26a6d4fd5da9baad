//! One call of the API, as every facade makes it: a span named for the operation
//! (`anyfast_video`, with `operation`, `task_id`, `status`, `http_status`, `request_id`,
//! `elapsed_ms`; never the key nor a signed video URL), the retry engine with the operation's
//! rule around the attempt (send and read), and the outcome recorded on the span. Each
//! facade method is its operation, its rule and its reader; nothing else.

use std::borrow::Cow;
use std::future::Future;
use std::time::Instant;

use futures_util::FutureExt;
use tracing::Instrument;
use tracing::field::Empty;

use crate::asset::{Asset, AssetPage};
use crate::download::Downloaded;
use crate::error::Error;
use crate::model_info::ModelInfo;
use crate::retry::{RetryPolicy, retrying};
use crate::task::Task;

/// One call to make.
pub(crate) struct Call<'a> {
    operation: &'static str,
    task_id: Option<&'a str>,
    policy: &'a RetryPolicy,
}

impl<'a> Call<'a> {
    /// A call of `operation` (`create`, `get`, `list_models`, ...), retried by `policy`.
    pub fn new(operation: &'static str, policy: &'a RetryPolicy) -> Call<'a> {
        Call {
            operation,
            task_id: None,
            policy,
        }
    }

    /// About this task (its span says so).
    pub fn task(mut self, task_id: &'a str) -> Call<'a> {
        self.task_id = Some(task_id);
        self
    }

    /// Runs `attempt` until it succeeds or `retry_if` (with the policy) gives up.
    pub fn run<T, Fut>(
        self,
        retry_if: impl FnMut(&Error) -> bool,
        attempt: impl FnMut() -> Fut,
    ) -> impl Future<Output = Result<T, Error>>
    where
        T: Recorded,
        Fut: Future<Output = Result<T, Error>>,
    {
        self.run_then(retry_if, attempt, std::convert::identity)
    }

    /// [`Call::run`], then `finish` on the result before it is recorded (a create says there
    /// what its failures mean).
    pub fn run_then<T, Fut>(
        self,
        retry_if: impl FnMut(&Error) -> bool,
        attempt: impl FnMut() -> Fut,
        finish: impl FnOnce(Result<T, Error>) -> Result<T, Error>,
    ) -> impl Future<Output = Result<T, Error>>
    where
        T: Recorded,
        Fut: Future<Output = Result<T, Error>>,
    {
        let attempts = retrying(self.policy, retry_if, attempt);
        self.around(attempts.map(finish))
    }

    /// The span and the record around `work`, which makes its attempts itself (the poll
    /// loop of a wait does), timed from now.
    ///
    /// Neither this nor the two above is an `async fn`, and none awaits `work` in an `async`
    /// block: either keeps the future it is given beside the one it awaits, so each layer
    /// doubled the size of a call's future (2.2 KiB around a query of 400 bytes), and every
    /// move of it copied that much.
    pub fn around<T: Recorded>(
        self,
        work: impl Future<Output = Result<T, Error>>,
    ) -> impl Future<Output = Result<T, Error>> {
        let operation = self.operation;
        let span = tracing::info_span!(
            "anyfast_video",
            operation,
            task_id = Empty,
            status = Empty,
            http_status = Empty,
            request_id = Empty,
            elapsed_ms = Empty,
        );
        if let Some(id) = self.task_id {
            span.record("task_id", id);
        }
        let started = Instant::now();
        work.map(move |result| {
            record(&result, started);
            result
        })
        .instrument(span)
    }
}

/// Records how a call ended on the current span, and logs it.
fn record<T: Recorded>(result: &Result<T, Error>, started: Instant) {
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

/// What a successful call adds to its span: its `status`, by default.
pub(crate) trait Recorded {
    fn status(&self) -> Cow<'static, str>;

    fn record(&self, span: &tracing::Span) {
        span.record("status", &*self.status());
    }
}

impl Recorded for Task {
    fn status(&self) -> Cow<'static, str> {
        self.status.to_string().into()
    }

    fn record(&self, span: &tracing::Span) {
        // No status text to make for a span no subscriber wants.
        if !span.is_disabled() {
            span.record("task_id", self.id.as_str());
            span.record("status", &*self.status());
        }
    }
}

/// The id of something made (an asset group, an asset).
impl Recorded for String {
    fn status(&self) -> Cow<'static, str> {
        tracing::debug!(id = self.as_str(), "created");
        "created".into()
    }
}

impl Recorded for Asset {
    fn status(&self) -> Cow<'static, str> {
        self.status.to_string().into()
    }
}

/// The results whose status is always the same word.
macro_rules! recorded_as {
    ($($result:ty => $status:literal),*) => {$(
        impl Recorded for $result {
            fn status(&self) -> Cow<'static, str> {
                $status.into()
            }
        }
    )*};
}

recorded_as!(Downloaded => "downloaded", AssetPage => "listed", Vec<ModelInfo> => "listed", () => "done");
