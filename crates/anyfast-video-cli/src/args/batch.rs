//! `anyfast-video batch`: one video per line of a JSONL file.

use std::path::PathBuf;

use clap::Args;

use super::WaitArgs;

/// The default number of lines in flight: under the upstream limit of 120 queued tasks per
/// account, with room left for other clients of the same account.
pub const DEFAULT_CONCURRENCY: u32 = 100;

/// The options of `batch`.
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
    /// How many lines at once; the default stays under the upstream limit of 120 queued tasks
    /// per account.
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub concurrency: u32,
    /// Send again the lines whose create outcome is unknown (with the same Idempotency-Key).
    #[arg(long)]
    pub retry_unknown: bool,
    /// Overwrite output files that exist without a finished line in the journal.
    #[arg(long)]
    pub force: bool,
    /// The batch's name in the journal (default: the file's absolute path). Workers on other
    /// machines that share the journal share the batch when they name it alike.
    #[arg(long, value_name = "NAME")]
    pub batch_name: Option<String>,
    #[command(flatten)]
    pub wait: WaitArgs,
}
