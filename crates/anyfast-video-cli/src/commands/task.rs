//! The commands about one task: generate, create, status, wait, download. With a journal,
//! each goes through the library's task store (a record before the create, a lease while it
//! works); without one (`--no-journal`), straight to the service.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyfast_video::{DownloadOptions, Task, WaitOptions};
use anyfast_video_tasks::{Outputs, TaskOptions};

use super::Context;
use crate::args::{OptionalOutputArgs, OutputArgs, RequestArgs, WaitArgs};
use crate::exit::Failure;
use crate::interrupt::{during_create, interruptible};
use crate::output::{Report, saved_json, task_json, task_text};
use crate::output_file::check_writable;
use crate::progress::Progress;

pub async fn generate(
    context: &Context<'_>,
    request: &RequestArgs,
    output: &OutputArgs,
    wait: &WaitArgs,
) -> Result<Report, Failure> {
    let outputs = Outputs {
        video: Some(absolute(&output.path)),
        last_frame: output.last_frame.as_deref().map(absolute),
    };
    check_outputs(&outputs, output.force)?;
    let request = request.to_request(output.last_frame.is_some())?;
    let progress = Progress::new();
    let created = Arc::new(Mutex::new(None::<String>));
    let options = watched(
        TaskOptions::default(),
        &progress,
        &created,
        wait_options(context, wait, false),
    );
    let options = match &outputs.last_frame {
        Some(frame) => options.last_frame(frame),
        None => options,
    };
    let generating = async {
        let task = match context.tasks {
            Some(tasks) => {
                let finished = tasks.generate(request, &output.path, options).await?;
                finished.task
            }
            None => Some(
                context
                    .client
                    .videos()
                    .generate_with(request, &output.path, options.into_generate())
                    .await?,
            ),
        };
        Ok::<_, Failure>(task)
    };
    let hint = || match created.lock().expect("the created task").clone() {
        Some(id) => context.resume.interrupted("wait", &id, Some(&output.path)),
        None => during_create(),
    };
    let task = interruptible(generating, hint).await??;
    progress.finish();
    saved(task.as_ref(), &output.path, output.last_frame.as_deref())
}

pub async fn create(context: &Context<'_>, request: &RequestArgs) -> Result<Report, Failure> {
    let request = request.to_request(false)?;
    let creating = async {
        let task = match context.tasks {
            Some(tasks) => {
                tasks
                    .create(request, Outputs::none(), TaskOptions::default())
                    .await?
            }
            None => context.client.videos().create(request).await?,
        };
        Ok::<_, Failure>(task)
    };
    let task = interruptible(creating, during_create).await??;
    report_uploads(&task);
    Ok(Report {
        json: task_json(&task),
        human: task.id,
    })
}

pub async fn status(context: &Context<'_>, id: &str) -> Result<Report, Failure> {
    let task = context.client.videos().get(id).await?;
    if let Some(tasks) = context.tasks
        && let Ok(Some(record)) = tasks.find(id).await
    {
        tasks
            .store()
            .record_status(&record.key, &task.status.to_string(), task.progress);
    }
    Ok(Report {
        json: task_json(&task),
        human: task_text(&task),
    })
}

pub async fn wait(
    context: &Context<'_>,
    id: &str,
    output: &OptionalOutputArgs,
    wait: &WaitArgs,
) -> Result<Report, Failure> {
    let outputs = Outputs {
        video: output.path.as_deref().map(absolute),
        last_frame: output.last_frame.as_deref().map(absolute),
    };
    check_outputs(&outputs, output.force)?;
    let hint = || {
        context
            .resume
            .interrupted("wait", id, output.path.as_deref())
    };
    let waiting = async {
        let task = finish(context, id, &outputs, wait_options(context, wait, true)).await?;
        if let Some(video) = output.path.as_deref() {
            return saved(task.as_ref(), video, output.last_frame.as_deref());
        }
        let task = match task {
            Some(task) => task,
            // The journal says the task was done already (by an earlier command, or by
            // another process that held it meanwhile), and no file was asked for: what is
            // asked for is the task's state, which the record keeps only in part (not its
            // links, which expire), so the service is asked.
            None => context.client.videos().get(id).await?,
        };
        Ok(Report {
            json: task_json(&task),
            human: task_text(&task),
        })
    };
    interruptible(waiting, hint).await?
}

pub async fn download(
    context: &Context<'_>,
    id: &str,
    output: &OutputArgs,
    wait: &WaitArgs,
) -> Result<Report, Failure> {
    let outputs = Outputs {
        video: Some(absolute(&output.path)),
        last_frame: output.last_frame.as_deref().map(absolute),
    };
    check_outputs(&outputs, output.force)?;
    let hint = || {
        context
            .resume
            .interrupted("download", id, Some(&output.path))
    };
    let cadence = wait_options(context, wait, true);
    let task = interruptible(finish(context, id, &outputs, cadence), hint).await??;
    saved(task.as_ref(), &output.path, output.last_frame.as_deref())
}

/// Waits for task `id` and saves its files: under its journal record (and lease) when the
/// journal has one, else straight from the service. `None` when the record says it was done
/// and saved there already.
async fn finish(
    context: &Context<'_>,
    id: &str,
    outputs: &Outputs,
    wait: WaitOptions,
) -> Result<Option<Task>, Failure> {
    let progress = Progress::new();
    let known = Arc::new(Mutex::new(Some(id.to_string())));
    let options = watched(TaskOptions::default(), &progress, &known, wait.clone());
    let recorded = match context.tasks {
        Some(tasks) => tasks
            .find(id)
            .await
            .ok()
            .flatten()
            .map(|record| (tasks, record)),
        None => None,
    };
    let task = match recorded {
        Some((tasks, record)) => {
            let finished = tasks
                .finish(&record.key, Some(outputs.clone()), options)
                .await?;
            match finished.task {
                // The journal says the task was saved, but this command's files are not there:
                // the record's files are on another machine (which the store leaves alone),
                // and this command asked for its own. The task is done, so no lease is
                // needed to fetch them from the service.
                None if outputs
                    .video
                    .iter()
                    .chain(&outputs.last_frame)
                    .any(|path| !path.exists()) =>
                {
                    Some(fetch(context, id, outputs, wait, &progress).await?)
                }
                task => task,
            }
        }
        None => Some(fetch(context, id, outputs, wait, &progress).await?),
    };
    progress.finish();
    Ok(task)
}

/// Waits for task `id` and saves its files straight from the service, with no record.
async fn fetch(
    context: &Context<'_>,
    id: &str,
    outputs: &Outputs,
    wait: WaitOptions,
    progress: &Progress,
) -> Result<Task, Failure> {
    let videos = context.client.videos();
    let wait = {
        let progress = progress.clone();
        wait.on_progress(move |task| progress.task(task))
    };
    let task = videos.wait(id, wait).await?;
    if let Some(video) = &outputs.video {
        let download = {
            let progress = progress.clone();
            DownloadOptions::default().on_progress(move |bytes| progress.download(bytes))
        };
        videos.download_with(&task, video, download).await?;
    }
    if let Some(frame) = &outputs.last_frame {
        videos.download_last_frame(&task, frame).await?;
    }
    Ok(task)
}

/// `options` with the progress shown as it goes, and the created task's id kept in
/// `created` (for the resume hint of an interruption).
pub fn watched(
    options: TaskOptions,
    progress: &Progress,
    created: &Arc<Mutex<Option<String>>>,
    wait: WaitOptions,
) -> TaskOptions {
    let on_created = {
        let (progress, created) = (progress.clone(), created.clone());
        move |task: &Task| {
            *created.lock().expect("the created task") = Some(task.id.clone());
            report_uploads(task);
            progress.task(task);
        }
    };
    let on_status = {
        let progress = progress.clone();
        move |task: &Task| progress.task(task)
    };
    let on_bytes = {
        let progress = progress.clone();
        move |bytes| progress.download(bytes)
    };
    options
        .on_created(on_created)
        .wait(wait.on_progress(on_status))
        .download(DownloadOptions::default().on_progress(on_bytes))
        .on_held(|holder, task_id| {
            eprintln!(
                "{} is being finished by {holder}; waiting for it",
                task_id.unwrap_or("the task")
            );
        })
}

fn report_uploads(task: &Task) {
    for upload in &task.uploaded_assets {
        eprintln!(
            "uploaded {} as asset://{}",
            upload.path.display(),
            upload.asset_id
        );
    }
}

/// The path as an absolute one, so that `resume` finds it from any folder.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Checks every file a command will write, before anything is sent.
fn check_outputs(outputs: &Outputs, force: bool) -> Result<(), Failure> {
    for path in outputs.video.iter().chain(&outputs.last_frame) {
        check_writable(path, force)?;
    }
    Ok(())
}

/// The wait's cadence: the library's (a first poll after 10 s), or the one asked for, or a quick
/// one against the in-process mock. `at_once` for a task made earlier, which may have ended.
pub fn wait_options(context: &Context<'_>, wait: &WaitArgs, at_once: bool) -> WaitOptions {
    let mut options = WaitOptions::default()
        .poll_at_once(at_once)
        .timeout(Duration::from_secs(wait.timeout * 60));
    let interval = wait
        .poll_interval
        .or(context.resume.mocked.then_some(MOCK_POLL_INTERVAL));
    if let Some(seconds) = interval {
        options = options.poll_interval(Duration::from_secs_f64(seconds));
    }
    options
}

/// The first interval between polls against `--mock`, whose tasks take 1.5 s.
const MOCK_POLL_INTERVAL: f64 = 0.25;

/// The report of a saved task: the task (when this process saw it: not when the journal said
/// it was saved there already), and the files saved (as they were named).
fn saved(task: Option<&Task>, video: &Path, frame: Option<&Path>) -> Result<Report, Failure> {
    let bytes = std::fs::metadata(video)
        .map_err(|error| Failure::File(format!("{}: {error}", video.display())))?
        .len();
    let mut json = match task {
        Some(task) => saved_json(task, video, bytes),
        None => serde_json::json!({"path": video.to_string_lossy(), "bytes": bytes}),
    };
    let mut human = video.display().to_string();
    if let Some(frame) = frame {
        json["last_frame_path"] = serde_json::json!(frame.to_string_lossy());
        human.push('\n');
        human.push_str(&frame.display().to_string());
    }
    Ok(Report { json, human })
}
