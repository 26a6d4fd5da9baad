//! Every model family end to end against the mock (create → wait → download, each at its own
//! route and in its own body), and each family's bad input refused before anything is sent,
//! naming the field.

use crate::common::*;
use anyfast_mock::{MockConfig, MockServer, SAMPLE_VIDEO, Timing};
use anyfast_video::{Error, HappyHorseRequest, KlingRequest, TaskStatus, VideoRequest, WanRequest};
use serde_json::Value;

/// The bodies the mock received at `path` by POST.
fn posted(mock: &MockServer, path: &str) -> Vec<Value> {
    mock.requests()
        .into_iter()
        .filter(|request| request.method == "POST" && request.path == path)
        .filter_map(|request| request.body)
        .collect()
}

/// Creates, waits for and downloads `request`; the task and the bodies posted to `path`.
async fn made(request: VideoRequest, path: &str) -> (anyfast_video::Task, Vec<Value>) {
    let mock = mock(MockConfig::default().timing(Timing::Fast)).await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("video.mp4");
    let task = client
        .videos()
        .generate_with(
            request,
            &file,
            anyfast_video::GenerateOptions::default().wait(quick_wait()),
        )
        .await
        .unwrap_or_else(|error| panic!("{path}: {error}"));
    assert_eq!(task.status, TaskStatus::Succeeded);
    assert_eq!(std::fs::read(&file).unwrap(), SAMPLE_VIDEO, "{path}");
    (task, posted(&mock, path))
}

#[tokio::test]
async fn a_seedance_1_0_video_is_made_at_a_duration_only_1_x_allows() {
    let request = VideoRequest::text("a cat on a wall")
        .model("doubao-seedance-1-0-lite-t2v-250428")
        .duration(2)
        .camera_fixed(true);
    let (_, bodies) = made(request, "/v1/video/generations").await;
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["model"], "doubao-seedance-1-0-lite-t2v-250428");
    assert_eq!(bodies[0]["duration"], 2);
}

#[tokio::test]
async fn a_wan_video_is_made_in_wans_own_body() {
    let request = WanRequest::text_to_video("a cat playing piano")
        .duration(4)
        .size(1280, 720);
    let (_, bodies) = made(request.into(), "/v1/video/generations").await;
    assert_eq!(bodies.len(), 1);
    let body = &bodies[0];
    assert_eq!(body["model"], "wan2.2-t2v-a14b");
    assert_eq!(
        (body["prompt"].as_str(), body["duration"].as_i64()),
        (Some("a cat playing piano"), Some(4))
    );
    assert_eq!(
        (body["width"].as_i64(), body["height"].as_i64()),
        (Some(1280), Some(720))
    );
    // Nothing of Seedance's body, and no default the caller did not ask for.
    for absent in [
        "content",
        "generate_audio",
        "watermark",
        "ratio",
        "resolution",
        "seed",
    ] {
        assert!(body.get(absent).is_none(), "{absent} sent: {body}");
    }
}

#[tokio::test]
async fn a_family_id_the_pages_do_not_list_is_sent_in_the_familys_body_unjudged() {
    // Wan 2.5 is not on anyfast's pages: it goes in Wan's body, held to the body's own rules
    // but not to a documented model's inputs (Wan 2.2's i2v would need an image).
    let request = WanRequest::text_to_video("a cat playing piano")
        .model("wan2.5-i2v-preview")
        .duration(5);
    let (_, bodies) = made(request.into(), "/v1/video/generations").await;
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["model"], "wan2.5-i2v-preview");
    assert_eq!(bodies[0]["duration"], 5);
    // The same through the API's own body, as a batch line gives it (1.0's r2v would need
    // its reference images).
    let line = VideoRequest::from_json(serde_json::json!({
        "model": "happyhorse-2.0-r2v", "prompt": "a horse", "duration": 12
    }))
    .unwrap();
    let (_, bodies) = made(line, "/v1/video/generations").await;
    assert_eq!(bodies[0]["model"], "happyhorse-2.0-r2v");
    // Only the documented edit model takes the native body: another id, even one named for an
    // edit, goes in the flat body, as the spec and the mock (which checks it) say.
    let line = VideoRequest::from_json(serde_json::json!({
        "model": "happyhorse-2.0-video-edit", "prompt": "a horse in a striped sweater"
    }))
    .unwrap();
    let (_, bodies) = made(line, "/v1/video/generations").await;
    assert_eq!(bodies[0]["model"], "happyhorse-2.0-video-edit");
    assert_eq!(bodies[0]["prompt"], "a horse in a striped sweater");
    assert!(bodies[0].get("input").is_none(), "{}", bodies[0]);
}

#[tokio::test]
async fn a_happyhorse_video_is_made_from_its_first_frame() {
    let request = HappyHorseRequest::image_to_video(
        "the scene comes to life",
        "https://example.com/first.png",
    )
    .resolution("720P")
    .duration(6)
    .watermark(false);
    let (_, bodies) = made(request.into(), "/v1/video/generations").await;
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["model"], "happyhorse-1.0-i2v");
    assert_eq!(bodies[0]["image"], "https://example.com/first.png");
    assert_eq!(bodies[0]["resolution"], "720P");
}

#[tokio::test]
async fn a_kling_video_is_made_on_klings_own_routes_and_its_id_carries_the_action() {
    let request = KlingRequest::text_to_video("a cat walks through sunflowers")
        .mode("pro")
        .duration(5);
    let (task, bodies) = made(request.into(), "/kling/v1/videos/text2video").await;
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["model_name"], "kling-v3");
    assert_eq!(
        (bodies[0]["mode"].as_str(), bodies[0]["duration"].as_str()),
        (Some("pro"), Some("5"))
    );
    assert!(task.id.starts_with("kling/text2video/"), "{}", task.id);

    let request = KlingRequest::image_to_video("https://example.com/first.png")
        .image_tail("https://example.com/last.png")
        .prompt("the flower opens");
    let (task, bodies) = made(request.into(), "/kling/v1/videos/image2video").await;
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["image_tail"], "https://example.com/last.png");
    assert!(task.id.starts_with("kling/image2video/"), "{}", task.id);
}

#[tokio::test]
async fn every_familys_bad_input_is_refused_before_sending_naming_the_field() {
    let mock = mock(MockConfig::default().timing(Timing::Fast)).await;
    let client = client(&mock);
    let cases: Vec<(&str, VideoRequest, &str)> = vec![
        (
            "Seedance 1.0 lite at 13 s",
            VideoRequest::text("a cat")
                .model("doubao-seedance-1-0-lite-t2v-250428")
                .duration(13),
            "duration",
        ),
        (
            "Wan at 6 s",
            WanRequest::text_to_video("a cat").duration(6).into(),
            "duration",
        ),
        (
            "Wan text-to-video without a prompt",
            WanRequest::text_to_video("").into(),
            "prompt",
        ),
        (
            "HappyHorse at 16 s",
            HappyHorseRequest::text_to_video("a cat")
                .duration(16)
                .into(),
            "duration",
        ),
        (
            "HappyHorse at 4K",
            HappyHorseRequest::text_to_video("a cat")
                .resolution("4K")
                .into(),
            "resolution",
        ),
        (
            "Kling with a prompt over 2500 characters",
            KlingRequest::text_to_video("x".repeat(2501)).into(),
            "prompt",
        ),
        (
            "Kling in a mode it has not",
            KlingRequest::text_to_video("a cat").mode("ultra").into(),
            "mode",
        ),
        (
            "Kling multi-image with five images",
            KlingRequest::multi_image_to_video("four friends", ["https://e.com/1.png"; 5]).into(),
            "image_list",
        ),
        (
            "a Seedance setter on a Wan request",
            VideoRequest::from(WanRequest::text_to_video("a cat")).duration(4),
            "duration",
        ),
        (
            "a Wan model on a Seedance request (content[] is not Wan's body)",
            VideoRequest::text("a cat").model("wan2.2-t2v-a14b"),
            "model",
        ),
        (
            "a Kling model on a Seedance request",
            VideoRequest::text("a cat").model("kling-v3"),
            "model",
        ),
        (
            "Seedance 1.0 lite image-to-video without its image",
            VideoRequest::text("a cat").model("doubao-seedance-1-0-lite-i2v-250428"),
            "content",
        ),
    ];
    for (case, request, field) in cases {
        let error = client.videos().create(request).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest { .. }),
            "{case}: {error}"
        );
        assert_eq!(
            error.field().map(|f| f.split('[').next().unwrap()),
            Some(field),
            "{case}: {error}"
        );
    }
    let creates = mock
        .requests()
        .into_iter()
        .filter(|request| request.method == "POST")
        .count();
    assert_eq!(creates, 0, "nothing reaches the service");
}

#[tokio::test]
async fn a_batch_line_of_any_family_is_read_into_its_familys_body() {
    let wan = VideoRequest::from_json(serde_json::json!({
        "model": "wan2.2-i2v-a14b", "image": "https://e.com/c.png", "duration": 3
    }))
    .unwrap();
    assert_eq!(
        wan.family(),
        Some(anyfast_video::api::validate::Family::Wan)
    );
    assert_eq!(
        wan.body_without_validation().unwrap()["image"],
        "https://e.com/c.png"
    );
    // Kling named the way every other family names its model.
    let kling =
        VideoRequest::from_json(serde_json::json!({"model": "kling-v3", "prompt": "a cat"}))
            .unwrap();
    let body = kling.body_without_validation().unwrap();
    assert_eq!(
        (body["model_name"].as_str(), body.get("model")),
        (Some("kling-v3"), None)
    );
    // An id no family claims keeps Seedance's body, sent as it is.
    let other = VideoRequest::from_json(serde_json::json!({
        "model": "veo-9", "content": [{"type": "text", "text": "a cat"}]
    }))
    .unwrap();
    assert_eq!(other.family(), None);
    assert_eq!(other.body_without_validation().unwrap()["model"], "veo-9");
}

/// anyfast's pages disagree on Kling's query route (`{action}/{task_id}` or `{task_id}`): a 404
/// at the first is asked again at the second.
#[tokio::test]
async fn a_kling_query_whose_action_route_answers_404_is_asked_without_the_action() {
    let server = httpmock::MockServer::start_async().await;
    let with_action = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::GET)
                .path("/kling/v1/videos/text2video/8602");
            then.status(404).json_body(
                serde_json::json!({"code": "task_not_exist", "message": "no such task"}),
            );
        })
        .await;
    let without = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::GET).path("/kling/v1/videos/8602");
            then.status(200).json_body(serde_json::json!({
                "code": "success", "message": "",
                "data": {"task_id": "8602", "status": "SUCCESS", "progress": "100%",
                         "data": {"code": 0, "message": "SUCCEED",
                                  "data": {"task_id": "8602", "task_status": "succeed",
                                           "task_result": {"videos": [{"id": "v", "url": "https://cdn.example/v.mp4", "duration": "5.0"}]}}}}
            }));
        })
        .await;
    let client = client_for(&server.base_url(), anyfast_video::RetryPolicy::never());
    let task = client.videos().get("kling/text2video/8602").await.unwrap();
    assert_eq!(task.id, "kling/text2video/8602");
    assert_eq!(task.status, TaskStatus::Succeeded);
    assert_eq!(task.video_url.as_deref(), Some("https://cdn.example/v.mp4"));
    with_action.assert_async().await;
    without.assert_async().await;
}
