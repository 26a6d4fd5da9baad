//! The tolerant reader: turns whatever the service answered (the raw answer the generated
//! client's hooks captured) into a [`Task`] or an [`Error`].
//!
//! The generated client decodes an answer all or nothing: one field of a type the spec did not
//! foresee fails the whole answer, the task id with it, and an error body of a shape its
//! `ErrorBody` does not name loses its message. So the spec keeps describing the documented
//! contract, every request is still sent by the generated client, and this module reads the
//! raw answer the way a careful human would:
//!
//! - **Essential**, and decided strictly: the task id; the status word; on success, the video
//!   URL; on failure, the reason. An answer without them is unreadable
//!   ([`Error::InvalidResponse`]), never guessed at.
//! - **Best-effort**, everything else: times as unix seconds or milliseconds, numeric strings or
//!   ISO-8601 ([`time()`]); progress as an integer, a float or `"NN%"` ([`progress`]); status
//!   words in any case ([`TaskStatus::parse`](crate::TaskStatus::parse)); `code` as a string or
//!   a number ([`code_means_success`]); null and absent alike; unknown fields kept in
//!   [`Task::raw`]. A field of an unexpected type is skipped and reported at debug level.
//! - **Create never loses an id**: any 2xx is a created task when an id is found (`id`,
//!   `task_id`, `data.task_id`, `data.id`); otherwise the error carries the body (bounded) and
//!   any id-like value in it.
//!
//! The same readers serve callback bodies (`callback_url`) and your own stored answers:
//!
//! ```
//! use anyfast_video::{TaskStatus, tolerant};
//!
//! let body = br#"{"id": "cgt-1", "status": "Succeeded", "content": {"video_url": "https://v/1.mp4"},
//!                 "created_at": "2026-11-23T08:00:00Z", "progress": 100.0}"#;
//! let task = tolerant::read_task("cgt-1", 200, body)?;
//! assert_eq!(task.status, TaskStatus::Succeeded);
//! assert_eq!(task.video_url.as_deref(), Some("https://v/1.mp4"));
//!
//! let created = tolerant::read_created(202, br#"{"code": 0, "data": {"task_id": "cgt-2"}}"#)?;
//! assert_eq!(created.id, "cgt-2");
//! # Ok::<(), anyfast_video::Error>(())
//! ```

mod error_body;
mod lenient;
mod library;
mod task;

use anyfast_video_api::capture::RawAnswer as Answer;
use reqwest::StatusCode;
use serde_json::Value;

pub use error_body::UNRECOGNISED_ERROR_BODY;
pub use lenient::{code_means_success, progress, time};

use crate::asset::{Asset, AssetPage};
use crate::error::Error;
use crate::model_info::ModelInfo;
use crate::retry::retry_after;
use crate::task::Task;
use task::Unusable;

/// How much of an unreadable body an error keeps.
pub(crate) const KEPT_BODY_BYTES: usize = 4 * 1024;

/// Reads the answer to a create: a created [`Task`] for any 2xx that names an id; otherwise
/// an error ([`Error::InvalidResponse`] carrying the body and any id-like value for a 2xx whose
/// task cannot be found, [`Error::Api`] or [`Error::RateLimited`] for an error).
///
/// ```
/// use anyfast_video::{Error, tolerant};
///
/// let html = tolerant::read_created(200, b"<html>Service Unavailable</html>").unwrap_err();
/// assert!(matches!(html, Error::InvalidResponse { .. }));
/// let hidden = tolerant::read_created(200, br#"{"result": {"job": "cgt-20261124-abc"}}"#).unwrap_err();
/// assert_eq!(hidden.task_id(), Some("cgt-20261124-abc"));
/// ```
pub fn read_created(status: u16, body: &[u8]) -> Result<Task, Error> {
    created(&Answer::new(status, body.to_vec()))
}

/// Reads the answer to a query of task `id` (or a callback body about it): the [`Task`], whose
/// [`Task::id`] is `id` whatever the answer calls it, or the error the answer is.
///
/// ```
/// use anyfast_video::{Error, TaskStatus, tolerant};
///
/// let running = tolerant::read_task("cgt-1", 200, br#"{"code": "success", "data": {"status": "in_progress", "progress": 42}}"#)?;
/// assert_eq!((running.status, running.progress), (TaskStatus::Running, 42));
/// let not_found = tolerant::read_task("cgt-1", 404, br#"{"code": "task_not_exist", "message": "task_not_exist"}"#).unwrap_err();
/// assert!(matches!(not_found, Error::Api { status: 404, .. }));
/// # Ok::<(), anyfast_video::Error>(())
/// ```
pub fn read_task(id: &str, status: u16, body: &[u8]) -> Result<Task, Error> {
    queried(id, &Answer::new(status, body.to_vec()))
}

/// Reads an error answer of any known body shape (JSON or not) into an [`Error`]: 429 gives
/// [`Error::RateLimited`], every other status [`Error::Api`].
///
/// ```
/// use anyfast_video::{Error, tolerant};
///
/// match tolerant::read_error(401, br#"{"error": {"message": "No token provided"}}"#) {
///     Error::Api { status, message, .. } => assert_eq!((status, message.as_str()), (401, "No token provided")),
///     other => panic!("{other:?}"),
/// }
/// ```
pub fn read_error(status: u16, body: &[u8]) -> Error {
    error(&Answer::new(status, body.to_vec()), None)
}

/// The created task, or the error, of a create's answer.
pub(crate) fn created(answer: &Answer) -> Result<Task, Error> {
    if !answer.status.is_success() {
        return Err(error(answer, None));
    }
    // Whatever could not be read, any id-like value goes with the error: the task may exist.
    let unreadable_create = |detail: String, json: Option<&Value>| {
        let candidate = json
            .and_then(id_like_in_json)
            .or_else(|| id_like_in_text(&String::from_utf8_lossy(&answer.body)));
        unreadable("create", answer, candidate, detail)
    };
    let json = match parse(answer) {
        Ok(json) => json,
        Err(detail) => return Err(unreadable_create(detail, None)),
    };
    match task::created(&json) {
        Ok(mut task) => {
            task.raw = json;
            Ok(task)
        }
        Err(Unusable::ErrorInBody) => Err(error(answer, task::created_id(&json))),
        Err(Unusable::Missing(what)) => Err(unreadable_create(
            format!("answered {} but {what}", answer.status.as_u16()),
            Some(&json),
        )),
    }
}

/// Reads the models list: every model the key can use (filter with
/// [`ModelInfo::is_video`]).
///
/// ```
/// let models = anyfast_video::tolerant::read_models(200, br#"{"object": "list", "data": [
///     {"id": "seedance", "supported_endpoint_types": ["video"]},
///     {"id": "gpt-4o-mini", "supported_endpoint_types": ["openai"]}]}"#)?;
/// let video: Vec<&str> = models.iter().filter(|m| m.is_video()).map(|m| m.id.as_str()).collect();
/// assert_eq!(video, ["seedance"]);
/// # Ok::<(), anyfast_video::Error>(())
/// ```
pub fn read_models(status: u16, body: &[u8]) -> Result<Vec<ModelInfo>, Error> {
    models(&Answer::new(status, body.to_vec()))
}

/// The JSON of a successful answer to `operation`, or the error the answer is: an error
/// status, a body that is not JSON, or an error body under a 2xx.
fn success_json(
    operation: &'static str,
    answer: &Answer,
    task_id: Option<&str>,
) -> Result<Value, Error> {
    // The id is copied into an error only: a read that succeeds needs no copy of it.
    let task_id = || task_id.map(str::to_string);
    if !answer.status.is_success() {
        return Err(error(answer, task_id()));
    }
    let json = parse(answer).map_err(|detail| unreadable(operation, answer, task_id(), detail))?;
    if task::is_error_in_body(&json) {
        return Err(error(answer, task_id()));
    }
    Ok(json)
}

/// The id in the answer to an operation that makes something (an asset group, an asset).
pub(crate) fn created_id(operation: &'static str, answer: &Answer) -> Result<String, Error> {
    read(operation, answer, "names no Id", library::created_id)
}

/// The asset in a GetAsset answer.
pub(crate) fn asset(answer: &Answer) -> Result<Asset, Error> {
    read("get_asset", answer, "names no asset Id", library::asset)
}

/// Whether a DeleteAsset answer says the asset was deleted (`{"Id": ..., "Deleted": true}`).
pub(crate) fn deleted(answer: &Answer) -> Result<bool, Error> {
    let deleted = |json: &Value| lenient::boolean("Deleted", json.get("Deleted"));
    read("delete_asset", answer, "says nothing of Deleted", deleted)
}

/// The page in a ListAssets answer; `asked_*` fill in what the answer leaves out.
pub(crate) fn asset_page(answer: &Answer, number: u32, size: u32) -> Result<AssetPage, Error> {
    let page = |json: &Value| library::page(json, number, size);
    read("list_assets", answer, "has no Items", page)
}

/// The models in a models list.
pub(crate) fn models(answer: &Answer) -> Result<Vec<ModelInfo>, Error> {
    read("list_models", answer, "has no data array", library::models)
}

/// What `find` finds in the JSON of a successful answer to `operation`, or the error the answer
/// is (an error status, a body that is not JSON, an error body under a 2xx, or JSON in which
/// `find` finds nothing: it `lacks` it).
fn read<T>(
    operation: &'static str,
    answer: &Answer,
    lacks: &str,
    find: impl FnOnce(&Value) -> Option<T>,
) -> Result<T, Error> {
    let json = success_json(operation, answer, None)?;
    find(&json).ok_or_else(|| {
        let detail = format!("answered {} but {lacks}", answer.status.as_u16());
        unreadable(operation, answer, None, detail)
    })
}

/// The task, or the error, of a query's answer about task `id` (an error body under a 2xx is
/// found by [`success_json`]).
pub(crate) fn queried(id: &str, answer: &Answer) -> Result<Task, Error> {
    let json = success_json("get", answer, Some(id))?;
    match task::queried(id, &json) {
        Ok(mut task) => {
            task.raw = json;
            Ok(task)
        }
        Err(Unusable::ErrorInBody) => Err(error(answer, Some(id.to_string()))),
        Err(Unusable::Missing(what)) => Err(unreadable(
            "get",
            answer,
            Some(id.to_string()),
            format!("answered {} but {what}", answer.status.as_u16()),
        )),
    }
}

/// The gateway's codes for an account out of credit and for a key past its own spending cap:
/// every later call fails the same way until someone tops up.
const QUOTA_CODES: [&str; 2] = ["insufficient_user_quota", "pre_consume_token_quota_failed"];

/// The error an answer stands for: an error status, or an error body under a 2xx.
pub(crate) fn error(answer: &Answer, task_id: Option<String>) -> Error {
    let details = error_body::details(&answer.body, &answer.headers);
    let retry_after = retry_after(&answer.headers);
    if answer.status == StatusCode::TOO_MANY_REQUESTS {
        return Error::RateLimited {
            retry_after,
            message: details.message,
            task_id,
        };
    }
    if let Some(code) = details
        .code
        .as_deref()
        .filter(|code| QUOTA_CODES.contains(code))
    {
        return Error::OutOfCredit {
            code: code.to_string(),
            message: details.message,
            request_id: details.request_id,
            task_id,
        };
    }
    Error::Api {
        status: answer.status.as_u16(),
        code: details.code,
        message: details.message,
        request_id: details.request_id,
        task_id,
        retry_after,
    }
}

/// The answer's body as JSON, or why it is not.
fn parse(answer: &Answer) -> Result<Value, String> {
    let status = answer.status.as_u16();
    if answer.truncated {
        return Err(format!(
            "answered {status} with a body larger than {} bytes",
            answer.body.len()
        ));
    }
    if answer.body.iter().all(u8::is_ascii_whitespace) {
        return Err(format!("answered {status} with an empty body"));
    }
    serde_json::from_slice(&answer.body).map_err(|error| {
        let looks_like = if looks_like_html(&answer.body) {
            "an HTML page, not JSON"
        } else {
            "a body that is not JSON"
        };
        format!("answered {status} with {looks_like} ({error})")
    })
}

fn looks_like_html(body: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    let start = start.trim_start();
    start.starts_with("<!doctype html") || start.starts_with("<html") || start.contains("<body")
}

fn unreadable(
    operation: &'static str,
    answer: &Answer,
    task_id: Option<String>,
    detail: String,
) -> Error {
    Error::InvalidResponse {
        operation,
        task_id,
        detail,
        body: preview(&answer.body),
    }
}

/// The start of a body, as text, for errors.
pub(crate) fn preview(body: &[u8]) -> String {
    let mut end = body.len().min(KEPT_BODY_BYTES);
    // Never cut a character in two.
    while end < body.len() && end > 0 && std::str::from_utf8(&body[..end]).is_err() {
        end -= 1;
    }
    String::from_utf8_lossy(&body[..end]).into_owned()
}

/// A value under a key that names an id (`id`, `task_id`, `taskId`, `job_id`...), anywhere in
/// the answer, depth first.
fn id_like_in_json(json: &Value) -> Option<String> {
    match json {
        Value::Object(object) => object
            .iter()
            .find_map(|(key, value)| {
                let key = key.to_ascii_lowercase().replace(['_', '-'], "");
                let names_an_id = key == "id" || key.ends_with("taskid") || key.ends_with("jobid");
                names_an_id
                    .then(|| lenient::text(&key, Some(value)))
                    .flatten()
            })
            .or_else(|| object.values().find_map(id_like_in_json)),
        Value::Array(items) => items.iter().find_map(id_like_in_json),
        Value::String(text) => id_like_in_text(text),
        _ => None,
    }
}

/// A word that looks like one of this service's task ids (`cgt-...`, `asyntask_...`), and that
/// ends before the text does: an id at the very end of a cut-off body may be cut too.
fn id_like_in_text(text: &str) -> Option<String> {
    ["cgt-", "asyntask_"].iter().find_map(|prefix| {
        let start = text.find(prefix)?;
        let id: String = text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let whole = start + id.len() < text.len();
        (id.len() > prefix.len() && whole).then_some(id)
    })
}

#[cfg(test)]
mod tests;
