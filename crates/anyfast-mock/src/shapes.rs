//! The JSON the mock answers with: the create response, and a task in each shape the query
//! operation has had.

use serde_json::{Value, json};

use crate::lifecycle::Phase;
use crate::tasks::Task;

/// The shape of query answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Shape {
    /// The documented wrapper `{code, message, data: {..., data: <upstream task>}}`.
    #[default]
    Wrapper,
    /// The older flat shape `{id, model, status: processing|completed|failed, video_url, created_at}`.
    Flat,
    /// The older Ark-like shape `{id, status: submitted|processing|succeeded|failed, content, error, usage}`.
    Ark,
}

/// The answer to a create.
pub(crate) fn created(task: &Task) -> Value {
    json!({
        "id": task.id,
        "task_id": task.id,
        "object": "video",
        "model": task.model(),
        "status": "",
        "progress": 0,
        "created_at": task.created_unix,
    })
}

/// The answer to a query, in `shape`. `video_url` is where the finished video downloads.
pub(crate) fn queried(task: &Task, phase: Phase, shape: Shape, video_url: &str) -> Value {
    let reason = failure_reason(task);
    match shape {
        Shape::Wrapper => wrapper(task, phase, video_url, &reason),
        Shape::Flat => {
            let status = match phase {
                Phase::Succeeded => "completed",
                Phase::Failed => "failed",
                _ => "processing",
            };
            let mut body = json!({
                "id": task.id, "model": task.model(), "status": status, "created_at": task.created_unix,
            });
            if phase == Phase::Succeeded {
                body["video_url"] = json!(video_url);
            }
            body
        }
        Shape::Ark => {
            let status = match phase {
                Phase::NotStarted | Phase::Queued => "submitted",
                Phase::InProgress(_) => "processing",
                Phase::Succeeded => "succeeded",
                Phase::Failed => "failed",
            };
            let mut body = json!({"id": task.id, "status": status});
            add_outcome(&mut body, phase, video_url, task, &reason);
            body
        }
    }
}

fn wrapper(task: &Task, phase: Phase, video_url: &str, reason: &str) -> Value {
    let schedule = &task.schedule;
    let (status, upstream_status) = match phase {
        Phase::NotStarted => ("NOT_START", "queued"),
        Phase::Queued => ("QUEUED", "queued"),
        Phase::InProgress(_) => ("IN_PROGRESS", "running"),
        Phase::Succeeded => ("SUCCESS", "succeeded"),
        Phase::Failed => ("FAILURE", "failed"),
    };
    let started = !matches!(phase, Phase::NotStarted | Phase::Queued);
    let finished = matches!(phase, Phase::Succeeded | Phase::Failed);
    let request = &task.request;
    let mut upstream = json!({
        "id": task.id,
        "model": task.model(),
        "status": upstream_status,
        "duration": if request.duration > 0 { request.duration } else { 5 },
        "framespersecond": 24,
        "ratio": request.ratio.map_or("adaptive".to_string(), |ratio| ratio.to_string()),
        "resolution": request.resolution.map_or("720p".to_string(), |resolution| resolution.to_string()),
        "generate_audio": request.generate_audio,
        "seed": crate::lifecycle::fnv1a(&task.id) % 100_000,
        "service_tier": "default",
        "created_at": task.created_unix,
        "updated_at": if finished { task.unix_at(schedule.finished_after) } else { task.created_unix },
    });
    add_outcome(&mut upstream, phase, video_url, task, reason);
    let mut data = json!({
        "task_id": task.id,
        "action": task.action(),
        "status": status,
        "original_result_url": "",
        "fail_reason": if phase == Phase::Failed { reason } else { "" },
        "submit_time": task.created_unix,
        "start_time": if started { task.unix_at(schedule.started_after) } else { 0 },
        "finish_time": if finished { task.unix_at(schedule.finished_after) } else { 0 },
        "progress": format!("{}%", phase.percent()),
        "request_id": format!("mock{:016x}", crate::lifecycle::fnv1a(&task.id)),
        "data": upstream,
    });
    if phase == Phase::Succeeded {
        data["result_url"] = json!(video_url);
    }
    json!({"code": "success", "message": "", "data": data})
}

/// Adds the upstream `content` and `usage` of a success, or the `error` of a failure.
fn add_outcome(body: &mut Value, phase: Phase, video_url: &str, task: &Task, reason: &str) {
    match phase {
        Phase::Succeeded => {
            body["content"] = json!({"video_url": video_url});
            body["usage"] = json!({"completion_tokens": 108900, "total_tokens": 108900});
        }
        Phase::Failed => {
            body["error"] = json!({
                "code": task.failure.as_deref().unwrap_or_default(),
                "message": reason,
            });
        }
        _ => {}
    }
}

fn failure_reason(task: &Task) -> String {
    format!(
        "The request failed: {} (a failure asked for with the mock's fail marker). Request ID: mock{:016x}",
        task.failure.as_deref().unwrap_or_default(),
        crate::lifecycle::fnv1a(&task.id)
    )
}
