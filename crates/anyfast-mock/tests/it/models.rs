//! The models list: the documented OpenAI-compatible answer, its own 401, and faults.

use crate::common::*;
use anyfast_mock::{Fault, FaultKind, MockConfig, Route, Timing};
use serde_json::{Value, json};

#[tokio::test]
async fn the_models_list_names_the_video_models_among_others() {
    let mock = start(MockConfig::default().timing(Timing::Instant)).await;
    let response = http()
        .get(format!("{}/v1/models", mock.base_url()))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let list: Value = response.json().await.unwrap();
    assert_eq!(list["object"], "list");
    let models = list["data"].as_array().unwrap();
    for model in models {
        assert_eq!(model["object"], "model", "{model}");
        assert!(
            model["created"].is_i64() && model["owned_by"].is_string(),
            "{model}"
        );
    }
    let video: Vec<&str> = models
        .iter()
        .filter(|model| {
            model["supported_endpoint_types"]
                .as_array()
                .is_some_and(|types| types.contains(&json!("video")))
        })
        .map(|model| model["id"].as_str().unwrap())
        .collect();
    // A model of every family the mock serves.
    assert_eq!(
        video,
        [
            "seedance",
            "seedance-fast",
            "doubao-seedance-1-5-pro-251215",
            "wan2.2-t2v-a14b",
            "happyhorse-1.0-i2v",
            "kling-v3"
        ]
    );
    assert!(models.len() > video.len(), "a client has to filter");
    assert_eq!(mock.count(Route::Models), 1);
}

#[tokio::test]
async fn without_a_token_the_models_list_says_so() {
    let mock = start(MockConfig::default().api_key("sk-right")).await;
    let url = format!("{}/v1/models", mock.base_url());
    let missing = http().get(&url).send().await.unwrap();
    assert_eq!(missing.status(), 401);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body, json!({"error": {"message": "No token provided"}}));

    let wrong = http()
        .get(&url)
        .bearer_auth("sk-wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_api_key");

    let right = http()
        .get(&url)
        .bearer_auth("sk-right")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    let log = mock.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(
        log.iter()
            .map(|r| (r.route, r.authorization, r.status))
            .collect::<Vec<_>>(),
        [
            (Route::Models, false, Some(401)),
            (Route::Models, true, Some(401)),
            (Route::Models, true, Some(200)),
        ]
    );
}

#[tokio::test]
async fn faults_reach_the_models_list() {
    let mock = start(MockConfig::default()).await;
    let fault: Fault = "models:502-html@next=1".parse().unwrap();
    mock.inject(fault);
    let url = format!("{}/v1/models", mock.base_url());
    let broken = http().get(&url).bearer_auth(KEY).send().await.unwrap();
    assert_eq!(broken.status(), 502);
    assert!(
        broken
            .text()
            .await
            .unwrap()
            .contains("<center>nginx</center>")
    );
    mock.inject(Fault::next(Route::Models, 1, FaultKind::TruncateBody));
    let cut = http().get(&url).bearer_auth(KEY).send().await.unwrap();
    assert!(cut.bytes().await.is_err(), "the body was cut off");
    let fine = http().get(&url).bearer_auth(KEY).send().await.unwrap();
    assert_eq!(fine.status(), 200);
    // The create route is untouched by faults on the models list.
    mock.inject(Fault::new(Some(Route::Models), FaultKind::DropConnection));
    assert_eq!(create(&mock, &text_request("a cat")).await.status(), 200);
}
