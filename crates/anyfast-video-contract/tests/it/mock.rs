//! The checks against anyfast-mock: plain (it answers as the spec says: no difference), and
//! drifting (every form the docs allow: differences that break the generated client, none that
//! break the tolerant reader); a refused key, no key, and a service that is not there.

use std::time::Duration;

use anyfast_mock::{MockConfig, MockServer, Timing};
use anyfast_video_contract::{FailOn, Kind, Options, Report, Target, check};

const KEY: &str = "sk-contract-test-0123456789";

/// Tasks that pass through every state in two seconds (polled every 20 ms): long enough that
/// the first query still finds the task running on a machine whose cores are all busy (at
/// 400 ms, it found it done under `.ci/under-load.sh`, and the running state went unseen).
const SHORT: Timing = Timing::Lasting(Duration::from_secs(2));

fn quick(billed: bool) -> Options {
    Options {
        billed,
        poll_interval: Duration::from_millis(20),
        billed_timeout: Duration::from_secs(60),
        ..Options::default()
    }
}

async fn run(mock: &MockServer, billed: bool) -> Report {
    let target = Target::new(&mock.base_url(), Some(KEY.into()));
    check(&target, &quick(billed)).await
}

#[tokio::test]
async fn the_plain_mock_answers_every_probe_and_the_billed_generation_as_the_spec_says() {
    let mock = MockServer::start(MockConfig::default().timing(SHORT))
        .await
        .unwrap();
    let report = run(&mock, true).await;
    let text = report.text();
    assert!(report.passes(FailOn::Any), "{text}");
    let names: Vec<&str> = report.probes.iter().map(|p| p.probe.as_str()).collect();
    assert_eq!(
        &names[..12],
        [
            "models",
            "missing-task",
            "refused-create",
            "assets",
            "missing-asset",
            "refused-create-wan",
            "refused-create-happyhorse",
            "refused-kling-text2video",
            "refused-kling-image2video",
            "refused-kling-multi-image2video",
            "refused-kling-omni-video",
            "missing-kling-task",
        ],
        "{text}"
    );
    assert_eq!(names[12], "billed-create", "{text}");
    // Every phase of the task was seen, each once.
    let queries = report
        .probes
        .iter()
        .filter(|p| p.probe == "billed-query")
        .count();
    assert!(queries >= 2, "{text}");
    let download = report.download.as_ref().expect("the video was downloaded");
    assert_eq!(download.bytes, anyfast_mock::SAMPLE_VIDEO.len() as u64);
    assert!(download.mp4_brand.is_some(), "{text}");
    assert!(!download.url.contains('?'), "{}", download.url);
    // Every family's refused create was refused, and made nothing; the Kling task that
    // cannot exist is not found.
    let status = |probe: &str| report.probe(probe).unwrap().answer.as_ref().unwrap().status;
    for probe in names.iter().filter(|name| name.starts_with("refused-")) {
        assert_eq!(status(probe), 400, "{probe}: {text}");
    }
    assert_eq!(status("missing-kling-task"), 404, "{text}");
    assert_eq!(mock.task_count(), 1);
    assert!(!text.contains(KEY) && !report.to_json().to_string().contains(KEY));
    let clock = report.clock_offset().expect("the mock sends Date");
    assert!(clock.abs() < 5.0, "{clock}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_drifting_mock_breaks_the_generated_client_and_never_the_tolerant_reader() {
    // Six drifting mocks at once: each seed gives its tasks other voices.
    let runs: Vec<_> = (1..=6)
        .map(|seed| {
            tokio::spawn(async move {
                let config = MockConfig::default().timing(SHORT).drift(seed);
                let mock = MockServer::start(config).await.unwrap();
                (seed, run(&mock, true).await)
            })
        })
        .collect();
    let mut broken_for_the_client = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for run in runs {
        let (seed, report) = run.await.unwrap();
        let text = report.text();
        assert!(report.passes(FailOn::Reader), "seed {seed}:\n{text}");
        assert!(!report.breaks_reader(), "seed {seed}:\n{text}");
        assert!(report.download.is_some(), "seed {seed}:\n{text}");
        for difference in report.differences() {
            kinds.insert(difference.kind.name().to_string());
            if difference.breaks.generated_client {
                broken_for_the_client += 1;
            }
            // Every difference names its place and both sides.
            assert!(
                !difference.path.is_empty()
                    && !difference.spec.is_empty()
                    && !difference.came.is_empty()
            );
        }
    }
    assert!(broken_for_the_client > 0, "{kinds:?}");
    for expected in ["type", "undocumented field", "status"] {
        assert!(kinds.contains(expected), "{expected} not among {kinds:?}");
    }
}

#[tokio::test]
async fn a_refused_key_is_reported_and_nothing_else_is_sent() {
    let mock = MockServer::start(MockConfig::default().api_key("sk-the-right-key"))
        .await
        .unwrap();
    let report = run(&mock, true).await;
    assert!(!report.passes(FailOn::Breaking), "{}", report.text());
    let models = report.probe("models").unwrap();
    assert_eq!(models.answer.as_ref().unwrap().status, 401);
    assert_eq!(report.probes.len(), 1, "{}", report.text());
    // The eleven other probes, and the billed generation: nothing is paid for after that.
    assert_eq!(report.skipped.len(), 12, "{:?}", report.skipped);
    assert!(
        report.skipped[11].starts_with("billed generation"),
        "{:?}",
        report.skipped
    );
    assert_eq!(mock.task_count(), 0);
}

#[tokio::test]
async fn without_a_key_only_the_unauthenticated_models_list_is_asked() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let report = check(&Target::new(&mock.base_url(), None), &quick(false)).await;
    assert_eq!(report.probes.len(), 1);
    let probe = &report.probes[0];
    assert_eq!(probe.probe, "models-without-key");
    assert_eq!(probe.answer.as_ref().unwrap().status, 401);
    // The 401 is the documented one: no difference, only the probes not sent.
    assert!(probe.differences.is_empty(), "{}", report.text());
    assert!(!report.passes(FailOn::Any));
}

#[tokio::test]
async fn a_service_that_is_not_there_is_a_failure_with_no_answer() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let target = Target::new(&format!("http://{address}"), Some(KEY.into()));
    let report = check(&target, &quick(false)).await;
    assert!(!report.passes(FailOn::Reader));
    assert!(
        report
            .failures
            .iter()
            .all(|failure| failure.contains("no answer")),
        "{:?}",
        report.failures
    );
    assert!(report.probes.iter().all(|p| p.answer.is_err()));
    assert!(report.differences().all(|d| d.kind != Kind::Status));
}
