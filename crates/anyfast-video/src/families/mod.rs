//! The model families beside Seedance: [`WanRequest`], [`HappyHorseRequest`] and
//! [`KlingRequest`], each the typed request of its family's documented body. Each builds the
//! JSON its pages document, field by field, and becomes a [`VideoRequest`](crate::VideoRequest),
//! so that create, wait, download, retries, task stores and `generate` are the same for every
//! family. When the request is sent, its fields are read into the generated body type (a wrong
//! type is refused naming the field) and checked against the family's rules in
//! [`anyfast_video_api::validate`], before anything is sent.
//!
//! Which family a model id belongs to is [`validate::family_of`]'s answer; an id no family
//! claims is sent in Seedance's `content[]` body (the gateway's own), and not second-guessed.

use anyfast_video_api::types;
use anyfast_video_api::validate::{self, CreateBody, Family, KlingAction, Rule};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{Error, invalid};

mod happyhorse;
mod kling;
mod wan;

pub use happyhorse::HappyHorseRequest;
pub use kling::KlingRequest;
pub(crate) use kling::{KlingTask, kling_action_of};
pub use wan::WanRequest;

/// Where a family's create is sent (and so where its task is asked about).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// `POST /v1/video/generations`, the body chosen by the model id.
    Generations,
    /// Kling's own `POST /kling/v1/videos/{action}`.
    Kling(KlingAction),
}

/// A body the generated client sends, checked and typed: what
/// [`VideoRequest::prepare`](crate::VideoRequest::prepare) gives.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum PreparedBody {
    /// For `POST /v1/video/generations` (Seedance, Wan, HappyHorse).
    Generations(types::CreateVideoGenerationRequest),
    /// For `POST /kling/v1/videos/text2video`.
    KlingText2Video(types::KlingText2VideoRequest),
    /// For `POST /kling/v1/videos/image2video`.
    KlingImage2Video(types::KlingImage2VideoRequest),
    /// For `POST /kling/v1/videos/multi-image2video`.
    KlingMultiImage2Video(types::KlingMultiImage2VideoRequest),
    /// For `POST /kling/v1/videos/omni-video`.
    KlingOmniVideo(types::KlingOmniVideoRequest),
}

/// The body of a family other than Seedance, as its caller set it: no defaults are filled in
/// (the service applies its own), so what is sent is what was asked for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FamilyBody {
    pub family: Family,
    pub route: Route,
    pub fields: Map<String, Value>,
}

impl FamilyBody {
    pub(crate) fn new(family: Family, route: Route) -> Self {
        FamilyBody {
            family,
            route,
            fields: Map::new(),
        }
    }

    /// Sets field `name`, replacing an earlier value.
    pub(crate) fn set(&mut self, name: &str, value: impl Into<Value>) {
        self.fields.insert(name.to_string(), value.into());
    }

    /// The model id, where the family's body puts it (`model`, or Kling's `model_name`).
    pub(crate) fn model(&self) -> Option<&str> {
        let key = if self.family == Family::Kling {
            "model_name"
        } else {
            "model"
        };
        self.fields.get(key).and_then(Value::as_str)
    }

    /// The body typed and checked against the family's rules.
    pub(crate) fn prepare(&self) -> Result<PreparedBody, Error> {
        let body = Value::Object(self.fields.clone());
        check_size(&body)?;
        Ok(match self.route {
            Route::Generations => {
                let body = match self.family {
                    Family::Wan => {
                        let body: types::WanVideoRequest = typed(body)?;
                        validate::check_wan(&body)?;
                        body.into()
                    }
                    // The video-edit model takes the provider's native body (`input.media[]`).
                    Family::HappyHorse
                        if self.model().map(CreateBody::of_model)
                            == Some(CreateBody::HappyHorseEdit) =>
                    {
                        let body: types::HappyHorseVideoEditRequest = typed(body)?;
                        validate::check_happyhorse_edit(&body)?;
                        body.into()
                    }
                    Family::HappyHorse => {
                        let body: types::HappyHorseVideoRequest = typed(body)?;
                        validate::check_happyhorse(&body)?;
                        body.into()
                    }
                    _ => {
                        let expected = "the model of a family sent to /v1/video/generations";
                        return Err(invalid("model", Rule::Format { expected }));
                    }
                };
                PreparedBody::Generations(body)
            }
            Route::Kling(action) => {
                validate::check_kling(action, &body)?;
                match action {
                    KlingAction::Text2Video => PreparedBody::KlingText2Video(typed(body)?),
                    KlingAction::Image2Video => PreparedBody::KlingImage2Video(typed(body)?),
                    KlingAction::MultiImage2Video => {
                        PreparedBody::KlingMultiImage2Video(typed(body)?)
                    }
                    _ => PreparedBody::KlingOmniVideo(typed(body)?),
                }
            }
        })
    }
}

/// A body read into the generated type `T`, a field of the wrong type refused naming its path.
pub(crate) fn typed<T: DeserializeOwned>(body: Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(body).map_err(|error| {
        let field = error.path().to_string();
        let field = if field == "." { "body".into() } else { field };
        let detail = error.into_inner().to_string();
        invalid(field, Rule::Schema { detail })
    })
}

/// Checks the size of `body` as it is serialised, without keeping the bytes.
pub(crate) fn check_size(body: &impl serde::Serialize) -> Result<(), Error> {
    let mut length = Length(0);
    serde_json::to_writer(&mut length, body)
        .map_err(|error| Error::Config(format!("the request cannot be serialised: {error}")))?;
    Ok(validate::check_body_size(length.0)?)
}

/// The body of `fields` for a family other than Seedance, when `model` names one: what
/// [`VideoRequest::from_json`](crate::VideoRequest::from_json) reads a Wan, HappyHorse or
/// Kling body into. `None` for Seedance and for ids no family claims.
pub(crate) fn from_fields(fields: &Map<String, Value>) -> Option<FamilyBody> {
    let mut fields = fields.clone();
    let named = |key: &str| {
        fields
            .get(key)
            .and_then(Value::as_str)
            .and_then(validate::family_of)
    };
    let (family, route) = match (named("model"), named("model_name")) {
        (Some(family @ (Family::Wan | Family::HappyHorse)), _) => (family, Route::Generations),
        (Some(Family::Kling), _) | (None, Some(Family::Kling)) => {
            // A Kling model given as `model` (as every other family names it) is Kling's
            // `model_name`.
            if let Some(model) = fields.remove("model") {
                fields.entry("model_name").or_insert(model);
            }
            (Family::Kling, Route::Kling(kling_action_of(&fields)))
        }
        _ => return None,
    };
    Some(FamilyBody {
        family,
        route,
        fields,
    })
}

/// Counts the bytes of a body as it is serialised, without keeping them.
struct Length(usize);

impl std::io::Write for Length {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
