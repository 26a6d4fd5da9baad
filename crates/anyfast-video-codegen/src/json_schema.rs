//! Turning an OpenAPI 3.0 document into one that JSON Schema (2020-12) validators read the
//! same way.

use serde_json::{Map, Value};

/// Rewrites the two OpenAPI 3.0 schema keywords that JSON Schema reads differently:
/// `nullable: true` (added as `"null"` to `type` and `enum`) and the boolean
/// `exclusiveMinimum`/`exclusiveMaximum` (made numeric). Examples are left untouched.
///
/// The result keeps every JSON pointer of the input valid, so a validator built on
/// `{"$ref": "#/components/schemas/X", ...converted document}` checks a value against `X`.
///
/// ```
/// let mut document = serde_json::json!({"components": {"schemas": {"N": {
///     "type": "string", "nullable": true, "example": {"nullable": true}
/// }}}});
/// anyfast_video_codegen::json_schema::convert(&mut document);
/// assert_eq!(
///     document["components"]["schemas"]["N"],
///     serde_json::json!({"type": ["string", "null"], "example": {"nullable": true}}),
/// );
/// ```
pub fn convert(document: &mut Value) {
    walk(document, false);
}

fn walk(value: &mut Value, is_property_map: bool) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|item| walk(item, false)),
        Value::Object(object) => {
            if !is_property_map {
                rewrite_schema_keywords(object);
            }
            for (key, child) in object.iter_mut() {
                let skip = !is_property_map && matches!(key.as_str(), "example" | "examples");
                if !skip {
                    walk(child, !is_property_map && key == "properties");
                }
            }
        }
        _ => {}
    }
}

fn rewrite_schema_keywords(object: &mut Map<String, Value>) {
    if object.remove("nullable") == Some(Value::Bool(true)) {
        if let Some(Value::String(single)) = object.get("type") {
            let single = single.clone();
            object.insert("type".into(), Value::from(vec![single, "null".to_string()]));
        }
        if let Some(Value::Array(values)) = object.get_mut("enum") {
            values.push(Value::Null);
        }
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Bool(exclusive)) = object.get(flag).cloned() {
            object.remove(flag);
            if exclusive && let Some(limit) = object.remove(bound) {
                object.insert(flag.into(), limit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn boolean_exclusive_bounds_become_numeric() {
        let mut schema = json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true,
                                "maximum": 9, "exclusiveMaximum": false});
        super::convert(&mut schema);
        assert_eq!(
            schema,
            json!({"type": "integer", "exclusiveMinimum": 0, "maximum": 9})
        );
    }

    #[test]
    fn a_property_named_like_a_keyword_is_not_rewritten() {
        let mut schema = json!({"type": "object", "properties": {
            "nullable": {"type": "boolean"},
            "example": {"type": "string", "nullable": true}
        }});
        super::convert(&mut schema);
        assert_eq!(
            schema,
            json!({"type": "object", "properties": {
                "nullable": {"type": "boolean"},
                "example": {"type": ["string", "null"]}
            }})
        );
    }
}
