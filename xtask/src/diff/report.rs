//! How changes are printed: one line each, or a JSON array.

use serde::Serialize;

use super::model::Change;

/// One element of the `--json` array, with its fields in this order.
#[derive(Serialize)]
struct Entry<'a> {
    location: &'a str,
    kind: &'static str,
    breaking: bool,
    detail: &'a str,
}

/// One line per change: `BREAKING  <location>: <detail>` or `ok        <location>: <detail>`.
pub fn text(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|change| {
            let label = if change.breaking { "BREAKING" } else { "ok" };
            format!("{label:<10}{}: {}\n", change.location, change.detail)
        })
        .collect()
}

/// A JSON array of `{location, kind, breaking, detail}` objects, pretty-printed.
pub fn json(changes: &[Change]) -> String {
    let entries: Vec<Entry<'_>> = changes
        .iter()
        .map(|change| Entry {
            location: &change.location,
            kind: change.kind.as_str(),
            breaking: change.breaking,
            detail: &change.detail,
        })
        .collect();
    serde_json::to_string_pretty(&entries).expect("plain strings and booleans always serialize")
}

/// A one-line count, such as `3 changes, 1 breaking`.
pub fn summary(changes: &[Change]) -> String {
    let breaking = changes.iter().filter(|change| change.breaking).count();
    match changes.len() {
        0 => "no changes".to_string(),
        1 => format!("1 change, {breaking} breaking"),
        count => format!("{count} changes, {breaking} breaking"),
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::{Change, Kind};

    fn changes() -> Vec<Change> {
        vec![
            Change::breaking("GET /a", Kind::OperationRemoved, "operation removed"),
            Change::compatible("info.version", Kind::Metadata, "changed from 1 to 2"),
        ]
    }

    #[test]
    fn text_has_one_aligned_line_per_change() {
        assert_eq!(
            super::text(&changes()),
            "BREAKING  GET /a: operation removed\nok        info.version: changed from 1 to 2\n"
        );
        assert_eq!(super::summary(&changes()), "2 changes, 1 breaking");
    }

    #[test]
    fn json_has_the_four_fields_in_order() {
        assert!(
            super::json(&changes()).starts_with(
                "[\n  {\n    \"location\": \"GET /a\",\n    \"kind\": \"operation_removed\",\n    \"breaking\": true,\n    \"detail\""
            ),
            "{}",
            super::json(&changes())
        );
        let parsed: serde_json::Value = serde_json::from_str(&super::json(&changes())).unwrap();
        assert_eq!(
            parsed[0],
            serde_json::json!({
                "location": "GET /a",
                "kind": "operation_removed",
                "breaking": true,
                "detail": "operation removed"
            })
        );
    }
}
