//! [`Task`]: one view of a task, whichever shape the service answered with.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyfast_video_api::types;
use serde_json::Value;

/// Where a task is. Status words the client does not know are kept in [`TaskStatus::Unknown`]
/// rather than refused.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    /// Accepted, not yet queued (`NOT_START`, `submitted`, or the empty status of a create).
    Pending,
    /// Waiting for a worker (`QUEUED`, `queued`).
    Queued,
    /// Being generated (`IN_PROGRESS`, `running`, `processing`).
    Running,
    /// Done; the video can be downloaded (`SUCCESS`, `succeeded`, `completed`).
    Succeeded,
    /// Done without a video (`FAILURE`, `failed`).
    Failed,
    /// Cancelled upstream.
    Cancelled,
    /// Expired upstream before it ran.
    Expired,
    /// A word this client does not know, as the server sent it.
    Unknown(String),
}

impl TaskStatus {
    /// Reads any status word of any shape.
    ///
    /// ```
    /// use anyfast_video::TaskStatus;
    ///
    /// assert_eq!(TaskStatus::parse("IN_PROGRESS"), TaskStatus::Running);
    /// assert_eq!(TaskStatus::parse("completed"), TaskStatus::Succeeded);
    /// assert_eq!(TaskStatus::parse("PAUSED"), TaskStatus::Unknown("PAUSED".into()));
    /// ```
    pub fn parse(word: &str) -> TaskStatus {
        match word.trim().to_ascii_lowercase().as_str() {
            "" | "not_start" | "submitted" | "pending" => TaskStatus::Pending,
            "queued" => TaskStatus::Queued,
            "in_progress" | "running" | "processing" => TaskStatus::Running,
            "success" | "succeeded" | "completed" => TaskStatus::Succeeded,
            "failure" | "failed" => TaskStatus::Failed,
            "cancelled" | "canceled" => TaskStatus::Cancelled,
            "expired" => TaskStatus::Expired,
            _ => TaskStatus::Unknown(word.to_string()),
        }
    }

    /// Whether the task will not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TaskStatus::Succeeded
                | TaskStatus::Failed
                | TaskStatus::Cancelled
                | TaskStatus::Expired
        )
    }
}

impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TaskStatus::Pending => "pending",
            TaskStatus::Queued => "queued",
            TaskStatus::Running => "running",
            TaskStatus::Succeeded => "succeeded",
            TaskStatus::Failed => "failed",
            TaskStatus::Cancelled => "cancelled",
            TaskStatus::Expired => "expired",
            TaskStatus::Unknown(word) => word,
        })
    }
}

/// Why a task failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The reason the service gives.
    pub reason: String,
    /// The upstream error code (`SensitiveContentDetected`, ...), when given.
    pub code: Option<String>,
}

/// Token usage of a finished task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Usage {
    /// Tokens of the output.
    pub completion_tokens: Option<i64>,
    /// All tokens.
    pub total_tokens: Option<i64>,
}

/// A task, as one view over every shape the service has answered with (the documented
/// wrapper, and the two older flat shapes).
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// The task's id (an opaque string).
    pub id: String,
    /// Where it is.
    pub status: TaskStatus,
    /// 0 to 100.
    pub progress: u8,
    /// Where the finished video downloads from: a pre-signed URL valid for 24 hours, fetched
    /// without the API key.
    pub video_url: Option<String>,
    /// Why it failed, for a failed task.
    pub failure: Option<Failure>,
    /// The model that made it, when the answer says.
    pub model: Option<String>,
    /// When it was created.
    pub created_at: Option<SystemTime>,
    /// When it started running.
    pub started_at: Option<SystemTime>,
    /// When it finished.
    pub finished_at: Option<SystemTime>,
    /// Token usage, for a finished task.
    pub usage: Option<Usage>,
    /// The answer as decoded, unknown fields included.
    pub raw: Value,
}

impl Task {
    /// The task a create answered with.
    pub(crate) fn from_created(created: types::CreateVideoGenerationResponse) -> Task {
        let raw = serde_json::to_value(&created).unwrap_or(Value::Null);
        Task {
            status: TaskStatus::parse(created.status.as_deref().unwrap_or_default()),
            progress: created.progress.map_or(0, |p| p.clamp(0, 100) as u8),
            model: created.model.filter(|model| !model.is_empty()),
            created_at: created.created_at.and_then(unix_time),
            id: created.id,
            video_url: None,
            failure: None,
            started_at: None,
            finished_at: None,
            usage: None,
            raw,
        }
    }

    /// The task a query answered with; `id` is the one asked for, used when the answer has none.
    #[allow(deprecated)] // the older flat shapes' fields are deprecated in the spec, and read here
    pub(crate) fn from_queried(id: &str, answer: types::GetVideoGenerationResponse) -> Task {
        let raw = serde_json::to_value(&answer).unwrap_or(Value::Null);
        let (data, upstream) = match &answer.data {
            Some(data) => (Some(data), data.data.as_ref()),
            None => (None, None),
        };
        let upstream_status = upstream.and_then(|u| u.status.as_deref());
        let status_word = data
            .and_then(|d| d.status.as_deref())
            .or(upstream_status)
            .or(answer.status.as_deref())
            .unwrap_or_default();
        let status = TaskStatus::parse(status_word);

        let content = upstream
            .and_then(|u| u.content.as_ref())
            .or(answer.content.as_ref());
        let video_url = [
            data.and_then(|d| d.result_url.clone()),
            content.and_then(|c| c.video_url.clone()),
            answer.video_url.clone(),
        ]
        .into_iter()
        .flatten()
        .find(|url| !url.is_empty());

        let error = upstream
            .and_then(|u| u.error.as_ref())
            .or(answer.error.as_ref());
        let failure = matches!(
            status,
            TaskStatus::Failed | TaskStatus::Cancelled | TaskStatus::Expired
        )
        .then(|| {
            let reason = [
                data.and_then(|d| d.fail_reason.clone()),
                error.and_then(|e| e.message.clone()),
            ]
            .into_iter()
            .flatten()
            .find(|reason| !reason.is_empty())
            .unwrap_or_else(|| format!("the task ended as {status_word}"));
            Failure {
                reason,
                code: error
                    .and_then(|e| e.code.clone())
                    .filter(|code| !code.is_empty()),
            }
        });

        let progress = data
            .and_then(|d| d.progress.as_deref())
            .and_then(|p| p.trim().trim_end_matches('%').trim().parse::<f64>().ok())
            .map(|p| p.clamp(0.0, 100.0) as u8)
            .unwrap_or(if status == TaskStatus::Succeeded {
                100
            } else {
                0
            });

        let usage = upstream
            .and_then(|u| u.usage.as_ref())
            .or(answer.usage.as_ref())
            .map(|u| Usage {
                completion_tokens: u.completion_tokens,
                total_tokens: u.total_tokens,
            });
        let id = [
            data.and_then(|d| d.task_id.clone()),
            upstream.and_then(|u| u.id.clone()),
            answer.id.clone(),
        ]
        .into_iter()
        .flatten()
        .find(|found| !found.is_empty())
        .unwrap_or_else(|| id.to_string());

        let finished_at = data
            .and_then(|d| d.finish_time)
            .and_then(unix_time)
            .or_else(|| {
                let finished = status
                    .is_terminal()
                    .then(|| upstream.and_then(|u| u.updated_at));
                finished.flatten().and_then(unix_time)
            });
        Task {
            id,
            status,
            progress,
            video_url,
            failure,
            model: upstream
                .and_then(|u| u.model.clone())
                .or(answer.model.clone()),
            created_at: data
                .and_then(|d| d.submit_time)
                .or(upstream.and_then(|u| u.created_at))
                .or(answer.created_at)
                .and_then(unix_time),
            started_at: data.and_then(|d| d.start_time).and_then(unix_time),
            finished_at,
            usage,
            raw,
        }
    }
}

/// A unix time; 0 and negative mean "not yet" in this API.
fn unix_time(seconds: i64) -> Option<SystemTime> {
    (seconds > 0).then(|| UNIX_EPOCH + Duration::from_secs(seconds as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn queried(answer: Value) -> Task {
        Task::from_queried("asked-id", serde_json::from_value(answer).unwrap())
    }

    #[test]
    fn the_wrapper_shape_gives_status_progress_video_and_times() {
        let task = queried(json!({"code": "success", "message": "", "data": {
            "task_id": "cgt-1", "status": "SUCCESS", "progress": "100%",
            "result_url": "https://storage/v.mp4", "fail_reason": "https://storage/v.mp4",
            "submit_time": 1777288506, "start_time": 1777288508, "finish_time": 1777288800,
            "data": {"id": "cgt-1", "status": "succeeded", "model": "m", "usage": {"total_tokens": 5}}
        }}));
        assert_eq!(task.id, "cgt-1");
        assert_eq!(task.status, TaskStatus::Succeeded);
        assert_eq!(task.progress, 100);
        assert_eq!(task.video_url.as_deref(), Some("https://storage/v.mp4"));
        assert_eq!(
            task.failure, None,
            "fail_reason may equal result_url on success"
        );
        assert_eq!(task.usage.unwrap().total_tokens, Some(5));
        assert_eq!(
            task.started_at,
            Some(UNIX_EPOCH + Duration::from_secs(1777288508))
        );
        assert_eq!(task.model.as_deref(), Some("m"));
    }

    #[test]
    fn a_running_wrapper_reads_its_percentage_and_has_no_finish() {
        let task = queried(
            json!({"data": {"status": "IN_PROGRESS", "progress": "42%", "finish_time": 0}}),
        );
        assert_eq!(
            (task.status, task.progress, task.finished_at),
            (TaskStatus::Running, 42, None)
        );
        assert_eq!(task.id, "asked-id");
    }

    #[test]
    fn a_failed_wrapper_gives_reason_and_upstream_code() {
        let task = queried(
            json!({"data": {"status": "FAILURE", "fail_reason": "real face",
            "data": {"status": "failed", "error": {"code": "PrivacyInformation", "message": "m"}}}}),
        );
        assert_eq!(
            task.failure,
            Some(Failure {
                reason: "real face".into(),
                code: Some("PrivacyInformation".into())
            })
        );
    }

    #[test]
    fn the_older_flat_shapes_give_the_same_view() {
        let flat = queried(
            json!({"id": "cgt-2", "model": "seedance-fast", "status": "completed",
            "video_url": "https://v", "created_at": 1773328294}),
        );
        assert_eq!(
            (flat.id.as_str(), &flat.status, flat.progress),
            ("cgt-2", &TaskStatus::Succeeded, 100)
        );
        assert_eq!(flat.video_url.as_deref(), Some("https://v"));

        let ark = queried(
            json!({"id": "cgt-3", "status": "failed", "error": {"code": "X", "message": "why"}}),
        );
        assert_eq!(ark.status, TaskStatus::Failed);
        assert_eq!(
            ark.failure,
            Some(Failure {
                reason: "why".into(),
                code: Some("X".into())
            })
        );

        let submitted = queried(json!({"id": "cgt-4", "status": "submitted"}));
        assert_eq!(submitted.status, TaskStatus::Pending);
    }

    #[test]
    fn an_unknown_status_word_is_kept() {
        let task = queried(json!({"data": {"status": "PAUSED_FOR_REVIEW", "new_field": 1}}));
        assert_eq!(task.status, TaskStatus::Unknown("PAUSED_FOR_REVIEW".into()));
        assert_eq!(task.raw["data"]["new_field"], 1);
        assert!(!task.status.is_terminal());
    }
}
