//! `anyfast-video-bench`: the benchmarks of `anyfast-video` and its command line, as a harness
//! anyone can rerun. Every figure is a ratio against a baseline measured in the same run, on
//! loopback, against the same `anyfast-mock` process; see BENCHMARKS.md for the figures.
//!
//! ```text
//! cargo build --release -p anyfast-mock -p anyfast-video-bench -p anyfast-video-cli
//! cargo run --release -p anyfast-video-bench -- all            # every measure but build
//! cargo run --release -p anyfast-video-bench -- all --smoke     # each once, tiny, in seconds
//! cargo run --release -p anyfast-video-bench -- build           # clean builds (minutes)
//! ```
//!
//! It builds nothing itself: it starts the `anyfast-mock` and `anyfast-video` programs found
//! next to its own executable, and `curl`; each variant runs in a fresh child process (this
//! program again, with the hidden `__child JOB`), so that its CPU time and peak memory are its
//! own. CPU time and peak RSS are read from `/proc` (Linux only).
#![forbid(unsafe_code)]

mod measures;
mod process;
mod procfs;
mod report;
mod workloads;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, ValueEnum};

use crate::measures::Settings;
use crate::report::Table;

/// The hidden first argument of a child process: `anyfast-video-bench __child JOB`.
pub const CHILD: &str = "__child";

/// Benchmarks of anyfast-video against baselines measured in the same run, against the same
/// anyfast-mock process, on loopback. Build first: cargo build --release -p anyfast-mock -p
/// anyfast-video-bench -p anyfast-video-cli
#[derive(Parser, Debug)]
#[command(name = "anyfast-video-bench", version, after_help = AFTER_HELP)]
struct Options {
    /// What to measure: one measure, or all of them but `build`.
    measure: Measure,
    /// Each measure once at a tiny size, in seconds: targets are reported, not enforced.
    #[arg(long)]
    smoke: bool,
    /// Runs of each variant (default: per measure, 2 to 7).
    #[arg(long, value_name = "N")]
    rounds: Option<u32>,
    /// Where downloads, batch outputs and journals go (default: /dev/shm when it exists, a
    /// tmpfs, so that the disk is not what is measured; else the temp folder).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Before each full measure, wait (up to 10 minutes) until the 1-minute load average is
    /// at most this.
    #[arg(long, value_name = "LOAD", default_value_t = 1.5)]
    max_load: f64,
}

const AFTER_HELP: &str = "Measures: per-call (Videos::get against a plain reqwest loop + serde_json), \
fan-out (create + wait for 10,000 tasks at concurrency 256), download (1 GiB against curl -o, \
and peak RSS at 100 MiB and 1 GiB), polling (GETs per task and delay, scaled 30 × faster), \
batch (anyfast-video batch of 10,000 lines against a raw loop), build (clean builds and the \
rebuild after an edit of openapi.yaml; by hand, not in `all`). The exit code is 1 when a \
target is missed (never with --smoke).";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Measure {
    PerCall,
    FanOut,
    Download,
    Polling,
    Batch,
    Build,
    All,
}

fn main() -> ExitCode {
    let mut arguments = std::env::args().skip(1);
    if arguments.next().as_deref() == Some(CHILD) {
        let outcome = arguments
            .next()
            .ok_or_else(|| anyhow::anyhow!("{CHILD} needs a job"))
            .and_then(|job| Ok(serde_json::from_str(&job)?))
            .and_then(workloads::run);
        return match outcome {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("anyfast-video-bench child: {error:#}");
                ExitCode::FAILURE
            }
        };
    }
    let options = Options::parse();
    match run(&options) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("anyfast-video-bench: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs the measures asked for and prints their tables; whether every target was met (always
/// true with `--smoke`).
fn run(options: &Options) -> Result<bool> {
    let shm = PathBuf::from("/dev/shm");
    let settings = Settings {
        smoke: options.smoke,
        rounds: options.rounds,
        dir: options.dir.clone().unwrap_or_else(|| {
            if shm.is_dir() {
                shm
            } else {
                std::env::temp_dir()
            }
        }),
        max_load: options.max_load,
    };
    let measures: Vec<Measure> = match options.measure {
        Measure::All => vec![
            Measure::PerCall,
            Measure::FanOut,
            Measure::Download,
            Measure::Polling,
            Measure::Batch,
        ],
        one => vec![one],
    };
    println!(
        "# anyfast-video-bench{}\n\nmachine: {}; {}; files in {}",
        if settings.smoke {
            " --smoke (targets not enforced)"
        } else {
            ""
        },
        procfs::machine(),
        rustc_version(),
        settings.dir.display()
    );
    let mut missed = Vec::new();
    for measure in measures {
        let started = std::time::Instant::now();
        eprintln!("running {measure:?} ...");
        let table: Table = match measure {
            Measure::PerCall => measures::per_call::run(&settings)?,
            Measure::FanOut => measures::fan_out::run(&settings)?,
            Measure::Download => measures::download::run(&settings)?,
            Measure::Polling => measures::polling::run(&settings)?,
            Measure::Batch => measures::batch::run(&settings)?,
            Measure::Build => measures::build::run(&settings)?,
            Measure::All => unreachable!("expanded above"),
        };
        let mut table = table;
        table.note(format!(
            "took {:.1} s; 1-minute load after: {:.2}",
            started.elapsed().as_secs_f64(),
            procfs::load_average()
        ));
        print!("{}", table.render(settings.smoke));
        if !table.met() {
            missed.push(table.title.clone());
        }
    }
    if missed.is_empty() {
        println!("\nevery target met");
    } else if settings.smoke {
        println!(
            "\nsmoke run: {} measure(s) missed a target at this tiny size (not enforced)",
            missed.len()
        );
    } else {
        println!("\ntargets missed in: {}", missed.join("; "));
    }
    Ok(settings.smoke || missed.is_empty())
}

/// `rustc -V`, for the report.
fn rustc_version() -> String {
    std::process::Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map_or_else(|| "rustc unknown".into(), |text| text.trim().to_string())
}
