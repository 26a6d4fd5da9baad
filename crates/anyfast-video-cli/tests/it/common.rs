//! What the command line's tests share: the program with a test key and a test journal, a
//! mock (drifting when ANYFAST_MOCK_DRIFT holds a seed), and readers of what it printed.

use std::process::{Child, Output, Stdio};
use std::time::Duration;

use anyfast_mock::{Fault, FaultKind, MockConfig, MockServer, Route, Timing};
use assert_cmd::Command;
use serde_json::Value;

pub const KEY: &str = "sk-cli-test-0123456789";

pub fn command() -> Command {
    let mut command = Command::cargo_bin("anyfast-video").unwrap();
    command
        .env_remove("ANYFAST_API_KEY")
        .env_remove("ANYFAST_BASE_URL")
        .env("ANYFAST_VIDEO_JOURNAL", test_journal());
    command
}

/// The journal of the test that calls this: never the user's own, and never another test's.
/// Tests run at once, and the mock's task ids repeat from one mock to the next within a
/// second (`cgt-{second}-mock00001`), so a shared journal would hand one test the records of
/// another's tasks. libtest runs each test on a thread named after it.
pub fn test_journal() -> std::path::PathBuf {
    let thread = std::thread::current();
    let test = match thread.name() {
        Some(name) => name.replace("::", "-"),
        None => format!("{:?}", thread.id()),
    };
    std::env::temp_dir()
        .join(format!("anyfast-video-cli-tests-{}", std::process::id()))
        .join(test)
        .join("journal.sqlite")
}

/// Runs the program against `mock` with the key in the environment.
pub async fn run(mock: &MockServer, args: &[&str]) -> Output {
    let mut command = command();
    command
        .env("ANYFAST_API_KEY", KEY)
        .args(["--base-url", &mock.base_url()])
        .args(args);
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// A mock with this timing; drifting (every documented form of every answer, seeded) when
/// `ANYFAST_MOCK_DRIFT` holds a seed, as in the second run of the suite in CI.
pub async fn mock(timing: Timing) -> MockServer {
    let mut config = MockConfig::default().timing(timing);
    if let Some(seed) = std::env::var("ANYFAST_MOCK_DRIFT")
        .ok()
        .filter(|s| !s.is_empty())
    {
        config = config.drift(seed.parse().expect("ANYFAST_MOCK_DRIFT is a number"));
    }
    MockServer::start(config).await.unwrap()
}

/// A mock whose first create is answered only after 30 s: a command can be stopped while its
/// create is in flight, and the task exists all the same.
pub async fn mock_with_a_create_in_flight() -> MockServer {
    let config = MockConfig::default()
        .timing(Timing::Instant)
        .fault(Fault::next(
            Route::Create,
            1,
            FaultKind::Latency(Duration::from_secs(30)),
        ));
    MockServer::start(config).await.expect("the mock starts")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

pub fn json(output: &Output) -> Value {
    let text = stdout(output);
    assert_eq!(
        text.lines().count(),
        1,
        "one JSON object on one line: {text}"
    );
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}: {text}"))
}

/// Starts the program against `mock` in the background (its stderr kept), to be interrupted or
/// killed.
pub fn spawn(mock: &MockServer, args: &[&str]) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("anyfast-video"))
        .env_remove("ANYFAST_BASE_URL")
        .env("ANYFAST_VIDEO_JOURNAL", test_journal())
        .env("ANYFAST_API_KEY", KEY)
        .args(["--base-url", &mock.base_url()])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Ctrl-C (SIGINT), then what the program printed as it stopped.
pub async fn interrupt(child: Child) -> Output {
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap()
}

/// SIGKILL: nothing of the program runs after it, no handler, no cleanup.
pub async fn kill_9(mut child: Child) {
    child.kill().unwrap();
    tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
}

/// Waits (up to 12 s) until `done` holds.
pub async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..600 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

/// A file of one root certificate (a throwaway one the test made), to point `SSL_CERT_FILE`
/// at (with `SSL_CERT_DIR` unset) in processes that speak only plain http to 127.0.0.1: each
/// then reads one root instead of parsing the machine's whole trust store, which is most of
/// the start-up of a debug build.
pub fn one_root_certificate() -> &'static std::path::Path {
    static FILE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let certified = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let path = test_journal()
            .with_file_name("one-root.pem")
            .with_extension("pem");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, certified.cert.pem()).unwrap();
        path
    })
}
