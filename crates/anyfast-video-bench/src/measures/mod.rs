//! The measures, as the parent process runs them: start the mock, run each variant in its own
//! process (baseline and client alternating), and make the table.

pub mod batch;
pub mod build;
pub mod download;
pub mod fan_out;
pub mod per_call;
pub mod polling;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::procfs;
use crate::report::Table;
use crate::workloads::{self, Variant};

/// How the harness was asked to run.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Each measure once, at a tiny size; targets reported, not enforced.
    pub smoke: bool,
    /// Rounds (runs of each variant) instead of each measure's default.
    pub rounds: Option<u32>,
    /// Where the files go (downloads, batch outputs, journals).
    pub dir: PathBuf,
    /// Wait until the 1-minute load average is at most this before a full measure.
    pub max_load: f64,
}

impl Settings {
    /// The rounds of a measure: 1 in smoke mode, else `--rounds` or the measure's default.
    pub fn rounds(&self, default: u32) -> u32 {
        if self.smoke {
            1
        } else {
            self.rounds.unwrap_or(default).max(1)
        }
    }

    /// A fresh folder under `--dir`, removed when dropped.
    pub fn scratch(&self) -> Result<tempfile::TempDir> {
        tempfile::Builder::new()
            .prefix("anyfast-video-bench-")
            .tempdir_in(&self.dir)
            .with_context(|| format!("a folder in {}", self.dir.display()))
    }

    /// Before a full measure: waits (at most 10 minutes) until the 1-minute load average is
    /// at most `max_load`, so that other work on the machine does not skew the figures, and
    /// says what it was.
    pub fn quiet(&self, table: &mut Table) {
        let started = Instant::now();
        let first = procfs::load_average();
        let mut load = first;
        if !self.smoke {
            while load > self.max_load && started.elapsed() < Duration::from_secs(600) {
                eprintln!(
                    "  load average {load:.2} > {:.2}: waiting for the machine to quieten",
                    self.max_load
                );
                std::thread::sleep(Duration::from_secs(15));
                load = procfs::load_average();
            }
        }
        let waited = started.elapsed().as_secs();
        table.note(if waited > 0 {
            format!("1-minute load before: {load:.2} (waited {waited} s, from {first:.2})")
        } else {
            format!("1-minute load before: {load:.2}")
        });
    }
}

/// The three variants of the per-call and fan-out measures in a rotating order (each first
/// in one round of three), and where each one's figures go: 0 the plain loop (the baseline),
/// 1 the client, 2 the loop with the library's settings.
pub fn order3(round: u32) -> [(Variant, usize); 3] {
    let all = [
        (Variant::Raw, 0),
        (Variant::Client, 1),
        (Variant::Matched, 2),
    ];
    let first = (round % 3) as usize;
    [all[first], all[(first + 1) % 3], all[(first + 2) % 3]]
}

/// The figures of two of the three variants, for a paired ratio (`b` / `a`).
pub fn pair(figures: &[Vec<f64>; 3], a: usize, b: usize) -> [Vec<f64>; 2] {
    [figures[a].clone(), figures[b].clone()]
}

/// Creates one task on the mock at `base_url` with plain reqwest and waits for it; its id
/// and video URL.
pub fn finished_task(base_url: &str) -> Result<(String, String)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let http = workloads::raw_api_client()?;
        let body = workloads::text_body().await?;
        let id = workloads::raw_create(&http, base_url, &body).await?;
        let (_, task) =
            workloads::raw_wait(&http, base_url, &id, Duration::from_millis(100)).await?;
        let url = task["data"]["result_url"]
            .as_str()
            .context("a finished task without result_url")?
            .to_string();
        Ok((id, url))
    })
}

/// `mib` MiB in bytes.
pub const fn mib(mib: u64) -> u64 {
    mib * 1024 * 1024
}

/// KiB as MiB.
pub fn kib_to_mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
