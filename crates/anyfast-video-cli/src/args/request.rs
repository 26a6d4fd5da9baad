//! What to make: the options that build a `VideoRequest`.

use anyfast_video::api::validate::{self, Family, KlingAction};
use anyfast_video::{MediaSource, Ratio, Resolution, ServiceTier, VideoRequest};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};
use serde_json::{Map, Value, json};

use crate::exit::Failure;

/// What to make.
#[derive(Args, Debug)]
#[command(next_help_heading = "Request")]
pub struct RequestArgs {
    /// The prompt. Refer to inputs by position: @image1, @video1, @audio1.
    pub prompt: Option<String>,
    /// An image: a local path (sent inline) or an https/asset:// URL. Repeatable.
    #[arg(long, value_name = "PATH|URL")]
    pub image: Vec<String>,
    /// The role of every --image.
    #[arg(long, value_enum, default_value_t = ImageRoleArg::Reference)]
    pub role: ImageRoleArg,
    /// The image the video starts with.
    #[arg(long, visible_alias = "start-frame", value_name = "PATH|URL")]
    pub first_frame: Option<String>,
    /// The image the video ends with (needs --first-frame).
    #[arg(long, value_name = "PATH|URL")]
    pub end_frame: Option<String>,
    /// A reference video: an https or asset:// URL, or a local file with --upload. For
    /// happyhorse-1.0-video-edit, the video to edit (a URL). Repeatable.
    #[arg(long, value_name = "PATH|URL")]
    pub video: Vec<String>,
    /// A reference audio clip: a local path or a URL; needs an image or a video. Repeatable.
    #[arg(long, value_name = "PATH|URL")]
    pub audio: Vec<String>,
    /// Upload the local files among the inputs to the asset library first and send them as
    /// asset://ID (needed for local videos; also for images of real people).
    #[arg(long)]
    pub upload: bool,
    /// The model, which picks the family: seedance (Seedance 2.0), seedance-fast (2.0 Fast,
    /// the default), doubao-seedance-1-…, wan2.2-t2v-a14b, wan2.2-i2v-a14b,
    /// happyhorse-1.0-t2v/-i2v/-r2v/-video-edit, kling-v3, kling-v2-master, kling-v1-6,
    /// kling-v3-omni, or any other id (one that begins with wan, happyhorse or kling goes in
    /// that family's body, any other in Seedance's). `anyfast-video models` lists them.
    #[arg(long, default_value = anyfast_video::DEFAULT_MODEL)]
    pub model: String,
    /// Length in seconds (the model's range: Seedance 2.0 4-15, 1.0 2-12, Wan 3-5, HappyHorse
    /// 3-15, Kling as its page lists), or auto to let a Seedance 2.0 model choose. Default:
    /// the model's own (5 s).
    #[arg(long, value_name = "N|auto", value_parser = parse_duration)]
    pub duration: Option<i32>,
    /// Aspect ratio (default: the model's own; adaptive for Seedance).
    #[arg(long, value_parser = one_of::<Ratio>(anyfast_video_api::words_of::<Ratio>()))]
    pub ratio: Option<Ratio>,
    /// Resolution: 480p, 720p, 1080p (Seedance; 1080p not for seedance-fast), 720P or 1080P
    /// (HappyHorse), or another the service makes. Default: the model's own.
    #[arg(long, value_name = "RESOLUTION")]
    pub resolution: Option<String>,
    /// The output's size in pixels, WIDTHxHEIGHT (Wan).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub size: Option<(u32, u32)>,
    /// Make a silent video.
    #[arg(long)]
    pub no_audio: bool,
    /// Add a watermark.
    #[arg(long)]
    pub watermark: bool,
    /// Let the model search the web (text-only prompts).
    #[arg(long)]
    pub web_search: bool,
    /// Ask for the video's last frame as an image too (for chaining clips).
    #[arg(long)]
    pub return_last_frame: bool,
    /// The random seed: Seedance (-1 for random), Wan, HappyHorse (0-2147483647); not Kling.
    #[arg(long, allow_negative_numbers = true)]
    pub seed: Option<i64>,
    /// Keep the camera still (Seedance: documented for 1.0 and 1.5, forwarded upstream for
    /// 2.0).
    #[arg(long)]
    pub camera_fixed: bool,
    /// An https URL called when the task ends (forwarded upstream, not documented by anyfast).
    #[arg(long, value_name = "URL")]
    pub callback_url: Option<String>,
    /// The service tier (forwarded upstream, not documented by anyfast).
    #[arg(long, value_parser = one_of::<ServiceTier>(anyfast_video_api::words_of::<ServiceTier>()))]
    pub service_tier: Option<ServiceTier>,
    /// Seconds after which an unfinished task expires (forwarded upstream, not documented by
    /// anyfast).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub expires_after: Option<u64>,
    /// Any field of the API's request body, as NAME=JSON (e.g. frames=24 or tag='"spring"'):
    /// one the spec types is read with its type (and wins over its option), any other is sent
    /// as it is. Repeatable.
    #[arg(long = "param", value_name = "NAME=JSON", value_parser = parse_param)]
    pub params: Vec<(String, serde_json::Value)>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ImageRoleArg {
    /// reference_image
    Reference,
    /// first_frame
    First,
    /// last_frame
    Last,
    /// no role: the service decides
    None,
}

/// One of the words of a closed enum of the spec, read into the generated type (the possible
/// values come from the spec, so a word it adds is accepted at once).
fn one_of<T>(words: Vec<String>) -> impl TypedValueParser<Value = T>
where
    T: std::str::FromStr + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(words).try_map(|word| word.parse::<T>().map_err(|_| word))
}

/// `WIDTHxHEIGHT`, in pixels.
fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (width, height) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("{text:?} is not WIDTHxHEIGHT"))?;
    let pixels = |side: &str| {
        side.trim()
            .parse::<u32>()
            .map_err(|_| format!("{text:?} is not WIDTHxHEIGHT"))
    };
    Ok((pixels(width)?, pixels(height)?))
}

/// `auto` or a whole number of seconds (range checks are the client's, with the field named).
fn parse_duration(text: &str) -> Result<i32, String> {
    if text.eq_ignore_ascii_case("auto") {
        return Ok(anyfast_video::api::validate::DURATION_AUTOMATIC);
    }
    text.parse()
        .map_err(|_| format!("{text:?} is neither a number of seconds nor auto"))
}

/// `NAME=JSON`, the JSON read as JSON (a bare word that is not JSON is taken as a string).
fn parse_param(text: &str) -> Result<(String, serde_json::Value), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} is not NAME=JSON"))?;
    let value = serde_json::from_str(value)
        .unwrap_or_else(|_| serde_json::Value::String(value.to_string()));
    Ok((name.to_string(), value))
}

impl RequestArgs {
    /// The request these options describe. Local files become data URIs, or, with --upload,
    /// assets; a local video without --upload is refused here, with the option that helps.
    pub fn to_request(&self, return_last_frame: bool) -> Result<VideoRequest, Failure> {
        match validate::family_of(&self.model) {
            Some(family @ (Family::Wan | Family::HappyHorse | Family::Kling)) => {
                self.family_request(family, return_last_frame)
            }
            _ => self.seedance_request(return_last_frame),
        }
    }

    /// Seedance's `content[]` request (also for a model id no family claims).
    fn seedance_request(&self, return_last_frame: bool) -> Result<VideoRequest, Failure> {
        if let Some(option) = self.seedance_refuses() {
            return Err(Failure::Usage(format!(
                "{option} is not an option of {} (Seedance); see --help",
                self.model
            )));
        }
        let source = |text: &str, option: &str| -> Result<MediaSource, Failure> {
            match MediaSource::from(text) {
                MediaSource::File(path) if self.upload => Ok(MediaSource::upload_as_asset(path)),
                MediaSource::File(path) if option == "--video" => Err(Failure::Usage(format!(
                    "--video {}: a local video must be uploaded to the asset library first; add --upload",
                    path.display()
                ))),
                other => Ok(other),
            }
        };
        let mut request = VideoRequest::new();
        if let Some(prompt) = &self.prompt {
            request = request.prompt(prompt.as_str());
        }
        if let Some(first) = &self.first_frame {
            request = request.first_frame(source(first, "--first-frame")?);
        }
        if let Some(end) = &self.end_frame {
            request = request.last_frame(source(end, "--end-frame")?);
        }
        for image in &self.image {
            let image = source(image, "--image")?;
            request = match self.role {
                ImageRoleArg::Reference => request.reference_image(image),
                ImageRoleArg::First => request.first_frame(image),
                ImageRoleArg::Last => request.last_frame(image),
                ImageRoleArg::None => request.image(image),
            };
        }
        for video in &self.video {
            request = request.video(source(video, "--video")?);
        }
        for audio in &self.audio {
            request = request.audio(source(audio, "--audio")?);
        }
        request = request.model(self.model.as_str());
        if let Some(seconds) = self.duration {
            request = request.duration(seconds);
        }
        if let Some(ratio) = self.ratio {
            request = request.ratio(ratio);
        }
        if let Some(resolution) = &self.resolution {
            let resolution: Resolution = resolution
                .parse()
                .map_err(|error| Failure::Usage(format!("--resolution: {error}")))?;
            request = request.resolution(resolution);
        }
        // Only what was asked for is sent: the earlier models do not all take these fields,
        // and the service's defaults (sound on, no watermark) are what no option means.
        if self.no_audio {
            request = request.generate_audio(false);
        }
        if self.watermark {
            request = request.watermark(true);
        }
        if self.web_search {
            request = request.web_search(true);
        }
        if self.return_last_frame || return_last_frame {
            request = request.return_last_frame(true);
        }
        if let Some(seed) = self.seed {
            request = request.seed(seed);
        }
        if self.camera_fixed {
            request = request.camera_fixed(true);
        }
        if let Some(url) = &self.callback_url {
            request = request.callback_url(url.as_str());
        }
        if let Some(tier) = self.service_tier {
            request = request.service_tier(tier);
        }
        if let Some(seconds) = self.expires_after {
            request = request.execution_expires_after(std::time::Duration::from_secs(seconds));
        }
        for (name, value) in &self.params {
            request = request.field(name.as_str(), value.clone())?;
        }
        Ok(request)
    }
}

impl RequestArgs {
    /// HappyHorse's video edit, in the provider's native body its page requires: the prompt
    /// and the media (`--video`, the video to edit; `--image`, the reference image) in
    /// `input`, the resolution and watermark in `parameters`.
    fn happyhorse_edit(&self, refused: impl Fn(&str) -> Failure) -> Result<VideoRequest, Failure> {
        if let Some(option) = first_given(&[
            (self.first_frame.is_some(), "--first-frame"),
            (self.end_frame.is_some(), "--end-frame"),
            (self.size.is_some(), "--size"),
            (self.ratio.is_some(), "--ratio"),
            (
                self.duration.is_some(),
                "--duration (the edit keeps its video's length)",
            ),
            (self.seed.is_some(), "--seed"),
            (self.callback_url.is_some(), "--callback-url"),
        ]) {
            return Err(refused(option));
        }
        let media: Vec<Value> = self
            .video
            .iter()
            .map(|url| json!({"type": "video", "url": url}))
            .chain(
                self.image
                    .iter()
                    .map(|url| json!({"type": "reference_image", "url": url})),
            )
            .collect();
        let mut input = Map::new();
        if let Some(prompt) = &self.prompt {
            input.insert("prompt".into(), json!(prompt));
        }
        input.insert("media".into(), json!(media));
        let mut parameters = Map::new();
        if let Some(resolution) = &self.resolution {
            parameters.insert("resolution".into(), json!(resolution.to_uppercase()));
        }
        // The command line's watermark is off unless asked for (HappyHorse's default is on).
        parameters.insert("watermark".into(), json!(self.watermark));
        let mut body = Map::new();
        body.insert("model".into(), json!(self.model));
        body.insert("input".into(), Value::Object(input));
        body.insert("parameters".into(), Value::Object(parameters));
        for (name, value) in &self.params {
            body.insert(name.clone(), value.clone());
        }
        Ok(VideoRequest::from_json(Value::Object(body))?)
    }
}

/// The first of `options` that was given (each the option's name beside whether it was), for
/// a family that has no field for it to refuse by name.
fn first_given<'a>(options: &[(bool, &'a str)]) -> Option<&'a str> {
    options
        .iter()
        .find(|(given, _)| *given)
        .map(|(_, option)| *option)
}

/// A Kling image as its pages take it: a URL as it is, a local file as Base64 (without a
/// `data:` prefix, which Kling does not read).
fn kling_image(text: &str) -> Result<String, Failure> {
    use base64::Engine as _;
    match MediaSource::from(text) {
        MediaSource::File(path) => std::fs::read(&path)
            .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes))
            .map_err(|error| Failure::Usage(format!("{}: {error}", path.display()))),
        _ => Ok(text.to_string()),
    }
}

/// What another family's body is made of, from the options.
impl RequestArgs {
    /// The options Seedance's body has no field for.
    fn seedance_refuses(&self) -> Option<&'static str> {
        self.size.is_some().then_some("--size")
    }

    /// A Wan, HappyHorse or Kling request: the options become the family's documented body
    /// (read by [`VideoRequest::from_json`], the one path for every family's JSON), and an
    /// option the family has no field for is refused, named.
    fn family_request(
        &self,
        family: Family,
        return_last_frame: bool,
    ) -> Result<VideoRequest, Failure> {
        let refused = |option: &str| {
            Failure::Usage(format!(
                "{option} is not an option of {} ({family}); set the family's own fields with --param NAME=JSON",
                self.model
            ))
        };
        // HappyHorse's video edit takes a video (and its own native body).
        let edit =
            validate::CreateBody::of_model(&self.model) == validate::CreateBody::HappyHorseEdit;
        let seedance_only = [
            (!self.video.is_empty() && !edit, "--video"),
            (!self.audio.is_empty(), "--audio"),
            (self.upload, "--upload"),
            (self.no_audio, "--no-audio"),
            (self.web_search, "--web-search"),
            (
                self.return_last_frame || return_last_frame,
                "--return-last-frame",
            ),
            (self.camera_fixed, "--camera-fixed"),
            (self.service_tier.is_some(), "--service-tier"),
            (self.expires_after.is_some(), "--expires-after"),
            (!matches!(self.role, ImageRoleArg::Reference), "--role"),
            (
                self.duration == Some(validate::DURATION_AUTOMATIC),
                "--duration auto",
            ),
        ];
        if let Some(option) = first_given(&seedance_only) {
            return Err(refused(option));
        }
        if edit {
            return self.happyhorse_edit(refused);
        }
        let images: Vec<&String> = self.first_frame.iter().chain(&self.image).collect();
        let mut body = Map::new();
        let mut set = |name: &str, value: Value| {
            body.insert(name.to_string(), value);
        };
        if let Some(prompt) = &self.prompt {
            set("prompt", json!(prompt));
        }
        match family {
            Family::Wan => {
                set("model", json!(self.model));
                if let [image] = images.as_slice() {
                    set("image", json!(image));
                } else if images.len() > 1 {
                    return Err(refused("a second --image"));
                }
                if let Some(option) = first_given(&[
                    (self.end_frame.is_some(), "--end-frame"),
                    (self.ratio.is_some(), "--ratio"),
                    (self.resolution.is_some(), "--resolution"),
                    (self.watermark, "--watermark"),
                    (self.callback_url.is_some(), "--callback-url"),
                ]) {
                    return Err(refused(option));
                }
                if let Some((width, height)) = self.size {
                    set("width", json!(width));
                    set("height", json!(height));
                }
            }
            Family::HappyHorse => {
                set("model", json!(self.model));
                match images.as_slice() {
                    [] => {}
                    [image] if !self.model.contains("r2v") => set("image", json!(image)),
                    images => set("images", json!(images)),
                }
                if let Some(option) = first_given(&[
                    (self.end_frame.is_some(), "--end-frame"),
                    (self.size.is_some(), "--size"),
                    (self.callback_url.is_some(), "--callback-url"),
                ]) {
                    return Err(refused(option));
                }
                if let Some(resolution) = &self.resolution {
                    set("resolution", json!(resolution.to_uppercase()));
                }
                if let Some(ratio) = self.ratio {
                    set("ratio", json!(ratio.to_string()));
                }
                // The command line's watermark is off unless asked for, whatever the family's
                // own default (HappyHorse's is on).
                set("watermark", json!(self.watermark));
            }
            _ => {
                // Refused before any local image is read.
                if let Some(option) = first_given(&[
                    (
                        self.resolution.is_some(),
                        "--resolution (Kling's quality is --param mode=pro)",
                    ),
                    (self.size.is_some(), "--size"),
                    (self.seed.is_some(), "--seed"),
                ]) {
                    return Err(refused(option));
                }
                set("model_name", json!(self.model));
                let omni = KlingAction::of_model(&self.model) == Some(KlingAction::OmniVideo);
                let first = self.first_frame.as_deref().map(kling_image).transpose()?;
                let end = self.end_frame.as_deref().map(kling_image).transpose()?;
                let others = self
                    .image
                    .iter()
                    .map(|image| kling_image(image))
                    .collect::<Result<Vec<_>, _>>()?;
                if omni {
                    // Omni-video's images are one list, each marked with the frame it is.
                    let framed =
                        |url: &String, frame: &str| json!({"image_url": url, "type": frame});
                    let list: Vec<Value> = first
                        .iter()
                        .map(|url| framed(url, "first_frame"))
                        .chain(end.iter().map(|url| framed(url, "end_frame")))
                        .chain(others.iter().map(|url| json!({ "image_url": url })))
                        .collect();
                    if !list.is_empty() {
                        set("image_list", json!(list));
                    }
                } else {
                    let images: Vec<&String> = first.iter().chain(&others).collect();
                    match images.as_slice() {
                        [] => {}
                        [image] => set("image", json!(image)),
                        images => {
                            let list: Vec<Value> = images
                                .iter()
                                .map(|image| json!({ "image": image }))
                                .collect();
                            set("image_list", json!(list));
                        }
                    }
                    if let Some(end) = &end {
                        set("image_tail", json!(end));
                    }
                }
                if let Some(ratio) = self.ratio {
                    set("aspect_ratio", json!(ratio.to_string()));
                }
                set("watermark_info", json!({ "enabled": self.watermark }));
                if let Some(url) = &self.callback_url {
                    set("callback_url", json!(url));
                }
            }
        }
        if let Some(seconds) = self.duration {
            // Kling's durations are strings ("5"), the others' numbers.
            let seconds = if family == Family::Kling {
                json!(seconds.to_string())
            } else {
                json!(seconds)
            };
            set("duration", seconds);
        }
        if let Some(seed) = self.seed {
            set("seed", json!(seed));
        }
        for (name, value) in &self.params {
            set(name, value.clone());
        }
        Ok(VideoRequest::from_json(Value::Object(body))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_are_json_or_else_a_string() {
        assert_eq!(
            parse_param("frames=24"),
            Ok(("frames".into(), serde_json::json!(24)))
        );
        assert_eq!(
            parse_param(r#"tag={"a": [1]}"#),
            Ok(("tag".into(), serde_json::json!({"a": [1]})))
        );
        assert_eq!(
            parse_param("tag=spring"),
            Ok(("tag".into(), serde_json::json!("spring")))
        );
        assert!(parse_param("no-equals").is_err());
    }
}
