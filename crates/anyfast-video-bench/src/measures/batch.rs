//! Measure 6, batch: `anyfast-video batch` over a JSONL file of text requests against the mock
//! in instant timing, with its SQLite journal and without, next to a raw reqwest loop doing
//! the same creates, queries and downloads at the same concurrency, against the same mock.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, ensure};

use super::fan_out::peak_rss_row;
use super::{Settings, kib_to_mib};
use crate::process::{Mock, Ran, binary, run_child, run_measured};
use crate::report::{Row, Table, list, median};
use crate::workloads::{ChildReport, Job, PROMPT};

/// The command line's default `--concurrency` (see `anyfast-video batch --help`).
const CONCURRENCY: usize = 100;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Raw,
    Journal,
    NoJournal,
}

pub fn run(settings: &Settings) -> Result<Table> {
    let mut table = Table::new("Batch: `anyfast-video batch` against a raw reqwest loop");
    settings.quiet(&mut table);
    let scratch = settings.scratch()?;
    let mock = Mock::start(&["--timing", "instant"], scratch.path())?;
    let cli = binary("anyfast-video")?;
    let lines: u64 = if settings.smoke { 200 } else { 10_000 };
    let rounds = settings.rounds(5);
    let sides = [Side::Raw, Side::Journal, Side::NoJournal];
    let (mut wall, mut cpu, mut rss) = (
        [vec![], vec![], vec![]],
        [vec![], vec![], vec![]],
        [vec![], vec![], vec![]],
    );
    for round in 0..rounds {
        for turn in 0..sides.len() {
            let side = sides[(turn + round as usize) % sides.len()];
            // A fresh folder, file, output folder and journal per run: nothing to skip or resume.
            let run_dir = tempfile::tempdir_in(scratch.path())?;
            let file = run_dir.path().join("batch.jsonl");
            write_lines(&file, lines)?;
            let out_dir = run_dir.path().join("out");
            let ran = match side {
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
                    ran
                }
                Side::Journal | Side::NoJournal => {
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
                    if side == Side::Journal {
                        command
                            .arg("--journal")
                            .arg(run_dir.path().join("journal.sqlite"));
                    } else {
                        command.arg("--no-journal");
                    }
                    run_measured(command, scratch.path())?.check("anyfast-video batch")?
                }
            };
            let saved = count_videos(&out_dir)?;
            ensure!(saved == lines, "{saved} of {lines} videos saved");
            let index = sides.iter().position(|other| *other == side).unwrap_or(0);
            wall[index].push(ran.wall.as_secs_f64());
            cpu[index].push(ran.cpu.as_secs_f64());
            rss[index].push(kib_to_mib(ran.peak_rss_kib));
        }
    }
    table.note(format!(
        "{rounds} rounds × {lines} lines per variant, {CONCURRENCY} lines at a time (the command line's default `--concurrency`), the three variants in rotating order, each a fresh process with a fresh JSONL file, output folder and journal under {}; one anyfast-mock (`--timing instant`, the 28 KB sample video, pid {}) for all",
        settings.dir.display(),
        mock.pid()
    ));
    table.note(format!(
        "client: `ANYFAST_API_KEY=any anyfast-video batch FILE --out-dir DIR --concurrency {CONCURRENCY} --base-url URL --poll-interval 0.01 --journal DIR/journal.sqlite` (and `--no-journal`), stdout and stderr to files (not a terminal: one stderr line per event)"
    ));
    table.note("baseline: a child of this program: for each line (read as it goes), the create POST of the line's body without `output`, GETs until SUCCESS, the video streamed into `line-N.mp4.part`, sync_all, renamed; reqwest with the library's settings");
    table.note("ratio of the wall times: the median of the per-round ratios (journal / raw of the same round); other rows: the ratio of the medians");
    table.note("all three timed from spawn to exit; CPU: the child's utime + stime (this process's cutime + cstime around its wait); peak RSS: its VmHWM read every 5 ms");
    table.note(format!(
        "wall times (s), raw: {}; journal: {}; no journal: {}",
        list(&wall[0]),
        list(&wall[1]),
        list(&wall[2])
    ));
    table.rows.push(Row::paired_at_most(
        "wall time, journal on",
        &[wall[0].clone(), wall[1].clone()],
        "s",
        1.2,
    ));
    table.rows.push(peak_rss_row(
        "peak RSS (command line, journal on)",
        median(&rss[0]),
        median(&rss[1]),
    ));
    let per_second = |walls: &[f64]| lines as f64 / median(walls);
    table.rows.push(Row::info(
        "lines per second, journal on",
        per_second(&wall[0]),
        per_second(&wall[1]),
        "lines/s",
    ));
    table.rows.push(Row::info(
        "CPU time, journal on",
        median(&cpu[0]),
        median(&cpu[1]),
        "s",
    ));
    table.rows.push(Row::info(
        "wall time, `--no-journal`",
        median(&wall[0]),
        median(&wall[2]),
        "s",
    ));
    table.rows.push(Row::info(
        "CPU time, `--no-journal`",
        median(&cpu[0]),
        median(&cpu[2]),
        "s",
    ));
    table.rows.push(Row::info(
        "journal's cost: wall, journal on / off",
        median(&wall[2]),
        median(&wall[1]),
        "s",
    ));
    table.rows.push(Row::info(
        "journal's cost: CPU, journal on / off",
        median(&cpu[2]),
        median(&cpu[1]),
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
