//! Measure 6, batch: `anyfast-video batch` over a JSONL file of text requests against the mock
//! in instant timing, with its SQLite journal, without one, with a PostgreSQL journal, and as
//! three workers sharing one file through a PostgreSQL journal, next to a raw reqwest loop
//! doing the same creates, queries and downloads at the same concurrency, against the same
//! mock.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, ensure};

use super::fan_out::peak_rss_row;
use super::{Settings, kib_to_mib};
use crate::process::{Mock, Ran, binary, run_child, run_measured, run_measured_together};
use crate::report::{Row, Table, list, median};
use crate::workloads::{ChildReport, Job, PROMPT};

/// The command line's default `--concurrency` (see `anyfast-video batch --help`).
const CONCURRENCY: usize = 100;

/// The workers of the shared-batch variant.
const WORKERS: usize = 3;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Raw,
    Sqlite,
    NoJournal,
    Postgres,
    PostgresWorkers,
}

impl Side {
    const ALL: [Side; 5] = [
        Side::Raw,
        Side::Sqlite,
        Side::NoJournal,
        Side::Postgres,
        Side::PostgresWorkers,
    ];

    fn index(self) -> usize {
        Side::ALL.iter().position(|side| *side == self).unwrap_or(0)
    }
}

/// The wall times, CPU times and peak RSS of each side's runs.
#[derive(Default)]
struct Runs {
    wall: [Vec<f64>; 5],
    cpu: [Vec<f64>; 5],
    rss: [Vec<f64>; 5],
}

pub fn run(settings: &Settings) -> Result<Table> {
    let mut table = Table::new("Batch: `anyfast-video batch` against a raw reqwest loop");
    settings.quiet(&mut table);
    let scratch = settings.scratch()?;
    let mock = Mock::start(&["--timing", "instant"], scratch.path())?;
    let cli = binary("anyfast-video")?;
    // A real server with its defaults (fsync on): what a team would run.
    let postgres = throwaway_postgres::Cluster::start(&[])
        .map_err(|why| anyhow::anyhow!("the PostgreSQL variants need a server: {why}"))?;
    let lines: u64 = if settings.smoke { 200 } else { 10_000 };
    let rounds = settings.rounds(5);
    let mut runs = Runs::default();
    for round in 0..rounds {
        for turn in 0..Side::ALL.len() {
            let side = Side::ALL[(turn + round as usize) % Side::ALL.len()];
            // A fresh folder, file, output folder and journal per run: nothing to skip or resume.
            let run_dir = tempfile::tempdir_in(scratch.path())?;
            let file = run_dir.path().join("batch.jsonl");
            write_lines(&file, lines)?;
            let out_dir = run_dir.path().join("out");
            let batch = |journal: Option<&str>| {
                let mut command = Command::new(&cli);
                command
                    .arg("batch")
                    .arg(&file)
                    .arg("--out-dir")
                    .arg(&out_dir)
                    .args(["--concurrency", &CONCURRENCY.to_string()])
                    .args(["--base-url", &mock.api])
                    // The shortest first poll: the raw loop asks at once, and the default
                    // (10 s, for real tasks that take minutes) would measure only the wait.
                    .args(["--poll-interval", "0.01"])
                    .env("ANYFAST_API_KEY", "any")
                    .env_remove("ANYFAST_BASE_URL")
                    .env_remove("ANYFAST_VIDEO_JOURNAL");
                match journal {
                    Some(journal) => command.args(["--journal", journal]),
                    None => command.arg("--no-journal"),
                };
                command
            };
            let (wall, cpu, peak_kib) = match side {
                Side::Raw => {
                    let job = Job::BatchRaw {
                        base_url: mock.api.clone(),
                        file: file.clone(),
                        out_dir: out_dir.clone(),
                        concurrency: CONCURRENCY,
                    };
                    let (report, ran): (ChildReport, Ran) = run_child(&job, scratch.path())?;
                    ensure!(
                        report.count == lines,
                        "the raw loop finished {} lines",
                        report.count
                    );
                    (ran.wall, ran.cpu, ran.peak_rss_kib)
                }
                Side::Sqlite | Side::NoJournal | Side::Postgres => {
                    let journal = match side {
                        Side::Sqlite => {
                            Some(run_dir.path().join("journal.sqlite").display().to_string())
                        }
                        Side::Postgres => Some(postgres.create_database("batch")?),
                        _ => None,
                    };
                    let ran = run_measured(batch(journal.as_deref()), scratch.path())?
                        .check("anyfast-video batch")?;
                    (ran.wall, ran.cpu, ran.peak_rss_kib)
                }
                Side::PostgresWorkers => {
                    let url = postgres.create_database("workers")?;
                    let commands = (0..WORKERS).map(|_| batch(Some(&url))).collect();
                    let (wall, cpu, ran) = run_measured_together(commands, scratch.path())?;
                    let mut peak = 0;
                    for ran in ran {
                        peak = peak.max(ran.check("a batch worker")?.peak_rss_kib);
                    }
                    (wall, cpu, peak)
                }
            };
            let saved = count_videos(&out_dir)?;
            ensure!(saved == lines, "{side:?}: {saved} of {lines} videos saved");
            let index = side.index();
            runs.wall[index].push(wall.as_secs_f64());
            runs.cpu[index].push(cpu.as_secs_f64());
            runs.rss[index].push(kib_to_mib(peak_kib));
        }
    }
    let Runs { wall, cpu, rss } = runs;
    let [raw, sqlite, none, pg, workers] = [0, 1, 2, 3, 4];
    table.note(format!(
        "{rounds} rounds × {lines} lines per variant, {CONCURRENCY} lines at a time (the command line's default `--concurrency`), the five variants in rotating order, each a fresh process (or {WORKERS}) with a fresh JSONL file, output folder and journal under {}; one anyfast-mock (`--timing instant`, the 28 KB sample video, pid {}) for all; PostgreSQL from the machine's own server binaries, a throwaway cluster with its default settings (fsync on, its data on the disk under {}) on 127.0.0.1, a fresh database per run",
        settings.dir.display(),
        mock.pid(),
        std::env::temp_dir().display(),
    ));
    table.note(format!(
        "client: `ANYFAST_API_KEY=any anyfast-video batch FILE --out-dir DIR --concurrency {CONCURRENCY} --base-url URL --poll-interval 0.01` with `--journal DIR/journal.sqlite`, `--no-journal`, `--journal postgres://…`, and {WORKERS} of the last at once on one file, one database and one output folder (sharing the lines through their leases); stdout and stderr to files (not a terminal: one stderr line per event)"
    ));
    table.note("baseline: a child of this program: for each line (read as it goes), the create POST of the line's body without `output`, GETs until SUCCESS, the video streamed into `line-N.mp4.part`, sync_all, renamed; reqwest with the library's settings");
    table.note("ratio of the wall times: the median of the per-round ratios (client / raw of the same round); other rows: the ratio of the medians; the workers' wall time runs from the first spawn to the last exit, their CPU is the three together, their peak RSS the largest of the three");
    table.note(format!(
        "wall times (s), raw: {}; SQLite: {}; no journal: {}; PostgreSQL: {}; {WORKERS} workers on PostgreSQL: {}",
        list(&wall[raw]),
        list(&wall[sqlite]),
        list(&wall[none]),
        list(&wall[pg]),
        list(&wall[workers]),
    ));
    table.rows.push(Row::paired_at_most(
        "wall time, SQLite journal",
        &[wall[raw].clone(), wall[sqlite].clone()],
        "s",
        1.2,
    ));
    table.rows.push(peak_rss_row(
        "peak RSS (command line, SQLite journal)",
        median(&rss[raw]),
        median(&rss[sqlite]),
    ));
    let per_second = |walls: &[f64]| lines as f64 / median(walls);
    table.rows.push(Row::info(
        "lines per second, SQLite journal",
        per_second(&wall[raw]),
        per_second(&wall[sqlite]),
        "lines/s",
    ));
    table.rows.push(Row::info(
        "CPU time, SQLite journal",
        median(&cpu[raw]),
        median(&cpu[sqlite]),
        "s",
    ));
    table.rows.push(Row::paired_at_most(
        "wall time, PostgreSQL journal",
        &[wall[raw].clone(), wall[pg].clone()],
        "s",
        1.2,
    ));
    table.rows.push(peak_rss_row(
        "peak RSS (command line, PostgreSQL journal)",
        median(&rss[raw]),
        median(&rss[pg]),
    ));
    table.rows.push(Row::info(
        "lines per second, PostgreSQL journal",
        per_second(&wall[raw]),
        per_second(&wall[pg]),
        "lines/s",
    ));
    table.rows.push(Row::info(
        &format!("lines per second, {WORKERS} workers against 1 (PostgreSQL)"),
        per_second(&wall[pg]),
        per_second(&wall[workers]),
        "lines/s",
    ));
    table.rows.push(peak_rss_row(
        &format!("peak RSS (the largest of {WORKERS} workers)"),
        median(&rss[pg]),
        median(&rss[workers]),
    ));
    table.rows.push(Row::info(
        "wall time, `--no-journal`",
        median(&wall[raw]),
        median(&wall[none]),
        "s",
    ));
    table.rows.push(Row::info(
        "journal's cost: wall, SQLite / none",
        median(&wall[none]),
        median(&wall[sqlite]),
        "s",
    ));
    table.rows.push(Row::info(
        "journal's cost: CPU, SQLite / none",
        median(&cpu[none]),
        median(&cpu[sqlite]),
        "s",
    ));
    Ok(table)
}

/// `count` lines of the API's body, each with a prompt of its own.
fn write_lines(file: &Path, count: u64) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(file)?);
    for number in 1..=count {
        let line = serde_json::json!({
            "model": "seedance-fast",
            "content": [{"type": "text", "text": format!("{PROMPT} #{number}")}],
            "duration": 5,
        });
        writeln!(out, "{line}")?;
    }
    out.flush().context("writing the batch file")
}

/// The finished videos (`*.mp4`, no `.part` left) in `dir`.
fn count_videos(dir: &Path) -> Result<u64> {
    let mut count = 0;
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        ensure!(!name.ends_with(".part"), "{name} was left behind");
        if name.ends_with(".mp4") {
            count += 1;
        }
    }
    Ok(count)
}
