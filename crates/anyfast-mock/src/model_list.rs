//! The models list (`GET /v1/models`), OpenAI-compatible as anyfast documents it: a model of
//! every video family the mock serves (Seedance 2.0 and its fast model, Seedance 1.5 pro, Wan
//! 2.2, HappyHorse 1.0, Kling), whose endpoint types include `video`, beside a chat model, so
//! that a client has to pick the video models out.

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
    let video = |id: &str| model(id, 1_777_000_000, "anyfast", "video");
    let list = ModelList {
        object: Some("list".into()),
        data: vec![
            video("seedance"),
            video("seedance-fast"),
            video("doubao-seedance-1-5-pro-251215"),
            video("wan2.2-t2v-a14b"),
            video("happyhorse-1.0-i2v"),
            video("kling-v3"),
            model("gpt-4o-mini", 1_721_172_741, "openai", "openai"),
        ],
        extra: Default::default(),
    };
    serde_json::to_value(list).expect("a generated type serialises")
}
