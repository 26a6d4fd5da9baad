//! Against a mock that drifts (every form the docs allow an answer to take, chosen per task and
//! seeded), `generate` still gets every video with exactly one create each, and an answer that
//! stays unreadable ends a wait long before its deadline.

use std::time::{Duration, Instant};

use crate::common::*;
use anyfast_mock::{Fault, FaultKind, MockConfig, Route, SAMPLE_VIDEO, Timing};
use anyfast_video::{Error, VideoRequest, WaitOptions};

#[tokio::test]
async fn generate_gets_every_video_with_one_create_each_whatever_the_answers_look_like() {
    let tasks_per_seed = 12;
    for seed in 0..4 {
        let mock = exact_mock(MockConfig::default().timing(Timing::Fast).drift(seed)).await;
        let client = client(&mock);
        let dir = tempfile::tempdir().unwrap();
        let runs = (0..tasks_per_seed).map(|n| {
            let (client, dir) = (&client, &dir);
            async move {
                let prompt = format!("seed {seed} task {n}");
                let path = dir.path().join(format!("{n}.mp4"));
                let created = client
                    .videos()
                    .create(VideoRequest::text(prompt.as_str()))
                    .await
                    .unwrap_or_else(|error| panic!("seed {seed} task {n}: {error}"));
                let done = client
                    .videos()
                    .wait(&created.id, quick_wait())
                    .await
                    .unwrap_or_else(|error| panic!("seed {seed} task {n}: {error}"));
                assert_eq!(done.id, created.id);
                client.videos().download(&done, &path).await.unwrap();
                assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
                prompt
            }
        });
        for prompt in futures_util::future::join_all(runs).await {
            assert_eq!(mock.create_count_for_prompt(&prompt), 1, "{prompt}");
        }
        assert_eq!(mock.count(Route::Create), tasks_per_seed, "seed {seed}");
    }
}

#[tokio::test]
async fn failures_are_reported_with_their_reason_whatever_the_answers_look_like() {
    for seed in 0..4 {
        let mock = exact_mock(MockConfig::default().timing(Timing::Instant).drift(seed)).await;
        let client = client(&mock);
        for n in 0..6 {
            let task = client
                .videos()
                .create(VideoRequest::text(format!(
                    "[mock:fail=Code{n}] seed {seed}"
                )))
                .await
                .unwrap();
            match client.videos().wait(&task.id, quick_wait()).await {
                Err(Error::TaskFailed {
                    task_id, reason, ..
                }) => {
                    assert_eq!(task_id, task.id);
                    assert!(reason.contains(&format!("Code{n}")), "{reason}");
                }
                other => panic!("seed {seed} task {n}: {other:?}"),
            }
        }
    }
}

#[tokio::test]
async fn an_answer_that_stays_unreadable_ends_the_wait_long_before_its_deadline() {
    let mock = exact_mock(
        MockConfig::default()
            .timing(Timing::Instant)
            .fault(Fault::new(Some(Route::Get), FaultKind::MalformedJson)),
    )
    .await;
    let client = client(&mock);
    let task = created_task(&client).await;
    let started = Instant::now();
    // The default deadline (30 minutes) and the default limit of unreadable answers.
    let options = WaitOptions::default().poll_interval(Duration::from_millis(20));
    let error = client.videos().wait(&task.id, options).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert!(matches!(error, Error::InvalidResponse { .. }), "{error:?}");
    assert_eq!(error.task_id(), Some(task.id.as_str()));
    let text = error.to_string();
    assert!(
        text.contains(&task.id) && text.contains("5 answers in a row"),
        "{text}"
    );
    assert_eq!(
        mock.count(Route::Get),
        anyfast_video::DEFAULT_MAX_UNREADABLE_ANSWERS as usize
    );
}
