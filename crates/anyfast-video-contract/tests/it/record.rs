//! `--record`: the recordings are in the answer corpus's format, replay to their own `expect`,
//! and hold neither the key nor any signature, even from a service that echoes both.

use std::path::Path;
use std::time::Duration;

use anyfast_mock::{MockConfig, MockServer, Timing};
use anyfast_video_contract::replay::Replay;
use anyfast_video_contract::{Operation, Options, Report, Target, check, record};
use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str = "sk-recording-test-key-42";

/// Tasks that pass through every state in well under a second (polled every 20 ms).
const SHORT: Timing = Timing::Lasting(Duration::from_millis(400));

/// What must never be in a recording: the key, and any parameter of a signed URL.
fn leaks(text: &str) -> Vec<&'static str> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    if text.contains(KEY) {
        found.push("the key");
    }
    for word in [
        "x-tos-signature",
        "x-tos-credential",
        "x-amz-signature",
        "x-amz-credential",
        "signature=",
        "sig=",
        "token=",
    ] {
        if lower.contains(word) {
            found.push(word);
        }
    }
    found
}

async fn record_into(dir: &Path, base_url: &str, billed: bool) -> Report {
    let options = Options {
        billed,
        record: Some(dir.to_path_buf()),
        poll_interval: Duration::from_millis(20),
        billed_timeout: Duration::from_secs(60),
        ..Options::default()
    };
    check(&Target::new(base_url, Some(KEY.into())), &options).await
}

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).unwrap(),
            )
        })
        .collect();
    found.sort();
    found
}

#[tokio::test]
async fn recordings_are_corpus_files_that_replay_to_their_expect_and_hold_no_key_or_signature() {
    let dir = tempfile::tempdir().unwrap();
    let mut answers = 0;
    for drift in [None, Some(3), Some(11)] {
        let mut config = MockConfig::default().timing(SHORT);
        if let Some(seed) = drift {
            config = config.drift(seed);
        }
        let mock = MockServer::start(config).await.unwrap();
        let report = record_into(dir.path(), &mock.base_url(), true).await;
        assert!(report.failures.is_empty(), "{}", report.text());
        answers += report.probes.len();
        assert!(!report.text().contains(KEY));
    }
    let replay = Replay::start().await.unwrap();
    let files = files(dir.path());
    // One file per answer kept, and one per download; none overwrote another.
    assert_eq!(
        files.len(),
        answers + 3,
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let mut operations = std::collections::BTreeSet::new();
    for (name, text) in &files {
        assert_eq!(leaks(text), Vec::<&str>::new(), "{name}:\n{text}");
        if name.ends_with(".txt") {
            assert!(text.contains("an MP4"), "{name}:\n{text}");
            continue;
        }
        // The corpus's keys, in the corpus's order.
        let keys: Vec<&str> = text
            .lines()
            .filter_map(|line| line.strip_prefix("  \""))
            .filter_map(|line| line.split('"').next())
            .collect();
        let body_key = if keys.contains(&"body") {
            "body"
        } else {
            "body_text"
        };
        // A Kling query's recording says what it asks (`asked`) after its operation.
        let mut expected_keys = vec!["about", "source", "operation"];
        if keys.contains(&"asked") {
            expected_keys.push("asked");
        }
        expected_keys.extend(["status", "content_type", body_key, "expect", "recorded"]);
        assert_eq!(keys, expected_keys, "{name}");
        let fixture: Value = serde_json::from_str(text).unwrap();
        let mut operation = Operation::from_corpus_name(fixture["operation"].as_str().unwrap())
            .unwrap_or_else(|| panic!("{name}: an unknown operation"));
        if let Some(asked) = fixture.get("asked") {
            assert_eq!(asked, "kling/text2video/860260753860210752", "{name}");
            assert_eq!(operation, Operation::GetTask, "{name}");
            operation = Operation::GetKlingTask;
        }
        operations.insert(operation.corpus_name());
        assert!(name.starts_with(operation.corpus_name()), "{name}");
        // Served as the corpus's runner serves it, it gives what `expect` says.
        let body = match fixture.get("body") {
            Some(body) => serde_json::to_vec(body).unwrap(),
            None => fixture["body_text"].as_str().unwrap().as_bytes().to_vec(),
        };
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_str(fixture["content_type"].as_str().unwrap()).unwrap(),
        );
        let status = fixture["status"].as_u64().unwrap() as u16;
        let outcome = replay
            .reader(operation, status, &headers, &Bytes::from(body))
            .await;
        assert_eq!(record::expect_of(&outcome), fixture["expect"], "{name}");
    }
    assert_eq!(operations.len(), 5, "{operations:?}");
}

/// A service that echoes the key and signed URLs everywhere it can: in a field, in a JSON
/// document inside a string, in HTML, in headers.
async fn echoing_service() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = vec![0; 64 * 1024];
                let _ = stream.read(&mut buffer).await;
                let signed = "https://ark.tos-cn-beijing.volces.com/v.mp4?X-Tos-Algorithm=TOS4-HMAC-SHA256&X-Tos-Credential=AK%2F20261203&X-Tos-Signature=0f1e2d";
                let nested = serde_json::json!({"error": {"message": format!("token {KEY} not allowed; see {signed}")}}).to_string();
                let body = serde_json::json!({
                    "data": [{"id": "seedance", "owned_by": KEY, "supported_endpoint_types": ["video"]}],
                    "message": nested,
                    "html": format!("<a href=\"{signed}\">video</a> <img src='https://cdn.example/i.png?token=abc&sig=def'>"),
                    KEY: signed,
                })
                .to_string();
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nset-cookie: session={KEY}; Path=/\r\nlink: <{signed}>; rel=video\r\nx-echo: Bearer {KEY}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    base_url
}

#[tokio::test]
async fn a_service_that_echoes_the_key_and_signatures_cannot_make_a_recording_or_a_report_leak() {
    let base_url = echoing_service().await;
    let dir = tempfile::tempdir().unwrap();
    let report = record_into(dir.path(), &base_url, false).await;
    // Every probe was answered and recorded (the echo accepts even the refused creates).
    assert_eq!(report.recorded.len(), 12, "{}", report.text());
    let files = files(dir.path());
    assert_eq!(files.len(), 12);
    for (name, text) in &files {
        assert_eq!(leaks(text), Vec::<&str>::new(), "{name}:\n{text}");
        // Redacted, not dropped: the rest of what came is there.
        assert!(
            text.contains("https://ark.tos-cn-beijing.volces.com/v.mp4"),
            "{name}"
        );
        assert!(text.contains("<redacted>"), "{name}");
        assert!(text.contains("rel=video"), "{name}");
    }
    let shown = format!("{}\n{}", report.text(), report.to_json());
    assert_eq!(leaks(&shown), Vec::<&str>::new(), "{shown}");
}
