//! The JSON the mock answers with: the create response, and a task in each shape the query
//! operation has had, either as documented or drifting (see the `drift` module).
//!
//! Whatever the voice, the essentials stay where a client looks for them: the task id under
//! `id`, `task_id`, `data.task_id` or `data.id`; a status word of the task's phase; on success
//! the video URL under `data.result_url`, `content.video_url`, `data.data.content.video_url` or
//! `video_url`; on failure a reason. A task whose request asked for its last frame
//! (`return_last_frame`) carries that image's URL on success where each shape keeps its URLs:
//! `content.last_frame_url` in the upstream task (the wrapper's `data.data`, and the Ark-like
//! shape), and `last_frame_url` beside `video_url` at the top of the older flat shape.

use serde_json::{Value, json};

use crate::drift::{CreateForm, Personality};
use crate::lifecycle::Phase;
use crate::shape::Shape;
use crate::stable_hash::fnv1a;
use crate::tasks::Task;
use crate::timestamps::iso_8601_utc;

/// How an answer is worded: exactly as documented, or in a task's drifting personality.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Voice {
    Documented,
    Drifting(Personality),
}

impl Voice {
    fn time(self, field: &str, unix: Option<i64>) -> Value {
        match self {
            Voice::Documented => json!(unix.unwrap_or(0)),
            Voice::Drifting(personality) => personality.time(field, unix),
        }
    }

    fn progress(self, percent: u8, documented: Value) -> Value {
        match self {
            Voice::Documented => documented,
            Voice::Drifting(personality) => personality.progress(percent),
        }
    }

    /// The shape's own status word, or a drifting rewording of it.
    fn status(self, documented: &str, upstream: &str) -> Value {
        match self {
            Voice::Documented => json!(documented),
            Voice::Drifting(personality) => json!(personality.status(documented, upstream)),
        }
    }

    fn upstream_status(self, upstream: &str) -> Value {
        match self {
            Voice::Documented => json!(upstream),
            Voice::Drifting(personality) => json!(personality.upstream_status(upstream)),
        }
    }

    fn success_code(self) -> Value {
        match self {
            Voice::Documented => json!("success"),
            Voice::Drifting(personality) => personality.success_code(),
        }
    }

    /// What an optional field without a value is: absent (`None`) or `null`.
    fn missing(self) -> Option<Value> {
        match self {
            Voice::Drifting(personality) if personality.nulls_for_missing() => Some(Value::Null),
            _ => None,
        }
    }

    /// What an optional string without a value is: `""` as documented, or `null`.
    fn empty_string(self) -> Value {
        self.missing().unwrap_or_else(|| json!(""))
    }

    fn ancillary(self, field: &str, value: Value) -> Value {
        match self {
            Voice::Documented => value,
            Voice::Drifting(personality) => personality.ancillary(field, value),
        }
    }

    fn add_unknown_fields(self, level: &str, object: &mut Value) {
        if let Voice::Drifting(personality) = self {
            personality.add_unknown_fields(level, object);
        }
    }

    /// Sets `body[field]` to `value` when there is one, else to what a missing value is.
    fn set_optional(self, body: &mut Value, field: &str, value: Option<Value>) {
        if let Some(value) = value.or_else(|| self.missing()) {
            body[field] = value;
        }
    }
}

/// The answer to a create: the HTTP status and the body.
pub(crate) fn created(task: &Task, voice: Voice) -> (u16, Value) {
    let Voice::Drifting(personality) = voice else {
        return (200, documented_create(task, voice));
    };
    let mut body = match personality.create_form() {
        CreateForm::Documented => documented_create(task, voice),
        CreateForm::Wrapper => {
            let mut data = json!({
                "task_id": task.id,
                "status": voice.status("NOT_START", "queued"),
            });
            voice.add_unknown_fields("data", &mut data);
            json!({"code": voice.success_code(), "message": "", "data": data})
        }
        CreateForm::DataId => {
            let mut data = json!({"id": task.id});
            voice.add_unknown_fields("data", &mut data);
            json!({ "data": data })
        }
        CreateForm::TaskId => json!({"task_id": task.id}),
        CreateForm::Submitted => json!({
            "id": task.id,
            "status": voice.status("submitted", "queued"),
            "created_at": iso_8601_utc(task.created_unix),
        }),
    };
    voice.add_unknown_fields("top", &mut body);
    (personality.create_status(), body)
}

fn documented_create(task: &Task, voice: Voice) -> Value {
    json!({
        "id": task.id,
        "task_id": task.id,
        "object": "video",
        "model": task.model(),
        "status": "",
        "progress": voice.progress(0, json!(0)),
        "created_at": voice.time("created_at", Some(task.created_unix)),
    })
}

/// Where a finished task's files download.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Downloads<'a> {
    pub video_url: &'a str,
    /// For a task whose request asked for its last frame.
    pub last_frame_url: Option<&'a str>,
}

/// The answer to a query, in `shape` (or the drifting task's own).
pub(crate) fn queried(
    task: &Task,
    phase: Phase,
    shape: Shape,
    downloads: Downloads<'_>,
    voice: Voice,
) -> Value {
    let shape = match voice {
        Voice::Documented => shape,
        Voice::Drifting(personality) => personality.query_shape(),
    };
    let words = StatusWords::of(phase);
    let mut body = match shape {
        Shape::Wrapper => wrapper(task, phase, downloads, voice),
        Shape::Flat => {
            let mut body = json!({
                "id": task.id,
                "model": task.model(),
                "status": voice.status(words.flat, words.upstream),
                "created_at": voice.time("created_at", Some(task.created_unix)),
            });
            let succeeded = phase == Phase::Succeeded;
            let video = succeeded.then(|| json!(downloads.video_url));
            voice.set_optional(&mut body, "video_url", video);
            if let Some(last_frame_url) = downloads.last_frame_url {
                // The flat shape keeps its URLs at the top, so the last frame goes beside the
                // video there.
                let frame = succeeded.then(|| json!(last_frame_url));
                voice.set_optional(&mut body, "last_frame_url", frame);
            }
            if phase == Phase::Failed && matches!(voice, Voice::Drifting(_)) {
                // The older flat shape documents no failure reason; drifting, it carries one,
                // for drift never takes the reason away.
                body["error"] = error(task, voice);
            }
            body
        }
        Shape::Ark => {
            let mut body = json!({
                "id": task.id,
                "status": voice.status(words.ark, words.upstream),
            });
            add_outcome(&mut body, phase, downloads, task, voice);
            body
        }
    };
    voice.add_unknown_fields("top", &mut body);
    body
}

/// The words each shape uses for a phase.
struct StatusWords {
    /// The wrapper's `data.status`.
    wrapper: &'static str,
    /// The upstream task's `status` (the wrapper's `data.data.status`).
    upstream: &'static str,
    flat: &'static str,
    ark: &'static str,
}

impl StatusWords {
    fn of(phase: Phase) -> StatusWords {
        let (wrapper, upstream, flat, ark) = match phase {
            Phase::NotStarted => ("NOT_START", "queued", "processing", "submitted"),
            Phase::Queued => ("QUEUED", "queued", "processing", "submitted"),
            Phase::InProgress(_) => ("IN_PROGRESS", "running", "processing", "processing"),
            Phase::Succeeded => ("SUCCESS", "succeeded", "completed", "succeeded"),
            Phase::Failed => ("FAILURE", "failed", "failed", "failed"),
        };
        StatusWords {
            wrapper,
            upstream,
            flat,
            ark,
        }
    }
}

fn wrapper(task: &Task, phase: Phase, downloads: Downloads<'_>, voice: Voice) -> Value {
    let schedule = &task.schedule;
    let words = StatusWords::of(phase);
    let started = !matches!(phase, Phase::NotStarted | Phase::Queued);
    let finished = matches!(phase, Phase::Succeeded | Phase::Failed);
    let finish_unix = task.unix_at(schedule.finished_after);
    let request = &task.request;
    let mut upstream = json!({
        "id": task.id,
        "model": task.model(),
        "status": voice.upstream_status(words.upstream),
        "duration": voice.ancillary("duration", json!(if request.duration > 0 { request.duration } else { 5 })),
        "framespersecond": voice.ancillary("framespersecond", json!(24)),
        "ratio": request.ratio.map_or("adaptive".to_string(), |ratio| ratio.to_string()),
        "resolution": request.resolution.as_ref().map_or(json!("720p"), |resolution| json!(resolution)),
        "generate_audio": request.generate_audio,
        "seed": voice.ancillary("seed", json!(seed(task))),
        "service_tier": request.service_tier.as_ref().map_or("default".to_string(), ToString::to_string),
        "created_at": voice.time("created_at", Some(task.created_unix)),
        "updated_at": voice.time("updated_at", Some(if finished { finish_unix } else { task.created_unix })),
    });
    add_outcome(&mut upstream, phase, downloads, task, voice);
    voice.add_unknown_fields("upstream", &mut upstream);
    let fail_reason = match phase {
        Phase::Failed => json!(failure_reason(task)),
        Phase::Succeeded if matches!(voice, Voice::Drifting(p) if p.fail_reason_repeats_result_url()) =>
        {
            json!(downloads.video_url)
        }
        _ => voice.empty_string(),
    };
    let mut data = json!({
        "task_id": task.id,
        "action": task.action(),
        "status": voice.status(words.wrapper, words.upstream),
        "original_result_url": voice.empty_string(),
        "fail_reason": fail_reason,
        "submit_time": voice.time("submit_time", Some(task.created_unix)),
        "start_time": voice.time("start_time", started.then(|| task.unix_at(schedule.started_after))),
        "finish_time": voice.time("finish_time", finished.then_some(finish_unix)),
        "progress": voice.progress(phase.percent(), json!(format!("{}%", phase.percent()))),
        "request_id": format!("mock{:016x}", fnv1a(&task.id)),
        "data": upstream,
    });
    let result = (phase == Phase::Succeeded).then(|| json!(downloads.video_url));
    voice.set_optional(&mut data, "result_url", result);
    voice.add_unknown_fields("data", &mut data);
    json!({"code": voice.success_code(), "message": "", "data": data})
}

/// The seed the request chose, else one of the task's own (as upstream picks one for `-1`).
fn seed(task: &Task) -> i64 {
    match task.request.seed {
        Some(seed) if seed >= 0 => seed,
        _ => (fnv1a(&task.id) % 100_000) as i64,
    }
}

/// Adds the upstream `content` and `usage` of a success, or the `error` of a failure.
fn add_outcome(
    body: &mut Value,
    phase: Phase,
    downloads: Downloads<'_>,
    task: &Task,
    voice: Voice,
) {
    let succeeded = phase == Phase::Succeeded;
    let content = succeeded.then(|| {
        let mut content = json!({"video_url": downloads.video_url});
        if let Some(last_frame_url) = downloads.last_frame_url {
            content["last_frame_url"] = json!(last_frame_url);
        }
        voice.add_unknown_fields("content", &mut content);
        content
    });
    voice.set_optional(body, "content", content);
    let usage = succeeded.then(|| {
        voice.ancillary(
            "usage",
            json!({"completion_tokens": 108900, "total_tokens": 108900}),
        )
    });
    voice.set_optional(body, "usage", usage);
    let failure = (phase == Phase::Failed).then(|| error(task, voice));
    voice.set_optional(body, "error", failure);
}

/// The upstream `error` of a failed task.
fn error(task: &Task, voice: Voice) -> Value {
    let mut error = json!({
        "code": task.failure.as_deref().unwrap_or_default(),
        "message": failure_reason(task),
    });
    voice.add_unknown_fields("error", &mut error);
    error
}

fn failure_reason(task: &Task) -> String {
    format!(
        "The request failed: {} (a failure asked for with the mock's fail marker). Request ID: mock{:016x}",
        task.failure.as_deref().unwrap_or_default(),
        fnv1a(&task.id)
    )
}
