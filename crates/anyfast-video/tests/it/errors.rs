//! Exact exchanges with httpmock: each documented error body becomes the right error.

use crate::common::KEY;
use anyfast_video::{Client, Error, RetryPolicy, VideoRequest};
use httpmock::{Method, MockServer};
use serde_json::json;

async fn query_error(status: u16, content_type: &str, body: &str) -> Error {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/v1/video/generations/cgt-1");
            then.status(status)
                .header("content-type", content_type)
                .header("x-request-id", "req-h")
                .body(body);
        })
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    client.videos().get("cgt-1").await.unwrap_err()
}

#[tokio::test]
async fn the_documented_error_body_gives_status_code_message_and_request_id() {
    let body = json!({"error": {"message": "Invalid API key provided", "type": "authentication_error", "code": "invalid_api_key"}});
    match query_error(401, "application/json", &body.to_string()).await {
        Error::Api {
            status,
            code,
            message,
            request_id,
            task_id,
            retry_after,
        } => {
            assert_eq!(status, 401);
            assert_eq!(code.as_deref(), Some("invalid_api_key"));
            assert_eq!(message, "Invalid API key provided");
            assert_eq!(request_id.as_deref(), Some("req-h"));
            assert_eq!(task_id.as_deref(), Some("cgt-1"));
            assert_eq!(retry_after, None);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_upstream_error_relayed_inside_message_is_unpacked() {
    let inner = json!({"error": {"code": "InvalidParameter", "message": "The parameter `content` is not valid. Request ID: 20260427abc"}});
    let body = json!({"code": "upstream_error", "message": inner.to_string(), "data": null});
    match query_error(400, "application/json", &body.to_string()).await {
        Error::Api {
            code,
            message,
            request_id,
            ..
        } => {
            assert_eq!(code.as_deref(), Some("InvalidParameter"));
            assert!(message.starts_with("The parameter `content` is not valid"));
            assert_eq!(request_id.as_deref(), Some("20260427abc"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_html_error_page_keeps_its_status() {
    let error = query_error(
        502,
        "text/html",
        "<html><body>502 Bad Gateway</body></html>",
    )
    .await;
    match &error {
        Error::Api {
            status,
            code,
            message,
            ..
        } => {
            assert_eq!(*status, 502);
            assert_eq!(
                code.as_deref(),
                Some(anyfast_video::api::UNRECOGNISED_ERROR_BODY)
            );
            assert!(message.contains("502 Bad Gateway"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        error.to_string().starts_with("the API answered 502"),
        "{error}"
    );
}

#[tokio::test]
async fn a_200_whose_body_is_an_error_is_an_error() {
    let body = json!({"code": "task_not_exist", "message": "task_not_exist", "data": null});
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/v1/video/generations/cgt-1");
            then.status(200).json_body(body);
        })
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    match client.videos().get("cgt-1").await.unwrap_err() {
        Error::Api {
            status,
            code,
            task_id,
            ..
        } => {
            assert_eq!(
                (status, code.as_deref(), task_id.as_deref()),
                (200, Some("task_not_exist"), Some("cgt-1"))
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_create_is_sent_exactly_with_key_and_idempotency_key() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/v1/video/generations")
                .header("authorization", format!("Bearer {KEY}"))
                .header_exists("idempotency-key")
                .json_body(json!({
                    "model": "seedance-fast",
                    "content": [{"type": "text", "text": "a cat"}]
                }));
            then.status(200).json_body(json!({"id": "cgt-9", "task_id": "cgt-9", "object": "video", "model": "seedance-fast", "status": "", "progress": 0, "created_at": 1773328294}));
        })
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let task = client
        .videos()
        .create(VideoRequest::text("a cat"))
        .await
        .unwrap();
    create.assert_async().await;
    assert_eq!(task.id, "cgt-9");
    assert_eq!(task.raw["object"], "video");
}

/// A resolver that knows no name: what a name that does not resolve looks like, without
/// asking the machine's DNS.
struct Unresolvable;

impl reqwest::dns::Resolve for Unresolvable {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let error = std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{} is unknown to the test's resolver", name.as_str()),
        );
        Box::pin(std::future::ready(Err(error.into())))
    }
}

/// A client whose names resolve through [`Unresolvable`], without retries.
fn unresolving_client(base_url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .dns_resolver(std::sync::Arc::new(Unresolvable))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_name_that_does_not_resolve_keeps_the_resolvers_error_as_its_cause() {
    let client = unresolving_client("https://api.anyfast.test");
    let error = client.videos().get("cgt-1").await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(
        error.to_string().starts_with(
            "get failed (task cgt-1): error sending request for url (https://api.anyfast.test/"
        ),
        "{error}"
    );
    let causes = error.causes();
    assert!(
        causes.iter().any(|cause| cause.starts_with("dns error")),
        "{causes:?}"
    );
    assert_eq!(
        causes.last().map(String::as_str),
        Some("api.anyfast.test is unknown to the test's resolver"),
        "{causes:?}"
    );
    // Each cause is a clause of its own: none repeats what is above it.
    let line = std::iter::once(error.to_string())
        .chain(causes.clone())
        .collect::<Vec<_>>()
        .join(": ");
    for cause in &causes {
        assert_eq!(line.matches(cause.as_str()).count(), 1, "{line}");
    }
    assert!(!format!("{line}{error:?}").contains(KEY));
}

#[tokio::test]
async fn the_storage_host_resolves_through_the_same_resolver_and_its_cause_is_kept() {
    let mock = anyfast_mock::MockServer::start(
        anyfast_mock::MockConfig::default().timing(anyfast_mock::Timing::Instant),
    )
    .await
    .unwrap();
    // The API is at an address (no name to resolve); the video's link names a host.
    let client = unresolving_client(&mock.base_url());
    let mut task = client
        .videos()
        .create(VideoRequest::text("a cat"))
        .await
        .unwrap();
    task.video_url = Some("http://videos.anyfast.test/cat.mp4".into());
    let dir = tempfile::tempdir().unwrap();
    let error = client
        .videos()
        .download(&task, dir.path().join("cat.mp4"))
        .await
        .unwrap_err();
    let text = std::iter::once(error.to_string())
        .chain(error.causes())
        .collect::<Vec<_>>()
        .join(": ");
    assert!(
        text.contains("dns error")
            && text.contains("videos.anyfast.test is unknown to the test's resolver"),
        "{text}"
    );
}
