//! [`WanRequest`]: Alibaba's Wan 2.2 (`wan2.2-t2v-a14b`, `wan2.2-i2v-a14b`), sent to
//! `POST /v1/video/generations` with its own flat body (anyfast's pages
//! `alibaba/wan2.2-t2v-a14b` and `alibaba/wan2.2-i2v-a14b`).

use anyfast_video_api::validate::Family;
use serde_json::Value;

use super::{FamilyBody, Route};

/// Wan 2.2's text-to-video model.
const WAN_TEXT_TO_VIDEO: &str = "wan2.2-t2v-a14b";
/// Wan 2.2's image-to-video model.
const WAN_IMAGE_TO_VIDEO: &str = "wan2.2-i2v-a14b";

/// A Wan 2.2 video: a prompt (text-to-video), or an image with an optional prompt
/// (image-to-video); 3 to 5 seconds, at the width and height asked for. Checked when sent
/// ([`validate::check_wan`](crate::api::validate::check_wan)).
///
/// ```
/// use anyfast_video::{VideoRequest, WanRequest};
///
/// let request: VideoRequest = WanRequest::text_to_video("a cat playing piano")
///     .duration(4)
///     .size(1280, 720)
///     .seed(7)
///     .into();
/// let body = request.body_without_validation()?;
/// assert_eq!(body["model"], "wan2.2-t2v-a14b");
/// assert_eq!((body["duration"].as_i64(), body["width"].as_i64()), (Some(4), Some(1280)));
/// assert!(body.get("content").is_none());
/// # Ok::<(), anyfast_video::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct WanRequest(pub(crate) FamilyBody);

impl WanRequest {
    fn of(model: &str) -> Self {
        WanRequest(FamilyBody::new(Family::Wan, Route::Generations)).model(model)
    }

    /// A text-to-video request (`wan2.2-t2v-a14b`).
    pub fn text_to_video(prompt: impl Into<String>) -> Self {
        Self::of(WAN_TEXT_TO_VIDEO).prompt(prompt)
    }

    /// An image-to-video request (`wan2.2-i2v-a14b`) from the public URL of an image.
    pub fn image_to_video(image_url: impl Into<String>) -> Self {
        Self::of(WAN_IMAGE_TO_VIDEO).with("image", image_url.into())
    }

    /// Another Wan model id.
    pub fn model(self, model: impl Into<String>) -> Self {
        self.with("model", model.into())
    }

    /// The prompt (optional for image-to-video, where it guides the motion).
    pub fn prompt(self, prompt: impl Into<String>) -> Self {
        self.with("prompt", prompt.into())
    }

    /// Length in seconds: 3 to 5 (the service's default is 5).
    pub fn duration(self, seconds: i64) -> Self {
        self.with("duration", seconds)
    }

    /// The output's width and height in pixels.
    pub fn size(self, width: u32, height: u32) -> Self {
        self.with("width", width).with("height", height)
    }

    /// The random seed, to make a result again.
    pub fn seed(self, seed: i64) -> Self {
        self.with("seed", seed)
    }

    /// Extra parameters passed through to the upstream API (`metadata`).
    pub fn metadata(self, metadata: Value) -> Self {
        self.with("metadata", metadata)
    }

    /// Any other field of the body, as JSON (read with its type when the spec types it).
    pub fn field(self, name: &str, value: Value) -> Self {
        self.with(name, value)
    }

    fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.0.set(name, value);
        self
    }
}
