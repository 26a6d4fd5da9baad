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
        "--drift",
        "--asset-activation",
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
        "assets",
        "models",
        "/volc/asset/CreateAssetGroup",
        "/v1/models",
        "return_last_frame",
        "1080p",
        "Inactive",
        "newest first",
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

/// The program, running with `args` on free ports, and its API and download URLs.
async fn run(args: &[&str]) -> (Running, String, String) {
    let mut child = Command::new(BINARY)
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let (lines_sender, lines) = std::sync::mpsc::channel();
    // Reads to the end, so that the program never writes to a closed pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = lines_sender.send(line.unwrap());
        }
    });
    let lines: Vec<String> = tokio::task::spawn_blocking(move || lines.iter().take(3).collect())
        .await
        .unwrap();
    let url_after = |label: &str| {
        let line = lines
            .iter()
            .find(|line| line.trim_start().starts_with(label))
            .unwrap();
        line.split_whitespace().nth(1).unwrap().to_string()
    };
    (running, url_after("API:"), url_after("downloads:"))
}

/// Creates a task with a text prompt, and returns the HTTP status and the body.
async fn create(api: &str, key: &str, prompt: &str) -> (u16, serde_json::Value) {
    let response = crate::common::http()
        .post(format!("{api}/v1/video/generations"))
        .bearer_auth(key)
        .json(&serde_json::json!({"model": "seedance-fast", "content": [{"type": "text", "text": prompt}]}))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn query(api: &str, key: &str, id: &str) -> serde_json::Value {
    crate::common::http()
        .get(format!("{api}/v1/video/generations/{id}"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_program_prints_both_urls_and_serves_the_api() {
    let (_running, api, downloads) = run(&[
        "--timing",
        "instant",
        "--api-key",
        "sk-cli",
        "--shape",
        "flat",
    ])
    .await;
    assert!(api.starts_with("http://127.0.0.1:") && downloads.starts_with("http://127.0.0.1:"));
    assert_ne!(api, downloads);

    let (_, created) = create(&api, "sk-cli", "a cat").await;
    let id = created["id"].as_str().unwrap();
    let task = query(&api, "sk-cli", id).await;
    assert_eq!(task["status"], "completed");
    assert!(task["video_url"].as_str().unwrap().starts_with(&downloads));
}

#[tokio::test]
async fn a_duration_as_timing_keeps_tasks_running_that_long() {
    let (_running, api, _) = run(&["--timing", "10m"]).await;
    let (_, created) = create(&api, "any", "a cat").await;
    // Past the time Fast would have queued it (100 ms); ten minutes scaled leave it unstarted
    // for 40 s, however slow the machine.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let task = query(&api, "any", created["id"].as_str().unwrap()).await;
    assert_eq!(task["data"]["status"], "NOT_START", "{task}");
    assert_eq!(task["data"]["progress"], "0%");
}

#[tokio::test]
async fn drift_varies_the_answers_of_the_program() {
    let (_running, api, _) = run(&["--timing", "instant", "--drift", "7"]).await;
    let mut statuses = std::collections::BTreeSet::new();
    let mut keys = std::collections::BTreeSet::new();
    for n in 0..20 {
        let (status, created) = create(&api, "any", &format!("task {n}")).await;
        statuses.insert(status);
        keys.insert(
            created
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>(),
        );
    }
    assert!(statuses.len() > 1, "{statuses:?}");
    assert!(keys.len() > 1, "{keys:?}");
}

#[tokio::test]
async fn the_program_serves_the_asset_library_and_the_models_list() {
    let (_running, api, downloads) =
        run(&["--timing", "instant", "--asset-activation", "1h"]).await;
    let http = crate::common::http();
    let call = |operation: &str, body: serde_json::Value| {
        http.post(format!("{api}/volc/asset/{operation}"))
            .bearer_auth("any")
            .json(&body)
            .send()
    };
    let group: serde_json::Value = call("CreateAssetGroup", serde_json::json!({"Name": "g"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAfbLI3wAAAABJRU5ErkJggg==";
    let created: serde_json::Value = call(
        "CreateAsset",
        serde_json::json!({"GroupId": group["Id"], "Name": "dot", "AssetType": "Image",
                           "URL": format!("data:image/png;base64,{png}")}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let asset: serde_json::Value = call("GetAsset", serde_json::json!({"Id": created["Id"]}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // An hour of activation: still Inactive, and its file is on the download listener.
    assert_eq!(asset["Status"], "Inactive", "{asset}");
    assert!(
        asset["URL"].as_str().unwrap().starts_with(&downloads),
        "{asset}"
    );

    let models: serde_json::Value = http
        .get(format!("{api}/v1/models"))
        .bearer_auth("any")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(models["data"][0]["id"], "seedance");
}
