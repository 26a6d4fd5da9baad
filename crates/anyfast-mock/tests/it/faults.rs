//! Every fault, per route, seen from a plain reqwest client.

use std::time::{Duration, Instant};

use crate::common::*;
use anyfast_mock::{Fault, FaultKind, MockConfig, Route, Timing, Trigger};
use serde_json::Value;

async fn instant_mock() -> anyfast_mock::MockServer {
    start(MockConfig::default().timing(Timing::Instant)).await
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let mock = instant_mock().await;
    mock.inject(Fault::next(
        Route::Get,
        1,
        FaultKind::Latency(Duration::from_millis(300)),
    ));
    let id = create_task(&mock, "a cat").await;
    let started = Instant::now();
    assert_eq!(query(&mock, &id).await.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn rate_limiting_answers_429_with_retry_after_then_recovers() {
    let mock = instant_mock().await;
    mock.inject(Fault::next(
        Route::Create,
        2,
        FaultKind::RateLimited {
            retry_after_secs: 3,
        },
    ));
    for _ in 0..2 {
        let response = create(&mock, &text_request("a cat")).await;
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "3");
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["error"]["code"],
            "RateLimitExceeded.EndpointRPMExceeded"
        );
    }
    assert_eq!(mock.task_count(), 0, "a refused create makes no task");
    assert_eq!(create(&mock, &text_request("a cat")).await.status(), 200);
}

#[tokio::test]
async fn server_errors_come_with_json_or_html_bodies() {
    let mock = instant_mock().await;
    let id = create_task(&mock, "a cat").await;
    for status in [500, 502, 503] {
        for html in [false, true] {
            mock.inject(Fault::next(
                Route::Get,
                1,
                FaultKind::ServerError { status, html },
            ));
            let response = query(&mock, &id).await;
            assert_eq!(response.status().as_u16(), status);
            let content_type = response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_string();
            let body = response.text().await.unwrap();
            if html {
                assert_eq!(content_type, "text/html");
                assert!(
                    body.starts_with("<html>") && body.contains(&status.to_string()),
                    "{body}"
                );
            } else {
                assert_eq!(content_type, "application/json");
                let json: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(json["code"], "internal_error");
            }
        }
    }
    assert_eq!(query(&mock, &id).await.status(), 200);
}

#[tokio::test]
async fn a_dropped_connection_answers_nothing_and_creates_nothing() {
    let mock = instant_mock().await;
    mock.inject(Fault::next(Route::Create, 1, FaultKind::DropConnection));
    let error = http()
        .post(format!("{}/v1/video/generations", mock.base_url()))
        .bearer_auth(KEY)
        .json(&text_request("a cat"))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_request() || error.is_connect(), "{error:?}");
    assert_eq!(mock.task_count(), 0);
    let log = mock.requests();
    assert_eq!((log[0].route, log[0].status), (Route::Create, None));
    assert_eq!(create(&mock, &text_request("a cat")).await.status(), 200);
}

#[tokio::test]
async fn a_truncated_create_answer_breaks_but_the_task_exists() {
    let mock = instant_mock().await;
    mock.inject(Fault::next(Route::Create, 1, FaultKind::TruncateBody));
    let response = create(&mock, &text_request("a cat")).await;
    assert_eq!(response.status(), 200);
    let announced: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(announced > 0);
    assert!(response.bytes().await.is_err(), "the body is cut off");
    assert_eq!(mock.task_count(), 1);
}

#[tokio::test]
async fn malformed_json_is_answered_with_200_and_the_task_exists() {
    let mock = instant_mock().await;
    mock.inject(Fault::next(Route::Create, 1, FaultKind::MalformedJson));
    let response = create(&mock, &text_request("a cat")).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.starts_with("{\""), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err());
    assert_eq!(mock.task_count(), 1);
}

#[tokio::test]
async fn a_slow_create_outlives_the_clients_timeout_but_still_makes_the_task() {
    let mock = instant_mock().await;
    mock.inject(Fault::next(
        Route::Create,
        1,
        FaultKind::SlowAnswer(Duration::from_secs(4)),
    ));
    let error = http()
        .post(format!("{}/v1/video/generations", mock.base_url()))
        .bearer_auth(KEY)
        .timeout(Duration::from_millis(1000))
        .json(&text_request("a cat"))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(
        mock.task_count(),
        1,
        "the task was made although the client gave up"
    );
}

#[tokio::test]
async fn a_rate_trigger_fires_on_about_that_share_of_requests() {
    let mock = start(
        MockConfig::default().timing(Timing::Instant).fault(
            Fault::new(
                Some(Route::Get),
                FaultKind::ServerError {
                    status: 503,
                    html: false,
                },
            )
            .trigger(Trigger::Rate(0.5)),
        ),
    )
    .await;
    let id = create_task(&mock, "a cat").await;
    let mut failed = 0;
    for _ in 0..200 {
        if query(&mock, &id).await.status() == 503 {
            failed += 1;
        }
    }
    assert!((60..=140).contains(&failed), "{failed} of 200 failed");
}

#[tokio::test]
async fn faults_target_their_route_only_and_can_be_cleared() {
    let mock = instant_mock().await;
    mock.inject(Fault::new(
        Some(Route::Download),
        FaultKind::ServerError {
            status: 500,
            html: false,
        },
    ));
    let id = create_task(&mock, "a cat").await;
    let task = query_json(&mock, &id).await;
    let url = task["data"]["result_url"].as_str().unwrap();
    assert_eq!(http().get(url).send().await.unwrap().status(), 500);
    mock.clear_faults();
    assert_eq!(http().get(url).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn malformed_json_cuts_bodies_with_any_characters_without_failing() {
    let mock = instant_mock().await;
    for _ in 0..4 {
        mock.inject(Fault::next(Route::Create, 1, FaultKind::MalformedJson));
        // Multi-byte characters all through the echoed model id: any cut may split one.
        let body = serde_json::json!({"model": "模型模型模型模型模型模型模型模型", "content": [{"type": "text", "text": "a"}]});
        let response = create(&mock, &body).await;
        assert_eq!(response.status(), 200);
        let bytes = response.bytes().await.unwrap();
        assert!(serde_json::from_slice::<Value>(&bytes).is_err());
    }
}
