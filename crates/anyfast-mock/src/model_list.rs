//! The models list (`GET /v1/models`), OpenAI-compatible as anyfast documents it: the two
//! Seedance 2.0 models, whose endpoint types include `video`, beside a chat model, so that a
//! client has to pick the video models out.

use anyfast_video_api::types::{ModelInfo, ModelList};
use serde_json::Value;

/// The models every key sees: the spec's own example of the list.
pub(crate) fn models() -> Value {
    let model = |id: &str, created: i64, owned_by: &str, endpoint_type: &str| ModelInfo {
        id: id.to_string(),
        object: Some("model".into()),
        created: Some(created),
        owned_by: Some(owned_by.into()),
        supported_endpoint_types: vec![endpoint_type.into()],
        extra: Default::default(),
    };
    let list = ModelList {
        object: Some("list".into()),
        data: vec![
            model("seedance", 1_777_000_000, "anyfast", "video"),
            model("seedance-fast", 1_777_000_000, "anyfast", "video"),
            model("gpt-4o-mini", 1_721_172_741, "openai", "openai"),
        ],
        extra: Default::default(),
    };
    serde_json::to_value(list).expect("a generated type serialises")
}
