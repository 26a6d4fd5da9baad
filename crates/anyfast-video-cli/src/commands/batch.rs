//! `anyfast-video batch FILE.jsonl --out-dir DIR`: one video per line, any number of lines, in
//! bounded memory, resumable by rerunning the same command, and shared by every worker that
//! runs it on the same journal.
//!
//! Each line's create is keyed by the batch, the line's number and its text: that key is both
//! the journal record's key and the create's `Idempotency-Key`. A worker claims a line through
//! the journal before working on it, so N workers on one journal (N processes, or N machines
//! on one PostgreSQL) make each line once: a line another live worker holds is passed over,
//! and looked at again once the file is read through, until every line is done or ended;
//! a line whose worker died is taken over when its lease expires (at once, on the same
//! machine).
//!
//! A worker cut off from its journal (a network partition) loses nothing and stops no one:
//! lines it cannot claim, or lost the lease of, are looked at again like held ones, while the
//! journal stays unreachable for less than its patience
//! ([`TaskStore::patience`](anyfast_video_tasks::TaskStore::patience)); and a line whose
//! create's sender stopped before it was answered is looked at again for as long too, since
//! a sender that was only cut off records the task's id once it can, and then the line is
//! finished from that id.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use anyfast_video::{Error as VideoError, GenerateOptions, VideoRequest};
use anyfast_video_tasks::{Action, Error, IfHeld, TaskOptions};
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use tokio::io::AsyncBufReadExt;

use super::Context;
use super::task::{absolute, wait_options};
use crate::args::BatchArgs;
use crate::exit::Failure;
use crate::interrupt::interruptible;
use crate::output::Report;

/// At most this many failures are kept for the summary; the rest are counted (and in the
/// journal).
const LISTED_FAILURES: usize = 1000;

/// How one line ended in this run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    /// Its video is saved (now, or by an earlier run, or by another worker).
    Done,
    /// No video: the task failed, the line is invalid, or something went wrong.
    Failed,
    /// Its create may have made a task: left alone.
    Unknown,
    /// Another live worker holds it: looked at again later.
    Held,
}

/// What this run did with a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineAction {
    /// Its create was sent.
    Created,
    /// Its task existed: waited for and saved.
    Resumed,
    /// Done before: nothing to do.
    Skipped,
    /// Done by another worker while this one waited.
    FinishedElsewhere,
    /// Refused before anything was sent (not JSON, a rule broken, an output that exists).
    Refused,
    /// Its record says to leave it (an unknown outcome, a failure, another key's task).
    LeftAlone,
    /// Not started: creating stopped (the journal unreachable).
    NotStarted,
    /// Held by another worker.
    Passed,
}

impl LineAction {
    fn as_str(self) -> &'static str {
        match self {
            LineAction::Created => "created",
            LineAction::Resumed => "resumed",
            LineAction::Skipped => "skipped",
            LineAction::FinishedElsewhere => "finished elsewhere",
            LineAction::Refused => "invalid",
            LineAction::LeftAlone => "left alone",
            LineAction::NotStarted => "not started",
            LineAction::Passed => "held elsewhere",
        }
    }
}

/// One line, as far as this run took it.
#[derive(Debug)]
struct LineOutcome {
    line: u64,
    ending: Ending,
    action: LineAction,
    /// Whether this run sent a create for it (answered, refused by the service, or with an
    /// unknown outcome).
    sent_create: bool,
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
                Ending::Held => "held",
            },
            "action": self.action.as_str(),
            "create_sent": self.sent_create,
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
    if context.journal().is_none() {
        eprintln!(
            "warning: without a journal a rerun cannot tell which lines were sent; only lines whose output exists are skipped"
        );
    }
    let name = args
        .batch_name
        .clone()
        .unwrap_or_else(|| file.to_string_lossy().into_owned());
    let batch = Batch {
        id: fingerprint(&name),
        stopped: std::sync::Mutex::new(None),
        unreachable_since: std::sync::Mutex::new(None),
        awaited: std::sync::Mutex::new(std::collections::HashMap::new()),
        patience: context
            .journal()
            .map_or(std::time::Duration::ZERO, |journal| journal.patience()),
    };
    let total = count_lines(&file).await?;
    let board = Arc::new(Board::new(total, context.global.json));
    let working = async {
        let mut summary = Summary::default();
        let mut held = pass(context, args, &batch, &file, None, &board, &mut summary).await?;
        // Lines other live workers hold: looked at again until each is done or taken over,
        // soon at first (they may be about to end), less often while nothing changes.
        let mut pause = FIRST_HELD_PAUSE;
        while !held.is_empty() {
            tracing::debug!(
                lines = held.len(),
                ?pause,
                "waiting for the lines other workers hold"
            );
            tokio::time::sleep(pause).await;
            let before = held.len();
            let only = Some(&held);
            held = pass(context, args, &batch, &file, only, &board, &mut summary).await?;
            pause = if held.len() < before {
                FIRST_HELD_PAUSE
            } else {
                (pause * 2).min(longest_held_pause(context))
            };
        }
        Ok::<_, Failure>(summary)
    };
    let interrupted = || {
        Failure::interrupted(
            format!(
                "interrupted: rerun the same command to finish ({} of {total} lines were done)",
                board.done.load(Ordering::Relaxed)
            ),
            None,
        )
    };
    let summary = interruptible(working, interrupted).await??;
    board.clear();
    summary.report(total)
}

/// How long a worker first waits before looking again at the lines others hold.
const FIRST_HELD_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

/// The longest it waits: a quarter of a lease (an expired one is seen soon after), at most 2 s.
fn longest_held_pause(context: &Context<'_>) -> std::time::Duration {
    let ttl = context
        .journal()
        .map_or(std::time::Duration::from_secs(30), |journal| {
            journal.lease_ttl()
        });
    (ttl / 4).clamp(FIRST_HELD_PAUSE, std::time::Duration::from_secs(2))
}

/// One pass over the file: every line (or only those in `only`), at most `--concurrency` at
/// once. Returns the lines another worker held.
async fn pass(
    context: &Context<'_>,
    args: &BatchArgs,
    batch: &Batch,
    file: &Path,
    only: Option<&BTreeSet<u64>>,
    board: &Arc<Board>,
    summary: &mut Summary,
) -> Result<BTreeSet<u64>, Failure> {
    let again = only.is_some();
    let lines = read_lines(file).await?.filter(move |(number, _)| {
        std::future::ready(only.is_none_or(|only| only.contains(number)))
    });
    let runs = lines
        .map(|(number, text)| run_line(context, args, batch, number, text, board.clone(), again))
        .buffer_unordered(args.concurrency as usize);
    let mut runs = std::pin::pin!(runs);
    let mut held = BTreeSet::new();
    while let Some(outcome) = runs.next().await {
        if outcome.ending == Ending::Held {
            if !again && !context.global.json {
                board.note(
                    outcome.line,
                    outcome.detail.as_deref().unwrap_or("held elsewhere"),
                );
            }
            held.insert(outcome.line);
            continue;
        }
        board.finished(&outcome);
        if context.global.json {
            println!("{}", outcome.json());
        }
        summary.add(outcome);
    }
    Ok(held)
}

/// The batch, as the journal knows it.
struct Batch {
    /// Its identity (from its name or path): every line's key starts from it.
    id: String,
    /// Why creating stopped, once it must (the journal cannot be written, the account is out
    /// of credit): lines not started yet are not started, those running finish.
    stopped: std::sync::Mutex<Option<String>>,
    /// Since when the journal has not answered (a line could not be claimed): creating stops
    /// once it is longer than `patience`, until then such lines are looked at again.
    unreachable_since: std::sync::Mutex<Option<std::time::Instant>>,
    /// The lines whose create's sender stopped before it was answered, and since when this
    /// worker has waited for their ids: looked at again until `patience` is over.
    awaited: std::sync::Mutex<std::collections::HashMap<u64, std::time::Instant>>,
    /// How long the journal is waited for ([`TaskStore::patience`](anyfast_video_tasks::TaskStore::patience)).
    patience: std::time::Duration,
}

impl Batch {
    /// Why creating stopped, if it did.
    fn stopped(&self) -> Option<String> {
        self.stopped.lock().expect("the batch's stop").clone()
    }

    /// The journal did not answer: whether it has not for longer than the patience (then
    /// creating stops), counting from its first failure since it last answered.
    fn unreachable_too_long(&self) -> bool {
        let mut since = self.unreachable_since.lock().expect("the batch's clock");
        since.get_or_insert_with(std::time::Instant::now).elapsed() >= self.patience
    }

    /// The journal answered.
    fn reachable(&self) {
        *self.unreachable_since.lock().expect("the batch's clock") = None;
    }

    /// Whether line `number`, whose create's sender stopped before it was answered, is still
    /// waited for (its id may be recorded late): for `patience` after this worker first met it.
    fn still_awaited(&self, number: u64) -> bool {
        let mut awaited = self.awaited.lock().expect("the batch's awaited lines");
        awaited
            .entry(number)
            .or_insert_with(std::time::Instant::now)
            .elapsed()
            < self.patience
    }

    /// Stops creating, for this reason (the first one is kept).
    fn stop(&self, why: String) {
        let mut stopped = self.stopped.lock().expect("the batch's stop");
        if stopped.is_none() {
            eprintln!("creating stopped: {why}; the lines that are running are finished");
            *stopped = Some(why);
        }
    }
}

/// What one run of a batch came to.
#[derive(Default)]
struct Summary {
    done: u64,
    failed: u64,
    unknown: u64,
    creates_sent: u64,
    resumed: u64,
    skipped: u64,
    elsewhere: u64,
    refused: u64,
    not_started: u64,
    listed: Vec<LineOutcome>,
}

impl Summary {
    fn add(&mut self, outcome: LineOutcome) {
        match outcome.ending {
            Ending::Done => self.done += 1,
            Ending::Failed => self.failed += 1,
            Ending::Unknown | Ending::Held => self.unknown += 1,
        }
        if outcome.sent_create {
            self.creates_sent += 1;
        }
        match outcome.action {
            LineAction::Created => {}
            LineAction::Resumed => self.resumed += 1,
            LineAction::Skipped => self.skipped += 1,
            LineAction::FinishedElsewhere => self.elsewhere += 1,
            LineAction::Refused => self.refused += 1,
            LineAction::NotStarted => self.not_started += 1,
            LineAction::LeftAlone | LineAction::Passed => {}
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
                "(this run: {} creates sent, {} refused before sending, {} resumed, {} skipped as done, {} finished by other workers{})",
                self.creates_sent,
                self.refused,
                self.resumed,
                self.skipped,
                self.elsewhere,
                if self.not_started > 0 {
                    format!(", {} not started", self.not_started)
                } else {
                    String::new()
                }
            ),
        ];
        for outcome in &self.listed {
            table.push(format!(
                "line {}: {} {}{}",
                outcome.line,
                match (outcome.ending, outcome.action) {
                    (_, LineAction::NotStarted) => "not started",
                    (Ending::Unknown, _) =>
                        "outcome unknown (not sent again; --retry-unknown sends it)",
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
            "creates_sent": self.creates_sent, "resumed": self.resumed, "skipped": self.skipped,
            "finished_elsewhere": self.elsewhere, "refused_before_sending": self.refused,
            "not_started": self.not_started,
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

/// Runs one line to where this worker can take it.
async fn run_line(
    context: &Context<'_>,
    args: &BatchArgs,
    batch: &Batch,
    number: u64,
    line: Result<String, String>,
    board: Arc<Board>,
    seen_held: bool,
) -> LineOutcome {
    let mut outcome = LineOutcome {
        line: number,
        ending: Ending::Failed,
        action: LineAction::Refused,
        sent_create: false,
        task_id: None,
        output: None,
        detail: None,
    };
    let text = match line {
        Ok(text) => text,
        Err(detail) => {
            outcome.detail = Some(detail);
            return outcome;
        }
    };
    let key = fingerprint(&format!("{}:{number}:{text}", batch.id));
    let (request, output) = match parse_line(&text, number, &args.out_dir) {
        Ok(parsed) => parsed,
        Err(detail) => {
            outcome.detail = Some(detail);
            return outcome;
        }
    };
    outcome.output = Some(output.clone());
    if let Some(why) = batch.stopped() {
        outcome.action = LineAction::NotStarted;
        outcome.detail = Some(format!("creating stopped: {why}"));
        return outcome;
    }
    let Some(tasks) = context.tasks else {
        return without_journal(context, args, batch, request, output, board, outcome).await;
    };
    let journal = tasks.store();
    if output.exists() && !args.force {
        match journal.get(&key).await {
            Ok(Some(_)) => {}
            Ok(None) => {
                outcome.detail = Some(format!(
                    "{} exists; remove it or pass --force",
                    output.display()
                ));
                return outcome;
            }
            Err(error) => {
                // The journal did not answer: looked at again, as when a claim fails.
                outcome.detail = Some(error.to_string());
                if batch.unreachable_too_long() {
                    batch.stop(error.to_string());
                    outcome.action = LineAction::NotStarted;
                } else {
                    outcome.ending = Ending::Held;
                    outcome.action = LineAction::Passed;
                }
                return outcome;
            }
        }
    }
    let created = Arc::new(AtomicBool::new(false));
    let options = TaskOptions::default()
        .idempotency_key(&key)
        .batch_line(&batch.id, number)
        .request_fingerprint(fingerprint(&text))
        .if_held(IfHeld::Skip)
        .retry_unknown_create(args.retry_unknown)
        .wait(wait_options(context, &args.wait, false))
        .on_created(on_created(&board, number, &created));
    board.started();
    let finished = tasks.generate(request, &output, options).await;
    board.stopped();
    outcome.sent_create = created.load(Ordering::Relaxed);
    if !matches!(finished, Err(Error::Store { task_id: None, .. })) {
        batch.reachable();
    }
    match finished {
        Ok(finished) => {
            outcome.ending = Ending::Done;
            outcome.task_id = Some(finished.task_id);
            outcome.action = match finished.action {
                Action::Created => LineAction::Created,
                Action::Resumed => LineAction::Resumed,
                _ if seen_held => LineAction::FinishedElsewhere,
                _ => LineAction::Skipped,
            };
        }
        Err(error) => {
            outcome.sent_create |= error.as_video().is_some_and(create_was_sent);
            outcome.task_id = error.task_id().map(str::to_string);
            outcome.detail = Some(crate::exit::one_line(&error));
            outcome.action = LineAction::LeftAlone;
            match &error {
                Error::HeldElsewhere { .. } => {
                    outcome.ending = Ending::Held;
                    outcome.action = LineAction::Passed;
                }
                Error::LeaseLost { .. } => {
                    // This worker was cut off (or paused) past its lease, and stopped: the line
                    // is another worker's now (its id, if this worker learnt one, recorded).
                    // Looked at again, like a held line, until it is done.
                    outcome.ending = Ending::Held;
                    outcome.action = LineAction::Passed;
                }
                Error::Video(VideoError::CreateOutcomeUnknown { .. }) => {
                    outcome.ending = Ending::Unknown;
                    if sender_may_record_it(journal, &key).await {
                        // Not this worker's create: its sender stopped answering before the
                        // create did, and may only be cut off from the journal. Looked at again
                        // for a while: once its id is recorded, the line is finished from it.
                        outcome.sent_create = false;
                        if batch.still_awaited(number) {
                            outcome.ending = Ending::Held;
                            outcome.action = LineAction::Passed;
                            outcome.detail = Some(
                                "its create's sender stopped before it was answered; waiting for its id".into(),
                            );
                        }
                    }
                }
                Error::Store { task_id: None, .. } => {
                    // Nothing was sent: the line is looked at again while the journal may come
                    // back; once it has been unreachable for longer than its patience, nothing
                    // more is sent until it is back.
                    if batch.unreachable_too_long() {
                        batch.stop(error.to_string());
                        outcome.action = LineAction::NotStarted;
                    } else {
                        outcome.ending = Ending::Held;
                        outcome.action = LineAction::Passed;
                    }
                }
                Error::Video(VideoError::OutOfCredit { .. }) => {
                    // Every later create would fail the same way (and count for nothing).
                    batch.stop(error.to_string());
                }
                Error::Video(VideoError::InvalidRequest { .. }) => {
                    outcome.action = LineAction::Refused;
                }
                _ => {}
            }
        }
    }
    outcome
}

/// Whether the record of `key` says its create's sender stopped before it was answered, no id
/// recorded since, and recently enough that the sender may still record one: within twice the
/// journal's patience of the record's creation (its create was sent right after, and its
/// sender tries to record the id for a patience from the answer; the record's last change
/// would not do, since every look at it changes it). How long this worker then waits is
/// [`Batch::still_awaited`]'s: a patience from when it first met the line so.
async fn sender_may_record_it(journal: &anyfast_video_tasks::TaskStore, key: &str) -> bool {
    let record = match journal.get(key).await {
        Ok(Some(record)) => record,
        Ok(None) => return false,
        // Not known yet: the journal did not answer in time (a busy machine, or this worker
        // cut off too). Looked at again, within the same window, rather than called unknown.
        Err(_) => return true,
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64);
    // An id recorded since (the sender wrote it late): the line is finished from it, whatever
    // state the write left the record in (a late id moves it on to `waiting`, and that write
    // can land between this worker's claim and this look).
    let learnt_since = record.task_id.is_some();
    learnt_since
        || (record.may_learn_its_id()
            && now - record.created_at < 2 * journal.patience().as_secs() as i64)
}

/// A line without a journal: a line whose output exists is done; any other is made.
async fn without_journal(
    context: &Context<'_>,
    args: &BatchArgs,
    batch: &Batch,
    request: VideoRequest,
    output: PathBuf,
    board: Arc<Board>,
    mut outcome: LineOutcome,
) -> LineOutcome {
    if output.exists() && !args.force {
        outcome.ending = Ending::Done;
        outcome.action = LineAction::Skipped;
        return outcome;
    }
    let number = outcome.line;
    let created = Arc::new(AtomicBool::new(false));
    let options = GenerateOptions::default()
        .wait(wait_options(context, &args.wait, false))
        .on_created(on_created(&board, number, &created));
    board.started();
    let made = context
        .client
        .videos()
        .generate_with(request, &output, options)
        .await;
    board.stopped();
    outcome.sent_create = created.load(Ordering::Relaxed);
    match made {
        Ok(task) => {
            outcome.ending = Ending::Done;
            outcome.action = LineAction::Created;
            outcome.task_id = Some(task.id);
        }
        Err(error) => {
            outcome.sent_create |= create_was_sent(&error);
            outcome.task_id = error.task_id().map(str::to_string);
            outcome.action = match &error {
                VideoError::InvalidRequest { .. } => LineAction::Refused,
                _ => LineAction::LeftAlone,
            };
            match &error {
                VideoError::CreateOutcomeUnknown { .. } => outcome.ending = Ending::Unknown,
                VideoError::OutOfCredit { .. } => batch.stop(error.to_string()),
                _ => {}
            }
            outcome.detail = Some(crate::exit::one_line(&Error::Video(error)));
        }
    }
    outcome
}

/// The hook that shows a line's create and remembers that it was sent.
fn on_created(
    board: &Arc<Board>,
    number: u64,
    created: &Arc<AtomicBool>,
) -> impl Fn(&anyfast_video::Task) + Send + Sync + 'static {
    let (board, created) = (board.clone(), created.clone());
    move |task| {
        created.store(true, Ordering::Relaxed);
        board.event(number, "created", Some(&task.id));
    }
}

/// Whether a create was sent although it made no task here: refused by the service (an API
/// error before any task existed), or with an unknown outcome.
fn create_was_sent(error: &VideoError) -> bool {
    matches!(
        error,
        VideoError::CreateOutcomeUnknown { .. }
            | VideoError::Api { task_id: None, .. }
            | VideoError::OutOfCredit { task_id: None, .. }
    )
}

/// The request and the output path of a line: the API's body, plus `"output"`.
fn parse_line(text: &str, number: u64, out_dir: &Path) -> Result<(VideoRequest, PathBuf), String> {
    let mut body: Value =
        serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))?;
    if !body.is_object() {
        return Err(
            "not a JSON object: a line is the API's request body, {\"model\": …, \"content\": […]}"
                .into(),
        );
    }
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

/// A short fingerprint of a text: a batch's identity, a line's key and its request's.
fn fingerprint(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// One line of the file: its text, or why it has none (not UTF-8).
type Line = Result<String, String>;

/// The file's non-empty lines, read as bytes as they are needed: a line that is not UTF-8 (a
/// Latin-1 export, say) is that line's failure, not the file's. A read error ends the stream
/// (and is reported with its line's number).
async fn read_lines(
    file: &Path,
) -> Result<impl futures_util::Stream<Item = (u64, Line)> + use<>, Failure> {
    let opened = tokio::fs::File::open(file)
        .await
        .map_err(|error| Failure::File(format!("{}: {error}", file.display())))?;
    let reader = tokio::io::BufReader::new(opened);
    Ok(futures_util::stream::unfold(
        (reader, 0u64, Vec::new()),
        |(mut reader, mut number, mut bytes)| async move {
            loop {
                number += 1;
                bytes.clear();
                match reader.read_until(b'\n', &mut bytes).await {
                    Ok(0) => return None,
                    Ok(_) if bytes.trim_ascii().is_empty() => continue,
                    Ok(_) => {
                        let line = text_of(&bytes);
                        return Some(((number, line), (reader, number, bytes)));
                    }
                    Err(error) => {
                        eprintln!("error: reading line {number}: {error}");
                        return None;
                    }
                }
            }
        },
    ))
}

/// A line's text without its line break, or where it stops being UTF-8.
fn text_of(bytes: &[u8]) -> Line {
    let bytes = bytes
        .strip_suffix(b"\n")
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(error) => {
            let at = error.valid_up_to();
            Err(format!(
                "not UTF-8: the byte 0x{:02X} at column {} starts no character (save the file as UTF-8)",
                bytes[at],
                at + 1
            ))
        }
    }
}

/// How many non-empty lines the file has (read once, as bytes, in constant memory).
async fn count_lines(file: &Path) -> Result<u64, Failure> {
    let opened = tokio::fs::File::open(file)
        .await
        .map_err(|error| Failure::File(format!("{}: {error}", file.display())))?;
    let mut reader = tokio::io::BufReader::new(opened);
    let (mut count, mut bytes) = (0, Vec::new());
    loop {
        bytes.clear();
        let read = reader
            .read_until(b'\n', &mut bytes)
            .await
            .map_err(|error| Failure::File(format!("{}: {error}", file.display())))?;
        if read == 0 {
            return Ok(count);
        }
        if !bytes.trim_ascii().is_empty() {
            count += 1;
        }
    }
}

/// The batch's progress: one bar on a terminal (done / failed / running / queued), a line per
/// change otherwise. Silent with `--json` on a non-terminal, whose stdout carries the lines.
struct Board {
    total: u64,
    done: AtomicU64,
    failed: AtomicU64,
    running: AtomicU64,
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
            lines: bar.is_none() && !json,
            bar,
        }
    }

    fn started(&self) {
        self.running.fetch_add(1, Ordering::Relaxed);
        self.redraw();
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

    fn note(&self, line: u64, what: &str) {
        self.event(line, what, None);
    }

    fn finished(&self, outcome: &LineOutcome) {
        let counter = match outcome.ending {
            Ending::Done => &self.done,
            Ending::Failed | Ending::Unknown | Ending::Held => &self.failed,
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
                Ending::Unknown | Ending::Held => "outcome unknown: left alone".to_string(),
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
            let (done, failed) = (
                self.done.load(Ordering::Relaxed),
                self.failed.load(Ordering::Relaxed),
            );
            let running = self.running.load(Ordering::Relaxed);
            bar.set_message(format!(
                "done {done} · failed {failed} · running {running} · queued {}",
                self.total.saturating_sub(done + failed + running),
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
