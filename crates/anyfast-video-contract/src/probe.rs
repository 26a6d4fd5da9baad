//! The probes: requests that bill nothing, each with the answer it must get.
//!
//! | probe | request | must get | why it bills nothing |
//! | --- | --- | --- | --- |
//! | `models` | `GET /v1/models` | 2xx | a read |
//! | `missing-task` | `GET /v1/video/generations/cgt-20000101000000-00000` | 404 | a read, of a task that cannot exist (made "in 2000") |
//! | `refused-create` | `POST /v1/video/generations` with [`REFUSED_CREATE`] | a 4xx refusal | see below |
//! | `assets` | `POST /volc/asset/ListAssets`, page 1 of size 1 | 2xx | "queries are not billed" (asset guide) |
//! | `missing-asset` | `POST /volc/asset/GetAsset` of `asset-20000101000000-00000` | 404 | a read, of an asset that cannot exist |
//!
//! **Why the refused create cannot make (or bill) a task.** Its body is refused for three
//! reasons, each enough on its own: the seed page's content rules allow audio only beside an
//! image or a video ("audio never alone and never with text only"), and this body has text and
//! audio only; its `duration` is 99, where the seed allows 4–15 or -1; and its audio's URL is
//! on `example.invalid`, a name reserved never to resolve (RFC 2606), so that even a service
//! that let the body through could not fetch the input to make anything from it. A refused
//! create is refunded at once by the gateway (quota is taken before a task is made and
//! given back when it fails). The library refuses this body before sending it (its validation
//! knows the rules), so the probe is sent raw.

use serde_json::{Value, json};

use crate::operation::Operation;

/// The id of a task that cannot exist: made "on 1 January 2000", before the service was.
pub const MISSING_TASK_ID: &str = "cgt-20000101000000-00000";

/// The id of an asset that cannot exist.
pub const MISSING_ASSET_ID: &str = "asset-20000101000000-00000";

/// The body of the create every service must refuse (see the module docs for why it cannot
/// be billed).
pub fn refused_create() -> Value {
    json!({
        "model": "seedance-fast",
        "content": [
            {"type": "text", "text": "anyfast-video contract probe: this request must be refused (audio with text only, duration 99)"},
            {"type": "audio_url", "audio_url": {"url": "https://example.invalid/anyfast-video-contract-probe.mp3"}, "role": "reference_audio"}
        ],
        "resolution": "480p",
        "duration": 99,
        "generate_audio": false
    })
}

/// [`refused_create`] as text, for the docs.
pub const REFUSED_CREATE: &str = r#"{"model": "seedance-fast", "content": [{"type": "text", "text": "…"}, {"type": "audio_url", "audio_url": {"url": "https://example.invalid/…mp3"}, "role": "reference_audio"}], "resolution": "480p", "duration": 99, "generate_audio": false}"#;

/// What a probe must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// A 2xx.
    Success,
    /// 404: the thing asked for does not exist.
    NotFound,
    /// A 4xx that refuses the body (not 403 or 429, which refuse the account or the pace).
    Refusal,
    /// 401: a request without a key.
    Unauthorized,
}

/// One probe.
#[derive(Clone, Debug)]
pub struct Probe {
    /// Its name in reports and file names (`missing-task`).
    pub name: &'static str,
    /// What it asks, in words.
    pub about: &'static str,
    /// The operation.
    pub operation: Operation,
    /// The path, ids filled in.
    pub path: String,
    /// The JSON body, if any.
    pub body: Option<Value>,
    /// What it must get.
    pub expect: Expect,
}

/// The free probes, in the order they are sent (the models list first: it tells whether the
/// key is accepted).
pub fn free() -> Vec<Probe> {
    vec![
        Probe {
            name: "models",
            about: "the models list",
            operation: Operation::ListModels,
            path: "/v1/models".into(),
            body: None,
            expect: Expect::Success,
        },
        Probe {
            name: "missing-task",
            about: "the query of a task id that does not exist",
            operation: Operation::GetTask,
            path: format!("/v1/video/generations/{MISSING_TASK_ID}"),
            body: None,
            expect: Expect::NotFound,
        },
        Probe {
            name: "refused-create",
            about: "a create the service must refuse before anything is made (audio with text only, duration 99)",
            operation: Operation::CreateTask,
            path: "/v1/video/generations".into(),
            body: Some(refused_create()),
            expect: Expect::Refusal,
        },
        Probe {
            name: "assets",
            about: "the asset list (page 1, one asset)",
            operation: Operation::ListAssets,
            path: "/volc/asset/ListAssets".into(),
            body: Some(json!({"model": "volc-asset", "PageNumber": 1, "PageSize": 1})),
            expect: Expect::Success,
        },
        Probe {
            name: "missing-asset",
            about: "the get of an asset that does not exist",
            operation: Operation::GetAsset,
            path: "/volc/asset/GetAsset".into(),
            body: Some(json!({"Id": MISSING_ASSET_ID})),
            expect: Expect::NotFound,
        },
    ]
}

/// The request of the one billed generation: the cheapest there is (Seedance 2.0 Fast, 480p,
/// 4 seconds, no audio).
pub fn billed_create() -> Value {
    json!({
        "model": "seedance-fast",
        "content": [{"type": "text", "text": "A paper boat drifts across a calm pond at dawn"}],
        "resolution": "480p",
        "duration": 4,
        "generate_audio": false
    })
}

/// What the billed check costs, said before anything is sent.
pub const BILLED_COST: &str = "--billed sends ONE real generation, billed to the key's account: \
seedance-fast (Seedance 2.0 Fast), 480p, 4 seconds, no audio, the cheapest anyfast makes \
(about 40,000 tokens: Seedance counts width x height x 24 fps x seconds / 1024, 864x480 here; \
anyfast's price list says what that costs). A task that fails is refunded. It then waits for \
the task (minutes), downloads the video without the key and checks that it is an MP4.";

#[cfg(test)]
mod tests {
    use anyfast_video::api::{types, validate};

    fn violations(body: serde_json::Value) -> Vec<String> {
        let typed: types::CreateVideoGenerationRequest = serde_json::from_value(body).unwrap();
        match validate::check_request(&typed) {
            Ok(()) => Vec::new(),
            Err(violations) => violations.0.iter().map(|v| v.field.clone()).collect(),
        }
    }

    #[test]
    fn the_refused_create_breaks_two_of_the_seeds_rules_and_the_billed_one_none() {
        // The library's validation holds the seed's rules: what it refuses, the service must.
        let refused = violations(super::refused_create());
        assert!(
            refused.iter().any(|field| field == "duration"),
            "{refused:?}"
        );
        assert!(
            refused.iter().any(|field| field.starts_with("content")),
            "{refused:?}"
        );
        assert_eq!(violations(super::billed_create()), Vec::<String>::new());
    }
}
