//! What the mock received, for tests to assert on. The token itself is never stored.

use std::sync::Mutex;

use axum::http::HeaderMap;
use serde_json::Value;

use crate::faults::Route;

/// One request the mock received.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedRequest {
    /// The route it reached.
    pub route: Route,
    /// `GET`, `POST`, `HEAD`...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// Whether an `Authorization` header came (its value is not kept).
    pub authorization: bool,
    /// The `Idempotency-Key` header, if one came.
    pub idempotency_key: Option<String>,
    /// The `Range` header, if one came.
    pub range: Option<String>,
    /// The body, if it was JSON.
    pub body: Option<Value>,
    /// The status answered; `None` while the answer is pending, or when the connection was
    /// dropped instead.
    pub status: Option<u16>,
}

/// Every request, in arrival order.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: Mutex<Vec<RecordedRequest>>,
}

/// Where a request stands in the log, to record its status later.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry(usize);

impl RequestLog {
    pub fn record(
        &self,
        route: Route,
        method: &str,
        path: &str,
        headers: &HeaderMap,
        body: Option<Value>,
    ) -> Entry {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let mut entries = self.entries.lock().expect("request log");
        entries.push(RecordedRequest {
            route,
            method: method.to_string(),
            path: path.to_string(),
            authorization: headers.contains_key(axum::http::header::AUTHORIZATION),
            idempotency_key: header("idempotency-key"),
            range: header("range"),
            body,
            status: None,
        });
        Entry(entries.len() - 1)
    }

    pub fn answered(&self, entry: Entry, status: u16) {
        if let Some(recorded) = self.entries.lock().expect("request log").get_mut(entry.0) {
            recorded.status = Some(status);
        }
    }

    pub fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries.lock().expect("request log").clone()
    }

    pub fn count(&self, route: Route) -> usize {
        let entries = self.entries.lock().expect("request log");
        entries
            .iter()
            .filter(|recorded| recorded.route == route)
            .count()
    }
}
