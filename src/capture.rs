//! The raw answer of one call of the generated client, kept exactly as it came: its status,
//! headers and body bytes (up to [`MAX_CAPTURED_BYTES`], the cut flagged), whatever the
//! operation's typed result makes of it. A reader that must see what the spec does not
//! describe (a 202, an HTML page from a proxy, an error body of another shape, a field of an
//! unexpected type) runs the call inside [`Capture::run`] and reads [`RawAnswer`] afterwards;
//! the ergonomic `anyfast-video` crate's tolerant reader does exactly that.
//!
//! The capture is filled by the client's `ClientHooks::exec` (the `hooks` module), so it sees
//! every request the client sends: the generated builders' and a request built by hand and
//! sent through the same hooks (the multipart asset upload). Its settings reach the hooks as
//! a tokio task-local scoped around the call, not as per-client state (progenitor's
//! `with_inner_type`): they belong to one call (which answer to keep, how long this request
//! may take), many calls share one client at once, and the generated `Client` keeps its plain
//! constructor. Outside a capture the hooks behave as they always did.
//!
//! ```
//! use anyfast_video_api::Client;
//! use anyfast_video_api::capture::Capture;
//! use std::time::Duration;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let client = Client::new("http://127.0.0.1:9"); // nothing listens there
//! let (result, raw) = Capture::default()
//!     .timeout(Duration::from_secs(5))
//!     .run(client.get_video_generation().id("cgt-1").send())
//!     .await;
//! assert!(result.is_err());
//! assert!(raw.is_none(), "no answer came, so none was captured");
//! # }
//! ```

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;
use reqwest::{StatusCode, Url};

/// The most of a body a capture keeps; the rest is dropped and [`RawAnswer::truncated`] set.
/// This API's answers are a few KiB.
pub const MAX_CAPTURED_BYTES: usize = 8 * 1024 * 1024;

/// One HTTP answer, as it came.
#[derive(Debug, Clone)]
pub struct RawAnswer {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body's bytes, unchanged (at most [`MAX_CAPTURED_BYTES`]).
    pub body: Bytes,
    /// The body was longer than [`MAX_CAPTURED_BYTES`] and was cut there.
    pub truncated: bool,
    /// The URL that answered (after any redirect followed).
    pub url: Url,
}

impl RawAnswer {
    /// An answer with this status and body, no headers: for reading a status and a body that
    /// were obtained some other way (a callback, a recording).
    ///
    /// ```
    /// let answer = anyfast_video_api::capture::RawAnswer::new(202, &b"{}"[..]);
    /// assert_eq!(answer.status.as_u16(), 202);
    /// ```
    pub fn new(status: u16, body: impl Into<Bytes>) -> RawAnswer {
        RawAnswer {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            headers: HeaderMap::new(),
            body: body.into(),
            truncated: false,
            url: Url::parse("http://answer.invalid/").expect("a valid URL"),
        }
    }
}

/// The settings of one captured call.
#[derive(Debug, Clone, Default)]
pub struct Capture {
    timeout: Option<Duration>,
    answer_only: bool,
}

/// What the hooks see of the capture around them.
struct Scope {
    timeout: Option<Duration>,
    answer_only: bool,
    answer: Mutex<Option<RawAnswer>>,
}

tokio::task_local! {
    static SCOPE: Arc<Scope>;
}

impl Capture {
    /// How long the request may take in all, from connecting to the last byte of its answer
    /// (a reqwest per-request timeout, set by the `pre` hook): the client's own setting
    /// otherwise.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// For a caller that reads the raw answer and discards the call's typed result: the
    /// generated code is handed the answer's status alone (no headers, an empty body), so that
    /// it decodes nothing and the hooks copy nothing. When an answer came, the call's result is
    /// then an error about that empty body (`InvalidResponsePayload`; rarely
    /// `ResponseBodyError`, when the call's timeout ran out just after the answer was read),
    /// `UnexpectedResponse` for a status the spec does not declare, or an empty success (a
    /// declared 204); what the answer said is in the [`RawAnswer`] only. When no answer came,
    /// the result is the error, as without this setting. Outside such a capture nothing
    /// changes: typed answers as ever.
    ///
    /// ```
    /// use anyfast_video_api::Client;
    /// use anyfast_video_api::capture::Capture;
    /// use httpmock::prelude::*;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let server = MockServer::start_async().await;
    /// server
    ///     .mock_async(|when, then| {
    ///         when.method(GET).path("/v1/video/generations/cgt-1");
    ///         then.status(200).body(r#"{"code": "success", "data": {"status": "SUCCESS"}}"#);
    ///     })
    ///     .await;
    /// let client = Client::new(&server.base_url());
    /// let (result, raw) = Capture::default()
    ///     .answer_only()
    ///     .run(client.get_video_generation().id("cgt-1").send())
    ///     .await;
    /// assert!(result.is_err(), "the generated code was given no body to decode");
    /// let raw = raw.expect("an answer came");
    /// assert_eq!(raw.status.as_u16(), 200);
    /// assert!(raw.body.starts_with(br#"{"code": "success""#));
    /// # }
    /// ```
    pub fn answer_only(mut self) -> Self {
        self.answer_only = true;
        self
    }

    /// Runs `call` (one operation's `.send()`) and returns its result with the raw answer, if
    /// an answer came (none when the request could not be built or sent, or the connection
    /// broke before the whole body, up to the limit, arrived). One operation per capture: of
    /// several, the last answer is kept.
    pub async fn run<F: Future>(self, call: F) -> (F::Output, Option<RawAnswer>) {
        let scope = Arc::new(Scope {
            timeout: self.timeout,
            answer_only: self.answer_only,
            answer: Mutex::new(None),
        });
        let output = SCOPE.scope(scope.clone(), call).await;
        let answer = scope
            .answer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        (output, answer)
    }
}

/// The timeout of the capture around the current call, if there is one.
pub(crate) fn timeout() -> Option<Duration> {
    SCOPE.try_with(|scope| scope.timeout).ok().flatten()
}

/// Whether the current call runs inside a capture, and if so whether it is
/// [`Capture::answer_only`].
pub(crate) fn active() -> Option<bool> {
    SCOPE.try_with(|scope| scope.answer_only).ok()
}

/// Keeps `answer` as the current capture's.
pub(crate) fn keep(answer: RawAnswer) {
    let _ = SCOPE.try_with(|scope| {
        *scope
            .answer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(answer);
    });
}

/// Reads a response whole, up to [`MAX_CAPTURED_BYTES`], taking its headers: what is left of
/// it is its status (and an unread rest, when [`RawAnswer::truncated`]). A body that arrives in
/// one chunk (as answers of a few KiB do) is kept as it came; a longer one is gathered into one
/// buffer.
pub(crate) async fn read(response: &mut reqwest::Response) -> reqwest::Result<RawAnswer> {
    let status = response.status();
    let url = response.url().clone();
    let headers = std::mem::take(response.headers_mut());
    let mut first: Option<Bytes> = None;
    let mut gathered = BytesMut::new();
    let mut length = 0;
    let mut truncated = false;
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_CAPTURED_BYTES - length;
        let chunk = if chunk.len() > room {
            truncated = true;
            chunk.slice(..room)
        } else {
            chunk
        };
        length += chunk.len();
        if first.is_none() && gathered.is_empty() {
            first = Some(chunk);
        } else {
            if let Some(earlier) = first.take() {
                gathered.extend_from_slice(&earlier);
            }
            gathered.extend_from_slice(&chunk);
        }
        if truncated {
            break;
        }
    }
    let body = match first {
        Some(only) => only,
        None => gathered.freeze(),
    };
    Ok(RawAnswer {
        status,
        headers,
        body,
        truncated,
        url,
    })
}
