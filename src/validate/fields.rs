//! Fields a caller adds to a request beyond those the spec types (the Stainless SDKs'
//! `extra_body`): any name is sent, except one the API types, which must be set with its own
//! method so that its rules are checked.

use super::{Rule, SEEDANCE_FAST, Violation};
use crate::types;

/// Whether the spec types field `name` of the Seedance create body. The generated type itself
/// answers: a field it names is read into that field (or refused there), and any other lands
/// in its flattened `extra` map, so that a field added to the spec is protected as soon as the
/// client is regenerated.
///
/// ```
/// use anyfast_video_api::validate::is_typed_field;
///
/// assert!(is_typed_field("resolution"));
/// assert!(is_typed_field("return_last_frame"));
/// assert!(is_typed_field("content"));
/// assert!(!is_typed_field("frames_per_second"));
/// assert!(!is_typed_field("extra")); // the Rust name of the map, not a field of the wire
/// ```
pub fn is_typed_field(name: &str) -> bool {
    let mut probe = serde_json::json!({"model": SEEDANCE_FAST, "content": []});
    probe[name] = serde_json::Value::Null;
    match serde_json::from_value::<types::SeedanceVideoRequest>(probe) {
        // `null` was taken by an optional field, or stayed in `extra` (not a typed field).
        Ok(body) => !body.extra.contains_key(name),
        // Refused by a field's own type: an untyped field would have taken any value.
        Err(_) => true,
    }
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
    } else if is_typed_field(name) {
        Rule::ExtraFieldIsTyped
    } else {
        return Ok(());
    };
    Err(Violation {
        field: name.to_string(),
        rule,
    })
}
