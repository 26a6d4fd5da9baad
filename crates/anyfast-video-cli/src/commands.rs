//! The commands: generate, create, status, wait, download.

use std::future::Future;
use std::path::Path;
use std::time::Duration;

use anyfast_video::{Client, DownloadOptions, Task, WaitOptions};
use serde_json::json;

use crate::args::{Command, WaitArgs};
use crate::connect::Connection;
use crate::exit::Failure;
use crate::output::{Report, task_json, task_text};
use crate::progress::Progress;

pub async fn run(command: &Command, connection: &Connection) -> Result<Report, Failure> {
    let client = &connection.client;
    let mocked = connection.mock.is_some();
    match command {
        Command::Generate {
            request,
            output,
            wait,
        } => {
            let progress = Progress::new();
            let created = interruptible(
                client.videos().create(request.to_request()),
                || "interrupted during the create: a task may have been created anyway; look before creating it again".into(),
            )
            .await??;
            progress.task(&created);
            let done = wait_for(client, &created.id, wait, &progress, Some(output), mocked).await?;
            let bytes = download(client, &done, output, &progress, mocked).await?;
            Ok(Report {
                json: json!({"task": task_json(&done), "path": output, "bytes": bytes}),
                human: output.display().to_string(),
            })
        }
        Command::Create { request } => {
            let task = client.videos().create(request.to_request()).await?;
            Ok(Report {
                json: json!({"task": task_json(&task)}),
                human: task.id,
            })
        }
        Command::Status { id } => {
            let task = client.videos().get(id).await?;
            Ok(Report {
                json: json!({"task": task_json(&task)}),
                human: task_text(&task),
            })
        }
        Command::Wait { id, output, wait } => {
            let progress = Progress::new();
            let done = wait_for(client, id, wait, &progress, output.as_deref(), mocked).await?;
            let mut report = json!({"task": task_json(&done)});
            let mut human = task_text(&done);
            if let Some(output) = output {
                let bytes = download(client, &done, output, &progress, mocked).await?;
                report["path"] = json!(output);
                report["bytes"] = json!(bytes);
                human = output.display().to_string();
            }
            Ok(Report {
                json: report,
                human,
            })
        }
        Command::Download { id, output } => {
            let task = client.videos().get(id).await?;
            let progress = Progress::new();
            let bytes = download(client, &task, output, &progress, mocked).await?;
            Ok(Report {
                json: json!({"task": task_json(&task), "path": output, "bytes": bytes}),
                human: output.display().to_string(),
            })
        }
    }
}

async fn wait_for(
    client: &Client,
    id: &str,
    wait: &WaitArgs,
    progress: &Progress,
    output: Option<&Path>,
    mocked: bool,
) -> Result<Task, Failure> {
    let reporter = progress.clone();
    let options = WaitOptions::default()
        .poll_interval(Duration::from_secs_f64(wait.poll_interval.max(0.01)))
        .timeout(Duration::from_secs(wait.timeout * 60))
        .on_progress(move |task| reporter.task(task));
    let hint = || resume_hint("wait", id, output, mocked);
    let done = interruptible(client.videos().wait(id, options), hint).await?;
    progress.finish();
    Ok(done?)
}

async fn download(
    client: &Client,
    task: &Task,
    output: &Path,
    progress: &Progress,
    mocked: bool,
) -> Result<u64, Failure> {
    progress.downloading();
    let reporter = progress.clone();
    let options = DownloadOptions::default().on_progress(move |p| reporter.download(p));
    let hint = || resume_hint("download", &task.id, Some(output), mocked);
    let downloaded =
        interruptible(client.videos().download_with(task, output, options), hint).await?;
    progress.finish();
    Ok(downloaded?.bytes)
}

/// Runs `work` unless Ctrl-C comes first; then the message says what was going on.
async fn interruptible<T>(
    work: impl Future<Output = T>,
    message: impl FnOnce() -> String,
) -> Result<T, Failure> {
    tokio::select! {
        done = work => Ok(done),
        _ = tokio::signal::ctrl_c() => Err(Failure::Interrupted(message())),
    }
}

/// How to pick up a task after an interruption.
fn resume_hint(command: &str, id: &str, output: Option<&Path>, mocked: bool) -> String {
    if mocked {
        return format!(
            "interrupted: task {id} lived in the --mock service, which ends with this process"
        );
    }
    let output = output
        .map(|path| format!(" -o {}", path.display()))
        .unwrap_or_default();
    format!(
        "interrupted: task {id} goes on at anyfast. Resume with: anyfast-video {command} {id}{output}"
    )
}
