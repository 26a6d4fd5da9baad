//! [`VideoRequest`]: every field of a create, typed, with the reference page's defaults.

use anyfast_video_api::types::{self, ContentItem};
use anyfast_video_api::validate;

use crate::Error;
use crate::media::{MediaKind, MediaSource};

/// The model used when none is chosen.
pub const DEFAULT_MODEL: &str = "seedance-fast";

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

/// The output resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Resolution {
    /// 480p.
    P480,
    /// 720p (the default).
    #[default]
    P720,
}

impl From<Resolution> for types::Resolution {
    fn from(resolution: Resolution) -> Self {
        match resolution {
            Resolution::P480 => types::Resolution::X480p,
            Resolution::P720 => types::Resolution::X720p,
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
}

/// What to make: the prompt and inputs, and the output's settings. Defaults are the
/// reference page's: model `seedance-fast`, 5 s, 720p, adaptive ratio, with audio, no
/// watermark, no web search.
///
/// Nothing is checked while building; [`VideoRequest::prepare`] (which `create` calls) reads
/// local files and checks every rule of the API, naming the field of each problem.
///
/// ```
/// use anyfast_video::{Ratio, VideoRequest};
///
/// let request = VideoRequest::text("一只猫在阳光明媚的房间里弹钢琴")
///     .reference_image("https://example.com/reference.jpg")
///     .duration(5)
///     .ratio(Ratio::Landscape16x9);
/// let body = request.body_without_validation()?;
/// assert_eq!(serde_json::to_value(&body)?["ratio"], "16:9");
/// # Ok::<(), Box<dyn std::error::Error>>(())
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

    /// Adds a reference video (an https URL or an asset; not a file).
    pub fn video(mut self, source: impl Into<MediaSource>) -> Self {
        self.inputs.push(Input::Video(source.into()));
        self
    }

    /// Adds a reference audio clip (needs an image or a video beside it).
    pub fn audio(mut self, source: impl Into<MediaSource>) -> Self {
        self.inputs.push(Input::Audio(source.into()));
        self
    }

    /// The model id; any id can be sent (default `seedance-fast`).
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

    /// The resolution (default 720p).
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

    /// The body that would be sent, exactly, without checking the API's rules. Local files
    /// are not read here (use [`VideoRequest::prepare`]) and are an error.
    pub fn body_without_validation(&self) -> Result<types::CreateVideoGenerationRequest, Error> {
        let content = self
            .inputs
            .iter()
            .enumerate()
            .map(|(index, input)| {
                let url_of = |source: &MediaSource, field: &str| match source {
                    MediaSource::Url(url) => Ok(url.clone()),
                    MediaSource::File(path) => Err(Error::Config(format!(
                        "content[{index}].{field}: the local file {} is read by prepare(), not here",
                        path.display()
                    ))),
                };
                self.content_item(index, input, url_of)
            })
            .collect::<Result<Vec<_>, Error>>()?;
        self.body(content)
    }

    /// Reads local files into data URIs, then checks the request against every rule of the
    /// API ([`anyfast_video_api::validate`]) and the 64 MB body limit. The result is what
    /// `create` sends.
    pub async fn prepare(&self) -> Result<types::CreateVideoGenerationRequest, Error> {
        Ok(self.checked().await?.0)
    }

    /// The body `create` sends, checked, serialised once.
    pub(crate) async fn encode(&self) -> Result<bytes::Bytes, Error> {
        Ok(self.checked().await?.1)
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
        let body = self.body(content)?;
        validate::check_request(&body).map_err(|violations| Error::InvalidRequest {
            violations: violations.0,
        })?;
        let json = serde_json::to_vec(&body)
            .map_err(|error| Error::Config(format!("the request cannot be serialised: {error}")))?;
        validate::check_body_size(json.len()).map_err(|violation| Error::InvalidRequest {
            violations: vec![violation],
        })?;
        Ok((body, json.into()))
    }

    fn content_item(
        &self,
        index: usize,
        input: &Input,
        url_of: impl Fn(&MediaSource, &str) -> Result<String, Error>,
    ) -> Result<ContentItem, Error> {
        let empty = |field: &str| Error::InvalidRequest {
            violations: vec![validate::Violation {
                field: format!("content[{index}].{field}"),
                rule: validate::Rule::EmptyText,
            }],
        };
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

    fn body(
        &self,
        content: Vec<ContentItem>,
    ) -> Result<types::CreateVideoGenerationRequest, Error> {
        let model = match self.model.as_str() {
            DEFAULT_MODEL => types::Model::KnownModel(types::KnownModel::SeedanceFast),
            other => {
                types::Model::OtherModel(other.try_into().map_err(|_| Error::InvalidRequest {
                    violations: vec![validate::Violation {
                        field: "model".into(),
                        rule: validate::Rule::EmptyText,
                    }],
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
        Ok(types::CreateVideoGenerationRequest {
            model,
            content,
            generate_audio: self.generate_audio,
            resolution: Some(self.resolution.into()),
            ratio: Some(self.ratio.into()),
            duration: self.duration,
            tools,
            watermark: self.watermark,
        })
    }
}
