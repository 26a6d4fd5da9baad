//! A task's life as every command lives it, recorded in the journal: the row written before
//! the create is sent, the create, the wait with each status, the download, the end.

use std::path::Path;
use std::sync::Arc;

use anyfast_video::{
    Client, CreateOptions, DownloadOptions, Error, Task, VideoRequest, WaitOptions,
};

use crate::exit::Failure;
use crate::journal::{self, NewEntry, State, Tracker};

/// Who hears about a task's progress (a bar, a line per change, a batch's counters).
pub trait Reporter: Send + Sync {
    /// A new status or progress.
    fn task(&self, task: &Task);
    /// The download starts.
    fn downloading(&self) {}
    /// More bytes arrived.
    fn downloaded(&self, _progress: anyfast_video::DownloadProgress) {}
    /// The wait or the download is over.
    fn finished(&self) {}
}

/// Records the row, then creates the task with the row's key as its `Idempotency-Key`. The
/// row is written first: if it cannot be, nothing is sent.
pub async fn create(
    client: &Client,
    tracker: &Tracker,
    request: VideoRequest,
    entry: NewEntry,
) -> Result<Task, Failure> {
    if let Some(journal) = tracker.journal() {
        journal.begin(&entry).await.map_err(|error| {
            Failure::File(format!(
                "cannot write the task journal{}: {error}; nothing was sent (pass --no-journal to go without)",
                journal
                    .path()
                    .map(|path| format!(" {}", path.display()))
                    .unwrap_or_default()
            ))
        })?;
    }
    let options = CreateOptions::default().idempotency_key(tracker.key());
    match client.videos().create_with(request, options).await {
        Ok(task) => {
            let assets = (!task.uploaded_assets.is_empty()).then(|| {
                let ids: Vec<&str> = task
                    .uploaded_assets
                    .iter()
                    .map(|upload| upload.asset_id.as_str())
                    .collect();
                serde_json::json!(ids).to_string()
            });
            // Durable before the wait starts: a task must never be known only to a process
            // that may be killed next.
            if let Some(journal) = tracker.journal()
                && let Err(error) = journal
                    .created(tracker.key(), &task.id, assets.as_deref())
                    .await
            {
                journal::warn_unrecorded(&error);
            }
            Ok(task)
        }
        Err(error) => {
            let state = state_of_failed_create(&error);
            tracker.write(|journal, key| {
                journal.set_state(key, state, Some(&error.to_string()), error.task_id())
            });
            Err(error.into())
        }
    }
}

/// What a failed create leaves behind.
pub fn state_of_failed_create(error: &Error) -> State {
    match error {
        Error::CreateOutcomeUnknown { .. } => State::Unknown,
        Error::Api { .. } => State::Refused,
        // Refused before sending (validation, a local file, the set-up), or provably not
        // processed (429 and refused connections, after their retries).
        _ => State::NotSent,
    }
}

/// Where a finished task's files go.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outputs<'a> {
    pub video: Option<&'a Path>,
    pub last_frame: Option<&'a Path>,
}

/// What became of a task that was waited for.
pub struct Finished {
    pub task: Task,
    /// The video's size, when it was saved.
    pub bytes: Option<u64>,
}

/// Waits for task `id` and saves its files, recording each status and the end in the
/// journal. `wait` is the caller's cadence; its own progress callback is replaced.
pub async fn finish(
    client: &Client,
    tracker: &Tracker,
    id: &str,
    wait: WaitOptions,
    outputs: Outputs<'_>,
    reporter: Arc<dyn Reporter>,
) -> Result<Finished, Failure> {
    tracker.write(|journal, key| journal.set_state(key, State::Waiting, None, None));
    let on_status = {
        let (tracker, reporter) = (tracker.clone(), reporter.clone());
        move |task: &Task| {
            tracker
                .write(|journal, key| journal.status(key, &task.status.to_string(), task.progress));
            reporter.task(task);
        }
    };
    let waited = client.videos().wait(id, wait.on_progress(on_status)).await;
    reporter.finished();
    let task = waited.map_err(|error| ended_with(tracker, error))?;
    save(client, tracker, task, outputs, reporter).await
}

/// Saves a finished task's files (none when `outputs` names none), recording the end.
pub async fn save(
    client: &Client,
    tracker: &Tracker,
    task: Task,
    outputs: Outputs<'_>,
    reporter: Arc<dyn Reporter>,
) -> Result<Finished, Failure> {
    let Some(video) = outputs.video else {
        tracker.write(|journal, key| journal.set_state(key, State::Done, None, None));
        return Ok(Finished { task, bytes: None });
    };
    tracker.write(|journal, key| journal.set_state(key, State::Downloading, None, None));
    reporter.downloading();
    let options = {
        let reporter = reporter.clone();
        DownloadOptions::default().on_progress(move |progress| reporter.downloaded(progress))
    };
    let downloaded = client
        .videos()
        .download_with(&task, video, options)
        .await
        .map_err(|error| ended_with(tracker, error))?;
    reporter.finished();
    if let Some(frame) = outputs.last_frame {
        client
            .videos()
            .download_last_frame(&task, frame)
            .await
            .map_err(|error| ended_with(tracker, error))?;
    }
    tracker.write(|journal, key| journal.set_state(key, State::Done, None, None));
    Ok(Finished {
        task,
        bytes: Some(downloaded.bytes),
    })
}

/// Records how a wait or a download ended in error, and returns the failure.
fn ended_with(tracker: &Tracker, error: Error) -> Failure {
    let state = match &error {
        Error::TaskFailed { .. } => State::Failed,
        Error::WaitTimeout { .. } => State::TimedOut,
        _ => State::Error,
    };
    tracker.write(|journal, key| journal.set_state(key, state, Some(&error.to_string()), None));
    error.into()
}

/// A short fingerprint of what a request asks for, for the journal.
pub fn fingerprint(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
