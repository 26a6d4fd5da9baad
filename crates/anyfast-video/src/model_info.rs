//! [`ModelInfo`]: one model of the models list.

use std::time::SystemTime;

use serde_json::Value;

/// One model a key can use, from `GET /v1/models`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ModelInfo {
    /// The id to send as a request's `model` (`seedance`, `seedance-fast`, ...).
    pub id: String,
    /// Who provides it.
    pub owned_by: Option<String>,
    /// When it was added.
    pub created: Option<SystemTime>,
    /// The kinds of endpoint it serves; video models list `video`.
    pub endpoint_types: Vec<String>,
    /// The entry as the service sent it.
    pub raw: Value,
}

impl ModelInfo {
    /// Whether it makes videos (`supported_endpoint_types` lists `video`).
    ///
    /// ```
    /// # let model = anyfast_video::tolerant::read_models(200, br#"{"data": [{"id": "seedance", "supported_endpoint_types": ["video"]}]}"#)?.remove(0);
    /// assert!(model.is_video());
    /// # Ok::<(), anyfast_video::Error>(())
    /// ```
    pub fn is_video(&self) -> bool {
        self.endpoint_types
            .iter()
            .any(|kind| kind.eq_ignore_ascii_case("video"))
    }
}
