//! Places in a JSON document, written the way people read them (`$.data[0].created`), and the
//! short form of a value for a report.

use serde_json::Value;

/// A JSON pointer (`/data/0/created`, as validators report it) written as a JSON path
/// (`$.data[0].created`). Array indices are the pointer's numeric segments; keys that are not
/// plain words are quoted (`$["x-y"]`).
///
/// ```
/// use anyfast_video_contract::json_path::from_pointer;
///
/// assert_eq!(from_pointer(""), "$");
/// assert_eq!(from_pointer("/data/0/created"), "$.data[0].created");
/// assert_eq!(from_pointer("/error/x-y"), "$.error[\"x-y\"]");
/// assert_eq!(from_pointer("/a~1b/c~0d"), "$[\"a/b\"][\"c~d\"]");
/// ```
pub fn from_pointer(pointer: &str) -> String {
    let mut path = String::from("$");
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        push_segment(&mut path, &segment);
    }
    path
}

/// `path` with one more key or index.
pub fn child(path: &str, segment: &str) -> String {
    let mut path = path.to_string();
    push_segment(&mut path, segment);
    path
}

fn push_segment(path: &mut String, segment: &str) {
    let is_index = !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit());
    let is_word = segment
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if is_index {
        path.push_str(&format!("[{segment}]"));
    } else if is_word {
        path.push('.');
        path.push_str(segment);
    } else {
        path.push_str(&format!("[{}]", Value::String(segment.to_string())));
    }
}

/// The JSON type of a value, as JSON Schema names it.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A value in a report: its JSON, cut to `limit` characters, and its type
/// (`"1777000000" (a string)`).
pub fn describe(value: &Value, limit: usize) -> String {
    let text = value.to_string();
    let shown = if text.chars().count() > limit {
        let cut: String = text.chars().take(limit).collect();
        format!("{cut}…")
    } else {
        text
    };
    let article = match type_name(value) {
        "integer" | "array" | "object" => "an",
        _ => "a",
    };
    format!("{shown} ({article} {})", type_name(value))
}
