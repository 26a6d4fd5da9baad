//! The key: never in Debug, Display, logs or errors; never to another host; refused when it
//! could inject headers. The base URL: https unless loopback.

mod common;

use anyfast_video::{Client, Error, VideoRequest};
use common::*;
use httpmock::{Method, MockServer};

#[tokio::test]
async fn the_key_appears_in_no_log_debug_or_error_of_a_whole_run_with_failures() {
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(captured.subscriber());

    let mock = mock(with_a_failing_query_and_create(500)).await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    let done = client
        .videos()
        .generate_with(
            VideoRequest::text("a cat"),
            dir.path().join("v.mp4"),
            quick_generate(),
        )
        .await
        .unwrap();
    let errors = [
        client.videos().get("cgt-unknown").await.unwrap_err(),
        client
            .videos()
            .create(VideoRequest::text("t").duration(0))
            .await
            .unwrap_err(),
        Client::builder()
            .api_key(KEY)
            .base_url("http://example.com")
            .build()
            .unwrap_err(),
    ];

    let logs = captured.text();
    assert!(
        logs.contains("anyfast_video"),
        "spans are recorded:\n{logs}"
    );
    assert!(
        logs.contains("operation=\"create\"") || logs.contains("operation=create"),
        "{logs}"
    );
    assert!(logs.contains(&done.id), "{logs}");
    let mut seen = vec![logs, format!("{client:?}"), format!("{done:?}")];
    for error in &errors {
        seen.push(format!("{error:?}"));
        seen.push(error.to_string());
    }
    for text in seen {
        assert!(!text.contains(KEY), "the key leaked into: {text}");
    }
}

#[test]
fn a_key_that_could_inject_headers_is_refused() {
    for key in ["sk-1\r\nX-Evil: 1", "sk-1\nx", ""] {
        let error = Client::builder()
            .api_key(key)
            .base_url("http://127.0.0.1:1")
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{key:?}");
        assert!(!error.to_string().contains("X-Evil"));
    }
}

#[test]
fn plain_http_is_refused_except_on_loopback() {
    assert!(
        Client::builder()
            .api_key(KEY)
            .base_url("http://www.anyfast.ai")
            .build()
            .is_err()
    );
    assert!(
        Client::builder()
            .api_key(KEY)
            .base_url("http://127.0.0.1:12111")
            .build()
            .is_ok()
    );
    assert!(
        Client::builder()
            .api_key(KEY)
            .base_url("https://www.anyfast.ai/")
            .build()
            .is_ok()
    );
}

#[test]
fn no_key_is_a_clear_error() {
    let error = Client::builder().build().unwrap_err();
    assert!(error.to_string().contains("ANYFAST_API_KEY"), "{error}");
}

#[tokio::test]
async fn authorization_is_dropped_on_a_redirect_to_another_host() {
    let other_host = MockServer::start_async().await;
    let landed = other_host
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path("/moved/cgt-1")
                .header_missing("authorization");
            then.status(200)
                .json_body(serde_json::json!({"id": "cgt-1", "status": "processing"}));
        })
        .await;
    let api = MockServer::start_async().await;
    // localhost and 127.0.0.1 are different hosts to the client.
    let target = other_host
        .url("/moved/cgt-1")
        .replace("127.0.0.1", "localhost");
    api.mock_async(|when, then| {
        when.method(Method::GET)
            .path("/v1/video/generations/cgt-1")
            .header("authorization", format!("Bearer {KEY}"));
        then.status(302).header("location", target.as_str());
    })
    .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(api.base_url())
        .build()
        .unwrap();
    let task = client.videos().get("cgt-1").await.unwrap();
    assert_eq!(task.id, "cgt-1");
    landed.assert_async().await;
}
