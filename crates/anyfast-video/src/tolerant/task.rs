//! Finding a task in a JSON answer: its id, status, video URL and failure (essential), and the
//! rest (best-effort), across the documented wrapper, the older flat shapes and their drift.

use serde_json::Value;

use super::lenient::{self, FieldName, at};
use crate::task::{Failure, Task, TaskStatus, Usage};

/// Where a created task's id may be, in order of preference.
const CREATED_ID_PATHS: [&[&str]; 4] =
    [&["id"], &["task_id"], &["data", "task_id"], &["data", "id"]];

/// Why an answer holds no usable task.
#[derive(Debug, PartialEq)]
pub(crate) enum Unusable {
    /// The body is an error, although the status said success (`{"code": "...", ...}`).
    ErrorInBody,
    /// Something essential is missing; the text says what.
    Missing(&'static str),
}

/// Where in an answer a task's fields can sit.
#[derive(Clone, Copy)]
enum Layer {
    /// anyfast's wrapper: `data`.
    Wrapper,
    /// The upstream (Ark) task inside it: `data.data`.
    Upstream,
    /// The top level: the older flat shapes, and the create answer.
    Top,
}

use Layer::{Top, Upstream, Wrapper};

/// The layers of one answer.
struct Layers<'a> {
    top: &'a Value,
    wrapper: Option<&'a Value>,
    upstream: Option<&'a Value>,
}

impl<'a> Layers<'a> {
    fn of(answer: &'a Value) -> Self {
        let wrapper = at(answer, &["data"]).filter(|data| data.is_object());
        let upstream = wrapper
            .and_then(|data| at(data, &["data"]))
            .filter(|data| data.is_object());
        Layers {
            top: answer,
            wrapper,
            upstream,
        }
    }

    /// The non-null value at `path` in `layer`, with the prefix of its dotted name.
    fn get(&self, layer: Layer, path: &[&str]) -> Option<(&'static str, &'a Value)> {
        let (prefix, base) = match layer {
            Wrapper => ("data.", self.wrapper?),
            Upstream => ("data.data.", self.upstream?),
            Top => ("", self.top),
        };
        let value = at(base, path).filter(|value| !value.is_null())?;
        Some((prefix, value))
    }

    /// The first readable value at `path`, trying `layers` in order. `read` gets the field's
    /// dotted name (`data.progress`) for its messages.
    fn first<'p, T>(
        &self,
        layers: &[Layer],
        path: &'p [&'p str],
        read: impl Fn(FieldName<'p>, Option<&Value>) -> Option<T>,
    ) -> Option<T> {
        layers.iter().find_map(|layer| {
            let (prefix, value) = self.get(*layer, path)?;
            read(FieldName { prefix, path }, Some(value))
        })
    }

    fn text(&self, layers: &[Layer], path: &[&str]) -> Option<String> {
        self.first(layers, path, lenient::text)
    }

    fn time(&self, layers: &[Layer], path: &[&str]) -> Option<std::time::SystemTime> {
        self.first(layers, path, lenient::time)
    }
}

/// Whether a 2xx answer is in fact an error: a `code` that does not mean success, or
/// `"success": false`, or an `error` object without a task status beside it.
pub(crate) fn is_error_in_body(answer: &Value) -> bool {
    let Some(object) = answer.as_object() else {
        return false;
    };
    let code_fails =
        object.contains_key("code") && !lenient::code_means_success(object.get("code"));
    let success_false = object.get("success") == Some(&Value::Bool(false));
    let bare_error = object.get("error").is_some_and(|error| !error.is_null())
        && !object.contains_key("status")
        && !object.contains_key("data");
    code_fails || success_false || bare_error
}

/// The id of a created task, if the answer names one where the API puts it.
pub(crate) fn created_id(answer: &Value) -> Option<String> {
    CREATED_ID_PATHS
        .iter()
        .find_map(|path| lenient::text(FieldName::of(path), at(answer, path)))
}

/// The task a create answered with.
pub(crate) fn created(answer: &Value) -> Result<Task, Unusable> {
    if is_error_in_body(answer) {
        return Err(Unusable::ErrorInBody);
    }
    let id = created_id(answer).ok_or(Unusable::Missing("names no task id"))?;
    let layers = Layers::of(answer);
    let mut task = Task::new(id.clone(), TaskStatus::Pending);
    if let Some(word) = layers.text(&[Top, Wrapper], &["status"]) {
        task.status = TaskStatus::parse(&word);
    }
    task.other_ids = other_ids(&layers, &id);
    task.progress = layers
        .first(&[Top, Wrapper], &["progress"], lenient::progress)
        .unwrap_or(0);
    task.model = layers.text(&[Top, Wrapper], &["model"]);
    task.created_at = layers
        .time(&[Top, Wrapper], &["created_at"])
        .or_else(|| layers.time(&[Wrapper], &["submit_time"]));
    // `raw` is left to the caller, who owns the answer and moves it in (no deep copy).
    Ok(task)
}

/// The task a query of `id` answered with. `id` stays the task's id whatever the answer calls
/// it; the answer's own ids go to [`Task::other_ids`].
pub(crate) fn queried(id: &str, answer: &Value) -> Result<Task, Unusable> {
    if !answer.is_object() {
        return Err(Unusable::Missing("is not a JSON object"));
    }
    let layers = Layers::of(answer);
    let words: Vec<(String, TaskStatus)> = [Wrapper, Upstream, Top]
        .iter()
        .filter_map(|layer| layers.text(&[*layer], &["status"]))
        .map(|word| {
            let status = TaskStatus::parse(&word);
            (word, status)
        })
        .collect();
    if words.is_empty() {
        return Err(Unusable::Missing("names no task status"));
    }
    let video_url = layers
        .text(&[Wrapper, Top], &["result_url"])
        .or_else(|| layers.text(&[Upstream, Top, Wrapper], &["content", "video_url"]))
        .or_else(|| layers.text(&[Top, Wrapper], &["video_url"]))
        .or_else(|| kling_video_url(&layers));
    let (word, status) = status_of_layers(words, video_url.is_some())?;
    let mut task = Task::new(id, status.clone());
    task.video_url = video_url;

    task.original_video_url = layers.text(&[Wrapper, Top], &["original_result_url"]);
    task.last_frame_url = layers
        .text(&[Upstream, Top, Wrapper], &["content", "last_frame_url"])
        .or_else(|| layers.text(&[Top, Wrapper], &["last_frame_url"]));
    if status.is_failure() {
        task.failure = Some(failure(&layers, &word));
    }
    if let Some(percent) = layers.first(&[Wrapper, Upstream, Top], &["progress"], lenient::progress)
    {
        task.progress = percent;
    }
    task.other_ids = other_ids(&layers, id);
    task.model = layers.text(&[Upstream, Top, Wrapper], &["model"]);
    task.created_at = layers
        .time(&[Wrapper], &["submit_time"])
        .or_else(|| layers.time(&[Upstream, Top, Wrapper], &["created_at"]));
    task.started_at = layers.time(&[Wrapper], &["start_time"]);
    task.finished_at = layers.time(&[Wrapper], &["finish_time"]).or_else(|| {
        status
            .is_terminal()
            .then(|| layers.time(&[Upstream, Top], &["updated_at"]))
            .flatten()
    });
    task.usage = layers.first(&[Upstream, Top, Wrapper], &["usage"], usage);
    // `raw` is left to the caller, who owns the answer and moves it in (no deep copy).
    Ok(task)
}

/// The first video of a Kling task, inside the wrapper's upstream answer
/// (`data.data.data.task_result.videos[0].url`, anyfast's `kling-task-query` page).
fn kling_video_url(layers: &Layers<'_>) -> Option<String> {
    let (_, videos) = layers.get(Upstream, &["data", "task_result", "videos"])?;
    let url = videos.as_array()?.first()?.get("url");
    lenient::text("data.data.data.task_result.videos[0].url", url)
}

/// The task's status from the words of every layer (the wrapper's, the upstream task's, the
/// top level's, in that order): an end in any layer ends it (a failure first; a success once
/// there is a video to fetch), and a word this client does not know beside a known one follows
/// the known one. Only when no layer has a known word is the first word kept as it is.
fn status_of_layers(
    words: Vec<(String, TaskStatus)>,
    has_video: bool,
) -> Result<(String, TaskStatus), Unusable> {
    let find = |wanted: &dyn Fn(&TaskStatus) -> bool| {
        words.iter().find(|(_, status)| wanted(status)).cloned()
    };
    if let Some(failed) = find(&|status| status.is_failure()) {
        return Ok(failed);
    }
    let succeeded = find(&|status| *status == TaskStatus::Succeeded);
    let going_on =
        find(&|status| !status.is_terminal() && !matches!(status, TaskStatus::Unknown(_)));
    match (succeeded, going_on) {
        (Some(succeeded), _) if has_video => Ok(succeeded),
        // A layer that still says it runs, beside one that says done without a video yet:
        // the gateway has not caught up; not an unreadable answer.
        (Some(_), Some(going_on)) => Ok(going_on),
        (Some(_), None) => Err(Unusable::Missing(
            "says the task succeeded but names no video URL",
        )),
        (None, Some(going_on)) => Ok(going_on),
        (None, None) => Ok(words.into_iter().next().expect("at least one word")),
    }
}

/// Why a task failed: anyfast's `fail_reason`, else the upstream error's message (or the error
/// itself, when it is a string), else the status word.
fn failure(layers: &Layers<'_>, word: &str) -> Failure {
    let everywhere = [Upstream, Top, Wrapper];
    let reason = layers
        .text(&[Wrapper, Top], &["fail_reason"])
        .or_else(|| layers.text(&everywhere, &["error", "message"]))
        .or_else(|| layers.text(&everywhere, &["error"]))
        .unwrap_or_else(|| format!("the task ended as {word}"));
    Failure {
        reason,
        code: layers.text(&everywhere, &["error", "code"]),
    }
}

/// Every id the answer gives the task other than `id`, without repeats.
fn other_ids(layers: &Layers<'_>, id: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let places = [
        (Wrapper, "task_id"),
        (Upstream, "id"),
        (Top, "id"),
        (Top, "task_id"),
        (Wrapper, "id"),
    ];
    for (layer, key) in places {
        if let Some(other) = layers.text(&[layer], &[key])
            && other != id
            && !found.contains(&other)
        {
            found.push(other);
        }
    }
    found
}

fn usage(field: FieldName<'_>, value: Option<&Value>) -> Option<Usage> {
    let value = value?;
    if !value.is_object() {
        lenient::ignored(field, value);
        return None;
    }
    // The field's name is written only into the message saying it was ignored.
    let integer = |key: &str| lenient::integer(format_args!("{field}.{key}"), value.get(key));
    Some(Usage {
        completion_tokens: integer("completion_tokens"),
        total_tokens: integer("total_tokens"),
        super_resolution_tokens: integer("super_resolution_tokens"),
    })
}
