//! Contract checks against Prism, a peer that shares none of our code. Ignored by default:
//! `.ci/prism.sh` starts Prism and runs them with `--ignored`.
//!
//! - `PRISM_MOCK_URL`: `prism mock openapi.yaml --dynamic`. Every answer is one the spec
//!   allows, generated at random; the client must accept each, and Prism answers 422 to any
//!   request that breaks the spec (which fails the test).
//! - `PRISM_PROXY_URL`: `prism proxy openapi.yaml <anyfast-mock> --errors`. Prism checks both
//!   directions of a whole generate and turns any violation into an error.

use crate::common::quick_generate;
use anyfast_video::{Client, Error, RetryPolicy, TaskStatus, VideoRequest};

fn url(variable: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| panic!("{variable} is not set: run .ci/prism.sh"))
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key("prism-key")
        .base_url(base_url)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

fn requests() -> Vec<VideoRequest> {
    vec![
        VideoRequest::text("一只猫在阳光明媚的房间里弹钢琴"),
        VideoRequest::text("a cat")
            .web_search(true)
            .automatic_duration(),
        VideoRequest::new()
            .first_frame("https://example.com/first.png")
            .last_frame("https://example.com/last.png"),
        VideoRequest::text("@image1 dances like @video1 to @audio1")
            .reference_image("asset://asset-1")
            .video("https://example.com/dance.mp4")
            .audio("data:audio/mpeg;base64,SUQzBAAAAAAAI1RTU0U=")
            .model("seedance-2.0")
            .generate_audio(false)
            .watermark(true),
    ]
}

#[tokio::test]
#[ignore = "needs Prism: run .ci/prism.sh"]
async fn the_client_accepts_every_answer_prism_generates_and_sends_only_valid_requests() {
    let client = client(&url("PRISM_MOCK_URL"));
    for round in 0..10 {
        for request in requests() {
            let task = client
                .videos()
                .create(request)
                .await
                .unwrap_or_else(|error| panic!("create, round {round}: {error}"));
            // The id the reader found is the one Prism's answer gave (its `id`, or `task_id`).
            let answered = task.raw["id"].as_str().or(task.raw["task_id"].as_str());
            assert_eq!(
                Some(task.id.as_str()),
                answered,
                "round {round}: {}",
                task.raw
            );
            let queried = client.videos().get("cgt-20260312231129-7db6s").await;
            match queried {
                Ok(task) => assert!(task.progress <= 100),
                // A generated answer can be a 200 carrying an error code; that is a documented
                // shape the client reports as an API error, not a decoding failure.
                Err(Error::Api { status: 200, .. }) => {}
                Err(error) => panic!("get, round {round}: {error:?}"),
            }
        }
    }
}

#[tokio::test]
#[ignore = "needs Prism in front of anyfast-mock: run .ci/prism.sh"]
async fn a_whole_generate_through_prisms_validating_proxy_has_no_violation() {
    let client = client(&url("PRISM_PROXY_URL"));
    let dir = tempfile::tempdir().unwrap();
    for (index, request) in requests().into_iter().enumerate() {
        let path = dir.path().join(format!("video-{index}.mp4"));
        let done = client
            .videos()
            .generate_with(request, &path, quick_generate())
            .await
            .unwrap_or_else(|error| panic!("generate {index}: {error}"));
        assert_eq!(done.status, TaskStatus::Succeeded);
        assert_eq!(std::fs::read(&path).unwrap(), anyfast_mock::SAMPLE_VIDEO);
    }
    let failing = client
        .videos()
        .generate_with(
            VideoRequest::text("[mock:fail]"),
            dir.path().join("x.mp4"),
            quick_generate(),
        )
        .await;
    assert!(
        matches!(failing, Err(Error::TaskFailed { .. })),
        "{failing:?}"
    );
    let missing = client.videos().get("cgt-unknown").await;
    assert!(
        matches!(missing, Err(Error::Api { status: 404, .. })),
        "{missing:?}"
    );
}
