//! Where a task's video goes, and how to wait for it.

use std::path::PathBuf;

use clap::Args;

/// Where the video goes.
#[derive(Args, Debug)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Where to write the video (checked before anything is sent).
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub path: PathBuf,
    /// Also save the video's last frame (an image) here; generate asks for it.
    #[arg(long, value_name = "PATH")]
    pub last_frame: Option<PathBuf>,
    /// Overwrite the output files if they exist.
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
    /// Also save the video's last frame here (the task must have asked for it).
    #[arg(long, value_name = "PATH", requires = "path")]
    pub last_frame: Option<PathBuf>,
    /// Overwrite the output files if they exist.
    #[arg(long)]
    pub force: bool,
}

/// How to wait.
#[derive(Args, Debug)]
#[command(next_help_heading = "Waiting")]
pub struct WaitArgs {
    /// The first interval between polls, in seconds, 0.01 to 3600 [default: 10, growing to 15;
    /// 0.25 with --mock, whose tasks take a second and a half].
    #[arg(long, value_name = "SECS", value_parser = parse_poll_interval)]
    pub poll_interval: Option<f64>,
    /// Give up waiting after this many minutes, up to a week (the task goes on).
    #[arg(long, value_name = "MINUTES", default_value_t = 30, value_parser = clap::value_parser!(u64).range(0..=10_080))]
    pub timeout: u64,
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
