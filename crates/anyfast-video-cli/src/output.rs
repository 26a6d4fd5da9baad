//! What a command prints on stdout: one JSON object with `--json`, a short text otherwise.

use std::path::Path;
use std::time::UNIX_EPOCH;

use anyfast_video::{Asset, ModelInfo, Task};
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
        "other_ids": task.other_ids,
        "status": task.status.to_string(),
        "progress": task.progress,
        "video_url": task.video_url,
        "last_frame_url": task.last_frame_url,
        "original_video_url": task.original_video_url,
        "failure": task.failure.as_ref().map(|f| json!({"reason": f.reason, "code": f.code})),
        "model": task.model,
        "created_at": unix(task.created_at),
        "started_at": unix(task.started_at),
        "finished_at": unix(task.finished_at),
    })
}

/// A task and the file its video was saved to, as one JSON object: the task's fields, plus
/// `path` and `bytes`. Paths that are not UTF-8 are shown with replacement characters.
pub fn saved_json(task: &Task, path: &Path, bytes: u64) -> Value {
    let mut object = task_json(task);
    object["path"] = json!(path.to_string_lossy());
    object["bytes"] = json!(bytes);
    object
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

/// An asset as JSON.
pub fn asset_json(asset: &Asset) -> Value {
    let unix = |time: Option<std::time::SystemTime>| {
        time.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs())
    };
    json!({
        "id": asset.id,
        "reference": asset.reference(),
        "name": asset.name,
        "status": asset.status.to_string(),
        "kind": asset.kind.map(|kind| kind.asset_type()),
        "group_id": asset.group_id,
        "url": asset.url,
        "created_at": unix(asset.created_at),
    })
}

/// An asset in one line: id, status, kind, name.
pub fn asset_line(asset: &Asset) -> String {
    format!(
        "{}\t{}\t{}\t{}",
        asset.id,
        asset.status,
        asset.kind.map_or("?", |kind| kind.asset_type()),
        asset.name.as_deref().unwrap_or("")
    )
}

/// A model as JSON.
pub fn model_json(model: &ModelInfo) -> Value {
    json!({
        "id": model.id,
        "owned_by": model.owned_by,
        "endpoint_types": model.endpoint_types,
        "video": model.is_video(),
        "family": family_name(&model.id),
    })
}

/// The family a model id belongs to (`Seedance`, `Wan`, `HappyHorse`, `Kling`), or `None` for
/// an id no family claims (sent in Seedance's body).
pub fn family_name(model: &str) -> Option<&'static str> {
    anyfast_video::api::validate::family_of(model).map(|family| family.name())
}
