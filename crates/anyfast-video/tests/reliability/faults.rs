//! The fault matrix: every fault the mock injects, and every answer shape, against every
//! operation, with the outcome each cell must have.

use std::fmt;

use anyfast_mock::{Fault, FaultKind, MockConfig, MockServer, Route, Shape, Timing};
use anyfast_video::{Error, Task, TaskStatus, VideoRequest};
use futures_util::future::join_all;

use crate::common::quick_generate;
use crate::support::{SLOWER_THAN_THE_TIMEOUT, client, mock, quick_wait};

/// What a cell puts in the mock's way.
#[derive(Clone, Debug)]
enum Injected {
    /// A fault on the operation's route(s), for the next `times` requests.
    Fault(FaultKind, u32),
    /// Every answer in another documented shape.
    Shape(Shape),
    /// Every answer drifting (seeded).
    Drift(u64),
}

impl fmt::Display for Injected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Injected::Fault(FaultKind::RateLimited { .. }, _) => f.write_str("429 + Retry-After"),
            Injected::Fault(FaultKind::ServerError { status, html }, _) => {
                write!(f, "{status} {}", if *html { "html" } else { "json" })
            }
            Injected::Fault(FaultKind::DropConnection, _) => f.write_str("reset"),
            Injected::Fault(FaultKind::TruncateBody, _) => f.write_str("cut-off body"),
            Injected::Fault(FaultKind::MalformedJson, _) => f.write_str("malformed JSON"),
            Injected::Fault(FaultKind::Latency(_), _) => f.write_str("slower than timeout"),
            Injected::Fault(FaultKind::SlowAnswer(_), _) => f.write_str("slow, yet processed"),
            Injected::Fault(FaultKind::StatusWord(word), _) => write!(f, "status {word}"),
            Injected::Fault(FaultKind::OutOfCredit, _) => f.write_str("out of credit"),
            Injected::Shape(shape) => write!(f, "shape {shape:?}"),
            Injected::Drift(seed) => write!(f, "drift {seed}"),
        }
    }
}

/// The operations of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operation {
    Create,
    Get,
    Wait,
    Download,
    Generate,
}

const OPERATIONS: [Operation; 5] = [
    Operation::Create,
    Operation::Get,
    Operation::Wait,
    Operation::Download,
    Operation::Generate,
];

/// What a cell must come to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expected {
    /// The operation succeeds: the fault was ridden out.
    Survives,
    /// A create whose request may have reached the service ends in `CreateOutcomeUnknown`,
    /// never retried, never duplicated, the id carried when the answer had one.
    ReportedUnknown,
    /// The fault cannot reach this operation (the download host answers no JSON).
    NotApplicable,
}

fn injections() -> Vec<Injected> {
    let mut all = vec![Injected::Fault(
        FaultKind::RateLimited {
            retry_after_secs: 0,
        },
        2,
    )];
    for status in [500, 502, 503] {
        for html in [false, true] {
            all.push(Injected::Fault(FaultKind::ServerError { status, html }, 2));
        }
    }
    all.extend([
        Injected::Fault(FaultKind::DropConnection, 2),
        Injected::Fault(FaultKind::TruncateBody, 2),
        Injected::Fault(FaultKind::Latency(SLOWER_THAN_THE_TIMEOUT), 1),
        Injected::Fault(FaultKind::MalformedJson, 2),
        Injected::Fault(FaultKind::SlowAnswer(SLOWER_THAN_THE_TIMEOUT), 1),
        Injected::Fault(FaultKind::StatusWord("PAUSED_FOR_REVIEW".into()), 2),
        Injected::Shape(Shape::Wrapper),
        Injected::Shape(Shape::Flat),
        Injected::Shape(Shape::Ark),
        Injected::Drift(1),
        Injected::Drift(2),
    ]);
    all
}

fn expected(injected: &Injected, operation: Operation) -> Expected {
    let Injected::Fault(kind, _) = injected else {
        return Expected::Survives;
    };
    match (operation, kind) {
        (Operation::Create, FaultKind::RateLimited { .. } | FaultKind::StatusWord(_)) => {
            Expected::Survives
        }
        // The download host answers no JSON, so no JSON fault reaches it.
        (Operation::Download, FaultKind::StatusWord(_)) => Expected::NotApplicable,
        (Operation::Create, _) => Expected::ReportedUnknown,
        (Operation::Download, FaultKind::MalformedJson) => Expected::NotApplicable,
        _ => Expected::Survives,
    }
}

/// One cell's result.
struct Cell {
    injected: String,
    operation: Operation,
    expected: Expected,
    faults: u32,
    lost: u32,
    duplicates: u32,
    problem: Option<String>,
}

/// The matrix's figures.
pub struct Matrix {
    cells: Vec<Cell>,
    pub problems: Vec<String>,
}

impl Matrix {
    pub fn summary(&self) -> String {
        let ran: Vec<&Cell> = self
            .cells
            .iter()
            .filter(|cell| cell.expected != Expected::NotApplicable)
            .collect();
        let injected: u32 = ran.iter().map(|cell| cell.faults).sum();
        let survived = ran
            .iter()
            .filter(|cell| cell.problem.is_none())
            .map(|cell| cell.faults)
            .sum::<u32>();
        let reported = ran
            .iter()
            .filter(|cell| cell.expected == Expected::ReportedUnknown)
            .count();
        let mut text = format!(
            "fault matrix: {} cells ({} operations × {} faults and shapes, {} not applicable); \
             faults injected {injected}, survived or reported {survived}; creates reported as \
             of unknown outcome {reported}; task ids lost {}; duplicate creates without opt-in {}",
            ran.len(),
            OPERATIONS.len(),
            self.cells.len() / OPERATIONS.len(),
            self.cells.len() - ran.len(),
            self.cells.iter().map(|cell| cell.lost).sum::<u32>(),
            self.cells.iter().map(|cell| cell.duplicates).sum::<u32>(),
        );
        text.push_str("\n  fault / shape            create   get      wait     download generate");
        for row in self.cells.chunks(OPERATIONS.len()) {
            let marks: Vec<String> = row
                .iter()
                .map(|cell| {
                    let mark = match (cell.expected, &cell.problem) {
                        (Expected::NotApplicable, _) => "-",
                        (_, Some(_)) => "FAILED",
                        (Expected::Survives, None) => "ok",
                        (Expected::ReportedUnknown, None) => "unknown",
                    };
                    format!("{mark:<8}")
                })
                .collect();
            text.push_str(&format!("\n  {:<24} {}", row[0].injected, marks.join(" ")));
        }
        text
    }
}

pub async fn run() -> Matrix {
    let mut cells = Vec::new();
    for injected in injections() {
        let row = OPERATIONS.map(|operation| cell(injected.clone(), operation));
        cells.extend(join_all(row).await);
    }
    let problems = cells
        .iter()
        .filter_map(|cell| {
            cell.problem
                .as_ref()
                .map(|problem| format!("{} × {:?}: {problem}", cell.injected, cell.operation))
        })
        .collect();
    Matrix { cells, problems }
}

fn config(injected: &Injected) -> MockConfig {
    let config = MockConfig::default().timing(Timing::Instant);
    match injected {
        Injected::Shape(shape) => config.shape(*shape),
        Injected::Drift(seed) => config.drift(*seed),
        Injected::Fault(..) => config,
    }
}

/// The routes an operation's fault goes on: its own, or, for generate, those after the
/// create (a create fault is the create row's).
fn routes(operation: Operation) -> &'static [Route] {
    match operation {
        Operation::Create => &[Route::Create],
        Operation::Get | Operation::Wait => &[Route::Get],
        Operation::Download => &[Route::Download],
        Operation::Generate => &[Route::Get, Route::Download],
    }
}

async fn cell(injected: Injected, operation: Operation) -> Cell {
    let expected = expected(&injected, operation);
    let mut cell = Cell {
        injected: injected.to_string(),
        operation,
        expected,
        faults: 0,
        lost: 0,
        duplicates: 0,
        problem: None,
    };
    if expected == Expected::NotApplicable {
        return cell;
    }
    let mock = mock(config(&injected)).await;
    let client = client(&mock);
    let prompt = format!("{injected} × {operation:?}");
    // Everything before the operation runs without faults.
    let prepared = match operation {
        Operation::Get | Operation::Wait => Some(create(&client, &prompt).await),
        Operation::Download => match create(&client, &prompt).await {
            Ok(task) => Some(client.videos().wait(&task.id, quick_wait()).await),
            failed => Some(failed),
        },
        Operation::Create | Operation::Generate => None,
    };
    if let Some(Err(error)) = &prepared {
        cell.problem = Some(format!("could not prepare: {error}"));
        return cell;
    }
    if let Injected::Fault(kind, times) = &injected {
        for route in routes(operation) {
            mock.inject(Fault::next(*route, *times, kind.clone()));
            cell.faults += times;
        }
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("v.mp4");
    let prepared = prepared.and_then(Result::ok);
    let result: Result<Option<Task>, Error> = match operation {
        Operation::Create => create(&client, &prompt).await.map(Some),
        Operation::Get => {
            let id = &prepared.expect("prepared").id;
            client.videos().get(id).await.map(Some)
        }
        Operation::Wait => {
            let id = &prepared.expect("prepared").id;
            client.videos().wait(id, quick_wait()).await.map(Some)
        }
        Operation::Download => {
            let task = prepared.expect("prepared");
            client.videos().download(&task, &path).await.map(|_| None)
        }
        Operation::Generate => client
            .videos()
            .generate_with(VideoRequest::text(prompt.as_str()), &path, quick_generate())
            .await
            .map(Some),
    };
    judge(&mut cell, &mock, &prompt, result, &path);
    mock.stop().await;
    cell
}

async fn create(client: &anyfast_video::Client, prompt: &str) -> Result<Task, Error> {
    client.videos().create(VideoRequest::text(prompt)).await
}

fn judge(
    cell: &mut Cell,
    mock: &MockServer,
    prompt: &str,
    result: Result<Option<Task>, Error>,
    path: &std::path::Path,
) {
    let made = mock.task_count_for_prompt(prompt) as u32;
    cell.duplicates = made.saturating_sub(1);
    let video_needed = matches!(cell.operation, Operation::Download | Operation::Generate);
    match (cell.expected, result) {
        (Expected::Survives, Ok(task)) => {
            if let Some(task) = &task
                && matches!(cell.operation, Operation::Wait | Operation::Generate)
                && task.status != TaskStatus::Succeeded
            {
                cell.problem = Some(format!("ended {}", task.status));
            }
            let saved = std::fs::read(path).ok();
            if video_needed && saved.as_deref() != Some(anyfast_mock::SAMPLE_VIDEO) {
                cell.problem = Some("the video is missing or not whole".into());
            }
        }
        (Expected::ReportedUnknown, Err(Error::CreateOutcomeUnknown { task_id, .. })) => {
            // The task may exist: the error must say so, and carry its id when the answer
            // that came named it. A task made without any answer is reported, not lost.
            if made == 1
                && let Some(found) = task_id
                && !mock_has(mock, &found)
            {
                cell.problem = Some(format!("reported a task id that does not exist: {found}"));
            }
        }
        (expected, Err(error)) => {
            if made == 1 && error.task_id().is_none() {
                cell.lost += 1;
            }
            cell.problem = Some(format!("expected {expected:?}, got {error}"));
        }
        (expected, Ok(_)) => cell.problem = Some(format!("expected {expected:?}, got success")),
    }
    if cell.duplicates > 0 {
        cell.problem = Some(format!("{made} tasks made for one create"));
    }
}

fn mock_has(mock: &MockServer, id: &str) -> bool {
    mock.task_phase(id).is_some()
}
