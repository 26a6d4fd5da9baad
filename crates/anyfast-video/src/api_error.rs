//! Turning what the generated client reports into this crate's [`Error`], reading every error
//! body shape the service is known to send.

use std::time::Duration;

use anyfast_video_api::{ResponseValue, types};
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::Error;

/// Maps an error of the generated client for `operation`.
pub(crate) fn from_generated(
    error: anyfast_video_api::Error<types::ErrorBody>,
    operation: &'static str,
) -> Error {
    use anyfast_video_api::Error as Generated;
    match error {
        Generated::ErrorResponse(response) => from_error_response(response),
        Generated::CommunicationError(source)
        | Generated::ResponseBodyError(source)
        | Generated::InvalidUpgrade(source) => Error::Transport {
            operation,
            task_id: None,
            source,
        },
        Generated::InvalidResponsePayload(body, error) => Error::InvalidResponse {
            operation,
            task_id: None,
            detail: format!("{error}; the body starts {:?}", preview(&body)),
        },
        Generated::UnexpectedResponse(response) => Error::Api {
            status: response.status().as_u16(),
            code: None,
            message: "a response the spec does not describe".into(),
            request_id: request_id_header(response.headers()),
            task_id: None,
            retry_after: retry_after(response.headers()),
        },
        Generated::InvalidRequest(message) | Generated::Custom(message) => Error::Config(format!(
            "the {operation} request could not be built: {message}"
        )),
    }
}

fn from_error_response(response: ResponseValue<types::ErrorBody>) -> Error {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_inner();
    let (code, message) = code_and_message(&body);
    let request_id = request_id_in(&message).or_else(|| request_id_header(&headers));
    if status == 429 {
        return Error::RateLimited {
            retry_after: retry_after(&headers),
            message,
            task_id: None,
        };
    }
    Error::Api {
        status,
        code,
        message,
        request_id,
        task_id: None,
        retry_after: retry_after(&headers),
    }
}

/// The code and message of any documented error body: `{error: {code, message}}`,
/// `{code, message}`, and `{code, message: "<JSON of an upstream error>"}`.
pub(crate) fn code_and_message(body: &types::ErrorBody) -> (Option<String>, String) {
    let detail = body.error.as_ref();
    let mut code = detail
        .and_then(|d| d.code.clone())
        .or_else(|| body.code.clone());
    let mut message = detail
        .and_then(|d| d.message.clone())
        .or_else(|| body.message.clone())
        .unwrap_or_default();
    if let Ok(nested) = serde_json::from_str::<Value>(message.trim()) {
        let inner = nested.get("error").unwrap_or(&nested);
        if let Some(inner_message) = inner.get("message").and_then(Value::as_str) {
            if let Some(inner_code) = inner.get("code").and_then(Value::as_str) {
                code = Some(inner_code.to_string());
            }
            message = inner_message.to_string();
        }
    }
    (code.filter(|code| !code.is_empty()), message)
}

/// The id after "Request ID:" in an upstream message.
fn request_id_in(message: &str) -> Option<String> {
    let (_, after) = message.rsplit_once("Request ID:")?;
    let id: String = after
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!id.is_empty()).then_some(id)
}

fn request_id_header(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "x-tt-logid", "x-oneapi-request-id"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .map(str::to_string)
}

/// `Retry-After` in seconds (the HTTP-date form is not used by this service).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

fn preview(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(120)]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: Value) -> types::ErrorBody {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn every_documented_body_shape_yields_code_and_message() {
        let documented = body(
            serde_json::json!({"error": {"message": "Invalid API key provided", "type": "authentication_error", "code": "invalid_api_key"}}),
        );
        assert_eq!(
            code_and_message(&documented),
            (
                Some("invalid_api_key".into()),
                "Invalid API key provided".into()
            )
        );

        let flat = body(serde_json::json!({"code": "task_not_exist", "message": "task_not_exist"}));
        assert_eq!(
            code_and_message(&flat),
            (Some("task_not_exist".into()), "task_not_exist".into())
        );

        let relayed = body(serde_json::json!({
            "code": "upstream_error",
            "message": "{\"error\":{\"code\":\"InvalidParameter\",\"message\":\"The parameter `content` is not valid. Request ID: 2026abc\"}}",
            "data": null
        }));
        let (code, message) = code_and_message(&relayed);
        assert_eq!(code.as_deref(), Some("InvalidParameter"));
        assert_eq!(
            message,
            "The parameter `content` is not valid. Request ID: 2026abc"
        );
        assert_eq!(request_id_in(&message).as_deref(), Some("2026abc"));
    }

    #[test]
    fn a_message_without_a_request_id_has_none() {
        assert_eq!(request_id_in("plain"), None);
        assert_eq!(request_id_in("Request ID: "), None);
    }
}
