//! What the contract tests share: the spec's examples and a client pointed at a test server.

use anyfast_video_api::Client;
use serde_json::Value;

/// The spec, read as JSON.
pub fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .expect("read openapi.yaml");
    anyfast_video_codegen::spec_to_json(&text).expect("openapi.yaml parses")
}

/// Every example of the spec.
pub fn examples() -> Vec<anyfast_video_codegen::examples::Example> {
    anyfast_video_codegen::examples::collect(&spec())
}

/// The named example of a media type, e.g. `named_example(GET_200, "running")`.
pub fn named_example(media_type: &str, name: &str) -> Value {
    let location = format!("{media_type}/examples/{name}/value");
    examples()
        .into_iter()
        .find(|example| example.location == location)
        .unwrap_or_else(|| panic!("no example at {location}"))
        .value
}

pub const CREATE_REQUEST: &str =
    "#/paths/~1v1~1video~1generations/post/requestBody/content/application~1json";
pub const CREATE_200: &str =
    "#/paths/~1v1~1video~1generations/post/responses/200/content/application~1json";
pub const GET_200: &str =
    "#/paths/~1v1~1video~1generations~1{id}/get/responses/200/content/application~1json";

pub const TOKEN: &str = "sk-test-0123456789";

/// A generated client for `base_url` that sends `Authorization: Bearer TOKEN`, the way the
/// crate's docs tell users to authenticate.
pub fn client(base_url: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let mut value = reqwest::header::HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap();
    value.set_sensitive(true);
    headers.insert(reqwest::header::AUTHORIZATION, value);
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    Client::new_with_client(base_url, http)
}
