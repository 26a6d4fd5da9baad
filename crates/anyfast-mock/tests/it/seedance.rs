//! Seedance 2.0 and 2.0 Fast: each model's resolutions, the fields gateways pass through, and
//! "return last frame" in every shape, with the frame itself on the download listener.

use crate::common::*;
use anyfast_mock::{
    Fault, FaultKind, LAST_FRAME_PNG, MockConfig, MockServer, Route, Shape, Timing,
};
use serde_json::{Value, json};

fn instant() -> MockConfig {
    MockConfig::default().timing(Timing::Instant)
}

/// A text request for `model` with these fields besides.
fn request(model: &str, extra: Value) -> Value {
    let mut body = json!({"model": model, "content": [{"type": "text", "text": "a cat wakes up"}]});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

/// Creates a task from `body` (which must be accepted) and returns its id.
async fn create_from(mock: &MockServer, body: &Value) -> String {
    let response = create(mock, body).await;
    let status = response.status();
    let answer: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{answer}");
    answer["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn seedance_makes_1080p_and_seedance_fast_does_not() {
    let mock = start(instant()).await;
    let id = create_from(&mock, &request("seedance", json!({"resolution": "1080p"}))).await;
    let task = wait_until_done(&mock, &id).await;
    assert_eq!(task["data"]["status"], "SUCCESS");
    assert_eq!(task["data"]["data"]["resolution"], "1080p");
    assert_eq!(task["data"]["data"]["model"], "seedance");

    let refused = create(
        &mock,
        &request("seedance-fast", json!({"resolution": "1080p"})),
    )
    .await;
    assert_eq!(refused.status(), 400);
    let error: Value = refused.json().await.unwrap();
    assert_eq!(error["error"]["param"], "resolution");
    assert_eq!(error["error"]["code"], "InvalidParameter");
    let message = error["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("seedance-fast makes 480p, 720p only"),
        "{message}"
    );
    assert_eq!(mock.task_count(), 1, "the refused request made no task");

    // A model the docs do not describe is not held to their resolutions.
    create_from(
        &mock,
        &request("seedance-2.0-mini", json!({"resolution": "1440p"})),
    )
    .await;
}

#[tokio::test]
async fn upstream_fields_are_accepted_and_unknown_fields_are_kept_in_the_log() {
    let mock = start(instant()).await;
    let body = request(
        "seedance",
        json!({
            "seed": 4304,
            "camera_fixed": true,
            "callback_url": "https://example.com/hook",
            "service_tier": "flex",
            "execution_expires_after": 3600,
            "frames_per_second": 30,
            "x_vendor": {"trace": [1, 2]},
        }),
    );
    let id = create_from(&mock, &body).await;
    let logged = mock
        .requests()
        .into_iter()
        .find(|r| r.route == Route::Create)
        .unwrap();
    assert_eq!(
        logged.body.as_ref(),
        Some(&body),
        "logged as sent, unknown fields too"
    );
    // The upstream task reports the seed and tier the request chose.
    let upstream = &query_json(&mock, &id).await["data"]["data"];
    assert_eq!(
        (&upstream["seed"], &upstream["service_tier"]),
        (&json!(4304), &json!("flex"))
    );

    // The forwarded fields keep their rules.
    for (field, value) in [
        ("callback_url", json!("http://example.com/hook")),
        ("service_tier", json!("slow")),
        ("execution_expires_after", json!(0)),
        ("seed", json!(-2)),
    ] {
        let response = create(&mock, &request("seedance", json!({ field: value }))).await;
        assert_eq!(response.status(), 400, "{field}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["param"], field, "{error}");
    }
}

/// The task's last frame URL in `shape`, and the video URL, once it has finished.
async fn finished_urls(shape: Shape, return_last_frame: Option<bool>) -> (Option<String>, String) {
    let mock = start(instant().shape(shape)).await;
    let extra = match return_last_frame {
        Some(on) => json!({"return_last_frame": on}),
        None => json!({}),
    };
    let id = create_from(&mock, &request("seedance", extra)).await;
    let task = query_json(&mock, &id).await;
    let (frame, video) = match shape {
        Shape::Wrapper => (
            &task["data"]["data"]["content"]["last_frame_url"],
            &task["data"]["result_url"],
        ),
        Shape::Ark => (
            &task["content"]["last_frame_url"],
            &task["content"]["video_url"],
        ),
        Shape::Flat => (&task["last_frame_url"], &task["video_url"]),
    };
    if return_last_frame != Some(true) {
        let text = task.to_string();
        assert!(!text.contains("last_frame"), "{shape:?}: {text}");
    }
    (
        frame.as_str().map(str::to_string),
        video.as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn a_task_that_asks_for_its_last_frame_has_one_in_every_shape_and_others_do_not() {
    for shape in [Shape::Wrapper, Shape::Ark, Shape::Flat] {
        let (frame, video) = finished_urls(shape, Some(true)).await;
        let frame = frame.unwrap_or_else(|| panic!("{shape:?} has no last frame"));
        let video_base = video.split("/videos/").next().unwrap();
        assert!(
            frame.starts_with(&format!("{video_base}/videos/")),
            "{frame}"
        );
        assert!(frame.contains("-last.png?X-Tos-Signature="), "{frame}");
        for asked in [None, Some(false)] {
            assert_eq!(
                finished_urls(shape, asked).await.0,
                None,
                "{shape:?} {asked:?}"
            );
        }
    }
}

#[tokio::test]
async fn the_last_frame_is_not_there_before_the_task_succeeds() {
    let mock = start(MockConfig::default().timing(visible_steps())).await;
    let id = create_from(
        &mock,
        &request("seedance", json!({"return_last_frame": true})),
    )
    .await;
    let running = query_json(&mock, &id).await;
    assert!(!running.to_string().contains("last_frame_url"), "{running}");
    let done = wait_until_done(&mock, &id).await;
    assert!(
        done["data"]["data"]["content"]["last_frame_url"].is_string(),
        "{done}"
    );
}

#[tokio::test]
async fn the_last_frame_downloads_as_a_png_without_the_token_like_a_video() {
    let mock = start(instant()).await;
    let id = create_from(
        &mock,
        &request("seedance-fast", json!({"return_last_frame": true})),
    )
    .await;
    let task = query_json(&mock, &id).await;
    let url = task["data"]["data"]["content"]["last_frame_url"]
        .as_str()
        .unwrap();

    let whole = http().get(url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["content-type"], "image/png");
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert_eq!(&whole.bytes().await.unwrap()[..], LAST_FRAME_PNG);

    let tail = http()
        .get(url)
        .header("range", "bytes=-12")
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), 206);
    let total = LAST_FRAME_PNG.len();
    assert_eq!(
        tail.headers()["content-range"],
        format!("bytes {}-{}/{total}", total - 12, total - 1).as_str()
    );
    assert_eq!(
        &tail.bytes().await.unwrap()[..],
        &LAST_FRAME_PNG[total - 12..]
    );

    // A forged signature, the video's signature on the frame, and the frame of a task that did
    // not ask for one are all refused.
    let (path, _) = url.split_once('?').unwrap();
    let forged = http()
        .get(format!("{path}?X-Tos-Signature=0000"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let video_url = task["data"]["result_url"].as_str().unwrap();
    let video_signature = video_url.split_once('?').unwrap().1;
    let swapped = http()
        .get(format!("{path}?{video_signature}"))
        .send()
        .await
        .unwrap();
    assert_eq!(swapped.status(), 403);
    let plain = create_task(&mock, "no frame asked").await;
    let no_frame = url.replace(&id, &plain);
    assert_eq!(http().get(&no_frame).send().await.unwrap().status(), 404);

    let downloads: Vec<_> = mock
        .requests()
        .into_iter()
        .filter(|r| r.route == Route::Download)
        .collect();
    assert_eq!(downloads.len(), 5);
    assert!(
        downloads.iter().all(|r| !r.authorization),
        "downloads carry no token"
    );
}

#[tokio::test]
async fn a_last_frame_download_can_be_cut_off_and_resumed() {
    let mock = start(instant()).await;
    let id = create_from(
        &mock,
        &request("seedance", json!({"return_last_frame": true})),
    )
    .await;
    let task = query_json(&mock, &id).await;
    let url = task["data"]["data"]["content"]["last_frame_url"]
        .as_str()
        .unwrap();
    mock.inject(Fault::next(Route::Download, 1, FaultKind::TruncateBody));
    let mut cut = http().get(url).send().await.unwrap();
    let mut received = Vec::new();
    while let Ok(Some(chunk)) = cut.chunk().await {
        received.extend_from_slice(&chunk);
    }
    assert!(received.len() < LAST_FRAME_PNG.len(), "{}", received.len());
    let rest = http()
        .get(url)
        .header("range", format!("bytes={}-", received.len()))
        .send()
        .await
        .unwrap();
    assert_eq!(rest.status(), 206);
    received.extend_from_slice(&rest.bytes().await.unwrap());
    assert_eq!(received, LAST_FRAME_PNG);
}

/// The last frame URL wherever a tolerant reader would look for it.
fn last_frame_url(body: &Value) -> Option<&str> {
    [
        &["data", "data", "content", "last_frame_url"][..],
        &["content", "last_frame_url"],
        &["last_frame_url"],
    ]
    .iter()
    .find_map(|path| {
        path.iter()
            .try_fold(body, |value, key| value.get(key))?
            .as_str()
    })
}

#[tokio::test]
async fn drift_keeps_the_last_frame_findable() {
    let mock = start(instant().drift(5)).await;
    let mut shapes = std::collections::HashSet::new();
    for n in 0..24 {
        let mut body = request("seedance", json!({"return_last_frame": true}));
        body["content"][0]["text"] = json!(format!("a cat, take {n}"));
        let response = create(&mock, &body).await;
        assert!(response.status().is_success());
        let created: Value = response.json().await.unwrap();
        let id = ["id", "task_id"]
            .iter()
            .find_map(|key| created[key].as_str())
            .or_else(|| created["data"]["task_id"].as_str())
            .or_else(|| created["data"]["id"].as_str())
            .unwrap()
            .to_string();
        let task = query_json(&mock, &id).await;
        shapes.insert(if task.get("data").is_some() {
            "wrapper"
        } else if task.get("video_url").is_some() {
            "flat"
        } else {
            "ark"
        });
        let url = last_frame_url(&task).unwrap_or_else(|| panic!("no last frame in {task}"));
        let frame = http().get(url).send().await.unwrap();
        assert_eq!(frame.status(), 200, "{url}");
        assert_eq!(&frame.bytes().await.unwrap()[..], LAST_FRAME_PNG);
    }
    assert_eq!(shapes.len(), 3, "every shape came: {shapes:?}");
}
