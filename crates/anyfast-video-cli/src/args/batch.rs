//! `anyfast-video batch`: one video per line of a JSONL file.

use std::path::PathBuf;

use clap::Args;

use super::WaitArgs;

/// The default number of lines in flight: under the upstream limit of 120 queued tasks per
/// account, with room left for other clients of the same account.
pub const DEFAULT_CONCURRENCY: u32 = 100;

/// Each line is the API's own request body (as in POST /v1/video/generations), plus an
/// optional "output" file name (default line-N.mp4) relative to --out-dir. Media URLs that
/// are not URLs are local paths. Lines are read as they are needed, whatever the file's size.
///
/// Rerunning the same command skips finished lines, resumes running ones, and creates only the
/// lines that never had a create sent; a line whose create outcome is unknown is reported and
/// left alone unless --retry-unknown (it is then sent with the same Idempotency-Key).
#[derive(Args, Debug)]
#[command(
    after_help = "Example line:\n  {\"model\": \"seedance-fast\", \"content\": [{\"type\": \"text\", \"text\": \"a cat plays the piano\"}], \"duration\": 5, \"output\": \"cat.mp4\"}"
)]
pub struct BatchArgs {
    /// The JSONL file: one request per line.
    pub file: PathBuf,
    /// Where the videos go (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// How many lines at once (default: 100, under the upstream limit of 120 queued tasks per
    /// account).
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub concurrency: u32,
    /// Send again the lines whose create outcome is unknown (with the same Idempotency-Key).
    #[arg(long)]
    pub retry_unknown: bool,
    /// Overwrite output files that exist without a finished line in the journal.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub wait: WaitArgs,
}
