//! The client's `ClientHooks`: where this crate corrects what progenitor generates, without
//! editing generated code, and where a [`Capture`](crate::capture::Capture) around a call is
//! given its timeout and its raw answer.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::Url;

use crate::capture::{self, RawAnswer};
use crate::{Client, types};

/// The `code` of the [`types::ErrorBody`] that stands for an error response whose body could
/// not be decoded as one (an HTML page from a proxy, say). Its `message` holds the body's text.
///
/// ```
/// assert_eq!(anyfast_video_api::UNRECOGNISED_ERROR_BODY, "unrecognised_error_body");
/// ```
pub const UNRECOGNISED_ERROR_BODY: &str = "unrecognised_error_body";

/// How much of an unrecognised error body is kept in the message.
const KEPT_BODY_BYTES: usize = 8 * 1024;

impl ClientHooks for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        remove_doubled_slash(self.baseurl(), request.url_mut());
        if let Some(timeout) = capture::timeout() {
            *request.timeout_mut() = Some(timeout);
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let mut response = self.client().execute(request).await?;
        let Some(answer_only) = capture::active() else {
            return keep_status_of_unrecognised_error(response).await;
        };
        // The capture keeps the answer exactly; the generated code is handed the same bytes
        // (with the status-keeping rewrite of an unrecognised error body), or only the status
        // when the capture's caller reads the raw answer alone.
        let answer = capture::read(&mut response).await?;
        let handed_on = if !answer_only {
            rebuilt(&answer, response.version())
        } else if answer.truncated {
            status_only(&answer, response.version())
        } else {
            // The response itself: its headers taken and its body read, only its status is
            // left, and no new response need be built (nor its URL copied) for it.
            response
        };
        capture::keep(answer);
        Ok(handed_on)
    }
}

/// The generated code joins `baseurl` and the operation path with `format!("{}{}", ...)`, so a
/// base URL ending in `/` would request `//v1/...`. This undoes that doubling, and only that.
fn remove_doubled_slash(baseurl: &str, url: &mut Url) {
    // The usual case, a path without `//`, has nothing to undo: no need to parse the base URL
    // (a parse per request).
    if !url.path().contains("//") {
        return;
    }
    let Ok(base) = Url::parse(baseurl) else {
        return;
    };
    let base_path = base.path().trim_end_matches('/');
    let Some(rest) = url.path().strip_prefix(base_path) else {
        return;
    };
    if rest.starts_with("//") {
        let joined = format!("{base_path}/{}", rest.trim_start_matches('/'));
        url.set_path(&joined);
    }
}

/// progenitor reports an error body that does not decode as [`types::ErrorBody`] as
/// `Error::InvalidResponsePayload`, which has no HTTP status. Rewriting such a body into an
/// `ErrorBody` (code [`UNRECOGNISED_ERROR_BODY`], the text as message) makes it arrive as
/// `Error::ErrorResponse` with its real status and headers instead.
async fn keep_status_of_unrecognised_error(
    response: reqwest::Response,
) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(response);
    }
    let version = response.version();
    let url = response.url().clone();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    let answer = RawAnswer {
        status,
        headers,
        body,
        truncated: false,
        url,
    };
    Ok(rebuilt(&answer, version))
}

/// A response holding `answer` for the generated code to decode: the same status, headers and
/// bytes, except that an error body that is not an [`types::ErrorBody`] becomes one (see
/// [`keep_status_of_unrecognised_error`]).
fn rebuilt(answer: &RawAnswer, version: http::Version) -> reqwest::Response {
    let status = answer.status;
    let mut headers = answer.headers.clone();
    let is_error = status.is_client_error() || status.is_server_error();
    let body = if is_error && serde_json::from_slice::<types::ErrorBody>(&answer.body).is_err() {
        headers.remove(reqwest::header::CONTENT_LENGTH);
        let kept = &answer.body[..answer.body.len().min(KEPT_BODY_BYTES)];
        let replacement = serde_json::json!({
            "code": UNRECOGNISED_ERROR_BODY,
            "message": String::from_utf8_lossy(kept).trim(),
        });
        bytes::Bytes::from(replacement.to_string())
    } else {
        if answer.truncated {
            headers.remove(reqwest::header::CONTENT_LENGTH);
        }
        answer.body.clone()
    };
    let mut rebuilt = response(answer, version, body);
    *rebuilt.headers_mut() = headers;
    reqwest::Response::from(rebuilt)
}

/// A response with `answer`'s status alone (no headers, an empty body), for a
/// [`Capture::answer_only`](crate::capture::Capture::answer_only) whose answer was truncated
/// (any other is handed on as it was read): the generated code decodes nothing the capture's
/// caller discards, and never reads the rest of the body.
fn status_only(answer: &RawAnswer, version: http::Version) -> reqwest::Response {
    reqwest::Response::from(response(answer, version, bytes::Bytes::new()))
}

/// A response with `answer`'s status and URL (so that reqwest does not parse a placeholder URL
/// for it), this version and body, and no headers.
fn response(
    answer: &RawAnswer,
    version: http::Version,
    body: bytes::Bytes,
) -> http::Response<bytes::Bytes> {
    use reqwest::ResponseBuilderExt;
    let mut response = http::Response::builder()
        .url(answer.url.clone())
        .body(body)
        .unwrap_or_default();
    *response.status_mut() = answer.status;
    *response.version_mut() = version;
    response
}

#[cfg(test)]
mod tests {
    use super::remove_doubled_slash;
    use reqwest::Url;

    fn joined(base: &str) -> String {
        let mut url = Url::parse(&format!("{base}/v1/video/generations")).unwrap();
        remove_doubled_slash(base, &mut url);
        url.to_string()
    }

    #[test]
    fn a_trailing_slash_on_the_base_url_does_not_double_the_joint() {
        assert_eq!(joined("https://h"), "https://h/v1/video/generations");
        assert_eq!(joined("https://h/"), "https://h/v1/video/generations");
        assert_eq!(joined("https://h//"), "https://h/v1/video/generations");
        assert_eq!(
            joined("https://h/api/"),
            "https://h/api/v1/video/generations"
        );
        assert_eq!(
            joined("http://127.0.0.1:8080/"),
            "http://127.0.0.1:8080/v1/video/generations"
        );
    }

    #[test]
    fn slashes_after_the_joint_are_left_alone() {
        let mut url = Url::parse("https://h/v1/video/generations/a%2F%2Fb").unwrap();
        remove_doubled_slash("https://h/", &mut url);
        assert_eq!(url.as_str(), "https://h/v1/video/generations/a%2F%2Fb");
    }
}
