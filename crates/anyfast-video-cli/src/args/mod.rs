//! The command line, as clap reads it: one module per group of options.

mod assets;
mod batch;
mod request;
mod task;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use assets::{AssetsCommand, GroupsCommand};
pub use batch::BatchArgs;
pub use request::RequestArgs;
pub use task::{OptionalOutputArgs, OutputArgs, WaitArgs};

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
2 usage or validation error, 3 API error, 4 the task failed, 5 timed out; stopped by a signal: \
130 Ctrl-C, 143 SIGTERM, 129 SIGHUP (the task goes on; the message says how to resume it).";

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
    /// The task journal, which records every task created here so that none is lost or made
    /// twice: an SQLite file, or a postgres:// URL that several machines share. Default:
    /// ANYFAST_VIDEO_JOURNAL, else ~/.local/state/anyfast-video/journal.sqlite (the
    /// platform's state directory).
    #[arg(
        long,
        global = true,
        value_name = "PATH|URL",
        conflicts_with = "no_journal"
    )]
    pub journal: Option<OsString>,
    /// Keep no journal.
    #[arg(long, global = true)]
    pub no_journal: bool,
    /// Log what the program does on stderr: -v each call, -vv its details, -vvv everything
    /// (HTTP included); without -v, RUST_LOG (tracing's EnvFilter syntax) decides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// How long a process's claim on a task lasts without renewal, in seconds: how soon
    /// others take over the tasks of a process that died on another machine.
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30.0, value_parser = lease_seconds)]
    pub lease_ttl: f64,
}

fn lease_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if (0.3..=86_400.0).contains(&seconds) => Ok(seconds),
        _ => Err("must be a number of seconds from 0.3 to 86400".into()),
    }
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
        // A task still running is waited for, as `wait` waits.
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// The asset library: upload local videos, images and audio to use as asset://ID.
    Assets {
        #[command(subcommand)]
        command: AssetsCommand,
    },
    /// List the video models your key can use.
    Models {
        /// List every model, not only video models.
        #[arg(long)]
        all: bool,
    },
    /// List the tasks in the journal, newest first: id, age, state, output, prompt.
    Tasks {
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Wait for and download tasks that were not finished (by a killed process, Ctrl-C, a
    /// timeout), as the journal recorded them. Creates are never sent again.
    Resume {
        /// The task id (see `tasks`).
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        id: Option<String>,
        /// Every unfinished task in the journal.
        #[arg(long)]
        all: bool,
        /// How many tasks at once.
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
        concurrency: u32,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Make one video per line of a JSONL file, resumable: rerun the same command to finish.
    ///
    /// Each line is the API's own request body (as in POST /v1/video/generations), plus an
    /// optional "output" file name (default line-N.mp4) relative to --out-dir. Media URLs that
    /// are not URLs are local paths. Lines are read as they are needed, whatever the file's
    /// size.
    ///
    /// Rerunning the same command skips finished lines, resumes running ones, and creates only
    /// the lines that never had a create sent; a line whose create outcome is unknown is
    /// reported and left alone unless --retry-unknown (it is then sent with the same
    /// Idempotency-Key). Exit 0 when every line succeeded, 4 otherwise, with the failures
    /// listed.
    Batch(BatchArgs),
    /// Check the setup: the key, the base URL, the clock, the journal, and free probes of the
    /// service held to the spec. Nothing is billed.
    ///
    /// The key (present, well-formed, accepted), the base URL (https, reachable, TLS), the
    /// clock (within a minute of the service's Date header), the journal (opens, its format,
    /// tasks left unfinished) and five requests that bill nothing (the models list, the query
    /// of a task that does not exist, a create the service must refuse, the asset list, the get
    /// of an asset that does not exist), each answer checked against openapi.yaml and through
    /// the tolerant reader. A table, or one JSON object with --json. Exit 0 only when every
    /// check passes; otherwise the code of the first that failed (2 the key, 1 the journal, 3
    /// the service). `anyfast-video --mock doctor` runs it against the built-in mock.
    Doctor,
}
