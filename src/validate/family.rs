//! The model families anyfast serves, which family a model id belongs to, and the check of any
//! body of `POST /v1/video/generations` by its family.

use std::fmt;

use super::{Violations, check_happyhorse, check_happyhorse_edit, check_request, check_wan};
use crate::types;

/// A family of video models: each has a body (or, for Kling, routes) of its own.
///
/// ```
/// use anyfast_video_api::validate::Family;
///
/// assert_eq!(Family::HappyHorse.to_string(), "HappyHorse");
/// assert_eq!(Family::Kling.name(), "Kling");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// Seedance (2.0, 2.0 Fast, the 1.x models): the `content[]` body
    /// (`types::SeedanceVideoRequest`).
    Seedance,
    /// Wan 2.2: flat fields (`types::WanVideoRequest`).
    Wan,
    /// HappyHorse 1.0: flat fields (`types::HappyHorseVideoRequest`), and the native body of
    /// its video-edit model (`types::HappyHorseVideoEditRequest`).
    HappyHorse,
    /// Kling: routes of its own under `/kling/v1/videos/`.
    Kling,
}

impl Family {
    /// The family's name, as [`Display`](fmt::Display) writes it.
    ///
    /// ```
    /// assert_eq!(anyfast_video_api::validate::Family::Wan.name(), "Wan");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Family::Seedance => "Seedance",
            Family::Wan => "Wan",
            Family::HappyHorse => "HappyHorse",
            Family::Kling => "Kling",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The model ids anyfast documents outside the Seedance enum, each with its family.
const DOCUMENTED: [(&str, Family); 11] = [
    ("wan2.2-t2v-a14b", Family::Wan),
    ("wan2.2-i2v-a14b", Family::Wan),
    ("happyhorse-1.0-t2v", Family::HappyHorse),
    ("happyhorse-1.0-i2v", Family::HappyHorse),
    ("happyhorse-1.0-r2v", Family::HappyHorse),
    ("happyhorse-1.0-video-edit", Family::HappyHorse),
    ("kling-v1", Family::Kling),
    ("kling-v1-6", Family::Kling),
    ("kling-v2-master", Family::Kling),
    ("kling-v3", Family::Kling),
    ("kling-v3-omni", Family::Kling),
];

/// The family of a model id: the ids anyfast documents, then by prefix (`doubao-seedance-` or
/// `seedance` → Seedance, `wan` → Wan, `happyhorse` → HappyHorse, `kling` → Kling, ignoring
/// case); `None` for any other id.
///
/// ```
/// use anyfast_video_api::validate::{Family, family_of};
///
/// assert_eq!(family_of("seedance-fast"), Some(Family::Seedance));
/// assert_eq!(family_of("doubao-seedance-1-5-pro-251215"), Some(Family::Seedance));
/// assert_eq!(family_of("wan2.2-i2v-a14b"), Some(Family::Wan));
/// assert_eq!(family_of("wan2.5-t2v-preview"), Some(Family::Wan));
/// assert_eq!(family_of("happyhorse-1.0-video-edit"), Some(Family::HappyHorse));
/// assert_eq!(family_of("kling-v2-1-master"), Some(Family::Kling));
/// assert_eq!(family_of("gpt-4o-mini"), None);
/// ```
pub fn family_of(model: &str) -> Option<Family> {
    if model.parse::<types::KnownModel>().is_ok() {
        return Some(Family::Seedance);
    }
    if let Some((_, family)) = DOCUMENTED.iter().find(|(id, _)| *id == model) {
        return Some(*family);
    }
    let lower = model.to_ascii_lowercase();
    [
        ("doubao-seedance-", Family::Seedance),
        ("seedance", Family::Seedance),
        ("wan", Family::Wan),
        ("happyhorse", Family::HappyHorse),
        ("kling", Family::Kling),
    ]
    .into_iter()
    .find(|(prefix, _)| lower.starts_with(prefix))
    .map(|(_, family)| family)
}

/// Checks any body of `POST /v1/video/generations` with the rules of its family:
/// [`check_request`] (Seedance), [`check_wan`], [`check_happyhorse`] or
/// [`check_happyhorse_edit`].
///
/// ```
/// use anyfast_video_api::{types, validate};
///
/// let wan: types::CreateVideoGenerationRequest = serde_json::from_value(serde_json::json!({
///     "model": "wan2.2-t2v-a14b",
///     "prompt": "a cat playing piano",
///     "duration": 6
/// }))?;
/// assert!(matches!(wan, types::CreateVideoGenerationRequest::WanVideoRequest(_)));
/// assert_eq!(
///     validate::check_create(&wan).unwrap_err().to_string(),
///     "duration: must be 3 to 5 seconds for wan2.2-t2v-a14b",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_create(body: &types::CreateVideoGenerationRequest) -> Result<(), Violations> {
    match body {
        types::CreateVideoGenerationRequest::SeedanceVideoRequest(body) => check_request(body),
        types::CreateVideoGenerationRequest::WanVideoRequest(body) => check_wan(body),
        types::CreateVideoGenerationRequest::HappyHorseVideoRequest(body) => check_happyhorse(body),
        types::CreateVideoGenerationRequest::HappyHorseVideoEditRequest(body) => {
            check_happyhorse_edit(body)
        }
    }
}

/// Whether `model` is sent in HappyHorse's video-edit body: kept for the code that called it,
/// now the one rule, [`CreateBody::of_model`] (the documented edit model only; it once took any
/// HappyHorse id ending in `video-edit`, which the spec sends in the flat body).
///
/// ```
/// # #![allow(deprecated)]
/// use anyfast_video_api::validate::is_happyhorse_edit;
///
/// assert!(is_happyhorse_edit("happyhorse-1.0-video-edit"));
/// assert!(!is_happyhorse_edit("happyhorse-2.0-video-edit"));
/// ```
#[deprecated(note = "use `CreateBody::of_model(model) == CreateBody::HappyHorseEdit`")]
pub fn is_happyhorse_edit(model: &str) -> bool {
    CreateBody::of_model(model) == CreateBody::HappyHorseEdit
}

/// Which of the bodies of `POST /v1/video/generations` a `model` id is sent in, as the spec's
/// model schemas say: the one rule behind [`create_request_from_json`], the body the SDK and the
/// command line build, and the mock's choice of the schema it checks a create against.
///
/// ```
/// use anyfast_video_api::validate::CreateBody;
///
/// assert_eq!(CreateBody::of_model("wan2.5-t2v-preview"), CreateBody::Wan);
/// assert_eq!(CreateBody::of_model("happyhorse-1.0-video-edit"), CreateBody::HappyHorseEdit);
/// // Only the documented edit model takes the native body; another HappyHorse id, whatever its
/// // name, is sent in the flat one (`OtherHappyHorseModel`).
/// assert_eq!(CreateBody::of_model("happyhorse-2.0-video-edit"), CreateBody::HappyHorse);
/// assert_eq!(CreateBody::of_model("veo-3"), CreateBody::Seedance);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateBody {
    /// `types::SeedanceVideoRequest`, for Seedance's ids and any id no family claims.
    Seedance,
    /// `types::WanVideoRequest`.
    Wan,
    /// `types::HappyHorseVideoRequest`, the flat body.
    HappyHorse,
    /// `types::HappyHorseVideoEditRequest`, the video-edit model's native body.
    HappyHorseEdit,
}

impl CreateBody {
    /// The body `model` is sent in.
    pub fn of_model(model: &str) -> CreateBody {
        // The edit model first: another HappyHorse id's pattern matches its id too.
        if model.parse::<types::HappyHorseEditModel>().is_ok() {
            CreateBody::HappyHorseEdit
        } else if model.parse::<types::WanModelId>().is_ok() {
            CreateBody::Wan
        } else if model.parse::<types::HappyHorseModelId>().is_ok() {
            CreateBody::HappyHorse
        } else {
            CreateBody::Seedance
        }
    }
}

/// Reads a body of `POST /v1/video/generations` as the body of the family its `model` names
/// (`wan2.2-…` as a Wan body, `happyhorse-1.0-…` as a HappyHorse body, the video-edit model as
/// the native body, any other id as a Seedance body), instead of trying each family in turn as
/// the untagged [`types::CreateVideoGenerationRequest`] does, which would read a Wan id sent
/// with a `content[]` body as Seedance.
///
/// ```
/// use anyfast_video_api::{types, validate};
///
/// let wan = validate::create_request_from_json(serde_json::json!({
///     "model": "wan2.2-t2v-a14b",
///     "prompt": "a cat",
///     "content": [{"type": "text", "text": "a cat"}]
/// }))?;
/// assert!(matches!(wan, types::CreateVideoGenerationRequest::WanVideoRequest(_)));
/// let missing = validate::create_request_from_json(serde_json::json!({"model": "happyhorse-1.0-t2v"}));
/// assert!(missing.unwrap_err().to_string().contains("prompt"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn create_request_from_json(
    body: serde_json::Value,
) -> Result<types::CreateVideoGenerationRequest, serde_json::Error> {
    use types::CreateVideoGenerationRequest as Body;
    let model = body
        .get("model")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    match CreateBody::of_model(model) {
        CreateBody::HappyHorseEdit => {
            serde_json::from_value(body).map(Body::HappyHorseVideoEditRequest)
        }
        CreateBody::Wan => serde_json::from_value(body).map(Body::WanVideoRequest),
        CreateBody::HappyHorse => serde_json::from_value(body).map(Body::HappyHorseVideoRequest),
        CreateBody::Seedance => serde_json::from_value(body).map(Body::SeedanceVideoRequest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_id_has_its_family_and_the_seedance_body_excludes_the_others() {
        for (id, family) in DOCUMENTED {
            assert_eq!(family_of(id), Some(family), "{id}");
        }
        for model in crate::validate::seedance_models() {
            assert_eq!(family_of(model.model), Some(Family::Seedance));
        }
        // The spec's OtherModel lists every documented id of every family.
        let spec: serde_json::Value = serde_json::from_str(crate::spec::JSON_SCHEMA).unwrap();
        let excluded = &spec["components"]["schemas"]["OtherModel"]["not"]["enum"];
        let excluded: Vec<&str> = excluded
            .as_array()
            .unwrap()
            .iter()
            .filter_map(serde_json::Value::as_str)
            .collect();
        for (id, _) in DOCUMENTED {
            assert!(
                excluded.contains(&id),
                "{id} is missing from OtherModel's not"
            );
        }
        for model in crate::validate::seedance_models() {
            assert!(excluded.contains(&model.model), "{}", model.model);
        }
    }

    #[test]
    fn prefixes_ignore_case_and_unknown_ids_have_no_family() {
        assert_eq!(family_of("Kling-V3"), Some(Family::Kling));
        assert_eq!(family_of("seedance-2.0-mini"), Some(Family::Seedance));
        assert_eq!(family_of("sora-2"), None);
        assert_eq!(family_of(""), None);
    }
}
