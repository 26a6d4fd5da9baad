//! The drift corpus: every answer under `tests/fixtures/answers/` (the docs' own examples,
//! the older shapes, the variations the API notes describe, broken answers, and answers
//! recorded from a service by `cargo xtask contract --record`) served to the client, which must
//! give the normalised task (or models list, asset page, asset) or the error written beside it.
//!
//! `operation` is `create` (of `request`, a body of any family, or a Seedance text; at `path`,
//! or the create route of the request's family), `get` (of `asked`, or [`ASKED_ID`]; a Kling
//! id such as `kling/text2video/86…` is asked at Kling's route), `list_models`, `list_assets`
//! or `get_asset` (of [`ASKED_ASSET_ID`]); `expect` holds one of `task`, `models` (`ids`), `page`
//! (`ids`, `total`), `asset` (`id`, `status`) or `error`. Other keys of a fixture (a recording's
//! `recorded`) are ignored.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::common::client_for;
use anyfast_video::{
    Asset, AssetPage, AssetQuery, Error, ModelInfo, RetryPolicy, Task, VideoRequest,
};
use httpmock::{Method, MockServer};
use serde_json::Value;

/// The id every `get` fixture asks about.
const ASKED_ID: &str = "cgt-q";

/// The id every `get_asset` fixture asks about.
const ASKED_ASSET_ID: &str = "asset-q";

/// What the client read.
#[derive(Debug)]
enum Read {
    Task(Task),
    Models(Vec<ModelInfo>),
    Page(AssetPage),
    Asset(Asset),
}

fn fixtures() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/answers");
    let mut found: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// The body a fixture describes, padded when it asks for a huge one.
fn body_of(fixture: &Value) -> Vec<u8> {
    if let Some(text) = fixture["body_text"].as_str() {
        return text.as_bytes().to_vec();
    }
    let mut body = fixture["body"].clone();
    if let Some(size) = fixture["pad_to_bytes"].as_u64() {
        body["padding"] = Value::String("x".repeat(size as usize));
    }
    serde_json::to_vec(&body).unwrap()
}

async fn outcome(fixture: &Value) -> Result<Read, Error> {
    let server = MockServer::start_async().await;
    let asked = fixture["asked"].as_str().unwrap_or(ASKED_ID);
    let request = match fixture.get("request") {
        Some(body) => VideoRequest::from_json(body.clone()).unwrap(),
        None => VideoRequest::text("a cat"),
    };
    let (method, path) = match fixture["operation"].as_str().unwrap() {
        "create" => (
            Method::POST,
            fixture["path"]
                .as_str()
                .unwrap_or("/v1/video/generations")
                .to_string(),
        ),
        "list_models" => (Method::GET, "/v1/models".to_string()),
        "list_assets" => (Method::POST, "/volc/asset/ListAssets".to_string()),
        "get_asset" => (Method::POST, "/volc/asset/GetAsset".to_string()),
        "get" => match asked.strip_prefix("kling/") {
            Some(kling) => (Method::GET, format!("/kling/v1/videos/{kling}")),
            None => (Method::GET, format!("/v1/video/generations/{asked}")),
        },
        other => panic!("unknown operation {other}"),
    };
    let body = body_of(fixture);
    server
        .mock_async(|when, then| {
            when.method(method).path(path.as_str());
            then.status(fixture["status"].as_u64().unwrap() as u16)
                .header("content-type", fixture["content_type"].as_str().unwrap())
                .body(body);
        })
        .await;
    let client = client_for(&server.base_url(), RetryPolicy::never());
    match fixture["operation"].as_str().unwrap() {
        "create" => client.videos().create(request).await.map(Read::Task),
        "list_models" => client.models().list().await.map(Read::Models),
        "list_assets" => client
            .assets()
            .list(AssetQuery::default())
            .await
            .map(Read::Page),
        "get_asset" => client.assets().get(ASKED_ASSET_ID).await.map(Read::Asset),
        _ => client.videos().get(asked).await.map(Read::Task),
    }
}

/// The models list, asset page or asset, compared with what `expect` holds for it.
fn read_mismatches(read: &Read, expected: &Value) -> Vec<String> {
    let got = match read {
        Read::Task(_) => unreachable!("tasks are compared field by field"),
        Read::Models(models) => serde_json::json!({
            "ids": models.iter().map(|model| model.id.clone()).collect::<Vec<_>>(),
        }),
        Read::Page(page) => serde_json::json!({
            "ids": page.items.iter().map(|asset| asset.id.clone()).collect::<Vec<_>>(),
            "total": page.total,
        }),
        Read::Asset(asset) => {
            serde_json::json!({"id": asset.id, "status": asset.status.to_string()})
        }
    };
    let mut wrong = Vec::new();
    for (key, want) in expected.as_object().unwrap() {
        if got.get(key) != Some(want) {
            wrong.push(format!("{key}: got {}, want {want}", got[key]));
        }
    }
    wrong
}

fn unix(time: Option<SystemTime>) -> Value {
    time.map_or(Value::Null, |t| {
        t.duration_since(UNIX_EPOCH).unwrap().as_secs().into()
    })
}

/// Each expected field of the task, compared; the mismatches.
fn task_mismatches(task: &Task, expected: &Value) -> Vec<String> {
    let mut wrong = Vec::new();
    for (key, want) in expected.as_object().unwrap() {
        let got: Value = match key.as_str() {
            "id" => task.id.clone().into(),
            "other_ids" => task.other_ids.clone().into(),
            "status" => task.status.to_string().into(),
            "progress" => task.progress.into(),
            "video_url" => task.video_url.clone().into(),
            "last_frame_url" => task.last_frame_url.clone().into(),
            "original_video_url" => task.original_video_url.clone().into(),
            "super_resolution_tokens" => task
                .usage
                .and_then(|usage| usage.super_resolution_tokens)
                .into(),
            "model" => task.model.clone().into(),
            "failure" => task.failure.as_ref().map_or(
                Value::Null,
                |f| serde_json::json!({"reason": f.reason, "code": f.code}),
            ),
            "created_at" => unix(task.created_at),
            "started_at" => unix(task.started_at),
            "finished_at" => unix(task.finished_at),
            "usage" => task.usage.map_or(
                Value::Null,
                |usage| serde_json::json!({"total_tokens": usage.total_tokens}),
            ),
            "raw_contains" => {
                let found = task.raw.to_string().contains(want.as_str().unwrap());
                if !found {
                    wrong.push(format!("raw lacks {want}"));
                }
                continue;
            }
            other => panic!("unknown expectation {other}"),
        };
        if &got != want {
            wrong.push(format!("{key}: got {got}, want {want}"));
        }
    }
    wrong
}

fn kind(error: &Error) -> &'static str {
    match error {
        Error::Api { .. } => "api",
        Error::RateLimited { .. } => "rate_limited",
        Error::CreateOutcomeUnknown { .. } => "create_outcome_unknown",
        Error::InvalidResponse { .. } => "invalid_response",
        Error::Transport { .. } => "transport",
        _ => "other",
    }
}

fn error_mismatches(error: &Error, expected: &Value) -> Vec<String> {
    let mut wrong = Vec::new();
    let text = error.to_string();
    for (key, want) in expected.as_object().unwrap() {
        let ok = match key.as_str() {
            "kind" => kind(error) == want.as_str().unwrap(),
            "task_id" => error.task_id() == want.as_str(),
            "status" => {
                matches!(error, Error::Api { status, .. } if Some(u64::from(*status)) == want.as_u64())
            }
            "code" => matches!(error, Error::Api { code, .. } if code.as_deref() == want.as_str()),
            "request_id" => {
                matches!(error, Error::Api { request_id, .. } if request_id.as_deref() == want.as_str())
            }
            "message_contains" => text.contains(want.as_str().unwrap()),
            "body_contains" => match error {
                Error::CreateOutcomeUnknown { body, .. } => body
                    .as_deref()
                    .is_some_and(|body| body.contains(want.as_str().unwrap())),
                Error::InvalidResponse { body, .. } => body.contains(want.as_str().unwrap()),
                _ => false,
            },
            other => panic!("unknown expectation {other}"),
        };
        if !ok {
            wrong.push(format!("{key} should be {want}"));
        }
    }
    wrong
}

#[tokio::test]
async fn every_answer_in_the_corpus_gives_its_task_or_error() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 30,
        "the corpus has {} answers",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for (name, fixture) in &fixtures {
        let result = outcome(fixture).await;
        let expected = fixture["expect"].as_object().unwrap();
        assert_eq!(
            expected.len(),
            1,
            "{name}: expect has one of task, models, page, asset or error"
        );
        let (what, want) = expected.iter().next().unwrap();
        let wrong = match (&result, what.as_str()) {
            (Ok(Read::Task(task)), "task") => task_mismatches(task, want),
            (Ok(read @ Read::Models(_)), "models")
            | (Ok(read @ Read::Page(_)), "page")
            | (Ok(read @ Read::Asset(_)), "asset") => read_mismatches(read, want),
            (Err(error), "error") => error_mismatches(error, want),
            (Ok(read), _) => vec![format!("expected {what}, got {read:?}")],
            (Err(error), _) => vec![format!("expected {what}, got {error:?}")],
        };
        if let Err(error) = &result {
            // Bounded: no error carries more than a few KiB of a huge body.
            assert!(format!("{error:?}").len() < 64 * 1024, "{name}");
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{name} ({}): {}",
                fixture["about"],
                wrong.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[tokio::test]
async fn no_error_from_a_create_that_reached_a_server_lacks_the_id_when_one_was_sent() {
    // Every create fixture whose body contains a cgt- id gives that id back, task or error.
    for (name, fixture) in fixtures() {
        if fixture["operation"] != "create" {
            continue;
        }
        let body = String::from_utf8_lossy(&body_of(&fixture)).into_owned();
        let Some(start) = body.find("cgt-") else {
            continue;
        };
        let id: String = body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let known = match outcome(&fixture).await {
            Ok(Read::Task(task)) => Some(task.id),
            Ok(other) => panic!("{name}: a create read as {other:?}"),
            Err(error) => error.task_id().map(str::to_string),
        };
        assert_eq!(known.as_deref(), Some(id.as_str()), "{name}");
    }
}
