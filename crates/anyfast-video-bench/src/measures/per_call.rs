//! Measure 1, per-call overhead: `Videos::get` against a raw reqwest GET + serde_json decode of
//! the same answer, same mock, same settings, each in its own process on a current-thread
//! runtime, one call after another on one keep-alive connection.

use anyhow::Result;

use super::{Settings, finished_task, order};
use crate::process::{Mock, run_child};
use crate::report::{Row, Table, list, median, paired_ratios};
use crate::workloads::{ChildReport, Job, Variant};

pub fn run(settings: &Settings) -> Result<Table> {
    let mut table = Table::new("Per-call overhead: `Videos::get` against raw reqwest + serde_json");
    settings.quiet(&mut table);
    let scratch = settings.scratch()?;
    let mock = Mock::start(&["--timing", "instant"], scratch.path())?;
    let (id, _) = finished_task(&mock.api)?;
    let (calls, warmup) = if settings.smoke {
        (2_000, 100)
    } else {
        (20_000, 1_000)
    };
    let rounds = settings.rounds(11);
    let (mut wall, mut cpu) = ([vec![], vec![]], [vec![], vec![]]);
    for round in 0..rounds {
        for variant in order(round) {
            let job = Job::PerCall {
                variant,
                base_url: mock.api.clone(),
                id: id.clone(),
                warmup,
                calls,
            };
            let (report, _): (ChildReport, _) = run_child(&job, scratch.path())?;
            let side = usize::from(variant == Variant::Client);
            wall[side].push(report.wall_s / f64::from(calls));
            cpu[side].push(report.cpu_s / f64::from(calls));
        }
    }
    table.note(format!(
        "{rounds} rounds × {calls} sequential calls per variant (after {warmup} warm-up calls), each variant a fresh process on a current-thread tokio runtime, baseline and client alternating; one anyfast-mock (`--timing instant`, pid {}) for both",
        mock.pid()
    ));
    table.note("baseline: reqwest::Client with the library's default headers, user agent, connect timeout and 30 s per-request timeout; `GET /v1/video/generations/{id}`, body read whole, decoded to serde_json::Value");
    table.note("CPU: the child's own, over the timed calls: the sum of its threads' /proc/self/task/*/schedstat (ns), or utime + stime of /proc/self/stat if a thread ended; the mock's CPU is in its own process");
    table.note("ratio: the median of the per-round ratios (client / baseline of the two runs of a round, back to back); baseline and client columns: the medians of each side");
    let (wall_ratio, cpu_ratio) = (paired_ratios(&wall), paired_ratios(&cpu));
    table
        .rows
        .push(Row::paired_at_most("wall time per call", &wall, "s", 1.05));
    table.rows.push(Row::paired_at_most(
        "CPU time per call (client process)",
        &cpu,
        "s",
        1.05,
    ));
    table.note(format!(
        "per-round ratios, wall: {}; CPU: {}",
        list(&wall_ratio),
        list(&cpu_ratio)
    ));
    table.rows.push(Row::info(
        "calls per second",
        1.0 / median(&wall[0]),
        1.0 / median(&wall[1]),
        "calls/s",
    ));
    Ok(table)
}
