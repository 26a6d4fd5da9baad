//! One call of the API, as every facade makes it: a span named for the operation (with the
//! task it is about), the retry engine with the operation's rule around the attempt (send and
//! read), and the outcome recorded on the span. Each facade method is its operation, its rule
//! and its reader; nothing else.

use std::future::Future;
use std::time::Instant;

use tracing::Instrument;

use crate::error::Error;
use crate::retry::{RetryPolicy, retrying};
use crate::trace::{Recorded, call_span, record};

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
    pub async fn run<T, Fut>(
        self,
        retry_if: impl FnMut(&Error) -> bool,
        attempt: impl FnMut() -> Fut,
    ) -> Result<T, Error>
    where
        T: Recorded,
        Fut: Future<Output = Result<T, Error>>,
    {
        self.run_then(retry_if, attempt, |result| result).await
    }

    /// [`Call::run`], then `finish` on the result before it is recorded (a create says there
    /// what its failures mean).
    pub async fn run_then<T, Fut>(
        self,
        retry_if: impl FnMut(&Error) -> bool,
        attempt: impl FnMut() -> Fut,
        finish: impl FnOnce(Result<T, Error>) -> Result<T, Error>,
    ) -> Result<T, Error>
    where
        T: Recorded,
        Fut: Future<Output = Result<T, Error>>,
    {
        let policy = self.policy;
        self.around(async { finish(retrying(policy, retry_if, attempt).await) })
            .await
    }

    /// The span and the record around `work`, which makes its attempts itself (the poll
    /// loop of a wait does).
    pub async fn around<T: Recorded>(
        self,
        work: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        let span = call_span(self.operation);
        if let Some(id) = self.task_id {
            span.record("task_id", id);
        }
        async {
            let started = Instant::now();
            let result = work.await;
            record(&result, started);
            result
        }
        .instrument(span)
        .await
    }
}
