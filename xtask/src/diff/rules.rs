//! The classification rules. Each function handles one kind of change and decides whether it
//! breaks a client generated from the base document that talks to a service following the head
//! document. The walkers find the differences; only these functions decide.
//!
//! Rules that depend on the [`Side`] follow one principle: a request may accept more but not less
//! than before (the old client still sends what it used to), a response may carry less but not
//! more (the old client's generated types still decode it).

use serde_json::Value;

use super::model::{Change, Kind, Side};

// Operations.

/// An operation the client calls is gone.
pub fn operation_removed(location: &str) -> Change {
    Change::breaking(location, Kind::OperationRemoved, "operation removed")
}

/// A new operation: the old client simply does not call it.
pub fn operation_added(location: &str) -> Change {
    Change::compatible(location, Kind::OperationAdded, "operation added")
}

/// progenitor names the generated method after the `operationId`, so renaming it renames the
/// method.
pub fn operation_id_changed(location: &str, old: Option<&Value>, new: Option<&Value>) -> Change {
    Change::breaking(
        location,
        Kind::OperationIdChanged,
        format!(
            "operationId changed from {} to {} (the generated method is renamed)",
            show(old),
            show(new)
        ),
    )
}

// Parameters (always on the request side).

/// A parameter the old client may send is no longer defined.
pub fn parameter_removed(location: &str) -> Change {
    Change::breaking(location, Kind::ParameterRemoved, "parameter removed")
}

/// A new parameter breaks the old client only when it is required, since the old client never
/// sends it.
pub fn parameter_added(location: &str, required: bool) -> Change {
    if required {
        Change::breaking(
            location,
            Kind::RequiredParameterAdded,
            "required parameter added",
        )
    } else {
        Change::compatible(location, Kind::ParameterAdded, "optional parameter added")
    }
}

/// A parameter that became required may be missing from the old client's requests.
pub fn parameter_requiredness(location: &str, was: bool, is: bool) -> Option<Change> {
    match (was, is) {
        (false, true) => Some(Change::breaking(
            location,
            Kind::ParameterBecameRequired,
            "parameter became required",
        )),
        (true, false) => Some(Change::compatible(
            location,
            Kind::ParameterBecameOptional,
            "parameter became optional",
        )),
        _ => None,
    }
}

// Request bodies.

/// The old client sends a body the operation no longer defines.
pub fn request_body_removed(location: &str) -> Change {
    Change::breaking(location, Kind::RequestBodyRemoved, "request body removed")
}

/// A new body breaks the old client only when it is required.
pub fn request_body_added(location: &str, required: bool) -> Change {
    if required {
        Change::breaking(
            location,
            Kind::RequiredRequestBodyAdded,
            "required request body added",
        )
    } else {
        Change::compatible(
            location,
            Kind::RequestBodyAdded,
            "optional request body added",
        )
    }
}

/// A body that became required may be missing from the old client's requests.
pub fn request_body_requiredness(location: &str, was: bool, is: bool) -> Option<Change> {
    match (was, is) {
        (false, true) => Some(Change::breaking(
            location,
            Kind::RequestBodyBecameRequired,
            "request body became required",
        )),
        (true, false) => Some(Change::compatible(
            location,
            Kind::RequestBodyBecameOptional,
            "request body became optional",
        )),
        _ => None,
    }
}

// Media types.

/// A removed content type breaks on both sides: the old client sends it, or decodes it.
pub fn media_type_removed(location: &str, media_type: &str) -> Change {
    Change::breaking(
        location,
        Kind::MediaTypeRemoved,
        format!("content type {media_type} removed"),
    )
}

/// A new content type: the old client keeps using the ones it knows.
pub fn media_type_added(location: &str, media_type: &str) -> Change {
    Change::compatible(
        location,
        Kind::MediaTypeAdded,
        format!("content type {media_type} added"),
    )
}

// Responses.

/// A removed success status breaks the client, whose generated return type is built from the
/// success responses; a removed error status does not (errors are decoded generically).
pub fn response_status_removed(location: &str, status: &str) -> Change {
    if is_success(status) {
        Change::breaking(
            location,
            Kind::ResponseStatusRemoved,
            format!("success response {status} removed"),
        )
    } else {
        Change::compatible(
            location,
            Kind::ResponseStatusRemoved,
            format!("response {status} removed"),
        )
    }
}

/// A new status is listed but not counted as breaking: the service could always answer with an
/// undocumented status, and the client handles that as an error.
pub fn response_status_added(location: &str, status: &str) -> Change {
    Change::compatible(
        location,
        Kind::ResponseStatusAdded,
        format!("response {status} added"),
    )
}

/// `2xx` statuses and the `2XX` range.
fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// A response header that was required may be relied on; an optional one never was promised.
pub fn header_removed(location: &str, was_required: bool) -> Change {
    let detail = if was_required {
        "required response header removed"
    } else {
        "optional response header removed"
    };
    Change::new(location, Kind::HeaderRemoved, was_required, detail)
}

/// A new response header: the old client ignores it.
pub fn header_added(location: &str) -> Change {
    Change::compatible(location, Kind::HeaderAdded, "response header added")
}

/// A response header that became optional may be missing where the old client expects it.
pub fn header_requiredness(location: &str, was: bool, is: bool) -> Option<Change> {
    match (was, is) {
        (false, true) => Some(Change::compatible(
            location,
            Kind::HeaderBecameRequired,
            "response header became required",
        )),
        (true, false) => Some(Change::breaking(
            location,
            Kind::HeaderBecameOptional,
            "response header became optional",
        )),
        _ => None,
    }
}

// Object properties.

/// A removed property breaks on both sides: the old client sends it (and the service may refuse
/// or ignore it), or reads it.
pub fn property_removed(side: Side, location: &str) -> Change {
    Change::breaking(
        location,
        Kind::PropertyRemoved,
        format!("{} property removed", side_word(side)),
    )
}

/// A new property breaks only when the old client must send it, i.e. a required request
/// property; the old client ignores new response properties.
pub fn property_added(side: Side, location: &str, required: bool) -> Change {
    match (side, required) {
        (Side::Request, true) => Change::breaking(
            location,
            Kind::RequiredPropertyAdded,
            "required request property added",
        ),
        (Side::Response, true) => Change::compatible(
            location,
            Kind::RequiredPropertyAdded,
            "required response property added",
        ),
        (side, false) => Change::compatible(
            location,
            Kind::PropertyAdded,
            format!("optional {} property added", side_word(side)),
        ),
    }
}

/// A request property that became required may be missing from the old client's requests; a
/// response property that became optional may be missing where the old client expects it.
pub fn property_requiredness(side: Side, location: &str, was: bool, is: bool) -> Option<Change> {
    let kind = match (was, is) {
        (false, true) => Kind::PropertyBecameRequired,
        (true, false) => Kind::PropertyBecameOptional,
        _ => return None,
    };
    let breaking = match side {
        Side::Request => kind == Kind::PropertyBecameRequired,
        Side::Response => kind == Kind::PropertyBecameOptional,
    };
    let word = if is { "required" } else { "optional" };
    Some(Change::new(
        location,
        kind,
        breaking,
        format!("{} property became {word}", side_word(side)),
    ))
}

// Schema keywords.

/// One change per enum value removed or added. The old client may still send a removed request
/// value; a new response value does not decode into the old client's generated Rust enum,
/// which is closed.
pub fn enum_values(side: Side, location: &str, old: &[Value], new: &[Value]) -> Vec<Change> {
    let removed = old
        .iter()
        .filter(|value| !new.contains(value))
        .map(|value| {
            Change::new(
                location,
                Kind::EnumValueRemoved,
                side == Side::Request,
                format!("enum value {} removed", show(Some(value))),
            )
        });
    let added = new
        .iter()
        .filter(|value| !old.contains(value))
        .map(|value| {
            Change::new(
                location,
                Kind::EnumValueAdded,
                side == Side::Response,
                format!("enum value {} added", show(Some(value))),
            )
        });
    removed.chain(added).collect()
}

/// A different `type` changes the generated Rust type and the values on the wire.
pub fn type_changed(location: &str, old: Option<&Value>, new: Option<&Value>) -> Change {
    Change::breaking(
        location,
        Kind::TypeChanged,
        format!("type changed from {} to {}", show(old), show(new)),
    )
}

/// A different `format` changes the generated Rust type (`int32` is `i32`, `int64` is `i64`,
/// `date-time` is a chrono type) and what the client accepts.
pub fn format_changed(location: &str, old: Option<&Value>, new: Option<&Value>) -> Change {
    Change::breaking(
        location,
        Kind::FormatChanged,
        format!("format changed from {} to {}", show(old), show(new)),
    )
}

/// A response that may now be null does not decode into the old client's non-optional field;
/// a request that no longer accepts null may be refused the null the old client sends.
pub fn nullable(side: Side, location: &str, was: bool, is: bool) -> Option<Change> {
    match (was, is) {
        (false, true) => Some(Change::new(
            location,
            Kind::NullableAdded,
            side == Side::Response,
            "became nullable",
        )),
        (true, false) => Some(Change::new(
            location,
            Kind::NullableRemoved,
            side == Side::Request,
            "no longer nullable",
        )),
        _ => None,
    }
}

/// A different default is listed (the service behaves differently when the client omits the
/// value) but does not break the client.
pub fn default_changed(location: &str, old: Option<&Value>, new: Option<&Value>) -> Change {
    Change::compatible(
        location,
        Kind::DefaultChanged,
        format!("default changed from {} to {}", show(old), show(new)),
    )
}

/// A lower bound (`minimum`, `minLength`, `minItems`, `minProperties`): raising or adding it
/// narrows the accepted values, lowering or removing it widens them.
pub fn lower_bound(
    side: Side,
    location: &str,
    keyword: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Option<Change> {
    let narrowed = match (number(old), number(new)) {
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some(old), Some(new)) if new > old => true,
        (Some(old), Some(new)) if new < old => false,
        _ => return None,
    };
    Some(restriction(
        side,
        location,
        narrowed,
        bound_detail(keyword, old, new, narrowed),
    ))
}

/// An upper bound (`maximum`, `maxLength`, `maxItems`, `maxProperties`): lowering or adding it
/// narrows the accepted values, raising or removing it widens them.
pub fn upper_bound(
    side: Side,
    location: &str,
    keyword: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Option<Change> {
    let narrowed = match (number(old), number(new)) {
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some(old), Some(new)) if new < old => true,
        (Some(old), Some(new)) if new > old => false,
        _ => return None,
    };
    Some(restriction(
        side,
        location,
        narrowed,
        bound_detail(keyword, old, new, narrowed),
    ))
}

/// A `pattern` added or changed counts as narrowed, since whether one regular expression
/// accepts everything another does cannot be decided here; a removed one widens.
pub fn pattern(side: Side, location: &str, old: Option<&Value>, new: Option<&Value>) -> Change {
    let narrowed = new.is_some();
    let detail = match (old, new) {
        (None, _) => format!("pattern {} added", show(new)),
        (_, None) => format!("pattern {} removed", show(old)),
        _ => format!("pattern changed from {} to {}", show(old), show(new)),
    };
    restriction(side, location, narrowed, detail)
}

/// A `multipleOf` added or changed counts as narrowed unless the new divisor divides the old
/// one (every old value is still a multiple); a removed one widens.
pub fn multiple_of(side: Side, location: &str, old: Option<&Value>, new: Option<&Value>) -> Change {
    let narrowed = match (number(old), number(new)) {
        (_, None) => false,
        (Some(old), Some(new)) => (old / new).fract() != 0.0,
        (None, Some(_)) => true,
    };
    restriction(
        side,
        location,
        narrowed,
        format!("multipleOf changed from {} to {}", show(old), show(new)),
    )
}

/// A yes/no restriction such as `uniqueItems`, `exclusiveMinimum: true` or
/// `additionalProperties: false`: turning it on narrows, turning it off widens.
pub fn restriction_flag(
    side: Side,
    location: &str,
    what: &str,
    was: bool,
    is: bool,
) -> Option<Change> {
    (was != is).then(|| {
        let detail = if is {
            format!("{what} now applies")
        } else {
            format!("{what} no longer applies")
        };
        restriction(side, location, is, detail)
    })
}

/// A narrowed or widened set of accepted values. Breaking when a request accepts less (the old
/// client may send what is now refused) or a response may carry more (the old client's types
/// may reject it).
pub fn restriction(
    side: Side,
    location: &str,
    narrowed: bool,
    detail: impl Into<String>,
) -> Change {
    let breaking = match side {
        Side::Request => narrowed,
        Side::Response => !narrowed,
    };
    let kind = if narrowed {
        Kind::ConstraintNarrowed
    } else {
        Kind::ConstraintWidened
    };
    Change::new(location, kind, breaking, detail)
}

// Everything else.

/// Descriptions, summaries, titles, examples, `deprecated`, external docs.
pub fn docs_changed(location: &str, keyword: &str) -> Change {
    Change::compatible(location, Kind::Docs, format!("{keyword} changed"))
}

/// Something the generated client does not depend on (info.version, servers, tags, links,
/// extensions).
pub fn metadata_changed(location: &str, detail: impl Into<String>) -> Change {
    Change::compatible(location, Kind::Metadata, detail)
}

/// Security requirements or schemes: counted as breaking, since the old client may then send
/// the wrong credentials.
pub fn security_changed(location: &str, detail: impl Into<String>) -> Change {
    Change::breaking(location, Kind::SecurityChanged, detail)
}

/// A security scheme added: the old client does not use it.
pub fn security_scheme_added(location: &str) -> Change {
    Change::compatible(location, Kind::SecurityChanged, "security scheme added")
}

/// A difference no rule understands (`discriminator`, `readOnly`, parameter `style`, a `oneOf`
/// that appeared, ...): counted as breaking so that a person reviews it.
pub fn unclassified(location: &str, keyword: &str) -> Change {
    Change::breaking(
        location,
        Kind::Unclassified,
        format!("{keyword} changed (no rule classifies this; review it by hand)"),
    )
}

fn side_word(side: Side) -> &'static str {
    match side {
        Side::Request => "request",
        Side::Response => "response",
    }
}

fn number(value: Option<&Value>) -> Option<f64> {
    value.and_then(Value::as_f64)
}

fn bound_detail(keyword: &str, old: Option<&Value>, new: Option<&Value>, narrowed: bool) -> String {
    let verb = match (old, new, narrowed) {
        (None, _, _) => "added",
        (_, None, _) => "removed",
        (_, _, true) if keyword.starts_with("min") => "raised",
        (_, _, true) => "lowered",
        (_, _, false) if keyword.starts_with("min") => "lowered",
        (_, _, false) => "raised",
    };
    format!("{keyword} {verb} from {} to {}", show(old), show(new))
}

/// A short rendering of a value for a detail: compact JSON, `absent` when missing, cut short when
/// long.
pub fn show(value: Option<&Value>) -> String {
    const LIMIT: usize = 60;
    let Some(value) = value else {
        return "absent".to_string();
    };
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        return text;
    }
    let cut: String = text.chars().take(LIMIT).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn restrictions_break_requests_when_narrowed_and_responses_when_widened() {
        assert!(restriction(Side::Request, "x", true, "").breaking);
        assert!(!restriction(Side::Request, "x", false, "").breaking);
        assert!(!restriction(Side::Response, "x", true, "").breaking);
        assert!(restriction(Side::Response, "x", false, "").breaking);
    }

    #[test]
    fn bounds_know_their_direction_and_say_what_happened() {
        let raised = lower_bound(
            Side::Request,
            "x",
            "minLength",
            Some(&json!(1)),
            Some(&json!(2)),
        );
        let raised = raised.unwrap();
        assert_eq!(
            (raised.kind, raised.breaking),
            (Kind::ConstraintNarrowed, true)
        );
        assert_eq!(raised.detail, "minLength raised from 1 to 2");

        let raised = upper_bound(
            Side::Request,
            "x",
            "maximum",
            Some(&json!(5)),
            Some(&json!(9)),
        );
        let raised = raised.unwrap();
        assert_eq!(
            (raised.kind, raised.breaking),
            (Kind::ConstraintWidened, false)
        );
        assert_eq!(raised.detail, "maximum raised from 5 to 9");

        let added = upper_bound(Side::Response, "x", "maxItems", None, Some(&json!(3))).unwrap();
        assert_eq!(
            (added.kind, added.breaking),
            (Kind::ConstraintNarrowed, false)
        );

        let same = lower_bound(
            Side::Request,
            "x",
            "minimum",
            Some(&json!(1)),
            Some(&json!(1.0)),
        );
        assert_eq!(same, None);
    }

    #[test]
    fn multiple_of_widens_only_when_the_new_divisor_divides_the_old_one() {
        let change = multiple_of(Side::Request, "x", Some(&json!(4)), Some(&json!(2)));
        assert_eq!(change.kind, Kind::ConstraintWidened);
        let change = multiple_of(Side::Request, "x", Some(&json!(2)), Some(&json!(4)));
        assert_eq!(change.kind, Kind::ConstraintNarrowed);
    }

    #[test]
    fn enum_values_are_classified_per_side() {
        let old = [json!("a"), json!("b")];
        let new = [json!("b"), json!("c")];
        let request: Vec<_> = enum_values(Side::Request, "x", &old, &new)
            .into_iter()
            .map(|change| (change.kind, change.breaking))
            .collect();
        assert_eq!(
            request,
            [
                (Kind::EnumValueRemoved, true),
                (Kind::EnumValueAdded, false)
            ]
        );
        let response: Vec<_> = enum_values(Side::Response, "x", &old, &new)
            .into_iter()
            .map(|change| (change.kind, change.breaking))
            .collect();
        assert_eq!(
            response,
            [
                (Kind::EnumValueRemoved, false),
                (Kind::EnumValueAdded, true)
            ]
        );
    }

    #[test]
    fn only_success_statuses_break_when_removed() {
        assert!(response_status_removed("x", "200").breaking);
        assert!(response_status_removed("x", "2XX").breaking);
        assert!(!response_status_removed("x", "404").breaking);
        assert!(!response_status_removed("x", "default").breaking);
    }

    #[test]
    fn long_values_are_cut_short() {
        let long = json!("a".repeat(100));
        assert!(show(Some(&long)).ends_with("..."));
        assert_eq!(show(None), "absent");
    }
}
