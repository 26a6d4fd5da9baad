//! What a request body must be: valid against its operation's schema in the embedded
//! openapi.yaml, then, for a create, within the API's rules (`anyfast_video_api::validate`):
//! `check_create` for every family of `POST /v1/video/generations`, `check_kling` for Kling's
//! routes.

use std::sync::LazyLock;

use anyfast_video_api::validate::{CreateBody, KlingAction};
use anyfast_video_api::{types, validate};
use jsonschema::error::ValidationErrorKind;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The repository's openapi.yaml, converted to JSON Schema terms when the client was built.
const SPEC: &str = anyfast_video_api::spec::JSON_SCHEMA;

/// A request body the spec describes, by operation (and, for an upload, content type).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RequestSchema {
    /// `create_video_generation`: the union of the families' bodies.
    Create,
    /// One family's body of `create_video_generation`, by its component's name.
    CreateBody(CreateBody),
    /// `create_asset_group`.
    CreateAssetGroup,
    /// `create_asset` as JSON.
    CreateAsset,
    /// `create_asset` as multipart/form-data (its text fields, and the file as a string).
    CreateAssetUpload,
    /// `get_asset`.
    GetAsset,
    /// `delete_asset`.
    DeleteAsset,
    /// `list_assets`.
    ListAssets,
    /// One of Kling's creates (`create_kling_text2video`, ...).
    Kling(KlingAction),
}

impl RequestSchema {
    /// Where the schema sits in the spec: under the operation itself, so that the mock
    /// follows whatever the operation's body refers to.
    fn pointer(self) -> &'static str {
        match self {
            RequestSchema::Create => {
                "#/paths/~1v1~1video~1generations/post/requestBody/content/application~1json/schema"
            }
            RequestSchema::CreateBody(CreateBody::Seedance) => {
                "#/components/schemas/SeedanceVideoRequest"
            }
            RequestSchema::CreateBody(CreateBody::Wan) => "#/components/schemas/WanVideoRequest",
            RequestSchema::CreateBody(CreateBody::HappyHorse) => {
                "#/components/schemas/HappyHorseVideoRequest"
            }
            RequestSchema::CreateBody(CreateBody::HappyHorseEdit) => {
                "#/components/schemas/HappyHorseVideoEditRequest"
            }
            RequestSchema::CreateAssetGroup => {
                "#/paths/~1volc~1asset~1CreateAssetGroup/post/requestBody/content/application~1json/schema"
            }
            RequestSchema::CreateAsset => {
                "#/paths/~1volc~1asset~1CreateAsset/post/requestBody/content/application~1json/schema"
            }
            RequestSchema::CreateAssetUpload => {
                "#/paths/~1volc~1asset~1CreateAsset/post/requestBody/content/multipart~1form-data/schema"
            }
            RequestSchema::GetAsset => {
                "#/paths/~1volc~1asset~1GetAsset/post/requestBody/content/application~1json/schema"
            }
            RequestSchema::DeleteAsset => {
                "#/paths/~1volc~1asset~1DeleteAsset/post/requestBody/content/application~1json/schema"
            }
            RequestSchema::ListAssets => {
                "#/paths/~1volc~1asset~1ListAssets/post/requestBody/content/application~1json/schema"
            }
            RequestSchema::Kling(KlingAction::Text2Video) => {
                "#/paths/~1kling~1v1~1videos~1text2video/post/requestBody/content/application~1json/schema"
            }
            RequestSchema::Kling(KlingAction::Image2Video) => {
                "#/paths/~1kling~1v1~1videos~1image2video/post/requestBody/content/application~1json/schema"
            }
            RequestSchema::Kling(KlingAction::MultiImage2Video) => {
                "#/paths/~1kling~1v1~1videos~1multi-image2video/post/requestBody/content/application~1json/schema"
            }
            RequestSchema::Kling(_) => {
                "#/paths/~1kling~1v1~1videos~1omni-video/post/requestBody/content/application~1json/schema"
            }
        }
    }

    fn validator(self) -> &'static jsonschema::Validator {
        static CREATE: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::Create));
        static SEEDANCE: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::CreateBody(CreateBody::Seedance)));
        static WAN: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::CreateBody(CreateBody::Wan)));
        static HAPPYHORSE: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::CreateBody(CreateBody::HappyHorse)));
        static HAPPYHORSE_EDIT: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::CreateBody(CreateBody::HappyHorseEdit)));
        static CREATE_ASSET_GROUP: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::CreateAssetGroup));
        static CREATE_ASSET: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::CreateAsset));
        static CREATE_ASSET_UPLOAD: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::CreateAssetUpload));
        static GET_ASSET: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::GetAsset));
        static DELETE_ASSET: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::DeleteAsset));
        static LIST_ASSETS: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::ListAssets));
        static KLING_T2V: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::Kling(KlingAction::Text2Video)));
        static KLING_I2V: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::Kling(KlingAction::Image2Video)));
        static KLING_MI2V: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::Kling(KlingAction::MultiImage2Video)));
        static KLING_OMNI: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| compile(RequestSchema::Kling(KlingAction::OmniVideo)));
        match self {
            RequestSchema::Create => &CREATE,
            RequestSchema::CreateBody(CreateBody::Seedance) => &SEEDANCE,
            RequestSchema::CreateBody(CreateBody::Wan) => &WAN,
            RequestSchema::CreateBody(CreateBody::HappyHorse) => &HAPPYHORSE,
            RequestSchema::CreateBody(CreateBody::HappyHorseEdit) => &HAPPYHORSE_EDIT,
            RequestSchema::CreateAssetGroup => &CREATE_ASSET_GROUP,
            RequestSchema::CreateAsset => &CREATE_ASSET,
            RequestSchema::CreateAssetUpload => &CREATE_ASSET_UPLOAD,
            RequestSchema::GetAsset => &GET_ASSET,
            RequestSchema::DeleteAsset => &DELETE_ASSET,
            RequestSchema::ListAssets => &LIST_ASSETS,
            RequestSchema::Kling(KlingAction::Text2Video) => &KLING_T2V,
            RequestSchema::Kling(KlingAction::Image2Video) => &KLING_I2V,
            RequestSchema::Kling(KlingAction::MultiImage2Video) => &KLING_MI2V,
            RequestSchema::Kling(_) => &KLING_OMNI,
        }
    }
}

/// The whole spec as the root of a JSON Schema whose `$ref` is the operation's body schema,
/// so that the references inside resolve.
fn compile(schema: RequestSchema) -> jsonschema::Validator {
    compile_pointer(schema.pointer())
}

/// A validator of the schema at `pointer` in the spec.
fn compile_pointer(pointer: &str) -> jsonschema::Validator {
    let mut root: Value = serde_json::from_str(SPEC).expect("the embedded spec is JSON");
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    root["$ref"] = json!(pointer);
    jsonschema::validator_for(&root).expect("the schema compiles")
}

/// The schema of the create's `Idempotency-Key` header, found by name among the operation's
/// parameters.
static IDEMPOTENCY_KEY: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let spec: Value = serde_json::from_str(SPEC).expect("the embedded spec is JSON");
    let parameters = spec["paths"]["/v1/video/generations"]["post"]["parameters"]
        .as_array()
        .expect("the create has parameters");
    let index = parameters
        .iter()
        .position(|parameter| parameter["name"] == "Idempotency-Key")
        .expect("the create documents Idempotency-Key");
    let pointer = format!("#/paths/~1v1~1video~1generations/post/parameters/{index}/schema");
    compile_pointer(&pointer)
});

/// Checks the create's `Idempotency-Key` header, when one came, against its schema in the spec.
pub(crate) fn check_idempotency_key(
    value: Option<&axum::http::HeaderValue>,
) -> Result<(), Rejection> {
    const FIELD: &str = "Idempotency-Key";
    let Some(value) = value else {
        return Ok(());
    };
    let text = value
        .to_str()
        .map_err(|_| Rejection::invalid(FIELD, "must be visible ASCII text"))?;
    match IDEMPOTENCY_KEY.iter_errors(&json!(text)).next() {
        Some(error) => Err(Rejection::invalid(FIELD, error)),
        None => Ok(()),
    }
}

/// Why a request was refused: the field (a path such as `content[1].role`) and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejection {
    pub field: String,
    pub message: String,
    /// The upstream code the service uses for it: `InvalidParameter` or `MissingParameter`.
    pub code: &'static str,
}

impl Rejection {
    /// An `InvalidParameter` refusal of `field`: the message is the field, then `why`.
    pub fn invalid(field: &str, why: impl std::fmt::Display) -> Rejection {
        Rejection {
            field: field.to_string(),
            message: format!("{field}: {why}"),
            code: "InvalidParameter",
        }
    }
}

impl From<validate::Violation> for Rejection {
    fn from(violation: validate::Violation) -> Rejection {
        Rejection::invalid(&violation.field, &violation.rule)
    }
}

/// Parses a JSON body, checks it against `schema`, and reads it as the generated type.
pub(crate) fn check_json<T: DeserializeOwned>(
    schema: RequestSchema,
    body: &[u8],
) -> Result<T, Rejection> {
    let value = parse_json(body)?;
    check_schema(schema, &value)?;
    serde_json::from_value(value).map_err(|error| Rejection::invalid("body", error))
}

/// A body as JSON, or the refusal of one that is not.
pub(crate) fn parse_json(body: &[u8]) -> Result<Value, Rejection> {
    serde_json::from_slice(body)
        .map_err(|error| Rejection::invalid("body", format!("is not valid JSON ({error})")))
}

/// Checks `value` against the spec's schema of `schema`, naming the first field it breaks.
pub(crate) fn check_schema(schema: RequestSchema, value: &Value) -> Result<(), Rejection> {
    let Some(error) = schema.validator().iter_errors(value).next() else {
        return Ok(());
    };
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
    Err(Rejection {
        message: format!("{shown}: {error}"),
        field: shown,
        code,
    })
}

/// Parses and checks a body of `POST /v1/video/generations`, of any family: the schema of the
/// family's body that its model id chooses (so that a refusal names the field), then the
/// operation's own schema (the union, which refuses a body that is not exactly one family's),
/// then `validate::check_create` (the family's rules).
pub(crate) fn check_create(body: &[u8]) -> Result<types::CreateVideoGenerationRequest, Rejection> {
    validate::check_body_size(body.len())?;
    let value = parse_json(body)?;
    let model = value
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or_default();
    check_schema(
        RequestSchema::CreateBody(CreateBody::of_model(model)),
        &value,
    )?;
    check_schema(RequestSchema::Create, &value)?;
    let request = validate::create_request_from_json(value)
        .map_err(|error| Rejection::invalid("body", error))?;
    validate::check_create(&request).map_err(refusal)?;
    Ok(request)
}

/// Parses and checks a body of one of Kling's create routes: its schema, then
/// `validate::check_kling`. The body is kept as JSON, as sent.
pub(crate) fn check_kling_create(action: KlingAction, body: &[u8]) -> Result<Value, Rejection> {
    validate::check_body_size(body.len())?;
    let value = parse_json(body)?;
    check_schema(RequestSchema::Kling(action), &value)?;
    validate::check_kling(action, &value).map_err(refusal)?;
    // The integer formats (`int32`, `int64`) JSON Schema does not check: the generated type
    // does.
    let typed = match action {
        KlingAction::Text2Video => {
            serde_json::from_value::<types::KlingText2VideoRequest>(value.clone()).map(drop)
        }
        KlingAction::Image2Video => {
            serde_json::from_value::<types::KlingImage2VideoRequest>(value.clone()).map(drop)
        }
        KlingAction::MultiImage2Video => {
            serde_json::from_value::<types::KlingMultiImage2VideoRequest>(value.clone()).map(drop)
        }
        _ => serde_json::from_value::<types::KlingOmniVideoRequest>(value.clone()).map(drop),
    };
    typed.map_err(|error| Rejection::invalid("body", error))?;
    Ok(value)
}

/// The refusal of every broken rule, named by the first one's field.
fn refusal(violations: validate::Violations) -> Rejection {
    let field = violations
        .0
        .first()
        .map(|v| v.field.clone())
        .unwrap_or_default();
    let code = match violations.0.first().map(|v| &v.rule) {
        Some(validate::Rule::Required | validate::Rule::RequiredFor { .. }) => "MissingParameter",
        _ => "InvalidParameter",
    };
    Rejection {
        field,
        message: violations.to_string(),
        code,
    }
}

/// Checks that the integer `field` of `body`, when there is one, fits the spec's
/// `format: int32`, which JSON Schema does not check.
pub(crate) fn check_int32(body: &Value, field: &str) -> Result<(), Rejection> {
    let Some(Value::Number(number)) = body.get(field) else {
        return Ok(());
    };
    let fits = match number.as_i64() {
        Some(whole) => i32::try_from(whole).is_ok(),
        // Beyond i64, or a float: a float is left to the type's own check.
        None => number.as_u64().is_none(),
    };
    if fits {
        return Ok(());
    }
    Err(Rejection::invalid(
        field,
        validate::Rule::OutOfRange {
            min: i32::MIN.into(),
            max: i32::MAX.into(),
        },
    ))
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
        let types::CreateVideoGenerationRequest::SeedanceVideoRequest(request) = request else {
            panic!("a Seedance body: {request:?}");
        };
        assert_eq!(request.duration, None);
    }

    #[test]
    fn every_family_is_checked_with_its_own_schema_and_rules() {
        let wan = check_create(br#"{"model":"wan2.2-i2v-a14b","prompt":"p"}"#).unwrap_err();
        assert_eq!(
            (wan.field.as_str(), wan.code),
            ("image", "MissingParameter")
        );
        let lite = rejection(json!({"model": "doubao-seedance-1-0-lite-t2v-250428",
            "content": [{"type": "text", "text": "a"}], "duration": 13}));
        assert_eq!(lite.field, "duration");
        assert!(lite.message.contains("2 to 12 seconds"), "{}", lite.message);
        let horse = rejection(json!({"model": "happyhorse-1.0-i2v", "prompt": "p",
            "image": "https://e.com/a.png", "resolution": "480P"}));
        assert_eq!(horse.field, "resolution");
        // A Wan id with the Seedance body is read as a Wan body (its model chooses), which
        // lacks its prompt.
        let mixed = rejection(json!({"model": "wan2.2-t2v-a14b",
            "content": [{"type": "text", "text": "a"}]}));
        assert_eq!(mixed.field, "prompt", "{}", mixed.message);

        let kling = |action, body: Value| check_kling_create(action, body.to_string().as_bytes());
        assert!(kling(KlingAction::Text2Video, json!({"prompt": "a cat"})).is_ok());
        let missing = kling(KlingAction::Text2Video, json!({"duration": "5"})).unwrap_err();
        assert_eq!(
            (missing.field.as_str(), missing.code),
            ("prompt", "MissingParameter")
        );
        let seven = kling(
            KlingAction::MultiImage2Video,
            json!({"prompt": "p", "image_list": [{"image": "a"}], "duration": "7"}),
        )
        .unwrap_err();
        assert_eq!(seven.field, "duration");
        let no_image = kling(KlingAction::Image2Video, json!({"prompt": "p"})).unwrap_err();
        assert_eq!(no_image.field, "image");
        // An integer beyond its format's range (which JSON Schema leaves alone) is refused.
        let index = json!({"prompt": "p", "multi_prompt": [{"index": 2_147_483_648_u64}]});
        let too_big = kling(KlingAction::Text2Video, index).unwrap_err();
        assert!(
            too_big.message.contains("2147483648"),
            "{}",
            too_big.message
        );
    }

    #[test]
    fn every_operation_body_is_checked_against_its_own_schema() {
        let refused = |schema, body: Value| check_schema(schema, &body).unwrap_err();
        let no_name = refused(
            RequestSchema::CreateAssetGroup,
            json!({"model": "volc-asset"}),
        );
        assert_eq!(
            (no_name.field.as_str(), no_name.code),
            ("Name", "MissingParameter")
        );
        let bad_type = refused(
            RequestSchema::CreateAsset,
            json!({"GroupId": "g", "Name": "n", "AssetType": "Photo", "URL": "https://e.com/a"}),
        );
        assert_eq!(
            (bad_type.field.as_str(), bad_type.code),
            ("AssetType", "InvalidParameter")
        );
        let no_file = refused(
            RequestSchema::CreateAssetUpload,
            json!({"GroupId": "g", "Name": "n"}),
        );
        assert_eq!(no_file.field, "file");
        let too_many = refused(RequestSchema::ListAssets, json!({"PageSize": 101}));
        assert_eq!(too_many.field, "PageSize");
        assert_eq!(
            refused(RequestSchema::GetAsset, json!({"Id": ""})).field,
            "Id"
        );
        // Fields the spec does not name are accepted, as in every request schema.
        assert!(check_schema(RequestSchema::GetAsset, &json!({"Id": "a", "extra": 1})).is_ok());
        let page: types::ListAssetsRequest =
            check_json(RequestSchema::ListAssets, br#"{"PageNumber": 2}"#).unwrap();
        assert_eq!(page.page_number.map(|n| n.get()), Some(2));
    }

    #[test]
    fn an_idempotency_key_is_1_to_255_characters() {
        use axum::http::HeaderValue;
        assert!(check_idempotency_key(None).is_ok());
        let key = |text: &str| check_idempotency_key(Some(&HeaderValue::from_str(text).unwrap()));
        assert!(key("3f2b8c1e").is_ok());
        assert!(key(&"k".repeat(255)).is_ok());
        let long = key(&"k".repeat(256)).unwrap_err();
        assert_eq!(
            (long.field.as_str(), long.code),
            ("Idempotency-Key", "InvalidParameter")
        );
        assert!(key("").is_err());
        let binary = HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap();
        assert!(check_idempotency_key(Some(&binary)).is_err());
    }

    #[test]
    fn int32_fields_refuse_what_does_not_fit() {
        let body = json!({"small": 5, "big": 2_147_483_648_u64, "huge": u64::MAX, "float": 1.5});
        assert!(check_int32(&body, "small").is_ok());
        assert!(check_int32(&body, "absent").is_ok());
        assert!(
            check_int32(&body, "float").is_ok(),
            "left to the type's check"
        );
        for field in ["big", "huge"] {
            let refused = check_int32(&body, field).unwrap_err();
            assert_eq!(refused.field, field);
            assert!(
                refused.message.contains("2147483647"),
                "{}",
                refused.message
            );
        }
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
