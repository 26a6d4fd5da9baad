//! Polling cost: tasks of several lengths waited for with a cadence, run scaled down (every
//! duration divided by the same factor), counting the GETs each wait sends and how long after
//! the task finished it returned.
//!
//! GETs are counted from the library's own tracing: each query runs in an `anyfast_video` span
//! with `operation = "get"`; a subscriber counts those spans in a task-local counter of the
//! wait that made them.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyfast_video::{TaskStatus, VideoRequest, WaitOptions};
use anyhow::{Context, Result, ensure};
use serde::{Deserialize, Serialize};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use super::{ChildReport, PROMPT, Stopwatch, library_client};

/// How a wait polls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cadence {
    /// `WaitOptions::default()`: a first poll after 10 s, growing ×1.5 to 15 s, ±10 % jitter.
    Default,
    /// A fixed 1 s (openai-python's choice).
    FixedOneSecond,
}

impl Cadence {
    /// The options, with every interval divided by `scale`.
    fn options(self, scale: f64) -> WaitOptions {
        let scaled = |seconds: f64| Duration::from_secs_f64(seconds / scale);
        // The fixed poll starts at once, as openai-python's does; the default does not.
        let (first, longest, at_once) = match self {
            Cadence::Default => (10.0, 15.0, false),
            Cadence::FixedOneSecond => (1.0, 1.0, true),
        };
        WaitOptions::default()
            .poll_at_once(at_once)
            .poll_interval(scaled(first))
            .max_poll_interval(scaled(longest))
            .timeout(scaled(30.0 * 60.0))
    }
}

/// Tasks of one length, on a mock whose `--timing` is that length scaled.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PollLength {
    pub base_url: String,
    /// The task's real length, in seconds (the mock runs it `scale` times faster).
    pub real_seconds: f64,
}

/// One task waited for.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PolledTask {
    pub real_seconds: f64,
    pub gets: u32,
    /// From the task's end to the wait's return, scaled back to real seconds (an upper bound:
    /// the end is counted from just before the create was sent).
    pub delay_s: f64,
}

tokio::task_local! {
    static GETS: Cell<u32>;
}

/// Counts the library's `get` spans into the current wait's counter.
struct GetCounter {
    next_id: AtomicU64,
}

struct Operation(bool);

impl Visit for Operation {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "operation" && value == "get" {
            self.0 = true;
        }
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
}

impl Subscriber for GetCounter {
    fn enabled(&self, _metadata: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        if span.metadata().name() == "anyfast_video" {
            let mut operation = Operation(false);
            span.record(&mut operation);
            if operation.0 {
                let _ = GETS.try_with(|gets| gets.set(gets.get() + 1));
            }
        }
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}
    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}
    fn event(&self, _event: &Event<'_>) {}
    fn enter(&self, _span: &Id) {}
    fn exit(&self, _span: &Id) {}
}

/// Installs the counter for this process.
pub fn count_gets() -> Result<()> {
    tracing::subscriber::set_global_default(GetCounter {
        next_id: AtomicU64::new(1),
    })
    .context("installing the GET counter")
}

pub async fn run(
    cadence: Cadence,
    lengths: &[PollLength],
    tasks_per_length: u32,
    scale: f64,
) -> Result<ChildReport> {
    let mut waits = tokio::task::JoinSet::new();
    let watch = Stopwatch::start()?;
    for length in lengths {
        let client = library_client(
            &length.base_url,
            anyfast_video::DEFAULT_MAX_CONCURRENT_REQUESTS,
        )?;
        for _ in 0..tasks_per_length {
            let (client, real_seconds) = (client.clone(), length.real_seconds);
            let options = cadence.options(scale);
            waits.spawn(GETS.scope(Cell::new(0), async move {
                let sent = Instant::now();
                let task = client.videos().create(VideoRequest::text(PROMPT)).await?;
                // The create itself is not a GET: count from here.
                GETS.with(|gets| gets.set(0));
                let done = client.videos().wait(&task.id, options).await?;
                let returned = Instant::now();
                ensure!(done.status == TaskStatus::Succeeded, "{done:?}");
                let end = sent + Duration::from_secs_f64(real_seconds / scale);
                let delay = returned.saturating_duration_since(end);
                Ok(PolledTask {
                    real_seconds,
                    gets: GETS.with(Cell::get),
                    delay_s: delay.as_secs_f64() * scale,
                })
            }));
        }
    }
    let mut tasks = Vec::new();
    while let Some(joined) = waits.join_next().await {
        tasks.push(joined??);
    }
    let mut report = watch.report(tasks.iter().map(|task| u64::from(task.gets)).sum())?;
    report.tasks = tasks;
    Ok(report)
}
