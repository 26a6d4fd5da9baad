//! The journal's commands: `tasks` lists what it recorded, `resume` finishes what was left
//! unfinished (and what another process is finishing, once it is done with it).

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use anyfast_video_tasks::{
    Action, Error, Finished, IfHeld, RecoverOptions, TaskOptions, TaskQuery, TaskRecord, TaskState,
    TaskStore,
};
use serde_json::{Value, json};

use super::Context;
use super::task::{wait_options, watched};
use crate::args::WaitArgs;
use crate::exit::Failure;
use crate::interrupt::interruptible;
use crate::output::{Report, saved_json, task_json};
use crate::progress::Progress;

pub async fn list(journal: Option<&TaskStore>, limit: usize) -> Result<Report, Failure> {
    let journal = journal.ok_or_else(no_journal)?;
    let records = journal
        .list(&TaskQuery::recent(limit))
        .await
        .map_err(unreadable)?;
    let now = unix_now();
    let human = if records.is_empty() {
        "no tasks in the journal".to_string()
    } else {
        let mut lines = vec![format!(
            "{:<32}  {:>6}  {:<11}  {:<28}  PROMPT",
            "ID", "AGE", "STATE", "OUTPUT"
        )];
        lines.extend(records.iter().map(|record| row(record, now)));
        lines.join("\n")
    };
    let mut json = Vec::with_capacity(records.len());
    for record in &records {
        let mut task = record_json(record);
        let seen = journal.statuses(&record.key).await.unwrap_or_default();
        task["statuses"] = seen
            .into_iter()
            .map(|seen| json!({"status": seen.status, "progress": seen.progress}))
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
    let tasks = context.tasks.ok_or_else(no_journal)?;
    let journal = tasks.store();
    let wait = wait_options(context, wait, true);
    let Some(id) = id else {
        return resume_all(context, concurrency, wait).await;
    };
    let record = match journal.get(id).await.map_err(unreadable)? {
        Some(record) => record,
        None => tasks.find(id).await.map_err(unreadable)?.ok_or_else(|| {
            Failure::Usage(format!(
                "{id} is not in the task journal; wait for it with `anyfast-video wait {id} -o PATH`"
            ))
        })?,
    };
    // A task that ended needs nothing more: resuming it again (a second `resume`, or one beside
    // the process that finished it) reports how it ended, as `wait` does.
    match record.state {
        TaskState::Done if !record.video_needs_saving() => return Ok(already_done(&record)),
        TaskState::Failed => {
            return Err(anyfast_video::Error::TaskFailed {
                task_id: record.task_id.clone().unwrap_or_default(),
                reason: record.error.clone().unwrap_or_else(|| "failed".into()),
                code: None,
            }
            .into());
        }
        _ => {}
    }
    if let Some(why) = not_resumable(&record) {
        return Err(Failure::Usage(why));
    }
    let task_id = record.task_id.clone().unwrap_or_default();
    eprintln!("resuming task {task_id}");
    let progress = Progress::new();
    let known = Arc::new(Mutex::new(Some(task_id.clone())));
    let options = watched(TaskOptions::default(), &progress, &known, wait);
    let tasks = context.tasks.ok_or_else(no_journal)?;
    let finishing = tasks.finish(&record.key, None, options);
    let interrupted = || context.resume.interrupted("resume", &task_id, None);
    let finished = interruptible(finishing, interrupted).await??;
    progress.finish();
    let report = finished_json(&finished);
    Ok(Report {
        human: finished_line(&finished),
        json: Value::Array(vec![report]),
    })
}

/// Every unfinished task of the journal (and every done one whose video went missing here):
/// those another live process holds are waited for, the others finished here.
async fn resume_all(
    context: &Context<'_>,
    concurrency: u32,
    wait: anyfast_video::WaitOptions,
) -> Result<Report, Failure> {
    let options = RecoverOptions::default()
        .concurrency(concurrency as usize)
        .if_held(IfHeld::Wait)
        .check_done(true)
        .wait(wait)
        .on_held(|holder, task_id| {
            eprintln!(
                "{} is being finished by {holder}; waiting for it",
                task_id.unwrap_or("a task")
            );
        });
    let interrupted = || {
        Failure::interrupted(
            "interrupted: the unfinished tasks stay in the journal; run resume again",
            None,
        )
    };
    let tasks = context.tasks.ok_or_else(no_journal)?;
    let recovering = tasks.recover(options);
    let recovered = interruptible(recovering, interrupted).await??;
    // A create whose outcome is unknown stays so: listed by `tasks`, never sent again.
    let recovered: Vec<_> = recovered
        .into_iter()
        .filter(|recovered| {
            !matches!(
                recovered.result,
                Err(Error::Video(
                    anyfast_video::Error::CreateOutcomeUnknown { .. }
                ))
            )
        })
        .collect();
    if recovered.is_empty() {
        return Ok(Report {
            json: json!([]),
            human: "nothing to resume".into(),
        });
    }
    let mut reports = Vec::new();
    let mut lines = Vec::new();
    let mut first_failure = None;
    for recovered in recovered {
        match recovered.result {
            Ok(finished) => {
                lines.push(finished_line(&finished));
                reports.push(finished_json(&finished));
            }
            Err(error) => {
                let failure = Failure::Client(error);
                eprintln!("error: {}", failure.message());
                lines.push(failure.message());
                reports.push(failure.to_json());
                first_failure.get_or_insert(failure);
            }
        }
    }
    let human = lines.join("\n");
    match first_failure {
        // Several tasks: the report lists every one; the exit code says one failed.
        Some(failure) => Err(Failure::Summary {
            message: format!(
                "{} of the resumed tasks did not finish",
                reports
                    .iter()
                    .filter(|report| report.get("error").is_some())
                    .count()
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

/// The report of `resume ID` on a record that is done, its video (if it has one) where the
/// record says.
fn already_done(record: &TaskRecord) -> Report {
    let id = record.task_id.clone().unwrap_or_else(|| record.key.clone());
    let path = record.output.as_ref().map(|path| path.to_string_lossy());
    let mut human = format!("task {id} is done already");
    if let Some(path) = &path {
        human.push_str(&format!(": {path}"));
    }
    let mut json = json!({
        "id": id,
        "path": path,
        "bytes": record.output_bytes,
        "action": "already done",
    });
    if let Some(holder) = &record.ended_by {
        human.push_str(&format!(" (finished by {holder})"));
        json["finished_by"] = json!({"host": holder.host, "pid": holder.pid});
    }
    Report {
        json: Value::Array(vec![json]),
        human,
    }
}

/// A finished task as one line: its file (or id), and who finished it when it was not this
/// process.
fn finished_line(finished: &Finished) -> String {
    let what = finished
        .video
        .as_ref()
        .map(|video| video.path.display().to_string())
        .unwrap_or_else(|| finished.task_id.clone());
    match (&finished.action, &finished.ended_by) {
        (Action::AlreadyDone, Some(holder)) => {
            format!("{what} (task {} finished by {holder})", finished.task_id)
        }
        _ => what,
    }
}

fn finished_json(finished: &Finished) -> Value {
    let mut report = match (&finished.task, &finished.video) {
        (Some(task), Some(video)) => saved_json(task, &video.path, video.bytes),
        (Some(task), None) => task_json(task),
        (None, video) => json!({
            "id": finished.task_id,
            "path": video.as_ref().map(|video| video.path.to_string_lossy()),
            "bytes": video.as_ref().map(|video| video.bytes),
        }),
    };
    report["action"] = json!(match finished.action {
        Action::Created => "created",
        Action::Resumed => "resumed",
        _ => "already done",
    });
    if let Some(holder) = &finished.ended_by {
        report["finished_by"] = json!({"host": holder.host, "pid": holder.pid});
    }
    report
}

/// Why `resume ID` will not touch a record, if it will not (done and failed ones are reported
/// before).
fn not_resumable(record: &TaskRecord) -> Option<String> {
    let id = record.task_id.as_deref().unwrap_or(&record.key);
    Some(match record.state {
        state if state.is_resumable() => return None,
        TaskState::Done => return None,
        TaskState::Sending | TaskState::Unknown => format!(
            "the create of {id} has an unknown outcome: the task may exist, and is never created again unasked{}",
            record
                .task_id
                .as_deref()
                .map(|task| format!(
                    " (the answer named {task}; try `anyfast-video status {task}`)"
                ))
                .unwrap_or_default()
        ),
        TaskState::NotSent | TaskState::Refused => {
            format!("{id} was never created: nothing to resume")
        }
        state => format!("task {id} cannot be resumed ({state})"),
    })
}

fn no_journal() -> Failure {
    Failure::Usage("there is no task journal (--no-journal); nothing is recorded".into())
}

fn unreadable(error: Error) -> Failure {
    Failure::File(format!("cannot read the task journal: {error}"))
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or_default()
}

/// A record as one line of the `tasks` table.
fn row(record: &TaskRecord, now: i64) -> String {
    let id = record.task_id.as_deref().unwrap_or(match record.state {
        TaskState::Sending | TaskState::Unknown => "(outcome unknown)",
        _ => "(none)",
    });
    let output = record
        .output
        .as_ref()
        .map(|path| path.display().to_string())
        .unwrap_or_default();
    let prompt: String = record
        .prompt
        .as_deref()
        .unwrap_or_default()
        .chars()
        .take(40)
        .collect();
    let state = match record.current_holder() {
        Some(holder) if holder.lease_left().is_some() => {
            format!("{} (pid {})", record.state, holder.pid)
        }
        _ => record.state.to_string(),
    };
    format!(
        "{id:<32}  {:>6}  {state:<11}  {:<28}  {prompt}",
        age(now - record.created_at),
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

fn record_json(record: &TaskRecord) -> Value {
    json!({
        "id": record.task_id,
        "key": record.key,
        "state": record.state.as_str(),
        "status": record.status,
        "progress": record.progress,
        "prompt": record.prompt,
        "output": record.output.as_ref().map(|path| path.to_string_lossy()),
        "output_bytes": record.output_bytes,
        "last_frame": record.last_frame.as_ref().map(|path| path.to_string_lossy()),
        "base_url": record.base_url,
        "batch": record.batch,
        "line": record.line,
        "assets": record.assets,
        "error": record.error,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "holder": record.holder.as_ref().map(|holder| json!({
            "host": holder.host,
            "pid": holder.pid,
            "holding": holder.holding,
            "lease_left_ms": holder.lease_left().map(|left| left.as_millis() as u64),
        })),
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
