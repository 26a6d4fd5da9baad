//! The reader on the documented shapes and on their drift.

use std::time::{Duration, UNIX_EPOCH};

use serde_json::{Value, json};

use super::*;
use crate::task::{Failure, TaskStatus};

fn queried(answer: Value) -> Task {
    read_task("asked-id", 200, answer.to_string().as_bytes()).unwrap()
}

fn unix(seconds: u64) -> Option<std::time::SystemTime> {
    Some(UNIX_EPOCH + Duration::from_secs(seconds))
}

#[test]
fn the_wrapper_shape_gives_status_progress_video_and_times() {
    let task = queried(json!({"code": "success", "message": "", "data": {
        "task_id": "asyntask_1", "status": "SUCCESS", "progress": "100%",
        "result_url": "https://storage/v.mp4", "fail_reason": "https://storage/v.mp4",
        "submit_time": 1777288506, "start_time": 1777288508, "finish_time": 1777288800,
        "data": {"id": "cgt-1", "status": "succeeded", "model": "m", "usage": {"total_tokens": 5},
                 "content": {"video_url": "https://storage/v.mp4", "last_frame_url": "https://storage/f.png"}}
    }}));
    assert_eq!(task.id, "asked-id");
    assert_eq!(task.other_ids, ["asyntask_1", "cgt-1"]);
    assert_eq!(task.status, TaskStatus::Succeeded);
    assert_eq!(task.progress, 100);
    assert_eq!(task.video_url.as_deref(), Some("https://storage/v.mp4"));
    assert_eq!(
        task.last_frame_url.as_deref(),
        Some("https://storage/f.png")
    );
    assert_eq!(
        task.failure, None,
        "fail_reason may equal result_url on success"
    );
    assert_eq!(task.usage.unwrap().total_tokens, Some(5));
    assert_eq!(task.started_at, unix(1777288508));
    assert_eq!(task.finished_at, unix(1777288800));
    assert_eq!(task.model.as_deref(), Some("m"));
}

#[test]
fn a_running_wrapper_reads_its_percentage_and_has_no_finish() {
    let task =
        queried(json!({"data": {"status": "IN_PROGRESS", "progress": "42%", "finish_time": 0}}));
    assert_eq!(
        (task.status, task.progress, task.finished_at),
        (TaskStatus::Running, 42, None)
    );
    assert_eq!(task.id, "asked-id");
    assert!(task.other_ids.is_empty());
}

#[test]
fn a_failed_wrapper_gives_reason_and_upstream_code() {
    let task = queried(
        json!({"data": {"status": "FAILURE", "fail_reason": "real face",
        "data": {"status": "failed", "error": {"code": "PrivacyInformation", "message": "m"}}}}),
    );
    assert_eq!(
        task.failure,
        Some(Failure {
            reason: "real face".into(),
            code: Some("PrivacyInformation".into())
        })
    );
}

#[test]
fn the_older_flat_shapes_give_the_same_view() {
    let flat = queried(
        json!({"id": "cgt-2", "model": "seedance-fast", "status": "completed",
        "video_url": "https://v", "created_at": 1773328294}),
    );
    assert_eq!((&flat.status, flat.progress), (&TaskStatus::Succeeded, 100));
    assert_eq!(flat.video_url.as_deref(), Some("https://v"));
    assert_eq!(flat.created_at, unix(1773328294));

    let ark = queried(
        json!({"id": "cgt-3", "status": "failed", "error": {"code": "X", "message": "why"}}),
    );
    assert_eq!(ark.status, TaskStatus::Failed);
    assert_eq!(
        ark.failure,
        Some(Failure {
            reason: "why".into(),
            code: Some("X".into())
        })
    );
    assert_eq!(
        queried(json!({"id": "cgt-4", "status": "submitted"})).status,
        TaskStatus::Pending
    );
}

#[test]
fn an_unknown_status_word_is_kept() {
    let task = queried(json!({"data": {"status": "PAUSED_FOR_REVIEW", "new_field": 1}}));
    assert_eq!(task.status, TaskStatus::Unknown("PAUSED_FOR_REVIEW".into()));
    assert_eq!(task.raw["data"]["new_field"], 1);
    assert!(!task.status.is_terminal());
}

#[test]
fn drifted_ancillary_fields_are_read_or_skipped_but_never_fail_the_answer() {
    let task = queried(json!({"code": 0, "data": {
        "status": "succeeded", "progress": 99.5, "result_url": "https://v",
        "submit_time": "2026-11-23T08:00:00Z", "start_time": "1795420800", "finish_time": {"weird": true},
        "data": {"usage": "lots", "model": 42, "seed": "x"}
    }}));
    assert_eq!(task.status, TaskStatus::Succeeded);
    assert_eq!(task.progress, 99);
    assert_eq!(task.created_at, unix(1795420800));
    assert_eq!(task.started_at, unix(1795420800));
    assert_eq!(task.finished_at, None);
    assert_eq!(task.usage, None);
    assert_eq!(task.model.as_deref(), Some("42"));
}

#[test]
fn a_succeeded_task_without_a_video_url_is_unreadable_not_done() {
    let error = read_task("cgt-1", 200, br#"{"status": "SUCCESS"}"#).unwrap_err();
    assert!(matches!(error, Error::InvalidResponse { .. }), "{error:?}");
    assert_eq!(error.task_id(), Some("cgt-1"));
    assert!(error.to_string().contains("no video URL"), "{error}");
}

#[test]
fn html_empty_and_statusless_answers_are_unreadable_with_the_asked_id() {
    for (body, says) in [
        (
            &b"<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>"[..],
            "HTML page",
        ),
        (b"   ", "empty body"),
        (br#"{"data": {"progress": "10%"}}"#, "no task status"),
        (br#"[1, 2]"#, "not a JSON object"),
        (br#"{"data": {"status": "RUN"#, "not JSON"),
    ] {
        let error = read_task("cgt-1", 200, body).unwrap_err();
        assert_eq!(error.task_id(), Some("cgt-1"));
        assert!(error.to_string().contains(says), "{says}: {error}");
    }
}

#[test]
fn an_error_in_a_200_is_an_api_error() {
    for body in [
        json!({"code": "task_not_exist", "message": "task_not_exist", "data": null}),
        json!({"code": 404, "message": "not found"}),
        json!({"success": false, "message": "quota"}),
        json!({"error": {"message": "upstream timeout"}}),
    ] {
        let error = read_task("cgt-1", 200, body.to_string().as_bytes()).unwrap_err();
        assert!(
            matches!(error, Error::Api { status: 200, .. }),
            "{body}: {error:?}"
        );
        assert_eq!(error.task_id(), Some("cgt-1"));
    }
}

#[test]
fn a_create_finds_its_id_in_every_documented_place() {
    for (status, body) in [
        (
            200,
            json!({"id": "cgt-1", "task_id": "cgt-1", "object": "video", "status": "", "progress": 0, "created_at": 1773328294}),
        ),
        (202, json!({"task_id": "cgt-1"})),
        (
            201,
            json!({"code": "success", "data": {"task_id": "cgt-1", "status": "NOT_START"}}),
        ),
        (200, json!({"code": 0, "data": {"id": "cgt-1"}})),
        (
            200,
            json!({"id": "cgt-1", "status": "submitted", "created_at": "2024-01-01T00:00:00Z"}),
        ),
    ] {
        let task = read_created(status, body.to_string().as_bytes()).unwrap();
        assert_eq!(task.id, "cgt-1", "{body}");
        assert_eq!(task.status, TaskStatus::Pending, "{body}");
    }
    let iso = read_created(200, br#"{"id": "x", "created_at": "2024-01-01T00:00:00Z"}"#).unwrap();
    assert_eq!(iso.created_at, unix(1704067200));
}

#[test]
fn a_create_without_a_findable_id_keeps_the_body_and_any_id_like_value() {
    let error = read_created(200, br#"{"ok": true, "result": {"taskId": "cgt-77"}}"#).unwrap_err();
    match &error {
        Error::InvalidResponse {
            task_id,
            body,
            detail,
            ..
        } => {
            assert_eq!(task_id.as_deref(), Some("cgt-77"));
            assert!(body.contains("taskId"));
            assert!(detail.contains("names no task id"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    let html = read_created(200, b"<html>queued cgt-20261124-xyz for you</html>").unwrap_err();
    assert_eq!(html.task_id(), Some("cgt-20261124-xyz"));
    let nothing = read_created(200, b"").unwrap_err();
    assert_eq!(nothing.task_id(), None);
    let cut = read_created(200, br#"{"created_at": 1, "id": "cgt-2026112"#).unwrap_err();
    assert_eq!(
        cut.task_id(),
        None,
        "an id the cut may have shortened is not offered"
    );
}

#[test]
fn a_create_answered_with_an_error_body_is_an_api_error_keeping_any_id() {
    let error =
        read_created(200, br#"{"code": "quota_exceeded", "message": "no quota"}"#).unwrap_err();
    assert!(matches!(error, Error::Api { status: 200, .. }), "{error:?}");
    let with_id =
        read_created(200, br#"{"code": "fail", "message": "m", "id": "cgt-5"}"#).unwrap_err();
    assert_eq!(with_id.task_id(), Some("cgt-5"));
}

#[test]
fn error_statuses_become_api_and_rate_limit_errors() {
    assert!(matches!(
        read_error(429, br#"{"error": {"message": "slow down"}}"#),
        Error::RateLimited { .. }
    ));
    match read_error(502, b"<html>Bad Gateway</html>") {
        Error::Api {
            status,
            code,
            message,
            ..
        } => {
            assert_eq!(
                (status, code.as_deref()),
                (502, Some(UNRECOGNISED_ERROR_BODY))
            );
            assert!(message.contains("Bad Gateway"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_preview_never_cuts_a_character() {
    let text = "猫".repeat(3000);
    let shown = preview(text.as_bytes());
    assert!(shown.len() <= KEPT_BODY_BYTES);
    assert!(shown.chars().all(|c| c == '猫'));
}

#[test]
fn an_ignored_field_is_named_by_its_dotted_path_in_the_message() {
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Lines {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let task = tracing::subscriber::with_default(subscriber, || {
        // Another test may have registered the reader's debug event while no subscriber
        // wanted it, racing this one's: ask every callsite again, now that one does.
        tracing::callsite::rebuild_interest_cache();
        queried(json!({"data": {"status": "RUNNING", "progress": "half",
            "data": {"status": "running", "usage": {"total_tokens": "many"}}}}))
    });
    assert_eq!(task.progress, 0);
    let logged = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
    for field in ["field=data.progress", "field=data.data.usage.total_tokens"] {
        assert!(logged.contains(field), "{field} not in {logged}");
    }
}
