//! The tasks the mock has created, of every family: the bodies of `POST /v1/video/generations`
//! (Seedance, Wan, HappyHorse) and of Kling's create routes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use anyfast_video_api::types::{self, ContentItem, CreateVideoGenerationRequest, ImageRole};
use anyfast_video_api::validate::{Family, KlingAction};
use serde_json::Value;
use tokio::time::Instant;

use crate::lifecycle::{Phase, Schedule, Timing};
use crate::timestamps::unix_now;

/// Put this in a prompt to make the task fail: `[mock:fail]`, or `[mock:fail=CODE]` to choose
/// the upstream error code (default `SensitiveContentDetected`).
pub const FAIL_MARKER: &str = "[mock:fail";

/// The upstream error code of a failing task whose marker names none.
pub const DEFAULT_FAILURE_CODE: &str = "SensitiveContentDetected";

/// What a task was made from.
#[derive(Debug, Clone)]
pub(crate) enum TaskRequest {
    /// A body of `POST /v1/video/generations`, of its family.
    Generation(CreateVideoGenerationRequest),
    /// A body of `POST /kling/v1/videos/{action}`, kept as sent (checked by
    /// `validate::check_kling`).
    Kling { action: KlingAction, body: Value },
}

impl TaskRequest {
    /// The family the request belongs to.
    pub fn family(&self) -> Family {
        match self {
            TaskRequest::Generation(CreateVideoGenerationRequest::SeedanceVideoRequest(_)) => {
                Family::Seedance
            }
            TaskRequest::Generation(CreateVideoGenerationRequest::WanVideoRequest(_)) => {
                Family::Wan
            }
            TaskRequest::Generation(
                CreateVideoGenerationRequest::HappyHorseVideoRequest(_)
                | CreateVideoGenerationRequest::HappyHorseVideoEditRequest(_),
            ) => Family::HappyHorse,
            TaskRequest::Kling { .. } => Family::Kling,
        }
    }

    /// The Seedance body, for a Seedance task.
    pub fn seedance(&self) -> Option<&types::SeedanceVideoRequest> {
        match self {
            TaskRequest::Generation(CreateVideoGenerationRequest::SeedanceVideoRequest(body)) => {
                Some(body)
            }
            _ => None,
        }
    }

    /// The Kling route that made a Kling task.
    pub fn kling_action(&self) -> Option<KlingAction> {
        match self {
            TaskRequest::Kling { action, .. } => Some(*action),
            TaskRequest::Generation(_) => None,
        }
    }

    /// The request's prompt: a Seedance body's `text` items joined by newlines, the `prompt`
    /// of the flat bodies and of Kling's, the video edit's `input.prompt`; empty when there is
    /// none.
    pub fn prompt(&self) -> String {
        match self {
            TaskRequest::Generation(CreateVideoGenerationRequest::SeedanceVideoRequest(body)) => {
                let texts: Vec<&str> = body
                    .content
                    .iter()
                    .filter_map(|item| match item {
                        ContentItem::Text { text } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect();
                texts.join("\n")
            }
            TaskRequest::Generation(CreateVideoGenerationRequest::WanVideoRequest(body)) => {
                body.prompt.clone().unwrap_or_default()
            }
            TaskRequest::Generation(CreateVideoGenerationRequest::HappyHorseVideoRequest(body)) => {
                body.prompt.clone()
            }
            TaskRequest::Generation(CreateVideoGenerationRequest::HappyHorseVideoEditRequest(
                body,
            )) => body.input.prompt.clone(),
            TaskRequest::Kling { body, .. } => body
                .get("prompt")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        }
    }

    /// The model id: the body's `model` (Kling's `model_name`, or the model its page
    /// documents for the route when the body names none).
    pub fn model(&self) -> String {
        let named = match self {
            TaskRequest::Generation(body) => serde_json::to_value(body).ok().and_then(|body| {
                body.get("model")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            }),
            TaskRequest::Kling { body, .. } => body
                .get("model_name")
                .and_then(Value::as_str)
                .map(str::to_string),
        };
        named.unwrap_or_else(|| match self.kling_action() {
            Some(KlingAction::Text2Video) => "kling-v3".into(),
            Some(KlingAction::Image2Video) => "kling-v2-master".into(),
            Some(KlingAction::MultiImage2Video) => "kling-v1-6".into(),
            Some(KlingAction::OmniVideo) => "kling-v3-omni".into(),
            _ => String::new(),
        })
    }
}

/// One created task.
#[derive(Debug)]
pub(crate) struct Task {
    pub id: String,
    /// Its place among the mock's creates, from 1: part of the id, and what drift keys a
    /// task's personality on (the id also holds the creation time, which differs between runs).
    pub number: u64,
    pub request: TaskRequest,
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

    /// The request's prompt (see [`TaskRequest::prompt`]).
    pub fn prompt(&self) -> String {
        self.request.prompt()
    }

    pub fn family(&self) -> Family {
        self.request.family()
    }

    /// Whether the request asked for the video's last frame as an image (Seedance only).
    pub fn returns_last_frame(&self) -> bool {
        self.request
            .seedance()
            .is_some_and(|body| body.return_last_frame == Some(true))
    }

    pub fn model(&self) -> String {
        self.request.model()
    }

    /// The kind of task anyfast reports in `data.action`: for Seedance by its content; for
    /// HappyHorse by its model, with the same words (the page lists `generate`,
    /// `firstTailGenerate`, `referenceGenerate`, `omniGenerate`); for Kling the route, as the
    /// Kling task query page's example writes it (`/kling/v1/videos/omni-video_POST`).
    pub fn action(&self) -> String {
        match &self.request {
            TaskRequest::Generation(CreateVideoGenerationRequest::SeedanceVideoRequest(body)) => {
                seedance_action(&body.content).to_string()
            }
            TaskRequest::Generation(CreateVideoGenerationRequest::HappyHorseVideoRequest(body)) => {
                match &body.model {
                    types::HappyHorseModelId::HappyHorseModel(model) => match model {
                        types::HappyHorseModel::Happyhorse10T2v => "generate",
                        types::HappyHorseModel::Happyhorse10I2v => "firstTailGenerate",
                        types::HappyHorseModel::Happyhorse10R2v => "referenceGenerate",
                    },
                    // Another id: by the inputs it was given.
                    types::HappyHorseModelId::OtherHappyHorseModel(_)
                        if !body.images.is_empty() =>
                    {
                        "referenceGenerate"
                    }
                    types::HappyHorseModelId::OtherHappyHorseModel(_) if body.image.is_some() => {
                        "firstTailGenerate"
                    }
                    types::HappyHorseModelId::OtherHappyHorseModel(_) => "generate",
                }
                .to_string()
            }
            TaskRequest::Generation(CreateVideoGenerationRequest::HappyHorseVideoEditRequest(
                _,
            )) => "omniGenerate".to_string(),
            TaskRequest::Generation(CreateVideoGenerationRequest::WanVideoRequest(_)) => {
                "generate".to_string()
            }
            TaskRequest::Kling { action, .. } => {
                format!("/kling/v1/videos/{}_POST", action.path())
            }
        }
    }
}

/// The kind of a Seedance task, by its content.
fn seedance_action(content: &[ContentItem]) -> &'static str {
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

/// The upstream error code a prompt asks for with [`FAIL_MARKER`], if it does.
fn requested_failure(request: &TaskRequest) -> Option<String> {
    let prompt = request.prompt();
    let after = &prompt[prompt.find(FAIL_MARKER)? + FAIL_MARKER.len()..];
    let code = after.split(']').next().unwrap_or_default();
    Some(match code.strip_prefix('=') {
        Some(code) if !code.is_empty() => code.to_string(),
        _ => DEFAULT_FAILURE_CODE.to_string(),
    })
}

/// A new task's id, in the form of its family's documented ids: Seedance `cgt-…`, HappyHorse
/// `asyntask_…`, Wan an alphanumeric id (`5WZH6fIngVFPrffXrECtcN` on its page), Kling a
/// number (`860260753860210752`). Each holds the creation time and the task's number.
fn task_id(family: Family, created_unix: i64, number: u64) -> String {
    match family {
        Family::Wan => format!("wanmock{created_unix}n{number:05}"),
        Family::HappyHorse => format!("asyntask_mock{created_unix}n{number:05}"),
        Family::Kling => format!("{created_unix}{number:08}"),
        _ => format!("cgt-{created_unix}-mock{number:05}"),
    }
}

/// Every task, by id.
#[derive(Debug, Default)]
pub(crate) struct TaskStore {
    tasks: Mutex<HashMap<String, Arc<Task>>>,
    created: AtomicU64,
}

impl TaskStore {
    pub fn create(&self, request: TaskRequest, timing: &Timing) -> Arc<Task> {
        let number = self.created.fetch_add(1, Ordering::Relaxed) + 1;
        let created_unix = unix_now();
        let id = task_id(request.family(), created_unix, number);
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

    fn request(text: &str) -> TaskRequest {
        TaskRequest::Generation(
            serde_json::from_value(serde_json::json!({
                "model": "seedance-fast", "content": [{"type": "text", "text": text}]
            }))
            .unwrap(),
        )
    }

    fn family_request(body: Value) -> TaskRequest {
        TaskRequest::Generation(serde_json::from_value(body).unwrap())
    }

    #[tokio::test]
    async fn every_family_has_its_prompt_model_action_and_id_form() {
        use serde_json::json;
        let store = TaskStore::default();
        let wan = store.create(
            family_request(json!({"model": "wan2.2-t2v-a14b", "prompt": "a wan cat"})),
            &Timing::Instant,
        );
        assert_eq!(
            (wan.family(), wan.prompt(), wan.model()),
            (Family::Wan, "a wan cat".into(), "wan2.2-t2v-a14b".into())
        );
        assert!(wan.id.starts_with("wanmock"), "{}", wan.id);
        let edit = store.create(
            family_request(json!({"model": "happyhorse-1.0-video-edit", "input": {
                "prompt": "a sweater [mock:fail=Boom]", "media": [
                    {"type": "video", "url": "https://e.com/v.mp4"},
                    {"type": "reference_image", "url": "https://e.com/i.png"}]}})),
            &Timing::Instant,
        );
        assert_eq!(edit.family(), Family::HappyHorse);
        assert_eq!(edit.action(), "omniGenerate");
        assert_eq!(edit.failure.as_deref(), Some("Boom"));
        assert!(edit.id.starts_with("asyntask_"), "{}", edit.id);
        let kling = store.create(
            TaskRequest::Kling {
                action: KlingAction::OmniVideo,
                body: json!({"prompt": "a kling cat"}),
            },
            &Timing::Instant,
        );
        assert_eq!(
            (
                kling.family(),
                kling.prompt(),
                kling.model(),
                kling.action()
            ),
            (
                Family::Kling,
                "a kling cat".into(),
                "kling-v3-omni".into(),
                "/kling/v1/videos/omni-video_POST".into()
            )
        );
        assert!(kling.id.bytes().all(|b| b.is_ascii_digit()), "{}", kling.id);
        assert_eq!(store.count_with_prompt("a kling cat"), 1);
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
