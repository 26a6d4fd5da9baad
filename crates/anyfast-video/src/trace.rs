//! The tracing span of each call (`anyfast_video`, with `operation`, `task_id`, `status`,
//! `http_status`, `request_id`, `elapsed_ms`), and how a call's end is recorded on it. The
//! key is never recorded; neither is a signed video URL.

use std::time::Instant;

use tracing::field::Empty;

use crate::asset::{Asset, AssetPage};
use crate::download::Downloaded;
use crate::error::Error;
use crate::model_info::ModelInfo;
use crate::task::Task;

/// The span of one call, retries included.
pub(crate) fn call_span(operation: &'static str) -> tracing::Span {
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
pub(crate) fn record<T: Recorded>(result: &Result<T, Error>, started: Instant) {
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
pub(crate) trait Recorded {
    fn record(&self, span: &tracing::Span);
}

impl Recorded for Task {
    fn record(&self, span: &tracing::Span) {
        // No status text to make for a span no subscriber wants.
        if span.is_disabled() {
            return;
        }
        span.record("task_id", self.id.as_str());
        span.record("status", self.status.to_string());
    }
}

impl Recorded for Downloaded {
    fn record(&self, span: &tracing::Span) {
        span.record("status", "downloaded");
    }
}

/// The id of something made (an asset group, an asset).
impl Recorded for String {
    fn record(&self, span: &tracing::Span) {
        span.record("status", "created");
        tracing::debug!(id = self.as_str(), "created");
    }
}

impl Recorded for Asset {
    fn record(&self, span: &tracing::Span) {
        span.record("status", self.status.to_string());
    }
}

impl Recorded for AssetPage {
    fn record(&self, span: &tracing::Span) {
        span.record("status", "listed");
    }
}

impl Recorded for Vec<ModelInfo> {
    fn record(&self, span: &tracing::Span) {
        span.record("status", "listed");
    }
}

impl Recorded for () {
    fn record(&self, span: &tracing::Span) {
        span.record("status", "done");
    }
}
