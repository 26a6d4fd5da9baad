//! The generated client against an httpmock server: what it sends, what it decodes, and what
//! a caller gets for each kind of error.

use crate::common::{CREATE_200, CREATE_REQUEST, GET_200, TOKEN, client, examples, named_example};
use anyfast_video_api::{Error, UNRECOGNISED_ERROR_BODY, types};
use httpmock::{Method, MockServer};
use serde_json::{Value, json};

/// The request example of anyfast's reference page "创建视频生成任务", as printed there.
const REFERENCE_PAGE_REQUEST: &str = r#"
{
  "model": "seedance-fast",
  "content": [
    {
      "type": "text",
      "text": "一只猫在阳光明媚的房间里弹钢琴"
    },
    {
      "type": "image_url",
      "image_url": {
        "url": "https://example.com/reference.jpg"
      },
      "role": "reference_image"
    }
  ],
  "generate_audio": true,
  "resolution": "720p",
  "ratio": "adaptive",
  "duration": 5,
  "tools": [
    {
      "type": "web_search"
    }
  ],
  "watermark": false
}"#;

/// The response example of the same page.
const REFERENCE_PAGE_RESPONSE: &str = r#"
{
  "id": "cgt-20260312231129-7db6s",
  "task_id": "cgt-20260312231129-7db6s",
  "object": "video",
  "model": "seedance-fast",
  "status": "",
  "progress": 0,
  "created_at": 1773328294
}"#;

fn reference_request() -> Value {
    serde_json::from_str(REFERENCE_PAGE_REQUEST).unwrap()
}

/// The reference page's request as the generated type.
fn typed_reference_request() -> types::CreateVideoGenerationRequest {
    serde_json::from_value(reference_request()).unwrap()
}

fn reference_response() -> Value {
    serde_json::from_str(REFERENCE_PAGE_RESPONSE).unwrap()
}

#[test]
fn the_spec_holds_the_reference_pages_examples_verbatim() {
    assert_eq!(
        named_example(CREATE_REQUEST, "reference_page"),
        reference_request()
    );
    assert_eq!(
        named_example(CREATE_200, "reference_page"),
        reference_response()
    );
}

#[tokio::test]
async fn the_reference_request_is_sent_as_the_same_json_to_the_same_path_with_bearer_auth() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/v1/video/generations")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("content-type", "application/json")
                .json_body(reference_request());
            then.status(200).json_body(reference_response());
        })
        .await;

    let request = typed_reference_request();
    let response = client(&server.base_url())
        .create_video_generation()
        .body(request)
        .send()
        .await
        .expect("the mock answers the exact request");

    create.assert_async().await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.id, "cgt-20260312231129-7db6s");
    assert_eq!(
        response.task_id.as_deref(),
        Some("cgt-20260312231129-7db6s")
    );
    assert_eq!(response.status.as_deref(), Some(""));
    assert_eq!(response.progress, Some(0));
    assert_eq!(response.created_at, Some(1773328294));
}

#[tokio::test]
async fn a_base_url_with_a_trailing_slash_reaches_the_same_path() {
    let server = MockServer::start_async().await;
    let get = server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/v1/video/generations/cgt-1");
            then.status(200)
                .json_body(named_example(GET_200, "running"));
        })
        .await;
    let response = client(&format!("{}/", server.base_url()))
        .get_video_generation()
        .id("cgt-1")
        .send()
        .await;
    get.assert_async().await;
    assert!(response.is_ok(), "{response:?}");
}

/// Serves `body` as the answer to a query and returns what the client decoded.
async fn query_answered_with(body: Value) -> types::GetVideoGenerationResponse {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/v1/video/generations/cgt-1");
            then.status(200).json_body(body);
        })
        .await;
    client(&server.base_url())
        .get_video_generation()
        .id("cgt-1")
        .send()
        .await
        .expect("the body decodes")
        .into_inner()
}

#[tokio::test]
async fn every_query_example_in_the_spec_decodes_without_losing_a_field() {
    let query_examples: Vec<_> = examples()
        .into_iter()
        .filter(|example| {
            example
                .location
                .starts_with(&format!("{GET_200}/examples/"))
        })
        .collect();
    assert!(
        query_examples.len() >= 5,
        "running, succeeded, failed and two older shapes"
    );
    for example in query_examples {
        let decoded = query_answered_with(example.value.clone()).await;
        assert_eq!(
            serde_json::to_value(&decoded).unwrap(),
            example.value,
            "{} did not survive decoding",
            example.location
        );
    }
}

#[tokio::test]
async fn each_documented_query_shape_exposes_its_status_and_video() {
    let running = query_answered_with(named_example(GET_200, "running")).await;
    let data = running.data.unwrap();
    assert_eq!(data.status.as_deref(), Some("IN_PROGRESS"));
    assert_eq!(data.progress.as_deref(), Some("50%"));

    let succeeded = query_answered_with(named_example(GET_200, "succeeded")).await;
    let data = succeeded.data.unwrap();
    assert_eq!(data.status.as_deref(), Some("SUCCESS"));
    assert!(data.result_url.unwrap().starts_with("https://"));
    let upstream = data.data.unwrap();
    assert_eq!(upstream.usage.unwrap().total_tokens, Some(108900));

    let failed = query_answered_with(named_example(GET_200, "failed")).await;
    let data = failed.data.unwrap();
    assert_eq!(data.status.as_deref(), Some("FAILURE"));
    assert!(data.result_url.is_none());
    let error = data.data.unwrap().error.unwrap();
    assert_eq!(
        error.code.as_deref(),
        Some("InputImageSensitiveContentDetected.PrivacyInformation")
    );

    #[allow(deprecated)]
    {
        let flat = query_answered_with(named_example(GET_200, "legacy_flat")).await;
        assert_eq!(flat.status.as_deref(), Some("completed"));
        assert_eq!(
            flat.video_url.as_deref(),
            Some("https://example.com/video.mp4")
        );

        let ark = query_answered_with(named_example(GET_200, "legacy_ark")).await;
        assert_eq!(ark.status.as_deref(), Some("succeeded"));
        assert_eq!(
            ark.content.unwrap().video_url.as_deref(),
            Some("https://example.com/video.mp4")
        );
    }
}

#[tokio::test]
async fn a_query_answer_with_new_fields_and_a_new_status_word_decodes_and_keeps_them() {
    let mut body = named_example(GET_200, "succeeded");
    body["added_by_a_later_version"] = json!({"any": ["thing"]});
    body["data"]["status"] = json!("PAUSED_FOR_REVIEW");
    body["data"]["priority"] = json!(3);
    body["data"]["data"]["status"] = json!("archived");
    body["data"]["data"]["content"]["thumbnail_url"] = json!("https://example.com/t.jpg");

    let decoded = query_answered_with(body.clone()).await;
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        body,
        "unknown fields are kept (in `extra`) at every level"
    );
    assert_eq!(
        decoded.extra["added_by_a_later_version"],
        json!({"any": ["thing"]})
    );
    let data = decoded.data.unwrap();
    assert_eq!(data.extra["priority"], 3);
    assert_eq!(data.status.as_deref(), Some("PAUSED_FOR_REVIEW"));
    let upstream = data.data.unwrap();
    assert_eq!(upstream.status.as_deref(), Some("archived"));
    assert!(upstream.content.unwrap().video_url.is_some());
}

#[tokio::test]
async fn a_create_answer_with_new_fields_and_a_new_status_word_still_decodes() {
    let server = MockServer::start_async().await;
    let mut body = reference_response();
    body["status"] = json!("queued_for_moderation");
    body["progress"] = json!(3);
    body["estimated_seconds"] = json!(90);
    server
        .mock_async(|when, then| {
            when.method(Method::POST).path("/v1/video/generations");
            then.status(200).json_body(body);
        })
        .await;
    let request = typed_reference_request();
    let response = client(&server.base_url())
        .create_video_generation()
        .body(request)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status.as_deref(), Some("queued_for_moderation"));
    assert_eq!(response.progress, Some(3));
}

const HTML_PAGE: &str = "<html><head><title>502 Bad Gateway</title></head>\
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

/// What a caller gets when a query is answered with `status`, `content_type` and `body`.
async fn query_error(status: u16, content_type: &str, body: &str) -> Error<types::ErrorBody> {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/v1/video/generations/cgt-1");
            then.status(status)
                .header("content-type", content_type)
                .header("retry-after", "7")
                .body(body);
        })
        .await;
    client(&server.base_url())
        .get_video_generation()
        .id("cgt-1")
        .send()
        .await
        .expect_err("an error status is an error")
}

/// The status, headers and body of a documented error response.
fn error_response(
    error: Error<types::ErrorBody>,
) -> (u16, reqwest::header::HeaderMap, types::ErrorBody) {
    match error {
        Error::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            (status, headers, response.into_inner())
        }
        other => panic!("expected Error::ErrorResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn json_error_bodies_of_every_documented_shape_arrive_with_their_status() {
    let documented = r#"{"error":{"message":"Invalid API key provided","type":"authentication_error","code":"invalid_api_key"}}"#;
    let (status, _, body) = error_response(query_error(401, "application/json", documented).await);
    assert_eq!(status, 401);
    let detail = body.error.unwrap();
    assert_eq!(detail.code.as_deref(), Some("invalid_api_key"));
    assert_eq!(detail.type_.as_deref(), Some("authentication_error"));

    let flat = r#"{"code":"task_not_exist","message":"task_not_exist"}"#;
    let (status, _, body) = error_response(query_error(404, "application/json", flat).await);
    assert_eq!(
        (status, body.code.as_deref()),
        (404, Some("task_not_exist"))
    );

    let rate_limited = r#"{"error":{"message":"Request rate limit exceeded","code":"RateLimitExceeded.EndpointRPMExceeded"}}"#;
    let (status, headers, body) =
        error_response(query_error(429, "application/json", rate_limited).await);
    assert_eq!(status, 429);
    assert_eq!(headers["retry-after"], "7");
    assert_eq!(
        body.error.unwrap().code.as_deref(),
        Some("RateLimitExceeded.EndpointRPMExceeded")
    );

    let relayed = r#"{"code":"InvalidParameter","message":"{\"error\":{\"code\":\"InvalidParameter\",\"message\":\"bad\"}}","data":null}"#;
    let (status, _, body) = error_response(query_error(500, "application/json", relayed).await);
    assert_eq!(status, 500);
    let nested: Value = serde_json::from_str(body.message.as_deref().unwrap()).unwrap();
    assert_eq!(nested["error"]["code"], "InvalidParameter");
}

#[tokio::test]
async fn html_and_other_undecodable_error_bodies_keep_their_status_and_text() {
    for status in [401, 404, 429, 500, 502] {
        let error = query_error(status, "text/html", HTML_PAGE).await;
        assert_eq!(error.status().map(|code| code.as_u16()), Some(status));
        let (_, headers, body) = error_response(error);
        assert_eq!(headers["content-type"], "text/html");
        assert_eq!(body.code.as_deref(), Some(UNRECOGNISED_ERROR_BODY));
        assert_eq!(body.message.as_deref(), Some(HTML_PAGE));
    }
    let (status, _, body) = error_response(query_error(503, "application/json", "[1, 2]").await);
    assert_eq!((status, body.message.as_deref()), (503, Some("[1, 2]")));
    let (status, _, body) = error_response(query_error(500, "text/plain", "").await);
    assert_eq!((status, body.message.as_deref()), (500, Some("")));
}

#[tokio::test]
async fn a_create_answered_with_an_html_502_reports_the_status() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::POST).path("/v1/video/generations");
            then.status(502)
                .header("content-type", "text/html")
                .body(HTML_PAGE);
        })
        .await;
    let request = typed_reference_request();
    let error = client(&server.base_url())
        .create_video_generation()
        .body(request)
        .send()
        .await
        .unwrap_err();
    let (status, _, body) = error_response(error);
    assert_eq!(status, 502);
    assert!(body.message.unwrap().contains("502 Bad Gateway"));
}

#[tokio::test]
async fn the_typed_httpmock_helpers_match_and_answer_with_generated_types() {
    use anyfast_video_api::httpmock::MockServerExt;

    let server = MockServer::start_async().await;
    let request = typed_reference_request();
    let answer: types::CreateVideoGenerationResponse =
        serde_json::from_value(reference_response()).unwrap();
    let create = server.create_video_generation(|when, then| {
        when.body(&request);
        then.ok(&answer);
    });
    let response = client(&server.base_url())
        .create_video_generation()
        .body(request.clone())
        .send()
        .await
        .unwrap();
    create.assert();
    assert_eq!(response.id, answer.id);
}

#[tokio::test]
async fn a_capture_keeps_the_original_answer_beside_what_the_generated_code_makes_of_it() {
    use anyfast_video_api::capture::{Capture, MAX_CAPTURED_BYTES};

    let server = MockServer::start_async().await;
    let long_page = format!("<html>{}</html>", "é".repeat(10_000));
    server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path("/v1/video/generations/cgt-html");
            then.status(502)
                .header("content-type", "text/html")
                .header("retry-after", "3")
                .body(&long_page);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(Method::POST).path("/v1/video/generations");
            then.status(202).body(r#"{"data": {"task_id": "cgt-202"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path("/v1/video/generations/cgt-huge");
            then.status(200).body(vec![b' '; MAX_CAPTURED_BYTES + 10]);
        })
        .await;
    let client = client(&server.base_url());

    // An HTML 502: the typed error keeps the status (its body rewritten, cut at 8 KiB); the
    // capture keeps every original byte and header.
    let (result, raw) = Capture::default()
        .run(client.get_video_generation().id("cgt-html").send())
        .await;
    let (status, _, body) = error_response(result.unwrap_err());
    assert_eq!(status, 502);
    assert!(body.message.unwrap().len() <= 8 * 1024);
    let raw = raw.unwrap();
    assert_eq!((raw.status.as_u16(), raw.truncated), (502, false));
    assert_eq!(raw.body, long_page.as_bytes());
    assert_eq!(raw.headers["retry-after"], "3");

    // A status the spec does not declare: the generated client says so; the capture has it.
    let request: types::CreateVideoGenerationRequest = typed_reference_request();
    let (result, raw) = Capture::default()
        .run(client.create_video_generation().body(request).send())
        .await;
    assert!(matches!(result, Err(Error::UnexpectedResponse(_))));
    let raw = raw.unwrap();
    assert_eq!(raw.status.as_u16(), 202);
    assert_eq!(raw.body, &br#"{"data": {"task_id": "cgt-202"}}"#[..]);

    // A body over the limit: cut there, and flagged.
    let (_, raw) = Capture::default()
        .run(client.get_video_generation().id("cgt-huge").send())
        .await;
    let raw = raw.unwrap();
    assert!(raw.truncated);
    assert_eq!(raw.body.len(), MAX_CAPTURED_BYTES);

    // Outside a capture the client behaves as it always did.
    let error = client
        .get_video_generation()
        .id("cgt-html")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|code| code.as_u16()), Some(502));
}

#[tokio::test]
async fn a_capture_gives_the_request_its_timeout() {
    use anyfast_video_api::capture::Capture;

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path("/v1/video/generations/cgt-slow");
            then.status(200)
                .delay(std::time::Duration::from_secs(2))
                .body("{}");
        })
        .await;
    let client = client(&server.base_url());
    let (result, raw) = Capture::default()
        .timeout(std::time::Duration::from_millis(200))
        .run(client.get_video_generation().id("cgt-slow").send())
        .await;
    assert!(raw.is_none());
    match result {
        Err(Error::CommunicationError(error)) => assert!(error.is_timeout(), "{error}"),
        other => panic!("{other:?}"),
    }
}
