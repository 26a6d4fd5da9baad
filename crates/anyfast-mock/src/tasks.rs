//! The tasks the mock has created.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use anyfast_video_api::types::{self, ContentItem, ImageRole};
use tokio::time::Instant;

use crate::lifecycle::{Phase, Schedule, Timing};
use crate::timestamps::unix_now;

/// Put this in a prompt to make the task fail: `[mock:fail]`, or `[mock:fail=CODE]` to choose
/// the upstream error code (default `SensitiveContentDetected`).
pub const FAIL_MARKER: &str = "[mock:fail";

/// The upstream error code of a failing task whose marker names none.
pub const DEFAULT_FAILURE_CODE: &str = "SensitiveContentDetected";

/// One created task.
#[derive(Debug)]
pub(crate) struct Task {
    pub id: String,
    /// Its place among the mock's creates, from 1: part of the id, and what drift keys a
    /// task's personality on (the id also holds the creation time, which differs between runs).
    pub number: u64,
    pub request: types::CreateVideoGenerationRequest,
    pub created: Instant,
    pub created_unix: i64,
    pub schedule: Schedule,
    /// The upstream error code, for a task that will fail.
    pub failure: Option<String>,
}

impl Task {
    pub fn phase(&self) -> Phase {
        Phase::at(
            &self.schedule,
            self.created.elapsed(),
            self.failure.is_some(),
        )
    }

    /// The unix time at `offset` after creation.
    pub fn unix_at(&self, offset: std::time::Duration) -> i64 {
        self.created_unix + offset.as_secs() as i64
    }

    /// The text of the request's `text` items, joined by newlines.
    pub fn prompt(&self) -> String {
        let texts: Vec<&str> = self
            .request
            .content
            .iter()
            .filter_map(|item| match item {
                ContentItem::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        texts.join("\n")
    }

    /// Whether the request asked for the video's last frame as an image.
    pub fn returns_last_frame(&self) -> bool {
        self.request.return_last_frame == Some(true)
    }

    pub fn model(&self) -> String {
        match serde_json::to_value(&self.request.model) {
            Ok(serde_json::Value::String(model)) => model,
            _ => String::new(),
        }
    }

    /// The kind of task anyfast reports in `data.action`.
    pub fn action(&self) -> &'static str {
        let content = &self.request.content;
        let has = |wanted: fn(&ContentItem) -> bool| content.iter().any(wanted);
        if has(|item| {
            matches!(
                item,
                ContentItem::VideoUrl { .. } | ContentItem::AudioUrl { .. }
            )
        }) {
            "omniGenerate"
        } else if has(|item| {
            matches!(
                item,
                ContentItem::ImageUrl {
                    role: Some(ImageRole::FirstFrame | ImageRole::LastFrame),
                    ..
                }
            )
        }) {
            "firstTailGenerate"
        } else if has(|item| matches!(item, ContentItem::ImageUrl { .. })) {
            "referenceGenerate"
        } else {
            "generate"
        }
    }
}

/// The upstream error code a prompt asks for with [`FAIL_MARKER`], if it does.
fn requested_failure(request: &types::CreateVideoGenerationRequest) -> Option<String> {
    request.content.iter().find_map(|item| {
        let ContentItem::Text { text } = item else {
            return None;
        };
        let after = &text[text.find(FAIL_MARKER)? + FAIL_MARKER.len()..];
        let code = after.split(']').next().unwrap_or_default();
        Some(match code.strip_prefix('=') {
            Some(code) if !code.is_empty() => code.to_string(),
            _ => DEFAULT_FAILURE_CODE.to_string(),
        })
    })
}

/// Every task, by id.
#[derive(Debug, Default)]
pub(crate) struct TaskStore {
    tasks: Mutex<HashMap<String, Arc<Task>>>,
    created: AtomicU64,
}

impl TaskStore {
    pub fn create(
        &self,
        request: types::CreateVideoGenerationRequest,
        timing: &Timing,
    ) -> Arc<Task> {
        let number = self.created.fetch_add(1, Ordering::Relaxed) + 1;
        let created_unix = unix_now();
        let id = format!("cgt-{created_unix}-mock{number:05}");
        let task = Arc::new(Task {
            schedule: timing.schedule(&id),
            failure: requested_failure(&request),
            id: id.clone(),
            number,
            request,
            created: Instant::now(),
            created_unix,
        });
        self.tasks
            .lock()
            .expect("task store")
            .insert(id, task.clone());
        task
    }

    pub fn get(&self, id: &str) -> Option<Arc<Task>> {
        self.tasks.lock().expect("task store").get(id).cloned()
    }

    pub fn len(&self) -> usize {
        self.tasks.lock().expect("task store").len()
    }

    /// How many tasks were made from this prompt.
    pub fn count_with_prompt(&self, prompt: &str) -> usize {
        let tasks = self.tasks.lock().expect("task store");
        tasks
            .values()
            .filter(|task| task.prompt() == prompt)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(text: &str) -> types::CreateVideoGenerationRequest {
        serde_json::from_value(serde_json::json!({
            "model": "seedance-fast", "content": [{"type": "text", "text": text}]
        }))
        .unwrap()
    }

    #[test]
    fn the_fail_marker_chooses_failure_and_its_code() {
        assert_eq!(requested_failure(&request("a cat")), None);
        assert_eq!(
            requested_failure(&request("a cat [mock:fail]")).as_deref(),
            Some(DEFAULT_FAILURE_CODE)
        );
        assert_eq!(
            requested_failure(&request("[mock:fail=PrivacyInformation] a face")).as_deref(),
            Some("PrivacyInformation")
        );
    }

    #[tokio::test]
    async fn ids_are_unique_and_tasks_are_found_by_them() {
        let store = TaskStore::default();
        let first = store.create(request("a"), &Timing::Instant);
        let second = store.create(request("b"), &Timing::Instant);
        assert_ne!(first.id, second.id);
        assert!(first.id.starts_with("cgt-"));
        assert_eq!(store.get(&second.id).unwrap().id, second.id);
        assert!(store.get("cgt-unknown").is_none());
        assert_eq!(store.len(), 2);
        assert_eq!((first.number, second.number), (1, 2));
        assert!(second.id.ends_with("-mock00002"), "{}", second.id);
        store.create(request("a"), &Timing::Instant);
        assert_eq!(
            (
                store.count_with_prompt("a"),
                store.count_with_prompt("b"),
                store.count_with_prompt("c")
            ),
            (2, 1, 0)
        );
    }
}
