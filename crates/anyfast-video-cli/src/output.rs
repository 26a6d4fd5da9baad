//! What a command prints on stdout: one JSON object with `--json`, a short text otherwise.

use std::time::UNIX_EPOCH;

use anyfast_video::Task;
use serde_json::{Value, json};

/// A command's result, in both forms.
pub struct Report {
    pub json: Value,
    pub human: String,
}

/// A task as JSON: the normalised view, not the raw answer.
pub fn task_json(task: &Task) -> Value {
    let unix = |time: Option<std::time::SystemTime>| {
        time.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs())
    };
    json!({
        "id": task.id,
        "status": task.status.to_string(),
        "progress": task.progress,
        "video_url": task.video_url,
        "failure": task.failure.as_ref().map(|f| json!({"reason": f.reason, "code": f.code})),
        "model": task.model,
        "created_at": unix(task.created_at),
        "finished_at": unix(task.finished_at),
    })
}

/// A task in one line or a few.
pub fn task_text(task: &Task) -> String {
    let mut text = format!("{} {} {}%", task.id, task.status, task.progress);
    if let Some(url) = &task.video_url {
        text.push_str(&format!("\nvideo: {url}"));
    }
    if let Some(failure) = &task.failure {
        let code = failure
            .code
            .as_deref()
            .map(|code| format!(" ({code})"))
            .unwrap_or_default();
        text.push_str(&format!("\nfailed{code}: {}", failure.reason));
    }
    text
}
