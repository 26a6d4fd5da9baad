//! A service that survives restarts: a task store (`ANYFAST_VIDEO_STORE`, an SQLite path or a
//! `postgres://` URL; `tasks.sqlite` by default), `recover` at start-up for what a killed run
//! left, then jobs keyed by their own ids: run it twice and the second run makes nothing new.
//!
//! `ANYFAST_BASE_URL=http://127.0.0.1:12111 ANYFAST_API_KEY=any cargo run -p anyfast-video-tasks --example service_with_store`

use std::time::Duration;

use anyfast_video::{Client, VideoRequest, WaitOptions};
use anyfast_video_tasks::{Action, RecoverOptions, TaskOptions, TaskStore, Tasks};

#[tokio::main]
async fn main() -> Result<(), anyfast_video_tasks::Error> {
    let location = std::env::var("ANYFAST_VIDEO_STORE").unwrap_or_else(|_| "tasks.sqlite".into());
    let store = TaskStore::open(&location).await?;
    let key = std::env::var("ANYFAST_API_KEY")
        .map_err(|_| anyfast_video::Error::Config("ANYFAST_API_KEY is not set".into()))?;
    let mut builder = Client::builder().api_key(key);
    if let Ok(base_url) = std::env::var("ANYFAST_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let tasks = Tasks::new(builder.build()?, store.clone());
    let wait = WaitOptions::default().poll_interval(Duration::from_secs(1));

    // What a killed run left: finished here, never created again.
    for recovered in tasks
        .recover(RecoverOptions::default().wait(wait.clone()))
        .await?
    {
        match recovered.result {
            Ok(finished) => eprintln!("recovered {} ({:?})", finished.task_id, finished.action),
            Err(error) => eprintln!("could not recover {}: {error}", recovered.key),
        }
    }

    // Jobs keyed by their own ids: delivered twice, made once.
    for (job, prompt) in [("job-1", "一只猫在窗台上醒来"), ("job-2", "海浪拍打礁石")]
    {
        let options = TaskOptions::default()
            .idempotency_key(job)
            .wait(wait.clone());
        let finished = tasks
            .generate(VideoRequest::text(prompt), format!("{job}.mp4"), options)
            .await?;
        let what = match finished.action {
            Action::Created => "made",
            Action::Resumed => "finished",
            _ => "already made",
        };
        eprintln!("{job}: {what} as task {} -> {job}.mp4", finished.task_id);
    }
    store.flush().await?;
    Ok(())
}
