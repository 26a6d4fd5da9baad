//! One attempt of each operation over HTTP: the request as the spec describes it (paths from
//! [`anyfast_video_api::operations`]), the answer read whole up to a limit. No retries and no
//! interpretation here: the retry engine decides what to do again, the `answer` module what an
//! answer means.

use std::time::Duration;

use anyfast_video_api::operations::{self, Operation};
use bytes::{Bytes, BytesMut};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, RANGE};

use crate::Error;
use crate::exchange::{Answer, retry_after};
use crate::in_flight::InFlight;
use crate::pace::Pacer;
use crate::secret::ApiKey;

/// The largest answer read from the API; the rest is dropped and the answer marked
/// truncated. Real answers are a few KiB.
const MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;

/// What a transport is built from.
pub(crate) struct Settings {
    pub key: ApiKey,
    pub max_concurrent_requests: usize,
    pub base_url: String,
    pub connect_timeout: Duration,
    pub create_timeout: Duration,
    pub request_timeout: Duration,
    pub download_read_timeout: Duration,
    pub dns_resolver: Option<std::sync::Arc<dyn reqwest::dns::Resolve>>,
}

/// The HTTP side of a client: one pool for the API (with the key), one for the storage host
/// (without it).
#[derive(Debug)]
pub(crate) struct Transport {
    base_url: String,
    api: reqwest::Client,
    storage: reqwest::Client,
    create_timeout: Duration,
    request_timeout: Duration,
    pacer: Pacer,
    /// Bounds the API requests in flight: a fan-out of thousands of waits must not open
    /// thousands of connections (and run out of file descriptors), and the gateway's per-key
    /// concurrency gate lowers it.
    in_flight: InFlight,
}

impl Transport {
    pub fn new(settings: Settings) -> Result<Transport, Error> {
        let user_agent = concat!("anyfast-video-rs/", env!("CARGO_PKG_VERSION"));
        let cannot = |error: reqwest::Error| Error::Config(format!("cannot set up HTTP: {error}"));
        let headers = [
            (reqwest::header::AUTHORIZATION, settings.key.header_value()),
            (ACCEPT, HeaderValue::from_static("application/json")),
            (
                reqwest::header::HeaderName::from_static("api-version"),
                HeaderValue::from_static(api_version()),
            ),
        ];
        let resolving = |builder: reqwest::ClientBuilder| match &settings.dns_resolver {
            Some(resolver) => builder.dns_resolver(resolver.clone()),
            None => builder,
        };
        let api = resolving(reqwest::Client::builder())
            .default_headers(headers.into_iter().collect())
            .user_agent(user_agent)
            .connect_timeout(settings.connect_timeout)
            .redirect(reqwest::redirect::Policy::custom(same_origin_only))
            .build()
            .map_err(cannot)?;
        let storage = resolving(reqwest::Client::builder())
            .user_agent(user_agent)
            .connect_timeout(settings.connect_timeout)
            .read_timeout(settings.download_read_timeout)
            .build()
            .map_err(cannot)?;
        Ok(Transport {
            base_url: settings.base_url,
            api,
            storage,
            create_timeout: settings.create_timeout,
            request_timeout: settings.request_timeout,
            pacer: Pacer::default(),
            in_flight: InFlight::new(settings.max_concurrent_requests),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// How long a create may take in all.
    pub fn create_timeout(&self) -> Duration {
        self.create_timeout
    }

    /// Sends a create with its JSON body.
    pub async fn create(&self, body: Bytes, idempotency_key: &str) -> Result<Answer, Error> {
        let request = self
            .request(operations::CREATE_VIDEO_GENERATION, &[])
            .timeout(self.create_timeout)
            .header(CONTENT_TYPE, "application/json")
            .header("Idempotency-Key", idempotency_key)
            .body(body);
        self.send("create", request).await
    }

    /// Queries one task.
    pub async fn query(&self, id: &str) -> Result<Answer, Error> {
        let request = self
            .request(operations::GET_VIDEO_GENERATION, &[id])
            .timeout(self.request_timeout);
        self.send("get", request).await
    }

    /// Sends `operation` with a JSON body (the asset operations are all POSTs of JSON). Calls
    /// that make something (`making`) get the create timeout, queries the request timeout.
    pub async fn post_json(
        &self,
        operation: Operation,
        body: &serde_json::Value,
        making: bool,
    ) -> Result<Answer, Error> {
        let timeout = if making {
            self.create_timeout
        } else {
            self.request_timeout
        };
        let request = self
            .request(operation, &[])
            .timeout(timeout)
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string());
        self.send(operation.id, request).await
    }

    /// Sends `operation` with a `multipart/form-data` body (the asset upload), with the create
    /// timeout.
    pub async fn post_multipart(
        &self,
        operation: Operation,
        form: reqwest::multipart::Form,
    ) -> Result<Answer, Error> {
        let request = self
            .request(operation, &[])
            .timeout(self.create_timeout)
            .multipart(form);
        self.send(operation.id, request).await
    }

    /// Sends a GET without parameters (the models list).
    pub async fn get(&self, operation: Operation) -> Result<Answer, Error> {
        let request = self.request(operation, &[]).timeout(self.request_timeout);
        self.send(operation.id, request).await
    }

    /// Starts fetching a file from the storage host, from byte `from` on; never with the key.
    pub async fn fetch_file(
        &self,
        url: &str,
        from: u64,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let mut request = self.storage.get(url);
        if from > 0 {
            request = request.header(RANGE, format!("bytes={from}-"));
        }
        request.send().await
    }

    fn request(&self, operation: Operation, parameters: &[&str]) -> reqwest::RequestBuilder {
        let url = operation.url(&self.base_url, parameters);
        let method = reqwest::Method::from_bytes(operation.method.as_bytes())
            .expect("the spec's methods are HTTP methods");
        self.api.request(method, url)
    }
}

/// The redirects the API's requests follow: to the API's own origin (scheme, host and port),
/// with 307 or 308, which keep the method and the body, at most 5 in a row. Any other is
/// answered as it came ([`Error::Redirected`]): another origin would be sent the request (a
/// create's prompt and files) even without the key, and 301, 302 and 303 turn a create into a
/// GET.
fn same_origin_only(attempt: reqwest::redirect::Attempt<'_>) -> reqwest::redirect::Action {
    let first = attempt.previous().first();
    let same_origin = first.is_some_and(|first| first.origin() == attempt.url().origin());
    let keeps_the_request = matches!(attempt.status().as_u16(), 307 | 308);
    if same_origin && keeps_the_request && attempt.previous().len() <= 5 {
        attempt.follow()
    } else {
        attempt.stop()
    }
}

/// Where a redirect pointed, for its error: the host (and port) only, never a path or query
/// that may carry a token.
fn redirect_target(headers: &reqwest::header::HeaderMap, from: &reqwest::Url) -> String {
    let location = headers
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok());
    match location.map(|location| from.join(location)) {
        Some(Ok(url)) => {
            let host = url.host_str().unwrap_or("?");
            match url.port() {
                Some(port) => format!("{}://{host}:{port}", url.scheme()),
                None => format!("{}://{host}", url.scheme()),
            }
        }
        Some(Err(_)) => "a location that is not a URL".into(),
        None => "no location".into(),
    }
}

/// The spec's `info.version`, which the generated client sends as `api-version` too.
fn api_version() -> &'static str {
    <anyfast_video_api::Client as anyfast_video_api::ClientInfo<()>>::api_version()
}

impl Transport {
    /// Sends one request when the client's pace allows, and reads its whole answer (up to
    /// [`MAX_ANSWER_BYTES`]). A 429 slows every call of the client down.
    async fn send(
        &self,
        operation: &'static str,
        request: reqwest::RequestBuilder,
    ) -> Result<Answer, Error> {
        let _slot = self.in_flight.slot().await;
        self.pacer.ready().await;
        let answer = send(operation, request).await?;
        if answer.status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            if is_concurrency_limit(&answer.body) {
                // Fewer at once, not only later.
                self.in_flight.too_many();
            }
            self.pacer.rate_limited(retry_after(&answer.headers));
        } else if answer.status.is_success() {
            self.in_flight.succeeded();
        }
        Ok(answer)
    }
}

/// Whether a 429's body is the gateway's per-key concurrency gate
/// (`token_concurrency_limit_reached`), not a rate limit.
fn is_concurrency_limit(body: &[u8]) -> bool {
    const CODE: &[u8] = b"token_concurrency_limit_reached";
    body.windows(CODE.len()).any(|window| window == CODE)
}

/// Sends one request and reads its whole answer (up to [`MAX_ANSWER_BYTES`]), recording the
/// status on the current span.
async fn send(operation: &'static str, request: reqwest::RequestBuilder) -> Result<Answer, Error> {
    let failed = |source| Error::Transport {
        operation,
        task_id: None,
        source,
    };
    let mut response = request.send().await.map_err(failed)?;
    let status = response.status();
    tracing::Span::current().record("http_status", status.as_u16());
    if status.is_redirection() {
        return Err(Error::Redirected {
            operation,
            status: status.as_u16(),
            to: redirect_target(response.headers(), response.url()),
            task_id: None,
        });
    }
    // Taken, not copied: only the body is read from the response after this.
    let headers = std::mem::take(response.headers_mut());
    // A body that arrives in one chunk (as answers of a few KiB do) is kept as it came; a
    // longer one is gathered into one buffer.
    let mut first: Option<Bytes> = None;
    let mut gathered = BytesMut::new();
    let mut length = 0;
    let mut truncated = false;
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        let room = MAX_ANSWER_BYTES - length;
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
    Ok(Answer {
        status,
        headers,
        body,
        truncated,
    })
}
