//! What a create request must be: valid against the request schema of the embedded
//! openapi.yaml, then within the API's rules (`anyfast_video_api::validate`).

use std::sync::LazyLock;

use anyfast_video_api::{types, validate};
use jsonschema::error::ValidationErrorKind;
use serde_json::{Value, json};

/// The repository's openapi.yaml, converted to JSON Schema terms at build time.
const SPEC: &str = include_str!(concat!(env!("OUT_DIR"), "/openapi.json"));

/// Where the create request's schema sits in the spec.
const REQUEST_SCHEMA: &str =
    "#/paths/~1v1~1video~1generations/post/requestBody/content/application~1json/schema";

static REQUEST_VALIDATOR: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let mut root: Value = serde_json::from_str(SPEC).expect("the embedded spec is JSON");
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    root["$ref"] = json!(REQUEST_SCHEMA);
    jsonschema::validator_for(&root).expect("the request schema compiles")
});

/// Why a request was refused: the field (a path such as `content[1].role`) and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejection {
    pub field: String,
    pub message: String,
    /// The upstream code the service uses for it: `InvalidParameter` or `MissingParameter`.
    pub code: &'static str,
}

/// Parses and checks a create body.
pub(crate) fn check_create(body: &[u8]) -> Result<types::CreateVideoGenerationRequest, Rejection> {
    let invalid = |field: &str, message: String| Rejection {
        field: field.to_string(),
        message,
        code: "InvalidParameter",
    };
    if let Err(violation) = validate::check_body_size(body.len()) {
        return Err(invalid(&violation.field, violation.to_string()));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| invalid("body", format!("body: is not valid JSON ({error})")))?;
    if let Some(error) = REQUEST_VALIDATOR.iter_errors(&value).next() {
        let mut field = field_path(error.instance_path().as_str());
        let mut code = "InvalidParameter";
        if let ValidationErrorKind::Required { property } = error.kind() {
            let property = property.as_str().unwrap_or_default();
            field = if field.is_empty() {
                property.to_string()
            } else {
                format!("{field}.{property}")
            };
            code = "MissingParameter";
        }
        let shown = if field.is_empty() {
            "body".to_string()
        } else {
            field
        };
        return Err(Rejection {
            message: format!("{shown}: {error}"),
            field: shown,
            code,
        });
    }
    let request: types::CreateVideoGenerationRequest =
        serde_json::from_value(value).map_err(|error| invalid("body", format!("body: {error}")))?;
    validate::check_request(&request).map_err(|violations| {
        let field = violations
            .0
            .first()
            .map(|v| v.field.clone())
            .unwrap_or_default();
        invalid(&field, violations.to_string())
    })?;
    Ok(request)
}

/// `/content/1/role` → `content[1].role`.
fn field_path(pointer: &str) -> String {
    let mut path = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.bytes().all(|byte| byte.is_ascii_digit()) && !segment.is_empty() {
            path.push_str(&format!("[{segment}]"));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&segment);
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejection(body: Value) -> Rejection {
        check_create(body.to_string().as_bytes()).unwrap_err()
    }

    #[test]
    fn schema_violations_name_the_field() {
        let missing = rejection(json!({"content": [{"type": "text", "text": "a"}]}));
        assert_eq!(
            (missing.field.as_str(), missing.code),
            ("model", "MissingParameter")
        );

        let too_long = rejection(
            json!({"model": "seedance-fast", "content": [{"type": "text", "text": "a"}], "duration": 16}),
        );
        assert_eq!(too_long.field, "duration");
        assert!(
            too_long.message.contains("maximum of 15"),
            "{}",
            too_long.message
        );

        let bad_role = rejection(json!({"model": "seedance-fast", "content": [
            {"type": "image_url", "image_url": {"url": "https://e.com/a.png"}, "role": "reference_video"}
        ]}));
        assert_eq!(bad_role.field, "content[0]");

        let no_url = rejection(
            json!({"model": "seedance-fast", "content": [{"type": "image_url", "image_url": {}}]}),
        );
        assert_eq!(no_url.field, "content[0]");
    }

    #[test]
    fn the_apis_rules_apply_after_the_schema() {
        let audio_only = rejection(json!({"model": "seedance-fast", "content": [
            {"type": "audio_url", "audio_url": {"url": "https://e.com/a.mp3"}}
        ]}));
        assert_eq!(audio_only.field, "content");
        assert!(
            audio_only
                .message
                .contains("audio needs an image or a video"),
            "{}",
            audio_only.message
        );

        let zero = rejection(
            json!({"model": "seedance-fast", "content": [{"type": "text", "text": "a"}], "duration": 0}),
        );
        assert_eq!(zero.field, "duration");
    }

    #[test]
    fn not_json_is_refused_and_a_valid_request_passes() {
        let rejected = check_create(b"{\"model\":").unwrap_err();
        assert_eq!(rejected.field, "body");
        let request =
            check_create(br#"{"model":"seedance-2.0","content":[{"type":"text","text":"a"}]}"#)
                .unwrap();
        assert_eq!(request.duration, 5);
    }

    #[test]
    fn pointers_become_field_paths() {
        assert_eq!(field_path(""), "");
        assert_eq!(
            field_path("/content/1/image_url/url"),
            "content[1].image_url.url"
        );
    }
}
