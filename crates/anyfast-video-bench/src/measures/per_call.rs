//! Measure 1, per-call overhead: `Videos::get` against a plain reqwest GET + serde_json decode
//! of the same answer (as a user writes it, the same connection settings), and for information
//! against the same GET with all the library's settings; same mock, each in its own process on
//! a current-thread runtime, one call after another on one keep-alive connection.

use anyhow::Result;

use super::{Settings, finished_task, order3, pair};
use crate::process::{Mock, run_child};
use crate::report::{Row, Table, list, median, paired_ratios};
use crate::workloads::{ChildReport, Job};

pub fn run(settings: &Settings) -> Result<Table> {
    let mut table =
        Table::new("Per-call overhead: `Videos::get` against a plain reqwest loop + serde_json");
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
    let (mut wall, mut cpu) = ([vec![], vec![], vec![]], [vec![], vec![], vec![]]);
    for round in 0..rounds {
        for (variant, side) in order3(round) {
            let job = Job::PerCall {
                variant,
                base_url: mock.api.clone(),
                id: id.clone(),
                warmup,
                calls,
            };
            let (report, _): (ChildReport, _) = run_child(&job, scratch.path())?;
            wall[side].push(report.wall_s / f64::from(calls));
            cpu[side].push(report.cpu_s / f64::from(calls));
        }
    }
    table.note(format!(
        "{rounds} rounds × {calls} sequential calls per variant (after {warmup} warm-up calls), each variant a fresh process on a current-thread tokio runtime, the three variants in rotating order (each first in one round of three); one anyfast-mock (`--timing instant`, pid {}) for both",
        mock.pid()
    ));
    table.note("baseline, a plain loop as a user writes it: `reqwest::Client::builder().connect_timeout(10 s)` (the library's connection settings: that connect timeout, reqwest's default keep-alive pool), then per call `get(url).bearer_auth(key).timeout(30 s).send()`, `error_for_status()`, `json::<serde_json::Value>()`; no default headers, user agent, read timeout or redirect policy, no retries, pace or in-flight bound");
    table.note("with the library's settings (information): the same GET on a reqwest::Client with the library's default headers (key, Accept, api-version), user agent, connect timeout and 30 s per-request timeout, body read whole and decoded to serde_json::Value (the baseline until 2026-12-07)");
    table.note("CPU: the child's own, over the timed calls: the sum of its threads' /proc/self/task/*/schedstat (ns), or utime + stime of /proc/self/stat if a thread ended; the mock's CPU is in its own process");
    table.note("ratio: the median of the per-round ratios (client / baseline of the two runs of a round, back to back); baseline and client columns: the medians of each side");
    let (wall_pairs, cpu_pairs) = (pair(&wall, 0, 1), pair(&cpu, 0, 1));
    let (wall_ratio, cpu_ratio) = (paired_ratios(&wall_pairs), paired_ratios(&cpu_pairs));
    table.rows.push(Row::paired_at_most(
        "wall time per call",
        &wall_pairs,
        "s",
        1.05,
    ));
    table.rows.push(Row::paired_at_most(
        "CPU time per call (client process)",
        &cpu_pairs,
        "s",
        1.05,
    ));
    table.note(format!(
        "per-round ratios, wall: {}; CPU: {}",
        list(&wall_ratio),
        list(&cpu_ratio)
    ));
    table.rows.push(Row::paired_info(
        "wall time per call, against the library's settings",
        &pair(&wall, 2, 1),
        "s",
    ));
    table.rows.push(Row::paired_info(
        "CPU time per call, against the library's settings",
        &pair(&cpu, 2, 1),
        "s",
    ));
    table.rows.push(Row::paired_info(
        "CPU time per call: the library's settings against the plain loop",
        &pair(&cpu, 0, 2),
        "s",
    ));
    table.rows.push(Row::info(
        "calls per second",
        1.0 / median(&wall[0]),
        1.0 / median(&wall[1]),
        "calls/s",
    ));
    Ok(table)
}
