//! The journal's commands: `tasks` lists what it recorded, `resume` finishes what was left
//! unfinished.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use serde_json::{Value, json};

use super::Context;
use super::task::wait_options;
use crate::args::WaitArgs;
use crate::exit::Failure;
use crate::interrupt::interruptible;
use crate::journal::{Entry, Journal, State, Tracker};
use crate::lifecycle::{self, Outputs};
use crate::output::Report;
use crate::progress::Progress;

pub async fn list(journal: Option<&Journal>, limit: usize) -> Result<Report, Failure> {
    let journal = journal.ok_or_else(no_journal)?;
    let entries = journal
        .recent(limit)
        .await
        .map_err(|error| Failure::File(format!("cannot read the task journal: {error}")))?;
    let now = unix_now();
    let human = if entries.is_empty() {
        "no tasks in the journal".to_string()
    } else {
        let mut lines = vec![format!(
            "{:<32}  {:>6}  {:<11}  {:<28}  PROMPT",
            "ID", "AGE", "STATE", "OUTPUT"
        )];
        lines.extend(entries.iter().map(|entry| row(entry, now)));
        lines.join("\n")
    };
    let mut json = Vec::with_capacity(entries.len());
    for entry in &entries {
        let mut task = entry_json(entry);
        let seen = journal.statuses(&entry.key).await.unwrap_or_default();
        task["statuses"] = seen
            .into_iter()
            .map(|(status, progress)| json!({"status": status, "progress": progress}))
            .collect();
        json.push(task);
    }
    Ok(Report {
        json: json.into(),
        human,
    })
}

pub async fn resume(
    context: &Context<'_>,
    id: Option<&str>,
    concurrency: u32,
    wait: &WaitArgs,
) -> Result<Report, Failure> {
    let journal = context.journal.as_deref().ok_or_else(no_journal)?;
    let read = |error| Failure::File(format!("cannot read the task journal: {error}"));
    let entries = match id {
        None => journal.resumable().await.map_err(read)?,
        Some(id) => {
            let by_key = journal.by_key(id).await.map_err(read)?;
            let entry = journal
                .by_task_id(id)
                .await
                .map_err(read)?
                .or(by_key)
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "{id} is not in the task journal; wait for it with `anyfast-video wait {id} -o PATH`"
                    ))
                })?;
            if !entry.state.is_resumable() {
                return Err(Failure::Usage(not_resumable(&entry)));
            }
            vec![entry]
        }
    };
    if entries.is_empty() {
        return Ok(Report {
            json: json!([]),
            human: "nothing to resume".into(),
        });
    }
    let base_url = context.client.base_url();
    for entry in entries.iter().filter(|entry| entry.base_url != base_url) {
        eprintln!(
            "warning: task {} was created on {}, and is resumed on {base_url}",
            entry.task_id.as_deref().unwrap_or("?"),
            entry.base_url
        );
    }
    let single = entries.len() == 1;
    let runs = futures_util::stream::iter(entries)
        .map(|entry| resume_one(context, entry, wait, single))
        .buffer_unordered(concurrency as usize);
    let finishing = runs.collect::<Vec<_>>();
    let interrupted = || Failure::Interrupted {
        message: "interrupted: the unfinished tasks stay in the journal; run resume again".into(),
        task_id: None,
    };
    let results = interruptible(finishing, interrupted).await?;
    let mut reports = Vec::new();
    let mut first_failure = None;
    for result in results {
        match result {
            Ok(report) => reports.push(report),
            Err(failure) => {
                eprintln!("error: {}", failure.message());
                reports.push(failure.to_json());
                first_failure.get_or_insert(failure);
            }
        }
    }
    if single && let Some(failure) = first_failure {
        return Err(failure);
    }
    let human = reports
        .iter()
        .map(|report| {
            report["path"]
                .as_str()
                .or(report["id"].as_str())
                .map(str::to_string)
                .unwrap_or_else(|| report.to_string())
        })
        .collect::<Vec<_>>()
        .join("\n");
    match first_failure {
        // Several tasks: the report lists every one; the exit code says one failed.
        Some(failure) => Err(Failure::Summary {
            message: format!(
                "{} of the resumed tasks did not finish",
                failure_count(&reports)
            ),
            code: failure.code(),
            report: Value::Array(reports),
            human,
        }),
        None => Ok(Report {
            json: Value::Array(reports),
            human,
        }),
    }
}

fn failure_count(reports: &[Value]) -> usize {
    reports
        .iter()
        .filter(|report| report.get("error").is_some())
        .count()
}

/// Waits for one journal row's task and saves its files where the row says.
async fn resume_one(
    context: &Context<'_>,
    entry: Entry,
    wait: &WaitArgs,
    single: bool,
) -> Result<Value, Failure> {
    let id = entry.task_id.clone().unwrap_or_default();
    let tracker = Tracker::new(context.journal.clone(), entry.key.clone());
    let outputs = Outputs {
        video: entry.output.as_deref(),
        last_frame: entry.last_frame.as_deref(),
    };
    for path in outputs.video.into_iter().chain(outputs.last_frame) {
        // Finished earlier by another process (or by hand): only the journal is behind.
        if entry.state == State::Downloading && path.exists() {
            continue;
        }
        crate::output_file::check_writable(path, true)?;
    }
    eprintln!("resuming task {id}");
    let progress: Arc<dyn lifecycle::Reporter> = if single {
        Arc::new(Progress::new())
    } else {
        Arc::new(Quiet)
    };
    let finished = lifecycle::finish(
        context.client,
        &tracker,
        &id,
        wait_options(context, wait, true),
        outputs,
        progress,
    )
    .await?;
    let mut report = crate::output::task_json(&finished.task);
    if let (Some(video), Some(bytes)) = (outputs.video, finished.bytes) {
        report = crate::output::saved_json(&finished.task, video, bytes);
    }
    Ok(report)
}

/// Progress of many tasks at once is not drawn task by task.
struct Quiet;

impl lifecycle::Reporter for Quiet {
    fn task(&self, _task: &anyfast_video::Task) {}
}

fn not_resumable(entry: &Entry) -> String {
    let id = entry.task_id.as_deref().unwrap_or(&entry.key);
    match entry.state {
        State::Done => format!("task {id} is done already"),
        State::Failed => format!("task {id} failed: {}", entry.error.as_deref().unwrap_or("")),
        State::Sending | State::Unknown => format!(
            "the create of {id} has an unknown outcome: the task may exist, and is never created again unasked{}",
            entry
                .task_id
                .as_deref()
                .map(|task| format!(
                    " (the answer named {task}; try `anyfast-video status {task}`)"
                ))
                .unwrap_or_default()
        ),
        State::NotSent | State::Refused => format!("{id} was never created: nothing to resume"),
        _ => format!("task {id} cannot be resumed ({})", entry.state),
    }
}

fn no_journal() -> Failure {
    Failure::Usage("there is no task journal (--no-journal); nothing is recorded".into())
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or_default()
}

/// An entry as one line of the `tasks` table.
fn row(entry: &Entry, now: i64) -> String {
    let id = entry.task_id.as_deref().unwrap_or(match entry.state {
        State::Sending | State::Unknown => "(outcome unknown)",
        _ => "(none)",
    });
    let output = entry
        .output
        .as_ref()
        .map(|path| path.display().to_string())
        .unwrap_or_default();
    let prompt: String = entry
        .prompt
        .as_deref()
        .unwrap_or_default()
        .chars()
        .take(40)
        .collect();
    format!(
        "{id:<32}  {:>6}  {:<11}  {:<28}  {prompt}",
        age(now - entry.created_at),
        entry.state.as_str(),
        shorten(&output, 28)
    )
}

/// `42s`, `7m`, `3h`, `2d`.
fn age(seconds: i64) -> String {
    match seconds.max(0) {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

/// The end of `text`, at most `width` characters.
fn shorten(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        return text.to_string();
    }
    let tail: String = text.chars().skip(count - (width - 1)).collect();
    format!("…{tail}")
}

fn entry_json(entry: &Entry) -> Value {
    json!({
        "id": entry.task_id,
        "key": entry.key,
        "state": entry.state.as_str(),
        "status": entry.status,
        "progress": entry.progress,
        "prompt": entry.prompt,
        "output": entry.output.as_ref().map(|path| path.to_string_lossy()),
        "last_frame": entry.last_frame.as_ref().map(|path| path.to_string_lossy()),
        "base_url": entry.base_url,
        "batch": entry.batch,
        "line": entry.line,
        "assets": entry.assets.as_deref().and_then(|text| serde_json::from_str::<Value>(text).ok()),
        "error": entry.error,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_long_paths_read_at_a_glance() {
        assert_eq!(
            [age(5), age(300), age(7200), age(200_000)],
            ["5s", "5m", "2h", "2d"]
        );
        assert_eq!(shorten("abc", 5), "abc");
        assert_eq!(shorten("/very/long/path/cat.mp4", 9), "…/cat.mp4");
    }
}
