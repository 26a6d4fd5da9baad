//! Fan-out: create then wait for many tasks, `concurrency` at a time (the mock in instant
//! timing, so each wait's first poll finds the task done).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyfast_video::{TaskStatus, VideoRequest, WaitOptions};
use anyhow::{Result, ensure};
use futures_util::{StreamExt, stream};

use super::{
    ChildReport, PROMPT, Stopwatch, Variant, library_client, plain_api_client, plain_create,
    plain_wait, raw_api_client, raw_create, raw_wait, text_body,
};
use serde_json::{Value, json};

pub async fn run(
    variant: Variant,
    base_url: &str,
    tasks: u32,
    concurrency: usize,
) -> Result<ChildReport> {
    let failures = AtomicU64::new(0);
    let gets = AtomicU64::new(0);
    let gets = &gets;
    let watch;
    match variant {
        Variant::Raw => {
            // A plain loop as a user writes it: the body with what the user sets (the model
            // and the prompt), the key with each request, no idempotency key, no retries.
            let http = &plain_api_client()?;
            let model = anyfast_video::DEFAULT_MODEL;
            watch = Stopwatch::start()?;
            stream::iter(0..tasks)
                .map(|number| async move {
                    let body = json!({
                        "model": model,
                        "content": [{"type": "text", "text": format!("{PROMPT} #{number}")}],
                    });
                    let id = plain_create(http, base_url, &body).await?;
                    let polls = plain_wait(http, base_url, &id).await?;
                    gets.fetch_add(polls, Ordering::Relaxed);
                    Ok::<(), anyhow::Error>(())
                })
                .buffer_unordered(concurrency)
                .for_each(|result| {
                    if let Err(error) = result {
                        eprintln!("plain task: {error:#}");
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                    async {}
                })
                .await;
        }
        Variant::Matched => {
            let http = &raw_api_client()?;
            // The JSON the library sends for a text request, every field of it.
            let template: Value = serde_json::from_slice(&text_body().await?)?;
            let template = &template;
            watch = Stopwatch::start()?;
            stream::iter(0..tasks)
                .map(|number| async move {
                    // Each task has its own prompt: the body is built and serialised per task,
                    // as any loop must.
                    let mut body = template.clone();
                    body["content"][0]["text"] = json!(format!("{PROMPT} #{number}"));
                    let body = serde_json::to_vec(&body)?.into();
                    let id = raw_create(http, base_url, &body).await?;
                    let (polls, _) = raw_wait(http, base_url, &id, Duration::from_secs(2)).await?;
                    gets.fetch_add(polls, Ordering::Relaxed);
                    Ok::<(), anyhow::Error>(())
                })
                .buffer_unordered(concurrency)
                .for_each(|result| {
                    if let Err(error) = result {
                        eprintln!("raw task: {error:#}");
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                    async {}
                })
                .await;
        }
        Variant::Client => {
            // max_concurrent_requests = concurrency: the same requests in flight as the raw loop.
            let client = library_client(base_url, concurrency)?;
            let videos = client.videos();
            watch = Stopwatch::start()?;
            stream::iter(0..tasks)
                .map(|number| async move {
                    let request = VideoRequest::text(format!("{PROMPT} #{number}"));
                    let task = videos.create(request).await?;
                    // At once, as the raw loop does: in instant timing the task is done.
                    let options = WaitOptions::default().poll_at_once(true);
                    let done = videos.wait(&task.id, options).await?;
                    ensure!(done.status == TaskStatus::Succeeded, "{done:?}");
                    // Instant timing: the wait's first poll (at once) finds the task done.
                    gets.fetch_add(1, Ordering::Relaxed);
                    Ok::<(), anyhow::Error>(())
                })
                .buffer_unordered(concurrency)
                .for_each(|result| {
                    if let Err(error) = result {
                        eprintln!("client task: {error:#}");
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                    async {}
                })
                .await;
        }
    }
    let requests = u64::from(tasks) + gets.load(Ordering::Relaxed);
    let report = watch.report(requests)?;
    let failed = failures.load(Ordering::Relaxed);
    ensure!(failed == 0, "{failed} of {tasks} tasks failed");
    Ok(report)
}
