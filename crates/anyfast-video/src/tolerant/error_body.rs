//! Reading an error answer: the code, message and request id of every body shape the service
//! is known to send, and of bodies that are not JSON at all.

use reqwest::header::HeaderMap;
use serde_json::Value;

use super::lenient::{self, FieldName, at};

/// The `code` given to an error whose body is not JSON (an HTML page from a proxy, say); its
/// message is then the body's text. The same word as the generated client's
/// `anyfast_video_api::UNRECOGNISED_ERROR_BODY`.
pub const UNRECOGNISED_ERROR_BODY: &str = anyfast_video_api::UNRECOGNISED_ERROR_BODY;

/// How much of a body that is not JSON is kept as the message.
const KEPT_TEXT_BYTES: usize = 8 * 1024;

/// What an error answer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ErrorDetails {
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
}

/// Reads an error body of any known shape: `{error: {code, message}}`, `{error: "text"}`,
/// `{code, message}` (with `msg` or `detail` for the message too), `{code, message: "<JSON of an
/// upstream error>"}`, or text that is not JSON. Codes may be strings or numbers.
pub(crate) fn details(body: &[u8], headers: &HeaderMap) -> ErrorDetails {
    let (code, message) = match serde_json::from_slice::<Value>(body) {
        Ok(json) if json.is_object() => code_and_message(&json),
        _ => (
            Some(UNRECOGNISED_ERROR_BODY.to_string()),
            String::from_utf8_lossy(&body[..body.len().min(KEPT_TEXT_BYTES)])
                .trim()
                .to_string(),
        ),
    };
    let request_id = request_id_in(&message).or_else(|| request_id_header(headers));
    ErrorDetails {
        code,
        message,
        request_id,
    }
}

/// The code and message of a JSON error body, unpacking an upstream error relayed as JSON text
/// inside `message`.
pub(crate) fn code_and_message(body: &Value) -> (Option<String>, String) {
    let nested_error = at(body, &["error"]).filter(|error| error.is_object());
    let text = |path: &[&str]| lenient::text(FieldName::of(path), at(body, path));
    let mut code = nested_error
        .and_then(|error| lenient::text("error.code", error.get("code")))
        .or_else(|| text(&["code"]));
    let mut message = nested_error
        .and_then(|error| lenient::text("error.message", error.get("message")))
        .or_else(|| text(&["error"]))
        .or_else(|| text(&["message"]))
        .or_else(|| text(&["msg"]))
        .or_else(|| text(&["detail"]))
        .unwrap_or_default();
    if let Ok(nested) = serde_json::from_str::<Value>(message.trim()) {
        let inner = nested.get("error").unwrap_or(&nested);
        if let Some(inner_message) = lenient::text("message", inner.get("message")) {
            if let Some(inner_code) = lenient::text("code", inner.get("code")) {
                code = Some(inner_code);
            }
            message = inner_message;
        }
    }
    (code, message)
}

/// The id after "Request ID:" in an upstream message.
pub(crate) fn request_id_in(message: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(body: Value) -> (Option<String>, String) {
        code_and_message(&body)
    }

    #[test]
    fn every_documented_body_shape_yields_code_and_message() {
        assert_eq!(
            read(
                json!({"error": {"message": "Invalid API key provided", "type": "authentication_error", "code": "invalid_api_key"}})
            ),
            (
                Some("invalid_api_key".into()),
                "Invalid API key provided".into()
            )
        );
        assert_eq!(
            read(json!({"code": "task_not_exist", "message": "task_not_exist"})),
            (Some("task_not_exist".into()), "task_not_exist".into())
        );
        let relayed = json!({
            "code": "upstream_error",
            "message": "{\"error\":{\"code\":\"InvalidParameter\",\"message\":\"The parameter `content` is not valid. Request ID: 2026abc\"}}",
            "data": null
        });
        let (code, message) = read(relayed);
        assert_eq!(code.as_deref(), Some("InvalidParameter"));
        assert_eq!(
            message,
            "The parameter `content` is not valid. Request ID: 2026abc"
        );
        assert_eq!(request_id_in(&message).as_deref(), Some("2026abc"));
    }

    #[test]
    fn drifted_bodies_still_give_code_and_message() {
        assert_eq!(
            read(json!({"code": 500, "msg": "busy"})),
            (Some("500".into()), "busy".into())
        );
        assert_eq!(
            read(json!({"error": "No token provided"})),
            (None, "No token provided".into())
        );
        assert_eq!(
            read(json!({"error": {"message": "x", "code": 42}})),
            (Some("42".into()), "x".into())
        );
        assert_eq!(
            read(json!({"detail": "Not Found"})),
            (None, "Not Found".into())
        );
    }

    #[test]
    fn a_body_that_is_not_json_keeps_its_text_as_the_message() {
        let details = details(
            b"<html><body>502 Bad Gateway</body></html>",
            &HeaderMap::new(),
        );
        assert_eq!(details.code.as_deref(), Some(UNRECOGNISED_ERROR_BODY));
        assert!(details.message.contains("502 Bad Gateway"));
        let huge = vec![b'x'; 100_000];
        assert_eq!(details_len(&huge), KEPT_TEXT_BYTES);
    }

    fn details_len(body: &[u8]) -> usize {
        details(body, &HeaderMap::new()).message.len()
    }

    #[test]
    fn a_message_without_a_request_id_has_none() {
        assert_eq!(request_id_in("plain"), None);
        assert_eq!(request_id_in("Request ID: "), None);
    }
}
