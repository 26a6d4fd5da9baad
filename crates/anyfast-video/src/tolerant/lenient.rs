//! Reading one field of an answer whatever its JSON type turned out to be. Each reader returns
//! `None` for a missing, null or empty value, and also for a value of a type it cannot make
//! sense of, which it reports at debug level: an ancillary field never makes an answer
//! unreadable.

use std::borrow::Cow;
use std::fmt::{self, Display};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

/// Above this, a number of "seconds" is taken as milliseconds (10¹¹ s is the year 5138).
const MILLISECONDS_FROM: f64 = 1e11;

/// The dotted name of a field (`data.progress`), for the readers' messages: written only when
/// a message is, since most fields read well and need no name.
#[derive(Clone, Copy)]
pub(crate) struct FieldName<'p> {
    /// Where its layer is (`data.`), or nothing for the top of the answer.
    pub(crate) prefix: &'static str,
    /// Its key in that layer.
    pub(crate) key: &'p str,
    /// The keys below it (`content.video_url`'s `video_url`).
    pub(crate) below: &'p [&'p str],
}

impl<'p> FieldName<'p> {
    /// The field at `path` from the top of the answer.
    pub(crate) fn of(path: &'p [&'p str]) -> Self {
        let (key, below) = path
            .split_first()
            .map_or(("", &[][..]), |(key, below)| (*key, below));
        FieldName {
            prefix: "",
            key,
            below,
        }
    }
}

impl fmt::Display for FieldName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.prefix, self.key)?;
        self.below.iter().try_for_each(|key| write!(f, ".{key}"))
    }
}

/// Notes a value that was present but could not be read. The field's name is written only
/// here, when there is something to say: the readers take it as any `Display`, so that a
/// name made of parts is never put together for a field that reads well.
pub(crate) fn ignored(field: impl Display, value: &Value) {
    tracing::debug!(
        field = %field,
        kind = kind_of(value),
        "ignored a field of an unexpected type (kept in Task::raw)"
    );
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether the value is missing in the sense of this API: null, or an empty string.
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        _ => false,
    }
}

/// A string, or a number written as one (ids and codes come both ways).
pub(crate) fn text(field: impl Display, value: Option<&Value>) -> Option<String> {
    word(field, value).map(Cow::into_owned)
}

/// [`text`], borrowed from the answer when it is a string (a status word or an id compared
/// and dropped).
pub(crate) fn word(field: impl Display, value: Option<&Value>) -> Option<Cow<'_, str>> {
    let value = value.filter(|value| !is_blank(value))?;
    match value {
        Value::String(text) => Some(Cow::Borrowed(text)),
        Value::Number(number) => Some(Cow::Owned(number.to_string())),
        other => {
            ignored(field, other);
            None
        }
    }
}

/// A point in time: unix seconds (or milliseconds, when the number is that large) as a
/// number or a numeric string, or an ISO-8601 / RFC 3339 date-time (without an offset it is
/// taken as UTC). Zero and negative numbers mean "not yet" in this API.
///
/// ```
/// # use anyfast_video::tolerant::time;
/// # use serde_json::json;
/// # use std::time::{Duration, UNIX_EPOCH};
/// let at = UNIX_EPOCH + Duration::from_secs(1_704_067_200);
/// for value in [json!(1704067200), json!("1704067200"), json!(1704067200000u64),
///               json!("2024-01-01T00:00:00Z"), json!("2024-01-01T08:00:00+08:00"),
///               json!("2024-01-01 00:00:00"), json!(1704067200.0),
///               json!("2023-12-31T19:00:00-05:00"), json!("2024-01-01T00:00:00+00:00"),
///               json!("2024-01-01T00:00:00.000Z")] {
///     assert_eq!(time("created_at", Some(&value)), Some(at), "{value}");
/// }
/// let later = at + Duration::from_millis(250);
/// assert_eq!(time("created_at", Some(&json!("2024-01-01 08:00:00.25+08:00"))), Some(later));
/// assert_eq!(time("created_at", Some(&json!("2024-01-01T00:00:00+08"))), None);
/// assert_eq!(time("finish_time", Some(&json!(0))), None);
/// assert_eq!(time("created_at", Some(&json!({"seconds": 1}))), None);
/// ```
pub fn time(field: impl Display, value: Option<&Value>) -> Option<SystemTime> {
    let value = value.filter(|value| !is_blank(value))?;
    let parsed = match value {
        Value::Number(number) => number.as_f64().and_then(unix),
        Value::String(text) => parse_time_text(text.trim()),
        _ => None,
    };
    if parsed.is_none() && !is_zero(value) {
        ignored(field, value);
    }
    parsed
}

fn is_zero(value: &Value) -> bool {
    match value {
        Value::Number(number) => number.as_f64().is_some_and(|n| n <= 0.0),
        Value::String(text) => text.trim().parse::<f64>().is_ok_and(|n| n <= 0.0),
        _ => false,
    }
}

fn parse_time_text(text: &str) -> Option<SystemTime> {
    if let Ok(number) = text.parse::<f64>() {
        return unix(number);
    }
    // humantime reads the UTC forms (`T` or a space, any fraction, an optional `Z` or
    // `+00:00`); another offset (`+08:00`) is taken off first and applied after.
    let (local, offset) = match text.len().checked_sub(6) {
        Some(at) if text.is_char_boundary(at) => match offset_seconds(&text[at..]) {
            Some(offset) => (&text[..at], offset),
            None => (text, 0),
        },
        _ => (text, 0),
    };
    let local = humantime::parse_rfc3339_weak(local).ok()?;
    let shift = Duration::from_secs(offset.unsigned_abs());
    if offset >= 0 {
        local.checked_sub(shift)
    } else {
        local.checked_add(shift)
    }
}

/// The seconds east of UTC of an RFC 3339 offset (`+08:00`, `-05:30`).
fn offset_seconds(zone: &str) -> Option<i64> {
    let sign = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = zone[1..].split_once(':')?;
    let two_digits = |text: &str| match *text.as_bytes() {
        [tens @ b'0'..=b'9', ones @ b'0'..=b'9'] => {
            Some(i64::from(tens - b'0') * 10 + i64::from(ones - b'0'))
        }
        _ => None,
    };
    let (hours, minutes) = (two_digits(hours)?, two_digits(minutes)?);
    (hours < 24 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

fn unix(number: f64) -> Option<SystemTime> {
    if !number.is_finite() || number <= 0.0 {
        return None;
    }
    let seconds = if number >= MILLISECONDS_FROM {
        number / 1000.0
    } else {
        number
    };
    Duration::try_from_secs_f64(seconds)
        .ok()
        .and_then(|elapsed| UNIX_EPOCH.checked_add(elapsed))
}

/// A percentage 0 to 100: an integer, a float, or a string such as `"50%"` or `"50"`.
///
/// ```
/// # use anyfast_video::tolerant::progress;
/// # use serde_json::json;
/// for value in [json!("50%"), json!(50), json!(50.7), json!("50"), json!(" 50 % ")] {
///     assert_eq!(progress("progress", Some(&value)), Some(50), "{value}");
/// }
/// assert_eq!(progress("progress", Some(&json!(250))), Some(100));
/// assert_eq!(progress("progress", Some(&json!("half"))), None);
/// ```
pub fn progress(field: impl Display, value: Option<&Value>) -> Option<u8> {
    let value = value.filter(|value| !is_blank(value))?;
    let number = match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().trim_end_matches('%').trim().parse::<f64>().ok(),
        _ => None,
    };
    match number.filter(|n| n.is_finite()) {
        Some(percent) => Some(percent.clamp(0.0, 100.0) as u8),
        None => {
            ignored(field, value);
            None
        }
    }
}

/// A whole number, or a string holding one.
pub(crate) fn integer(field: impl Display, value: Option<&Value>) -> Option<i64> {
    let value = value.filter(|value| !is_blank(value))?;
    let number = match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    };
    if number.is_none() {
        ignored(field, value);
    }
    number
}

/// A boolean: `true`/`false`, or the strings and numbers that mean them (`"true"`, `1`).
pub(crate) fn boolean(field: impl Display, value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(flag) => Some(*flag),
        Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => {
                ignored(field, &Value::String(text.clone()));
                None
            }
        },
        Value::Number(number) => number.as_i64().map(|n| n != 0),
        other => {
            ignored(field, other);
            None
        }
    }
}

/// Whether an answer's `code` says it worked: absent, `"success"`, `"ok"`, `0` or `200`, as a
/// string in any case or as a number.
///
/// ```
/// # use anyfast_video::tolerant::code_means_success;
/// # use serde_json::json;
/// for code in [json!("success"), json!("SUCCESS"), json!(0), json!("0"), json!(200), json!(null)] {
///     assert!(code_means_success(Some(&code)), "{code}");
/// }
/// assert!(code_means_success(None));
/// assert!(!code_means_success(Some(&json!("task_not_exist"))));
/// assert!(!code_means_success(Some(&json!(500))));
/// ```
pub fn code_means_success(code: Option<&Value>) -> bool {
    match code {
        None | Some(Value::Null) => true,
        Some(Value::Number(number)) => matches!(number.as_i64(), Some(0 | 200)),
        Some(Value::String(text)) => {
            let text = text.trim();
            text.is_empty()
                || ["success", "ok", "0", "200"]
                    .iter()
                    .any(|word| text.eq_ignore_ascii_case(word))
        }
        Some(_) => false,
    }
}

/// Follows `path` (object keys) from `value`.
pub(crate) fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter()
        .try_fold(value, |value, key| value.as_object()?.get(*key))
}
