//! `cargo xtask contract`: the free probes (and, with `--billed`, one real generation) against
//! a service, each answer held to openapi.yaml and run through the generated client and the
//! tolerant reader (the `anyfast-video-contract` crate does the work).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyfast_video_contract::{BILLED_COST, FailOn, Options, Target, check, check_base_url};
use clap::{Args, ValueEnum};

/// The arguments of `cargo xtask contract`.
#[derive(Args)]
pub struct ContractArgs {
    /// The service [default: ANYFAST_BASE_URL, else https://www.anyfast.com.cn].
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Add ONE real generation, billed to the key's account (seedance-fast, 480p, 4 s, no
    /// audio: the cheapest there is), wait for it, download it and check that it is an MP4.
    /// What it costs is printed before anything is sent.
    #[arg(long)]
    billed: bool,
    /// Save every exchange, redacted (no key, signed URLs without their query), in the answer
    /// corpus's format into DIR; `--record crates/anyfast-video/tests/fixtures/answers` adds
    /// them to the corpus at once.
    #[arg(long, value_name = "DIR")]
    record: Option<PathBuf>,
    /// Which differences make the check fail (a probe without an answer, or a refused create
    /// that was accepted, always does).
    #[arg(long, value_enum, default_value_t = FailOnArg::Breaking)]
    fail_on: FailOnArg,
    /// How often the billed task is queried, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 15.0, value_parser = seconds)]
    poll_interval: f64,
    /// Print the report as one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// `--fail-on`.
#[derive(Clone, Copy, ValueEnum)]
enum FailOnArg {
    /// Any difference at all (a service that must answer exactly as the spec says: the plain
    /// mock).
    Any,
    /// A difference that breaks the generated client or the tolerant reader.
    Breaking,
    /// A difference that breaks the tolerant reader (a service meant to drift beyond the spec:
    /// the drifting mock).
    Reader,
}

fn seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if (0.01..=600.0).contains(&seconds) => Ok(seconds),
        _ => Err("must be a number of seconds from 0.01 to 600".into()),
    }
}

/// Runs the check; exit 0 when it passes, 1 when it does not, 2 when it cannot start.
pub fn run(arguments: &ContractArgs) -> ExitCode {
    let base_url = arguments
        .base_url
        .clone()
        .or_else(|| std::env::var(anyfast_video::BASE_URL_ENV).ok())
        .unwrap_or_else(|| anyfast_video::DEFAULT_BASE_URL.to_string());
    if let Err(why) = check_base_url(&base_url) {
        eprintln!("error: the base URL {why}");
        return ExitCode::from(2);
    }
    let Some(key) = std::env::var(anyfast_video::API_KEY_ENV)
        .ok()
        .filter(|key| !key.trim().is_empty())
    else {
        eprintln!(
            "error: set {} to the key to check with (any text for a mock)",
            anyfast_video::API_KEY_ENV
        );
        return ExitCode::from(2);
    };
    let target = Target::new(&base_url, Some(key));
    if arguments.billed {
        // Said before anything is sent: the flag is the consent, this is what it consents to.
        eprintln!("{BILLED_COST}\n(service: {})", target.base_url());
    }
    let options = Options {
        billed: arguments.billed,
        record: arguments.record.clone(),
        poll_interval: Duration::from_secs_f64(arguments.poll_interval),
        progress: Some(Arc::new(|line: &str| eprintln!("{line}"))),
        ..Options::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let report = runtime.block_on(check(&target, &options));
    if arguments.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.text());
    }
    let fail_on = match arguments.fail_on {
        FailOnArg::Any => FailOn::Any,
        FailOnArg::Breaking => FailOn::Breaking,
        FailOnArg::Reader => FailOn::Reader,
    };
    if report.passes(fail_on) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
