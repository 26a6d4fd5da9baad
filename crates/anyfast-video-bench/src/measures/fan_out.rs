//! Measure 2, fan-out: create then wait for 10,000 tasks at concurrency 256 (the mock in
//! instant timing), against a plain reqwest loop as a user writes it, and for information against
//! a reqwest loop with the library's settings sending the same requests as the library.

use anyhow::Result;

use super::{Settings, kib_to_mib, order3, pair};
use crate::process::{Mock, run_child};
use crate::report::{Row, Table, Verdict, list, median, paired_ratios};
use crate::workloads::{ChildReport, Job};

/// The bound on the client process's peak RSS: 64 MB.
pub const PEAK_RSS_LIMIT_MB: f64 = 64.0;

pub fn run(settings: &Settings) -> Result<Table> {
    let mut table = Table::new("Fan-out: create + wait for many tasks at concurrency 256");
    settings.quiet(&mut table);
    let scratch = settings.scratch()?;
    let mock = Mock::start(&["--timing", "instant"], scratch.path())?;
    let tasks = if settings.smoke { 300 } else { 10_000 };
    let concurrency = 256;
    let rounds = settings.rounds(15);
    let (mut wall, mut cpu, mut rss, mut rate) = (
        [vec![], vec![], vec![]],
        [vec![], vec![], vec![]],
        [vec![], vec![], vec![]],
        [vec![], vec![], vec![]],
    );
    for round in 0..rounds {
        for (variant, side) in order3(round) {
            let job = Job::FanOut {
                variant,
                base_url: mock.api.clone(),
                tasks,
                concurrency,
            };
            let (report, _): (ChildReport, _) = run_child(&job, scratch.path())?;
            wall[side].push(report.wall_s);
            cpu[side].push(report.cpu_s);
            rss[side].push(kib_to_mib(report.peak_rss_kib));
            rate[side].push(report.count as f64 / report.wall_s);
        }
    }
    table.note(format!(
        "{rounds} rounds × {tasks} tasks per variant, {concurrency} at a time (`buffer_unordered({concurrency})`), each variant a fresh process on a multi-thread tokio runtime (2 workers), the three variants in rotating order; one anyfast-mock (`--timing instant`, pid {}) for both",
        mock.pid()
    ));
    table.note(format!(
        "client: `create(VideoRequest::text(..))` then `wait(id, WaitOptions::default().poll_at_once(true))` (the raw loop too polls at once), with `ClientBuilder::max_concurrent_requests({concurrency})` (default 128) for parity with the raw loop's {concurrency} in flight"
    ));
    table.note("each task has its own prompt (`PROMPT #n`); baseline, a plain loop as a user writes it: `reqwest::Client::builder().connect_timeout(10 s)`, per task `post(url).bearer_auth(key).timeout(300 s).json(&json!({model, content: [{type: text, text}]}))` (what the user sets), `error_for_status()`, `json::<Value>()`, then `get(url).bearer_auth(key).timeout(30 s)` until `data.status` is SUCCESS (the first one, in instant timing), each answer `json::<Value>()`; no idempotency key, retries, pace or semaphore (only `buffer_unordered`)");
    table.note("with the library's settings (information; the baseline until 2026-12-07): reqwest with the library's default headers, user agent and timeouts; a create POST of the same JSON body as the library's (its text request's body, every field, built and serialised per task with the task's prompt; Content-Type and an Idempotency-Key), then the same GETs, each answer decoded to serde_json::Value");
    table.note("wall and CPU time of the fan-out alone (CPU: the sum of the child's threads' schedstat, or its utime + stime if a thread ended); peak RSS: VmHWM of the child process at its end; ratio: the median of the per-round ratios");
    let (wall_pairs, cpu_pairs) = (pair(&wall, 0, 1), pair(&cpu, 0, 1));
    table.note(format!(
        "per-round ratios, wall: {}; CPU: {}",
        list(&paired_ratios(&wall_pairs)),
        list(&paired_ratios(&cpu_pairs))
    ));
    table
        .rows
        .push(Row::paired_at_most("wall time", &wall_pairs, "s", 1.1));
    table.rows.push(Row::paired_at_most(
        "CPU time (client process)",
        &cpu_pairs,
        "s",
        1.1,
    ));
    table.rows.push(Row::paired_info(
        "wall time, against the library's settings",
        &pair(&wall, 2, 1),
        "s",
    ));
    table.rows.push(Row::paired_info(
        "CPU time, against the library's settings",
        &pair(&cpu, 2, 1),
        "s",
    ));
    table.rows.push(peak_rss_row(
        "peak RSS (client process)",
        median(&rss[0]),
        median(&rss[1]),
    ));
    table.rows.push(Row::info(
        "requests per second (creates + GETs)",
        median(&rate[0]),
        median(&rate[1]),
        "req/s",
    ));
    Ok(table)
}

/// A row holding the client's peak RSS (in MiB) to 64 MB.
pub fn peak_rss_row(figure: &str, baseline_mib: f64, client_mib: f64) -> Row {
    let client_mb = client_mib * 1024.0 * 1024.0 / 1e6;
    let mut row = Row::info(figure, baseline_mib, client_mib, "MiB");
    row.target = format!(
        "≤ {PEAK_RSS_LIMIT_MB:.0} MB ({:.1} MiB)",
        PEAK_RSS_LIMIT_MB * 1e6 / 1048576.0
    );
    row.verdict = Verdict::of(client_mb <= PEAK_RSS_LIMIT_MB);
    row
}
