//! No task lost, none made twice, across crashes: the journal, `tasks`, `resume` and `batch`,
//! with the program killed (SIGKILL) mid-way and run again.

use std::path::{Path, PathBuf};
use std::process::{Child, Output};
use std::time::Duration;

use crate::common::*;
use anyfast_mock::{Fault, FaultKind, MockConfig, MockServer, Route, SAMPLE_VIDEO, Timing};
use serde_json::Value;

/// Runs the program against `mock` with its own journal (flags win over the environment).
async fn run_with(mock: &MockServer, journal: &Path, args: &[&str]) -> Output {
    let mut command = command();
    command
        .env("ANYFAST_API_KEY", KEY)
        .args(["--base-url", &mock.base_url(), "--journal"])
        .arg(journal)
        .args(args);
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// Starts the program with its own journal in the background, to be killed.
fn spawn_with(mock: &MockServer, journal: &Path, args: &[&str]) -> Child {
    let journal = journal.to_str().unwrap();
    let args: Vec<&str> = ["--journal", journal].iter().chain(args).copied().collect();
    spawn(mock, &args)
}

fn lasting(seconds: u64) -> MockConfig {
    MockConfig::default().timing(Timing::Lasting(Duration::from_secs(seconds)))
}

fn part_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "part"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_generate_killed_mid_wait_is_finished_by_resume_all() {
    let mock = MockServer::start(lasting(4)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.sqlite");
    let video = dir.path().join("cat.mp4");
    let child = spawn_with(
        &mock,
        &journal,
        &[
            "generate",
            "a killed cat",
            "-o",
            video.to_str().unwrap(),
            "--poll-interval",
            "0.05",
        ],
    );
    until("a poll", || mock.count(Route::Get) >= 2).await;
    kill_9(child).await;
    assert!(!video.exists());

    let listed = json(&run_with(&mock, &journal, &["tasks", "--json"]).await);
    let row = &listed[0];
    assert_eq!(row["state"], "waiting", "{listed}");
    assert!(row["output"].as_str().unwrap().ends_with("cat.mp4"));
    assert_eq!(row["prompt"], "a killed cat");
    assert!(
        !row.to_string().contains(KEY),
        "the journal never holds the key"
    );

    let resumed = run_with(
        &mock,
        &journal,
        &["resume", "--all", "--poll-interval", "0.05"],
    )
    .await;
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert_eq!(std::fs::read(&video).unwrap(), SAMPLE_VIDEO);
    assert_eq!(
        mock.create_count_for_prompt("a killed cat"),
        1,
        "never created again"
    );

    let listed = json(&run_with(&mock, &journal, &["tasks", "--json"]).await);
    assert_eq!(listed[0]["state"], "done");
    let statuses: Vec<&str> = listed[0]["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|seen| seen["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.last(), Some(&"succeeded"), "{statuses:?}");
    let nothing = run_with(
        &mock,
        &journal,
        &["resume", "--all", "--poll-interval", "0.05"],
    )
    .await;
    assert_eq!(stdout(&nothing).trim(), "nothing to resume");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_that_never_answered_is_shown_as_unknown_and_never_resent() {
    let mock = mock_with_a_create_in_flight().await;
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.sqlite");
    let child = spawn_with(&mock, &journal, &["create", "a lost cat"]);
    until("the create", || mock.count(Route::Create) >= 1).await;
    kill_9(child).await;

    let listed = json(&run_with(&mock, &journal, &["tasks", "--json"]).await);
    assert_eq!(listed[0]["state"], "sending", "{listed}");
    let human = stdout(&run_with(&mock, &journal, &["tasks"]).await);
    assert!(human.contains("(outcome unknown)"), "{human}");
    let resumed = run_with(
        &mock,
        &journal,
        &["resume", "--all", "--poll-interval", "0.05"],
    )
    .await;
    assert_eq!(stdout(&resumed).trim(), "nothing to resume");
    assert_eq!(mock.count(Route::Create), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_journal_file_nothing_is_sent() {
    let mock = MockServer::start(MockConfig::default().timing(Timing::Instant))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let output = run_with(&mock, dir.path(), &["create", "a cat"]).await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--no-journal"),
        "{}",
        stderr(&output)
    );
    assert_eq!(mock.count(Route::Create), 0);

    let mut command = command();
    command.env("ANYFAST_API_KEY", KEY).args([
        "--base-url",
        &mock.base_url(),
        "--no-journal",
        "create",
        "a cat",
    ]);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(mock.count(Route::Create), 1);
}

/// How many rows of the journal have a task id (0 while the file is being made).
fn recorded_tasks(journal: &Path) -> usize {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    rusqlite::Connection::open_with_flags(journal, flags)
        .and_then(|connection| {
            connection.query_row(
                "SELECT count(*) FROM tasks WHERE task_id IS NOT NULL",
                [],
                |row| row.get::<_, i64>(0),
            )
        })
        .map_or(0, |count| count as usize)
}

/// A batch file of `count` text lines, each with its own prompt and output name.
fn batch_file(dir: &Path, count: usize, prompt: &str) -> PathBuf {
    let path = dir.join("batch.jsonl");
    let lines: Vec<String> = (1..=count)
        .map(|n| {
            serde_json::json!({
                "model": "seedance-fast",
                "content": [{"type": "text", "text": format!("{prompt} {n}")}],
                "duration": 5,
                "output": format!("clip-{n}.mp4"),
            })
            .to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n\n").unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_killed_midway_and_rerun_makes_every_line_once() {
    let lines = 12;
    let mock = MockServer::start(lasting(2)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.sqlite");
    let file = batch_file(dir.path(), lines, "crash");
    let out = dir.path().join("out");
    let args = [
        "batch",
        file.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--concurrency",
        "4",
        "--poll-interval",
        "0.05",
    ];
    let child = spawn_with(&mock, &journal, &args);
    // Killed once the first four videos are downloaded and the next four tasks are created and
    // recorded, while they run: tasks last 2 s, so no create is in flight for the next 2 s. (A
    // kill during a create leaves its line's outcome unknown, rightly, and then it is never
    // sent again unasked; that is another test's.)
    until("four downloads and eight recorded tasks", || {
        mock.count(Route::Download) >= 4
            && mock.count(Route::Create) >= 8
            && recorded_tasks(&journal) == mock.count(Route::Create)
    })
    .await;
    kill_9(child).await;
    let created_before = mock.count(Route::Create);
    assert!(
        created_before < lines,
        "killed mid-way: {created_before} creates"
    );

    let rerun = run_with(&mock, &journal, &args).await;
    assert!(
        rerun.status.success(),
        "{}\n{}",
        stdout(&rerun),
        stderr(&rerun)
    );
    for n in 1..=lines {
        assert_eq!(
            mock.create_count_for_prompt(&format!("crash {n}")),
            1,
            "line {n}"
        );
        let video = out.join(format!("clip-{n}.mp4"));
        assert_eq!(std::fs::read(&video).unwrap(), SAMPLE_VIDEO, "line {n}");
    }
    assert_eq!(part_files(&out), Vec::<PathBuf>::new());
    let summary = stdout(&rerun);
    assert!(
        summary.contains("done") && summary.contains(&lines.to_string()),
        "{summary}"
    );

    // A third run has nothing left to do.
    let third = run_with(&mock, &journal, &args).await;
    assert!(third.status.success());
    assert_eq!(mock.count(Route::Create), lines);
    assert!(
        stdout(&third).contains(&format!(
            "0 creates sent, 0 refused before sending, 0 resumed, {lines} skipped"
        )),
        "{}",
        stdout(&third)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_line_with_an_unknown_outcome_is_left_alone_unless_asked() {
    let mock = MockServer::start(
        MockConfig::default()
            .timing(Timing::Instant)
            .fault(Fault::next(
                Route::Create,
                1,
                FaultKind::ServerError {
                    status: 502,
                    html: true,
                },
            )),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.sqlite");
    let file = batch_file(dir.path(), 3, "unknown");
    let out = dir.path().join("out");
    let args = [
        "--json",
        "batch",
        file.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--concurrency",
        "1",
        "--poll-interval",
        "0.05",
    ];
    let first = run_with(&mock, &journal, &args).await;
    assert_eq!(first.status.code(), Some(4), "{}", stderr(&first));
    let lines: Vec<Value> = stdout(&first)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        4,
        "one object per line, then the summary: {lines:?}"
    );
    let unknown: Vec<&Value> = lines
        .iter()
        .filter(|line| line["result"] == "unknown")
        .collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(lines[3]["summary"]["done"], 2);
    assert!(
        stderr(&first).contains("--retry-unknown"),
        "{}",
        stderr(&first)
    );

    let second = run_with(&mock, &journal, &args).await;
    assert_eq!(second.status.code(), Some(4));
    assert_eq!(
        mock.count(Route::Create),
        3,
        "the unknown line is not sent again"
    );

    let mut retry = args.to_vec();
    retry.push("--retry-unknown");
    let third = run_with(&mock, &journal, &retry).await;
    assert!(third.status.success(), "{}", stderr(&third));
    assert_eq!(mock.count(Route::Create), 4);
    let keys: Vec<String> = mock
        .requests()
        .into_iter()
        .filter(|request| request.route == Route::Create)
        .filter_map(|request| request.idempotency_key)
        .collect();
    let repeated = keys
        .iter()
        .filter(|key| mock.create_count_for_idempotency_key(key) == 2)
        .count();
    assert_eq!(
        repeated, 2,
        "the retried line carries its first key again: {keys:?}"
    );
    for n in 1..=3 {
        assert!(out.join(format!("clip-{n}.mp4")).exists());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_lines_are_reported_with_their_field_and_the_others_are_made() {
    let mock = MockServer::start(MockConfig::default().timing(Timing::Instant))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.sqlite");
    let file = dir.path().join("batch.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"model": "seedance-fast", "content": [{"type": "text", "text": "fine"}]}"#,
            r#"{"model": "seedance-fast", "content": [{"type": "text", "text": "too long"}], "duration": 99}"#,
            "not json at all",
            r#"{"model": "seedance-fast", "content": [{"type": "text", "text": "escape"}], "output": "../x.mp4"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = run_with(
        &mock,
        &journal,
        &[
            "batch",
            file.to_str().unwrap(),
            "--out-dir",
            out.to_str().unwrap(),
            "--poll-interval",
            "0.05",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(4));
    let text = format!("{}{}", stdout(&output), stderr(&output));
    assert!(
        text.contains("line 2: failed") && text.contains("duration"),
        "{text}"
    );
    assert!(
        text.contains("line 3: failed") && text.contains("not JSON"),
        "{text}"
    );
    assert!(
        text.contains("line 4: failed") && text.contains("inside --out-dir"),
        "{text}"
    );
    assert_eq!(mock.count(Route::Create), 1);
    assert!(out.join("line-1.mp4").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn resume_saves_again_a_done_video_that_went_missing_or_was_cut_short() {
    let mock = MockServer::start(MockConfig::default().timing(Timing::Instant))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.sqlite");
    let video = dir.path().join("cat.mp4");
    let args = [
        "generate",
        "a kept cat",
        "-o",
        video.to_str().unwrap(),
        "--poll-interval",
        "0.05",
    ];
    assert!(run_with(&mock, &journal, &args).await.status.success());
    let resume = ["resume", "--all", "--poll-interval", "0.05"];
    assert_eq!(
        stdout(&run_with(&mock, &journal, &resume).await).trim(),
        "nothing to resume"
    );

    std::fs::write(&video, b"cut short").unwrap();
    let mended = run_with(&mock, &journal, &resume).await;
    assert!(mended.status.success(), "{}", stderr(&mended));
    assert_eq!(std::fs::read(&video).unwrap(), SAMPLE_VIDEO);
    std::fs::remove_file(&video).unwrap();
    let saved = run_with(&mock, &journal, &resume).await;
    assert!(saved.status.success(), "{}", stderr(&saved));
    assert_eq!(std::fs::read(&video).unwrap(), SAMPLE_VIDEO);
    assert_eq!(
        mock.count(Route::Create),
        1,
        "saved again, never made again"
    );
    assert_eq!(mock.count(Route::Download), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_that_is_not_a_journal_is_refused_and_left_as_it_was() {
    let mock = MockServer::start(MockConfig::default().timing(Timing::Instant))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.sqlite");
    {
        let connection = rusqlite::Connection::open(&notes).unwrap();
        connection
            .execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');")
            .unwrap();
    }
    let before = std::fs::read(&notes).unwrap();
    let output = run_with(&mock, &notes, &["create", "a cat"]).await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(
        said.contains("another program") && said.contains("recipes"),
        "{said}"
    );
    assert!(!said.contains("CREATE TABLE"), "no schema dump: {said}");
    assert_eq!(std::fs::read(&notes).unwrap(), before);
    assert!(!dir.path().join("notes.sqlite-wal").exists());
    assert_eq!(mock.count(Route::Create), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn each_bad_line_is_its_own_failure_and_the_summary_counts_what_happened() {
    let mock = MockServer::start(MockConfig::default().timing(Timing::Instant))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.sqlite");
    let file = dir.path().join("export.jsonl");
    let good = |text: &str| {
        format!(
            r#"{{"model": "seedance-fast", "content": [{{"type": "text", "text": "{text}"}}]}}"#
        )
    };
    let mut bytes = Vec::new();
    bytes.extend(good("first").into_bytes());
    bytes.extend(b"\n");
    // A spreadsheet's Latin-1 export: "caf\xe9" is not UTF-8.
    bytes.extend(b"{\"model\": \"seedance-fast\", \"content\": [{\"type\": \"text\", \"text\": \"caf\xe9\"}]}\r\n");
    bytes.extend(good("second").into_bytes());
    bytes.extend(b"\n[1, 2, 3]\n{\"model\": \n");
    bytes.extend(
        good("refused before sending")
            .replace("]}", "], \"duration\": 99}")
            .into_bytes(),
    );
    bytes.extend(b"\n");
    bytes.extend(good("last").into_bytes());
    bytes.extend(b"\n");
    std::fs::write(&file, bytes).unwrap();
    let out = dir.path().join("out");
    let args = [
        "batch",
        file.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--poll-interval",
        "0.05",
    ];
    let output = run_with(&mock, &journal, &args).await;
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let text = format!("{}{}", stdout(&output), stderr(&output));
    for (line, why) in [
        (2, "not UTF-8: the byte 0xE9 at column 69"),
        (4, "not a JSON object"),
        (5, "not JSON"),
        (6, "duration"),
    ] {
        assert!(
            text.contains(&format!("line {line}: failed")) && text.contains(why),
            "line {line}: {text}"
        );
    }
    assert!(
        stdout(&output).contains(
            "(this run: 3 creates sent, 4 refused before sending, 0 resumed, 0 skipped as done"
        ),
        "{}",
        stdout(&output)
    );
    assert_eq!(mock.count(Route::Create), 3);
    for n in [1, 3, 7] {
        assert_eq!(
            std::fs::read(out.join(format!("line-{n}.mp4"))).unwrap(),
            SAMPLE_VIDEO,
            "line {n}"
        );
    }
}

/// The partial files (`NAME.TAG.part`) in `dir`.
fn partial_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".part"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_and_sighup_during_a_download_leave_no_file_and_resume_finishes_without_a_create() {
    for (signal, code) in [("-TERM", 143), ("-HUP", 129)] {
        // The first download hangs: the signal comes while its partial file is open.
        let mock = MockServer::start(MockConfig::default().timing(Timing::Instant).fault(
            Fault::next(
                Route::Download,
                1,
                FaultKind::Latency(Duration::from_secs(30)),
            ),
        ))
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("journal.sqlite");
        let video = dir.path().join("cat.mp4");
        let child = spawn_with(
            &mock,
            &journal,
            &[
                "generate",
                "a stopped cat",
                "-o",
                video.to_str().unwrap(),
                "--poll-interval",
                "0.05",
            ],
        );
        until("the download's partial file", || {
            !partial_files(dir.path()).is_empty()
        })
        .await;
        std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        let stopped = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
            .await
            .unwrap();
        assert_eq!(
            stopped.status.code(),
            Some(code),
            "{signal}: {}",
            stderr(&stopped)
        );
        let said = stderr(&stopped);
        let name = if signal == "-TERM" {
            "SIGTERM"
        } else {
            "SIGHUP"
        };
        assert!(
            said.contains(&format!("interrupted by {name}"))
                && said.contains("Resume with: anyfast-video wait cgt-"),
            "{said}"
        );
        assert!(!video.exists(), "{signal}: no video");
        assert_eq!(
            partial_files(dir.path()),
            Vec::<PathBuf>::new(),
            "{signal}: no partial file"
        );

        let resumed = run_with(
            &mock,
            &journal,
            &["resume", "--all", "--poll-interval", "0.05"],
        )
        .await;
        assert!(resumed.status.success(), "{}", stderr(&resumed));
        assert_eq!(std::fs::read(&video).unwrap(), SAMPLE_VIDEO);
        assert_eq!(
            mock.count(Route::Create),
            1,
            "{signal}: never created again"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn out_of_credit_stops_a_batch_creating_and_the_running_lines_finish() {
    let mock = MockServer::start(lasting(1)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.sqlite");
    let file = batch_file(dir.path(), 6, "credit");
    let out = dir.path().join("out");
    let args = [
        "batch",
        file.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--concurrency",
        "2",
        "--poll-interval",
        "0.05",
    ];
    let mut command = command();
    command
        .env("ANYFAST_API_KEY", KEY)
        .args(["--base-url", &mock.base_url(), "--journal"])
        .arg(&journal)
        .args(args);
    let running = tokio::task::spawn_blocking(move || command.output().unwrap());
    until("two creates", || mock.count(Route::Create) >= 2).await;
    // The account runs dry while the first two lines run.
    mock.inject(Fault::new(Some(Route::Create), FaultKind::OutOfCredit));
    let output = running.await.unwrap();
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let said = format!("{}{}", stdout(&output), stderr(&output));
    assert!(
        said.contains("out of credit (insufficient_user_quota): top up"),
        "{said}"
    );
    assert!(said.contains("not started"), "{said}");
    // Two made; the lines started next (at most the two that take their places) refused;
    // then no more creates.
    let creates = mock.count(Route::Create);
    assert!((3..=4).contains(&creates), "{creates} creates: {said}");
    for n in [5, 6] {
        assert_eq!(
            mock.create_count_for_prompt(&format!("credit {n}")),
            0,
            "line {n} was never sent"
        );
    }
    for n in [1, 2] {
        assert_eq!(
            std::fs::read(out.join(format!("clip-{n}.mp4"))).unwrap(),
            SAMPLE_VIDEO,
            "the running line {n} finished"
        );
    }
}
