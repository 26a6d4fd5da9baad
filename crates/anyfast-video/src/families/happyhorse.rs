//! [`HappyHorseRequest`]: Alibaba's HappyHorse 1.0 (`happyhorse-1.0-t2v`, `-i2v`, `-r2v`), sent
//! to `POST /v1/video/generations` with its own flat body (anyfast's pages
//! `alibaba/happyhorse-1.0-t2v`, `-i2v`, `-r2v`).

use anyfast_video_api::validate::Family;
use serde_json::Value;

use super::{FamilyBody, Route};

/// HappyHorse 1.0's text-to-video model.
const HAPPYHORSE_TEXT_TO_VIDEO: &str = "happyhorse-1.0-t2v";
/// HappyHorse 1.0's image-to-video model (one first-frame image).
const HAPPYHORSE_IMAGE_TO_VIDEO: &str = "happyhorse-1.0-i2v";
/// HappyHorse 1.0's reference-to-video model (one to three reference images).
const HAPPYHORSE_REFERENCE_TO_VIDEO: &str = "happyhorse-1.0-r2v";

/// A HappyHorse 1.0 video: from a prompt, a first-frame image, or reference images; 720P or
/// 1080P, 3 to 15 seconds. Checked when sent
/// ([`validate::check_happyhorse`](crate::api::validate::check_happyhorse)).
///
/// ```
/// use anyfast_video::{HappyHorseRequest, VideoRequest};
///
/// let request: VideoRequest =
///     HappyHorseRequest::image_to_video("the scene comes to life", "https://example.com/f.png")
///         .resolution("720P")
///         .duration(8)
///         .watermark(false)
///         .into();
/// let body = request.body_without_validation()?;
/// assert_eq!(body["model"], "happyhorse-1.0-i2v");
/// assert_eq!((body["resolution"].as_str(), body["watermark"].as_bool()), (Some("720P"), Some(false)));
/// # Ok::<(), anyfast_video::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct HappyHorseRequest(pub(crate) FamilyBody);

impl HappyHorseRequest {
    fn of(model: &str, prompt: String) -> Self {
        let mut body = FamilyBody::new(Family::HappyHorse, Route::Generations);
        body.set("model", model);
        body.set("prompt", prompt);
        HappyHorseRequest(body)
    }

    /// A text-to-video request (`happyhorse-1.0-t2v`).
    pub fn text_to_video(prompt: impl Into<String>) -> Self {
        Self::of(HAPPYHORSE_TEXT_TO_VIDEO, prompt.into())
    }

    /// An image-to-video request (`happyhorse-1.0-i2v`): the prompt drives the motion of the
    /// first-frame image at `image_url`.
    pub fn image_to_video(prompt: impl Into<String>, image_url: impl Into<String>) -> Self {
        Self::of(HAPPYHORSE_IMAGE_TO_VIDEO, prompt.into()).with("image", image_url.into())
    }

    /// A reference-to-video request (`happyhorse-1.0-r2v`) from one to three image URLs.
    pub fn reference_to_video<I, S>(prompt: impl Into<String>, image_urls: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let images: Vec<Value> = image_urls
            .into_iter()
            .map(|url| url.into().into())
            .collect();
        Self::of(HAPPYHORSE_REFERENCE_TO_VIDEO, prompt.into()).with("images", images)
    }

    /// Another HappyHorse model id.
    pub fn model(self, model: impl Into<String>) -> Self {
        self.with("model", model.into())
    }

    /// `720P` or `1080P` (the service's default is 1080P).
    pub fn resolution(self, resolution: impl Into<String>) -> Self {
        self.with("resolution", resolution.into())
    }

    /// `16:9`, `9:16`, `1:1`, `4:3` or `3:4` (the service's default is 16:9).
    pub fn ratio(self, ratio: impl Into<String>) -> Self {
        self.with("ratio", ratio.into())
    }

    /// Length in seconds: 3 to 15 (the service's default is 5).
    pub fn duration(self, seconds: i64) -> Self {
        self.with("duration", seconds)
    }

    /// Whether to keep the bottom-right watermark (the service's default is true).
    pub fn watermark(self, on: bool) -> Self {
        self.with("watermark", on)
    }

    /// The random seed, 0 to 2147483647.
    pub fn seed(self, seed: i64) -> Self {
        self.with("seed", seed)
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
