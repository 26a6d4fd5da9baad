//! Two commands on one task at once, and each command alone, whatever state the task is in:
//! a table of states × pairs, each cell run as real processes on a journal, a mock and a
//! folder of its own. Every command gets what it asked for (the task's state, or its own file,
//! whole), none panics, and nothing is created twice.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::sync::Arc;
use std::time::Duration;

use anyfast_mock::{MockConfig, MockServer, Phase, SAMPLE_VIDEO, Timing};
use serde_json::Value;

use crate::common::KEY;

/// The task's state when the commands start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Created (`create`), still running at the service.
    Running,
    /// Done and saved here (`generate -o`).
    Saved,
    /// Done and saved by a process on another machine (another host name; the file is on its
    /// disk, not this one's).
    SavedElsewhere,
    /// Ended without a video.
    Failed,
}

const STATES: [State; 4] = [
    State::Running,
    State::Saved,
    State::SavedElsewhere,
    State::Failed,
];

/// A command run on the task (or beside it, on its journal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmd {
    Status,
    Wait,
    WaitOutput,
    Download,
    Generate,
    Resume,
    ResumeAll,
    Tasks,
    Batch,
}

const COMMANDS: [Cmd; 9] = [
    Cmd::Status,
    Cmd::Wait,
    Cmd::WaitOutput,
    Cmd::Download,
    Cmd::Generate,
    Cmd::Resume,
    Cmd::ResumeAll,
    Cmd::Tasks,
    Cmd::Batch,
];

/// This machine's name, as leases record it (`HOSTNAME`), and the other machine's.
const HERE: &str = "pairs-here";
const ELSEWHERE: &str = "pairs-elsewhere";

/// One cell of the table: a mock, a journal and a folder of its own, and the task in `state`.
struct Cell {
    state: State,
    mock: MockServer,
    dir: tempfile::TempDir,
    task: String,
    seed_prompt: String,
}

impl Cell {
    async fn new(state: State) -> Result<Cell, String> {
        // A running task lasts long enough for both commands to start before it ends (if the
        // machine is so slow that it ends first, the cell checks a task done unsaved, which is
        // no weaker); the others end at once.
        let timing = match state {
            State::Running => Timing::Lasting(Duration::from_secs(2)),
            _ => Timing::Instant,
        };
        let mock = MockServer::start(MockConfig::default().timing(timing))
            .await
            .map_err(|error| error.to_string())?;
        let dir = tempfile::tempdir().map_err(|error| error.to_string())?;
        let mut cell = Cell {
            state,
            mock,
            dir,
            task: String::new(),
            seed_prompt: "the seed".into(),
        };
        let seed = cell.path("seed.mp4");
        let elsewhere = cell.path("elsewhere");
        let there = elsewhere.join("seed.mp4");
        let (args, host): (Vec<String>, _) = match state {
            State::Running => (strings(&["--json", "create", "the seed"]), HERE),
            State::Saved => (generate_args("the seed", &seed), HERE),
            State::SavedElsewhere => {
                std::fs::create_dir(&elsewhere).map_err(|error| error.to_string())?;
                (generate_args("the seed", &there), ELSEWHERE)
            }
            State::Failed => {
                cell.seed_prompt = "the seed [mock:fail=SensitiveContentDetected]".into();
                (generate_args(&cell.seed_prompt, &seed), HERE)
            }
        };
        let output = cell.run(&args, host).await;
        let json = last_json(&output);
        cell.task = match state {
            State::Failed => json["error"]["task_id"].as_str(),
            _ => json["id"].as_str(),
        }
        .ok_or_else(|| format!("seeding {state:?}: {}", describe(&output)))?
        .to_string();
        if state == State::SavedElsewhere {
            // The other machine's disk.
            std::fs::remove_dir_all(&elsewhere).map_err(|error| error.to_string())?;
        }
        Ok(cell)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self, args: &[String], host: &str) -> std::process::Command {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("anyfast-video"));
        command
            .env_remove("ANYFAST_BASE_URL")
            .env_remove("ANYFAST_VIDEO_JOURNAL")
            .env("ANYFAST_API_KEY", KEY)
            .env("HOSTNAME", host)
            .env("SSL_CERT_FILE", crate::common::one_root_certificate())
            .env_remove("SSL_CERT_DIR")
            .args(["--base-url", &self.mock.base_url(), "--journal"])
            .arg(self.path("journal.sqlite"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    async fn run(&self, args: &[String], host: &str) -> Output {
        let mut command = self.command(args, host);
        tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap()
    }

    /// `cmd`'s command line, as side `side` of the pair; a batch beside a batch shares the
    /// other's file and folder (the line is their one task).
    fn args(&self, cmd: Cmd, side: &str, batch_side: &str) -> Vec<String> {
        let id = self.task.as_str();
        let own = |name: &str| self.path(&format!("{side}-{name}.mp4"));
        let poll = ["--poll-interval", "0.05"];
        let mut args: Vec<String> = match cmd {
            Cmd::Status => strings(&["--json", "status", id]),
            Cmd::Wait => strings(&["--json", "wait", id]),
            Cmd::WaitOutput => strings(&["--json", "wait", id, "-o", &text(&own("wait"))]),
            Cmd::Download => strings(&["--json", "download", id, "-o", &text(&own("download"))]),
            Cmd::Generate => {
                return generate_args(&format!("generated {side}"), &own("generate"));
            }
            Cmd::Resume => strings(&["--json", "resume", id]),
            Cmd::ResumeAll => strings(&["--json", "resume", "--all"]),
            Cmd::Tasks => strings(&["--json", "tasks"]),
            Cmd::Batch => {
                let file = self.path(&format!("batch-{batch_side}.jsonl"));
                let line = serde_json::json!({
                    "model": "seedance-fast",
                    "content": [{"type": "text", "text": format!("batched {batch_side}")}],
                    "output": "line.mp4",
                });
                std::fs::write(&file, format!("{line}\n")).unwrap();
                let out = self.path(&format!("batch-{batch_side}"));
                strings(&["--json", "batch", &text(&file), "--out-dir", &text(&out)])
            }
        };
        if matches!(
            cmd,
            Cmd::Wait | Cmd::WaitOutput | Cmd::Download | Cmd::Resume | Cmd::ResumeAll | Cmd::Batch
        ) {
            args.extend(strings(&poll));
        }
        args
    }

    /// What `cmd` (side `side`) must have done, whatever ran beside it; each fault found is
    /// written to `faults`.
    fn check(&self, cmd: Cmd, side: &str, batch_side: &str, output: &Output, faults: &mut String) {
        let mut fault = |what: &str| {
            let _ = writeln!(faults, "  {cmd:?} ({side}): {what}\n{}", describe(output));
        };
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if all.contains("panicked") || output.status.code() == Some(101) {
            fault("panicked");
            return;
        }
        if all.contains(KEY) {
            fault("printed the key");
        }
        let failed = self.state == State::Failed;
        let code = output.status.code();
        let json = last_json(output);
        let own = |name: &str| self.path(&format!("{side}-{name}.mp4"));
        match cmd {
            Cmd::Status => {
                let status = json["status"].as_str().unwrap_or_default();
                let expected: &[&str] = match self.state {
                    State::Running => &["pending", "queued", "running", "succeeded"],
                    State::Saved | State::SavedElsewhere => &["succeeded"],
                    State::Failed => &["failed"],
                };
                if code != Some(0) || json["id"] != self.task || !expected.contains(&status) {
                    fault(&format!("expected exit 0 and a status in {expected:?}"));
                }
            }
            Cmd::Wait if failed => self.check_failed(code, &json, &mut fault),
            Cmd::Wait => {
                if code != Some(0) || json["id"] != self.task || json["status"] != "succeeded" {
                    fault("expected exit 0 and the task, succeeded");
                }
            }
            Cmd::WaitOutput | Cmd::Download => {
                let file = own(if cmd == Cmd::Download {
                    "download"
                } else {
                    "wait"
                });
                if failed {
                    self.check_failed(code, &json, &mut fault);
                    if file.exists() {
                        fault("wrote a file for a failed task");
                    }
                } else if code != Some(0) || json["path"] != text(&file) {
                    fault("expected exit 0 and its own file");
                } else if std::fs::read(&file).ok().as_deref() != Some(SAMPLE_VIDEO) {
                    fault("its file is not the whole video");
                }
            }
            Cmd::Generate => {
                let file = own("generate");
                let prompt = format!("generated {side}");
                if code != Some(0) {
                    fault("expected exit 0");
                } else if std::fs::read(&file).ok().as_deref() != Some(SAMPLE_VIDEO) {
                    fault("its file is not the whole video");
                }
                if self.mock.create_count_for_prompt(&prompt) != 1 {
                    fault("its task was not created exactly once");
                }
            }
            Cmd::Resume if failed => self.check_failed(code, &json, &mut fault),
            Cmd::Resume => {
                if code != Some(0) || json[0]["id"] != self.task {
                    fault("expected exit 0 and the task");
                }
            }
            Cmd::ResumeAll => {
                if code != Some(0) {
                    fault("expected exit 0");
                }
            }
            Cmd::Tasks => {
                let listed = json
                    .as_array()
                    .is_some_and(|rows| rows.iter().any(|row| row["id"] == self.task));
                if code != Some(0) || !listed {
                    fault("expected exit 0 and the task listed");
                }
            }
            Cmd::Batch => {
                let file = self.path(&format!("batch-{batch_side}")).join("line.mp4");
                if code != Some(0) {
                    fault("expected exit 0");
                } else if std::fs::read(&file).ok().as_deref() != Some(SAMPLE_VIDEO) {
                    fault("the line's file is not the whole video");
                }
                let prompt = format!("batched {batch_side}");
                if self.mock.create_count_for_prompt(&prompt) != 1 {
                    fault("the line's task was not created exactly once");
                }
            }
        }
    }

    /// A command asked for a failed task's result: exit 4, naming the task.
    fn check_failed(&self, code: Option<i32>, json: &Value, fault: &mut impl FnMut(&str)) {
        let error = if json.is_array() {
            &json[0]["error"]
        } else {
            &json["error"]
        };
        if code != Some(4) || error["kind"] != "task_failed" || error["task_id"] != self.task {
            fault("expected exit 4 naming the failed task");
        }
    }

    /// What must hold after the commands, whatever they were: the task created once, and no
    /// partial file left.
    fn check_after(&self, faults: &mut String) {
        if self.mock.create_count_for_prompt(&self.seed_prompt) != 1 {
            let _ = writeln!(faults, "  the task was created again");
        }
        let partial = walk(self.dir.path())
            .into_iter()
            .filter(|path| path.to_string_lossy().contains(".part"))
            .collect::<Vec<_>>();
        if !partial.is_empty() {
            let _ = writeln!(faults, "  partial files left: {partial:?}");
        }
    }
}

/// Runs one cell: the task in `state`, then `a` and `b` (if any) started at once. Returns
/// what went wrong, and whether the task was still running when both had started.
async fn cell(state: State, a: Cmd, b: Option<Cmd>) -> (String, bool) {
    let cell = match Cell::new(state).await {
        Ok(cell) => cell,
        Err(why) => return (format!("  setup: {why}\n"), false),
    };
    // A batch beside a batch runs the same file: its line is the task they share.
    let a_args = cell.args(a, "a", "a");
    let b_args = b.map(|b| cell.args(b, "b", if a == Cmd::Batch { "a" } else { "b" }));
    let first = cell.command(&a_args, HERE).spawn().unwrap();
    let second: Option<Child> = b_args.map(|args| cell.command(&args, HERE).spawn().unwrap());
    let running = !matches!(
        cell.mock.task_phase(&cell.task),
        Some(Phase::Succeeded | Phase::Failed)
    );
    let (first, second) = tokio::task::spawn_blocking(move || {
        (
            first.wait_with_output().unwrap(),
            second.map(|child| child.wait_with_output().unwrap()),
        )
    })
    .await
    .unwrap();
    let mut faults = String::new();
    cell.check(a, "a", "a", &first, &mut faults);
    if let (Some(b), Some(second)) = (b, &second) {
        let batch_side = if a == Cmd::Batch { "a" } else { "b" };
        cell.check(b, "b", batch_side, second, &mut faults);
    }
    cell.check_after(&mut faults);
    (faults, running && state == State::Running)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_pair_of_commands_and_each_alone_on_one_task_in_every_state() {
    // Every unordered pair (a command beside itself too), and each command alone.
    let mut pairs: Vec<(Cmd, Option<Cmd>)> = Vec::new();
    for (i, a) in COMMANDS.iter().enumerate() {
        pairs.push((*a, None));
        for b in &COMMANDS[i..] {
            pairs.push((*a, Some(*b)));
        }
    }
    // Most of a cell is waiting (for the other process's lease, for the mock's task), so
    // several run at once, each on its own journal, mock and folder.
    let permits = Arc::new(tokio::sync::Semaphore::new(24));
    let mut cells = tokio::task::JoinSet::new();
    for state in STATES {
        for &(a, b) in &pairs {
            let permits = permits.clone();
            cells.spawn(async move {
                let _permit = permits.acquire_owned().await.unwrap();
                let started = std::time::Instant::now();
                let (faults, running) = cell(state, a, b).await;
                eprintln!(
                    "TIMING {state:?} {a:?} {b:?} {:.2}",
                    started.elapsed().as_secs_f64()
                );
                (state, a, b, faults, running)
            });
        }
    }
    let mut report = String::new();
    let (mut total, mut running_cells) = (0, 0);
    while let Some(joined) = cells.join_next().await {
        let (state, a, b, faults, running) = joined.unwrap();
        total += 1;
        running_cells += usize::from(running);
        if !faults.is_empty() {
            let _ = writeln!(report, "{state:?}: {a:?} + {b:?}\n{faults}");
        }
    }
    assert_eq!(total, STATES.len() * pairs.len());
    eprintln!(
        "{total} cells; in {running_cells} of the {} running ones the task was still running when both had started",
        pairs.len()
    );
    assert!(report.is_empty(), "{report}");
}

fn generate_args(prompt: &str, path: &Path) -> Vec<String> {
    strings(&[
        "--json",
        "generate",
        prompt,
        "-o",
        &text(path),
        "--poll-interval",
        "0.05",
    ])
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| arg.to_string()).collect()
}

fn text(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

/// The last line of stdout that is JSON (a batch prints one object per line, then its
/// summary), or null.
fn last_json(output: &Output) -> Value {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .rev()
        .find_map(|line| serde_json::from_str(line).ok())
        .unwrap_or(Value::Null)
}

fn describe(output: &Output) -> String {
    format!(
        "    exit {:?}\n    stdout: {}\n    stderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).trim(),
        String::from_utf8_lossy(&output.stderr)
            .trim()
            .replace('\n', "\n            ")
    )
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
