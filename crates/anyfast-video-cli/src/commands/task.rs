//! The commands about one task: generate, create, status, wait, download.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyfast_video::{Task, VideoRequest, WaitOptions, new_idempotency_key};

use super::Context;
use crate::args::{OptionalOutputArgs, OutputArgs, RequestArgs, WaitArgs};
use crate::exit::Failure;
use crate::interrupt::{during_create, interruptible};
use crate::journal::{NewEntry, Tracker};
use crate::lifecycle::{self, Finished, Outputs, fingerprint};
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
        video: Some(&output.path),
        last_frame: output.last_frame.as_deref(),
    };
    check_outputs(outputs, output.force)?;
    let prompt = request.prompt.clone();
    let request = request.to_request(output.last_frame.is_some())?;
    let progress = Arc::new(Progress::new());
    let (created, tracker) = create_recorded(context, request, prompt, outputs).await?;
    progress.task(&created);
    let finishing = lifecycle::finish(
        context.client,
        &tracker,
        &created.id,
        wait_options(context, wait, false),
        outputs,
        progress,
    );
    let hint = || {
        context
            .resume
            .interrupted("wait", &created.id, Some(&output.path))
    };
    let finished = interruptible(finishing, hint).await??;
    Ok(saved(&finished, outputs))
}

pub async fn create(context: &Context<'_>, request: &RequestArgs) -> Result<Report, Failure> {
    let prompt = request.prompt.clone();
    let request = request.to_request(false)?;
    let (task, _) = create_recorded(context, request, prompt, Outputs::default()).await?;
    Ok(Report {
        json: task_json(&task),
        human: task.id,
    })
}

pub async fn status(context: &Context<'_>, id: &str) -> Result<Report, Failure> {
    let task = context.client.videos().get(id).await?;
    tracker_of(context, id)
        .await
        .write(|journal, key| journal.status(key, &task.status.to_string(), task.progress));
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
        video: output.path.as_deref(),
        last_frame: output.last_frame.as_deref(),
    };
    check_outputs(outputs, output.force)?;
    let progress = Arc::new(Progress::new());
    let tracker = tracker_of(context, id).await;
    let finishing = lifecycle::finish(
        context.client,
        &tracker,
        id,
        wait_options(context, wait, true),
        outputs,
        progress,
    );
    let hint = || context.resume.interrupted("wait", id, outputs.video);
    let finished = interruptible(finishing, hint).await??;
    Ok(saved(&finished, outputs))
}

pub async fn download(
    context: &Context<'_>,
    id: &str,
    output: &OutputArgs,
) -> Result<Report, Failure> {
    let outputs = Outputs {
        video: Some(&output.path),
        last_frame: output.last_frame.as_deref(),
    };
    check_outputs(outputs, output.force)?;
    let task = context.client.videos().get(id).await?;
    let progress = Arc::new(Progress::new());
    let tracker = tracker_of(context, id).await;
    let saving = lifecycle::save(context.client, &tracker, task, outputs, progress);
    let hint = || {
        context
            .resume
            .interrupted("download", id, Some(&output.path))
    };
    let finished = interruptible(saving, hint).await??;
    Ok(saved(&finished, outputs))
}

/// Creates the task behind a journal row written first; Ctrl-C meanwhile says that a task may
/// exist anyway.
async fn create_recorded(
    context: &Context<'_>,
    request: VideoRequest,
    prompt: Option<String>,
    outputs: Outputs<'_>,
) -> Result<(Task, Tracker), Failure> {
    let tracker = Tracker::new(context.journal.clone(), new_idempotency_key());
    let entry = NewEntry {
        key: tracker.key().to_string(),
        request_hash: fingerprint(&format!("{request:?}")),
        prompt,
        output: outputs.video.map(absolute),
        last_frame: outputs.last_frame.map(absolute),
        base_url: context.client.base_url().to_string(),
        batch: None,
        line: None,
    };
    let creating = lifecycle::create(context.client, &tracker, request, entry);
    let task = interruptible(creating, during_create).await??;
    for upload in &task.uploaded_assets {
        eprintln!(
            "uploaded {} as asset://{}",
            upload.path.display(),
            upload.asset_id
        );
    }
    Ok((task, tracker))
}

/// The journal row of a task this program created earlier, if there is one; without one,
/// nothing is recorded.
async fn tracker_of(context: &Context<'_>, id: &str) -> Tracker {
    let row = match context.journal.as_deref() {
        Some(journal) => journal.by_task_id(id).await.ok().flatten(),
        None => None,
    };
    match row {
        Some(row) => Tracker::new(context.journal.clone(), row.key),
        None => Tracker::new(None, String::new()),
    }
}

/// The path as an absolute one, so that `resume` finds it from any folder.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Checks every file a command will write, before anything is sent.
fn check_outputs(outputs: Outputs<'_>, force: bool) -> Result<(), Failure> {
    for path in outputs.video.into_iter().chain(outputs.last_frame) {
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

/// The report of a finished task: the task, and the files saved.
fn saved(finished: &Finished, outputs: Outputs<'_>) -> Report {
    let (Some(video), Some(bytes)) = (outputs.video, finished.bytes) else {
        return Report {
            json: task_json(&finished.task),
            human: task_text(&finished.task),
        };
    };
    let mut json = saved_json(&finished.task, video, bytes);
    let mut human = video.display().to_string();
    if let Some(frame) = outputs.last_frame {
        json["last_frame_path"] = serde_json::json!(frame.to_string_lossy());
        human.push('\n');
        human.push_str(&frame.display().to_string());
    }
    Report { json, human }
}
