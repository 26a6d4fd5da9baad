//! Rules every operation of the spec must follow.

use std::collections::BTreeMap;

use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Operations without an `operationId` or a tag, and operationIds used twice.
pub fn problems(document: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let paths = document.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let name = format!("{} {path}", method.to_uppercase());
            match operation.get("operationId").and_then(Value::as_str) {
                None | Some("") => problems.push(format!("{name} has no operationId")),
                Some(id) => {
                    if let Some(first) = seen.insert(id.to_string(), name.clone()) {
                        problems.push(format!("{name} reuses the operationId {id:?} of {first}"));
                    }
                }
            }
            let tagged = operation
                .get("tags")
                .and_then(Value::as_array)
                .is_some_and(|tags| !tags.is_empty());
            if !tagged {
                problems.push(format!("{name} has no tag"));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_missing_or_duplicate_operation_id_and_a_missing_tag_are_reported() {
        let document = json!({"paths": {
            "/a": {"get": {"operationId": "same", "tags": ["t"]}, "post": {"tags": ["t"]}},
            "/b": {"get": {"operationId": "same"}}
        }});
        let problems = super::problems(&document);
        assert_eq!(
            problems,
            [
                "POST /a has no operationId",
                "GET /b reuses the operationId \"same\" of GET /a",
                "GET /b has no tag",
            ]
        );
    }
}
