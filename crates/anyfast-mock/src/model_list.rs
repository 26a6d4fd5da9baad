//! The models list (`GET /v1/models`), OpenAI-compatible as anyfast documents it: the two
//! Seedance 2.0 models, whose endpoint types include `video`, beside a chat model, so that a
//! client has to pick the video models out.

use serde_json::{Value, json};

/// The models every key sees: the spec's own example of the list.
pub(crate) fn models() -> Value {
    let model = |id: &str, created: i64, owned_by: &str, endpoint_type: &str| {
        json!({
            "id": id,
            "object": "model",
            "created": created,
            "owned_by": owned_by,
            "supported_endpoint_types": [endpoint_type],
        })
    };
    json!({
        "object": "list",
        "data": [
            model("seedance", 1_777_000_000, "anyfast", "video"),
            model("seedance-fast", 1_777_000_000, "anyfast", "video"),
            model("gpt-4o-mini", 1_721_172_741, "openai", "openai"),
        ],
    })
}
