//! What to make: the options that build a `VideoRequest`.

use anyfast_video::{MediaSource, Ratio, Resolution, ServiceTier, VideoRequest};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};

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
    /// A reference video: an https or asset:// URL, or a local file with --upload. Repeatable.
    #[arg(long, value_name = "PATH|URL")]
    pub video: Vec<String>,
    /// A reference audio clip: a local path or a URL; needs an image or a video. Repeatable.
    #[arg(long, value_name = "PATH|URL")]
    pub audio: Vec<String>,
    /// Upload the local files among the inputs to the asset library first and send them as
    /// asset://ID (needed for local videos; also for images of real people).
    #[arg(long)]
    pub upload: bool,
    /// The model: seedance (Seedance 2.0), seedance-fast (2.0 Fast), or any other id.
    #[arg(long, default_value = anyfast_video::DEFAULT_MODEL)]
    pub model: String,
    /// Length in seconds (4-15), or auto to let the model choose.
    #[arg(long, value_name = "N|auto", value_parser = parse_duration, default_value = "5")]
    pub duration: i32,
    /// Aspect ratio.
    #[arg(long, value_parser = one_of::<Ratio>(anyfast_video::api::words_of::<Ratio>()), default_value_t = Ratio::default())]
    pub ratio: Ratio,
    /// Resolution: 480p, 720p, 1080p (seedance only), or another the service makes.
    #[arg(long, value_name = "RESOLUTION", value_parser = parse_resolution, default_value_t = Resolution::default())]
    pub resolution: Resolution,
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
    /// The random seed, -1 for random (forwarded upstream, not documented by anyfast).
    #[arg(long, allow_negative_numbers = true)]
    pub seed: Option<i64>,
    /// Keep the camera still (forwarded upstream, not documented by anyfast).
    #[arg(long)]
    pub camera_fixed: bool,
    /// An https URL called when the task ends (forwarded upstream, not documented by anyfast).
    #[arg(long, value_name = "URL")]
    pub callback_url: Option<String>,
    /// The service tier (forwarded upstream, not documented by anyfast).
    #[arg(long, value_parser = one_of::<ServiceTier>(anyfast_video::api::words_of::<ServiceTier>()))]
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

/// A resolution word, known or not; the error says what a resolution is.
fn parse_resolution(text: &str) -> Result<Resolution, String> {
    text.parse().map_err(|error| format!("{error}"))
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
        request = request
            .model(self.model.as_str())
            .duration(self.duration)
            .ratio(self.ratio)
            .resolution(self.resolution.clone())
            .generate_audio(!self.no_audio)
            .watermark(self.watermark)
            .web_search(self.web_search);
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
