//! The key: never to another host, refused when it could inject headers; redirects; the base
//! URL: https unless loopback. (That the key is in no log, Debug or error text is the
//! reliability report's key sweep, in a process of its own: there its log capture is the one
//! subscriber, which a test among others cannot be.)

use crate::common::*;
use anyfast_video::{Client, Error, VideoRequest};
use httpmock::{Method, MockServer};

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

/// A query and a create the API answers with a redirect to `target` (status `status`), and
/// the client of it.
async fn redirecting(api: &MockServer, status: u16, target: &str) -> Client {
    for (method, path) in [
        (Method::GET, "/v1/video/generations/cgt-1"),
        (Method::POST, "/v1/video/generations"),
    ] {
        api.mock_async(|when, then| {
            when.method(method).path(path);
            then.status(status).header("location", target);
        })
        .await;
    }
    Client::builder()
        .api_key(KEY)
        .base_url(api.base_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_and_says_where_it_pointed() {
    let other_host = MockServer::start_async().await;
    let reached = other_host
        .mock_async(|when, then| {
            when.any_request();
            then.status(401).json_body(
                serde_json::json!({"error": {"code": "invalid_api_key", "message": "no key"}}),
            );
        })
        .await;
    // localhost and 127.0.0.1 are different hosts to the client.
    let target = other_host.url("/moved").replace("127.0.0.1", "localhost");
    for status in [301, 302, 307, 308] {
        let api = MockServer::start_async().await;
        let client = redirecting(&api, status, &format!("{target}?token=secret")).await;
        let error = client.videos().get("cgt-1").await.unwrap_err();
        let Error::Redirected {
            status: seen,
            to,
            task_id,
            ..
        } = &error
        else {
            panic!("{status}: {error:?}");
        };
        assert_eq!(*seen, status);
        assert_eq!(to, &format!("http://localhost:{}", other_host.port()));
        assert_eq!(task_id.as_deref(), Some("cgt-1"));
        let text = error.to_string();
        assert!(
            text.contains("not followed") && !text.contains("401") && !text.contains("secret"),
            "{text}"
        );
        let refused = client
            .videos()
            .create(VideoRequest::text("a secret prompt"))
            .await
            .unwrap_err();
        assert!(
            matches!(refused, Error::Redirected { .. }),
            "{status}: {refused:?}"
        );
    }
    assert_eq!(
        reached.calls_async().await,
        0,
        "the other host received nothing, no create body"
    );
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_only_when_it_keeps_the_method_and_body() {
    let api = MockServer::start_async().await;
    let landed = api
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/v2/video/generations")
                .header("authorization", format!("Bearer {KEY}"))
                .body_includes("a moved cat");
            then.status(200)
                .json_body(serde_json::json!({"id": "cgt-7", "status": ""}));
        })
        .await;
    let client = redirecting(&api, 307, &api.url("/v2/video/generations")).await;
    let task = client
        .videos()
        .create(VideoRequest::text("a moved cat"))
        .await
        .unwrap();
    assert_eq!(task.id, "cgt-7");
    landed.assert_async().await;

    let api = MockServer::start_async().await;
    let as_get = api
        .mock_async(|when, then| {
            when.method(Method::GET).path("/elsewhere");
            then.status(200)
                .json_body(serde_json::json!({"id": "cgt-8", "status": ""}));
        })
        .await;
    let client = redirecting(&api, 303, &api.url("/elsewhere")).await;
    let error = client
        .videos()
        .create(VideoRequest::text("a cat"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Redirected { status: 303, .. }),
        "{error:?}"
    );
    assert_eq!(
        as_get.calls_async().await,
        0,
        "a create is never turned into a GET"
    );
}
