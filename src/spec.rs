//! The spec this crate was generated from, embedded: the one `openapi.yaml` of the
//! repository, so that the crates that hold answers and requests to it (the mock, the contract
//! checks) read exactly the document the client was built from, with no copy of their own.

/// `openapi.yaml` as written.
///
/// ```
/// assert!(anyfast_video_api::spec::YAML.starts_with("openapi: 3.0"));
/// ```
pub const YAML: &str = include_str!("../openapi.yaml");

/// The same document as JSON, with its schemas converted to JSON Schema terms (`nullable`
/// turned into a type list, and the like) by `anyfast-video-codegen`'s one conversion, at
/// build time: what a JSON Schema validator takes. With the `spec` feature.
///
/// ```
/// let document: serde_json::Value = serde_json::from_str(anyfast_video_api::spec::JSON_SCHEMA).unwrap();
/// assert!(document["paths"]["/v1/video/generations"]["post"].is_object());
/// ```
#[cfg(feature = "spec")]
pub const JSON_SCHEMA: &str = include_str!(concat!(env!("OUT_DIR"), "/openapi.json"));
