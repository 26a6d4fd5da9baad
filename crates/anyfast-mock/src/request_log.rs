//! What the mock received, for tests to assert on: the full records of the latest requests, and
//! tallies over every request ever (per route, and of creates per prompt and per
//! `Idempotency-Key`) that stay exact however long the mock runs. The token itself is never
//! stored.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use axum::http::HeaderMap;
use serde_json::Value;

use crate::route::Route;
use crate::stable_hash::fnv1a;

/// How many full records a mock keeps unless told otherwise.
pub const DEFAULT_LOG_CAPACITY: usize = 10_000;

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
    /// The body, if it was JSON, as sent; but never a file: a `CreateAsset` upload is its form
    /// fields with `file` as `{"filename", "content_type", "bytes"}`, and a data URI or raw
    /// base64 in a JSON `CreateAsset`'s `URL` is its header and length.
    pub body: Option<Value>,
    /// The status answered; `None` while the answer is pending, or when the connection was
    /// dropped instead.
    pub status: Option<u16>,
}

/// The latest requests in full, and tallies of all of them.
#[derive(Debug)]
pub(crate) struct RequestLog {
    inner: Mutex<Records>,
}

#[derive(Debug)]
struct Records {
    capacity: usize,
    latest: VecDeque<RecordedRequest>,
    /// The sequence number of `latest[0]`: entries older than it have been let go.
    first_kept: u64,
    /// Every request ever, per route (indexed by `Route::index`).
    per_route: [usize; Route::ALL.len()],
    /// Creates per hash of their prompt: a hash, not the text, so that memory stays small
    /// whatever the prompts are (a 64-bit collision among test prompts is not a concern).
    creates_per_prompt: HashMap<u64, usize>,
    creates_per_idempotency_key: HashMap<u64, usize>,
}

/// Where a request stands in the log, to record its status later.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry(u64);

impl RequestLog {
    pub fn with_capacity(capacity: usize) -> Self {
        RequestLog {
            inner: Mutex::new(Records {
                capacity,
                // Grown as requests come: most mocks see far fewer than their capacity.
                latest: VecDeque::new(),
                first_kept: 0,
                per_route: [0; Route::ALL.len()],
                creates_per_prompt: HashMap::new(),
                creates_per_idempotency_key: HashMap::new(),
            }),
        }
    }

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
        let recorded = RecordedRequest {
            route,
            method: method.to_string(),
            path: path.to_string(),
            authorization: headers.contains_key(axum::http::header::AUTHORIZATION),
            idempotency_key: header("idempotency-key"),
            range: header("range"),
            body,
            status: None,
        };
        let mut records = self.inner.lock().expect("request log");
        records.per_route[route.index()] += 1;
        if route == Route::Create {
            if let Some(prompt) = recorded.body.as_ref().and_then(prompt_of) {
                *records
                    .creates_per_prompt
                    .entry(fnv1a(&prompt))
                    .or_default() += 1;
            }
            if let Some(key) = &recorded.idempotency_key {
                *records
                    .creates_per_idempotency_key
                    .entry(fnv1a(key))
                    .or_default() += 1;
            }
        }
        let sequence = records.first_kept + records.latest.len() as u64;
        if records.capacity == 0 {
            records.first_kept += 1;
            return Entry(sequence);
        }
        if records.latest.len() == records.capacity {
            records.latest.pop_front();
            records.first_kept += 1;
        }
        records.latest.push_back(recorded);
        Entry(sequence)
    }

    /// Records the status answered, if the request is still among the latest.
    pub fn answered(&self, entry: Entry, status: u16) {
        let mut records = self.inner.lock().expect("request log");
        let Some(position) = entry.0.checked_sub(records.first_kept) else {
            return;
        };
        if let Some(recorded) = records.latest.get_mut(position as usize) {
            recorded.status = Some(status);
        }
    }

    pub fn snapshot(&self) -> Vec<RecordedRequest> {
        let records = self.inner.lock().expect("request log");
        records.latest.iter().cloned().collect()
    }

    pub fn count(&self, route: Route) -> usize {
        self.inner.lock().expect("request log").per_route[route.index()]
    }

    pub fn creates_for_prompt(&self, prompt: &str) -> usize {
        let records = self.inner.lock().expect("request log");
        records
            .creates_per_prompt
            .get(&fnv1a(prompt))
            .copied()
            .unwrap_or_default()
    }

    pub fn creates_for_idempotency_key(&self, key: &str) -> usize {
        let records = self.inner.lock().expect("request log");
        records
            .creates_per_idempotency_key
            .get(&fnv1a(key))
            .copied()
            .unwrap_or_default()
    }
}

/// The prompt of a create body of any family: a Seedance body's `text` items joined by
/// newlines, the `prompt` of the Wan, HappyHorse and Kling bodies, the HappyHorse video edit's
/// `input.prompt` (`None` when it has none). Read from the raw JSON, so that invalid creates
/// are counted too.
pub(crate) fn prompt_of(body: &Value) -> Option<String> {
    if let Some(content) = body.get("content").and_then(Value::as_array) {
        let texts: Vec<&str> = content
            .iter()
            .filter(|item| item.get("type").and_then(Value::as_str) == Some("text"))
            .filter_map(|item| item.get("text").and_then(Value::as_str))
            .collect();
        if !texts.is_empty() {
            return Some(texts.join("\n"));
        }
    }
    body.get("prompt")
        .or_else(|| body.get("input").and_then(|input| input.get("prompt")))
        .and_then(Value::as_str)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn create(log: &RequestLog, prompt: &str, key: Option<&str>) -> Entry {
        let mut headers = HeaderMap::new();
        if let Some(key) = key {
            headers.insert("idempotency-key", key.parse().unwrap());
        }
        let body = json!({"model": "seedance-fast", "content": [{"type": "text", "text": prompt}]});
        log.record(
            Route::Create,
            "POST",
            "/v1/video/generations",
            &headers,
            Some(body),
        )
    }

    #[test]
    fn only_the_latest_records_are_kept_but_counts_cover_every_request() {
        let log = RequestLog::with_capacity(3);
        let entries: Vec<Entry> = (0..5)
            .map(|n| create(&log, &format!("prompt {n}"), None))
            .collect();
        log.record(
            Route::Get,
            "GET",
            "/v1/video/generations/x",
            &HeaderMap::new(),
            None,
        );
        let kept: Vec<Option<Value>> = log.snapshot().into_iter().map(|r| r.body).collect();
        assert_eq!(kept.len(), 3);
        assert_eq!(
            prompt_of(kept[0].as_ref().unwrap()).as_deref(),
            Some("prompt 3")
        );
        assert_eq!(kept[2], None, "the last one is the query");
        assert_eq!((log.count(Route::Create), log.count(Route::Get)), (5, 1));

        // A status for a record that was let go is dropped; one still kept is written.
        log.answered(entries[0], 500);
        log.answered(entries[4], 201);
        let statuses: Vec<Option<u16>> = log.snapshot().iter().map(|r| r.status).collect();
        assert_eq!(statuses, [None, Some(201), None]);
    }

    #[test]
    fn a_log_of_no_capacity_keeps_nothing_and_still_counts() {
        let log = RequestLog::with_capacity(0);
        let entry = create(&log, "a cat", Some("key-1"));
        log.answered(entry, 200);
        assert!(log.snapshot().is_empty());
        assert_eq!(log.count(Route::Create), 1);
        assert_eq!(log.creates_for_prompt("a cat"), 1);
        assert_eq!(log.creates_for_idempotency_key("key-1"), 1);
    }

    #[test]
    fn creates_are_counted_per_prompt_and_per_idempotency_key() {
        let log = RequestLog::with_capacity(1);
        create(&log, "a cat", Some("key-1"));
        create(&log, "a cat", Some("key-1"));
        create(&log, "a dog", Some("key-2"));
        create(&log, "a dog", None);
        assert_eq!(log.creates_for_prompt("a cat"), 2);
        assert_eq!(log.creates_for_prompt("a dog"), 2);
        assert_eq!(log.creates_for_prompt("a bird"), 0);
        assert_eq!(log.creates_for_idempotency_key("key-1"), 2);
        assert_eq!(log.creates_for_idempotency_key("key-2"), 1);
        // A query is not a create, whatever its path.
        log.record(
            Route::Get,
            "GET",
            "/",
            &HeaderMap::new(),
            Some(json!({"content": [{"type": "text", "text": "a cat"}]})),
        );
        assert_eq!(log.creates_for_prompt("a cat"), 2);
    }

    #[test]
    fn the_prompt_is_every_text_item_in_order() {
        let body = json!({"content": [
            {"type": "text", "text": "first"},
            {"type": "image_url", "image_url": {"url": "https://e.com/a.png"}},
            {"type": "text", "text": "second"}
        ]});
        assert_eq!(prompt_of(&body).as_deref(), Some("first\nsecond"));
        assert_eq!(prompt_of(&json!({"content": []})), None);
        assert_eq!(prompt_of(&json!("not an object")), None);
    }
}
