//! The commands: generate, create, status, wait, download.

use std::future::Future;
use std::path::Path;
use std::time::Duration;

use anyfast_video::{Client, DownloadOptions, Task, WaitOptions};

use crate::args::{Command, Global, RequestArgs, WaitArgs};
use crate::connect::Connection;
use crate::exit::Failure;
use crate::output::{Report, saved_json, task_json, task_text};
use crate::output_file::check_writable;
use crate::progress::Progress;

pub async fn run(
    command: &Command,
    connection: &Connection,
    global: &Global,
) -> Result<Report, Failure> {
    let client = &connection.client;
    let resume = Resume {
        global,
        mocked: connection.is_mock(),
    };
    match command {
        Command::Generate {
            request,
            output,
            wait,
        } => {
            check_writable(&output.path, output.force)?;
            let progress = Progress::new();
            let created = create(client, request).await?;
            progress.task(&created);
            let path = output.path.as_path();
            let done = wait_for(client, &created.id, wait, &progress, Some(path), &resume).await?;
            let bytes = download(client, &done, path, &progress, &resume).await?;
            Ok(Report {
                json: saved_json(&done, path, bytes),
                human: path.display().to_string(),
            })
        }
        Command::Create { request } => {
            let task = create(client, request).await?;
            Ok(Report {
                json: task_json(&task),
                human: task.id,
            })
        }
        Command::Status { id } => {
            let task = client.videos().get(id).await?;
            Ok(Report {
                json: task_json(&task),
                human: task_text(&task),
            })
        }
        Command::Wait { id, output, wait } => {
            if let Some(path) = &output.path {
                check_writable(path, output.force)?;
            }
            let progress = Progress::new();
            let path = output.path.as_deref();
            let done = wait_for(client, id, wait, &progress, path, &resume).await?;
            match path {
                Some(path) => {
                    let bytes = download(client, &done, path, &progress, &resume).await?;
                    Ok(Report {
                        json: saved_json(&done, path, bytes),
                        human: path.display().to_string(),
                    })
                }
                None => Ok(Report {
                    json: task_json(&done),
                    human: task_text(&done),
                }),
            }
        }
        Command::Download { id, output } => {
            check_writable(&output.path, output.force)?;
            let task = client.videos().get(id).await?;
            let progress = Progress::new();
            let path = output.path.as_path();
            let bytes = download(client, &task, path, &progress, &resume).await?;
            Ok(Report {
                json: saved_json(&task, path, bytes),
                human: path.display().to_string(),
            })
        }
    }
}

/// Creates the task; Ctrl-C meanwhile says that it may exist anyway.
async fn create(client: &Client, request: &RequestArgs) -> Result<Task, Failure> {
    let interrupted = || {
        Failure::Interrupted {
        message: "interrupted during the create: a task may have been created anyway; look before creating it again".into(),
        task_id: None,
    }
    };
    Ok(interruptible(client.videos().create(request.to_request()), interrupted).await??)
}

async fn wait_for(
    client: &Client,
    id: &str,
    wait: &WaitArgs,
    progress: &Progress,
    output: Option<&Path>,
    resume: &Resume<'_>,
) -> Result<Task, Failure> {
    let reporter = progress.clone();
    let options = WaitOptions::default()
        .poll_interval(Duration::from_secs_f64(wait.poll_interval.max(0.01)))
        .timeout(Duration::from_secs(wait.timeout * 60))
        .on_progress(move |task| reporter.task(task));
    let hint = || resume.interrupted("wait", id, output);
    let done = interruptible(client.videos().wait(id, options), hint).await?;
    progress.finish();
    Ok(done?)
}

async fn download(
    client: &Client,
    task: &Task,
    output: &Path,
    progress: &Progress,
    resume: &Resume<'_>,
) -> Result<u64, Failure> {
    progress.downloading();
    let reporter = progress.clone();
    let options = DownloadOptions::default().on_progress(move |p| reporter.download(p));
    let hint = || resume.interrupted("download", &task.id, Some(output));
    let downloaded =
        interruptible(client.videos().download_with(task, output, options), hint).await?;
    progress.finish();
    Ok(downloaded?.bytes)
}

/// Runs `work` unless Ctrl-C comes first; then `interrupted` says what was going on.
async fn interruptible<T>(
    work: impl Future<Output = T>,
    interrupted: impl FnOnce() -> Failure,
) -> Result<T, Failure> {
    tokio::select! {
        done = work => Ok(done),
        _ = tokio::signal::ctrl_c() => Err(interrupted()),
    }
}

/// What it takes to pick a task up again after Ctrl-C.
struct Resume<'a> {
    global: &'a Global,
    mocked: bool,
}

impl Resume<'_> {
    /// The interruption of `command` on task `id`, with the command line that resumes it.
    fn interrupted(&self, command: &str, id: &str, output: Option<&Path>) -> Failure {
        let task_id = Some(id.to_string());
        if self.mocked {
            let message = format!(
                "interrupted: task {id} lived in the --mock service, which ends with this process"
            );
            return Failure::Interrupted { message, task_id };
        }
        let mut line = format!("anyfast-video {command} {}", shell_quote(id));
        if let Some(output) = output {
            line.push_str(&format!(
                " -o {}",
                shell_quote(&output.display().to_string())
            ));
        }
        if let Some(base_url) = &self.global.base_url {
            line.push_str(&format!(" --base-url {}", shell_quote(base_url)));
        }
        if let Some(key_file) = &self.global.api_key_file {
            line.push_str(&format!(
                " --api-key-file {}",
                shell_quote(&key_file.display().to_string())
            ));
        }
        let message = format!("interrupted: task {id} goes on at anyfast. Resume with: {line}");
        Failure::Interrupted { message, task_id }
    }
}

/// `text` as one word for a POSIX shell.
fn shell_quote(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn words_a_shell_would_split_are_quoted() {
        assert_eq!(shell_quote("cgt-1"), "cgt-1");
        assert_eq!(shell_quote("out/cat.mp4"), "out/cat.mp4");
        assert_eq!(shell_quote("my cat.mp4"), "'my cat.mp4'");
        assert_eq!(shell_quote("it's.mp4"), "'it'\\''s.mp4'");
        assert_eq!(shell_quote(""), "''");
    }
}
