//! A whole task life-cycle, authentication, validation, shapes and the request log, driven
//! with plain reqwest.

use std::collections::BTreeSet;

use crate::common::*;
use anyfast_mock::{MockConfig, Route, SAMPLE_VIDEO, Shape, Timing};
use serde_json::{Value, json};

#[tokio::test]
async fn a_task_walks_from_not_start_to_success_and_its_video_downloads_without_the_token() {
    let mock = start(MockConfig::default().timing(visible_steps())).await;
    let response = create(&mock, &text_request("一只猫在阳光明媚的房间里弹钢琴")).await;
    assert_eq!(response.status(), 200);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["object"], "video");
    assert_eq!(created["status"], "");
    assert_eq!(created["progress"], 0);
    assert_eq!(created["model"], "seedance-fast");
    assert_eq!(created["task_id"], created["id"]);
    let id = created["id"].as_str().unwrap();

    let mut seen = Vec::new();
    let done = loop {
        let task = query_json(&mock, id).await;
        assert_eq!(task["code"], "success");
        let status = task["data"]["status"].as_str().unwrap().to_string();
        let progress = task["data"]["progress"].as_str().unwrap().to_string();
        assert!(progress.ends_with('%'), "{progress}");
        if seen.last().map(|(last, _)| last) != Some(&status) {
            seen.push((status.clone(), progress));
        }
        if status == "SUCCESS" {
            break task;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let statuses: Vec<&str> = seen.iter().map(|(status, _)| status.as_str()).collect();
    assert_eq!(statuses, ["NOT_START", "QUEUED", "IN_PROGRESS", "SUCCESS"]);
    assert_eq!(done["data"]["progress"], "100%");
    assert_eq!(done["data"]["data"]["status"], "succeeded");
    let result_url = done["data"]["result_url"].as_str().unwrap();
    assert!(
        result_url.starts_with(&mock.download_base_url()),
        "{result_url}"
    );
    assert_eq!(done["data"]["data"]["content"]["video_url"], result_url);

    let video = http().get(result_url).send().await.unwrap();
    assert_eq!(video.status(), 200);
    assert_eq!(video.headers()["content-type"], "video/mp4");
    assert_eq!(video.headers()["accept-ranges"], "bytes");
    assert_eq!(
        video.headers()["content-length"],
        SAMPLE_VIDEO.len().to_string().as_str()
    );
    assert_eq!(&video.bytes().await.unwrap()[..], SAMPLE_VIDEO);

    let downloads: Vec<_> = mock
        .requests()
        .into_iter()
        .filter(|r| r.route == Route::Download)
        .collect();
    assert_eq!(downloads.len(), 1);
    assert!(!downloads[0].authorization);
    assert_eq!(downloads[0].status, Some(200));
}

#[tokio::test]
async fn a_download_that_carries_a_token_is_recorded_as_such() {
    let mock = start(MockConfig::default().timing(Timing::Instant)).await;
    let id = create_task(&mock, "a cat").await;
    let url = query_json(&mock, &id).await["data"]["result_url"]
        .as_str()
        .unwrap()
        .to_string();
    let response = http().get(&url).bearer_auth(KEY).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let download = mock
        .requests()
        .into_iter()
        .find(|r| r.route == Route::Download)
        .unwrap();
    assert!(download.authorization);
    assert!(
        !format!("{:?}", mock.requests()).contains(KEY),
        "the token is never stored"
    );
}

#[tokio::test]
async fn a_prompt_with_the_fail_marker_makes_a_failing_task() {
    let mock = start(MockConfig::default().timing(Timing::Fast)).await;
    let id = create_task(
        &mock,
        "a real face [mock:fail=InputImageSensitiveContentDetected.PrivacyInformation]",
    )
    .await;
    let task = wait_until_done(&mock, &id).await;
    let data = &task["data"];
    assert_eq!(data["status"], "FAILURE");
    assert!(data.get("result_url").is_none());
    assert!(
        data["fail_reason"]
            .as_str()
            .unwrap()
            .contains("PrivacyInformation")
    );
    assert_eq!(data["data"]["status"], "failed");
    assert_eq!(
        data["data"]["error"]["code"],
        "InputImageSensitiveContentDetected.PrivacyInformation"
    );

    let video_url = format!("{}/videos/{id}.mp4", mock.download_base_url());
    assert_eq!(http().get(video_url).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn authentication_is_required_and_a_chosen_key_is_enforced() {
    let mock = start(MockConfig::default().api_key(KEY)).await;
    let url = format!("{}/v1/video/generations", mock.base_url());
    let body = text_request("a cat");
    for request in [
        http().post(&url).json(&body),
        http().post(&url).bearer_auth("sk-wrong").json(&body),
        http()
            .post(&url)
            .header("authorization", "Bearer ")
            .json(&body),
        http()
            .post(&url)
            .basic_auth("user", Some("pass"))
            .json(&body),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401);
        let error: Value = response.json().await.unwrap();
        assert_eq!(
            error,
            json!({"error": {"message": "Invalid API key provided", "type": "authentication_error", "code": "invalid_api_key"}})
        );
    }
    assert_eq!(mock.task_count(), 0);
    assert_eq!(create(&mock, &body).await.status(), 200);

    let any_key = start(MockConfig::default()).await;
    let response = http()
        .post(format!("{}/v1/video/generations", any_key.base_url()))
        .bearer_auth("anything")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn bad_requests_get_400_naming_the_field_and_make_no_task() {
    let mock = start(MockConfig::default()).await;
    let image = json!({"type": "image_url", "image_url": {"url": "https://example.com/a.png"}, "role": "reference_image"});
    let audio = json!({"type": "audio_url", "audio_url": {"url": "https://example.com/a.mp3"}});
    let text = json!({"type": "text", "text": "a cat"});
    let cases = [
        (json!({"content": [text]}), "model", "MissingParameter"),
        (
            json!({"model": "seedance-fast", "content": [text], "duration": 16}),
            "duration",
            "InvalidParameter",
        ),
        (
            json!({"model": "seedance-fast", "content": [text], "duration": 2}),
            "duration",
            "InvalidParameter",
        ),
        (
            json!({"model": "seedance-fast", "content": [text], "resolution": "1080p"}),
            "resolution",
            "InvalidParameter",
        ),
        (
            json!({"model": "seedance-fast", "content": [text, audio]}),
            "content",
            "InvalidParameter",
        ),
        (
            json!({"model": "seedance-fast", "content": [text, image], "tools": [{"type": "web_search"}]}),
            "tools[0]",
            "InvalidParameter",
        ),
        (
            json!({"model": "seedance-fast", "content": [{"type": "video_url", "video_url": {"url": "data:video/mp4;base64,AAAA"}}]}),
            "content[0].video_url.url",
            "InvalidParameter",
        ),
    ];
    for (body, field, code) in cases {
        let response = create(&mock, &body).await;
        assert_eq!(response.status(), 400, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["param"], field, "{error}");
        assert_eq!(error["error"]["code"], code, "{error}");
        assert_eq!(error["error"]["type"], "invalid_request_error");
        let message = error["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("{field}: ")), "{message}");
    }
    let not_json = http()
        .post(format!("{}/v1/video/generations", mock.base_url()))
        .bearer_auth(KEY)
        .body("{\"model\":")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), 400);
    assert_eq!(mock.task_count(), 0);
}

#[tokio::test]
async fn an_idempotency_key_longer_than_the_spec_allows_is_refused() {
    let mock = start(MockConfig::default()).await;
    let send = |key: String| {
        http()
            .post(format!("{}/v1/video/generations", mock.base_url()))
            .bearer_auth(KEY)
            .header("idempotency-key", key)
            .json(&text_request("a cat"))
            .send()
    };
    let long = send("k".repeat(256)).await.unwrap();
    assert_eq!(long.status(), 400);
    let error: Value = long.json().await.unwrap();
    assert_eq!(error["error"]["param"], "Idempotency-Key", "{error}");
    assert_eq!(mock.task_count(), 0);
    // Refused, but counted: the log counts every create that came with the key.
    assert_eq!(mock.create_count_for_idempotency_key(&"k".repeat(256)), 1);
    assert_eq!(send("k".repeat(255)).await.unwrap().status(), 200);
    assert_eq!(mock.task_count(), 1);
}

#[tokio::test]
async fn an_unknown_id_is_404_with_the_documented_error_body() {
    let mock = start(MockConfig::default()).await;
    let response = query(&mock, "cgt-does-not-exist").await;
    assert_eq!(response.status(), 404);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "task_not_exist");
}

/// Every status a shape reports during a fast life-cycle, in order, and the last answer.
async fn statuses_in_shape(shape: Shape, prompt: &str) -> (Vec<String>, Value) {
    let mock = start(MockConfig::default().timing(visible_steps()).shape(shape)).await;
    let id = create_task(&mock, prompt).await;
    let mut statuses: Vec<String> = Vec::new();
    loop {
        let task = query_json(&mock, &id).await;
        let status = task["status"].as_str().unwrap().to_string();
        if statuses.last() != Some(&status) {
            statuses.push(status.clone());
        }
        if ["completed", "succeeded", "failed"].contains(&status.as_str()) {
            return (statuses, task);
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_older_flat_shape_reports_processing_then_completed_with_a_video_url() {
    // The failing task is followed at the same time: each takes the 3 s of visible steps.
    let ((statuses, done), (failed_statuses, failed)) = tokio::join!(
        statuses_in_shape(Shape::Flat, "a cat"),
        statuses_in_shape(Shape::Flat, "[mock:fail]")
    );
    assert_eq!(statuses, ["processing", "completed"]);
    let keys: BTreeSet<&str> = done
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from(["id", "model", "status", "video_url", "created_at"])
    );
    assert_eq!(failed_statuses, ["processing", "failed"]);
    assert!(failed.get("video_url").is_none());
}

#[tokio::test]
async fn the_older_ark_shape_reports_submitted_processing_succeeded_with_content() {
    // The failing task is followed at the same time: each takes the 3 s of visible steps.
    let ((statuses, done), (failed_statuses, failed)) = tokio::join!(
        statuses_in_shape(Shape::Ark, "a cat"),
        statuses_in_shape(Shape::Ark, "[mock:fail]")
    );
    assert_eq!(statuses, ["submitted", "processing", "succeeded"]);
    assert!(
        done["content"]["video_url"]
            .as_str()
            .unwrap()
            .contains("/videos/")
    );
    assert_eq!(done["usage"]["total_tokens"], 108900);
    assert_eq!(failed_statuses.last().unwrap(), "failed");
    assert_eq!(failed["error"]["code"], "SensitiveContentDetected");
}

#[tokio::test]
async fn the_request_log_keeps_idempotency_keys_bodies_and_counts_per_route() {
    let mock = start(MockConfig::default().timing(Timing::Instant)).await;
    let body = text_request("a cat");
    let response = http()
        .post(format!("{}/v1/video/generations", mock.base_url()))
        .bearer_auth(KEY)
        .header("idempotency-key", "key-123")
        .json(&body)
        .send()
        .await
        .unwrap();
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    query(&mock, &id).await;
    query(&mock, &id).await;
    let requests = mock.requests();
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/v1/video/generations");
    assert!(requests[0].authorization);
    assert_eq!(requests[0].idempotency_key.as_deref(), Some("key-123"));
    assert_eq!(requests[0].body.as_ref(), Some(&body));
    assert_eq!(requests[0].status, Some(200));
    assert_eq!(requests[1].path, format!("/v1/video/generations/{id}"));
    assert_eq!(requests[1].idempotency_key, None);
    assert_eq!(
        (
            mock.count(Route::Create),
            mock.count(Route::Get),
            mock.count(Route::Download)
        ),
        (1, 2, 0)
    );
}

#[tokio::test]
async fn the_log_keeps_the_latest_requests_in_full_and_counts_every_one() {
    let mock = start(
        MockConfig::default()
            .timing(Timing::Instant)
            .log_capacity(4),
    )
    .await;
    let mut ids = Vec::new();
    for prompt in ["a cat", "a dog", "a cat"] {
        ids.push(create_task(&mock, prompt).await);
    }
    for id in &ids {
        query(&mock, id).await;
    }
    let kept = mock.requests();
    assert_eq!(kept.len(), 4);
    assert_eq!(
        kept[0].route,
        Route::Create,
        "the last create, then three queries"
    );
    assert_eq!(
        kept[3].path,
        format!("/v1/video/generations/{}", ids[2]),
        "in arrival order"
    );
    assert!(kept.iter().all(|r| r.status == Some(200)));
    assert_eq!((mock.count(Route::Create), mock.count(Route::Get)), (3, 3));
    assert_eq!(mock.create_count_for_prompt("a cat"), 2);
    assert_eq!(mock.create_count_for_prompt("a dog"), 1);
    assert_eq!(mock.task_count_for_prompt("a cat"), 2);
}

#[tokio::test]
async fn a_refused_create_is_counted_for_its_prompt_but_makes_no_task() {
    let mock = start(MockConfig::default().api_key(KEY)).await;
    let refused = http()
        .post(format!("{}/v1/video/generations", mock.base_url()))
        .bearer_auth("sk-wrong")
        .header("idempotency-key", "key-1")
        .json(&text_request("a cat"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(mock.create_count_for_prompt("a cat"), 1);
    assert_eq!(mock.create_count_for_idempotency_key("key-1"), 1);
    assert_eq!(mock.create_count_for_idempotency_key("key-2"), 0);
    assert_eq!(mock.task_count_for_prompt("a cat"), 0);
}
