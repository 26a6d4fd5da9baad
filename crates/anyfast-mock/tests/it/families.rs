//! Every family besides Seedance 2.0: the Seedance 1.x models on their own ranges, Wan 2.2 and
//! HappyHorse 1.0 on `/v1/video/generations`, and Kling on its own routes. For each, a good
//! create, a refused one naming the field, the task reaching its end, and its video served.

use crate::common::*;
use anyfast_mock::{MockConfig, MockServer, Route, SAMPLE_VIDEO, Timing};
use serde_json::{Value, json};

fn instant() -> MockConfig {
    MockConfig::default().timing(Timing::Instant)
}

/// Creates from `body` on `path`, which must be accepted; returns the answer.
async fn accepted(mock: &MockServer, path: &str, body: &Value) -> Value {
    let response = post(mock, path, body).await;
    let status = response.status();
    let answer: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{answer}");
    answer
}

async fn post(mock: &MockServer, path: &str, body: &Value) -> reqwest::Response {
    http()
        .post(format!("{}{path}", mock.base_url()))
        .bearer_auth(KEY)
        .json(body)
        .send()
        .await
        .expect("the create is answered")
}

/// Posts `body`, which must be refused with 400 naming `field`; returns the error message.
async fn refused(mock: &MockServer, path: &str, body: &Value, field: &str) -> String {
    let response = post(mock, path, body).await;
    let status = response.status();
    let error: Value = response.json().await.unwrap();
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["error"]["param"], field, "{error}");
    error["error"]["message"].as_str().unwrap().to_string()
}

async fn get(mock: &MockServer, path: &str) -> reqwest::Response {
    http()
        .get(format!("{}{path}", mock.base_url()))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("the query is answered")
}

async fn get_json(mock: &MockServer, path: &str) -> Value {
    let response = get(mock, path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

/// Downloads `url` without a token and checks it is the mock's video.
async fn served(url: &str) {
    let video = http().get(url).send().await.unwrap();
    assert_eq!(video.status(), 200, "{url}");
    assert_eq!(&video.bytes().await.unwrap()[..], SAMPLE_VIDEO);
}

/// The documented create answer `{id, task_id, object, model, status: "", progress, created_at}`.
/// (HappyHorse's pages show `status: "queued"`, the others `""`.)
fn assert_documented_create(answer: &Value, model: &str) -> String {
    let id = answer["id"].as_str().unwrap().to_string();
    assert_eq!(answer["task_id"], id.as_str());
    assert_eq!(answer["object"], "video");
    assert_eq!(answer["model"], model);
    let status = if model.starts_with("happyhorse") {
        "queued"
    } else {
        ""
    };
    assert_eq!(
        (answer["status"].clone(), answer["progress"].clone()),
        (json!(status), json!(0))
    );
    assert!(answer["created_at"].is_i64(), "{answer}");
    id
}

#[tokio::test]
async fn seedance_1_x_models_are_held_to_their_own_ranges() {
    let mock = start(instant()).await;
    let lite = |duration: i64| {
        json!({"model": "doubao-seedance-1-0-lite-t2v-250428", "duration": duration,
            "content": [{"type": "text", "text": "a lite cat"}]})
    };
    let created = accepted(&mock, "/v1/video/generations", &lite(2)).await;
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("cgt-"), "{id}");
    let task = wait_until_done(&mock, id).await;
    assert_eq!(task["data"]["status"], "SUCCESS");
    assert_eq!(task["data"]["data"]["duration"], 2);
    served(task["data"]["result_url"].as_str().unwrap()).await;

    let message = refused(&mock, "/v1/video/generations", &lite(13), "duration").await;
    assert!(
        message.contains("must be 2 to 12 seconds for doubao-seedance-1-0-lite-t2v-250428"),
        "{message}"
    );
    let draft = json!({"model": "seedance-fast", "draft": true,
        "content": [{"type": "text", "text": "a draft"}]});
    refused(&mock, "/v1/video/generations", &draft, "draft").await;
    let pro = json!({"model": "doubao-seedance-1-5-pro-251215", "draft": true, "duration": 12,
        "content": [{"type": "text", "text": "a draft"}]});
    accepted(&mock, "/v1/video/generations", &pro).await;
    assert_eq!(mock.task_count(), 2);
}

#[tokio::test]
async fn wan_tasks_are_made_refused_and_finished_in_their_shape() {
    let mock = start(MockConfig::default().timing(visible_steps())).await;
    let body = json!({"model": "wan2.2-t2v-a14b", "prompt": "a wan cat", "duration": 5,
        "width": 1280, "height": 720, "seed": 123, "metadata": {}});
    let created = accepted(&mock, "/v1/video/generations", &body).await;
    let id = assert_documented_create(&created, "wan2.2-t2v-a14b");
    assert_eq!(mock.create_count_for_prompt("a wan cat"), 1);
    assert_eq!(mock.task_count_for_prompt("a wan cat"), 1);

    let first = query_json(&mock, &id).await;
    assert_eq!(first["status"], "queued", "{first}");
    assert_eq!(first["task_id"], id.as_str());
    assert!(first.get("content").is_none(), "{first}");
    let mut last = first;
    for _ in 0..400 {
        if last["status"] == "succeeded" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        last = query_json(&mock, &id).await;
    }
    assert_eq!(last["status"], "succeeded", "{last}");
    assert_eq!(last["model"], "wan2.2-t2v-a14b");
    served(last["content"]["video_url"].as_str().unwrap()).await;

    let i2v = json!({"model": "wan2.2-i2v-a14b", "prompt": "相机缓慢推进"});
    let message = refused(&mock, "/v1/video/generations", &i2v, "image").await;
    assert!(
        message.contains("is required for wan2.2-i2v-a14b"),
        "{message}"
    );
    let long = json!({"model": "wan2.2-t2v-a14b", "prompt": "p", "duration": 6});
    refused(&mock, "/v1/video/generations", &long, "duration").await;
    // The schema's own refusals name the field too (the Wan body's, chosen by the model).
    let word = json!({"model": "wan2.2-t2v-a14b", "prompt": "p", "width": "wide"});
    refused(&mock, "/v1/video/generations", &word, "width").await;
    assert_eq!(mock.task_count(), 1);
}

#[tokio::test]
async fn a_failing_wan_task_gives_its_reason() {
    let mock = start(instant()).await;
    let body = json!({"model": "wan2.2-t2v-a14b", "prompt": "no [mock:fail=Blocked]"});
    let created = accepted(&mock, "/v1/video/generations", &body).await;
    let task = query_json(&mock, created["id"].as_str().unwrap()).await;
    assert_eq!(task["status"], "failed");
    assert_eq!(task["error"]["code"], "Blocked");
    assert!(task.get("content").is_none(), "{task}");
}

#[tokio::test]
async fn happyhorse_tasks_answer_the_wrapper_with_result_url() {
    let mock = start(instant()).await;
    let body = json!({"model": "happyhorse-1.0-i2v", "prompt": "a horse comes to life",
        "image": "https://example.com/first-frame.png",
        "parameters": {"resolution": "720P", "duration": 5, "watermark": false}});
    let created = accepted(&mock, "/v1/video/generations", &body).await;
    let id = assert_documented_create(&created, "happyhorse-1.0-i2v");
    assert!(id.starts_with("asyntask_"), "{id}");
    assert_eq!(mock.create_count_for_prompt("a horse comes to life"), 1);

    let task = wait_until_done(&mock, &id).await;
    let data = &task["data"];
    assert_eq!(
        (data["status"].clone(), task["code"].clone()),
        (json!("SUCCESS"), json!("success"))
    );
    let url = data["result_url"].as_str().unwrap();
    assert_eq!(
        data["fail_reason"], url,
        "the page: a success's fail_reason copies result_url"
    );
    assert_eq!(data["progress"], "100%");
    assert_eq!(data["action"], "firstTailGenerate");
    let output = &data["data"]["output"];
    assert_eq!(
        (output["task_status"].clone(), output["video_url"].clone()),
        (json!("SUCCEEDED"), json!(url))
    );
    assert_eq!(output["orig_prompt"], "a horse comes to life");
    assert_eq!(data["data"]["usage"]["SR"], 720);
    served(url).await;

    let failing = json!({"model": "happyhorse-1.0-t2v", "prompt": "no [mock:fail]"});
    let created = accepted(&mock, "/v1/video/generations", &failing).await;
    let task = wait_until_done(&mock, created["id"].as_str().unwrap()).await;
    assert_eq!(task["data"]["status"], "FAILURE");
    assert!(task["data"].get("result_url").is_none(), "{task}");
    assert!(
        task["data"]["fail_reason"]
            .as_str()
            .unwrap()
            .contains("SensitiveContentDetected")
    );
    assert_eq!(task["data"]["data"]["output"]["task_status"], "FAILED");
}

#[tokio::test]
async fn happyhorse_refusals_name_the_field() {
    let mock = start(instant()).await;
    let path = "/v1/video/generations";
    let r2v = json!({"model": "happyhorse-1.0-r2v", "prompt": "p"});
    let message = refused(&mock, path, &r2v, "images").await;
    assert!(
        message.contains("is required for happyhorse-1.0-r2v"),
        "{message}"
    );
    let t2v = json!({"model": "happyhorse-1.0-t2v", "prompt": "p", "image": "https://e.com/a.png"});
    refused(&mock, path, &t2v, "image").await;
    let long =
        json!({"model": "happyhorse-1.0-t2v", "prompt": "p", "parameters": {"duration": 16}});
    refused(&mock, path, &long, "parameters.duration").await;
    let no_prompt = json!({"model": "happyhorse-1.0-t2v"});
    refused(&mock, path, &no_prompt, "prompt").await;

    let edit = |second: &str| {
        json!({"model": "happyhorse-1.0-video-edit", "input": {"prompt": "a sweater", "media": [
            {"type": "video", "url": "https://example.com/source.mp4"},
            {"type": second, "url": "https://example.com/cloth.webp"}]},
            "parameters": {"resolution": "720P", "watermark": false}})
    };
    refused(&mock, path, &edit("video"), "input.media").await;
    let created = accepted(&mock, path, &edit("reference_image")).await;
    let task = wait_until_done(&mock, created["id"].as_str().unwrap()).await;
    assert_eq!(task["data"]["action"], "omniGenerate");
    served(task["data"]["result_url"].as_str().unwrap()).await;
    assert_eq!(
        mock.create_count_for_prompt("a sweater"),
        2,
        "refused creates count too"
    );
    assert_eq!(mock.task_count_for_prompt("a sweater"), 1);
}

#[tokio::test]
async fn kling_tasks_are_made_on_their_routes_and_queried_with_their_action() {
    let mock = start(instant()).await;
    let cases = [
        (
            "text2video",
            json!({"model_name": "kling-v3", "prompt": "a kling cat", "duration": "5"}),
            "text2video",
        ),
        (
            "image2video",
            json!({"model_name": "kling-v2-master", "image": "https://e.com/a.png", "prompt": "a kling smile"}),
            "image2video",
        ),
        (
            "multi-image2video",
            json!({"image_list": [{"image": "https://e.com/a.png"}, {"image": "https://e.com/b.png"}], "prompt": "two friends"}),
            "multi-image2video",
        ),
        (
            "omni-video",
            json!({"model_name": "kling-v3-omni", "prompt": "an omni cat", "mode": "pro"}),
            "text2video",
        ),
    ];
    for (route, body, query_action) in cases {
        let created = accepted(&mock, &format!("/kling/v1/videos/{route}"), &body).await;
        let model = created["model"].as_str().unwrap().to_string();
        let id = assert_documented_create(&created, &model);
        assert!(id.bytes().all(|b| b.is_ascii_digit()), "{id}");
        let task = get_json(&mock, &format!("/kling/v1/videos/{query_action}/{id}")).await;
        let data = &task["data"];
        assert_eq!(
            (task["code"].clone(), data["status"].clone()),
            (json!("success"), json!("SUCCESS")),
            "{task}"
        );
        assert_eq!(data["action"], format!("/kling/v1/videos/{route}_POST"));
        assert_eq!(data["progress"], "100%");
        let kling = &data["data"];
        assert_eq!(
            (kling["code"].clone(), kling["message"].clone()),
            (json!(0), json!("SUCCEED"))
        );
        assert_eq!(kling["data"]["task_status"], "succeed");
        let url = kling["data"]["task_result"]["videos"][0]["url"]
            .as_str()
            .unwrap();
        served(url).await;
        // The introduction page's form, without the action, answers the same.
        let by_id = get_json(&mock, &format!("/kling/v1/videos/{id}")).await;
        assert_eq!(
            by_id["data"]["data"]["data"]["task_result"],
            kling["data"]["task_result"]
        );
        // Another action, or the other family's route, does not know the task.
        let wrong = if query_action == "text2video" {
            "image2video"
        } else {
            "text2video"
        };
        assert_eq!(
            get(&mock, &format!("/kling/v1/videos/{wrong}/{id}"))
                .await
                .status(),
            404
        );
        assert_eq!(query(&mock, &id).await.status(), 404);
    }
    assert_eq!(
        mock.count(Route::Create),
        4,
        "Kling's creates count as creates"
    );
    assert_eq!(mock.create_count_for_prompt("an omni cat"), 1);
    // A Seedance task is not a Kling task.
    let seedance = create_task(&mock, "a seedance cat").await;
    assert_eq!(
        get(&mock, &format!("/kling/v1/videos/{seedance}"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn kling_tasks_walk_from_submitted_to_failed() {
    let mock = start(MockConfig::default().timing(visible_steps())).await;
    let body = json!({"prompt": "a kling cat [mock:fail=risk_control]"});
    let created = accepted(&mock, "/kling/v1/videos/text2video", &body).await;
    let id = created["id"].as_str().unwrap().to_string();
    let first = get_json(&mock, &format!("/kling/v1/videos/text2video/{id}")).await;
    assert_eq!(first["data"]["status"], "SUBMITTED", "{first}");
    assert_eq!(first["data"]["data"]["data"]["task_status"], "submitted");
    let mut seen = vec![first["data"]["status"].as_str().unwrap().to_string()];
    for _ in 0..400 {
        let task = get_json(&mock, &format!("/kling/v1/videos/text2video/{id}")).await;
        let status = task["data"]["status"].as_str().unwrap().to_string();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "FAILED" {
            assert!(
                task["data"]["fail_reason"]
                    .as_str()
                    .unwrap()
                    .contains("risk_control")
            );
            assert_eq!(task["data"]["data"]["data"]["task_status"], "failed");
            assert!(
                task["data"]["data"]["data"].get("task_result").is_none(),
                "{task}"
            );
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(seen, ["SUBMITTED", "PROCESSING", "FAILED"]);
}

#[tokio::test]
async fn kling_refusals_name_the_field() {
    let mock = start(instant()).await;
    let message = refused(
        &mock,
        "/kling/v1/videos/text2video",
        &json!({"duration": "5"}),
        "prompt",
    )
    .await;
    assert!(message.contains("prompt"), "{message}");
    refused(
        &mock,
        "/kling/v1/videos/image2video",
        &json!({"prompt": "p"}),
        "image",
    )
    .await;
    let five = json!({"prompt": "p", "image_list": (0..5).map(|_| json!({"image": "a"})).collect::<Vec<_>>()});
    refused(
        &mock,
        "/kling/v1/videos/multi-image2video",
        &five,
        "image_list",
    )
    .await;
    refused(
        &mock,
        "/kling/v1/videos/omni-video",
        &json!({"prompt": "p", "duration": "16"}),
        "duration",
    )
    .await;
    refused(
        &mock,
        "/kling/v1/videos/text2video",
        &json!({"prompt": "p", "cfg_scale": 2}),
        "cfg_scale",
    )
    .await;
    refused(
        &mock,
        "/kling/v1/videos/text2video",
        &json!({"prompt": "x".repeat(2501)}),
        "prompt",
    )
    .await;
    assert_eq!(mock.task_count(), 0);
}

#[tokio::test]
async fn drifting_families_keep_their_essentials() {
    for seed in 1..=4 {
        let mock = start(MockConfig::default().timing(Timing::Instant).drift(seed)).await;
        for n in 0..6 {
            let horse = json!({"model": "happyhorse-1.0-t2v", "prompt": format!("horse {n}")});
            let response = post(&mock, "/v1/video/generations", &horse).await;
            assert!(response.status().is_success());
            let created: Value = response.json().await.unwrap();
            let id = ["id", "task_id"]
                .iter()
                .find_map(|k| created[k].as_str())
                .or_else(|| created["data"]["task_id"].as_str())
                .or_else(|| created["data"]["id"].as_str())
                .unwrap()
                .to_string();
            let task = query_json(&mock, &id).await;
            let status = task["data"]["status"].as_str().unwrap();
            assert_eq!(status.to_uppercase(), "SUCCESS", "{task}");
            assert!(task["data"]["result_url"].is_string(), "{task}");

            let kling = json!({"prompt": format!("kling {n}")});
            let response = post(&mock, "/kling/v1/videos/text2video", &kling).await;
            assert!(response.status().is_success());
            let created: Value = response.json().await.unwrap();
            let id = ["id", "task_id"]
                .iter()
                .find_map(|k| created[k].as_str())
                .or_else(|| created["data"]["task_id"].as_str())
                .or_else(|| created["data"]["id"].as_str())
                .unwrap()
                .to_string();
            let task = get_json(&mock, &format!("/kling/v1/videos/text2video/{id}")).await;
            assert_eq!(
                task["data"]["status"].as_str().unwrap().to_uppercase(),
                "SUCCESS"
            );
            let url = task["data"]["data"]["data"]["task_result"]["videos"][0]["url"].as_str();
            assert!(url.is_some(), "{task}");

            let wan = json!({"model": "wan2.2-t2v-a14b", "prompt": format!("wan {n}")});
            let created: Value = post(&mock, "/v1/video/generations", &wan)
                .await
                .json()
                .await
                .unwrap();
            let id = ["id", "task_id"]
                .iter()
                .find_map(|k| created[k].as_str())
                .or_else(|| created["data"]["task_id"].as_str())
                .or_else(|| created["data"]["id"].as_str())
                .unwrap()
                .to_string();
            let task = query_json(&mock, &id).await;
            assert_eq!(
                task["status"].as_str().unwrap().to_lowercase(),
                "succeeded",
                "{task}"
            );
            assert!(task["content"]["video_url"].is_string(), "{task}");
        }
    }
}
