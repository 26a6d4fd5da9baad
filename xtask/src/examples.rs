//! Every example in the spec must validate against its own schema.

use anyfast_video_codegen::{examples, json_schema};
use anyfast_video_contract::spec::uri_fragment;
use anyhow::{Context, Result};
use serde_json::{Value, json};

/// One problem per example that its schema rejects.
pub fn problems(document: &Value) -> Result<Vec<String>> {
    let mut converted = document.clone();
    json_schema::convert(&mut converted);
    let mut problems = Vec::new();
    for example in examples::collect(document) {
        let mut root = converted.clone();
        let object = root
            .as_object_mut()
            .context("openapi.yaml is not a mapping")?;
        object.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        object.insert("$ref".into(), json!(uri_fragment(&example.schema)));
        let validator = jsonschema::validator_for(&root)
            .with_context(|| format!("the schema at {} does not compile", example.schema))?;
        let errors: Vec<String> = validator
            .iter_errors(&example.value)
            .map(|error| format!("  - at {:?}: {error}", error.instance_path().as_str()))
            .collect();
        if !errors.is_empty() {
            problems.push(format!(
                "the example at {} does not validate against {}:\n{}",
                example.location,
                example.schema,
                errors.join("\n")
            ));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn document(example: serde_json::Value) -> serde_json::Value {
        json!({"components": {"schemas": {
            "Task": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "progress": {"type": "integer", "minimum": 0, "nullable": true}
            }, "example": example}
        }}})
    }

    #[test]
    fn a_valid_example_passes_and_nullable_is_understood() {
        let problems = super::problems(&document(json!({"id": "a", "progress": null}))).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn an_invalid_example_is_reported_with_where_and_why() {
        let problems = super::problems(&document(json!({"progress": -1}))).unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("#/components/schemas/Task/example"),
            "{}",
            problems[0]
        );
        assert!(
            problems[0].contains("\"id\" is a required property"),
            "{}",
            problems[0]
        );
        assert!(problems[0].contains("minimum of 0"), "{}", problems[0]);
    }
}
