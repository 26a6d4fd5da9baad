//! What one request brought back, before anyone reads it: the [`Answer`] (status, headers, the
//! body read whole up to the transport's limit), and the one header every layer asks about,
//! `Retry-After`. The transport makes answers, the tolerant reader reads them, the downloader
//! and the pace look at their headers.

use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// One HTTP answer from the API, read whole (up to the transport's limit).
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The body was longer than the limit and was cut there.
    pub truncated: bool,
}

impl Answer {
    /// An answer with no headers, as the public readers take it.
    pub fn bare(status: u16, body: &[u8]) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            headers: HeaderMap::new(),
            body: Bytes::copy_from_slice(body),
            truncated: false,
        }
    }
}

/// How long the server asked to wait (`Retry-After` in whole seconds; the HTTP-date form is
/// not used by this service).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}
