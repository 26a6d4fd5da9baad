//! `anyfast-video doctor`: every check passes against the built-in mock and against
//! anyfast-mock (drifting too, in CI's second run), and each thing a user gets wrong fails its
//! own row with its own exit code: no key, a refused key, a service that is not there, a
//! journal that does not open. Tasks left unfinished are reported. The key is never printed.

use std::time::Duration;

use anyfast_mock::{MockConfig, MockServer, Timing};
use serde_json::Value;

use crate::common::*;

/// The doctor against `mock` (the test key in the environment) with its own journal.
async fn doctor(
    mock: &MockServer,
    journal: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec!["--journal", journal.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.push("doctor");
    run(mock, &args).await
}

fn rows(report: &Value) -> Vec<(String, bool)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["check"].as_str().unwrap().to_string(),
                row["ok"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn never_the_key(output: &std::process::Output) {
    let all = format!("{}{}", stdout(output), stderr(output));
    assert!(!all.contains(KEY), "{all}");
}

#[test]
fn with_the_built_in_mock_every_check_passes() {
    let output = command().args(["--mock", "doctor"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    let text = stdout(&output);
    // Four checks, then one probe of every operation a free probe covers (every family's).
    assert!(text.contains("16 of 16 checks passed"), "{text}");
    for check in [
        "key",
        "base URL",
        "clock",
        "journal",
        "probe refused-create",
    ] {
        assert!(
            text.lines()
                .any(|line| line.starts_with(check) && line.contains("pass")),
            "{check}: {text}"
        );
    }

    let output = command()
        .args(["--mock", "--json", "doctor"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let report = json(&output);
    assert_eq!(report["ok"], true, "{report}");
    assert!(rows(&report).iter().all(|(_, ok)| *ok), "{report}");
    assert_eq!(report["contract"]["differences"], 0, "{report}");
    assert_eq!(report["contract"]["probes"].as_array().unwrap().len(), 12);
}

#[tokio::test(flavor = "multi_thread")]
async fn against_the_mock_every_check_passes_and_unfinished_tasks_are_reported() {
    // A task that lasts, created and left: the journal holds it unfinished.
    let mock =
        MockServer::start(MockConfig::default().timing(Timing::Lasting(Duration::from_secs(600))))
            .await
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.sqlite");
    let created = run(
        &mock,
        &["--journal", journal.to_str().unwrap(), "create", "a cat"],
    )
    .await;
    assert!(created.status.success(), "{}", stderr(&created));
    let id = stdout(&created).trim().to_string();

    let output = doctor(&mock, &journal, &["--json"]).await;
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    let report = json(&output);
    let journal_row = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["check"] == "journal")
        .unwrap();
    let detail = journal_row["detail"].as_str().unwrap();
    assert!(
        detail.contains("1 task left unfinished") && detail.contains(&id),
        "{detail}"
    );
    assert!(detail.contains("resume --all"), "{detail}");
    never_the_key(&output);

    // And so against the suites' mock, drifting when ANYFAST_MOCK_DRIFT says so: drift
    // changes task answers, not what the free probes get.
    let drifting = crate::common::mock(Timing::Instant).await;
    let output = doctor(&drifting, &dir.path().join("other.sqlite"), &[]).await;
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    never_the_key(&output);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_key_fails_the_key_and_the_probes_not_sent() {
    let mock = MockServer::start(MockConfig::default().api_key("sk-another-key-entirely"))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let output = doctor(&mock, &dir.path().join("j.sqlite"), &["--json"]).await;
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = json(&output);
    let rows = rows(&report);
    assert_eq!(rows[0], ("key".to_string(), false), "{report}");
    let key = report["checks"][0]["detail"].as_str().unwrap();
    assert!(key.contains("REFUSED") && key.contains("401"), "{key}");
    // The service is there, its clock fine, the journal too; the other probes were not sent.
    assert!(rows[1].1 && rows[2].1 && rows[3].1, "{report}");
    // The key, and the eleven probes that need one (every family's refused creates).
    assert_eq!(rows.iter().filter(|(_, ok)| !ok).count(), 12, "{report}");
    assert_eq!(mock.task_count(), 0);
    never_the_key(&output);
}

#[test]
fn without_a_key_the_key_fails_with_exit_2_and_the_service_is_still_looked_at() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mock = runtime
        .block_on(MockServer::start(MockConfig::default()))
        .unwrap();
    let output = command()
        .args([
            "--base-url",
            &mock.base_url(),
            "--journal",
            journal.to_str().unwrap(),
            "doctor",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains("missing: set ANYFAST_API_KEY"), "{text}");
    assert!(
        text.lines()
            .any(|line| line.starts_with("base URL") && line.contains("pass")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|line| line.starts_with("probe models-without-key ") && line.contains(" pass ")),
        "{text}"
    );
    assert!(
        stderr(&output).contains("checks failed, the first: key"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_that_is_not_there_and_a_journal_that_does_not_open_each_fail_their_row() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_journal = dir.path().join("notes.txt");
    std::fs::write(&not_a_journal, "these are my notes, not a journal\n").unwrap();
    // Held, not listened on: refused, and no other test's server can take the port meanwhile.
    let closed = tokio::net::TcpSocket::new_v4().unwrap();
    closed.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let nobody = format!("http://{}", closed.local_addr().unwrap());
    let mut command = command();
    command.env("ANYFAST_API_KEY", KEY).args([
        "--base-url",
        &nobody,
        "--journal",
        not_a_journal.to_str().unwrap(),
        "--json",
        "doctor",
    ]);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let report = json(&output);
    let checks = report["checks"].as_array().unwrap();
    let detail = |name: &str| {
        checks
            .iter()
            .find(|row| row["check"] == name)
            .map(|row| {
                (
                    row["ok"].as_bool().unwrap(),
                    row["detail"].as_str().unwrap().to_string(),
                )
            })
            .unwrap()
    };
    let (ok, base) = detail("base URL");
    assert!(!ok && base.contains("not reachable"), "{base}");
    let (ok, journal) = detail("journal");
    assert!(
        !ok && journal.contains("cannot open the task journal"),
        "{journal}"
    );
    // Left byte for byte as it was.
    assert_eq!(
        std::fs::read_to_string(&not_a_journal).unwrap(),
        "these are my notes, not a journal\n"
    );
    never_the_key(&output);
}
