//! [`VideoRequest`]: the inputs of a create, and its other fields held in the generated body
//! type itself, so that a field or a value the spec adds is settable as soon as the client is
//! regenerated; and any other field a caller wants to send.

use std::path::PathBuf;
use std::sync::LazyLock;
use std::time::Duration;

use anyfast_video_api::types::{self, ContentItem, ImageRole};
use anyfast_video_api::validate::{self, Family, Rule, Violation};
use serde_json::Value;

use anyfast_video_api::validate::MediaKind;

use crate::error::{Error, invalid};
use crate::families::{
    self, FamilyBody, HappyHorseRequest, KlingRequest, PreparedBody, WanRequest,
};
use crate::media::MediaSource;

/// The model used when none is chosen: Seedance 2.0 Fast, the reference page's model.
pub const DEFAULT_MODEL: &str = validate::SEEDANCE_FAST;

/// One input of a request, in order (prompts refer to them as `@image1`, `@video1`, ...), as
/// [`VideoRequest::inputs`] shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum RequestInput {
    /// A text prompt.
    Text(String),
    /// An image, with its role when it has one.
    Image(MediaSource, Option<types::ImageRole>),
    /// A reference video.
    Video(MediaSource),
    /// A reference audio clip.
    Audio(MediaSource),
}

impl RequestInput {
    /// A media input's source, kind, and the field its URL goes in.
    fn media(&self) -> Option<(&MediaSource, MediaKind, &'static str)> {
        match self {
            RequestInput::Text(_) => None,
            RequestInput::Image(source, _) => Some((source, MediaKind::Image, "image_url")),
            RequestInput::Video(source) => Some((source, MediaKind::Video, "video_url")),
            RequestInput::Audio(source) => Some((source, MediaKind::Audio, "audio_url")),
        }
    }

    fn media_mut(&mut self) -> Option<&mut MediaSource> {
        match self {
            RequestInput::Text(_) => None,
            RequestInput::Image(source, _)
            | RequestInput::Video(source)
            | RequestInput::Audio(source) => Some(source),
        }
    }
}

/// What to make: the prompt and inputs, and the output's settings, in Seedance's `content[]`
/// body (every Seedance model's, and any id no family claims); another family's typed request
/// ([`WanRequest`](crate::WanRequest), [`HappyHorseRequest`](crate::HappyHorseRequest),
/// [`KlingRequest`](crate::KlingRequest)) becomes one too, with `into()`. The model is
/// `seedance-fast` unless set; every other setting left unset is not sent, and the service
/// applies its own default (the reference page's: 5 s, 720p, adaptive ratio, with audio, no
/// watermark, no web search), so that a model with other defaults or without the field (the
/// earlier Seedance models) gets what it expects.
///
/// The settings live in the generated body, [`api::types::SeedanceVideoRequest`]
/// (re-exported enums: [`Ratio`](crate::Ratio), [`Resolution`](crate::Resolution),
/// [`ServiceTier`](crate::ServiceTier)); each method below sets one
/// of its fields, and [`VideoRequest::with_body`] reaches every field the spec types,
/// including any added after this crate was written. Nothing is checked while building;
/// [`VideoRequest::prepare`] (which `create` calls) reads local files and checks every rule of
/// the API, naming the field of each problem.
///
/// [`api::types::SeedanceVideoRequest`]: crate::api::types::SeedanceVideoRequest
///
/// ```
/// use anyfast_video::{KnownResolution, Ratio, VideoRequest};
///
/// let request = VideoRequest::text("一只猫在阳光明媚的房间里弹钢琴")
///     .model("seedance")
///     .reference_image("https://example.com/reference.jpg")
///     .duration(5)
///     .ratio(Ratio::X169)
///     .resolution(KnownResolution::X1080p)
///     .return_last_frame(true)
///     .extra("frames_per_second", serde_json::json!(24))?;
/// let body = request.body_without_validation()?;
/// assert_eq!(body["ratio"], "16:9");
/// assert_eq!(body["resolution"], "1080p");
/// assert_eq!(body["frames_per_second"], 24);
/// # Ok::<(), anyfast_video::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct VideoRequest {
    inputs: Vec<RequestInput>,
    /// Every other field; its `content` stays empty until the inputs are turned into it.
    body: types::SeedanceVideoRequest,
    /// Values a setter could not turn into its field's type, reported when the body is made.
    unsendable: Vec<Violation>,
    /// The body's fields the caller set ([`VideoRequest::set_fields`]).
    set: std::collections::BTreeSet<String>,
    /// Another family's body (Wan, HappyHorse, Kling), which then replaces all of the above.
    family: Option<FamilyBody>,
}

// Written out to print what the derived form printed before `set` was kept: the fingerprints
// task stores wrote then are that output's hash (`anyfast-video-tasks` still reads them).
impl std::fmt::Debug for VideoRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VideoRequest")
            .field("inputs", &self.inputs)
            .field("body", &self.body)
            .field("unsendable", &self.unsendable)
            .finish()?;
        // Only another family's request prints it, so that a Seedance request's output (and
        // the old fingerprints) stay as they were.
        match &self.family {
            Some(family) => write!(f, " {family:?}"),
            None => Ok(()),
        }
    }
}

/// The body of a new request, built once: the generated builder allocates a message for each
/// required field it has not been given yet, every time it starts.
static DEFAULT_BODY: LazyLock<types::SeedanceVideoRequest> = LazyLock::new(|| {
    types::SeedanceVideoRequest::builder()
        .model(types::KnownModel::SeedanceFast)
        .content(Vec::new())
        .extra(serde_json::Map::new())
        .try_into()
        .expect("a model and content are all that a body needs")
});

impl Default for VideoRequest {
    fn default() -> Self {
        VideoRequest {
            inputs: Vec::new(),
            body: DEFAULT_BODY.clone(),
            unsendable: Vec::new(),
            set: std::collections::BTreeSet::new(),
            family: None,
        }
    }
}

impl VideoRequest {
    /// A request with no inputs yet.
    pub fn new() -> Self {
        VideoRequest::default()
    }

    /// The request of another family's typed request ([`WanRequest`](crate::WanRequest),
    /// [`HappyHorseRequest`](crate::HappyHorseRequest), [`KlingRequest`](crate::KlingRequest)).
    pub(crate) fn of_family(family: FamilyBody) -> Self {
        VideoRequest {
            family: Some(family),
            ..VideoRequest::default()
        }
    }

    /// The model family the request is for: its typed request's, or its model id's
    /// ([`validate::family_of`]); `None` for an id no family claims.
    ///
    /// ```
    /// use anyfast_video::{VideoRequest, WanRequest, api::validate::Family};
    ///
    /// assert_eq!(VideoRequest::text("a cat").family(), Some(Family::Seedance));
    /// assert_eq!(VideoRequest::from(WanRequest::text_to_video("a cat")).family(), Some(Family::Wan));
    /// assert_eq!(VideoRequest::text("a cat").model("veo-9").family(), None);
    /// ```
    pub fn family(&self) -> Option<validate::Family> {
        match &self.family {
            Some(family) => Some(family.family),
            None => validate::family_of(&self.body.model.to_string()),
        }
    }

    /// The model id the request asks for.
    pub fn model_id(&self) -> String {
        match &self.family {
            Some(family) => family.model().unwrap_or_default().to_string(),
            None => self.body.model.to_string(),
        }
    }

    /// Another family's body as its caller set it (`None` for Seedance's `content[]` body,
    /// which [`VideoRequest::body`] and [`VideoRequest::inputs`] hold).
    pub fn family_fields(&self) -> Option<&serde_json::Map<String, Value>> {
        self.family.as_ref().map(|family| &family.fields)
    }

    /// A request that starts with this prompt.
    pub fn text(prompt: impl Into<String>) -> Self {
        VideoRequest::new().prompt(prompt)
    }

    /// Adds a text prompt.
    pub fn prompt(self, prompt: impl Into<String>) -> Self {
        self.input(RequestInput::Text(prompt.into()))
    }

    /// Adds an image without a role (the service decides how to use it).
    pub fn image(self, source: impl Into<MediaSource>) -> Self {
        self.input(RequestInput::Image(source.into(), None))
    }

    /// Adds a reference image (role `reference_image`).
    pub fn reference_image(self, source: impl Into<MediaSource>) -> Self {
        self.image_as(source, ImageRole::ReferenceImage)
    }

    /// Adds the image the video starts with (role `first_frame`).
    pub fn first_frame(self, source: impl Into<MediaSource>) -> Self {
        self.image_as(source, ImageRole::FirstFrame)
    }

    /// Adds the image the video ends with (role `last_frame`).
    pub fn last_frame(self, source: impl Into<MediaSource>) -> Self {
        self.image_as(source, ImageRole::LastFrame)
    }

    /// Adds a reference video: an https URL or an asset, or a local file marked
    /// [`MediaSource::upload_as_asset`].
    pub fn video(self, source: impl Into<MediaSource>) -> Self {
        self.input(RequestInput::Video(source.into()))
    }

    /// Adds a reference audio clip (needs an image or a video beside it).
    pub fn audio(self, source: impl Into<MediaSource>) -> Self {
        self.input(RequestInput::Audio(source.into()))
    }

    fn image_as(self, source: impl Into<MediaSource>, role: ImageRole) -> Self {
        self.input(RequestInput::Image(source.into(), Some(role)))
    }

    fn input(mut self, input: RequestInput) -> Self {
        self.inputs.push(input);
        self
    }

    /// The model id: `seedance` (Seedance 2.0), `seedance-fast` (2.0 Fast, the default), or any
    /// other id, which is sent as it is.
    pub fn model(mut self, model: impl Into<String>) -> Self {
        let set = model.into().parse().map(|model| self.body.model = model);
        self.settled("model", set.map_err(|_| Rule::EmptyText))
    }

    /// Length in seconds: the model's range (Seedance 2.0: 4 to 15, or -1 to let the model
    /// choose; 1.0: 2 to 12; 1.5 pro: 4 to 12). Sent only when set; the service's default is 5.
    pub fn duration(mut self, seconds: i32) -> Self {
        self.body.duration = Some(seconds);
        self.marked("duration")
    }

    /// Lets the model choose the length (`duration: -1`).
    pub fn automatic_duration(self) -> Self {
        self.duration(validate::DURATION_AUTOMATIC)
    }

    /// The aspect ratio (default adaptive).
    pub fn ratio(mut self, ratio: types::Ratio) -> Self {
        self.body.ratio = Some(ratio);
        self.marked("ratio")
    }

    /// The resolution (default 720p; 1080p for `seedance`, 1.0 lite and 1.5 pro, not
    /// `seedance-fast`): a
    /// [`KnownResolution`](crate::KnownResolution), or any other read with `parse`, such as
    /// `"1440p".parse()?`.
    pub fn resolution(mut self, resolution: impl Into<types::Resolution>) -> Self {
        self.body.resolution = Some(resolution.into());
        self.marked("resolution")
    }

    /// Whether to generate synchronised audio (default true).
    pub fn generate_audio(mut self, on: bool) -> Self {
        self.body.generate_audio = Some(on);
        self.marked("generate_audio")
    }

    /// Whether to add a watermark (default false).
    pub fn watermark(mut self, on: bool) -> Self {
        self.body.watermark = Some(on);
        self.marked("watermark")
    }

    /// Whether the model may search the web (text-to-video only; default false).
    pub fn web_search(mut self, on: bool) -> Self {
        let web_search = types::Tool {
            type_: types::ToolType::WebSearch,
        };
        self.body.tools.retain(|tool| *tool != web_search);
        if on {
            self.body.tools.push(web_search);
        }
        self.marked("tools")
    }

    /// Asks for the video's last frame as an image too ([`Task::last_frame_url`](crate::Task::last_frame_url)),
    /// to start the next clip from. Documented by anyfast's Seedance 2.0 guides.
    pub fn return_last_frame(mut self, on: bool) -> Self {
        self.body.return_last_frame = Some(on);
        self.marked("return_last_frame")
    }

    /// The random seed, -1 for a random one (0 to 4294967295 otherwise). Forwarded upstream,
    /// not documented by anyfast.
    pub fn seed(mut self, seed: i64) -> Self {
        self.body.seed = Some(seed);
        self.marked("seed")
    }

    /// Keeps the camera still: documented by the Seedance 1.0 and 1.5 pages, forwarded upstream
    /// for 2.0.
    pub fn camera_fixed(mut self, on: bool) -> Self {
        self.body.camera_fixed = Some(on);
        self.marked("camera_fixed")
    }

    /// An https URL the service calls when the task ends (read its body with
    /// [`tolerant::read_task`](crate::tolerant::read_task)). Forwarded upstream, not documented
    /// by anyfast.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        let set = url
            .into()
            .try_into()
            .map(|url| self.body.callback_url = Some(url));
        let allowed = validate::CALLBACK_URL_SOURCES;
        self.settled("callback_url", set.map_err(|_| Rule::UrlScheme { allowed }))
    }

    /// The service tier. Forwarded upstream, not documented by anyfast.
    pub fn service_tier(mut self, tier: types::ServiceTier) -> Self {
        self.body.service_tier = Some(tier);
        self.marked("service_tier")
    }

    /// How long an unfinished task may wait before it expires (whole seconds, at least 1).
    /// Forwarded upstream, not documented by anyfast.
    pub fn execution_expires_after(mut self, after: Duration) -> Self {
        let seconds = std::num::NonZeroU64::new(after.as_secs());
        let set = seconds.map(|seconds| self.body.execution_expires_after = Some(seconds));
        let range = Rule::OutOfRange {
            min: 1,
            max: i64::MAX,
        };
        self.settled("execution_expires_after", set.ok_or(range))
    }

    /// Sets fields of the generated body directly: every field the spec types, with its type,
    /// including one added to the spec after this crate was written (regenerate the client,
    /// and it is here). The body's `content` is made from the inputs when the request is
    /// sent; what is put there is replaced. The API's rules are checked on the result, like
    /// those of every other setting.
    ///
    /// ```
    /// use anyfast_video::{Ratio, VideoRequest};
    ///
    /// let request = VideoRequest::text("a cat").with_body(|body| {
    ///     body.ratio = Some(Ratio::X916);
    ///     body.seed = Some(7);
    /// });
    /// let sent = request.body_without_validation()?;
    /// assert_eq!((sent["ratio"].as_str(), sent["seed"].as_i64()), (Some("9:16"), Some(7)));
    /// # Ok::<(), anyfast_video::Error>(())
    /// ```
    pub fn with_body(mut self, edit: impl FnOnce(&mut types::SeedanceVideoRequest)) -> Self {
        let before = body_fields(&self.body);
        edit(&mut self.body);
        // The fields the edit changed are the caller's.
        let after = body_fields(&self.body);
        for (name, value) in &after {
            if before.get(name) != Some(value) {
                self.set.insert(name.clone());
            }
        }
        self
    }

    /// Sends one more field that the spec does not type, in the body's `extra` map, which the
    /// body sends beside its typed fields (the Stainless SDKs' `extra_body`; the spec allows
    /// additional properties). A later call with the same name replaces the value.
    /// Refused, naming the field, when it would overwrite a field the spec types (set those
    /// with their methods or [`VideoRequest::with_body`], so that their types and rules are
    /// checked).
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
        validate::check_extra_field(&name)?;
        self.body.extra.insert(name, value);
        Ok(self)
    }

    /// Sets one field of the body by its name, from JSON (as a command line's `NAME=JSON`
    /// gives it): a field the spec types is read with its type, so a field the spec adds is
    /// typed as soon as the client is regenerated; any other field is sent as an
    /// [extra](VideoRequest::extra) field. A value of the wrong type is refused naming the
    /// field; `content` is refused (inputs have their own methods).
    ///
    /// ```
    /// use anyfast_video::VideoRequest;
    /// use serde_json::json;
    ///
    /// let request = VideoRequest::text("a cat")
    ///     .field("ratio", json!("1:1"))?
    ///     .field("user_tag", json!("demo"))?;
    /// let sent = request.body_without_validation()?;
    /// assert_eq!((sent["ratio"].as_str(), sent["user_tag"].as_str()), (Some("1:1"), Some("demo")));
    /// let refused = VideoRequest::text("a cat").field("ratio", json!("2:7")).unwrap_err();
    /// assert_eq!(refused.field(), Some("ratio"));
    /// # Ok::<(), anyfast_video::Error>(())
    /// ```
    pub fn field(mut self, name: impl Into<String>, value: Value) -> Result<Self, Error> {
        let name = name.into();
        if !validate::is_typed_field(&name) {
            return self.extra(name, value);
        }
        if name == "content" {
            return Err(invalid(name, Rule::ExtraFieldIsTyped));
        }
        let mut fields = body_fields(&self.body);
        fields.insert(name.clone(), value);
        self.body = serde_json::from_value(Value::Object(fields)).map_err(|error| {
            invalid(
                name.clone(),
                Rule::Schema {
                    detail: error.to_string(),
                },
            )
        })?;
        Ok(self.settled(&name, Ok(())))
    }

    /// A request from the API's own JSON body (as a batch file line or a saved request holds
    /// it). The fields the spec types are read into the generated body, each with its type
    /// (a wrong one is refused naming the field); any other field is kept and sent as an
    /// [extra](VideoRequest::extra) field. A media `url` that is not a URL (no scheme) is a
    /// local path, read like [`MediaSource`]'s.
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
    /// assert_eq!(refused.field(), Some("content[0].type"));
    /// let refused = VideoRequest::from_json(json!({"model": "seedance", "content": [], "duration": "long"})).unwrap_err();
    /// assert_eq!(refused.field(), Some("duration"));
    /// # Ok::<(), anyfast_video::Error>(())
    /// ```
    pub fn from_json(body: Value) -> Result<VideoRequest, Error> {
        let Some(fields) = body.as_object() else {
            let expected = "a JSON object";
            return Err(invalid("body", Rule::Format { expected }));
        };
        if let Some(family) = families::from_fields(fields) {
            return Ok(VideoRequest::of_family(family));
        }
        // What the body names is what its sender asked for (a `null` included, which the
        // fingerprint leaves out like any unset field); the fields the spec does not type land
        // in the body's flattened `extra` map.
        let set = fields
            .keys()
            .filter(|name| name.as_str() != "content" && validate::is_typed_field(name))
            .cloned()
            .collect();
        let mut body: types::SeedanceVideoRequest = families::typed(body)?;
        let inputs = std::mem::take(&mut body.content)
            .into_iter()
            .map(|item| match item {
                ContentItem::Text { text } => RequestInput::Text(text.to_string()),
                ContentItem::ImageUrl { image_url, role } => {
                    RequestInput::Image(MediaSource::from(image_url.url.as_str()), role)
                }
                ContentItem::VideoUrl { video_url, .. } => {
                    RequestInput::Video(MediaSource::from(video_url.url.as_str()))
                }
                ContentItem::AudioUrl { audio_url, .. } => {
                    RequestInput::Audio(MediaSource::from(audio_url.url.as_str()))
                }
            })
            .collect();
        Ok(VideoRequest {
            inputs,
            body,
            unsendable: Vec::new(),
            set,
            family: None,
        })
    }

    /// The JSON body that would be sent, exactly, without checking the API's rules. Local
    /// files are not read here (use [`VideoRequest::prepare`]) and are an error.
    pub fn body_without_validation(&self) -> Result<Value, Error> {
        if let Some(family) = &self.family {
            self.only_family()?;
            return Ok(Value::Object(family.fields.clone()));
        }
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
                content_item(index, input, url_of)
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let body = self.typed_body(content)?;
        serde_json::to_value(body)
            .map_err(|error| Error::Config(format!("the request cannot be serialised: {error}")))
    }

    /// Reads local files into data URIs, then checks the request against every rule of the
    /// API ([`anyfast_video_api::validate`], the family's own for another family) and the
    /// 64 MB body limit. The result is the body `create` sends with the generated client, its
    /// extra fields in its `extra` map. Files marked [`MediaSource::upload_as_asset`] are
    /// uploaded by `create`, not here: they are an error.
    pub async fn prepare(&self) -> Result<PreparedBody, Error> {
        if let Some(family) = &self.family {
            self.only_family()?;
            return family.prepare();
        }
        if let Some(family) = self.family().filter(|family| *family != Family::Seedance) {
            // Sent in Seedance's `content[]` body, another family's model would be refused by
            // the service, after the request was made.
            let expected = match family {
                Family::Wan => "a Seedance model here: a Wan model is built with WanRequest",
                Family::HappyHorse => {
                    "a Seedance model here: a HappyHorse model is built with HappyHorseRequest"
                }
                _ => "a Seedance model here: a Kling model is built with KlingRequest",
            };
            return Err(invalid("model", Rule::Format { expected }));
        }
        Ok(PreparedBody::Generations(
            self.prepare_seedance().await?.into(),
        ))
    }

    /// Another family's request holds nothing of Seedance's: a Seedance setter called on it
    /// would otherwise be dropped without a word.
    fn only_family(&self) -> Result<(), Error> {
        let seedance_field = (!self.inputs.is_empty())
            .then_some("content")
            .or(self.set.iter().next().map(String::as_str))
            .or(self.body.extra.keys().next().map(String::as_str));
        match seedance_field {
            None => Ok(()),
            Some(field) => Err(invalid(
                field,
                Rule::Format {
                    expected: "set with the family's own request type (WanRequest, \
                               HappyHorseRequest, KlingRequest), not a Seedance setter",
                },
            )),
        }
    }

    /// [`VideoRequest::prepare`] for Seedance's `content[]` body.
    async fn prepare_seedance(&self) -> Result<types::SeedanceVideoRequest, Error> {
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
            content.push(content_item(index, input, |_, _| {
                Ok(url.clone().unwrap_or_default())
            })?);
        }
        let body = self.typed_body(content)?;
        validate::check_request(&body)?;
        families::check_size(&body)?;
        Ok(body)
    }

    /// The inputs, in order, as they were given (a local file as its path).
    pub fn inputs(&self) -> &[RequestInput] {
        &self.inputs
    }

    /// The body as set so far; its `content` is empty until the inputs become it when the
    /// request is sent.
    pub fn body(&self) -> &types::SeedanceVideoRequest {
        &self.body
    }

    /// The names of the body's fields the caller set (by a method, [`VideoRequest::field`], in
    /// [`VideoRequest::from_json`]'s body, or changed in [`VideoRequest::with_body`]), so that
    /// what was asked for can be told from the defaults the spec fills in. (A durable task
    /// store fingerprints a request by them: a field the spec adds leaves it alone.)
    ///
    /// ```
    /// let request = anyfast_video::VideoRequest::text("a cat").duration(8);
    /// assert_eq!(request.set_fields().collect::<Vec<_>>(), ["duration"]);
    /// ```
    pub fn set_fields(&self) -> impl Iterator<Item = &str> {
        let family = self.family.iter().flat_map(|family| family.fields.keys());
        self.set.iter().chain(family).map(String::as_str)
    }

    /// The local files marked for upload, in order: each one's place in `content`, path and kind.
    pub(crate) fn pending_uploads(&self) -> Vec<(usize, PathBuf, MediaKind)> {
        self.inputs
            .iter()
            .enumerate()
            .filter_map(|(index, input)| match input.media() {
                Some((MediaSource::Upload(path), kind, _)) => Some((index, path.clone(), kind)),
                _ => None,
            })
            .collect()
    }

    /// The same request with the input at `index` replaced by this uploaded asset.
    pub(crate) fn with_uploaded(mut self, index: usize, asset_id: &str) -> Self {
        if let Some(source) = self.inputs.get_mut(index).and_then(RequestInput::media_mut) {
            *source = MediaSource::asset(asset_id);
        }
        self
    }

    /// The body with this content, or the values a setter could not send and the extra fields
    /// that shadow a typed one (such a key would be sent twice; [`VideoRequest::with_body`]
    /// reaches the `extra` map unchecked).
    fn typed_body(&self, content: Vec<ContentItem>) -> Result<types::SeedanceVideoRequest, Error> {
        let shadowing = self
            .body
            .extra
            .keys()
            .filter_map(|name| validate::check_extra_field(name).err());
        let violations: Vec<Violation> = self.unsendable.iter().cloned().chain(shadowing).collect();
        if !violations.is_empty() {
            return Err(Error::InvalidRequest { violations });
        }
        Ok(types::SeedanceVideoRequest {
            content,
            ..self.body.clone()
        })
    }

    /// Marks a field of the body as set by the caller.
    fn marked(mut self, field: &str) -> Self {
        self.set.insert(field.to_string());
        self
    }

    /// Marks a field as set by the caller, and its value as sent, or as one that could not be
    /// (the rule it broke, reported when the body is made).
    fn settled(mut self, field: &str, set: Result<(), Rule>) -> Self {
        self.unsendable.retain(|violation| violation.field != field);
        if let Err(rule) = set {
            let field = field.into();
            self.unsendable.push(Violation { field, rule });
        }
        self.marked(field)
    }
}

// Every family's typed request is a request of this crate's one create path.
impl From<WanRequest> for VideoRequest {
    fn from(request: WanRequest) -> VideoRequest {
        VideoRequest::of_family(request.0)
    }
}

impl From<HappyHorseRequest> for VideoRequest {
    fn from(request: HappyHorseRequest) -> VideoRequest {
        VideoRequest::of_family(request.0)
    }
}

impl From<KlingRequest> for VideoRequest {
    fn from(request: KlingRequest) -> VideoRequest {
        VideoRequest::of_family(request.0)
    }
}

/// The fields of a body as JSON, by name.
fn body_fields(body: &types::SeedanceVideoRequest) -> serde_json::Map<String, Value> {
    match serde_json::to_value(body) {
        Ok(Value::Object(fields)) => fields,
        _ => serde_json::Map::new(),
    }
}

fn content_item(
    index: usize,
    input: &RequestInput,
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
        RequestInput::Text(text) => ContentItem::Text {
            text: text.as_str().try_into().map_err(|_| empty("text"))?,
        },
        RequestInput::Image(source, role) => ContentItem::ImageUrl {
            image_url: media(source, "image_url")?,
            role: *role,
        },
        RequestInput::Video(source) => ContentItem::VideoUrl {
            video_url: media(source, "video_url")?,
            role: Some(types::VideoRole::ReferenceVideo),
        },
        RequestInput::Audio(source) => ContentItem::AudioUrl {
            audio_url: media(source, "audio_url")?,
            role: Some(types::AudioRole::ReferenceAudio),
        },
    })
}
