//! Turning a fault decision into what the client sees, and the JSON answers every handler
//! shares.

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value, json};

use crate::fault_plan::Decision;
use crate::faults::FaultKind;
use crate::listener::ConnectionKill;
use crate::validation::Rejection;

/// The gateway's answer to a request beyond the key's concurrency: 429, not processed.
pub(super) fn concurrency_limit_reached() -> Response {
    let body = error_body(
        "token concurrency limit reached (injected by anyfast-mock)",
        "new_api_error",
        "token_concurrency_limit_reached",
    );
    json_response(StatusCode::TOO_MANY_REQUESTS, &body)
}

/// The page a proxy shows for a 5xx.
fn html_page(status: StatusCode) -> String {
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n\
         <hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// A JSON response.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// The documented error body.
pub(crate) fn error_body(message: &str, kind: &str, code: &str) -> Value {
    json!({"error": {"message": message, "type": kind, "code": code}})
}

/// The 400 of a refused request: the documented error body, with the field it names as
/// `param`.
pub(crate) fn bad_request(rejection: Rejection) -> Response {
    let mut error = error_body(&rejection.message, "invalid_request_error", rejection.code);
    error["error"]["param"] = rejection.field.into();
    json_response(StatusCode::BAD_REQUEST, &error)
}

/// Waits out the decided latency, then answers for the faults that stop a request before it
/// is processed (`None`: process it).
pub(super) async fn before_processing(
    decision: &Decision,
    kill: &ConnectionKill,
) -> Option<Response> {
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    match decision.outcome.as_ref()? {
        FaultKind::RateLimited { retry_after_secs } => {
            let body = error_body(
                "Request rate limit exceeded (injected by anyfast-mock). Request ID: mock-429",
                "rate_limit_error",
                "RateLimitExceeded.EndpointRPMExceeded",
            );
            let mut response = json_response(StatusCode::TOO_MANY_REQUESTS, &body);
            response.headers_mut().insert(
                header::RETRY_AFTER,
                retry_after_secs.to_string().parse().expect("digits"),
            );
            Some(response)
        }
        FaultKind::ServerError { status, html } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Some(if *html {
                (
                    status,
                    [(header::CONTENT_TYPE, "text/html")],
                    html_page(status),
                )
                    .into_response()
            } else {
                let body = json!({
                    "code": "internal_error",
                    "message": format!("upstream request failed with {status} (injected by anyfast-mock)"),
                    "data": null,
                });
                json_response(status, &body)
            })
        }
        FaultKind::DropConnection => Some(kill.drop_connection().await),
        FaultKind::OutOfCredit => {
            let body = error_body(
                "user quota is not enough (用户额度不足, injected by anyfast-mock)",
                "new_api_error",
                "insufficient_user_quota",
            );
            Some(json_response(StatusCode::FORBIDDEN, &body))
        }
        FaultKind::Latency(_)
        | FaultKind::TruncateBody
        | FaultKind::MalformedJson
        | FaultKind::SlowAnswer(_)
        | FaultKind::StatusWord(_) => None,
    }
}

/// Applies the faults that strike after processing to a JSON answer.
pub(crate) async fn after_processing(
    decision: &Decision,
    status: StatusCode,
    body: &Value,
) -> Response {
    if let Some(FaultKind::StatusWord(word)) = &decision.outcome {
        return json_response(status, &with_status_word(body, word));
    }
    let text = body.to_string();
    match decision.outcome {
        Some(FaultKind::SlowAnswer(delay)) => {
            tokio::time::sleep(delay).await;
            json_response(status, body)
        }
        Some(FaultKind::MalformedJson) => {
            // Cut by bytes: the body may hold any character a client sent.
            let cut = Bytes::copy_from_slice(&text.as_bytes()[..text.len() / 2]);
            (status, [(header::CONTENT_TYPE, "application/json")], cut).into_response()
        }
        Some(FaultKind::TruncateBody) => truncated(status, "application/json", Bytes::from(text)),
        _ => json_response(status, body),
    }
}

/// `body` with `word` as its status wherever it has one: at the top (the flat shapes), in
/// `data` (the wrapper) and in `data.data` (the upstream task).
fn with_status_word(body: &Value, word: &str) -> Value {
    let mut body = body.clone();
    let mut places = vec![&mut body];
    while let Some(place) = places.pop() {
        let Some(object) = place.as_object_mut() else {
            continue;
        };
        for (key, value) in object.iter_mut() {
            match key.as_str() {
                "status" => *value = Value::String(word.to_string()),
                "data" => places.push(value),
                _ => {}
            }
        }
    }
    body
}

/// `stream`, then a pause (so that what came before is flushed to the client) and an error
/// that makes the server break the connection.
pub(crate) fn then_cut_off<S>(stream: S) -> Body
where
    S: futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
{
    let cut = futures_util::stream::once(async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "cut off by anyfast-mock",
        ))
    });
    Body::from_stream(futures_util::StreamExt::chain(stream, cut))
}

/// A response that announces all of `body` but sends half, then breaks the connection.
pub(crate) fn truncated(status: StatusCode, content_type: &str, body: Bytes) -> Response {
    let length = body.len();
    let half = futures_util::stream::iter([Ok(body.slice(..length / 2))]);
    let mut response = Response::new(then_cut_off(half));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        content_type.parse().expect("a valid header"),
    );
    headers.insert(header::CONTENT_LENGTH, length.into());
    response
}
