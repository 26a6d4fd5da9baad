//! Drift, seen from outside: every variant turns up across tasks, every answer keeps its
//! essentials, a seed repeats, and drift touches answers only.
//!
//! The reading of answers here is a tolerant client's, written from anyfast's docs and not from
//! the mock's drift code, so that a drift that hides an essential fails these tests.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::common::*;
use anyfast_mock::{MockConfig, MockServer, Phase, Route, SAMPLE_VIDEO, Schedule, Timing};
use serde_json::{Value, json};

/// What a create answered.
struct Created {
    status: u16,
    body: Value,
}

async fn create_drifting(mock: &MockServer, prompt: &str) -> Created {
    let response = create(mock, &text_request(prompt)).await;
    let status = response.status().as_u16();
    let body = response.json().await.expect("a create answers JSON");
    Created { status, body }
}

/// `value` at `path` (object keys), if every step is there.
fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |value, key| value.get(key))
}

/// The first non-empty string among `paths`.
fn first_string<'a>(value: &'a Value, paths: &[&[&str]]) -> Option<&'a str> {
    paths
        .iter()
        .filter_map(|path| at(value, path)?.as_str())
        .find(|text| !text.is_empty())
}

/// The task id, wherever an answer puts it.
fn task_id(body: &Value) -> Option<&str> {
    first_string(
        body,
        &[&["id"], &["task_id"], &["data", "task_id"], &["data", "id"]],
    )
}

/// The status word, lower case: the wrapper's `data.status`, else the top-level `status`.
fn status_word(body: &Value) -> Option<String> {
    first_string(body, &[&["data", "status"], &["status"]]).map(str::to_lowercase)
}

/// Whether a status word means `phase`, in any shape's vocabulary.
fn means(word: &str, phase: Phase) -> bool {
    let words: &[&str] = match phase {
        // The older flat shape says "processing" from creation on.
        Phase::NotStarted | Phase::Queued => &["not_start", "queued", "submitted", "processing"],
        Phase::InProgress(_) => &["in_progress", "running", "processing"],
        Phase::Succeeded => &["success", "succeeded", "completed"],
        Phase::Failed => &["failure", "failed"],
    };
    words.contains(&word)
}

/// The video URL of a finished task.
fn video_url(body: &Value) -> Option<&str> {
    first_string(
        body,
        &[
            &["data", "result_url"],
            &["content", "video_url"],
            &["data", "data", "content", "video_url"],
            &["video_url"],
        ],
    )
}

/// Why a task failed.
fn failure_reason(body: &Value) -> Option<&str> {
    first_string(
        body,
        &[
            &["data", "fail_reason"],
            &["error", "message"],
            &["data", "data", "error", "message"],
            &["fail_reason"],
        ],
    )
}

/// A schedule that holds every task in `phase` for an hour.
fn held_in(phase: Phase) -> Timing {
    let hour = Duration::from_secs(3600);
    let (queued_after, started_after) = match phase {
        Phase::NotStarted => (hour, hour),
        Phase::Queued => (Duration::ZERO, hour),
        Phase::InProgress(_) => (Duration::ZERO, Duration::ZERO),
        Phase::Succeeded | Phase::Failed => return Timing::Instant,
    };
    Timing::Custom(Schedule {
        queued_after,
        started_after,
        finished_after: hour,
    })
}

#[tokio::test]
async fn every_drifting_answer_keeps_its_essentials_in_every_phase() {
    let phases = [
        Phase::NotStarted,
        Phase::Queued,
        Phase::InProgress(1),
        Phase::Succeeded,
        Phase::Failed,
    ];
    for phase in phases {
        let mock = start(MockConfig::default().timing(held_in(phase)).drift(11)).await;
        let prompt = if phase == Phase::Failed {
            "a cat [mock:fail]"
        } else {
            "a cat"
        };
        for n in 0..40 {
            let created = create_drifting(&mock, prompt).await;
            assert!(
                [200, 201, 202].contains(&created.status),
                "{}",
                created.status
            );
            let id = task_id(&created.body)
                .unwrap_or_else(|| panic!("no id in the create answer {}", created.body))
                .to_string();
            let actual = mock.task_phase(&id).expect("the id names a task");
            assert!(
                std::mem::discriminant(&actual) == std::mem::discriminant(&phase),
                "{actual:?}"
            );

            let task = query_json(&mock, &id).await;
            assert_eq!(task_id(&task), Some(id.as_str()), "{task}");
            let word = status_word(&task).unwrap_or_else(|| panic!("no status in {task}"));
            assert!(means(&word, phase), "{word:?} is not {phase:?} in {task}");
            match phase {
                Phase::Succeeded => {
                    let url = video_url(&task).unwrap_or_else(|| panic!("no video in {task}"));
                    assert!(url.starts_with(&mock.download_base_url()), "{url}");
                    if n % 10 == 0 {
                        let video = http().get(url).send().await.unwrap();
                        assert_eq!(video.status(), 200);
                        assert_eq!(&video.bytes().await.unwrap()[..], SAMPLE_VIDEO);
                    }
                }
                Phase::Failed => {
                    let reason =
                        failure_reason(&task).unwrap_or_else(|| panic!("no reason in {task}"));
                    assert!(reason.contains("SensitiveContentDetected"), "{reason}");
                    assert_eq!(video_url(&task), None, "a failed task has no video: {task}");
                }
                _ => assert_eq!(video_url(&task), None, "no video before success: {task}"),
            }
        }
        mock.stop().await;
    }
}

/// How a JSON value is written, for the time and progress fields.
fn form(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Number(number) if number.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(text) if text.ends_with('%') => "percent",
        Value::String(text) if text.ends_with('Z') => "iso-utc",
        Value::String(text) if text.ends_with("+08:00") => "iso+08:00",
        Value::String(text) if text.parse::<f64>().is_ok() => "numeric string",
        Value::String(_) => "other string",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The case a status word is written in.
fn case(word: &str) -> &'static str {
    if word == word.to_uppercase() {
        "upper"
    } else if word == word.to_lowercase() {
        "lower"
    } else {
        "title"
    }
}

/// The fields anyfast documents at each level of each shape; anything else is unknown.
const KNOWN_TOP: &[&str] = &[
    "code",
    "message",
    "data",
    "id",
    "task_id",
    "object",
    "model",
    "status",
    "progress",
    "created_at",
    "video_url",
    "content",
    "error",
    "usage",
];
const KNOWN_DATA: &[&str] = &[
    "task_id",
    "id",
    "action",
    "status",
    "result_url",
    "original_result_url",
    "fail_reason",
    "submit_time",
    "start_time",
    "finish_time",
    "progress",
    "request_id",
    "data",
];
const KNOWN_UPSTREAM: &[&str] = &[
    "id",
    "model",
    "status",
    "duration",
    "framespersecond",
    "ratio",
    "resolution",
    "generate_audio",
    "seed",
    "service_tier",
    "created_at",
    "updated_at",
    "content",
    "usage",
    "error",
];

/// The kinds of the unknown fields of `object`.
fn unknown_kinds(object: Option<&Value>, known: &[&str]) -> Vec<&'static str> {
    let Some(Value::Object(map)) = object else {
        return Vec::new();
    };
    map.iter()
        .filter(|(key, _)| !known.contains(&key.as_str()))
        .map(|(_, value)| form(value))
        .collect()
}

#[tokio::test]
async fn across_tasks_drift_shows_every_variant() {
    let mut seen: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut note = |what: &'static str, variant: &str| {
        seen.entry(what).or_default().insert(variant.to_string());
    };
    for seed in [1, 2] {
        let mock = start(MockConfig::default().timing(Timing::Instant).drift(seed)).await;
        for n in 0..100 {
            let prompt = if n % 4 == 3 {
                format!("task {n} [mock:fail]")
            } else {
                format!("task {n}")
            };
            let created = create_drifting(&mock, &prompt).await;
            note("create status", &created.status.to_string());
            let body = &created.body;
            let create_form = if body.get("object").is_some() {
                "documented"
            } else if body.get("code").is_some() {
                "wrapper"
            } else if at(body, &["data", "id"]).is_some() {
                "data.id"
            } else if body.get("task_id").is_some() {
                "task_id"
            } else if body
                .get("status")
                .and_then(Value::as_str)
                .is_some_and(|word| ["submitted", "queued"].contains(&word.to_lowercase().as_str()))
                && form(&body["created_at"]) == "iso-utc"
            {
                "submitted"
            } else {
                "unrecognised"
            };
            note("create form", create_form);
            for kind in unknown_kinds(Some(body), KNOWN_TOP) {
                note("unknown field in a create", kind);
            }

            let task = query_json(&mock, task_id(body).unwrap()).await;
            let shape = query_shape(&task);
            note("query shape", shape);
            let word = first_string(&task, &[&["data", "status"], &["status"]]).unwrap();
            note("status case", case(word));
            note("status word", &word.to_lowercase());
            for kind in unknown_kinds(Some(&task), KNOWN_TOP) {
                note("unknown field at the top", kind);
            }
            if shape == "wrapper" {
                let data = &task["data"];
                note("code", &task["code"].to_string());
                for field in ["submit_time", "start_time", "finish_time"] {
                    note("time", form(&data[field]));
                }
                for field in ["created_at", "updated_at"] {
                    note("time", form(&data["data"][field]));
                }
                note("progress", form(&data["progress"]));
                note("original_result_url", form(&data["original_result_url"]));
                let upstream = &data["data"];
                note(
                    "upstream status case",
                    case(upstream["status"].as_str().unwrap()),
                );
                for field in ["usage", "seed", "duration"] {
                    if let Some(value) = upstream.get(field) {
                        note(field, form(value));
                    }
                }
                for kind in unknown_kinds(Some(data), KNOWN_DATA) {
                    note("unknown field in data", kind);
                }
                for kind in unknown_kinds(Some(upstream), KNOWN_UPSTREAM) {
                    note("unknown field in data.data", kind);
                }
                if data["status"]
                    .as_str()
                    .unwrap()
                    .eq_ignore_ascii_case("success")
                {
                    let repeats = data["fail_reason"] == data["result_url"];
                    note(
                        "fail_reason on success",
                        if repeats {
                            "result_url"
                        } else {
                            form(&data["fail_reason"])
                        },
                    );
                }
            }
            if shape == "flat" {
                note("time", form(&task["created_at"]));
                if task.get("video_url") == Some(&Value::Null) {
                    note("missing video_url", "null");
                }
            }
            if shape == "ark" && task.get("content") == Some(&Value::Null) {
                note("missing content", "null");
            }
        }
        mock.stop().await;
    }
    let expected: &[(&str, &[&str])] = &[
        ("create status", &["200", "201", "202"]),
        (
            "create form",
            &["documented", "wrapper", "data.id", "task_id", "submitted"],
        ),
        (
            "unknown field in a create",
            &["object", "array", "float", "integer"],
        ),
        ("query shape", &["wrapper", "flat", "ark"]),
        ("status case", &["upper", "lower", "title"]),
        (
            "status word",
            &["success", "succeeded", "completed", "failure", "failed"],
        ),
        (
            "unknown field at the top",
            &["object", "array", "float", "integer"],
        ),
        ("code", &["\"success\"", "0", "\"0\"", "200"]),
        (
            "time",
            &[
                "integer",
                "numeric string",
                "iso-utc",
                "iso+08:00",
                "float",
                "null",
            ],
        ),
        (
            "progress",
            &["percent", "integer", "float", "numeric string", "null"],
        ),
        ("original_result_url", &["other string", "null"]),
        ("upstream status case", &["upper", "lower", "title"]),
        ("usage", &["object", "other string"]),
        ("seed", &["integer", "numeric string"]),
        ("duration", &["integer", "numeric string"]),
        (
            "unknown field in data",
            &["object", "array", "float", "integer"],
        ),
        (
            "unknown field in data.data",
            &["object", "array", "float", "integer"],
        ),
        (
            "fail_reason on success",
            &["result_url", "other string", "null"],
        ),
        ("missing video_url", &["null"]),
        ("missing content", &["null"]),
    ];
    for (what, variants) in expected {
        let seen = seen.get(what).cloned().unwrap_or_default();
        for variant in *variants {
            assert!(
                seen.contains(*variant),
                "{what}: {variant} never came (seen: {seen:?})"
            );
        }
        assert!(!seen.contains("unrecognised"), "{what}: {seen:?}");
    }
}

#[tokio::test]
async fn upstream_status_words_stand_in_for_anyfasts_in_every_phase() {
    let mut words = BTreeSet::new();
    for phase in [Phase::Queued, Phase::InProgress(1)] {
        let mock = start(MockConfig::default().timing(held_in(phase)).drift(5)).await;
        for n in 0..60 {
            let created = create_drifting(&mock, &format!("task {n}")).await;
            let task = query_json(&mock, task_id(&created.body).unwrap()).await;
            words.insert(status_word(&task).unwrap());
        }
        mock.stop().await;
    }
    for word in [
        "queued",
        "running",
        "in_progress",
        "submitted",
        "processing",
    ] {
        assert!(words.contains(word), "{word} never came: {words:?}");
    }
}

/// `value` with every string that holds a digit (ids, URLs, times, reasons) blanked, so that
/// two runs can be compared although their ids, ports and clocks differ.
fn skeleton(value: &Value) -> Value {
    match value {
        Value::String(text) if text.chars().any(|c| c.is_ascii_digit()) => json!("<digits>"),
        Value::Number(number) if number.is_f64() => json!("<float>"),
        Value::Number(_) => json!("<integer>"),
        Value::Array(items) => Value::Array(items.iter().map(skeleton).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), skeleton(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The create status and the skeletons of the create and query answers of 30 tasks.
async fn answers_with_seed(seed: u64) -> Vec<(u16, Value, Value)> {
    let mock = start(MockConfig::default().timing(Timing::Instant).drift(seed)).await;
    let mut answers = Vec::new();
    for n in 0..30 {
        let created = create_drifting(&mock, &format!("task {n}")).await;
        let id = task_id(&created.body).unwrap().to_string();
        let first = query_json(&mock, &id).await;
        assert_eq!(
            first,
            query_json(&mock, &id).await,
            "a task answers the same at every poll"
        );
        answers.push((created.status, skeleton(&created.body), skeleton(&first)));
    }
    mock.stop().await;
    answers
}

#[tokio::test]
async fn the_same_seed_gives_the_same_answers_and_another_seed_others() {
    let first = answers_with_seed(3).await;
    assert_eq!(first, answers_with_seed(3).await);
    assert_ne!(first, answers_with_seed(4).await);
}

/// Which shape a query answer has: only the wrapper has `code`, only the flat shape `model`.
fn query_shape(task: &Value) -> &'static str {
    if task.get("code").is_some() {
        "wrapper"
    } else if task.get("model").is_some() {
        "flat"
    } else {
        "ark"
    }
}

#[tokio::test]
async fn a_task_keeps_its_voice_from_creation_to_success() {
    let mock = start(MockConfig::default().timing(visible_steps()).drift(9)).await;
    // Three tasks followed at once: each lives through the 3 s of visible steps.
    let (first, second, third) = tokio::join!(
        follow_to_success(&mock, 0),
        follow_to_success(&mock, 1),
        follow_to_success(&mock, 2)
    );
    for (words, shapes) in [first, second, third] {
        assert!(
            words.len() >= 2,
            "the task was seen before its end: {words:?}"
        );
        assert_eq!(shapes.len(), 1, "one shape all its life: {shapes:?}");
    }
}

/// Creates task `n` and polls it until it succeeds: the status words it said, in order, and
/// the shapes of its answers.
async fn follow_to_success(mock: &MockServer, n: usize) -> (Vec<String>, BTreeSet<&'static str>) {
    let created = create_drifting(mock, &format!("task {n}")).await;
    let id = task_id(&created.body).unwrap().to_string();
    let mut shapes = BTreeSet::new();
    let mut words: Vec<String> = Vec::new();
    loop {
        let task = query_json(mock, &id).await;
        shapes.insert(query_shape(&task));
        let word = status_word(&task).unwrap();
        if words.last() != Some(&word) {
            words.push(word.clone());
        }
        if means(&word, Phase::Succeeded) {
            assert!(video_url(&task).is_some(), "{task}");
            return (words, shapes);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn drift_leaves_validation_errors_downloads_and_the_log_alone() {
    let plain = start(MockConfig::default().timing(Timing::Instant)).await;
    let drifting = start(MockConfig::default().timing(Timing::Instant).drift(21)).await;
    let bad = json!({"model": "seedance-fast", "content": [{"type": "text", "text": "a"}], "duration": 16});
    for mock in [&plain, &drifting] {
        let refused = create(mock, &bad).await;
        assert_eq!(refused.status(), 400);
        let error: Value = refused.json().await.unwrap();
        assert_eq!(error["error"]["param"], "duration");
        let unknown = query(mock, "cgt-unknown").await;
        assert_eq!(unknown.status(), 404);
        let error: Value = unknown.json().await.unwrap();
        assert_eq!(error["error"]["code"], "task_not_exist");
    }
    assert_eq!(drifting.task_count(), 0);

    let mut statuses = Vec::new();
    for n in 0..12 {
        let created = create_drifting(&drifting, &format!("task {n}")).await;
        statuses.push(created.status);
        let task = query_json(&drifting, task_id(&created.body).unwrap()).await;
        let url = video_url(&task).unwrap();
        let video = http()
            .get(url)
            .header("range", "bytes=0-99")
            .send()
            .await
            .unwrap();
        assert_eq!(video.status(), 206);
        assert_eq!(video.bytes().await.unwrap(), SAMPLE_VIDEO[..100]);
    }
    assert_eq!(
        (
            drifting.count(Route::Create),
            drifting.count(Route::Get),
            drifting.count(Route::Download)
        ),
        (13, 13, 12)
    );
    assert_eq!(drifting.create_count_for_prompt("task 3"), 1);
    assert_eq!(drifting.task_count_for_prompt("task 3"), 1);
    let logged: Vec<u16> = drifting
        .requests()
        .iter()
        .filter(|r| r.route == Route::Create && r.status != Some(400))
        .filter_map(|r| r.status)
        .collect();
    assert_eq!(logged, statuses, "the log records the status drift chose");
}

#[tokio::test]
async fn without_drift_the_answers_are_exactly_the_documented_ones() {
    let mock = start(MockConfig::default().timing(Timing::Instant)).await;
    let response = create(&mock, &text_request("a cat")).await;
    assert_eq!(response.status(), 200);
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let created_at = created["created_at"].as_i64().unwrap();
    assert_eq!(
        created,
        json!({"id": id, "task_id": id, "object": "video", "model": "seedance-fast",
               "status": "", "progress": 0, "created_at": created_at})
    );
    let task = query_json(&mock, &id).await;
    let data = &task["data"];
    let url = data["result_url"].as_str().unwrap().to_string();
    let request_id = data["request_id"].as_str().unwrap().to_string();
    let seed = data["data"]["seed"].as_u64().unwrap();
    let reason_free = json!({"code": "success", "message": "", "data": {
        "task_id": id, "action": "generate", "status": "SUCCESS", "result_url": url,
        "original_result_url": "", "fail_reason": "",
        "submit_time": created_at, "start_time": created_at, "finish_time": created_at,
        "progress": "100%", "request_id": request_id,
        "data": {"id": id, "model": "seedance-fast", "status": "succeeded",
            "duration": 5, "framespersecond": 24, "ratio": "adaptive", "resolution": "720p",
            "generate_audio": true, "seed": seed, "service_tier": "default",
            "created_at": created_at, "updated_at": created_at,
            "content": {"video_url": url},
            "usage": {"completion_tokens": 108900, "total_tokens": 108900}}}});
    assert_eq!(task, reason_free);
}
