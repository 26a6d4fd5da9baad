//! Finding a task in a JSON answer: its id, status, video URL and failure (essential), and the
//! rest (best-effort), across the documented wrapper, the older flat shapes and their drift.

use std::borrow::Cow;
use std::time::SystemTime;

use serde_json::Value;

use super::lenient::{self, FieldName, at};
use crate::task::{Failure, Task, TaskStatus, Usage};

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

/// Declares [`Key`] from one list of the keys the reader looks for and their names.
macro_rules! keys {
    ($($key:ident = $name:literal,)*) => {
        /// A key the reader looks for in a layer.
        #[derive(Clone, Copy)]
        enum Key { $($key,)* }

        impl Key {
            const COUNT: usize = [$(Key::$key,)*].len();

            fn name(self) -> &'static str {
                match self { $(Key::$key => $name,)* }
            }

            fn of(name: &str) -> Option<Key> {
                match name { $($name => Some(Key::$key),)* _ => None }
            }
        }
    };
}

keys! {
    Status = "status",
    ResultUrl = "result_url",
    OriginalResultUrl = "original_result_url",
    Content = "content",
    VideoUrl = "video_url",
    LastFrameUrl = "last_frame_url",
    Progress = "progress",
    Id = "id",
    TaskId = "task_id",
    Model = "model",
    SubmitTime = "submit_time",
    CreatedAt = "created_at",
    StartTime = "start_time",
    FinishTime = "finish_time",
    UpdatedAt = "updated_at",
    Usage = "usage",
    FailReason = "fail_reason",
    Error = "error",
    Data = "data",
}

use Key::*;

/// A field of a layer: a key, and the object keys below it (`content.video_url`).
#[derive(Clone, Copy)]
struct Path<'p> {
    key: Key,
    below: &'p [&'p str],
}

impl From<Key> for Path<'_> {
    fn from(key: Key) -> Self {
        Path { key, below: &[] }
    }
}

impl<'p> From<(Key, &'p [&'p str])> for Path<'p> {
    fn from((key, below): (Key, &'p [&'p str])) -> Self {
        Path { key, below }
    }
}

/// The values of one layer's keys, found in one pass over its object: the reader runs on every
/// poll, and a map lookup per field and layer (about 40 a query) was half of its cost.
struct Fields<'a>([Option<&'a Value>; Key::COUNT]);

impl<'a> Fields<'a> {
    fn of(value: &'a Value) -> Self {
        let mut found = [None; Key::COUNT];
        for (name, value) in value.as_object().into_iter().flatten() {
            if let Some(key) = Key::of(name) {
                found[key as usize] = Some(value);
            }
        }
        Fields(found)
    }

    fn get(&self, key: Key) -> Option<&'a Value> {
        self.0[key as usize]
    }

    /// The layer inside this one (`data`), when it is an object.
    fn inner(&self) -> Option<Fields<'a>> {
        self.get(Data)
            .filter(|data| data.is_object())
            .map(Fields::of)
    }
}

/// The layers of one answer.
struct Layers<'a> {
    top: Fields<'a>,
    wrapper: Option<Fields<'a>>,
    upstream: Option<Fields<'a>>,
}

impl<'a> Layers<'a> {
    fn of(answer: &'a Value) -> Self {
        let top = Fields::of(answer);
        let wrapper = top.inner();
        let upstream = wrapper.as_ref().and_then(Fields::inner);
        Layers {
            top,
            wrapper,
            upstream,
        }
    }

    /// The non-null value at `path` in `layer`, with the prefix of its dotted name.
    fn get(&self, layer: Layer, path: Path<'_>) -> Option<(&'static str, &'a Value)> {
        let (prefix, fields) = match layer {
            Wrapper => ("data.", self.wrapper.as_ref()?),
            Upstream => ("data.data.", self.upstream.as_ref()?),
            Top => ("", &self.top),
        };
        let value = at(fields.get(path.key)?, path.below).filter(|value| !value.is_null())?;
        Some((prefix, value))
    }

    /// The first readable value at `path`, trying `layers` in order. `read` gets the field's
    /// dotted name (`data.progress`) for its messages.
    fn first<'p, T>(
        &self,
        layers: &[Layer],
        path: impl Into<Path<'p>>,
        read: impl Fn(FieldName<'p>, Option<&'a Value>) -> Option<T>,
    ) -> Option<T> {
        let path = path.into();
        layers.iter().find_map(|layer| {
            let (prefix, value) = self.get(*layer, path)?;
            let (key, below) = (path.key.name(), path.below);
            read(FieldName { prefix, key, below }, Some(value))
        })
    }

    fn text<'p>(&self, layers: &[Layer], path: impl Into<Path<'p>>) -> Option<String> {
        self.first(layers, path, lenient::text)
    }

    /// Like [`Layers::text`], borrowed from the answer when it is a string.
    fn word<'p>(&self, layers: &[Layer], path: impl Into<Path<'p>>) -> Option<Cow<'a, str>> {
        self.first(layers, path, lenient::word)
    }

    fn time<'p>(&self, layers: &[Layer], path: impl Into<Path<'p>>) -> Option<SystemTime> {
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
    created_id_in(&Layers::of(answer))
}

/// [`created_id`] in an answer's layers: `id`, `task_id`, `data.task_id`, `data.id`, in that
/// order of preference.
fn created_id_in(layers: &Layers<'_>) -> Option<String> {
    [(Top, Id), (Top, TaskId), (Wrapper, TaskId), (Wrapper, Id)]
        .into_iter()
        .find_map(|(layer, key)| layers.text(&[layer], key))
}

/// The task a create answered with.
pub(crate) fn created(answer: &Value) -> Result<Task, Unusable> {
    if is_error_in_body(answer) {
        return Err(Unusable::ErrorInBody);
    }
    let layers = Layers::of(answer);
    let id = created_id_in(&layers).ok_or(Unusable::Missing("names no task id"))?;
    let status = layers
        .word(&[Top, Wrapper], Status)
        .map_or(TaskStatus::Pending, |word| TaskStatus::parse(&word));
    let mut task = Task::new(id, status);
    task.other_ids = other_ids(&layers, &task.id);
    task.progress = layers
        .first(&[Top, Wrapper], Progress, lenient::progress)
        .unwrap_or(0);
    task.model = layers.text(&[Top, Wrapper], Model);
    task.created_at = layers
        .time(&[Top, Wrapper], CreatedAt)
        .or_else(|| layers.time(&[Wrapper], SubmitTime));
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
    let words: Vec<(Cow<'_, str>, TaskStatus)> = [Wrapper, Upstream, Top]
        .iter()
        .filter_map(|layer| layers.word(&[*layer], Status))
        .map(|word| {
            let status = TaskStatus::parse(&word);
            (word, status)
        })
        .collect();
    if words.is_empty() {
        return Err(Unusable::Missing("names no task status"));
    }
    let video_url = layers
        .text(&[Wrapper, Top], ResultUrl)
        .or_else(|| layers.text(&[Upstream, Top, Wrapper], (Content, &["video_url"][..])))
        .or_else(|| layers.text(&[Top, Wrapper], VideoUrl))
        .or_else(|| kling_video_url(&layers));
    let (word, status) = status_of_layers(words, video_url.is_some())?;
    let mut task = Task::new(id, status);
    task.video_url = video_url;

    task.original_video_url = layers.text(&[Wrapper, Top], OriginalResultUrl);
    task.last_frame_url = layers
        .text(
            &[Upstream, Top, Wrapper],
            (Content, &["last_frame_url"][..]),
        )
        .or_else(|| layers.text(&[Top, Wrapper], LastFrameUrl));
    if task.status.is_failure() {
        task.failure = Some(failure(&layers, &word));
    }
    if let Some(percent) = layers.first(&[Wrapper, Upstream, Top], Progress, lenient::progress) {
        task.progress = percent;
    }
    task.other_ids = other_ids(&layers, id);
    task.model = layers.text(&[Upstream, Top, Wrapper], Model);
    task.created_at = layers
        .time(&[Wrapper], SubmitTime)
        .or_else(|| layers.time(&[Upstream, Top, Wrapper], CreatedAt));
    task.started_at = layers.time(&[Wrapper], StartTime);
    task.finished_at = layers.time(&[Wrapper], FinishTime).or_else(|| {
        task.status
            .is_terminal()
            .then(|| layers.time(&[Upstream, Top], UpdatedAt))
            .flatten()
    });
    task.usage = layers.first(&[Upstream, Top, Wrapper], Key::Usage, usage);
    // `raw` is left to the caller, who owns the answer and moves it in (no deep copy).
    Ok(task)
}

/// The first video of a Kling task, inside the wrapper's upstream answer
/// (`data.data.data.task_result.videos[0].url`, anyfast's `kling-task-query` page).
fn kling_video_url(layers: &Layers<'_>) -> Option<String> {
    let (_, videos) = layers.get(Upstream, (Data, &["task_result", "videos"][..]).into())?;
    let url = videos.as_array()?.first()?.get("url");
    lenient::text("data.data.data.task_result.videos[0].url", url)
}

/// The task's status from the words of every layer (the wrapper's, the upstream task's, the
/// top level's, in that order): an end in any layer ends it (a failure first; a success once
/// there is a video to fetch), and a word this client does not know beside a known one follows
/// the known one. Only when no layer has a known word is the first word kept as it is.
fn status_of_layers<'a>(
    words: Vec<(Cow<'a, str>, TaskStatus)>,
    has_video: bool,
) -> Result<(Cow<'a, str>, TaskStatus), Unusable> {
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
        .text(&[Wrapper, Top], FailReason)
        .or_else(|| layers.text(&everywhere, (Error, &["message"][..])))
        .or_else(|| layers.text(&everywhere, Error))
        .unwrap_or_else(|| format!("the task ended as {word}"));
    Failure {
        reason,
        code: layers.text(&everywhere, (Error, &["code"][..])),
    }
}

/// Every id the answer gives the task other than `id`, without repeats.
fn other_ids(layers: &Layers<'_>, id: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let places = [
        (Wrapper, TaskId),
        (Upstream, Id),
        (Top, Id),
        (Top, TaskId),
        (Wrapper, Id),
    ];
    for (layer, key) in places {
        if let Some(other) = layers.word(&[layer], key)
            && other != id
            && !found.iter().any(|known| *known == other)
        {
            found.push(other.into_owned());
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
