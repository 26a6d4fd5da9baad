//! How changes are printed: grouped by operation as text, or as a JSON array.

use serde::Serialize;

use super::model::Change;

/// One element of the `--json` array, with its fields in this order.
#[derive(Serialize)]
struct Entry<'a> {
    rule: &'static str,
    operation: Option<&'a str>,
    location: &'a str,
    side: Option<&'static str>,
    wire: &'static str,
    code: &'static str,
    breaking: bool,
    detail: &'a str,
    why: &'static str,
}

/// The changes grouped by operation (the top of the document first, under `document`), in the
/// order found; one line each: the wire verdict, the code verdict, where (after the
/// operation), what, and the rule's id.
///
/// ```text
/// POST /tasks
///   wire breaking  code ok        request body.size: enum value "small" removed [request-enum-value-removed]
/// ```
pub fn text(changes: &[Change]) -> String {
    let mut groups: Vec<(Option<&str>, Vec<&Change>)> = Vec::new();
    for change in changes {
        let operation = change.operation.as_deref();
        match groups.iter_mut().find(|(group, _)| *group == operation) {
            Some((_, members)) => members.push(change),
            None => groups.push((operation, vec![change])),
        }
    }
    groups.sort_by_key(|(operation, _)| operation.is_some());
    let mut output = String::new();
    for (operation, members) in groups {
        output.push_str(operation.unwrap_or("document"));
        output.push('\n');
        for change in members {
            let location = operation
                .and_then(|operation| change.location.strip_prefix(operation))
                .map(str::trim_start)
                .filter(|rest| !rest.is_empty())
                .unwrap_or(&change.location);
            output.push_str(&format!(
                "  {:<15}{:<15}{location}: {} [{}]\n",
                format!("wire {}", change.wire),
                format!("code {}", change.code),
                change.detail,
                change.rule.id
            ));
        }
    }
    output
}

/// A JSON array of `{rule, operation, location, side, wire, code, breaking, detail, why}`
/// objects, pretty-printed: `wire` and `code` are `ok`, `breaking` or `review`; `breaking` is
/// whether the default `--fail-on` fails on the change; `why` is the rule's sentence.
pub fn json(changes: &[Change]) -> String {
    let entries: Vec<Entry<'_>> = changes
        .iter()
        .map(|change| Entry {
            rule: change.rule.id,
            operation: change.operation.as_deref(),
            location: &change.location,
            side: change.side.map(|side| side.as_str()),
            wire: change.wire.as_str(),
            code: change.code.as_str(),
            breaking: change.breaking,
            detail: &change.detail,
            why: change.rule.sentence,
        })
        .collect();
    serde_json::to_string_pretty(&entries).expect("plain strings and booleans always serialize")
}

/// A one-line count, such as `3 changes: 1 breaking on the wire, 2 in the code, 0 for review`.
pub fn summary(changes: &[Change]) -> String {
    use super::model::Verdict;
    let count =
        |test: &dyn Fn(&Change) -> bool| changes.iter().filter(|change| test(change)).count();
    let wire = count(&|change| change.wire == Verdict::Breaks);
    let code = count(&|change| change.code == Verdict::Breaks);
    let review = count(&|change| change.wire == Verdict::Review || change.code == Verdict::Review);
    let total = match changes.len() {
        0 => return "no changes".to_string(),
        1 => "1 change".to_string(),
        count => format!("{count} changes"),
    };
    format!("{total}: {wire} breaking on the wire, {code} in the code, {review} for review")
}

#[cfg(test)]
mod tests {
    use crate::diff::Change;
    use crate::diff::rules;

    fn changes() -> Vec<Change> {
        let mut removed = Change::new(&rules::OPERATION_REMOVED, "GET /a", "removed");
        removed.operation = Some("GET /a".to_string());
        vec![
            Change::new(
                &rules::METADATA_CHANGED,
                "info.version",
                "changed from 1 to 2",
            ),
            removed,
        ]
    }

    #[test]
    fn text_groups_by_operation_with_both_verdicts_and_the_rule() {
        assert_eq!(
            super::text(&changes()),
            "document\n  wire ok        code ok        info.version: changed from 1 to 2 [metadata-changed]\n\
             GET /a\n  wire breaking  code breaking  GET /a: removed [operation-removed]\n"
        );
        assert_eq!(
            super::summary(&changes()),
            "2 changes: 1 breaking on the wire, 1 in the code, 0 for review"
        );
    }

    #[test]
    fn json_has_the_rule_and_both_verdicts() {
        let parsed: serde_json::Value = serde_json::from_str(&super::json(&changes())).unwrap();
        assert_eq!(
            parsed[1],
            serde_json::json!({
                "rule": "operation-removed",
                "operation": "GET /a",
                "location": "GET /a",
                "side": null,
                "wire": "breaking",
                "code": "breaking",
                "breaking": true,
                "detail": "removed",
                "why": rules::OPERATION_REMOVED.sentence
            })
        );
    }
}
