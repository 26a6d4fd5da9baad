//! The command line, as clap reads it.

use std::path::PathBuf;

use anyfast_video::{Ratio, Resolution};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Make videos from text, images, video and audio with anyfast's Seedance models.
#[derive(Parser, Debug)]
#[command(name = "anyfast-video", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: Global,
}

pub const EXIT_CODES: &str = "Exit codes: 0 success, 1 a local file could not be read or written, \
2 usage or validation error, 3 API error, 4 the task failed, 5 timed out, 130 interrupted.";

/// Options every command takes.
#[derive(Args, Debug)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Print one JSON object on stdout (progress still goes to stderr).
    #[arg(long, global = true)]
    pub json: bool,
    /// Run against a mock of the service started in this process: offline, no key needed.
    #[arg(long, global = true)]
    pub mock: bool,
    /// Read the API key from this file instead of ANYFAST_API_KEY.
    #[arg(long, global = true, value_name = "PATH")]
    pub api_key_file: Option<PathBuf>,
    /// The API's base URL.
    #[arg(
        long,
        global = true,
        env = "ANYFAST_BASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub base_url: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a task, wait for it with a progress bar, and download the video.
    Generate {
        #[command(flatten)]
        request: RequestArgs,
        #[command(flatten)]
        output: OutputArgs,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Create a task and print its id.
    Create {
        #[command(flatten)]
        request: RequestArgs,
    },
    /// Print a task's current state.
    Status {
        /// The task id.
        id: String,
    },
    /// Wait for a task to finish, optionally downloading its video.
    Wait {
        /// The task id.
        id: String,
        #[command(flatten)]
        output: OptionalOutputArgs,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Download a finished task's video.
    Download {
        /// The task id.
        id: String,
        #[command(flatten)]
        output: OutputArgs,
    },
}

/// Where the video goes.
#[derive(Args, Debug)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Where to write the video (checked before anything is sent).
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub path: PathBuf,
    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Where the video goes, if anywhere.
#[derive(Args, Debug)]
#[command(next_help_heading = "Output")]
pub struct OptionalOutputArgs {
    /// Also download the video here when the task succeeds.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

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
    #[arg(long, value_name = "PATH|URL")]
    pub first_frame: Option<String>,
    /// The image the video ends with (needs --first-frame).
    #[arg(long, value_name = "PATH|URL")]
    pub last_frame: Option<String>,
    /// A reference video: an https or asset:// URL (not a file). Repeatable.
    #[arg(long, value_name = "URL")]
    pub video: Vec<String>,
    /// A reference audio clip: a local path or a URL; needs an image or a video. Repeatable.
    #[arg(long, value_name = "PATH|URL")]
    pub audio: Vec<String>,
    /// Length in seconds (4-15), or auto to let the model choose.
    #[arg(long, value_name = "N|auto", value_parser = parse_duration, default_value = "5")]
    pub duration: i32,
    /// Aspect ratio.
    #[arg(long, value_enum, default_value_t = RatioArg::Adaptive)]
    pub ratio: RatioArg,
    /// Resolution.
    #[arg(long, value_enum, default_value_t = ResolutionArg::P720)]
    pub resolution: ResolutionArg,
    /// Make a silent video.
    #[arg(long)]
    pub no_audio: bool,
    /// Add a watermark.
    #[arg(long)]
    pub watermark: bool,
    /// Let the model search the web (text-only prompts).
    #[arg(long)]
    pub web_search: bool,
    /// The model id.
    #[arg(long, default_value = anyfast_video::DEFAULT_MODEL)]
    pub model: String,
}

/// How to wait.
#[derive(Args, Debug)]
#[command(next_help_heading = "Waiting")]
pub struct WaitArgs {
    /// The shortest interval between polls, in seconds, 0.01 to 3600 (it grows to 15 s).
    #[arg(long, value_name = "SECS", default_value_t = 2.0, value_parser = parse_poll_interval)]
    pub poll_interval: f64,
    /// Give up waiting after this many minutes, up to a week (the task goes on).
    #[arg(long, value_name = "MINUTES", default_value_t = 30, value_parser = clap::value_parser!(u64).range(0..=10_080))]
    pub timeout: u64,
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

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RatioArg {
    #[value(name = "16:9")]
    Landscape16x9,
    #[value(name = "4:3")]
    Landscape4x3,
    #[value(name = "1:1")]
    Square,
    #[value(name = "3:4")]
    Portrait3x4,
    #[value(name = "9:16")]
    Portrait9x16,
    #[value(name = "21:9")]
    Ultrawide21x9,
    #[value(name = "adaptive")]
    Adaptive,
}

impl From<RatioArg> for Ratio {
    fn from(ratio: RatioArg) -> Self {
        match ratio {
            RatioArg::Landscape16x9 => Ratio::Landscape16x9,
            RatioArg::Landscape4x3 => Ratio::Landscape4x3,
            RatioArg::Square => Ratio::Square,
            RatioArg::Portrait3x4 => Ratio::Portrait3x4,
            RatioArg::Portrait9x16 => Ratio::Portrait9x16,
            RatioArg::Ultrawide21x9 => Ratio::Ultrawide21x9,
            RatioArg::Adaptive => Ratio::Adaptive,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ResolutionArg {
    #[value(name = "480p")]
    P480,
    #[value(name = "720p")]
    P720,
}

impl From<ResolutionArg> for Resolution {
    fn from(resolution: ResolutionArg) -> Self {
        match resolution {
            ResolutionArg::P480 => Resolution::P480,
            ResolutionArg::P720 => Resolution::P720,
        }
    }
}

/// Seconds from 0.01 to 3600.
fn parse_poll_interval(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if (0.01..=3600.0).contains(&seconds) => Ok(seconds),
        _ => Err(format!(
            "{text:?} is not a number of seconds from 0.01 to 3600"
        )),
    }
}

/// `auto` or a whole number of seconds (range checks are the client's, with the field named).
fn parse_duration(text: &str) -> Result<i32, String> {
    if text.eq_ignore_ascii_case("auto") {
        return Ok(anyfast_video::api::validate::DURATION_AUTOMATIC);
    }
    text.parse()
        .map_err(|_| format!("{text:?} is neither a number of seconds nor auto"))
}

impl RequestArgs {
    /// The request these options describe.
    pub fn to_request(&self) -> anyfast_video::VideoRequest {
        let mut request = anyfast_video::VideoRequest::new();
        if let Some(prompt) = &self.prompt {
            request = request.prompt(prompt.as_str());
        }
        if let Some(first) = &self.first_frame {
            request = request.first_frame(first.as_str());
        }
        if let Some(last) = &self.last_frame {
            request = request.last_frame(last.as_str());
        }
        for image in &self.image {
            let source = image.as_str();
            request = match self.role {
                ImageRoleArg::Reference => request.reference_image(source),
                ImageRoleArg::First => request.first_frame(source),
                ImageRoleArg::Last => request.last_frame(source),
                ImageRoleArg::None => request.image(source),
            };
        }
        for video in &self.video {
            request = request.video(video.as_str());
        }
        for audio in &self.audio {
            request = request.audio(audio.as_str());
        }
        request
            .model(self.model.as_str())
            .duration(self.duration)
            .ratio(self.ratio.into())
            .resolution(self.resolution.into())
            .generate_audio(!self.no_audio)
            .watermark(self.watermark)
            .web_search(self.web_search)
    }
}
