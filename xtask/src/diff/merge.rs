//! `allOf`, merged: a value must satisfy every part, so the parts are folded into one schema
//! (properties joined, `required` united, bounds the stricter, enums intersected) and compared
//! as that schema. An `allOf` inlined, or split into parts, is then no change.
//!
//! Parts whose keywords cannot be folded (two different `type`s, two different patterns, ...)
//! stay in an `allOf` of what is left, compared by position.

use std::borrow::Cow;

use anyhow::Result;
use serde_json::{Map, Value};

use super::resolve;

/// Deepest `allOf` inside `allOf` merged; a schema that includes itself stops there.
const MAX_DEPTH: usize = 16;

/// `schema` with its `allOf` folded in, or `schema` itself when it has none.
pub fn all_of<'v>(document: &'v Value, schema: &'v Value) -> Result<Cow<'v, Value>> {
    if schema.get("allOf").is_none() {
        return Ok(Cow::Borrowed(schema));
    }
    Ok(Cow::Owned(merged(document, schema, 0)?))
}

fn merged(document: &Value, schema: &Value, depth: usize) -> Result<Value> {
    let Some(map) = schema.as_object() else {
        return Ok(schema.clone());
    };
    let Some(parts) = map.get("allOf").and_then(Value::as_array) else {
        return Ok(schema.clone());
    };
    if depth > MAX_DEPTH {
        return Ok(schema.clone());
    }
    let mut target = map.clone();
    target.remove("allOf");
    let mut left = Vec::new();
    for part in parts {
        let part = resolve::follow(document, part)?.value;
        let part = merged(document, part, depth + 1)?;
        match part.as_object() {
            Some(part) => {
                let rest = fold(&mut target, part);
                if !rest.is_empty() {
                    left.push(Value::Object(rest));
                }
            }
            None => left.push(part),
        }
    }
    if !left.is_empty() {
        target.insert("allOf".to_string(), Value::Array(left));
    }
    Ok(Value::Object(target))
}

/// Folds `part` into `target`, and returns the keywords that could not be folded.
fn fold(target: &mut Map<String, Value>, part: &Map<String, Value>) -> Map<String, Value> {
    let mut rest = Map::new();
    for (key, value) in part {
        let Some(existing) = target.get(key) else {
            target.insert(key.clone(), value.clone());
            continue;
        };
        if existing == value {
            continue;
        }
        let folded = match key.as_str() {
            "properties" => Some(properties(existing, value)),
            "required" => Some(united(existing, value)),
            "enum" => Some(intersected(existing, value)),
            "minimum" | "minLength" | "minItems" | "minProperties" | "exclusiveMinimum"
                if existing.is_number() && value.is_number() =>
            {
                Some(larger(existing, value))
            }
            "maximum" | "maxLength" | "maxItems" | "maxProperties" | "exclusiveMaximum"
                if existing.is_number() && value.is_number() =>
            {
                Some(smaller(existing, value))
            }
            // Documentation: the first part's stays.
            "description" | "title" | "example" | "examples" | "externalDocs" | "$comment" => {
                continue;
            }
            _ => None,
        };
        match folded {
            Some(folded) => {
                target.insert(key.clone(), folded);
            }
            None => {
                rest.insert(key.clone(), value.clone());
            }
        }
    }
    rest
}

/// Properties of both parts; one named in both must satisfy both schemas.
fn properties(existing: &Value, value: &Value) -> Value {
    let mut joined = existing.as_object().cloned().unwrap_or_default();
    for (name, schema) in value.as_object().into_iter().flatten() {
        let both = match joined.get(name) {
            Some(first) if first != schema => {
                serde_json::json!({"allOf": [first.clone(), schema.clone()]})
            }
            _ => schema.clone(),
        };
        joined.insert(name.clone(), both);
    }
    Value::Object(joined)
}

fn united(existing: &Value, value: &Value) -> Value {
    let mut names: Vec<Value> = existing.as_array().cloned().unwrap_or_default();
    for name in value.as_array().into_iter().flatten() {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    Value::Array(names)
}

fn intersected(existing: &Value, value: &Value) -> Value {
    let other = value.as_array().cloned().unwrap_or_default();
    let kept = existing
        .as_array()
        .into_iter()
        .flatten()
        .filter(|item| other.contains(item))
        .cloned()
        .collect();
    Value::Array(kept)
}

fn larger(a: &Value, b: &Value) -> Value {
    if a.as_f64() >= b.as_f64() {
        a.clone()
    } else {
        b.clone()
    }
}

fn smaller(a: &Value, b: &Value) -> Value {
    if a.as_f64() <= b.as_f64() {
        a.clone()
    } else {
        b.clone()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn parts_are_folded_and_refs_followed() {
        let document = json!({"components": {"schemas": {"Base": {
            "type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}
        }}}});
        let schema = json!({"allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
        ]});
        let merged = super::all_of(&document, &schema).unwrap().into_owned();
        assert_eq!(
            merged,
            json!({
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}}
            })
        );
    }

    #[test]
    fn conflicting_parts_stay_in_an_all_of() {
        let schema = json!({"allOf": [{"type": "string"}, {"type": "number"}]});
        let merged = super::all_of(&json!({}), &schema).unwrap().into_owned();
        assert_eq!(
            merged,
            json!({"type": "string", "allOf": [{"type": "number"}]})
        );
    }
}
