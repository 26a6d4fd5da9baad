//! What is retried and what is not: 429, 5xx, timeouts and lost connections, for creates
//! (careful) and for queries and downloads (persistent).

use std::collections::HashSet;
use std::time::Duration;

use crate::common::*;
use anyfast_mock::{Fault, FaultKind, MockConfig, Route, SAMPLE_VIDEO, Timing, Trigger};
use anyfast_video::{Client, Error, RetryPolicy, TaskStatus, VideoRequest};

fn instant() -> MockConfig {
    MockConfig::default().timing(Timing::Instant)
}

#[tokio::test]
async fn a_create_refused_with_429_is_retried_with_the_same_idempotency_key() {
    let mock = mock(instant().fault(Fault::next(
        Route::Create,
        2,
        FaultKind::RateLimited {
            retry_after_secs: 0,
        },
    )))
    .await;
    let task = client(&mock)
        .videos()
        .create(VideoRequest::text("a cat"))
        .await
        .unwrap();
    assert!(task.id.starts_with("cgt-"));
    let creates: Vec<_> = mock
        .requests()
        .into_iter()
        .filter(|r| r.route == Route::Create)
        .collect();
    let statuses: Vec<u16> = creates.iter().map(|r| r.status.unwrap()).collect();
    // The last is 200, or 201/202 from the drifting mock.
    assert!(
        matches!(statuses.as_slice(), [429, 429, 200..=299]),
        "{statuses:?}"
    );
    let keys: HashSet<_> = creates
        .iter()
        .map(|r| r.idempotency_key.clone().unwrap())
        .collect();
    assert_eq!(keys.len(), 1, "one key across the retries of one create");
    assert_eq!(mock.task_count(), 1);

    let second = client(&mock)
        .videos()
        .create(VideoRequest::text("a dog"))
        .await
        .unwrap();
    assert_ne!(second.id, task.id);
    let last_key = mock
        .requests()
        .last()
        .unwrap()
        .idempotency_key
        .clone()
        .unwrap();
    assert!(!keys.contains(&last_key), "each create has its own key");
}

#[tokio::test]
async fn rate_limiting_that_outlasts_the_retries_is_reported_with_retry_after() {
    let mock = mock(instant().fault(Fault::new(
        Some(Route::Create),
        FaultKind::RateLimited {
            retry_after_secs: 0,
        },
    )))
    .await;
    let error = client(&mock)
        .videos()
        .create(VideoRequest::text("a cat"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::RateLimited {
                retry_after: Some(_),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        mock.count(Route::Create),
        5,
        "the first try and four retries"
    );
}

#[tokio::test]
async fn a_create_answered_with_a_5xx_is_not_retried_and_may_have_made_the_task() {
    for html in [false, true] {
        let mock = mock(instant().fault(Fault::next(
            Route::Create,
            1,
            FaultKind::ServerError { status: 502, html },
        )))
        .await;
        let error = client(&mock)
            .videos()
            .create(VideoRequest::text("a cat"))
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::CreateOutcomeUnknown { .. }),
            "{error:?}"
        );
        assert!(
            error.to_string().contains("may have been created"),
            "{error}"
        );
        assert!(error.to_string().contains("502"), "{error}");
        assert_eq!(mock.count(Route::Create), 1);
    }
}

#[tokio::test]
async fn a_create_that_times_out_says_the_task_may_exist_and_it_does() {
    let mock = mock(instant().fault(Fault::next(
        Route::Create,
        1,
        FaultKind::SlowAnswer(Duration::from_secs(4)),
    )))
    .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(mock.base_url())
        .create_timeout(Duration::from_millis(1000))
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    let error = client
        .videos()
        .create(VideoRequest::text("a cat"))
        .await
        .unwrap_err();
    match &error {
        Error::CreateOutcomeUnknown {
            what,
            idempotency_key,
            ..
        } => {
            assert!(what.contains("timed out"), "{what}");
            assert_eq!(
                Some(idempotency_key.clone()),
                mock.requests()[0].idempotency_key
            );
        }
        other => panic!("expected CreateOutcomeUnknown, got {other:?}"),
    }
    assert!(
        error
            .to_string()
            .contains("the task may have been created anyway")
    );
    assert_eq!(mock.count(Route::Create), 1, "not retried");
    assert_eq!(mock.task_count(), 1, "and the task does exist");
}

#[tokio::test]
async fn a_create_whose_connection_drops_or_answer_breaks_is_not_retried() {
    for kind in [
        FaultKind::DropConnection,
        FaultKind::TruncateBody,
        FaultKind::MalformedJson,
    ] {
        let mock = mock(instant().fault(Fault::next(Route::Create, 1, kind.clone()))).await;
        let error = client(&mock)
            .videos()
            .create(VideoRequest::text("a cat"))
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::CreateOutcomeUnknown { .. }),
            "{kind:?}: {error:?}"
        );
        assert_eq!(mock.count(Route::Create), 1, "{kind:?}");
    }
}

#[tokio::test]
async fn uncertain_creates_are_retried_when_the_caller_opts_in() {
    let mock = mock(instant().fault(Fault::next(
        Route::Create,
        2,
        FaultKind::ServerError {
            status: 503,
            html: false,
        },
    )))
    .await;
    let policy = RetryPolicy {
        retry_uncertain_creates: true,
        ..quick_retries()
    };
    let client = client_for(&mock.base_url(), policy);
    client
        .videos()
        .create(VideoRequest::text("a cat"))
        .await
        .unwrap();
    assert_eq!(mock.count(Route::Create), 3);
    let keys: HashSet<_> = mock
        .requests()
        .into_iter()
        .filter_map(|r| r.idempotency_key)
        .collect();
    assert_eq!(keys.len(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_and_reported_as_transport() {
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = unused.local_addr().unwrap();
    drop(unused);
    let client = client_for(
        &format!("http://{address}"),
        RetryPolicy {
            max_retries: 2,
            ..quick_retries()
        },
    );
    let error = client
        .videos()
        .create(VideoRequest::text("a cat"))
        .await
        .unwrap_err();
    match error {
        Error::Transport {
            operation, source, ..
        } => {
            assert_eq!(operation, "create");
            assert!(source.is_connect());
        }
        other => panic!("expected Transport, got {other:?}"),
    }
}

#[tokio::test]
async fn polling_rides_out_429_5xx_html_drops_and_malformed_answers() {
    let mock = mock(MockConfig::default().timing(Timing::Fast)).await;
    let client = client(&mock);
    let task = client
        .videos()
        .create(VideoRequest::text("a cat"))
        .await
        .unwrap();
    for kind in [
        FaultKind::RateLimited {
            retry_after_secs: 0,
        },
        FaultKind::ServerError {
            status: 500,
            html: false,
        },
        FaultKind::ServerError {
            status: 502,
            html: true,
        },
        FaultKind::ServerError {
            status: 503,
            html: true,
        },
        FaultKind::DropConnection,
        FaultKind::MalformedJson,
        FaultKind::TruncateBody,
    ] {
        mock.inject(Fault::next(Route::Get, 2, kind));
    }
    let done = client.videos().wait(&task.id, quick_wait()).await.unwrap();
    assert_eq!(done.status, TaskStatus::Succeeded);
    // Fourteen faulted polls (some answer 200 with a broken body), then at least one good one.
    assert!(mock.count(Route::Get) >= 15, "{}", mock.count(Route::Get));
}

#[tokio::test]
async fn get_retries_a_flaky_query_and_stops_at_a_final_error() {
    let mock = mock(
        instant().fault(
            Fault::new(
                Some(Route::Get),
                FaultKind::ServerError {
                    status: 503,
                    html: false,
                },
            )
            .trigger(Trigger::Next(3)),
        ),
    )
    .await;
    let client = client(&mock);
    let task = client
        .videos()
        .create(VideoRequest::text("a cat"))
        .await
        .unwrap();
    let got = client.videos().get(&task.id).await.unwrap();
    assert_eq!(got.status, TaskStatus::Succeeded);
    assert_eq!(mock.count(Route::Get), 4);
}

#[tokio::test]
async fn a_download_is_retried_after_server_errors() {
    let mock = mock(instant().fault(Fault::next(
        Route::Download,
        2,
        FaultKind::ServerError {
            status: 503,
            html: true,
        },
    )))
    .await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.mp4");
    client
        .videos()
        .generate_with(VideoRequest::text("a cat"), &path, quick_generate())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
    assert_eq!(mock.count(Route::Download), 3);
}

#[tokio::test]
async fn once_a_retried_create_may_have_made_a_task_a_later_refusal_does_not_hide_it() {
    let mock = mock(
        instant()
            .fault(Fault::next(
                Route::Create,
                1,
                FaultKind::ServerError {
                    status: 503,
                    html: false,
                },
            ))
            .fault(Fault::next(
                Route::Create,
                1,
                FaultKind::RateLimited {
                    retry_after_secs: 3600,
                },
            )),
    )
    .await;
    let policy = RetryPolicy {
        retry_uncertain_creates: true,
        ..quick_retries()
    };
    let client = client_for(&mock.base_url(), policy);
    let error = client
        .videos()
        .create(VideoRequest::text("a cat"))
        .await
        .unwrap_err();
    match &error {
        Error::CreateOutcomeUnknown { what, .. } => assert!(what.contains("503"), "{what}"),
        other => panic!("expected CreateOutcomeUnknown, got {other:?}"),
    }
    assert_eq!(mock.count(Route::Create), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_gateways_concurrency_gate_makes_the_client_send_fewer_at_once_and_every_create_lands()
{
    // Two requests at a time get through; a create takes a while inside the gate.
    let mock = anyfast_mock::MockServer::start(
        MockConfig::default()
            .timing(Timing::Instant)
            .concurrency_limit(2)
            .fault(Fault::new(
                Some(Route::Create),
                FaultKind::SlowAnswer(Duration::from_millis(150)),
            )),
    )
    .await
    .unwrap();
    let client = client(&mock);
    let creates = (0..12).map(|n| {
        client
            .videos()
            .create(VideoRequest::text(format!("gated cat {n}")))
    });
    let results = futures_util::future::join_all(creates).await;
    for (n, result) in results.iter().enumerate() {
        assert!(result.is_ok(), "create {n}: {result:?}");
    }
    assert_eq!(
        mock.task_count(),
        12,
        "each made once: a 429 is never processed"
    );
    let refused = mock
        .requests()
        .into_iter()
        .filter(|request| request.status == Some(429))
        .count();
    assert!(
        refused < 24,
        "fewer at once, not retried into the gate again and again: {refused} refusals"
    );
}

#[tokio::test]
async fn out_of_credit_is_its_own_error_never_retried_with_what_to_do() {
    let mock = anyfast_mock::MockServer::start(
        MockConfig::default()
            .timing(Timing::Instant)
            .fault(Fault::new(Some(Route::Create), FaultKind::OutOfCredit)),
    )
    .await
    .unwrap();
    let client = client(&mock);
    let error = client
        .videos()
        .create(VideoRequest::text("a cat on credit"))
        .await
        .unwrap_err();
    let Error::OutOfCredit { code, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(code, "insufficient_user_quota");
    assert!(
        error
            .to_string()
            .starts_with("out of credit (insufficient_user_quota): top up"),
        "{error}"
    );
    assert_eq!(mock.count(Route::Create), 1, "retrying cannot help");
    let spent = anyfast_video::tolerant::read_error(
        403,
        br#"{"error": {"message": "token quota is not enough", "type": "new_api_error", "code": "pre_consume_token_quota_failed"}}"#,
    );
    assert!(
        spent
            .to_string()
            .contains("this API key has reached its own spending limit"),
        "{spent}"
    );
}
