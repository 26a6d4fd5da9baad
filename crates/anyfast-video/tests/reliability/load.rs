//! Load with faults: many concurrent waits against a mock that answers 5 % of queries with a
//! 5xx and 5 % with a 429; every wait must end with its video URL, no task lost, no panic.

use std::time::{Duration, Instant};

use anyfast_mock::{Fault, FaultKind, MockConfig, Route, Timing, Trigger};
use anyfast_video::{TaskStatus, VideoRequest, WaitOptions};
use futures_util::StreamExt;

use crate::support::{client, mock, peak_rss_mib};

/// How many waits, unless `RELIABILITY_WAITS` says otherwise.
const DEFAULT_WAITS: usize = 1_000;

pub struct Load {
    waits: usize,
    succeeded: usize,
    gets: usize,
    faults_hit: String,
    seconds: f64,
    peak_rss: f64,
    pub problems: Vec<String>,
}

impl Load {
    pub fn summary(&self) -> String {
        format!(
            "load with faults: {} concurrent waits, {} succeeded, {} lost, 0 panics; {} queries \
             ({}); {:.1} s; peak RSS of the whole test process {:.0} MiB",
            self.waits,
            self.succeeded,
            self.waits - self.succeeded,
            self.gets,
            self.faults_hit,
            self.seconds,
            self.peak_rss
        )
    }
}

pub async fn run() -> Load {
    let waits = std::env::var("RELIABILITY_WAITS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(DEFAULT_WAITS);
    let mock = mock(
        MockConfig::default()
            .timing(Timing::Lasting(Duration::from_secs(2)))
            .log_capacity(1_000)
            .seed(13)
            .fault(
                Fault::new(
                    Some(Route::Get),
                    FaultKind::ServerError {
                        status: 503,
                        html: false,
                    },
                )
                .trigger(Trigger::Rate(0.05)),
            )
            .fault(
                Fault::new(
                    Some(Route::Get),
                    FaultKind::RateLimited {
                        retry_after_secs: 1,
                    },
                )
                .trigger(Trigger::Rate(0.05)),
            ),
    )
    .await;
    let client = client(&mock);
    let mut problems = Vec::new();
    let started = Instant::now();
    let ids: Vec<String> = futures_util::stream::iter(0..waits)
        .map(|n| {
            let client = client.clone();
            async move {
                client
                    .videos()
                    .create(VideoRequest::text(format!("load {n}")))
                    .await
                    .map(|task| task.id)
            }
        })
        .buffer_unordered(256)
        .filter_map(|created| async move { created.ok() })
        .collect()
        .await;
    if ids.len() != waits {
        problems.push(format!("only {} of {waits} creates succeeded", ids.len()));
    }
    let options = WaitOptions::default()
        .poll_interval(Duration::from_millis(500))
        .max_poll_interval(Duration::from_secs(2))
        .timeout(Duration::from_secs(300));
    let handles: Vec<_> = ids
        .iter()
        .map(|id| {
            let (client, id, options) = (client.clone(), id.clone(), options.clone());
            tokio::spawn(async move { client.videos().wait(&id, options).await })
        })
        .collect();
    let mut succeeded = 0;
    for handle in handles {
        match handle.await {
            Ok(Ok(task)) if task.status == TaskStatus::Succeeded && task.video_url.is_some() => {
                succeeded += 1;
            }
            Ok(Ok(task)) => problems.push(format!("task {} ended {}", task.id, task.status)),
            Ok(Err(error)) => problems.push(format!("a wait failed: {error}")),
            Err(join) => problems.push(format!("a wait panicked: {join}")),
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let gets = mock.count(Route::Get);
    let statuses = mock.requests();
    let answered = |status: u16| statuses.iter().filter(|r| r.status == Some(status)).count();
    problems.truncate(20);
    mock.stop().await;
    Load {
        waits,
        succeeded,
        gets,
        faults_hit: format!(
            "of the last {} logged, {} answered 503 and {} answered 429",
            statuses.len(),
            answered(503),
            answered(429)
        ),
        seconds,
        peak_rss: peak_rss_mib(),
        problems,
    }
}
