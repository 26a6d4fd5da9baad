//! `anyfast-video batch FILE.jsonl --out-dir DIR`: one video per line, any number of lines, in
//! bounded memory, resumable by rerunning the same command.
//!
//! Each line's create is keyed by the file, the line's number and its text: that key is both
//! the journal row's key and the create's `Idempotency-Key`, so a rerun knows which lines were
//! finished, which are running, which were never sent, and which may have been sent.

use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyfast_video::VideoRequest;
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use tokio::io::AsyncBufReadExt;

use super::Context;
use super::task::{absolute, wait_options};
use crate::args::BatchArgs;
use crate::exit::Failure;
use crate::interrupt::interruptible;
use crate::journal::{Entry, NewEntry, State, Tracker};
use crate::lifecycle::{self, Outputs, fingerprint};
use crate::output::Report;

/// At most this many failures are kept for the summary; the rest are counted (and in the
/// journal).
const LISTED_FAILURES: usize = 1000;

/// How one line ended in this run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    /// Its video is saved (now, or by an earlier run).
    Done,
    /// No video: the task failed, the line is invalid, or something went wrong.
    Failed,
    /// Its create may have made a task: left alone.
    Unknown,
}

/// One finished line.
#[derive(Debug)]
struct LineOutcome {
    line: u64,
    ending: Ending,
    /// What happened: created, resumed, skipped, invalid, ...
    action: &'static str,
    task_id: Option<String>,
    output: Option<PathBuf>,
    detail: Option<String>,
}

impl LineOutcome {
    fn json(&self) -> Value {
        json!({
            "line": self.line,
            "result": match self.ending {
                Ending::Done => "done",
                Ending::Failed => "failed",
                Ending::Unknown => "unknown",
            },
            "action": self.action,
            "id": self.task_id,
            "path": self.output.as_ref().map(|path| path.to_string_lossy()),
            "error": self.detail,
        })
    }
}

pub async fn run(context: &Context<'_>, args: &BatchArgs) -> Result<Report, Failure> {
    let file = std::fs::canonicalize(&args.file)
        .map_err(|error| Failure::File(format!("{}: {error}", args.file.display())))?;
    std::fs::create_dir_all(&args.out_dir)
        .map_err(|error| Failure::File(format!("{}: {error}", args.out_dir.display())))?;
    if context.journal.is_none() {
        eprintln!(
            "warning: without a journal a rerun cannot tell which lines were sent; only lines whose output exists are skipped"
        );
    }
    let id = fingerprint(&file.to_string_lossy());
    let rerun = match context.journal.as_deref() {
        Some(journal) => journal
            .has_batch(&id)
            .await
            .map_err(|error| Failure::File(format!("cannot read the task journal: {error}")))?,
        None => false,
    };
    let batch = BatchRun { id, rerun };
    let total = count_lines(&file).await?;
    let board = Arc::new(Board::new(total, context.global.json));
    let lines = read_lines(&file).await?;
    let runs = lines
        .map(|(number, text)| run_line(context, args, &batch, number, text, board.clone()))
        .buffer_unordered(args.concurrency as usize);
    let collecting = runs.fold(Summary::default(), |mut summary, outcome| {
        board.finished(&outcome);
        if context.global.json {
            println!("{}", outcome.json());
        }
        summary.add(outcome);
        async move { summary }
    });
    let interrupted = || Failure::Interrupted {
        message: format!(
            "interrupted: rerun the same command to finish ({} of {total} lines were done)",
            board.done.load(Ordering::Relaxed)
        ),
        task_id: None,
    };
    let summary = interruptible(collecting, interrupted).await?;
    board.clear();
    summary.report(total)
}

/// The batch file, as the journal knows it.
struct BatchRun {
    /// Its identity (from its path): every line's key starts from it.
    id: String,
    /// Whether the journal has rows of it from an earlier run. Without any, no line has a row,
    /// and none is looked up.
    rerun: bool,
}

/// What one run of a batch came to.
#[derive(Default)]
struct Summary {
    done: u64,
    failed: u64,
    unknown: u64,
    created: u64,
    resumed: u64,
    skipped: u64,
    listed: Vec<LineOutcome>,
}

impl Summary {
    fn add(&mut self, outcome: LineOutcome) {
        match outcome.ending {
            Ending::Done => self.done += 1,
            Ending::Failed => self.failed += 1,
            Ending::Unknown => self.unknown += 1,
        }
        match outcome.action {
            "created" => self.created += 1,
            "resumed" => self.resumed += 1,
            "skipped" => self.skipped += 1,
            _ => {}
        }
        if outcome.ending != Ending::Done && self.listed.len() < LISTED_FAILURES {
            self.listed.push(outcome);
        }
    }

    fn report(mut self, total: u64) -> Result<Report, Failure> {
        self.listed.sort_by_key(|outcome| outcome.line);
        let mut table = vec![
            format!("{:<10} {:>8}", "lines", total),
            format!("{:<10} {:>8}", "done", self.done),
            format!("{:<10} {:>8}", "failed", self.failed),
            format!("{:<10} {:>8}", "unknown", self.unknown),
            format!(
                "(this run: {} created, {} resumed, {} skipped as done)",
                self.created, self.resumed, self.skipped
            ),
        ];
        for outcome in &self.listed {
            table.push(format!(
                "line {}: {} {}{}",
                outcome.line,
                match outcome.ending {
                    Ending::Unknown => "outcome unknown (not sent again; --retry-unknown sends it)",
                    _ => "failed",
                },
                outcome
                    .task_id
                    .as_deref()
                    .map(|id| format!("[{id}] "))
                    .unwrap_or_default(),
                outcome.detail.as_deref().unwrap_or("")
            ));
        }
        let unlisted = self.failed + self.unknown - self.listed.len() as u64;
        if unlisted > 0 {
            table.push(format!(
                "... and {unlisted} more (see `anyfast-video tasks --json`)"
            ));
        }
        let summary = json!({"summary": {
            "lines": total, "done": self.done, "failed": self.failed, "unknown": self.unknown,
            "created": self.created, "resumed": self.resumed, "skipped": self.skipped,
        }});
        let human = table.join("\n");
        if self.failed + self.unknown == 0 {
            return Ok(Report {
                json: summary,
                human,
            });
        }
        // The table (or the summary object) is still the report; the exit code says 4.
        Err(Failure::Summary {
            message: format!(
                "{} of {total} lines did not succeed{}",
                self.failed + self.unknown,
                if self.unknown > 0 {
                    format!(
                        " ({} with an unknown create outcome, left alone: --retry-unknown sends them again)",
                        self.unknown
                    )
                } else {
                    String::new()
                }
            ),
            code: 4,
            report: summary,
            human,
        })
    }
}

/// Runs one line to its end: skip, resume, create, or leave alone, as the journal says.
async fn run_line(
    context: &Context<'_>,
    args: &BatchArgs,
    batch: &BatchRun,
    number: u64,
    text: String,
    board: Arc<Board>,
) -> LineOutcome {
    let key = fingerprint(&format!("{}:{number}:{text}", batch.id));
    let mut outcome = LineOutcome {
        line: number,
        ending: Ending::Failed,
        action: "invalid",
        task_id: None,
        output: None,
        detail: None,
    };
    let (request, output) = match parse_line(&text, number, &args.out_dir) {
        Ok(parsed) => parsed,
        Err(detail) => {
            outcome.detail = Some(detail);
            return outcome;
        }
    };
    outcome.output = Some(output.clone());
    let row = match context.journal.as_deref() {
        Some(journal) if batch.rerun => journal.by_key(&key).await.ok().flatten(),
        _ => None,
    };
    let plan = plan(row.as_ref(), &output, args, context.journal.is_some());
    outcome.task_id = row.as_ref().and_then(|row| row.task_id.clone());
    let tracker = Tracker::new(context.journal.clone(), key.clone());
    let outputs = Outputs {
        video: Some(&output),
        last_frame: None,
    };
    let created = match plan {
        Plan::Skip => {
            outcome.action = "skipped";
            outcome.ending = Ending::Done;
            return outcome;
        }
        Plan::Report(ending, detail) => {
            outcome.action = "left alone";
            outcome.ending = ending;
            outcome.detail = Some(detail);
            return outcome;
        }
        Plan::Resume(id) => {
            outcome.action = "resumed";
            id
        }
        Plan::Create => {
            outcome.action = "created";
            let entry = NewEntry {
                key,
                request_hash: fingerprint(&text),
                prompt: first_text(&text),
                output: Some(output.clone()),
                last_frame: None,
                base_url: context.client.base_url().to_string(),
                batch: Some(batch.id.clone()),
                line: Some(number),
            };
            board.started(number, "creating", None);
            match lifecycle::create(context.client, &tracker, request, entry).await {
                Ok(task) => task.id,
                Err(failure) => {
                    board.stopped();
                    outcome.ending = match &failure {
                        Failure::Client(anyfast_video::Error::CreateOutcomeUnknown { .. }) => {
                            Ending::Unknown
                        }
                        _ => Ending::Failed,
                    };
                    if let Failure::Client(error) = &failure {
                        outcome.task_id = error.task_id().map(str::to_string);
                    }
                    outcome.detail = Some(failure.message());
                    return outcome;
                }
            }
        }
    };
    if outcome.action == "resumed" {
        board.started(number, "resumed", Some(&created));
    } else {
        board.event(number, "created", Some(&created));
    }
    outcome.task_id = Some(created.clone());
    let finished = lifecycle::finish(
        context.client,
        &tracker,
        &created,
        wait_options(context, &args.wait, outcome.action == "resumed"),
        outputs,
        Arc::new(Silent),
    )
    .await;
    board.stopped();
    match finished {
        Ok(_) => outcome.ending = Ending::Done,
        Err(failure) => outcome.detail = Some(failure.message()),
    }
    outcome
}

/// What to do with a line.
#[derive(Debug, PartialEq)]
enum Plan {
    Skip,
    Resume(String),
    Create,
    Report(Ending, String),
}

/// What to do with a line, from its journal row (`journaled`: whether there is a journal at
/// all; without one, a line whose output exists counts as done).
fn plan(row: Option<&Entry>, output: &Path, args: &BatchArgs, journaled: bool) -> Plan {
    let Some(row) = row else {
        if output.exists() && !journaled && !args.force {
            return Plan::Skip;
        }
        if output.exists() && !args.force {
            return Plan::Report(
                Ending::Failed,
                format!("{} exists; remove it or pass --force", output.display()),
            );
        }
        return Plan::Create;
    };
    let id = row.task_id.clone();
    match row.state {
        State::Done if output.exists() => Plan::Skip,
        State::Failed | State::Refused => Plan::Report(
            Ending::Failed,
            row.error.clone().unwrap_or_else(|| "failed".into()),
        ),
        State::Sending | State::Unknown if !args.retry_unknown => Plan::Report(
            Ending::Unknown,
            row.error
                .clone()
                .unwrap_or_else(|| "the process stopped before the create was answered".into()),
        ),
        State::Sending | State::Unknown | State::NotSent => Plan::Create,
        _ => match id {
            Some(id) => Plan::Resume(id),
            None => Plan::Create,
        },
    }
}

/// The request and the output path of a line: the API's body, plus `"output"`.
fn parse_line(text: &str, number: u64, out_dir: &Path) -> Result<(VideoRequest, PathBuf), String> {
    let mut body: Value =
        serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))?;
    let name = match body
        .as_object_mut()
        .and_then(|fields| fields.remove("output"))
    {
        Some(Value::String(name)) => name,
        Some(_) => return Err("\"output\" must be a file name".into()),
        None => format!("line-{number}.mp4"),
    };
    let relative = Path::new(&name);
    let inside = relative
        .components()
        .all(|component| matches!(component, Component::Normal(_)));
    if !inside || name.is_empty() {
        return Err(format!(
            "\"output\" {name:?} must be a relative path inside --out-dir"
        ));
    }
    let request = VideoRequest::from_json(body).map_err(|error| error.to_string())?;
    Ok((request, absolute(&out_dir.join(relative))))
}

/// The first text of a line's content, for the journal.
fn first_text(text: &str) -> Option<String> {
    let body: Value = serde_json::from_str(text).ok()?;
    body["content"]
        .as_array()?
        .iter()
        .find_map(|item| item["text"].as_str().map(str::to_string))
}

/// The file's non-empty lines, read as they are needed.
async fn read_lines(
    file: &Path,
) -> Result<impl futures_util::Stream<Item = (u64, String)>, Failure> {
    let opened = tokio::fs::File::open(file)
        .await
        .map_err(|error| Failure::File(format!("{}: {error}", file.display())))?;
    let lines = tokio::io::BufReader::new(opened).lines();
    Ok(futures_util::stream::unfold(
        (lines, 0u64),
        |(mut lines, mut number)| async move {
            loop {
                number += 1;
                match lines.next_line().await {
                    Ok(Some(line)) if line.trim().is_empty() => continue,
                    Ok(Some(line)) => return Some(((number, line), (lines, number))),
                    Ok(None) => return None,
                    Err(error) => {
                        eprintln!("error: reading line {number}: {error}");
                        return None;
                    }
                }
            }
        },
    ))
}

/// How many non-empty lines the file has (read once, in constant memory).
async fn count_lines(file: &Path) -> Result<u64, Failure> {
    let opened = tokio::fs::File::open(file)
        .await
        .map_err(|error| Failure::File(format!("{}: {error}", file.display())))?;
    let mut lines = tokio::io::BufReader::new(opened).lines();
    let mut count = 0;
    while let Some(line) = lines
        .next_line()
        .await
        .map_err(|error| Failure::File(format!("{}: {error}", file.display())))?
    {
        if !line.trim().is_empty() {
            count += 1;
        }
    }
    Ok(count)
}

/// No per-task progress inside a batch: the board shows the whole.
struct Silent;

impl lifecycle::Reporter for Silent {
    fn task(&self, _task: &anyfast_video::Task) {}
}

/// The batch's progress: one bar on a terminal (done / failed / running / queued), a line per
/// change otherwise. Silent with `--json` on a non-terminal, whose stdout carries the lines.
struct Board {
    total: u64,
    done: AtomicU64,
    failed: AtomicU64,
    running: AtomicU64,
    started: AtomicU64,
    bar: Option<ProgressBar>,
    lines: bool,
}

impl Board {
    fn new(total: u64, json: bool) -> Board {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} [{elapsed_precise}]")
                    .expect("a valid template"),
            );
            bar
        });
        Board {
            total,
            done: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            running: AtomicU64::new(0),
            started: AtomicU64::new(0),
            lines: bar.is_none() && !json,
            bar,
        }
    }

    fn started(&self, line: u64, what: &str, id: Option<&str>) {
        self.running.fetch_add(1, Ordering::Relaxed);
        self.started.fetch_add(1, Ordering::Relaxed);
        self.event(line, what, id);
    }

    fn stopped(&self) {
        self.running.fetch_sub(1, Ordering::Relaxed);
        self.redraw();
    }

    fn event(&self, line: u64, what: &str, id: Option<&str>) {
        if self.lines {
            eprintln!(
                "line {line}: {what}{}",
                id.map(|id| format!(" {id}")).unwrap_or_default()
            );
        }
        self.redraw();
    }

    fn finished(&self, outcome: &LineOutcome) {
        if outcome.action == "skipped"
            || outcome.action == "invalid"
            || outcome.action == "left alone"
        {
            self.started.fetch_add(1, Ordering::Relaxed);
        }
        let counter = match outcome.ending {
            Ending::Done => &self.done,
            Ending::Failed | Ending::Unknown => &self.failed,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        if self.lines {
            let what = match outcome.ending {
                Ending::Done => format!(
                    "done {}",
                    outcome
                        .output
                        .as_ref()
                        .map(|path| path.display().to_string())
                        .unwrap_or_default()
                ),
                Ending::Failed => format!("failed: {}", outcome.detail.as_deref().unwrap_or("")),
                Ending::Unknown => "outcome unknown: left alone".to_string(),
            };
            eprintln!("line {}: {what}", outcome.line);
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        self.redraw();
    }

    fn redraw(&self) {
        if let Some(bar) = &self.bar {
            let started = self.started.load(Ordering::Relaxed);
            bar.set_message(format!(
                "done {} · failed {} · running {} · queued {}",
                self.done.load(Ordering::Relaxed),
                self.failed.load(Ordering::Relaxed),
                self.running.load(Ordering::Relaxed),
                self.total.saturating_sub(started),
            ));
        }
    }

    fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(retry_unknown: bool, force: bool) -> BatchArgs {
        use clap::Parser;
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            batch: BatchArgs,
        }
        let mut argv = vec!["batch", "f.jsonl", "--out-dir", "out"];
        if retry_unknown {
            argv.push("--retry-unknown");
        }
        if force {
            argv.push("--force");
        }
        Wrapper::parse_from(argv).batch
    }

    fn row(state: State, task_id: Option<&str>) -> Entry {
        Entry {
            key: "k".into(),
            task_id: task_id.map(str::to_string),
            state,
            status: None,
            progress: None,
            request_hash: "h".into(),
            prompt: None,
            output: None,
            last_frame: None,
            base_url: "https://www.anyfast.ai".into(),
            batch: None,
            line: None,
            assets: None,
            error: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn each_journal_state_plans_the_line_so_that_nothing_is_made_twice() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.mp4");
        let present = dir.path().join("present.mp4");
        std::fs::write(&present, b"video").unwrap();
        let (plain, retry, force) = (args(false, false), args(true, false), args(false, true));
        assert_eq!(plan(None, &missing, &plain, true), Plan::Create);
        assert!(matches!(
            plan(None, &present, &plain, true),
            Plan::Report(Ending::Failed, _)
        ));
        assert_eq!(plan(None, &present, &force, true), Plan::Create);
        assert_eq!(
            plan(None, &present, &plain, false),
            Plan::Skip,
            "no journal: the file says done"
        );
        let done = row(State::Done, Some("cgt-1"));
        assert_eq!(plan(Some(&done), &present, &plain, true), Plan::Skip);
        assert_eq!(
            plan(Some(&done), &missing, &plain, true),
            Plan::Resume("cgt-1".into()),
            "a deleted video is fetched again, not made again"
        );
        for state in [
            State::Created,
            State::Waiting,
            State::Downloading,
            State::TimedOut,
            State::Error,
        ] {
            assert_eq!(
                plan(Some(&row(state, Some("cgt-2"))), &missing, &plain, true),
                Plan::Resume("cgt-2".into())
            );
        }
        for state in [State::Sending, State::Unknown] {
            let uncertain = row(state, None);
            assert!(matches!(
                plan(Some(&uncertain), &missing, &plain, true),
                Plan::Report(Ending::Unknown, _)
            ));
            assert_eq!(plan(Some(&uncertain), &missing, &retry, true), Plan::Create);
        }
        assert_eq!(
            plan(Some(&row(State::NotSent, None)), &missing, &plain, true),
            Plan::Create
        );
        for state in [State::Failed, State::Refused] {
            assert!(matches!(
                plan(Some(&row(state, None)), &missing, &plain, true),
                Plan::Report(Ending::Failed, _)
            ));
        }
    }

    #[test]
    fn a_line_is_the_apis_body_plus_an_output_inside_the_folder() {
        let out = Path::new("/tmp/out");
        let (request, path) = parse_line(
            r#"{"model": "seedance-fast", "content": [{"type": "text", "text": "a cat"}], "output": "cats/1.mp4"}"#,
            3,
            out,
        )
        .unwrap();
        assert_eq!(path, Path::new("/tmp/out/cats/1.mp4"));
        assert!(
            request
                .body_without_validation()
                .unwrap()
                .get("output")
                .is_none()
        );
        let (_, default) = parse_line(r#"{"model": "m", "content": []}"#, 7, out).unwrap();
        assert_eq!(default, Path::new("/tmp/out/line-7.mp4"));
        for bad in [
            r#"{"model": "m", "content": [], "output": "../escape.mp4"}"#,
            r#"{"model": "m", "content": [], "output": "/etc/passwd"}"#,
            r#"{"model": "m", "content": [], "output": 7}"#,
            "not json",
            r#"{"content": []}"#,
        ] {
            assert!(parse_line(bad, 1, out).is_err(), "{bad}");
        }
    }
}
