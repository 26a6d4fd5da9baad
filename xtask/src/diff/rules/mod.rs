//! The catalogue of rules. Each rule has a stable id, the side it applies to, its two verdicts
//! (on the wire, in the regenerated code) and a sentence a reviewer understands. The walkers
//! find the differences and pick the rule; the rule alone decides the verdicts, apart from one
//! principle: where progenitor generates no code (callbacks, webhooks, response headers), the
//! code verdict is always ok.
//!
//! The wire verdicts follow one principle: a request may accept more but not less than before
//! (the old client still sends what it used to), a response may carry less but not more (the
//! old client still reads what comes). The code verdicts follow progenitor 0.15 and typify 0.8:
//! builder methods are named after parameters, types after schemas (inline ones after their
//! place or `title`), an optional field is an `Option`, and `readOnly`/`writeOnly` are ignored.
//! Code is assumed to use the generated builders, not struct literals.

mod bodies;
mod operations;
mod other;
mod parameters;
mod properties;
mod security;
mod shapes;
mod values;

pub use bodies::*;
pub use operations::*;
pub use other::*;
pub use parameters::*;
pub use properties::*;
pub use security::*;
pub use shapes::*;
pub use values::*;

use super::verdict::{Side, Verdict};

/// One way a spec can change, and what it does to a client generated from the older spec.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// The stable name of the rule, as printed in reports (`request-property-removed`).
    pub id: &'static str,
    /// The side the rule is about, or `None` when it applies to both or to neither.
    pub side: Option<Side>,
    /// Whether a client built from the old spec still works against the new service.
    pub wire: Verdict,
    /// Whether code written against the old generated client still compiles.
    pub code: Verdict,
    /// Why, in one sentence.
    pub sentence: &'static str,
}

/// Defines a rule as a `static`, with its sentence as its documentation.
macro_rules! rule {
    ($name:ident, $id:literal, $side:ident, $wire:ident, $code:ident, $sentence:literal) => {
        #[doc = $sentence]
        pub static $name: super::Rule = super::Rule {
            id: $id,
            side: super::side::$side,
            wire: crate::diff::verdict::Verdict::$wire,
            code: crate::diff::verdict::Verdict::$code,
            sentence: $sentence,
        };
    };
}
pub(crate) use rule;

/// Short names for a rule's side, for the `rule!` definitions.
mod side {
    use crate::diff::verdict::Side;

    pub const REQUEST: Option<Side> = Some(Side::Request);
    pub const RESPONSE: Option<Side> = Some(Side::Response);
    pub const EITHER: Option<Side> = None;
}

/// Every rule, in the order `--help` and the README list them.
pub static ALL: &[&Rule] = &[
    &OPERATION_REMOVED,
    &OPERATION_ADDED,
    &OPERATION_ID_CHANGED,
    &PATH_PARAMETER_RENAMED,
    &CALLBACK_REMOVED,
    &CALLBACK_ADDED,
    &CALLBACK_STRUCTURE_CHANGED,
    &PARAMETER_REMOVED,
    &OPTIONAL_PARAMETER_ADDED,
    &REQUIRED_PARAMETER_ADDED,
    &PARAMETER_BECAME_REQUIRED,
    &PARAMETER_BECAME_OPTIONAL,
    &PARAMETER_SERIALIZATION_CHANGED,
    &PARAMETER_DEFAULT_CHANGED,
    &REQUEST_BODY_REMOVED,
    &OPTIONAL_REQUEST_BODY_ADDED,
    &REQUIRED_REQUEST_BODY_ADDED,
    &REQUEST_BODY_BECAME_REQUIRED,
    &REQUEST_BODY_BECAME_OPTIONAL,
    &REQUEST_MEDIA_TYPE_REMOVED,
    &REQUEST_MEDIA_TYPE_ADDED,
    &RESPONSE_MEDIA_TYPE_REMOVED,
    &RESPONSE_MEDIA_TYPE_ADDED,
    &SUCCESS_RESPONSE_REMOVED,
    &LAST_SUCCESS_RESPONSE_REMOVED,
    &SUCCESS_RESPONSE_ADDED,
    &ERROR_RESPONSE_REMOVED,
    &ERROR_RESPONSE_ADDED,
    &REQUIRED_RESPONSE_HEADER_REMOVED,
    &OPTIONAL_RESPONSE_HEADER_REMOVED,
    &RESPONSE_HEADER_ADDED,
    &RESPONSE_HEADER_BECAME_REQUIRED,
    &RESPONSE_HEADER_BECAME_OPTIONAL,
    &REQUEST_PROPERTY_REMOVED,
    &REQUEST_PROPERTY_ADDED,
    &REQUIRED_REQUEST_PROPERTY_ADDED,
    &REQUEST_PROPERTY_BECAME_REQUIRED,
    &REQUEST_PROPERTY_BECAME_OPTIONAL,
    &REQUEST_PROPERTY_BECAME_READ_ONLY,
    &REQUEST_PROPERTY_NO_LONGER_READ_ONLY,
    &REQUIRED_REQUEST_PROPERTY_NO_LONGER_READ_ONLY,
    &WRITE_ONLY_CHANGED_IN_REQUEST,
    &REQUIRED_RESPONSE_PROPERTY_REMOVED,
    &OPTIONAL_RESPONSE_PROPERTY_REMOVED,
    &RESPONSE_PROPERTY_ADDED,
    &RESPONSE_PROPERTY_BECAME_OPTIONAL,
    &RESPONSE_PROPERTY_BECAME_REQUIRED,
    &REQUIRED_RESPONSE_PROPERTY_BECAME_WRITE_ONLY,
    &OPTIONAL_RESPONSE_PROPERTY_BECAME_WRITE_ONLY,
    &RESPONSE_PROPERTY_NO_LONGER_WRITE_ONLY,
    &READ_ONLY_CHANGED_IN_RESPONSE,
    &HIDDEN_PROPERTY_ADDED,
    &HIDDEN_PROPERTY_REMOVED,
    &HIDDEN_PROPERTY_REQUIREDNESS_CHANGED,
    &REQUEST_TYPE_WIDENED,
    &REQUEST_TYPE_NARROWED,
    &RESPONSE_TYPE_WIDENED,
    &RESPONSE_TYPE_NARROWED,
    &TYPE_CHANGED,
    &REQUEST_NULLABLE_ADDED,
    &REQUEST_NULLABLE_REMOVED,
    &RESPONSE_NULLABLE_ADDED,
    &RESPONSE_NULLABLE_REMOVED,
    &REQUEST_ENUM_VALUE_ADDED,
    &REQUEST_ENUM_VALUE_REMOVED,
    &RESPONSE_ENUM_VALUE_ADDED,
    &RESPONSE_ENUM_VALUE_REMOVED,
    &REQUEST_CONSTRAINT_NARROWED,
    &REQUEST_CONSTRAINT_WIDENED,
    &RESPONSE_CONSTRAINT_NARROWED,
    &RESPONSE_CONSTRAINT_WIDENED,
    &REQUEST_DEFAULT_CHANGED,
    &RESPONSE_DEFAULT_CHANGED,
    &GENERATED_TYPE_CHANGED,
    &TYPE_NAME_CHANGED,
    &REQUEST_VARIANT_ADDED,
    &REQUEST_VARIANT_REMOVED,
    &RESPONSE_VARIANT_ADDED,
    &RESPONSE_VARIANT_REMOVED,
    &ONE_OF_VARIANT_WIDENED,
    &UNNAMED_VARIANT_MOVED,
    &DISCRIMINATOR_PROPERTY_CHANGED,
    &DISCRIMINATOR_MAPPING_RETARGETED,
    &REQUEST_DISCRIMINATOR_VALUE_ADDED,
    &REQUEST_DISCRIMINATOR_VALUE_REMOVED,
    &RESPONSE_DISCRIMINATOR_VALUE_ADDED,
    &RESPONSE_DISCRIMINATOR_VALUE_REMOVED,
    &SECURITY_TIGHTENED,
    &SECURITY_RELAXED,
    &DOCS_CHANGED,
    &METADATA_CHANGED,
    &UNCLASSIFIED,
];

/// The rule with this id, if there is one.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|rule| rule.id == id)
}

/// `request` when the data is sent, `response` when it is received.
pub fn for_side(side: Side, request: &'static Rule, response: &'static Rule) -> &'static Rule {
    match side {
        Side::Request => request,
        Side::Response => response,
    }
}

/// One line per rule: its id, its side, its two verdicts and its sentence.
pub fn listing() -> String {
    ALL.iter()
        .map(|rule| {
            let side = rule.side.map_or("either", Side::as_str);
            format!(
                "{}  [{side}; wire: {}, code: {}] {}\n",
                rule.id, rule.wire, rule.code, rule.sentence
            )
        })
        .collect()
}

/// Whether `rule` says a request now accepts more than before. A oneOf variant that accepts
/// more may start to overlap another one, which `oneOf` then refuses.
pub fn widens_requests(rule: &Rule) -> bool {
    [
        &REQUEST_TYPE_WIDENED,
        &REQUEST_NULLABLE_ADDED,
        &REQUEST_ENUM_VALUE_ADDED,
        &REQUEST_CONSTRAINT_WIDENED,
        &REQUEST_VARIANT_ADDED,
        &REQUEST_DISCRIMINATOR_VALUE_ADDED,
        &REQUEST_PROPERTY_BECAME_OPTIONAL,
    ]
    .iter()
    .any(|widening| widening.id == rule.id)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_sides_match_their_prefix() {
        let ids: BTreeSet<&str> = ALL.iter().map(|rule| rule.id).collect();
        assert_eq!(ids.len(), ALL.len());
        for rule in ALL {
            assert!(
                rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                rule.id
            );
            if rule.id.starts_with("request-") {
                assert_eq!(rule.side, Some(Side::Request), "{}", rule.id);
            }
            if rule.id.starts_with("response-") {
                assert_eq!(rule.side, Some(Side::Response), "{}", rule.id);
            }
            assert!(rule.sentence.ends_with('.'), "{}", rule.id);
        }
    }

    #[test]
    fn verdicts_are_printed_in_the_listing() {
        assert!(
            listing()
                .contains("request-property-removed  [request; wire: breaking, code: breaking]")
        );
        assert_eq!(
            by_id("unclassified").map(|rule| rule.wire),
            Some(Verdict::Review)
        );
    }
}
