//! [`KlingRequest`]: Kuaishou's Kling, on its own routes (`POST /kling/v1/videos/{action}` to
//! create, `GET /kling/v1/videos/{action}/{task_id}` to ask), and the task ids that carry the
//! action their query needs (anyfast's pages `kuaishou/kling-v3-t2v`, `kling-v2-master-i2v`,
//! `kling-v1-6-mi2v`, `kling-v3-omni`, `kling-task-query`).

use anyfast_video_api::validate::{Family, KlingAction};
use serde_json::{Map, Value, json};

use super::{FamilyBody, Route};

/// A Kling video: text-to-video, image-to-video (a first and/or an end frame),
/// multi-image-to-video (one to four images) or omni-video; `std` or `pro` mode. Checked when
/// sent ([`validate::check_kling`](crate::api::validate::check_kling)).
///
/// A created Kling task's [`Task::id`](crate::Task::id) is `kling/{action}/{task_id}`: Kling's
/// query route needs the action the task was made with, so the id carries it, and `get`,
/// `wait`, `download`, task stores and the command line take it like any other id. (anyfast's
/// API introduction shows the query without the action, `GET /kling/v1/videos/{task_id}`: an id
/// of the form `kling/{task_id}` asks there, and so does a query whose action route answers
/// 404.)
///
/// ```
/// use anyfast_video::{KlingRequest, VideoRequest};
///
/// let request: VideoRequest = KlingRequest::text_to_video("a cat walks through sunflowers")
///     .mode("pro")
///     .duration(10)
///     .aspect_ratio("9:16")
///     .sound(true)
///     .into();
/// let body = request.body_without_validation()?;
/// assert_eq!(body["model_name"], "kling-v3");
/// assert_eq!((body["duration"].as_str(), body["sound"].as_str()), (Some("10"), Some("on")));
/// # Ok::<(), anyfast_video::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct KlingRequest(pub(crate) FamilyBody);

impl KlingRequest {
    fn of(action: KlingAction, model: &str) -> Self {
        let mut body = FamilyBody::new(Family::Kling, Route::Kling(action));
        body.set("model_name", model);
        KlingRequest(body)
    }

    /// Text-to-video (`text2video`, model `kling-v3`).
    pub fn text_to_video(prompt: impl Into<String>) -> Self {
        Self::of(KlingAction::Text2Video, "kling-v3").prompt(prompt)
    }

    /// Image-to-video (`image2video`, model `kling-v2-master`) from the first frame, a URL or
    /// base64; add [`KlingRequest::image_tail`] for the end frame.
    pub fn image_to_video(image: impl Into<String>) -> Self {
        Self::of(KlingAction::Image2Video, "kling-v2-master").with("image", image.into())
    }

    /// Multi-image-to-video (`multi-image2video`, model `kling-v1-6`) from one to four images.
    pub fn multi_image_to_video<I, S>(prompt: impl Into<String>, images: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list: Vec<Value> = images
            .into_iter()
            .map(|image| json!({ "image": image.into() }))
            .collect();
        Self::of(KlingAction::MultiImage2Video, "kling-v1-6")
            .prompt(prompt)
            .with("image_list", list)
    }

    /// Omni-video (`omni-video`, model `kling-v3-omni`); its other inputs with
    /// [`KlingRequest::field`].
    pub fn omni_video(prompt: impl Into<String>) -> Self {
        Self::of(KlingAction::OmniVideo, "kling-v3-omni").prompt(prompt)
    }

    /// Another Kling model (`model_name`).
    pub fn model_name(self, model: impl Into<String>) -> Self {
        self.with("model_name", model.into())
    }

    /// The prompt (at most 2500 characters).
    pub fn prompt(self, prompt: impl Into<String>) -> Self {
        self.with("prompt", prompt.into())
    }

    /// What the video should not show (at most 2500 characters).
    pub fn negative_prompt(self, prompt: impl Into<String>) -> Self {
        self.with("negative_prompt", prompt.into())
    }

    /// The end frame of an image-to-video request.
    pub fn image_tail(self, image: impl Into<String>) -> Self {
        self.with("image_tail", image.into())
    }

    /// `std` (cost-effective, the default) or `pro` (higher quality).
    pub fn mode(self, mode: impl Into<String>) -> Self {
        self.with("mode", mode.into())
    }

    /// Length in seconds, among the values the action's page lists (sent as Kling's string).
    pub fn duration(self, seconds: u32) -> Self {
        self.with("duration", seconds.to_string())
    }

    /// The aspect ratio, such as `16:9`, `9:16` or `1:1`.
    pub fn aspect_ratio(self, ratio: impl Into<String>) -> Self {
        self.with("aspect_ratio", ratio.into())
    }

    /// How closely the video follows the prompt, 0 to 1.
    pub fn cfg_scale(self, scale: f64) -> Self {
        self.with("cfg_scale", scale)
    }

    /// Whether the video has sound (`sound`: `on` or `off`).
    pub fn sound(self, on: bool) -> Self {
        self.with("sound", if on { "on" } else { "off" })
    }

    /// Whether to add Kling's watermark (`watermark_info.enabled`).
    pub fn watermark(self, on: bool) -> Self {
        self.with("watermark_info", json!({ "enabled": on }))
    }

    /// A URL the service calls when the task ends.
    pub fn callback_url(self, url: impl Into<String>) -> Self {
        self.with("callback_url", url.into())
    }

    /// The caller's own id for the task.
    pub fn external_task_id(self, id: impl Into<String>) -> Self {
        self.with("external_task_id", id.into())
    }

    /// Any other field of the body, as JSON (`camera_control`, `multi_shot`, masks, ...).
    pub fn field(self, name: &str, value: Value) -> Self {
        self.with(name, value)
    }

    fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.0.set(name, value);
        self
    }
}

/// The action a Kling body is created with, from what it holds: an omni model, an image list,
/// a first or end frame, or a prompt alone.
pub(crate) fn kling_action_of(fields: &Map<String, Value>) -> KlingAction {
    let model = fields
        .get("model_name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if let Some(action) = KlingAction::of_model(model) {
        action
    } else if fields.contains_key("image_list") {
        KlingAction::MultiImage2Video
    } else if fields.contains_key("image") || fields.contains_key("image_tail") {
        KlingAction::Image2Video
    } else {
        KlingAction::Text2Video
    }
}

/// A Kling task as this crate names it: `kling/{action}/{task_id}`, or `kling/{task_id}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct KlingTask<'a> {
    /// The action its query route takes, when known.
    pub action: Option<&'a str>,
    /// Kling's own task id.
    pub task_id: &'a str,
}

impl<'a> KlingTask<'a> {
    /// The Kling task `id` names, if it names one.
    pub(crate) fn parse(id: &'a str) -> Option<Self> {
        let rest = id.strip_prefix("kling/")?;
        let (action, task_id) = match rest.split_once('/') {
            Some((action, task_id)) => (Some(action), task_id),
            None => (None, rest),
        };
        (!task_id.is_empty() && !task_id.contains('/')).then_some(KlingTask { action, task_id })
    }

    /// The id of the task Kling created as `task_id` for `action`.
    pub(crate) fn id_of(action: KlingAction, task_id: &str) -> String {
        format!("kling/{}/{task_id}", action.query_action())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kling_id_carries_its_query_action_and_reads_back() {
        let id = KlingTask::id_of(KlingAction::Text2Video, "860260753860210752");
        assert_eq!(id, "kling/text2video/860260753860210752");
        let task = KlingTask::parse(&id).unwrap();
        assert_eq!(
            (task.action, task.task_id),
            (Some("text2video"), "860260753860210752")
        );
        let bare = KlingTask::parse("kling/860260753860210752").unwrap();
        assert_eq!((bare.action, bare.task_id), (None, "860260753860210752"));
        assert_eq!(KlingTask::parse("cgt-20260427192233-x81kq"), None);
        assert_eq!(KlingTask::parse("kling/a/b/c"), None);
        assert_eq!(KlingTask::parse("kling/"), None);
    }

    #[test]
    fn the_action_follows_what_the_body_holds() {
        let action = |body: Value| kling_action_of(body.as_object().unwrap());
        assert_eq!(action(json!({"prompt": "x"})), KlingAction::Text2Video);
        assert_eq!(action(json!({"image_tail": "u"})), KlingAction::Image2Video);
        assert_eq!(
            action(json!({"image_list": []})),
            KlingAction::MultiImage2Video
        );
        assert_eq!(
            action(json!({"model_name": "kling-v3-omni"})),
            KlingAction::OmniVideo
        );
    }
}
