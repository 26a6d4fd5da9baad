//! The `anyfast-video` program against anyfast-mock, as a script or a person runs it.

use std::path::Path;

use anyfast_mock::{MockConfig, MockServer, Route, SAMPLE_VIDEO, Timing};

use crate::common::*;

#[tokio::test(flavor = "multi_thread")]
async fn generate_writes_the_video_and_prints_its_path() {
    let mock = mock(Timing::Fast).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cat.mp4");
    let output = run(
        &mock,
        &[
            "generate",
            "一只猫在阳光明媚的房间里弹钢琴",
            "-o",
            path.to_str().unwrap(),
            "--poll-interval",
            "0.05",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).trim(), path.to_str().unwrap());
    assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
    assert!(
        stderr(&output).contains("succeeded 100%"),
        "{}",
        stderr(&output)
    );
    let all = format!("{}{}", stdout(&output), stderr(&output));
    assert!(!all.contains(KEY));
}

#[tokio::test(flavor = "multi_thread")]
async fn every_command_prints_one_json_object_with_json() {
    let mock = mock(Timing::Instant).await;
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();

    let created = json(
        &run(
            &mock,
            &[
                "--json",
                "create",
                "a cat",
                "--ratio",
                "16:9",
                "--duration",
                "auto",
            ],
        )
        .await,
    );
    let id = created["id"].as_str().unwrap().to_string();
    let sent = mock.requests()[0].body.clone().unwrap();
    assert_eq!(
        (sent["ratio"].as_str(), sent["duration"].as_i64()),
        (Some("16:9"), Some(-1))
    );

    let status = json(&run(&mock, &["status", &id, "--json"]).await);
    assert_eq!(status["status"], "succeeded");
    assert!(
        status["video_url"]
            .as_str()
            .unwrap()
            .starts_with(&mock.download_base_url())
    );

    let waited = json(&run(&mock, &["--json", "wait", &id, "--poll-interval", "0.05"]).await);
    assert_eq!(waited["progress"], 100);

    let downloaded = json(&run(&mock, &["--json", "download", &id, "-o", &out("d.mp4")]).await);
    assert_eq!(downloaded["bytes"], SAMPLE_VIDEO.len());

    let generated = json(
        &run(
            &mock,
            &[
                "--json",
                "generate",
                "a dog",
                "--no-audio",
                "--watermark",
                "-o",
                &out("g.mp4"),
                "--poll-interval",
                "0.05",
            ],
        )
        .await,
    );
    assert_eq!(generated["status"], "succeeded");
    assert!(generated["id"].as_str().unwrap().starts_with("cgt-"));
    assert_eq!(generated["path"], out("g.mp4"));
    let sent = mock
        .requests()
        .into_iter()
        .rfind(|r| r.route == Route::Create)
        .unwrap()
        .body
        .unwrap();
    assert_eq!(
        (
            sent["generate_audio"].as_bool(),
            sent["watermark"].as_bool()
        ),
        (Some(false), Some(true))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_validation_error_exits_2_naming_the_field_and_sends_nothing() {
    let mock = mock(Timing::Instant).await;
    let output = run(
        &mock,
        &["create", "a cat", "--audio", "https://example.com/a.mp3"],
    )
    .await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("content: audio needs an image or a video"),
        "{}",
        stderr(&output)
    );

    let output = run(
        &mock,
        &[
            "--json",
            "generate",
            "a cat",
            "--duration",
            "3",
            "-o",
            "never.mp4",
            "--poll-interval",
            "0.05",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(2));
    let error = json(&output);
    assert_eq!(error["error"]["field"], "duration");
    assert_eq!(error["error"]["kind"], "invalid_request");
    assert!(mock.requests().is_empty());
    assert!(!Path::new("never.mp4").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_task_exits_4_with_the_reason() {
    let mock = mock(Timing::Instant).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.mp4");
    let output = run(
        &mock,
        &[
            "--json",
            "generate",
            "[mock:fail=SensitiveContentDetected]",
            "-o",
            path.to_str().unwrap(),
            "--poll-interval",
            "0.05",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(4));
    assert!(
        stderr(&output).contains("SensitiveContentDetected"),
        "{}",
        stderr(&output)
    );
    let error = json(&output);
    assert_eq!(error["error"]["kind"], "task_failed");
    assert!(
        error["error"]["task_id"]
            .as_str()
            .unwrap()
            .starts_with("cgt-")
    );
    assert!(!path.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_picks_up_a_task_created_earlier_and_downloads_it() {
    let mock = mock(Timing::Fast).await;
    let id = stdout(&run(&mock, &["create", "a cat"]).await)
        .trim()
        .to_string();
    assert!(id.starts_with("cgt-"), "{id}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("later.mp4");
    let output = run(
        &mock,
        &[
            "wait",
            &id,
            "-o",
            path.to_str().unwrap(),
            "--poll-interval",
            "0.05",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_error_exits_3_and_a_wait_past_its_deadline_exits_5() {
    let mock = mock(Timing::Realistic).await;
    let unknown = run(&mock, &["status", "cgt-unknown"]).await;
    assert_eq!(unknown.status.code(), Some(3));
    assert!(stderr(&unknown).contains("404"), "{}", stderr(&unknown));

    let id = stdout(&run(&mock, &["create", "a cat"]).await)
        .trim()
        .to_string();
    let late = run(
        &mock,
        &["wait", &id, "--timeout", "0", "--poll-interval", "0.05"],
    )
    .await;
    assert_eq!(late.status.code(), Some(5), "{}", stderr(&late));
    assert!(stderr(&late).contains(&id));
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_a_wait_prints_the_id_and_the_command_that_resumes() {
    let mock = mock(Timing::Realistic).await;
    let id = stdout(&run(&mock, &["create", "a cat"]).await)
        .trim()
        .to_string();
    let child = spawn(
        &mock,
        &["wait", &id, "-o", "resume.mp4", "--poll-interval", "0.05"],
    );
    until("two polls", || mock.count(Route::Get) >= 2).await;
    let output = interrupt(child).await;
    assert_eq!(output.status.code(), Some(130));
    let text = stderr(&output);
    let resume = format!(
        "Resume with: anyfast-video wait {id} -o resume.mp4 --base-url {}",
        mock.base_url()
    );
    assert!(text.contains(&resume), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_can_come_from_a_file_and_is_never_printed() {
    let mock = mock(Timing::Instant).await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
    let mut command = command();
    command.args([
        "--api-key-file",
        key_file.to_str().unwrap(),
        "--base-url",
        &mock.base_url(),
        "status",
        "cgt-unknown",
    ]);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(mock.requests()[0].authorization);
    assert!(!format!("{}{}", stdout(&output), stderr(&output)).contains(KEY));
}

#[test]
fn without_a_key_or_mock_the_error_suggests_both() {
    let output = command()
        .args(["generate", "a cat", "-o", "x.mp4"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("ANYFAST_API_KEY") && text.contains("--mock"),
        "{text}"
    );
}

#[test]
fn mock_runs_the_main_job_offline_without_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cat.mp4");
    let output = command()
        .args([
            "generate",
            "--mock",
            "一只猫在阳光明媚的房间里弹钢琴",
            "-o",
            path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--mock: using the built-in mock"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
}

#[test]
fn the_help_of_every_command_matches_its_snapshot() {
    for (name, args) in [
        ("help", vec!["--help"]),
        ("help-generate", vec!["generate", "--help"]),
        ("help-create", vec!["create", "--help"]),
        ("help-status", vec!["status", "--help"]),
        ("help-wait", vec!["wait", "--help"]),
        ("help-download", vec!["download", "--help"]),
        ("help-assets", vec!["assets", "--help"]),
        (
            "help-assets-groups-create",
            vec!["assets", "groups", "create", "--help"],
        ),
        ("help-assets-upload", vec!["assets", "upload", "--help"]),
        ("help-assets-list", vec!["assets", "list", "--help"]),
        ("help-assets-get", vec!["assets", "get", "--help"]),
        ("help-assets-delete", vec!["assets", "delete", "--help"]),
        ("help-models", vec!["models", "--help"]),
        ("help-tasks", vec!["tasks", "--help"]),
        ("help-resume", vec!["resume", "--help"]),
        ("help-batch", vec!["batch", "--help"]),
        ("help-doctor", vec!["doctor", "--help"]),
    ] {
        let output = command().args(&args).output().unwrap();
        assert!(output.status.success());
        // A change is reviewed, then accepted with EXPECTORATE=overwrite.
        expectorate::assert_contents(format!("tests/snapshots/{name}.txt"), &stdout(&output));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn out_of_range_options_and_unreadable_files_get_their_documented_codes() {
    let mock = mock(Timing::Instant).await;
    for interval in ["inf", "0", "1e300", "NaN"] {
        let output = run(&mock, &["wait", "cgt-1", "--poll-interval", interval]).await;
        assert_eq!(
            output.status.code(),
            Some(2),
            "{interval}: {}",
            stderr(&output)
        );
    }
    let output = run(
        &mock,
        &[
            "wait",
            "cgt-1",
            "--timeout",
            "99999999999999999",
            "--poll-interval",
            "0.05",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(2));
    let output = run(
        &mock,
        &["create", "a cat", "--image", "/nonexistent/cat.png"],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("/nonexistent/cat.png"));
    assert!(mock.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_output_file_is_checked_before_anything_is_sent() {
    let mock = mock(Timing::Instant).await;
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("old.mp4");
    std::fs::write(&existing, b"keep me").unwrap();
    let existing = existing.to_str().unwrap();

    let refused = run(
        &mock,
        &[
            "--json",
            "generate",
            "a cat",
            "-o",
            existing,
            "--poll-interval",
            "0.05",
        ],
    )
    .await;
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(json(&refused)["error"]["kind"], "usage");
    assert_eq!(std::fs::read(existing).unwrap(), b"keep me");

    let folder = run(
        &mock,
        &[
            "generate",
            "a cat",
            "-o",
            dir.path().to_str().unwrap(),
            "--poll-interval",
            "0.05",
        ],
    )
    .await;
    assert_eq!(folder.status.code(), Some(1), "{}", stderr(&folder));
    let nowhere = dir.path().join("missing/cat.mp4");
    let nowhere = run(
        &mock,
        &["download", "cgt-1", "-o", nowhere.to_str().unwrap()],
    )
    .await;
    assert_eq!(nowhere.status.code(), Some(1), "{}", stderr(&nowhere));
    assert!(
        stderr(&nowhere).contains("does not exist"),
        "{}",
        stderr(&nowhere)
    );
    assert!(mock.requests().is_empty(), "nothing was sent");

    let forced = run(
        &mock,
        &[
            "generate",
            "a cat",
            "-o",
            existing,
            "--force",
            "--poll-interval",
            "0.05",
        ],
    )
    .await;
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(std::fs::read(existing).unwrap(), SAMPLE_VIDEO);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn an_output_path_that_is_not_utf8_works() {
    use std::os::unix::ffi::OsStrExt;
    let mock = mock(Timing::Instant).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.mp4"));
    let mut command = command();
    command
        .env("ANYFAST_API_KEY", KEY)
        .args([
            "--base-url",
            &mock.base_url(),
            "--json",
            "generate",
            "a cat",
            "--poll-interval",
            "0.05",
            "-o",
        ])
        .arg(&path);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
    assert!(json(&output)["path"].as_str().unwrap().ends_with(".mp4"));
}

#[test]
fn a_usage_error_under_json_is_one_json_object_too() {
    let output = command()
        .args([
            "--json", "generate", "a cat", "--ratio", "7:5", "-o", "x.mp4",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = json(&output);
    assert_eq!(error["error"]["kind"], "usage");
    assert!(
        error["error"]["message"].as_str().unwrap().contains("7:5"),
        "{error}"
    );
    assert!(stderr(&output).contains("7:5"));
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_a_create_warns_that_the_task_may_exist() {
    let mock = mock_with_a_create_in_flight().await;
    let child = spawn(&mock, &["create", "a cat"]);
    until("the create", || mock.count(Route::Create) >= 1).await;
    let output = interrupt(child).await;
    assert_eq!(output.status.code(), Some(130));
    assert!(
        stderr(&output).contains("a task may have been created anyway"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn generate_gets_the_video_from_a_drifting_mock_with_one_create_each() {
    for seed in 0..3 {
        let mock = MockServer::start(MockConfig::default().timing(Timing::Instant).drift(seed))
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        for n in 0..4 {
            let path = dir.path().join(format!("{n}.mp4"));
            let prompt = format!("drift {seed} {n}");
            let output = run(
                &mock,
                &[
                    "--json",
                    "generate",
                    &prompt,
                    "-o",
                    path.to_str().unwrap(),
                    "--poll-interval",
                    "0.05",
                ],
            )
            .await;
            assert!(
                output.status.success(),
                "seed {seed} task {n}: {}",
                stderr(&output)
            );
            assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
            assert!(json(&output)["id"].as_str().unwrap().starts_with("cgt-"));
            assert_eq!(mock.create_count_for_prompt(&prompt), 1);
        }
    }
}

#[test]
fn logs_come_on_demand_on_stderr_and_never_on_stdout() {
    let quiet = command()
        .args(["--mock", "--json", "models"])
        .output()
        .unwrap();
    assert!(quiet.status.success());
    assert!(!stderr(&quiet).contains("DEBUG"), "{}", stderr(&quiet));
    let verbose = command()
        .args(["--mock", "--json", "-v", "models"])
        .output()
        .unwrap();
    assert!(verbose.status.success());
    let logs = stderr(&verbose);
    assert!(
        logs.contains("DEBUG") && logs.contains("operation=\"list_models\""),
        "{logs}"
    );
    assert_eq!(
        stdout(&verbose),
        stdout(&quiet),
        "stdout carries the result only"
    );
    let from_env = command()
        .env("RUST_LOG", "anyfast_video=debug")
        .args(["--mock", "models"])
        .output()
        .unwrap();
    assert!(
        stderr(&from_env).contains("operation=\"list_models\""),
        "{}",
        stderr(&from_env)
    );
}
