//! Plain-reqwest helpers for the mock's integration tests (deliberately not our client).

use anyfast_mock::{MockConfig, MockServer};
use serde_json::{Value, json};

pub const KEY: &str = "sk-mock-test-key";

/// A schedule whose every state lasts long enough (a second) to be seen by a poll even on a
/// loaded machine.
pub fn visible_steps() -> anyfast_mock::Timing {
    let second = std::time::Duration::from_secs(1);
    anyfast_mock::Timing::Custom(anyfast_mock::Schedule {
        queued_after: second,
        started_after: 2 * second,
        finished_after: 3 * second,
    })
}

pub async fn start(config: MockConfig) -> MockServer {
    MockServer::start(config).await.expect("the mock starts")
}

/// One client for every test: building one loads the TLS roots, which took longer than the
/// request it sent (the drift tests spent most of their 15 s there). It keeps no idle
/// connection, since each test runs its own runtime and a pooled connection dies with the
/// runtime that opened it.
pub fn http() -> reqwest::Client {
    static CLIENT: std::sync::LazyLock<reqwest::Client> = std::sync::LazyLock::new(|| {
        reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .expect("a plain client builds")
    });
    CLIENT.clone()
}

pub fn text_request(prompt: &str) -> Value {
    json!({"model": "seedance-fast", "content": [{"type": "text", "text": prompt}]})
}

pub async fn create(mock: &MockServer, body: &Value) -> reqwest::Response {
    http()
        .post(format!("{}/v1/video/generations", mock.base_url()))
        .bearer_auth(KEY)
        .json(body)
        .send()
        .await
        .expect("the create is answered")
}

/// Creates a task and returns its id.
pub async fn create_task(mock: &MockServer, prompt: &str) -> String {
    let response = create(mock, &text_request(prompt)).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_string()
}

pub async fn query(mock: &MockServer, id: &str) -> reqwest::Response {
    http()
        .get(format!("{}/v1/video/generations/{id}", mock.base_url()))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("the query is answered")
}

pub async fn query_json(mock: &MockServer, id: &str) -> Value {
    let response = query(mock, id).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Polls until the wrapper shape reports a final status, and returns that answer.
pub async fn wait_until_done(mock: &MockServer, id: &str) -> Value {
    for _ in 0..200 {
        let task = query_json(mock, id).await;
        if matches!(task["data"]["status"].as_str(), Some("SUCCESS" | "FAILURE")) {
            return task;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("task {id} did not finish");
}

/// Posts `body` to the asset library's `operation` (`CreateAssetGroup`, `GetAsset`...).
pub async fn asset_call(mock: &MockServer, operation: &str, body: &Value) -> reqwest::Response {
    http()
        .post(format!("{}/volc/asset/{operation}", mock.base_url()))
        .bearer_auth(KEY)
        .json(body)
        .send()
        .await
        .expect("the asset call is answered")
}

/// [`asset_call`] that must answer 200 with JSON.
pub async fn asset_json(mock: &MockServer, operation: &str, body: &Value) -> Value {
    let response = asset_call(mock, operation, body).await;
    let status = response.status();
    let answer: Value = response.json().await.expect("an asset call answers JSON");
    assert_eq!(status, 200, "{operation}: {answer}");
    answer
}

/// Makes a group and returns its id.
pub async fn create_group(mock: &MockServer, name: &str) -> String {
    let created = asset_json(mock, "CreateAssetGroup", &json!({"Name": name})).await;
    created["Id"].as_str().expect("a group id").to_string()
}

/// Uploads `bytes` as the multipart form's `file`, with the other fields given.
pub async fn upload(
    mock: &MockServer,
    fields: &[(&str, &str)],
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string());
    http()
        .post(format!("{}/volc/asset/CreateAsset", mock.base_url()))
        .bearer_auth(KEY)
        .multipart(form.part("file", part))
        .send()
        .await
        .expect("the upload is answered")
}

/// Waits (up to 20 s) until `done` holds.
pub async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if done() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}
