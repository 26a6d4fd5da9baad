//! The JSON Schemas that schemars derives for the generated types accept every example in the
//! spec: the Rust types say what the spec says.

use anyfast_video_api::types;
use serde_json::{Value, json};

/// The schemars schema of the generated type for each component of the spec. A component
/// missing here fails the test, so a new type cannot escape the check.
fn component_schema(name: &str) -> Option<Value> {
    macro_rules! schemas {
        ($($type:ident),* $(,)?) => {
            match name {
                $(stringify!($type) => Some(schemars::schema_for!(types::$type).to_value()),)*
                _ => None,
            }
        };
    }
    schemas!(
        Asset,
        AssetFilter,
        AssetModel,
        AssetPage,
        AssetType,
        AudioRole,
        ContentItem,
        CreateAssetGroupRequest,
        CreateAssetRequest,
        CreateVideoGenerationRequest,
        CreateVideoGenerationResponse,
        CreatedId,
        DeleteAssetRequest,
        DeletedAsset,
        ErrorBody,
        ErrorDetail,
        GetAssetRequest,
        GetVideoGenerationResponse,
        HappyHorseEditInput,
        HappyHorseEditMedia,
        HappyHorseEditModel,
        HappyHorseEditParameters,
        HappyHorseModel,
        HappyHorseModelId,
        HappyHorseParameters,
        HappyHorseRatio,
        HappyHorseResolution,
        HappyHorseVideoEditRequest,
        HappyHorseVideoRequest,
        ImageRole,
        KlingAspectRatio,
        KlingCameraConfig,
        KlingCameraControl,
        KlingDynamicMask,
        KlingElement,
        KlingImage2VideoRequest,
        KlingImageListItem,
        KlingMode,
        KlingMultiImage2VideoRequest,
        KlingMultiPrompt,
        KlingMultiPromptItem,
        KlingOmniImage,
        KlingOmniVideo,
        KlingOmniVideoRequest,
        KlingShotType,
        KlingSound,
        KlingTaskAction,
        KlingTaskData,
        KlingTaskResponse,
        KlingTaskResult,
        KlingText2VideoRequest,
        KlingUpstreamAnswer,
        KlingUpstreamTask,
        KlingVideo,
        KlingWatermarkInfo,
        KnownModel,
        KnownResolution,
        ListAssetsRequest,
        MediaUrl,
        Model,
        ModelInfo,
        ModelList,
        OtherHappyHorseModel,
        OtherModel,
        OtherResolution,
        OtherWanModel,
        Ratio,
        Resolution,
        SeedanceVideoRequest,
        TaskData,
        Tool,
        UpstreamContent,
        UpstreamError,
        UpstreamTask,
        Usage,
        VideoRole,
        WanModel,
        WanModelId,
        WanVideoRequest,
    )
}

const COMPONENTS: &str = "#/components/schemas/";

/// The generated type's schema, and the pointer inside it, that stand for the spec schema at
/// `pointer`.
fn rust_schema_for(spec: &Value, pointer: &str) -> (Value, String) {
    if let Some(rest) = pointer.strip_prefix(COMPONENTS) {
        let (name, inside) = rest.split_once('/').unwrap_or((rest, ""));
        let schema = component_schema(name)
            .unwrap_or_else(|| panic!("add the component {name} to component_schema()"));
        return (
            schema,
            if inside.is_empty() {
                String::new()
            } else {
                format!("/{inside}")
            },
        );
    }
    let spec_schema = spec
        .pointer(pointer.trim_start_matches('#'))
        .unwrap_or_else(|| panic!("nothing at {pointer}"));
    if let Some(target) = spec_schema.get("$ref").and_then(Value::as_str) {
        return rust_schema_for(spec, target);
    }
    if pointer.contains("~1kling~1v1~1videos~1{action}~1{task_id}/get/parameters/1/schema") {
        return (
            schemars::schema_for!(types::GetKlingTaskTaskId).to_value(),
            String::new(),
        );
    }
    if pointer.contains("~1kling~1v1~1videos~1{task_id}/get/parameters/0/schema") {
        return (
            schemars::schema_for!(types::GetKlingTaskByIdTaskId).to_value(),
            String::new(),
        );
    }
    if pointer.ends_with("/get/parameters/0/schema") {
        return (
            schemars::schema_for!(types::GetVideoGenerationId).to_value(),
            String::new(),
        );
    }
    if pointer.ends_with("/post/parameters/0/schema") {
        let schema = schemars::schema_for!(types::CreateVideoGenerationIdempotencyKey);
        return (schema.to_value(), String::new());
    }
    panic!("no generated type is known for the inline schema at {pointer}")
}

#[test]
fn the_generated_types_schemas_accept_every_example_in_the_spec() {
    let spec = crate::common::spec();
    let examples = crate::common::examples();
    assert!(
        examples.len() > 20,
        "only {} examples found",
        examples.len()
    );
    let mut failures = Vec::new();
    for example in examples {
        let (mut schema, inside) = rust_schema_for(&spec, &example.schema);
        if !inside.is_empty() {
            let target = schema.pointer(&inside).is_some();
            assert!(
                target,
                "the schema of {} has nothing at {inside}",
                example.schema
            );
            // Only the sub-schema applies: the type's schema moves under a key of its own,
            // keeping `$defs` at the root where its `$ref`s point.
            let defs = schema
                .as_object_mut()
                .unwrap()
                .remove("$defs")
                .unwrap_or_else(|| json!({}));
            schema = json!({"$defs": defs, "type_schema": schema, "$ref": format!("#/type_schema{inside}")});
        }
        let validator = jsonschema::validator_for(&schema).expect("schemars emits valid schemas");
        let errors: Vec<String> = validator
            .iter_errors(&example.value)
            .map(|error| format!("{error} at {}", error.instance_path().as_str()))
            .collect();
        if !errors.is_empty() {
            failures.push(format!("{}: {errors:?}", example.location));
        }
    }
    assert!(
        failures.is_empty(),
        "rejected examples:\n{}",
        failures.join("\n")
    );
}

/// What the spec rejects, the generated type refuses to read. (Read, not held to its derived
/// schema: schemars derives a string newtype's schema from `String`, without the `pattern`
/// that `OtherWanModel` and `OtherHappyHorseModel` check when read, so the derived schema of
/// the families' union would take any object with a `model`.)
#[test]
fn the_generated_types_refuse_what_the_spec_rejects() {
    let read =
        |body: &Value| serde_json::from_value::<types::CreateVideoGenerationRequest>(body.clone());
    let valid = json!({"model": "seedance-fast", "content": [{"type": "text", "text": "a cat"}]});
    assert!(read(&valid).is_ok());
    assert!(read(&json!({"model": "wan2.5-t2v-preview", "prompt": "a cat"})).is_ok());
    for invalid in [
        json!({"content": [{"type": "text", "text": "a cat"}]}),
        json!({"model": "seedance-fast", "content": [{"type": "sound", "url": "x"}]}),
        // Resolutions are open (any `NNNp` the service adds), but still strings.
        json!({"model": "seedance-fast", "content": [], "resolution": 1080}),
        json!({"model": "seedance-fast", "content": [], "ratio": "2:1"}),
        // A flat body is Wan's or HappyHorse's only for an id of that family.
        json!({"model": "seedance-fast", "prompt": "a cat"}),
        json!({"model": "veo-3", "prompt": "a cat"}),
    ] {
        assert!(read(&invalid).is_err(), "accepted {invalid}");
    }
}
