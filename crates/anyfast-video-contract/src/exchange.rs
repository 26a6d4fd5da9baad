//! One request and its answer, kept exactly (status, headers, body bytes), sent with raw
//! reqwest: nothing between the wire and the checks reads, retries or fixes anything.

use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde_json::Value;

use crate::operation::Operation;

/// The most of a body that is kept; a longer one is cut there (and marked).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// A request as it was sent (without the key: the `Authorization` header is never kept).
#[derive(Clone, Debug)]
pub struct Request {
    /// The operation.
    pub operation: Operation,
    /// The full URL.
    pub url: String,
    /// The path, with the probe's id in it (`/v1/video/generations/cgt-…`).
    pub path: String,
    /// The JSON body, if any.
    pub body: Option<Value>,
}

/// An answer, exactly as it came.
#[derive(Clone, Debug)]
pub struct Exchange {
    /// What was sent.
    pub request: Request,
    /// The HTTP status.
    pub status: u16,
    /// Every header, in order.
    pub headers: HeaderMap,
    /// The body's bytes (at most [`MAX_BODY_BYTES`]).
    pub body: Bytes,
    /// The body was longer than [`MAX_BODY_BYTES`] and was cut.
    pub truncated: bool,
    /// From sending to the last byte.
    pub elapsed: Duration,
    /// When the answer ended, by this machine's clock.
    pub received_at: SystemTime,
}

impl Exchange {
    /// The media type of the answer (`application/json`), lower case, without parameters.
    pub fn media_type(&self) -> Option<String> {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(|value| {
                value
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
    }

    /// The `Content-Type` header as sent, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
    }

    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The `Date` header, read.
    pub fn date(&self) -> Option<SystemTime> {
        let text = self.headers.get(header::DATE)?.to_str().ok()?;
        httpdate::parse_http_date(text).ok()
    }
}

/// Why a request got no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoAnswer {
    /// The host could not be reached (DNS, refused, unreachable).
    Connect(String),
    /// The TLS handshake failed (certificate, protocol).
    Tls(String),
    /// Nothing, or not all of it, came in time.
    Timeout(String),
    /// Anything else (a connection dropped mid-answer, a malformed answer).
    Other(String),
}

impl NoAnswer {
    /// What happened, in one sentence.
    pub fn message(&self) -> &str {
        match self {
            NoAnswer::Connect(text)
            | NoAnswer::Tls(text)
            | NoAnswer::Timeout(text)
            | NoAnswer::Other(text) => text,
        }
    }

    fn of(error: &reqwest::Error) -> NoAnswer {
        // reqwest's own message is short ("error sending request"); the causes say why.
        let mut chain = vec![error.to_string()];
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            let text = cause.to_string();
            if chain.last() != Some(&text) {
                chain.push(text);
            }
            source = cause.source();
        }
        let text = chain.join(": ");
        let lower = text.to_ascii_lowercase();
        if [
            "certificate",
            "tls",
            "handshake",
            "invalid peer",
            "unknownissuer",
        ]
        .iter()
        .any(|word| lower.contains(word))
        {
            NoAnswer::Tls(text)
        } else if error.is_timeout() {
            NoAnswer::Timeout(text)
        } else if error.is_connect() {
            NoAnswer::Connect(text)
        } else {
            NoAnswer::Other(text)
        }
    }
}

/// The HTTP clients of a check: one that sends the key to the API's host, one that never
/// does (for the pre-signed download URL, which must be fetched without it).
pub struct Http {
    base_url: String,
    api: reqwest::Client,
    storage: reqwest::Client,
}

impl Http {
    /// Clients of `base_url` (no trailing `/`), with the key if there is one.
    pub fn new(base_url: &str, key: Option<&str>, timeout: Duration) -> Result<Http, String> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(key) = key {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", key.trim()))
                .map_err(|_| "the API key cannot be sent in a header".to_string())?;
            // reqwest and hyper never print a sensitive value.
            value.set_sensitive(true);
            headers.insert(header::AUTHORIZATION, value);
        }
        let user_agent = concat!("anyfast-video-contract/", env!("CARGO_PKG_VERSION"));
        let api = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(user_agent)
            .connect_timeout(Duration::from_secs(10))
            .timeout(timeout)
            // A redirect could carry the key to another host; an answer is checked as it is.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| error.to_string())?;
        let storage = reqwest::Client::builder()
            .user_agent(user_agent)
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(60))
            .build()
            .map_err(|error| error.to_string())?;
        Ok(Http {
            base_url: base_url.trim_end_matches('/').to_string(),
            api,
            storage,
        })
    }

    /// Sends `operation` on `path` with `body` (and an `Idempotency-Key` for a create), and
    /// keeps the answer whole.
    pub async fn send(
        &self,
        operation: Operation,
        path: &str,
        body: Option<&Value>,
        idempotency_key: Option<&str>,
    ) -> Result<Exchange, NoAnswer> {
        let url = format!("{}{path}", self.base_url);
        let method = reqwest::Method::from_bytes(operation.method().as_bytes())
            .expect("the operations' methods are valid");
        let mut request = self.api.request(method, &url);
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        let started = Instant::now();
        let response = request.send().await.map_err(|error| NoAnswer::of(&error))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let (answer, truncated) = read_body(response).await?;
        Ok(Exchange {
            request: Request {
                operation,
                url,
                path: path.to_string(),
                body: body.cloned(),
            },
            status,
            headers,
            body: answer,
            truncated,
            elapsed: started.elapsed(),
            received_at: SystemTime::now(),
        })
    }

    /// Fetches a pre-signed URL without the key: the status, the headers, the length and the
    /// first bytes (the rest is counted, not kept).
    pub async fn download(&self, url: &str) -> Result<Download, NoAnswer> {
        let started = Instant::now();
        let mut response = self
            .storage
            .get(url)
            .send()
            .await
            .map_err(|error| NoAnswer::of(&error))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut head = Vec::new();
        let mut length = 0_u64;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| NoAnswer::of(&error))?
        {
            if head.len() < Download::HEAD_BYTES {
                let take = (Download::HEAD_BYTES - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
            length += chunk.len() as u64;
        }
        Ok(Download {
            status,
            headers,
            head,
            length,
            elapsed: started.elapsed(),
        })
    }
}

/// A whole body, up to [`MAX_BODY_BYTES`].
async fn read_body(mut response: reqwest::Response) -> Result<(Bytes, bool), NoAnswer> {
    let mut body = BytesMut::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| NoAnswer::of(&error))?
    {
        let room = MAX_BODY_BYTES - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body.freeze(), true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body.freeze(), false))
}

/// A download of a pre-signed URL.
#[derive(Clone, Debug)]
pub struct Download {
    /// The HTTP status.
    pub status: u16,
    /// Every header.
    pub headers: HeaderMap,
    /// The first [`Download::HEAD_BYTES`] bytes.
    pub head: Vec<u8>,
    /// How many bytes came.
    pub length: u64,
    /// From sending to the last byte.
    pub elapsed: Duration,
}

impl Download {
    /// How many of the first bytes are kept.
    pub const HEAD_BYTES: usize = 64;

    /// The major brand of the MP4's first box, when the file starts with an `ftyp` box (an ISO
    /// base media file: MP4, MOV): bytes 4–8 are `ftyp`, 8–12 the brand.
    pub fn mp4_brand(&self) -> Option<String> {
        let head = &self.head;
        if head.len() >= 12 && &head[4..8] == b"ftyp" {
            let size = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
            // A box is at least its 8-byte header and the brand.
            if size >= 12 {
                return Some(String::from_utf8_lossy(&head[8..12]).into_owned());
            }
        }
        None
    }
}
