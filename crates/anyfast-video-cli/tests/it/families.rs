//! Every model family through the command line: `generate` and `create` + `wait` with the
//! family's options, a batch file mixing families, bad input refused naming the field, and an
//! option the family has no field for refused naming the option.

use anyfast_mock::{MockServer, SAMPLE_VIDEO, Timing};
use serde_json::Value;

use crate::common::*;

/// The bodies the mock received at `path` by POST.
fn posted(mock: &MockServer, path: &str) -> Vec<Value> {
    mock.requests()
        .into_iter()
        .filter(|request| request.method == "POST" && request.path == path)
        .filter_map(|request| request.body)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn generate_makes_a_video_of_every_family_with_its_options() {
    let mock = mock(Timing::Fast).await;
    let dir = tempfile::tempdir().unwrap();
    let frame = dir.path().join("frame.png");
    std::fs::write(&frame, b"\x89PNG\r\n\x1a\n a frame").unwrap();
    let frame = frame.to_str().unwrap();
    let cases: [(&str, &[&str], &str); 6] = [
        (
            "seedance-1.0",
            &[
                "a cat on a wall",
                "--model",
                "doubao-seedance-1-0-lite-t2v-250428",
                "--duration",
                "2",
            ],
            "/v1/video/generations",
        ),
        (
            "wan",
            &[
                "a cat playing piano",
                "--model",
                "wan2.2-t2v-a14b",
                "--duration",
                "4",
                "--size",
                "1280x720",
            ],
            "/v1/video/generations",
        ),
        (
            "happyhorse",
            &[
                "the scene comes to life",
                "--model",
                "happyhorse-1.0-i2v",
                "--image",
                "https://example.com/first.png",
                "--resolution",
                "720p",
            ],
            "/v1/video/generations",
        ),
        (
            "kling",
            &[
                "a cat walks through sunflowers",
                "--model",
                "kling-v3",
                "--param",
                "mode=pro",
                "--ratio",
                "9:16",
            ],
            "/kling/v1/videos/text2video",
        ),
        (
            "happyhorse-edit",
            &[
                "give her the striped sweater",
                "--model",
                "happyhorse-1.0-video-edit",
                "--video",
                "https://example.com/source.mp4",
                "--image",
                "https://example.com/cloth.webp",
            ],
            "/v1/video/generations",
        ),
        (
            "kling-omni",
            &[
                "the frame comes to life",
                "--model",
                "kling-v3-omni",
                "--first-frame",
                "https://example.com/first.png",
                "--image",
                frame,
            ],
            "/kling/v1/videos/omni-video",
        ),
    ];
    // Each case is a process that mostly waits on the mock: they run side by side.
    let files: Vec<_> = cases
        .iter()
        .map(|(name, ..)| dir.path().join(format!("{name}.mp4")))
        .collect();
    let mock = &mock;
    let runs = cases.iter().zip(&files).map(|((_, options, _), file)| {
        let mut args = vec![
            "generate",
            "-o",
            file.to_str().unwrap(),
            "--poll-interval",
            "0.05",
        ];
        args.extend_from_slice(options);
        async move { run(mock, &args).await }
    });
    let outputs = futures_util::future::join_all(runs).await;
    for (((name, options, path), file), output) in cases.into_iter().zip(files).zip(outputs) {
        assert!(output.status.success(), "{name}: {}", stderr(&output));
        assert_eq!(std::fs::read(&file).unwrap(), SAMPLE_VIDEO, "{name}");
        let body = posted(mock, path)
            .into_iter()
            .find(|body| body["prompt"] == options[0] || body.to_string().contains(options[0]))
            .unwrap_or_else(|| panic!("{name}: no create at {path}"));
        match name {
            "seedance-1.0" => {
                assert_eq!(body["duration"], 2);
                // No option, no field: the earlier models do not all take these.
                for absent in ["generate_audio", "watermark", "tools"] {
                    assert!(body.get(absent).is_none(), "{absent} sent: {body}");
                }
            }
            "happyhorse-edit" => {
                // The provider's native body its page requires.
                assert_eq!(
                    body["input"]["media"],
                    serde_json::json!([
                        {"type": "video", "url": "https://example.com/source.mp4"},
                        {"type": "reference_image", "url": "https://example.com/cloth.webp"}
                    ])
                );
                assert_eq!(body["input"]["prompt"], options[0]);
                assert_eq!(body["parameters"]["watermark"], false);
                assert!(body.get("prompt").is_none(), "{body}");
            }
            "kling-omni" => {
                // One list, each image marked with its frame; a local file as Base64.
                use base64::Engine as _;
                let inline =
                    base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\n a frame");
                assert_eq!(
                    body["image_list"],
                    serde_json::json!([
                        {"image_url": "https://example.com/first.png", "type": "first_frame"},
                        {"image_url": inline}
                    ])
                );
                assert!(body.get("image").is_none(), "{body}");
            }
            "wan" => assert_eq!(
                (body["width"].as_i64(), body.get("content")),
                (Some(1280), None)
            ),
            "happyhorse" => {
                assert_eq!(
                    (body["resolution"].as_str(), body["watermark"].as_bool()),
                    (Some("720P"), Some(false))
                )
            }
            _ => assert_eq!(
                (
                    body["mode"].as_str(),
                    body["aspect_ratio"].as_str(),
                    body["model_name"].as_str()
                ),
                (Some("pro"), Some("9:16"), Some("kling-v3"))
            ),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kling_task_is_created_then_waited_for_by_the_id_it_printed() {
    let mock = mock(Timing::Fast).await;
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        &mock,
        &[
            "--json",
            "create",
            "the flower opens",
            "--model",
            "kling-v2-master",
            "--first-frame",
            "https://example.com/bud.png",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let id = json(&output)["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("kling/image2video/"), "{id}");
    let file = dir.path().join("flower.mp4");
    let output = run(
        &mock,
        &[
            "wait",
            &id,
            "-o",
            file.to_str().unwrap(),
            "--poll-interval",
            "0.05",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(&file).unwrap(), SAMPLE_VIDEO);
    let output = run(&mock, &["--json", "status", &id]).await;
    assert_eq!(json(&output)["status"], "succeeded", "{}", stdout(&output));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_of_every_family_is_refused_before_sending_naming_the_field_or_option() {
    let mock = mock(Timing::Instant).await;
    let cases: [(&[&str], &str); 8] = [
        (&["a cat", "--model", "kling-v3", "--seed", "7"], "--seed"),
        (
            &[
                "a cat",
                "--model",
                "happyhorse-1.0-video-edit",
                "--video",
                "https://e.com/v.mp4",
                "--duration",
                "5",
            ],
            "--duration",
        ),
        (
            &[
                "a cat",
                "--model",
                "doubao-seedance-1-0-lite-t2v-250428",
                "--duration",
                "13",
            ],
            "duration",
        ),
        (
            &["a cat", "--model", "wan2.2-t2v-a14b", "--duration", "9"],
            "duration",
        ),
        (
            &["a cat", "--model", "wan2.2-t2v-a14b", "--web-search"],
            "--web-search",
        ),
        (
            &["a cat", "--model", "happyhorse-1.0-t2v", "--duration", "20"],
            "duration",
        ),
        (
            &["a cat", "--model", "kling-v3", "--resolution", "1080p"],
            "--resolution",
        ),
        (
            &["a cat", "--model", "kling-v3", "--param", "cfg_scale=3"],
            "cfg_scale",
        ),
    ];
    for (options, named) in cases {
        let mut args = vec!["create"];
        args.extend_from_slice(options);
        let output = run(&mock, &args).await;
        assert!(!output.status.success(), "{options:?} was accepted");
        assert!(
            stderr(&output).contains(named),
            "{options:?}: {}",
            stderr(&output)
        );
    }
    let creates = mock
        .requests()
        .into_iter()
        .filter(|request| request.method == "POST")
        .count();
    assert_eq!(creates, 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_file_mixes_families() {
    let mock = mock(Timing::Fast).await;
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"model": "seedance-fast", "content": [{"type": "text", "text": "mixed seedance"}]}"#,
        r#"{"model": "wan2.2-t2v-a14b", "prompt": "mixed wan", "duration": 3}"#,
        r#"{"model": "happyhorse-1.0-t2v", "prompt": "mixed happyhorse", "resolution": "720P"}"#,
        r#"{"model_name": "kling-v3", "prompt": "mixed kling", "duration": "5"}"#,
    ];
    let file = dir.path().join("lines.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = dir.path().join("out");
    let output = run(
        &mock,
        &[
            "batch",
            file.to_str().unwrap(),
            "--out-dir",
            out.to_str().unwrap(),
            "--poll-interval",
            "0.05",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    for n in 1..=lines.len() {
        let video = out.join(format!("line-{n}.mp4"));
        assert_eq!(std::fs::read(&video).unwrap(), SAMPLE_VIDEO, "line {n}");
    }
    assert_eq!(posted(&mock, "/kling/v1/videos/text2video").len(), 1);
    assert_eq!(posted(&mock, "/v1/video/generations").len(), 3);
}
