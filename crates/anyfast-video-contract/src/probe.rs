//! The probes: requests that bill nothing, each with the answer it must get.
//!
//! | probe | request | must get | why it bills nothing |
//! | --- | --- | --- | --- |
//! | `models` | `GET /v1/models` | 2xx | a read |
//! | `missing-task` | `GET /v1/video/generations/cgt-20000101000000-00000` | 404 | a read, of a task that cannot exist (made "in 2000") |
//! | `refused-create` | `POST /v1/video/generations` with [`REFUSED_CREATE`] | a 4xx refusal | see below |
//! | `assets` | `POST /volc/asset/ListAssets`, page 1 of size 1 | 2xx | "queries are not billed" (asset guide) |
//! | `missing-asset` | `POST /volc/asset/GetAsset` of `asset-20000101000000-00000` | 404 | a read, of an asset that cannot exist |
//! | `refused-create-wan` | `POST /v1/video/generations`, Wan 2.2 image-to-video without its `image` | a 4xx refusal | a required input missing: nothing to make from |
//! | `refused-create-happyhorse` | `POST /v1/video/generations`, HappyHorse 1.0 reference-to-video without its `images` | a 4xx refusal | a required input missing |
//! | `refused-kling-text2video` | `POST /kling/v1/videos/text2video` without `prompt` | a 4xx refusal | its one required field missing |
//! | `refused-kling-image2video` | `POST /kling/v1/videos/image2video` without `image` or `image_tail` | a 4xx refusal | no image to make from |
//! | `refused-kling-multi-image2video` | `POST /kling/v1/videos/multi-image2video` with an empty `image_list` | a 4xx refusal | no image to make from |
//! | `refused-kling-omni-video` | `POST /kling/v1/videos/omni-video` without `prompt` (and not multi-shot) | a 4xx refusal | nothing to make from |
//! | `missing-kling-task` | `GET /kling/v1/videos/text2video/100000000000000000` | 404 | a read, of a task that cannot exist |
//!
//! **Why the other families' refused creates cannot bill.** Each lacks an input its page marks
//! required (Wan's image-to-video `image`, HappyHorse reference-to-video's `images`, Kling
//! text-to-video's `prompt`, image-to-video's `image`/`image_tail`, multi-image's images,
//! Omni's `prompt`), so there is nothing to generate from, and each breaks a range as well
//! (`duration` 99, or `"99"` for Kling, outside every page's values). The library refuses each
//! before sending (`validate::check_wan`, `check_happyhorse`, `check_kling`), so they are sent
//! raw like the Seedance one.
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

use anyfast_video::api::validate::KlingAction;

use crate::operation::Operation;

/// The id of a task that cannot exist: made "on 1 January 2000", before the service was.
pub const MISSING_TASK_ID: &str = "cgt-20000101000000-00000";

/// The id of an asset that cannot exist.
pub const MISSING_ASSET_ID: &str = "asset-20000101000000-00000";

/// The id of a Kling task that cannot exist (Kling's ids are 18 digits; this one is the
/// smallest, made before any was).
pub const MISSING_KLING_TASK_ID: &str = "100000000000000000";

/// A phrase in every refused probe's text, saying what it is to whoever reads the logs.
const PROBE_TEXT: &str = "anyfast-video contract probe: this request must be refused";

/// The refused create of each family besides Seedance, and of each Kling route: its probe
/// name, what it asks in words, the operation and the body (see the module docs for why none
/// can be billed).
pub fn refused_family_creates() -> Vec<(&'static str, &'static str, Operation, Value)> {
    vec![
        (
            "refused-create-wan",
            "a Wan 2.2 image-to-video create without its image (and duration 99), which the service must refuse",
            Operation::CreateTask,
            json!({"model": "wan2.2-i2v-a14b", "prompt": format!("{PROBE_TEXT} (no image)"), "duration": 99}),
        ),
        (
            "refused-create-happyhorse",
            "a HappyHorse 1.0 reference-to-video create without its images (and duration 99), which the service must refuse",
            Operation::CreateTask,
            json!({"model": "happyhorse-1.0-r2v", "prompt": format!("{PROBE_TEXT} (no images)"), "duration": 99}),
        ),
        (
            "refused-kling-text2video",
            "a Kling text-to-video create without its prompt (and duration \"99\"), which the service must refuse",
            Operation::CreateKlingTask(KlingAction::Text2Video),
            json!({"model_name": "kling-v3", "negative_prompt": PROBE_TEXT, "duration": "99"}),
        ),
        (
            "refused-kling-image2video",
            "a Kling image-to-video create without image or image_tail (and duration \"99\"), which the service must refuse",
            Operation::CreateKlingTask(KlingAction::Image2Video),
            json!({"model_name": "kling-v2-master", "prompt": PROBE_TEXT, "duration": "99"}),
        ),
        (
            "refused-kling-multi-image2video",
            "a Kling multi-image-to-video create with no image (and duration \"99\"), which the service must refuse",
            Operation::CreateKlingTask(KlingAction::MultiImage2Video),
            json!({"model_name": "kling-v1-6", "image_list": [], "prompt": PROBE_TEXT, "duration": "99"}),
        ),
        (
            "refused-kling-omni-video",
            "a Kling Omni create without its prompt (and duration \"99\"), which the service must refuse",
            Operation::CreateKlingTask(KlingAction::OmniVideo),
            json!({"model_name": "kling-v3-omni", "multi_shot": false, "duration": "99"}),
        ),
    ]
}

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
    .into_iter()
    .chain(
        refused_family_creates()
            .into_iter()
            .map(|(name, about, operation, body)| Probe {
                name,
                about,
                operation,
                path: operation.path_template().into(),
                body: Some(body),
                expect: Expect::Refusal,
            }),
    )
    .chain(std::iter::once(Probe {
        name: "missing-kling-task",
        about: "the query of a Kling task id that does not exist",
        operation: Operation::GetKlingTask,
        path: format!("/kling/v1/videos/text2video/{MISSING_KLING_TASK_ID}"),
        body: None,
        expect: Expect::NotFound,
    }))
    .collect()
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
    use super::*;
    use anyfast_video::api::{types, validate};

    fn violations(body: serde_json::Value) -> Vec<String> {
        let typed: types::SeedanceVideoRequest = serde_json::from_value(body).unwrap();
        match validate::check_request(&typed) {
            Ok(()) => Vec::new(),
            Err(violations) => violations.0.iter().map(|v| v.field.clone()).collect(),
        }
    }

    #[test]
    fn every_familys_refused_create_breaks_a_required_input_and_a_range() {
        let fields = |outcome: Result<(), validate::Violations>| -> Vec<String> {
            outcome
                .err()
                .map(|found| found.0.into_iter().map(|v| v.field).collect())
                .unwrap_or_default()
        };
        for (name, _, operation, body) in refused_family_creates() {
            let found = match operation {
                Operation::CreateKlingTask(action) => fields(validate::check_kling(action, &body)),
                _ => match validate::create_request_from_json(body.clone()) {
                    Ok(typed) => fields(validate::check_create(&typed)),
                    // The typed body cannot even be made: its required input is missing.
                    Err(_) => vec!["body".into()],
                },
            };
            assert!(found.len() >= 2, "{name}: {found:?}");
            assert!(
                found.iter().any(|field| field == "duration"),
                "{name}: {found:?}"
            );
        }
        let names: Vec<&str> = free().iter().map(|probe| probe.name).collect();
        assert!(
            names.contains(&"refused-kling-omni-video") && names.contains(&"missing-kling-task")
        );
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
