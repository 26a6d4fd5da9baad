//! The spec that answers are held to: the repository's `openapi.yaml` as the generated client
//! embeds it (`anyfast_video_api::spec`), converted to JSON Schema terms when that client was
//! built, with one validator per schema.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::Validator;
use serde_json::{Value, json};

use crate::operation::Operation;

/// The converted document.
const CONVERTED: &str = anyfast_video_api::spec::JSON_SCHEMA;

/// The embedded spec.
pub struct Spec {
    document: Value,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

/// A response the spec declares for an operation: the key it is declared under (`200`,
/// `4XX`, `default`), and the response object (its `$ref` followed).
pub struct Response<'a> {
    /// `200`, `404`, `4XX` or `default`.
    pub key: String,
    /// A JSON pointer to the response object in the document.
    pub pointer: String,
    /// The response object.
    pub object: &'a Value,
}

impl Spec {
    /// The spec this crate was built with.
    pub fn embedded() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| Spec {
            document: serde_json::from_str(CONVERTED).expect("build.rs wrote JSON"),
            validators: Mutex::new(HashMap::new()),
        })
    }

    /// `info.version`.
    pub fn version(&self) -> &str {
        self.document["info"]["version"].as_str().unwrap_or("?")
    }

    /// The operation object of `operation`, and its pointer.
    fn operation(&self, operation: Operation) -> (String, &Value) {
        let pointer = format!(
            "/paths/{}/{}",
            escape(operation.path_template()),
            operation.method().to_ascii_lowercase()
        );
        let object = self.document.pointer(&pointer).unwrap_or(&Value::Null);
        (pointer, object)
    }

    /// The statuses the spec declares for `operation`, as written (`200`, `4XX`...).
    pub fn declared(&self, operation: Operation) -> Vec<String> {
        let (_, object) = self.operation(operation);
        object["responses"]
            .as_object()
            .map(|responses| responses.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The response the spec declares for `status`: the exact code, else its range (`4XX`),
    /// else `default`; as OpenAPI (and progenitor) choose.
    pub fn response(&self, operation: Operation, status: u16) -> Option<Response<'_>> {
        let (pointer, object) = self.operation(operation);
        let responses = object["responses"].as_object()?;
        let range = format!("{}XX", status / 100);
        let key = [status.to_string(), range, "default".to_string()]
            .into_iter()
            .find(|key| {
                responses.contains_key(key) || responses.contains_key(&key.to_ascii_lowercase())
            })?;
        let key_in_spec = if responses.contains_key(&key) {
            key.clone()
        } else {
            key.to_ascii_lowercase()
        };
        let declared_at = format!("{pointer}/responses/{}", escape(&key_in_spec));
        let (pointer, object) = self.follow(&declared_at);
        Some(Response {
            key,
            pointer,
            object,
        })
    }

    /// The value at `pointer`, its `$ref`s followed, and where it really is.
    pub fn follow(&self, pointer: &str) -> (String, &Value) {
        let mut pointer = pointer.to_string();
        let mut value = self.document.pointer(&pointer).unwrap_or(&Value::Null);
        // A chain of references ends; a loop of them would be a spec that does not compile.
        for _ in 0..16 {
            let Some(target) = value.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let Some(next) = target.strip_prefix('#') else {
                break;
            };
            pointer = next.to_string();
            value = self.document.pointer(&pointer).unwrap_or(&Value::Null);
        }
        (pointer, value)
    }

    /// The document's value at a pointer.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.document.pointer(pointer)
    }

    /// The validator of the schema at `pointer` (built once).
    pub fn validator(&self, pointer: &str) -> Arc<Validator> {
        let mut validators = self.validators.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(validator) = validators.get(pointer) {
            return validator.clone();
        }
        let mut root = self.document.clone();
        if let Some(object) = root.as_object_mut() {
            object.insert(
                "$schema".into(),
                json!("https://json-schema.org/draft/2020-12/schema"),
            );
            object.insert("$ref".into(), json!(uri_fragment(pointer)));
        }
        let validator =
            Arc::new(jsonschema::validator_for(&root).unwrap_or_else(|error| {
                panic!("the schema at {pointer} does not compile: {error}")
            }));
        validators.insert(pointer.to_string(), validator.clone());
        validator
    }
}

/// One segment of a JSON pointer (`/` as `~1`, `~` as `~0`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// A `#/json/pointer` percent-encoded where a URI fragment needs it (`{id}` is not valid
/// in one), for a `$ref`.
///
/// ```
/// use anyfast_video_contract::spec::uri_fragment;
///
/// assert_eq!(uri_fragment("/paths/~1v1~1x~1{id}/get"), "#/paths/~1v1~1x~1%7Bid%7D/get");
/// ```
pub fn uri_fragment(pointer: &str) -> String {
    let mut encoded = String::with_capacity(pointer.len() + 1);
    if !pointer.starts_with('#') {
        encoded.push('#');
    }
    for character in pointer.chars() {
        if character.is_ascii_alphanumeric() || "#/-._~!$&'()*+,;=:@".contains(character) {
            encoded.push(character);
        } else {
            let mut buffer = [0; 4];
            for byte in character.encode_utf8(&mut buffer).bytes() {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_probed_operation_is_in_the_spec_with_its_statuses() {
        let spec = Spec::embedded();
        for operation in Operation::ALL {
            let (_, object) = spec.operation(operation);
            assert_eq!(object["operationId"], operation.id(), "{operation}");
            assert!(spec.response(operation, 200).is_some(), "{operation}");
            let error = spec.response(operation, 418).expect("4XX is declared");
            assert_eq!(error.key, "4XX");
            assert!(error.pointer.starts_with("/components/responses/"));
        }
        assert_eq!(spec.response(Operation::GetTask, 404).unwrap().key, "404");
        assert!(spec.response(Operation::GetTask, 302).is_none());
    }
}
