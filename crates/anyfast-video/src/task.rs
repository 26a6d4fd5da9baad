//! [`Task`]: one view of a task, whichever shape the service answered with.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use serde_json::Value;

/// Where a task is. Status words are read in any case and with `-`, `_` or spaces alike;
/// words the client does not know are kept in [`TaskStatus::Unknown`] rather than refused.
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
    /// Reads any status word of any shape, in any case.
    ///
    /// ```
    /// use anyfast_video::TaskStatus;
    ///
    /// assert_eq!(TaskStatus::parse("IN_PROGRESS"), TaskStatus::Running);
    /// assert_eq!(TaskStatus::parse("in-progress"), TaskStatus::Running);
    /// assert_eq!(TaskStatus::parse("Succeeded"), TaskStatus::Succeeded);
    /// assert_eq!(TaskStatus::parse("completed"), TaskStatus::Succeeded);
    /// assert_eq!(TaskStatus::parse(" Not-Started "), TaskStatus::Pending);
    /// assert_eq!(TaskStatus::parse("PAUSED"), TaskStatus::Unknown("PAUSED".into()));
    /// ```
    pub fn parse(word: &str) -> TaskStatus {
        // Normalised on the stack (this runs on every poll): a word longer than the buffer (more
        // than twice the longest known one, `not_started`) is unknown whatever its case.
        let trimmed = word.trim();
        let mut buffer = [0u8; 24];
        let normalised = buffer.get_mut(..trimmed.len()).and_then(|slot| {
            for (to, from) in slot.iter_mut().zip(trimmed.bytes()) {
                *to = match from {
                    b'-' | b' ' => b'_',
                    other => other.to_ascii_lowercase(),
                };
            }
            std::str::from_utf8(slot).ok()
        });
        match normalised {
            Some("" | "not_start" | "not_started" | "submitted" | "pending" | "created") => {
                TaskStatus::Pending
            }
            Some("queued" | "in_queue" | "waiting") => TaskStatus::Queued,
            Some("in_progress" | "running" | "processing" | "generating") => TaskStatus::Running,
            Some(
                "success" | "succeeded" | "succeed" | "completed" | "complete" | "done"
                | "finished",
            ) => TaskStatus::Succeeded,
            Some("failure" | "failed" | "fail" | "error") => TaskStatus::Failed,
            Some("cancelled" | "canceled") => TaskStatus::Cancelled,
            Some("expired") => TaskStatus::Expired,
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

    /// Whether the task ended without a video.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            TaskStatus::Failed | TaskStatus::Cancelled | TaskStatus::Expired
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

/// A function told about a task (its progress, its creation).
pub type TaskCallback = Arc<dyn Fn(&Task) + Send + Sync>;

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
    /// Tokens of the super-resolution step of an "ultra" task, when it had one.
    pub super_resolution_tokens: Option<i64>,
}

/// A task, as one view over every shape the service has answered with; what is essential in an
/// answer and what is read best-effort is [`tolerant`](crate::tolerant)'s to say. The whole
/// answer stays in [`Task::raw`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Task {
    /// The task's id, an opaque string: always the id the caller holds (the one a create
    /// returned, or the one a query asked about).
    pub id: String,
    /// Other ids the service reported for the same task (the `asyntask_...` of anyfast's
    /// wrapper, the upstream `cgt-...`), without `id` itself.
    pub other_ids: Vec<String>,
    /// Where it is.
    pub status: TaskStatus,
    /// 0 to 100.
    pub progress: u8,
    /// Where the finished video downloads from: a pre-signed URL valid for 24 hours, fetched
    /// without the API key.
    pub video_url: Option<String>,
    /// The last frame of the finished video as an image URL, when the request asked for it
    /// (`return_last_frame`).
    pub last_frame_url: Option<String>,
    /// The video before the service's super-resolution, for an "ultra" task
    /// (`original_result_url`); pre-signed like [`Task::video_url`].
    pub original_video_url: Option<String>,
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
    /// The local files of the request that `create` uploaded to the asset library first
    /// (those marked [`MediaSource::upload_as_asset`](crate::MediaSource::upload_as_asset)),
    /// with their asset ids. Empty for tasks read from a query.
    pub uploaded_assets: Vec<UploadedAsset>,
    /// The answer as the service sent it, unknown fields included.
    pub raw: Value,
}

/// A local file that was uploaded to the asset library and sent as `asset://<ID>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadedAsset {
    /// Its place in the request's `content`.
    pub index: usize,
    /// The file.
    pub path: std::path::PathBuf,
    /// The asset's id.
    pub asset_id: String,
}

impl Task {
    /// A task with this id and status and nothing else known: what a caller that stored an id
    /// (and a video URL) can rebuild later, to download again without querying.
    ///
    /// ```
    /// use anyfast_video::{Task, TaskStatus};
    ///
    /// let task = Task::new("cgt-1", TaskStatus::Succeeded)
    ///     .with_video_url("https://storage.example.com/cgt-1.mp4?X-Tos-Signature=abc");
    /// assert_eq!(task.progress, 100);
    /// assert!(task.video_url.is_some());
    /// ```
    pub fn new(id: impl Into<String>, status: TaskStatus) -> Task {
        let progress = if status == TaskStatus::Succeeded {
            100
        } else {
            0
        };
        Task {
            id: id.into(),
            other_ids: Vec::new(),
            status,
            progress,
            video_url: None,
            last_frame_url: None,
            original_video_url: None,
            failure: None,
            model: None,
            created_at: None,
            started_at: None,
            finished_at: None,
            usage: None,
            uploaded_assets: Vec::new(),
            raw: Value::Null,
        }
    }

    /// The same task with this video URL.
    pub fn with_video_url(mut self, url: impl Into<String>) -> Task {
        self.video_url = Some(url.into());
        self
    }
}
