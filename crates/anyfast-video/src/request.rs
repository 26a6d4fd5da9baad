//! [`VideoRequest`]: every field of a create, typed, with the reference page's defaults, and any
//! other field a caller wants to send.

use std::path::Path;
use std::time::Duration;

use anyfast_video_api::types::{self, ContentItem};
use anyfast_video_api::validate::{self, Rule, Violation};
use serde_json::Value;

use crate::Error;
use crate::MediaKind;
use crate::media::MediaSource;

/// The model used when none is chosen: Seedance 2.0 Fast, the reference page's model.
pub const DEFAULT_MODEL: &str = validate::SEEDANCE_FAST;

/// The output aspect ratio.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Ratio {
    /// 16:9.
    Landscape16x9,
    /// 4:3.
    Landscape4x3,
    /// 1:1.
    Square,
    /// 3:4.
    Portrait3x4,
    /// 9:16.
    Portrait9x16,
    /// 21:9.
    Ultrawide21x9,
    /// Chosen from the inputs (the default).
    #[default]
    Adaptive,
}

impl From<types::Ratio> for Ratio {
    fn from(ratio: types::Ratio) -> Self {
        match ratio {
            types::Ratio::X169 => Ratio::Landscape16x9,
            types::Ratio::X43 => Ratio::Landscape4x3,
            types::Ratio::X11 => Ratio::Square,
            types::Ratio::X34 => Ratio::Portrait3x4,
            types::Ratio::X916 => Ratio::Portrait9x16,
            types::Ratio::X219 => Ratio::Ultrawide21x9,
            types::Ratio::Adaptive => Ratio::Adaptive,
        }
    }
}

impl From<Ratio> for types::Ratio {
    fn from(ratio: Ratio) -> Self {
        match ratio {
            Ratio::Landscape16x9 => types::Ratio::X169,
            Ratio::Landscape4x3 => types::Ratio::X43,
            Ratio::Square => types::Ratio::X11,
            Ratio::Portrait3x4 => types::Ratio::X34,
            Ratio::Portrait9x16 => types::Ratio::X916,
            Ratio::Ultrawide21x9 => types::Ratio::X219,
            Ratio::Adaptive => types::Ratio::Adaptive,
        }
    }
}

/// The output resolution. Which model makes which is checked before sending (1080p is
/// `seedance`'s only); [`Resolution::Other`] sends any resolution the service adds later.
///
/// ```
/// use anyfast_video::Resolution;
///
/// assert_eq!(Resolution::parse("1080p"), Resolution::P1080);
/// assert_eq!(Resolution::parse("1440p"), Resolution::Other("1440p".into()));
/// assert_eq!(Resolution::P720.as_str(), "720p");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Resolution {
    /// 480p.
    P480,
    /// 720p (the default).
    #[default]
    P720,
    /// 1080p (`seedance` only).
    P1080,
    /// Another resolution, such as `1440p`, sent as it is.
    Other(String),
}

impl Resolution {
    /// Reads a resolution word (`480p`, `720p`, `1080p`, or another).
    pub fn parse(word: &str) -> Resolution {
        match word {
            "480p" => Resolution::P480,
            "720p" => Resolution::P720,
            "1080p" => Resolution::P1080,
            other => Resolution::Other(other.to_string()),
        }
    }

    /// The word sent.
    pub fn as_str(&self) -> &str {
        match self {
            Resolution::P480 => "480p",
            Resolution::P720 => "720p",
            Resolution::P1080 => "1080p",
            Resolution::Other(other) => other,
        }
    }
}

/// How the upstream service schedules the task (forwarded upstream, not documented by
/// anyfast).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceTier {
    /// The default tier.
    Default,
    /// Cheaper and slower.
    Flex,
}

impl From<ServiceTier> for types::CreateVideoGenerationRequestServiceTier {
    fn from(tier: ServiceTier) -> Self {
        match tier {
            ServiceTier::Default => types::CreateVideoGenerationRequestServiceTier::Default,
            ServiceTier::Flex => types::CreateVideoGenerationRequestServiceTier::Flex,
        }
    }
}

/// One input of a request, in order (prompts refer to them as `@image1`, `@video1`, ...).
#[derive(Clone, Debug, PartialEq)]
enum Input {
    Text(String),
    Image(MediaSource, Option<types::ImageRole>),
    Video(MediaSource),
    Audio(MediaSource),
}

impl Input {
    /// A media input's source, kind, and the field its URL goes in.
    fn media(&self) -> Option<(&MediaSource, MediaKind, &'static str)> {
        match self {
            Input::Text(_) => None,
            Input::Image(source, _) => Some((source, MediaKind::Image, "image_url")),
            Input::Video(source) => Some((source, MediaKind::Video, "video_url")),
            Input::Audio(source) => Some((source, MediaKind::Audio, "audio_url")),
        }
    }

    fn media_mut(&mut self) -> Option<&mut MediaSource> {
        match self {
            Input::Text(_) => None,
            Input::Image(source, _) | Input::Video(source) | Input::Audio(source) => Some(source),
        }
    }
}

/// A local file of a request that is to be uploaded to the asset library before the create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PendingUpload<'a> {
    /// Its place in `content`.
    pub index: usize,
    /// The file.
    pub path: &'a Path,
    /// What kind of input it is.
    pub kind: MediaKind,
}

/// What to make: the prompt and inputs, and the output's settings. Defaults are the
/// reference page's: model `seedance-fast`, 5 s, 720p, adaptive ratio, with audio, no
/// watermark, no web search. Fields left unset are not sent.
///
/// Nothing is checked while building; [`VideoRequest::prepare`] (which `create` calls) reads
/// local files and checks every rule of the API, naming the field of each problem.
///
/// ```
/// use anyfast_video::{Ratio, Resolution, VideoRequest};
///
/// let request = VideoRequest::text("一只猫在阳光明媚的房间里弹钢琴")
///     .model("seedance")
///     .reference_image("https://example.com/reference.jpg")
///     .duration(5)
///     .ratio(Ratio::Landscape16x9)
///     .resolution(Resolution::P1080)
///     .return_last_frame(true)
///     .extra("frames_per_second", serde_json::json!(24))?;
/// let body = request.body_without_validation()?;
/// assert_eq!(body["ratio"], "16:9");
/// assert_eq!(body["frames_per_second"], 24);
/// # Ok::<(), anyfast_video::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct VideoRequest {
    model: String,
    inputs: Vec<Input>,
    generate_audio: bool,
    resolution: Resolution,
    ratio: Ratio,
    duration: i32,
    web_search: bool,
    watermark: bool,
    return_last_frame: Option<bool>,
    seed: Option<i64>,
    camera_fixed: Option<bool>,
    callback_url: Option<String>,
    service_tier: Option<ServiceTier>,
    execution_expires_after: Option<Duration>,
    extra: serde_json::Map<String, Value>,
}

impl Default for VideoRequest {
    fn default() -> Self {
        VideoRequest {
            model: DEFAULT_MODEL.into(),
            inputs: Vec::new(),
            generate_audio: true,
            resolution: Resolution::default(),
            ratio: Ratio::default(),
            duration: 5,
            web_search: false,
            watermark: false,
            return_last_frame: None,
            seed: None,
            camera_fixed: None,
            callback_url: None,
            service_tier: None,
            execution_expires_after: None,
            extra: serde_json::Map::new(),
        }
    }
}

impl VideoRequest {
    /// A request with no inputs yet.
    pub fn new() -> Self {
        VideoRequest::default()
    }

    /// A request that starts with this prompt.
    pub fn text(prompt: impl Into<String>) -> Self {
        VideoRequest::new().prompt(prompt)
    }

    /// Adds a text prompt.
    pub fn prompt(mut self, prompt: impl Into<String>) -> Self {
        self.inputs.push(Input::Text(prompt.into()));
        self
    }

    /// Adds an image without a role (the service decides how to use it).
    pub fn image(mut self, source: impl Into<MediaSource>) -> Self {
        self.inputs.push(Input::Image(source.into(), None));
        self
    }

    /// Adds a reference image (role `reference_image`).
    pub fn reference_image(mut self, source: impl Into<MediaSource>) -> Self {
        let role = Some(types::ImageRole::ReferenceImage);
        self.inputs.push(Input::Image(source.into(), role));
        self
    }

    /// Adds the image the video starts with (role `first_frame`).
    pub fn first_frame(mut self, source: impl Into<MediaSource>) -> Self {
        let role = Some(types::ImageRole::FirstFrame);
        self.inputs.push(Input::Image(source.into(), role));
        self
    }

    /// Adds the image the video ends with (role `last_frame`).
    pub fn last_frame(mut self, source: impl Into<MediaSource>) -> Self {
        let role = Some(types::ImageRole::LastFrame);
        self.inputs.push(Input::Image(source.into(), role));
        self
    }

    /// Adds a reference video: an https URL or an asset, or a local file marked
    /// [`MediaSource::upload_as_asset`].
    pub fn video(mut self, source: impl Into<MediaSource>) -> Self {
        self.inputs.push(Input::Video(source.into()));
        self
    }

    /// Adds a reference audio clip (needs an image or a video beside it).
    pub fn audio(mut self, source: impl Into<MediaSource>) -> Self {
        self.inputs.push(Input::Audio(source.into()));
        self
    }

    /// The model id: `seedance` (Seedance 2.0), `seedance-fast` (2.0 Fast, the default), or any
    /// other id, which is sent as it is.
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = model.into();
        self
    }

    /// Length in seconds: 4 to 15, or -1 to let the model choose (default 5).
    pub fn duration(mut self, seconds: i32) -> Self {
        self.duration = seconds;
        self
    }

    /// Lets the model choose the length (`duration: -1`).
    pub fn automatic_duration(self) -> Self {
        self.duration(validate::DURATION_AUTOMATIC)
    }

    /// The aspect ratio (default adaptive).
    pub fn ratio(mut self, ratio: Ratio) -> Self {
        self.ratio = ratio;
        self
    }

    /// The resolution (default 720p; 1080p for `seedance` only).
    pub fn resolution(mut self, resolution: Resolution) -> Self {
        self.resolution = resolution;
        self
    }

    /// Whether to generate synchronised audio (default true).
    pub fn generate_audio(mut self, on: bool) -> Self {
        self.generate_audio = on;
        self
    }

    /// Whether to add a watermark (default false).
    pub fn watermark(mut self, on: bool) -> Self {
        self.watermark = on;
        self
    }

    /// Whether the model may search the web (text-to-video only; default false).
    pub fn web_search(mut self, on: bool) -> Self {
        self.web_search = on;
        self
    }

    /// Asks for the video's last frame as an image too ([`Task::last_frame_url`](crate::Task::last_frame_url)),
    /// to start the next clip from. Documented by anyfast's Seedance 2.0 guides.
    pub fn return_last_frame(mut self, on: bool) -> Self {
        self.return_last_frame = Some(on);
        self
    }

    /// The random seed, -1 for a random one (0 to 4294967295 otherwise). Forwarded upstream,
    /// not documented by anyfast.
    pub fn seed(mut self, seed: i64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Keeps the camera still. Forwarded upstream, not documented by anyfast.
    pub fn camera_fixed(mut self, on: bool) -> Self {
        self.camera_fixed = Some(on);
        self
    }

    /// An https URL the service calls when the task ends (read its body with
    /// [`answer::read_task`](crate::answer::read_task)). Forwarded upstream, not documented
    /// by anyfast.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// The service tier. Forwarded upstream, not documented by anyfast.
    pub fn service_tier(mut self, tier: ServiceTier) -> Self {
        self.service_tier = Some(tier);
        self
    }

    /// How long an unfinished task may wait before it expires (whole seconds, at least 1).
    /// Forwarded upstream, not documented by anyfast.
    pub fn execution_expires_after(mut self, after: Duration) -> Self {
        self.execution_expires_after = Some(after);
        self
    }

    /// Sends one more field that this crate does not type, merged into the body as it is (the
    /// Stainless SDKs' `extra_body`). A later call with the same name replaces the value.
    /// Refused, naming the field, when it would overwrite a field the API types (set those
    /// with their own methods, so that their rules are checked).
    ///
    /// ```
    /// use anyfast_video::VideoRequest;
    ///
    /// let request = VideoRequest::text("a cat").extra("user_tag", serde_json::json!("demo"))?;
    /// assert_eq!(request.body_without_validation()?["user_tag"], "demo");
    /// let refused = VideoRequest::text("a cat").extra("duration", serde_json::json!(8)).unwrap_err();
    /// assert_eq!(refused.field(), Some("duration"));
    /// # Ok::<(), anyfast_video::Error>(())
    /// ```
    pub fn extra(mut self, name: impl Into<String>, value: Value) -> Result<Self, Error> {
        let name = name.into();
        validate::check_extra_field(&name).map_err(|violation| Error::InvalidRequest {
            violations: vec![violation],
        })?;
        self.extra.insert(name, value);
        Ok(self)
    }

    /// A request from the API's own JSON body (as a batch file line or a saved request holds
    /// it). Fields the API types are read with their types; any other field is kept and sent
    /// as an [extra](VideoRequest::extra) field. A media `url` that is not a URL (no scheme)
    /// is a local path, read like [`MediaSource`]'s.
    ///
    /// ```
    /// use anyfast_video::VideoRequest;
    /// use serde_json::json;
    ///
    /// let body = json!({
    ///     "model": "seedance",
    ///     "content": [{"type": "text", "text": "a cat"},
    ///                 {"type": "image_url", "image_url": {"url": "https://e.com/c.png"}, "role": "first_frame"}],
    ///     "resolution": "1080p", "duration": 8, "user_tag": "spring"
    /// });
    /// let request = VideoRequest::from_json(body.clone())?;
    /// let sent = request.body_without_validation()?;
    /// assert_eq!((sent["model"].clone(), sent["duration"].clone(), sent["user_tag"].clone()), (json!("seedance"), json!(8), json!("spring")));
    /// assert_eq!(sent["content"], body["content"]);
    /// let refused = VideoRequest::from_json(json!({"model": "seedance", "content": [{"type": "sound"}]})).unwrap_err();
    /// assert_eq!(refused.field(), Some("body"));
    /// # Ok::<(), anyfast_video::Error>(())
    /// ```
    pub fn from_json(body: Value) -> Result<VideoRequest, Error> {
        let Value::Object(mut fields) = body else {
            return Err(invalid(
                "body".into(),
                Rule::Format {
                    expected: "a JSON object",
                },
            ));
        };
        let mut extra = serde_json::Map::new();
        for name in fields.keys().cloned().collect::<Vec<_>>() {
            if !validate::typed_fields().contains(&name) {
                extra.extend(fields.remove_entry(&name));
            }
        }
        let typed: types::CreateVideoGenerationRequest =
            serde_json::from_value(Value::Object(fields)).map_err(|error| {
                invalid(
                    "body".into(),
                    Rule::Schema {
                        detail: error.to_string(),
                    },
                )
            })?;
        let mut request = VideoRequest::new().model(match &typed.model {
            types::Model::KnownModel(known) => known.to_string(),
            types::Model::OtherModel(other) => other.to_string(),
        });
        for item in typed.content {
            request.inputs.push(match item {
                ContentItem::Text { text } => Input::Text(text.to_string()),
                ContentItem::ImageUrl { image_url, role } => {
                    Input::Image(MediaSource::from(image_url.url.as_str()), role)
                }
                ContentItem::VideoUrl { video_url, .. } => {
                    Input::Video(MediaSource::from(video_url.url.as_str()))
                }
                ContentItem::AudioUrl { audio_url, .. } => {
                    Input::Audio(MediaSource::from(audio_url.url.as_str()))
                }
            });
        }
        request.generate_audio = typed.generate_audio;
        if let Some(resolution) = &typed.resolution {
            request.resolution = Resolution::parse(&match resolution {
                types::Resolution::KnownResolution(known) => known.to_string(),
                types::Resolution::OtherResolution(other) => other.to_string(),
            });
        }
        if let Some(ratio) = typed.ratio {
            request.ratio = ratio.into();
        }
        request.duration = typed.duration;
        request.web_search = typed
            .tools
            .iter()
            .any(|tool| tool.type_ == types::ToolType::WebSearch);
        request.watermark = typed.watermark;
        request.return_last_frame = typed.return_last_frame;
        request.seed = typed.seed;
        request.camera_fixed = typed.camera_fixed;
        request.callback_url = typed.callback_url.map(|url| url.to_string());
        request.service_tier = typed.service_tier.map(|tier| match tier {
            types::CreateVideoGenerationRequestServiceTier::Default => ServiceTier::Default,
            types::CreateVideoGenerationRequestServiceTier::Flex => ServiceTier::Flex,
        });
        request.execution_expires_after = typed
            .execution_expires_after
            .map(|seconds| Duration::from_secs(seconds.get()));
        request.extra = extra;
        Ok(request)
    }

    /// The JSON body that would be sent, exactly, without checking the API's rules. Local
    /// files are not read here (use [`VideoRequest::prepare`]) and are an error.
    pub fn body_without_validation(&self) -> Result<Value, Error> {
        let content = self
            .inputs
            .iter()
            .enumerate()
            .map(|(index, input)| {
                let url_of = |source: &MediaSource, field: &str| match source {
                    MediaSource::Url(url) => Ok(url.clone()),
                    MediaSource::File(path) | MediaSource::Upload(path) => {
                        Err(Error::Config(format!(
                            "content[{index}].{field}: the local file {} is read by prepare(), not here",
                            path.display()
                        )))
                    }
                };
                self.content_item(index, input, url_of)
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let typed = self.typed_body(content)?;
        Ok(self.with_extra(&typed))
    }

    /// Reads local files into data URIs, then checks the request against every rule of the
    /// API ([`anyfast_video_api::validate`]) and the 64 MB body limit. The result is the
    /// typed part of what `create` sends (the extra fields are merged into it on sending).
    /// Files marked [`MediaSource::upload_as_asset`] are uploaded by `create`, not here: they
    /// are an error.
    pub async fn prepare(&self) -> Result<types::CreateVideoGenerationRequest, Error> {
        Ok(self.checked().await?.0)
    }

    /// The body `create` sends, checked, serialised once.
    pub(crate) async fn encode(&self) -> Result<bytes::Bytes, Error> {
        Ok(self.checked().await?.1)
    }

    /// The local files marked for upload, in order.
    /// The request's first text, if it has one (for a task store's listing).
    pub(crate) fn first_text(&self) -> Option<&str> {
        self.inputs.iter().find_map(|input| match input {
            Input::Text(text) => Some(text.as_str()),
            _ => None,
        })
    }

    pub(crate) fn pending_uploads(&self) -> Vec<PendingUpload<'_>> {
        self.inputs
            .iter()
            .enumerate()
            .filter_map(|(index, input)| match input.media() {
                Some((MediaSource::Upload(path), kind, _)) => {
                    Some(PendingUpload { index, path, kind })
                }
                _ => None,
            })
            .collect()
    }

    /// The same request with the input at `index` replaced by this uploaded asset.
    pub(crate) fn with_uploaded(mut self, index: usize, asset_id: &str) -> Self {
        if let Some(source) = self.inputs.get_mut(index).and_then(Input::media_mut) {
            *source = MediaSource::asset(asset_id);
        }
        self
    }

    /// The body, checked, with its JSON.
    async fn checked(&self) -> Result<(types::CreateVideoGenerationRequest, bytes::Bytes), Error> {
        let mut content = Vec::with_capacity(self.inputs.len());
        for (index, input) in self.inputs.iter().enumerate() {
            let url = match input.media() {
                Some((source, kind, field)) => Some(
                    source
                        .to_url(kind, &format!("content[{index}].{field}.url"))
                        .await?,
                ),
                None => None,
            };
            let url = &url;
            content
                .push(self.content_item(index, input, |_, _| Ok(url.clone().unwrap_or_default()))?);
        }
        let body = self.typed_body(content)?;
        validate::check_request(&body).map_err(|violations| Error::InvalidRequest {
            violations: violations.0,
        })?;
        let json = if self.extra.is_empty() {
            serde_json::to_vec(&body)
        } else {
            serde_json::to_vec(&self.with_extra(&body))
        }
        .map_err(|error| Error::Config(format!("the request cannot be serialised: {error}")))?;
        validate::check_body_size(json.len()).map_err(|violation| Error::InvalidRequest {
            violations: vec![violation],
        })?;
        Ok((body, json.into()))
    }

    /// The typed body as JSON, with the extra fields merged in.
    fn with_extra(&self, typed: &types::CreateVideoGenerationRequest) -> Value {
        let mut body = serde_json::to_value(typed).unwrap_or(Value::Null);
        if let Value::Object(fields) = &mut body {
            for (name, value) in &self.extra {
                fields.insert(name.clone(), value.clone());
            }
        }
        body
    }

    fn content_item(
        &self,
        index: usize,
        input: &Input,
        url_of: impl Fn(&MediaSource, &str) -> Result<String, Error>,
    ) -> Result<ContentItem, Error> {
        let empty = |field: &str| invalid(format!("content[{index}].{field}"), Rule::EmptyText);
        let media = |source: &MediaSource, field: &str| -> Result<types::MediaUrl, Error> {
            let url = url_of(source, field)?;
            let url = url
                .as_str()
                .try_into()
                .map_err(|_| empty(&format!("{field}.url")))?;
            Ok(types::MediaUrl { url })
        };
        Ok(match input {
            Input::Text(text) => ContentItem::Text {
                text: text.as_str().try_into().map_err(|_| empty("text"))?,
            },
            Input::Image(source, role) => ContentItem::ImageUrl {
                image_url: media(source, "image_url")?,
                role: *role,
            },
            Input::Video(source) => ContentItem::VideoUrl {
                video_url: media(source, "video_url")?,
                role: Some(types::VideoRole::ReferenceVideo),
            },
            Input::Audio(source) => ContentItem::AudioUrl {
                audio_url: media(source, "audio_url")?,
                role: Some(types::AudioRole::ReferenceAudio),
            },
        })
    }

    fn typed_body(
        &self,
        content: Vec<ContentItem>,
    ) -> Result<types::CreateVideoGenerationRequest, Error> {
        let model = match self.model.as_str() {
            validate::SEEDANCE_FAST => types::Model::KnownModel(types::KnownModel::SeedanceFast),
            validate::SEEDANCE => types::Model::KnownModel(types::KnownModel::Seedance),
            other => types::Model::OtherModel(
                other
                    .try_into()
                    .map_err(|_| invalid("model".into(), Rule::EmptyText))?,
            ),
        };
        let resolution = match &self.resolution {
            Resolution::P480 => types::KnownResolution::X480p.into(),
            Resolution::P720 => types::KnownResolution::X720p.into(),
            Resolution::P1080 => types::KnownResolution::X1080p.into(),
            Resolution::Other(other) => {
                types::Resolution::OtherResolution(other.as_str().try_into().map_err(|_| {
                    invalid(
                        "resolution".into(),
                        Rule::Format {
                            expected: "a resolution such as 720p (digits, then p)",
                        },
                    )
                })?)
            }
        };
        let tools = if self.web_search {
            vec![types::Tool {
                type_: types::ToolType::WebSearch,
            }]
        } else {
            Vec::new()
        };
        let callback_url = self
            .callback_url
            .as_deref()
            .map(|url| {
                url.try_into().map_err(|_| {
                    invalid(
                        "callback_url".into(),
                        Rule::UrlScheme {
                            allowed: validate::CALLBACK_URL_SOURCES,
                        },
                    )
                })
            })
            .transpose()?;
        let execution_expires_after = self
            .execution_expires_after
            .map(|after| {
                std::num::NonZeroU64::new(after.as_secs()).ok_or_else(|| {
                    invalid(
                        "execution_expires_after".into(),
                        Rule::OutOfRange {
                            min: 1,
                            max: i64::MAX,
                        },
                    )
                })
            })
            .transpose()?;
        Ok(types::CreateVideoGenerationRequest {
            model,
            content,
            generate_audio: self.generate_audio,
            resolution: Some(resolution),
            ratio: Some(self.ratio.into()),
            duration: self.duration,
            tools,
            watermark: self.watermark,
            return_last_frame: self.return_last_frame,
            seed: self.seed,
            camera_fixed: self.camera_fixed,
            callback_url,
            service_tier: self.service_tier.map(Into::into),
            execution_expires_after,
        })
    }
}

fn invalid(field: String, rule: Rule) -> Error {
    Error::InvalidRequest {
        violations: vec![Violation { field, rule }],
    }
}
