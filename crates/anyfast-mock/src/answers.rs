//! The JSON the mock answers with: the create response, and a task in each shape the query
//! operation has had, either as documented or drifting (see the `drift` module). Each family
//! answers a query in its own documented shape: Seedance in the query's three shapes,
//! HappyHorse in the wrapper around the DashScope task (`data.data.output`), Wan in the flat
//! shape its page's words point to (`status` `succeeded`), Kling in `KlingTaskResponse`.
//!
//! Whatever the voice, the essentials stay where a client looks for them: the task id under
//! `id`, `task_id`, `data.task_id` or `data.id`; a status word of the task's phase; on success
//! the video URL under `data.result_url`, `content.video_url`, `data.data.content.video_url` or
//! `video_url`; on failure a reason. A task whose request asked for its last frame
//! (`return_last_frame`) carries that image's URL on success where each shape keeps its URLs:
//! `content.last_frame_url` in the upstream task (the wrapper's `data.data`, and the Ark-like
//! shape), and `last_frame_url` beside `video_url` at the top of the older flat shape.

use serde_json::{Value, json};

use anyfast_video_api::validate::Family;

use crate::drift::{CreateForm, Personality};
use crate::lifecycle::Phase;
use crate::shape::Shape;
use crate::stable_hash::fnv1a;
use crate::tasks::Task;
use crate::timestamps::{iso_8601, iso_8601_utc};

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

/// The documented create answer. Its `status` is the empty string on the Seedance, Wan and
/// Kling pages, `queued` on HappyHorse's; the Seedance 1.x pages show a shorter answer of their
/// own (no `task_id`, `object` or `progress`; `status: processing`).
fn documented_create(task: &Task, voice: Voice) -> Value {
    if task.family() == Family::Seedance && task.model().starts_with("doubao-seedance-") {
        return json!({
            "id": task.id,
            "model": task.model(),
            "status": "processing",
            "created_at": voice.time("created_at", Some(task.created_unix)),
        });
    }
    let status = match task.family() {
        Family::HappyHorse => "queued",
        _ => "",
    };
    json!({
        "id": task.id,
        "task_id": task.id,
        "object": "video",
        "model": task.model(),
        "status": status,
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

/// The answer to a query of `GET /v1/video/generations/{id}`: in the task's family's shape
/// (a Seedance task in `shape`, or the drifting task's own).
pub(crate) fn queried(
    task: &Task,
    phase: Phase,
    shape: Shape,
    downloads: Downloads<'_>,
    voice: Voice,
) -> Value {
    match task.family() {
        Family::HappyHorse => happyhorse(task, phase, downloads, voice),
        Family::Wan => wan(task, phase, downloads, voice),
        _ => seedance(task, phase, shape, downloads, voice),
    }
}

/// A Seedance task, in `shape` (or the drifting task's own).
fn seedance(
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
    let finished = matches!(phase, Phase::Succeeded | Phase::Failed);
    let finish_unix = task.unix_at(schedule.finished_after);
    let mut upstream = json!({
        "id": task.id,
        "model": task.model(),
        "status": voice.upstream_status(words.upstream),
        "framespersecond": voice.ancillary("framespersecond", json!(24)),
        "seed": voice.ancillary("seed", json!(seed(task))),
        "created_at": voice.time("created_at", Some(task.created_unix)),
        "updated_at": voice.time("updated_at", Some(if finished { finish_unix } else { task.created_unix })),
    });
    if let Some(request) = task.request.seedance() {
        // Unset, the service's default: 5 s.
        let duration = request.duration.filter(|seconds| *seconds > 0).unwrap_or(5);
        upstream["duration"] = voice.ancillary("duration", json!(duration));
        upstream["ratio"] = json!(
            request
                .ratio
                .map_or("adaptive".to_string(), |ratio| ratio.to_string())
        );
        upstream["resolution"] = request
            .resolution
            .as_ref()
            .map_or(json!("720p"), |resolution| json!(resolution));
        upstream["generate_audio"] = json!(request.generate_audio.unwrap_or(true));
        upstream["service_tier"] = json!(
            request
                .service_tier
                .as_ref()
                .map_or("default".to_string(), ToString::to_string)
        );
    }
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
    let mut data = gateway_data(
        task,
        phase,
        voice,
        voice.status(words.wrapper, words.upstream),
        fail_reason,
        phase.percent(),
        upstream,
    );
    data["original_result_url"] = voice.empty_string();
    data["request_id"] = json!(format!("mock{:016x}", fnv1a(&task.id)));
    let result = (phase == Phase::Succeeded).then(|| json!(downloads.video_url));
    voice.set_optional(&mut data, "result_url", result);
    voice.add_unknown_fields("data", &mut data);
    json!({"code": voice.success_code(), "message": "", "data": data})
}

/// The seed the request chose, else one of the task's own (as upstream picks one for `-1`).
fn seed(task: &Task) -> i64 {
    match task.request.seedance().and_then(|request| request.seed) {
        Some(seed) if seed >= 0 => seed,
        _ => (fnv1a(&task.id) % 100_000) as i64,
    }
}

/// The time fields a task's wrapper carries: submitted, started (once it has), finished
/// (once it has).
fn wrapper_times(task: &Task, phase: Phase) -> (i64, Option<i64>, Option<i64>) {
    let started = !matches!(phase, Phase::NotStarted | Phase::Queued);
    let finished = matches!(phase, Phase::Succeeded | Phase::Failed);
    (
        task.created_unix,
        started.then(|| task.unix_at(task.schedule.started_after)),
        finished.then(|| task.unix_at(task.schedule.finished_after)),
    )
}

/// anyfast's task wrapper (the gateway's task format: `data` of every family's query answer
/// on `/v1/video/generations`, and of Kling's): the task id, action, status, failure, times
/// and progress `"NN%"` around the family's own task in `data.data`. Each family adds the
/// fields its page shows beside these.
fn gateway_data(
    task: &Task,
    phase: Phase,
    voice: Voice,
    status: Value,
    fail_reason: Value,
    percent: u8,
    inner: Value,
) -> Value {
    let (submitted, started, finished) = wrapper_times(task, phase);
    json!({
        "task_id": task.id,
        "action": task.action(),
        "status": status,
        "fail_reason": fail_reason,
        "submit_time": voice.time("submit_time", Some(submitted)),
        "start_time": voice.time("start_time", started),
        "finish_time": voice.time("finish_time", finished),
        "progress": voice.progress(percent, json!(format!("{percent}%"))),
        "data": inner,
    })
}

/// DashScope's wall-clock form, `2026-04-28 10:37:42.625` (Beijing time), as the HappyHorse
/// query page shows in `data.data.output`.
fn dashscope_time(unix: i64) -> String {
    let iso = iso_8601(unix, 8);
    format!(
        "{}.000",
        iso.trim_end_matches("+08:00").replacen('T', " ", 1)
    )
}

/// A HappyHorse task: the wrapper (`data.status` NOT_START … SUCCESS / FAILURE,
/// `data.result_url`, and on success a `fail_reason` that repeats it, as the page documents)
/// around the DashScope task in `data.data` (`output.task_status` PENDING, RUNNING, SUCCEEDED,
/// FAILED; `output.video_url`; `usage` once done).
/// Page: <https://docs.anyfast.ai/api-reference/model-api/alibaba/happyhorse-task-query>.
fn happyhorse(task: &Task, phase: Phase, downloads: Downloads<'_>, voice: Voice) -> Value {
    let (wrapper_word, upstream_word) = match phase {
        Phase::NotStarted => ("NOT_START", "PENDING"),
        Phase::Queued => ("QUEUED", "PENDING"),
        Phase::InProgress(_) => ("IN_PROGRESS", "RUNNING"),
        Phase::Succeeded => ("SUCCESS", "SUCCEEDED"),
        Phase::Failed => ("FAILURE", "FAILED"),
    };
    let (submitted, started, finished) = wrapper_times(task, phase);
    let succeeded = phase == Phase::Succeeded;
    let mut output = json!({
        "task_id": format!("mock-{:016x}-{}", fnv1a(&task.id), task.number),
        "task_status": voice.upstream_status(upstream_word),
        "orig_prompt": task.prompt(),
        "submit_time": dashscope_time(submitted),
    });
    if let Some(started) = started {
        output["scheduled_time"] = json!(dashscope_time(started));
    }
    if let Some(finished) = finished {
        output["end_time"] = json!(dashscope_time(finished));
    }
    voice.set_optional(
        &mut output,
        "video_url",
        succeeded.then(|| json!(downloads.video_url)),
    );
    voice.add_unknown_fields("output", &mut output);
    let mut upstream = json!({
        "output": output,
        "request_id": format!("mock-{:016x}", fnv1a(&task.id)),
    });
    let usage = succeeded.then(|| {
        let (resolution, duration, ratio) = happyhorse_settings(task);
        voice.ancillary(
            "usage",
            json!({"SR": resolution, "duration": duration, "input_video_duration": 0,
                "output_video_duration": duration, "ratio": ratio, "video_count": 1}),
        )
    });
    voice.set_optional(&mut upstream, "usage", usage);
    voice.add_unknown_fields("upstream", &mut upstream);
    let fail_reason = match phase {
        Phase::Failed => json!(failure_reason(task)),
        // "On success: copies result_url (backward compat for legacy clients)".
        Phase::Succeeded => json!(downloads.video_url),
        _ => voice.empty_string(),
    };
    let mut data = gateway_data(
        task,
        phase,
        voice,
        voice.status(wrapper_word, wrapper_word),
        fail_reason,
        phase.percent(),
        upstream,
    );
    data["request_id"] = json!(format!("mock{:016x}", fnv1a(&task.id)));
    voice.set_optional(
        &mut data,
        "result_url",
        succeeded.then(|| json!(downloads.video_url)),
    );
    voice.add_unknown_fields("data", &mut data);
    let mut body = json!({"code": voice.success_code(), "message": "", "data": data});
    voice.add_unknown_fields("top", &mut body);
    body
}

/// What a HappyHorse task was asked to make: the resolution tier as DashScope's `SR` (720 or
/// 1080, default 1080P), the duration (default 5) and the ratio (default 16:9), from the top
/// level or `parameters`.
fn happyhorse_settings(task: &Task) -> (u32, i64, String) {
    let body = serde_json::to_value(match &task.request {
        crate::tasks::TaskRequest::Generation(body) => Some(body),
        crate::tasks::TaskRequest::Kling { .. } => None,
    })
    .unwrap_or_default();
    let setting = |field: &str| {
        body.get(field)
            .filter(|value| !value.is_null())
            .or_else(|| body.get("parameters").and_then(|p| p.get(field)))
            .cloned()
    };
    let resolution = match setting("resolution").as_ref().and_then(Value::as_str) {
        Some("720P") => 720,
        _ => 1080,
    };
    let duration = setting("duration").and_then(|d| d.as_i64()).unwrap_or(5);
    let ratio = setting("ratio")
        .and_then(|r| r.as_str().map(str::to_string))
        .unwrap_or_else(|| "16:9".into());
    (resolution, duration, ratio)
}

/// A Wan 2.2 task. Its pages say only that a task is polled at this route "until status is
/// `succeeded`" (<https://docs.anyfast.ai/zh/api-reference/model-api/alibaba/wan2.2-t2v-a14b>),
/// and its create answer's initial status is `queued`: the mock answers with that `status`
/// at the top, in the endpoint's older Ark-like shape (`{id, status, content.video_url, error}`)
/// with the create answer's `task_id` and `model` beside it.
fn wan(task: &Task, phase: Phase, downloads: Downloads<'_>, voice: Voice) -> Value {
    let word = StatusWords::of(phase).upstream;
    let mut body = json!({
        "id": task.id,
        "task_id": task.id,
        "model": task.model(),
        "status": voice.upstream_status(word),
        "progress": voice.progress(phase.percent(), json!(phase.percent())),
        "created_at": voice.time("created_at", Some(task.created_unix)),
    });
    add_outcome(&mut body, phase, downloads, task, voice);
    voice.add_unknown_fields("top", &mut body);
    body
}

/// The answer to a Kling task query (`KlingTaskResponse`, page
/// <https://docs.anyfast.ai/api-reference/model-api/kuaishou/kling-task-query>): the wrapper's
/// `data.status` SUBMITTED, PROCESSING, SUCCESS or FAILED, progress `"NN%"`, and Kling's own
/// answer in `data.data` (`task_status` submitted, processing, succeed, failed; times in
/// milliseconds; the video in `data.data.data.task_result.videos[0].url`).
pub(crate) fn kling(task: &Task, phase: Phase, video_url: &str, voice: Voice) -> Value {
    let (wrapper_word, kling_word) = match phase {
        Phase::NotStarted | Phase::Queued => ("SUBMITTED", "submitted"),
        Phase::InProgress(_) => ("PROCESSING", "processing"),
        Phase::Succeeded => ("SUCCESS", "succeed"),
        Phase::Failed => ("FAILED", "failed"),
    };
    let (submitted, started, finished) = wrapper_times(task, phase);
    let succeeded = phase == Phase::Succeeded;
    let updated = finished.or(started).unwrap_or(submitted);
    let mut kling_task = json!({
        "task_id": task.id,
        "task_status": voice.upstream_status(kling_word),
        "task_status_msg": if phase == Phase::Failed { json!(failure_reason(task)) } else { voice.empty_string() },
        "created_at": submitted * 1000,
        "updated_at": updated * 1000,
    });
    let result = succeeded.then(|| {
        let mut video = json!({
            "id": format!("{}", fnv1a(&task.id) % 1_000_000_000_000_000_000),
            "url": video_url,
            "duration": voice.ancillary("duration", json!("5.041")),
        });
        voice.add_unknown_fields("content", &mut video);
        json!({"videos": [video]})
    });
    voice.set_optional(&mut kling_task, "task_result", result);
    voice.add_unknown_fields("upstream", &mut kling_task);
    let answer = json!({
        "code": 0,
        "message": "SUCCEED",
        "request_id": format!("mock-{:016x}", fnv1a(&task.id)),
        "data": kling_task,
    });
    let fail_reason = match phase {
        Phase::Failed => json!(failure_reason(task)),
        _ => voice.empty_string(),
    };
    let percent = match phase {
        Phase::NotStarted | Phase::Queued => 10,
        other => other.percent(),
    };
    let mut data = gateway_data(
        task,
        phase,
        voice,
        voice.status(wrapper_word, wrapper_word),
        fail_reason,
        percent,
        answer,
    );
    voice.add_unknown_fields("data", &mut data);
    let mut body = json!({"code": voice.success_code(), "message": "", "data": data});
    voice.add_unknown_fields("top", &mut body);
    body
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
