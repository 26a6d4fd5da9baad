//! One attempt of an operation, sent by the generated client: it waits for its turn (the
//! in-flight bound, the pace after a 429), runs the generated builder's `.send()` inside a
//! [`Capture`] (which gives the request its timeout in the client's `pre` hook and keeps the
//! raw answer in its `exec` hook), and hands the raw answer up to the tolerant reader. The
//! capture is [`Capture::answer_only`]: the tolerant reader reads the raw answer and the typed
//! result is discarded, so the generated code is not given the body to decode a second time. An
//! attempt that got no answer becomes its error here; one that did is never judged here.

use std::future::Future;
use std::time::Duration;

use anyfast_video_api::capture::{Capture, RawAnswer};
use anyfast_video_api::validate::{Rule, Violation};
use anyfast_video_api::{ClientHooks, OperationInfo};

use crate::error::Error;
use crate::in_flight::InFlight;
use crate::pace::Pacer;
use crate::retry::retry_after;

/// The generated client and what every attempt through it shares.
#[derive(Debug)]
pub(crate) struct Sender {
    api: anyfast_video_api::Client,
    pacer: Pacer,
    /// Bounds the API requests in flight: a fan-out of thousands of waits must not open
    /// thousands of connections, and the gateway's per-key concurrency gate lowers it.
    in_flight: InFlight,
    /// How long an attempt that makes something (a create, an upload) may take in all.
    pub making: Duration,
    /// How long any other attempt may take in all.
    pub query: Duration,
}

impl Sender {
    pub fn new(
        api: anyfast_video_api::Client,
        most: usize,
        making: Duration,
        query: Duration,
    ) -> Self {
        Sender {
            api,
            pacer: Pacer::default(),
            in_flight: InFlight::new(most),
            making,
            query,
        }
    }

    /// The generated client, configured.
    pub fn api(&self) -> &anyfast_video_api::Client {
        &self.api
    }

    /// Sends `call` (a generated builder's `.send()`, or [`Sender::by_hand`]) when its turn
    /// comes, with this timeout, and returns the raw answer. A 429 slows every call of the
    /// client down.
    ///
    /// `call` is boxed here, before any future holds it: the generated `send()` future is
    /// large (reqwest's request and the hooks' futures), and held inline it would make this
    /// future, the attempt around it, the retries, the span and every caller's future as
    /// large, each copied as it is built and moved.
    pub fn send<T, E>(
        &self,
        operation: &'static str,
        timeout: Duration,
        call: impl Future<Output = Result<T, anyfast_video_api::Error<E>>>,
    ) -> impl Future<Output = Result<RawAnswer, Error>> {
        let call = Box::pin(call);
        async move {
            let _slot = self.in_flight.slot().await;
            self.pacer.ready().await;
            let capture = Capture::default().timeout(timeout).answer_only();
            let (result, answer) = capture.run(call).await;
            let Some(answer) = answer else {
                return Err(unanswered(operation, result.err()));
            };
            let status = answer.status;
            tracing::Span::current().record("http_status", status.as_u16());
            if status.is_redirection() {
                return Err(Error::Redirected {
                    operation,
                    status: status.as_u16(),
                    to: redirect_target(&answer),
                    task_id: None,
                });
            }
            if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                if is_concurrency_limit(&answer.body) {
                    // Fewer at once, not only later.
                    self.in_flight.too_many();
                }
                self.pacer.rate_limited(retry_after(&answer.headers));
            } else if status.is_success() {
                self.in_flight.succeeded();
            }
            Ok(answer)
        }
    }

    /// A request built by hand (the asset upload's multipart form, which progenitor cannot
    /// generate) on the generated client's HTTP client, sent through its hooks as the
    /// generated operation `operation_id` would be; give it to [`Sender::send`].
    pub async fn by_hand(
        &self,
        operation_id: &'static str,
        request: reqwest::Result<reqwest::Request>,
    ) -> Result<reqwest::Response, anyfast_video_api::Error<()>> {
        let mut request = request.map_err(anyfast_video_api::Error::CommunicationError)?;
        let info = OperationInfo { operation_id };
        self.api.pre(&mut request, &info).await?;
        let response = self.api.exec(request, &info).await;
        response.map_err(anyfast_video_api::Error::CommunicationError)
    }
}

/// The error of an attempt that brought no answer back: it could not be built, or the network
/// failed before the whole answer came (reqwest's error kept as the cause).
fn unanswered<E>(operation: &'static str, error: Option<anyfast_video_api::Error<E>>) -> Error {
    use anyfast_video_api::Error as Api;
    match error {
        Some(Api::CommunicationError(source) | Api::ResponseBodyError(source)) => {
            Error::Transport {
                operation,
                task_id: None,
                source,
            }
        }
        Some(Api::InvalidRequest(detail)) => Error::InvalidRequest {
            violations: vec![Violation {
                field: operation.to_string(),
                rule: Rule::Schema { detail },
            }],
        },
        Some(Api::Custom(why)) => Error::Config(format!("{operation}: {why}")),
        _ => Error::Config(format!(
            "{operation}: no answer came, and no error says why"
        )),
    }
}

/// Where a redirect pointed, for its error: the host (and port) only, never a path or query
/// that may carry a token.
fn redirect_target(answer: &RawAnswer) -> String {
    let location = answer.headers.get(reqwest::header::LOCATION);
    match location
        .and_then(|value| value.to_str().ok())
        .map(|to| answer.url.join(to))
    {
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

/// Whether a 429's body is the gateway's per-key concurrency gate
/// (`token_concurrency_limit_reached`), not a rate limit.
fn is_concurrency_limit(body: &[u8]) -> bool {
    const CODE: &[u8] = b"token_concurrency_limit_reached";
    body.windows(CODE.len()).any(|window| window == CODE)
}
