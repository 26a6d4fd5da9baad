//! Measure 4, polling cost: GETs per task, and the delay between a task's end and `wait`
//! returning, with the default `WaitOptions` against a fixed 1 s poll, for tasks of 30 s,
//! 2 min and 5 min. Run scaled: every duration (the tasks' lengths, through the mock's
//! `--timing`, and the poll intervals) is divided by the same factor, which leaves the GET
//! counts unchanged; the delays are scaled back up.

use anyhow::Result;

use super::Settings;
use crate::process::{Mock, run_child};
use crate::report::{Row, Table, Verdict, max, median};
use crate::workloads::{Cadence, ChildReport, Job, PollLength, PolledTask};

/// The tasks' real lengths, in seconds.
const LENGTHS: [f64; 3] = [30.0, 120.0, 300.0];

pub fn run(settings: &Settings) -> Result<Table> {
    let mut table = Table::new("Polling cost: GETs per task and delay after the end");
    settings.quiet(&mut table);
    let scratch = settings.scratch()?;
    let (scale, per_round) = if settings.smoke {
        (100.0, 2)
    } else {
        (30.0, 5)
    };
    let rounds = settings.rounds(2);
    // One mock per length: `--timing` is the mock's, for all its tasks.
    let mut mocks = Vec::new();
    let mut lengths = Vec::new();
    for real_seconds in LENGTHS {
        let millis = (real_seconds * 1000.0 / scale).round() as u64;
        let mock = Mock::start(&["--timing", &format!("{millis}ms")], scratch.path())?;
        lengths.push(PollLength {
            base_url: mock.api.clone(),
            real_seconds,
        });
        mocks.push(mock);
    }
    let mut polled: [Vec<PolledTask>; 2] = [vec![], vec![]];
    for round in 0..rounds {
        let cadences = if round.is_multiple_of(2) {
            [Cadence::FixedOneSecond, Cadence::Default]
        } else {
            [Cadence::Default, Cadence::FixedOneSecond]
        };
        for cadence in cadences {
            let job = Job::Polling {
                cadence,
                lengths: lengths.clone(),
                tasks_per_length: per_round,
                scale,
            };
            let (report, _): (ChildReport, _) = run_child(&job, scratch.path())?;
            polled[usize::from(cadence == Cadence::Default)].extend(report.tasks);
        }
    }
    table.note(format!(
        "scaled {scale:.0} × faster: tasks of 30 s, 2 min and 5 min on three anyfast-mock processes (`--timing` {}), poll intervals divided by {scale:.0} too (WaitOptions::poll_interval / max_poll_interval); delays scaled back to real seconds",
        LENGTHS
            .iter()
            .map(|seconds| format!("{:.0}ms", seconds * 1000.0 / scale))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    table.note(format!(
        "{} tasks per length and cadence ({rounds} rounds × {per_round}, the tasks of a round waited for at once in one process); baseline: a fixed 1 s poll (openai-python's), client: WaitOptions::default() (a first poll after 10 s, then ×1.5 to 15 s, ±10 % jitter)",
        rounds * per_round
    ));
    table.note("GETs counted from the library's own `anyfast_video` spans with operation `get`; the delay runs from the task's end (counted from just before its create was sent: an upper bound) to `wait` returning");
    for real_seconds in LENGTHS {
        let of = |tasks: &[PolledTask]| -> (Vec<f64>, Vec<f64>) {
            tasks
                .iter()
                .filter(|task| task.real_seconds == real_seconds)
                .map(|task| (f64::from(task.gets), task.delay_s))
                .unzip()
        };
        let (fixed_gets, fixed_delays) = of(&polled[0]);
        let (default_gets, default_delays) = of(&polled[1]);
        let label = if real_seconds < 60.0 {
            format!("{real_seconds:.0} s task")
        } else {
            format!("{:.0} min task", real_seconds / 60.0)
        };
        let limit = real_seconds / 10.0;
        table.rows.push(Row {
            figure: format!("GETs per task, {label}: median (max)"),
            baseline: format!("{:.0} ({:.0})", median(&fixed_gets), max(&fixed_gets)),
            client: format!("{:.0} ({:.0})", median(&default_gets), max(&default_gets)),
            ratio: format!("{:.3}", median(&default_gets) / median(&fixed_gets)),
            target: format!("≤ {limit:.0} (one per 10 s)"),
            verdict: Verdict::of(max(&default_gets) <= limit),
        });
        table.rows.push(Row {
            figure: format!("delay after the end, {label}: median / max"),
            baseline: format!(
                "{:.2} s / {:.2} s",
                median(&fixed_delays),
                max(&fixed_delays)
            ),
            client: format!(
                "{:.2} s / {:.2} s",
                median(&default_delays),
                max(&default_delays)
            ),
            ratio: format!("{:.1}", median(&default_delays) / median(&fixed_delays)),
            target: "–".into(),
            verdict: Verdict::Info,
        });
    }
    drop(mocks);
    Ok(table)
}
