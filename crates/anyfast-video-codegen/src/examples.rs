//! Every example in the spec, with the schema it must satisfy.

use serde_json::Value;

/// One example found in the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// A JSON pointer to the example's value, for messages (`#/paths/.../examples/x/value`).
    pub location: String,
    /// A JSON pointer to the schema the example must satisfy.
    pub schema: String,
    /// The example's value.
    pub value: Value,
}

/// Lists every example in an OpenAPI 3.0 document (as JSON): the `example` and `examples` of
/// parameters, headers, request bodies and responses (inline or under `components`), and the
/// `example` of every schema and sub-schema.
///
/// ```
/// let document = serde_json::json!({"components": {"schemas": {"Id": {
///     "type": "string", "example": "cgt-1"
/// }}}});
/// let examples = anyfast_video_codegen::examples::collect(&document);
/// assert_eq!(examples[0].schema, "#/components/schemas/Id");
/// assert_eq!(examples[0].value, "cgt-1");
/// ```
pub fn collect(document: &Value) -> Vec<Example> {
    let mut found = Vec::new();
    visit(document, &mut String::from("#"), None, &mut found);
    found
}

/// What the value at the current pointer is, as far as examples are concerned.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A schema object: its `example` must satisfy it, its sub-schemas are visited.
    Schema,
    /// A parameter, header or media type object: its `schema` judges its examples.
    HasSchema,
}

fn visit(value: &Value, pointer: &mut String, kind: Option<Kind>, found: &mut Vec<Example>) {
    let Some(object) = value.as_object() else {
        if let Some(items) = value.as_array() {
            for (index, item) in items.iter().enumerate() {
                descend(item, pointer, &index.to_string(), kind, found);
            }
        }
        return;
    };
    if object.contains_key("$ref") {
        return;
    }
    match kind {
        Some(Kind::Schema) => {
            if let Some(example) = object.get("example") {
                found.push(Example {
                    location: format!("{pointer}/example"),
                    schema: pointer.clone(),
                    value: example.clone(),
                });
            }
            for (key, child) in object {
                let child_kind = match key.as_str() {
                    "properties" => {
                        for (name, property) in child.as_object().into_iter().flatten() {
                            let mut at = format!("{pointer}/properties");
                            descend(property, &mut at, name, Some(Kind::Schema), found);
                        }
                        continue;
                    }
                    "items" | "not" | "additionalProperties" | "oneOf" | "anyOf" | "allOf" => {
                        Some(Kind::Schema)
                    }
                    _ => continue,
                };
                descend(child, pointer, key, child_kind, found);
            }
        }
        Some(Kind::HasSchema) => {
            let schema = format!("{pointer}/schema");
            if let Some(example) = object.get("example") {
                found.push(Example {
                    location: format!("{pointer}/example"),
                    schema: schema.clone(),
                    value: example.clone(),
                });
            }
            for (name, named) in object
                .get("examples")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some(example) = named.get("value") {
                    found.push(Example {
                        location: format!("{pointer}/examples/{}/value", escape(name)),
                        schema: schema.clone(),
                        value: example.clone(),
                    });
                }
            }
            if let Some(child) = object.get("schema") {
                descend(child, pointer, "schema", Some(Kind::Schema), found);
            }
            for (name, header) in object
                .get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let mut at = format!("{pointer}/headers");
                descend(header, &mut at, name, Some(Kind::HasSchema), found);
            }
        }
        None => {
            for (key, child) in object {
                let child_kind = match key.as_str() {
                    "schemas" if pointer == "#/components" => {
                        for (name, schema) in child.as_object().into_iter().flatten() {
                            let mut at = format!("{pointer}/schemas");
                            descend(schema, &mut at, name, Some(Kind::Schema), found);
                        }
                        continue;
                    }
                    "content" | "headers" => {
                        for (name, media) in child.as_object().into_iter().flatten() {
                            let mut at = format!("{pointer}/{key}");
                            descend(media, &mut at, name, Some(Kind::HasSchema), found);
                        }
                        continue;
                    }
                    "parameters" => {
                        for (index, parameter) in child.as_array().into_iter().flatten().enumerate()
                        {
                            let mut at = format!("{pointer}/parameters");
                            descend(
                                parameter,
                                &mut at,
                                &index.to_string(),
                                Some(Kind::HasSchema),
                                found,
                            );
                        }
                        if pointer == "#/components" {
                            for (name, parameter) in child.as_object().into_iter().flatten() {
                                let mut at = format!("{pointer}/parameters");
                                descend(parameter, &mut at, name, Some(Kind::HasSchema), found);
                            }
                        }
                        continue;
                    }
                    "example" | "examples" | "info" | "servers" | "security" | "tags" => continue,
                    _ => None,
                };
                descend(child, pointer, key, child_kind, found);
            }
        }
    }
}

fn descend(
    value: &Value,
    pointer: &mut String,
    key: &str,
    kind: Option<Kind>,
    found: &mut Vec<Example>,
) {
    let length = pointer.len();
    pointer.push('/');
    pointer.push_str(&escape(key));
    visit(value, pointer, kind, found);
    pointer.truncate(length);
}

/// Escapes one JSON pointer segment (RFC 6901).
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn examples_of_media_types_parameters_headers_and_schemas_are_found() {
        let document = json!({
            "paths": {"/t/{id}": {"get": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}, "example": "a"}],
                "responses": {"200": {
                    "headers": {"Retry-After": {"schema": {"type": "integer"}, "example": 3}},
                    "content": {"application/json": {
                        "schema": {"type": "object", "properties": {"n": {"type": "integer", "example": 1}}},
                        "examples": {"one": {"value": {"n": 1}}}
                    }}
                }}
            }}},
            "components": {"schemas": {"E": {"oneOf": [{"type": "string", "example": "x"}]}}}
        });
        let mut found: Vec<_> = super::collect(&document)
            .into_iter()
            .map(|example| (example.location, example.schema))
            .collect();
        found.sort();
        let op = "#/paths/~1t~1{id}/get";
        let media = format!("{op}/responses/200/content/application~1json");
        let mut expected = vec![
            (
                format!("{op}/parameters/0/example"),
                format!("{op}/parameters/0/schema"),
            ),
            (
                format!("{op}/responses/200/headers/Retry-After/example"),
                format!("{op}/responses/200/headers/Retry-After/schema"),
            ),
            (
                format!("{media}/examples/one/value"),
                format!("{media}/schema"),
            ),
            (
                format!("{media}/schema/properties/n/example"),
                format!("{media}/schema/properties/n"),
            ),
            (
                "#/components/schemas/E/oneOf/0/example".to_string(),
                "#/components/schemas/E/oneOf/0".to_string(),
            ),
        ];
        expected.sort();
        assert_eq!(found, expected);
    }
}
