//! Fields a caller adds to a request beyond those the spec types (the Stainless SDKs'
//! `extra_body`): any name is sent, except one the API types, which must be set with its own
//! method so that its rules are checked.

use std::sync::LazyLock;

use super::{Rule, Violation};
use crate::types;

/// Every field of the create request that the spec types, read from the generated type's
/// JSON Schema (so that a field added to the spec is protected at once).
static TYPED_FIELDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let schema = schemars::schema_for!(types::SeedanceVideoRequest).to_value();
    let mut names: Vec<String> = schema["properties"]
        .as_object()
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    names
});

/// The fields of a create request the spec types.
///
/// ```
/// let typed = anyfast_video_api::validate::typed_fields();
/// assert!(typed.iter().any(|name| name == "resolution"));
/// assert!(typed.iter().any(|name| name == "return_last_frame"));
/// ```
pub fn typed_fields() -> &'static [String] {
    &TYPED_FIELDS
}

/// Checks the name of an extra field: not empty, and not a typed field.
///
/// ```
/// use anyfast_video_api::validate::check_extra_field;
///
/// assert!(check_extra_field("frames_per_second").is_ok());
/// let typed = check_extra_field("duration").unwrap_err();
/// assert_eq!(typed.field, "duration");
/// assert!(typed.to_string().contains("field the API types"));
/// ```
pub fn check_extra_field(name: &str) -> Result<(), Violation> {
    let rule = if name.trim().is_empty() {
        Rule::ExtraFieldUnnamed
    } else if typed_fields().iter().any(|typed| typed == name) {
        Rule::ExtraFieldIsTyped
    } else {
        return Ok(());
    };
    Err(Violation {
        field: name.to_string(),
        rule,
    })
}
