//! Properties of the tolerant reader: any answer of a documented shape, with unknown fields
//! added anywhere and its ancillary fields drifted to any type, gives the same essentials.

use anyfast_video::{TaskStatus, tolerant};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A phase of a task, with the words each shape uses for it.
#[derive(Clone, Copy, Debug)]
enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

impl Phase {
    fn expected(self) -> TaskStatus {
        match self {
            Phase::Pending => TaskStatus::Pending,
            Phase::Running => TaskStatus::Running,
            Phase::Succeeded => TaskStatus::Succeeded,
            Phase::Failed => TaskStatus::Failed,
        }
    }

    /// anyfast's word, the upstream word, and the older flat shape's word.
    fn words(self) -> [&'static str; 3] {
        match self {
            Phase::Pending => ["NOT_START", "submitted", "submitted"],
            Phase::Running => ["IN_PROGRESS", "running", "processing"],
            Phase::Succeeded => ["SUCCESS", "succeeded", "completed"],
            Phase::Failed => ["FAILURE", "failed", "failed"],
        }
    }
}

fn phase() -> impl Strategy<Value = Phase> {
    prop_oneof![
        Just(Phase::Pending),
        Just(Phase::Running),
        Just(Phase::Succeeded),
        Just(Phase::Failed)
    ]
}

/// A word in upper, lower or title case.
fn any_case(word: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        Just(word.to_uppercase()),
        Just(word.to_lowercase()),
        Just({
            let lower = word.to_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }),
    ]
}

/// Any JSON value at all, for unknown fields and drifted ancillary ones.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::from),
        Just(json!("2026-11-23T08:00:00+08:00")),
        Just(json!("50%")),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..3)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Field names the reader must not take for essentials when they carry junk.
const ANCILLARY: [&str; 12] = [
    "progress",
    "submit_time",
    "start_time",
    "finish_time",
    "created_at",
    "updated_at",
    "usage",
    "seed",
    "duration",
    "model",
    "action",
    "request_id",
];

/// Names no shape gives an essential field.
fn unknown_name() -> impl Strategy<Value = String> {
    "x_[a-z]{1,8}"
}

#[derive(Clone, Debug)]
struct Drift {
    extra: Vec<(u8, String, Value)>,
    ancillary: Vec<(u8, usize, Value)>,
}

fn drift() -> impl Strategy<Value = Drift> {
    (
        prop::collection::vec((0u8..3, unknown_name(), any_json()), 0..6),
        prop::collection::vec((0u8..3, 0..ANCILLARY.len(), any_json()), 0..6),
    )
        .prop_map(|(extra, ancillary)| Drift { extra, ancillary })
}

/// Applies the drift to the object at level 0 (top), 1 (`data`) or 2 (`data.data`), when
/// that level exists in the answer.
fn apply(answer: &mut Value, drift: &Drift) {
    let mut put = |level: u8, key: &str, value: &Value| {
        let target = match level {
            0 => Some(&mut *answer),
            1 => answer.get_mut("data"),
            _ => answer.get_mut("data").and_then(|data| data.get_mut("data")),
        };
        if let Some(Value::Object(object)) = target {
            object.insert(key.to_string(), value.clone());
        }
    };
    for (level, key, value) in &drift.extra {
        put(*level, key, value);
    }
    for (level, index, value) in &drift.ancillary {
        put(*level, ANCILLARY[*index], value);
    }
}

const URL: &str = "https://storage.example.com/v/cgt-1.mp4?X-Tos-Signature=abc";
const REASON: &str = "The request failed because the input image may contain real people.";

/// A query answer in shape 0 (wrapper), 1 (older flat) or 2 (older Ark-like).
fn query_answer(shape: u8, phase: Phase, word: String, code: Value) -> Value {
    let done = matches!(phase, Phase::Succeeded);
    let failed = matches!(phase, Phase::Failed);
    match shape {
        0 => {
            let mut upstream = json!({"id": "cgt-1", "status": phase.words()[1]});
            if done {
                upstream["content"] = json!({"video_url": URL});
            }
            if failed {
                upstream["error"] = json!({"code": "PrivacyInformation", "message": REASON});
            }
            let mut data = json!({"task_id": "asyntask_1", "status": word, "data": upstream});
            if done {
                data["result_url"] = json!(URL);
            }
            if failed {
                data["fail_reason"] = json!(REASON);
            }
            json!({"code": code, "message": "", "data": data})
        }
        1 => {
            let mut body = json!({"id": "cgt-1", "status": word});
            if done {
                body["video_url"] = json!(URL);
            }
            if failed {
                body["error"] = json!({"message": REASON});
            }
            body
        }
        _ => {
            let mut body = json!({"id": "cgt-1", "status": word});
            if done {
                body["content"] = json!({"video_url": URL});
            }
            if failed {
                body["error"] = json!({"code": "PrivacyInformation", "message": REASON});
            }
            body
        }
    }
}

fn success_code() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("success")),
        Just(json!("SUCCESS")),
        Just(json!(0)),
        Just(json!("0")),
        Just(json!(200)),
        Just(Value::Null)
    ]
}

fn shaped_answer() -> impl Strategy<Value = (Phase, Value)> {
    (0u8..3, phase(), 0usize..3, success_code()).prop_flat_map(|(shape, phase, which, code)| {
        // The flat shapes use their own words; the wrapper any of the three.
        let word = if shape == 0 {
            phase.words()[which]
        } else {
            phase.words()[1 + usize::from(shape == 1)]
        };
        any_case(word).prop_map(move |word| (phase, query_answer(shape, phase, word, code.clone())))
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        // A failure prints its minimal input; nothing is written into the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_drifted_query_answer_keeps_its_essentials((phase, mut answer) in shaped_answer(), drift in drift()) {
        apply(&mut answer, &drift);
        let body = answer.to_string();
        let task = tolerant::read_task("asked", 200, body.as_bytes())
            .map_err(|error| TestCaseError::fail(format!("{error}: {body}")))?;
        prop_assert_eq!(&task.id, "asked");
        prop_assert_eq!(&task.status, &phase.expected(), "{}", body);
        match phase {
            Phase::Succeeded => prop_assert_eq!(task.video_url.as_deref(), Some(URL)),
            Phase::Failed => prop_assert_eq!(
                task.failure.as_ref().map(|failure| failure.reason.as_str()),
                Some(REASON)
            ),
            _ => prop_assert!(task.failure.is_none()),
        }
        prop_assert!(task.progress <= 100);
    }

    #[test]
    fn a_drifted_create_answer_keeps_its_id(
        status in 200u16..=206,
        place in 0usize..4,
        code in success_code(),
        drift in drift(),
    ) {
        let id = "cgt-20261124-prop1";
        let mut answer = match place {
            0 => json!({"id": id, "object": "video", "status": "", "progress": 0}),
            1 => json!({"task_id": id}),
            2 => json!({"code": code, "data": {"task_id": id, "status": "NOT_START"}}),
            _ => json!({"code": code, "data": {"id": id}}),
        };
        apply(&mut answer, &drift);
        let body = answer.to_string();
        let task = tolerant::read_created(status, body.as_bytes())
            .map_err(|error| TestCaseError::fail(format!("{error}: {body}")))?;
        prop_assert_eq!(task.id, id);
    }

    #[test]
    fn no_body_at_all_makes_a_reader_panic(body in prop::collection::vec(any::<u8>(), 0..512), status in 100u16..600) {
        let _ = tolerant::read_created(status, &body);
        let _ = tolerant::read_task("x", status, &body);
        let _ = tolerant::read_error(status, &body);
    }
}
