//! Drift: answers that vary, per task, across everything anyfast's documentation allows an
//! answer to be, so that a client is tested against the API's whole range instead of one
//! wording of it.
//!
//! Each task gets a [`Personality`] from the drift seed and the task's number (its place among
//! the mock's creates, which is part of its id). Every choice a personality makes is a function
//! of the personality and the name of the decision alone, never of the poll or the phase: a task
//! answers in one voice all its life, another task in another, and a run with the same seed
//! answers the same way again.
//!
//! What drift leaves alone lives in `answers`: where the id, the status, the video URL and the
//! failure reason are found, and what each status word means.

use serde_json::{Value, json};

use crate::shape::Shape;
use crate::stable_hash::fnv1a;
use crate::timestamps::iso_8601;

/// The HTTP statuses a drifting create answers with.
const CREATE_STATUSES: [u16; 3] = [200, 201, 202];

/// The bodies a create answer can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum CreateForm {
    /// The documented `{id, task_id, object, model, status: "", progress, created_at}`.
    Documented,
    /// The query's wrapper: `{code, message, data: {task_id, status}}`.
    Wrapper,
    /// `{data: {id}}`.
    DataId,
    /// `{task_id}`.
    TaskId,
    /// The older models' `{id, status: "submitted", created_at: "<ISO-8601>"}`.
    Submitted,
}

const CREATE_FORMS: [CreateForm; 5] = [
    CreateForm::Documented,
    CreateForm::Wrapper,
    CreateForm::DataId,
    CreateForm::TaskId,
    CreateForm::Submitted,
];

/// How a time is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TimeStyle {
    /// `1777288506`.
    Unix,
    /// `"1777288506"`.
    NumericString,
    /// `"2026-04-27T11:15:06Z"`.
    IsoUtc,
    /// `"2026-04-27T19:15:06+08:00"`: the service's own time zone.
    IsoBeijing,
    /// `1777288506.0`.
    Float,
    /// `null`.
    Null,
}

const TIME_STYLES: [TimeStyle; 6] = [
    TimeStyle::Unix,
    TimeStyle::NumericString,
    TimeStyle::IsoUtc,
    TimeStyle::IsoBeijing,
    TimeStyle::Float,
    TimeStyle::Null,
];

/// How a progress percentage is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ProgressStyle {
    /// `"50%"`, as documented for queries.
    Percent,
    /// `50`, as documented for creates.
    Integer,
    /// `50.0`.
    Float,
    /// `"50"`.
    NumericString,
    /// `null`.
    Null,
}

const PROGRESS_STYLES: [ProgressStyle; 5] = [
    ProgressStyle::Percent,
    ProgressStyle::Integer,
    ProgressStyle::Float,
    ProgressStyle::NumericString,
    ProgressStyle::Null,
];

/// The case of status words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    Upper,
    Lower,
    /// `Succeeded`, `In_Progress`.
    Title,
}

const CASES: [Case; 3] = [Case::Upper, Case::Lower, Case::Title];

/// How many unknown fields [`unknown_field`] has.
const UNKNOWN_FIELDS: usize = 5;

/// The `index`th of the unknown fields a newer service might add: one of each JSON kind a
/// client must skip.
fn unknown_field(index: usize) -> (&'static str, Value) {
    match index % UNKNOWN_FIELDS {
        0 => (
            "trace",
            json!({"span_id": "7f3a9c", "hops": [1, 2, 3], "edge": {"pop": "sha"}}),
        ),
        1 => ("tags", json!(["mock", "drift", 7, {"kind": "label"}])),
        2 => ("quota_remaining", json!(1234.5)),
        3 => ("retry_count", json!(0)),
        _ => (
            "billing",
            json!({"unit": "token", "price": null, "tiers": []}),
        ),
    }
}

/// One task's way of answering: every choice drift makes for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Personality {
    seed: u64,
}

impl Personality {
    /// The personality of the `number`th task created under the drift seed `drift_seed`.
    pub fn of(drift_seed: u64, number: u64) -> Personality {
        Personality {
            seed: fnv1a(&format!("{drift_seed:016x}/{number}")),
        }
    }

    /// One of `count` options for `decision`: the same each time this task is asked.
    fn choose(&self, decision: &str, count: usize) -> usize {
        fastrand::Rng::with_seed(self.seed ^ fnv1a(decision)).usize(..count)
    }

    /// Whether this task does `decision`, which it does with a chance of one in `one_in`.
    fn sometimes(&self, decision: &str, one_in: usize) -> bool {
        self.choose(decision, one_in) == 0
    }

    /// The HTTP status of the create answer.
    pub fn create_status(&self) -> u16 {
        CREATE_STATUSES[self.choose("create status", CREATE_STATUSES.len())]
    }

    /// The body of the create answer.
    pub fn create_form(&self) -> CreateForm {
        CREATE_FORMS[self.choose("create form", CREATE_FORMS.len())]
    }

    /// The shape of query answers.
    pub fn query_shape(&self) -> Shape {
        Shape::ALL[self.choose("query shape", Shape::ALL.len())]
    }

    /// The time `field` in its style: `unix` seconds, or `None` for a moment not yet reached.
    pub fn time(&self, field: &str, unix: Option<i64>) -> Value {
        let style = TIME_STYLES[self.choose(&format!("time {field}"), TIME_STYLES.len())];
        let Some(unix) = unix else {
            // A zero stands for "not yet" in the documented answer; a date in 1970 would be
            // a lie in an ISO style, so those say null.
            return match style {
                TimeStyle::Unix => json!(0),
                TimeStyle::NumericString => json!("0"),
                TimeStyle::Float => json!(0.0),
                TimeStyle::IsoUtc | TimeStyle::IsoBeijing | TimeStyle::Null => Value::Null,
            };
        };
        match style {
            TimeStyle::Unix => json!(unix),
            TimeStyle::NumericString => json!(unix.to_string()),
            TimeStyle::IsoUtc => json!(iso_8601(unix, 0)),
            TimeStyle::IsoBeijing => json!(iso_8601(unix, 8)),
            TimeStyle::Float => json!(unix as f64),
            TimeStyle::Null => Value::Null,
        }
    }

    /// A progress `percent` in this task's style.
    pub fn progress(&self, percent: u8) -> Value {
        match PROGRESS_STYLES[self.choose("progress", PROGRESS_STYLES.len())] {
            ProgressStyle::Percent => json!(format!("{percent}%")),
            ProgressStyle::Integer => json!(percent),
            ProgressStyle::Float => json!(f64::from(percent)),
            ProgressStyle::NumericString => json!(percent.to_string()),
            ProgressStyle::Null => Value::Null,
        }
    }

    /// A status word: the shape's own (`documented`) or, for some tasks, the `upstream` word of
    /// the same phase, in this task's case.
    pub fn status(&self, documented: &str, upstream: &str) -> String {
        let word = if self.sometimes("upstream words", 3) {
            upstream
        } else {
            documented
        };
        self.in_case(word)
    }

    /// An upstream status word, in this task's case.
    pub fn upstream_status(&self, upstream: &str) -> String {
        self.in_case(upstream)
    }

    fn in_case(&self, word: &str) -> String {
        match CASES[self.choose("status case", CASES.len())] {
            Case::Upper => word.to_uppercase(),
            Case::Lower => word.to_lowercase(),
            Case::Title => word
                .split('_')
                .map(|part| {
                    let lower = part.to_lowercase();
                    let mut letters = lower.chars();
                    letters
                        .next()
                        .map(|first| first.to_uppercase().chain(letters).collect())
                        .unwrap_or_default()
                })
                .collect::<Vec<String>>()
                .join("_"),
        }
    }

    /// The wrapper's `code` for success.
    pub fn success_code(&self) -> Value {
        [json!("success"), json!(0), json!("0"), json!(200)][self.choose("code", 4)].clone()
    }

    /// Whether optional fields without a value are `null` (rather than absent or empty).
    pub fn nulls_for_missing(&self) -> bool {
        self.sometimes("nulls for missing", 2)
    }

    /// Whether a successful task's `fail_reason` repeats its `result_url`, as anyfast's docs
    /// warn it may "for backward compatibility".
    pub fn fail_reason_repeats_result_url(&self) -> bool {
        self.sometimes("fail_reason repeats result_url", 3)
    }

    /// `value` as this task writes the ancillary field `field`: as it is, or as a string
    /// (`"5"` for `5`, the JSON text of an object).
    pub fn ancillary(&self, field: &str, value: Value) -> Value {
        if !self.sometimes(&format!("stringly {field}"), 2) {
            return value;
        }
        match value {
            Value::String(_) | Value::Null => value,
            other => Value::String(other.to_string()),
        }
    }

    /// Adds this task's unknown fields to the object at `level` (a name such as `data`), for
    /// the tasks that have any.
    pub fn add_unknown_fields(&self, level: &str, object: &mut Value) {
        if !self.sometimes("unknown fields", 2) {
            return;
        }
        let Some(map) = object.as_object_mut() else {
            return;
        };
        let first = self.choose(&format!("unknown field {level}"), UNKNOWN_FIELDS);
        // Two fields of different kinds at each level: the second is the next in the list.
        for index in [first, first + 1] {
            let (name, value) = unknown_field(index);
            map.insert(name.to_string(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_personality_keeps_its_choices_and_others_differ() {
        let one = Personality::of(7, 1);
        assert_eq!(one, Personality::of(7, 1));
        assert_eq!(
            one.time("submit_time", Some(5)),
            one.time("submit_time", Some(5))
        );
        let forms: std::collections::HashSet<_> = (0..100)
            .map(|n| Personality::of(7, n).create_form())
            .collect();
        assert_eq!(forms.len(), CREATE_FORMS.len());
        let other_seed: Vec<_> = (0..100)
            .map(|n| Personality::of(8, n).create_form())
            .collect();
        let same_seed: Vec<_> = (0..100)
            .map(|n| Personality::of(7, n).create_form())
            .collect();
        assert_ne!(other_seed, same_seed);
    }

    #[test]
    fn status_words_come_in_every_case() {
        let words: std::collections::HashSet<String> = (0..100)
            .map(|n| Personality::of(1, n).status("IN_PROGRESS", "running"))
            .collect();
        for word in [
            "IN_PROGRESS",
            "in_progress",
            "In_Progress",
            "RUNNING",
            "running",
            "Running",
        ] {
            assert!(words.contains(word), "{word} never came: {words:?}");
        }
    }
}
