//! `$ref` resolution inside one document.

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// Longest `$ref` chain followed; anything longer is taken for a cycle.
const MAX_CHAIN: usize = 32;

/// A node with its `$ref`s followed.
#[derive(Clone, Copy, Debug)]
pub struct Resolved<'a> {
    /// The node the chain ends at (it has no `$ref`).
    pub value: &'a Value,
    /// The last `$ref` followed (`#/components/schemas/Task`), if any.
    pub reference: Option<&'a str>,
}

/// Follows local `$ref`s (`#/...`) from `node` until a node without one.
///
/// Siblings of a `$ref` are ignored, as OpenAPI 3.0 says they are.
pub fn follow<'a>(document: &'a Value, node: &'a Value) -> Result<Resolved<'a>> {
    let mut resolved = Resolved {
        value: node,
        reference: None,
    };
    for _ in 0..MAX_CHAIN {
        let Some(target) = resolved.value.get("$ref").and_then(Value::as_str) else {
            return Ok(resolved);
        };
        resolved = Resolved {
            value: target_of(document, target)?,
            reference: Some(target),
        };
    }
    bail!(
        "the $ref chain through {reference:?} does not end",
        reference = resolved.reference
    )
}

/// Follows `$ref`s of an optional node.
pub fn follow_optional<'a>(
    document: &'a Value,
    node: Option<&'a Value>,
) -> Result<Option<&'a Value>> {
    node.map(|node| follow(document, node).map(|resolved| resolved.value))
        .transpose()
}

/// A copy of `node` with every `$ref` inside it replaced by its target, for comparing values
/// such as `examples` whose meaning does not depend on where they are kept.
///
/// A cyclic reference is left as the `$ref` once the depth limit is reached.
pub fn inline(document: &Value, node: &Value) -> Result<Value> {
    inline_at_depth(document, node, 0)
}

fn inline_at_depth(document: &Value, node: &Value, depth: usize) -> Result<Value> {
    if depth > MAX_CHAIN {
        return Ok(node.clone());
    }
    if let Some(target) = node.get("$ref").and_then(Value::as_str) {
        return inline_at_depth(document, target_of(document, target)?, depth + 1);
    }
    Ok(match node {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| Ok((key.clone(), inline_at_depth(document, value, depth + 1)?)))
                .collect::<Result<_>>()?,
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| inline_at_depth(document, item, depth + 1))
                .collect::<Result<_>>()?,
        ),
        scalar => scalar.clone(),
    })
}

fn target_of<'a>(document: &'a Value, target: &str) -> Result<&'a Value> {
    let Some(pointer) = target.strip_prefix('#') else {
        bail!("the $ref {target:?} points into another file, which diff does not follow");
    };
    document
        .pointer(pointer)
        .with_context(|| format!("the $ref {target:?} points to nothing"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_chain_of_refs_is_followed_to_its_end_and_the_last_ref_is_kept() {
        let document = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string"}
        }}});
        let node = json!({"$ref": "#/components/schemas/A"});
        let resolved = super::follow(&document, &node).unwrap();
        assert_eq!(resolved.value, &json!({"type": "string"}));
        assert_eq!(resolved.reference, Some("#/components/schemas/B"));
    }

    #[test]
    fn dangling_external_and_cyclic_refs_are_errors() {
        let document = json!({"components": {"schemas": {
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}});
        for (target, expected) in [
            ("#/components/schemas/Nothing", "points to nothing"),
            ("other.yaml#/Task", "another file"),
            ("#/components/schemas/Loop", "does not end"),
        ] {
            let node = json!({"$ref": target});
            let error = super::follow(&document, &node).unwrap_err().to_string();
            assert!(error.contains(expected), "{target}: {error}");
        }
    }

    #[test]
    fn inline_replaces_nested_refs() {
        let document = json!({"components": {"examples": {"E": {"value": 1}}}});
        let node = json!({"first": {"$ref": "#/components/examples/E"}});
        let inlined = super::inline(&document, &node).unwrap();
        assert_eq!(inlined, json!({"first": {"value": 1}}));
    }
}
