//! Requests: the reference page's body exactly, and every rule refused before anything is sent.

use crate::common::*;
use anyfast_mock::{MockConfig, Route, Timing};
use anyfast_video::{Error, KnownResolution, Ratio, VideoRequest};
use serde_json::{Value, json};

/// The request example of anyfast's reference page.
fn reference_page_request() -> Value {
    json!({
        "model": "seedance-fast",
        "content": [
            {"type": "text", "text": "一只猫在阳光明媚的房间里弹钢琴"},
            {"type": "image_url", "image_url": {"url": "https://example.com/reference.jpg"}, "role": "reference_image"}
        ],
        "generate_audio": true,
        "resolution": "720p",
        "ratio": "adaptive",
        "duration": 5,
        "tools": [{"type": "web_search"}],
        "watermark": false
    })
}

#[test]
fn the_reference_pages_example_is_produced_exactly() {
    let request = VideoRequest::text("一只猫在阳光明媚的房间里弹钢琴")
        .reference_image("https://example.com/reference.jpg")
        .generate_audio(true)
        .resolution(KnownResolution::X720p)
        .ratio(Ratio::Adaptive)
        .duration(5)
        .web_search(true)
        .watermark(false);
    let body = serde_json::to_value(request.body_without_validation().unwrap()).unwrap();
    assert_eq!(body, reference_page_request());
}

/// A setting left unset is not sent (the service applies its default, which an earlier
/// Seedance model may not share, or may not take at all).
#[test]
fn only_what_was_asked_for_is_sent() {
    let request = VideoRequest::text("a cat").model("doubao-seedance-1-0-lite-t2v-250428");
    let body = request.body_without_validation().unwrap();
    assert_eq!(
        body,
        json!({"model": "doubao-seedance-1-0-lite-t2v-250428", "content": [{"type": "text", "text": "a cat"}]})
    );
}

#[tokio::test]
async fn the_reference_pages_example_breaks_the_pages_own_web_search_rule_and_is_not_sent() {
    let mock = mock(MockConfig::default()).await;
    let request = VideoRequest::text("一只猫在阳光明媚的房间里弹钢琴")
        .reference_image("https://example.com/reference.jpg")
        .web_search(true);
    let error = client(&mock).videos().create(request).await.unwrap_err();
    assert_eq!(error.field(), Some("tools[0]"));
    assert_eq!(mock.count(Route::Create), 0);
}

#[tokio::test]
async fn every_field_reaches_the_server_as_typed() {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let request = VideoRequest::text("@image1 跳舞")
        .reference_image("asset://asset-1")
        .video("https://example.com/dance.mp4")
        .audio("https://example.com/song.mp3")
        .model("seedance-2.0")
        .duration(-1)
        .ratio(Ratio::X916)
        .resolution(KnownResolution::X480p)
        .generate_audio(false)
        .watermark(true);
    let task = client(&mock).videos().create(request).await.unwrap();
    assert!(task.id.starts_with("cgt-"));
    let sent = mock.requests()[0].body.clone().unwrap();
    assert_eq!(
        sent,
        json!({
            "model": "seedance-2.0",
            "content": [
                {"type": "text", "text": "@image1 跳舞"},
                {"type": "image_url", "image_url": {"url": "asset://asset-1"}, "role": "reference_image"},
                {"type": "video_url", "video_url": {"url": "https://example.com/dance.mp4"}, "role": "reference_video"},
                {"type": "audio_url", "audio_url": {"url": "https://example.com/song.mp3"}, "role": "reference_audio"}
            ],
            "generate_audio": false, "resolution": "480p", "ratio": "9:16", "duration": -1, "watermark": true
        })
    );
}

#[tokio::test]
async fn a_local_image_is_sent_as_a_data_uri_of_its_detected_type() {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo"); // no extension: the type comes from the bytes
    std::fs::write(&path, b"\xff\xd8\xff\xe0JFIF-ish").unwrap();
    client(&mock)
        .videos()
        .create(VideoRequest::new().first_frame(path.as_path()))
        .await
        .unwrap();
    let sent = mock.requests()[0].body.clone().unwrap();
    assert_eq!(
        sent["content"][0]["image_url"]["url"],
        "data:image/jpeg;base64,/9j/4EpGSUYtaXNo"
    );
    assert_eq!(sent["content"][0]["role"], "first_frame");
}

/// Each bad request, the field its error must name, and a word of the rule.
fn bad_requests(
    dir: &std::path::Path,
) -> Vec<(&'static str, VideoRequest, &'static str, &'static str)> {
    let big = dir.join("big.png");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(31 * 1024 * 1024).unwrap();
    let svg = dir.join("drawing.svg");
    std::fs::write(&svg, "<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
    let image = "https://example.com/a.png";
    vec![
        (
            "audio alone",
            VideoRequest::new().audio("https://e.com/a.mp3"),
            "content",
            "audio needs an image or a video",
        ),
        (
            "text and audio",
            VideoRequest::text("t").audio("https://e.com/a.mp3"),
            "content",
            "audio needs an image or a video",
        ),
        (
            "nothing",
            VideoRequest::new(),
            "content",
            "at least one item",
        ),
        (
            "blank prompt",
            VideoRequest::text("   "),
            "content[0].text",
            "must not be empty",
        ),
        (
            "empty prompt",
            VideoRequest::text(""),
            "content[0].text",
            "must not be empty",
        ),
        (
            "duration 0",
            VideoRequest::text("t").duration(0),
            "duration",
            "4 to 15",
        ),
        (
            "duration 16",
            VideoRequest::text("t").duration(16),
            "duration",
            "4 to 15",
        ),
        (
            "web search with an image",
            VideoRequest::text("t").image(image).web_search(true),
            "tools[0]",
            "text-to-video",
        ),
        (
            "frames and references",
            VideoRequest::new()
                .first_frame(image)
                .reference_image(image),
            "content",
            "cannot be mixed",
        ),
        (
            "frame and video",
            VideoRequest::new()
                .first_frame(image)
                .video("https://e.com/v.mp4"),
            "content",
            "cannot be mixed",
        ),
        (
            "two first frames",
            VideoRequest::new().first_frame(image).first_frame(image),
            "content",
            "only one image may be the first_frame",
        ),
        (
            "last frame alone",
            VideoRequest::new().last_frame(image),
            "content",
            "a last_frame needs a first_frame",
        ),
        (
            "ten images",
            (0..10).fold(VideoRequest::new(), |r, _| r.reference_image(image)),
            "content",
            "at most 9 images",
        ),
        (
            "four videos",
            (0..4).fold(VideoRequest::new(), |r, _| r.video("https://e.com/v.mp4")),
            "content",
            "at most 3 videos",
        ),
        (
            "four audio clips",
            (0..4).fold(VideoRequest::new().video("https://e.com/v.mp4"), |r, _| {
                r.audio("https://e.com/a.mp3")
            }),
            "content",
            "at most 3 audio clips",
        ),
        (
            "plain http",
            VideoRequest::new().image("http://example.com/a.png"),
            "content[0].image_url.url",
            "https URL",
        ),
        (
            "video as data",
            VideoRequest::new().video("data:video/mp4;base64,AAAA"),
            "content[0].video_url.url",
            "video cannot be sent as data or a local file",
        ),
        (
            "video file",
            VideoRequest::new().video(dir.join("clip.mp4")),
            "content[0].video_url.url",
            "video cannot be sent as data or a local file",
        ),
        (
            "svg data",
            VideoRequest::new().image("data:image/svg+xml;base64,PHN2Zz4="),
            "content[0].image_url.url",
            "data:<type>;base64",
        ),
        (
            "svg file",
            VideoRequest::new().image(svg.as_path()),
            "content[0].image_url.url",
            "not a file of a supported type",
        ),
        (
            "image over 30 MiB",
            VideoRequest::new().image(big.as_path()),
            "content[0].image_url.url",
            "larger than the limit of 30 MiB",
        ),
        (
            "empty model",
            VideoRequest::text("t").model(""),
            "model",
            "must not be empty",
        ),
    ]
}

#[tokio::test]
async fn each_rule_is_enforced_before_any_request_is_sent() {
    let mock = mock(MockConfig::default()).await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    for (case, request, field, rule) in bad_requests(dir.path()) {
        let error = client.videos().create(request).await.expect_err(case);
        assert!(
            matches!(error, Error::InvalidRequest { .. }),
            "{case}: {error:?}"
        );
        let text = error.to_string();
        assert!(text.contains(&format!("{field}: ")), "{case}: {text}");
        assert!(text.contains(rule), "{case}: {text}");
        assert_eq!(error.field(), Some(field), "{case}");
    }
    assert!(mock.requests().is_empty(), "no request reached the server");
}

#[tokio::test]
async fn a_missing_local_file_is_an_error_naming_the_file() {
    let mock = mock(MockConfig::default()).await;
    let error = client(&mock)
        .videos()
        .create(VideoRequest::text("t").image("no/such/photo.png"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Io { .. }));
    assert!(
        error.to_string().starts_with("no/such/photo.png"),
        "{error}"
    );
    assert!(mock.requests().is_empty());
}
