//! The `anyfast-mock` program: its help, and a real run on free ports.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_anyfast-mock");

#[test]
fn help_documents_every_option() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for option in [
        "--host",
        "--port",
        "--download-port",
        "--api-key",
        "--timing",
        "--shape",
        "--video-size",
        "--fault",
        "--seed",
        "instant",
        "realistic",
        "wrapper",
        "flat",
        "ark",
        "[mock:fail]",
        "malformed-json",
        "slow=DURATION",
        "next=N",
        "rate=P",
    ] {
        assert!(
            help.contains(option),
            "--help does not mention {option}:\n{help}"
        );
    }
}

#[test]
fn a_bad_fault_is_refused_with_the_syntax() {
    let output = Command::new(BINARY)
        .args(["--fault", "get:explode"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("bad fault \"get:explode\""), "{stderr}");
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_program_prints_both_urls_and_serves_the_api() {
    let mut child = Command::new(BINARY)
        .args([
            "--port",
            "0",
            "--timing",
            "instant",
            "--api-key",
            "sk-cli",
            "--shape",
            "flat",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    let lines: Vec<String> = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .take(3)
            .map(Result::unwrap)
            .collect()
    })
    .await
    .unwrap();
    let url_after = |label: &str| {
        let line = lines
            .iter()
            .find(|line| line.trim_start().starts_with(label))
            .unwrap();
        line.split_whitespace().nth(1).unwrap().to_string()
    };
    let api = url_after("API:");
    let downloads = url_after("downloads:");
    assert!(api.starts_with("http://127.0.0.1:") && downloads.starts_with("http://127.0.0.1:"));
    assert_ne!(api, downloads);

    let http = reqwest::Client::new();
    let created: serde_json::Value = http
        .post(format!("{api}/v1/video/generations"))
        .bearer_auth("sk-cli")
        .json(&serde_json::json!({"model": "seedance-fast", "content": [{"type": "text", "text": "a cat"}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let task: serde_json::Value = http
        .get(format!("{api}/v1/video/generations/{id}"))
        .bearer_auth("sk-cli")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(task["status"], "completed");
    assert!(task["video_url"].as_str().unwrap().starts_with(&downloads));
}
