//! Narrowing against widening, for every constraint keyword of OpenAPI 3.0 and 3.1 (JSON
//! Schema's validation vocabulary): a request that accepts less breaks the old client, a
//! response that may carry more does too; the mirrors do not.

use crate::{judged, received, received_31, sent, sent_31};

const NARROWED: (&str, &str, &str) = ("request-constraint-narrowed", "breaking", "ok");
const WIDENED: (&str, &str, &str) = ("request-constraint-widened", "ok", "ok");
const RESPONSE_NARROWED: (&str, &str, &str) = ("response-constraint-narrowed", "ok", "ok");
const RESPONSE_WIDENED: (&str, &str, &str) = ("response-constraint-widened", "breaking", "ok");

/// Like `judged!`, for changes that are one constraint each: `name: base, head => RULE;`.
macro_rules! constrained {
    ($($name:ident: $base:expr, $head:expr => $expected:expr;)*) => {
        $(
            #[test]
            fn $name() {
                assert_eq!(crate::judge(&$base, &$head), vec![$expected]);
            }
        )*
    };
}

constrained! {
    a_request_minimum_raised_breaks_since_small_values_are_refused:
        sent("{type: number, minimum: 1}"), sent("{type: number, minimum: 2}") => NARROWED;
    a_request_minimum_lowered_breaks_nothing:
        sent("{type: number, minimum: 2}"), sent("{type: number, minimum: 1}") => WIDENED;
    a_request_maximum_lowered_breaks_since_large_values_are_refused:
        sent("{type: number, maximum: 9}"), sent("{type: number, maximum: 5}") => NARROWED;
    a_request_maximum_removed_breaks_nothing:
        sent("{type: number, maximum: 9}"), sent("{type: number}") => WIDENED;
    a_30_exclusive_minimum_turned_on_breaks_a_request_since_the_bound_is_refused:
        sent("{type: number, minimum: 0}"), sent("{type: number, minimum: 0, exclusiveMinimum: true}") => NARROWED;
    a_30_exclusive_maximum_turned_off_breaks_nothing_in_a_request:
        sent("{type: number, maximum: 9, exclusiveMaximum: true}"), sent("{type: number, maximum: 9}") => WIDENED;
    a_31_exclusive_minimum_raised_breaks_a_request:
        sent_31("{type: number, exclusiveMinimum: 0}"), sent_31("{type: number, exclusiveMinimum: 1}") => NARROWED;
    a_31_exclusive_maximum_raised_breaks_nothing_in_a_request:
        sent_31("{type: number, exclusiveMaximum: 5}"), sent_31("{type: number, exclusiveMaximum: 9}") => WIDENED;
    a_response_maximum_raised_breaks_since_the_old_client_may_refuse_it:
        received("{type: number, maximum: 5}"), received("{type: number, maximum: 9}") => RESPONSE_WIDENED;
    a_response_maximum_lowered_breaks_nothing:
        received("{type: number, maximum: 9}"), received("{type: number, maximum: 5}") => RESPONSE_NARROWED;
    a_request_min_length_raised_breaks_since_short_strings_are_refused:
        sent("{type: string, minLength: 1}"), sent("{type: string, minLength: 2}") => NARROWED;
    a_request_max_length_raised_breaks_nothing:
        sent("{type: string, maxLength: 5}"), sent("{type: string, maxLength: 9}") => WIDENED;
    a_response_min_length_lowered_breaks_since_typifys_newtype_refuses_short_strings:
        received("{type: string, minLength: 2}"), received("{type: string, minLength: 1}") => RESPONSE_WIDENED;
    a_response_min_length_raised_breaks_nothing:
        received("{type: string, minLength: 1}"), received("{type: string, minLength: 2}") => RESPONSE_NARROWED;
    a_request_min_items_raised_breaks_since_short_lists_are_refused:
        sent("{type: array, minItems: 1}"), sent("{type: array, minItems: 2}") => NARROWED;
    a_request_max_items_raised_breaks_nothing:
        sent("{type: array, maxItems: 5}"), sent("{type: array, maxItems: 9}") => WIDENED;
    a_request_min_properties_raised_breaks:
        sent("{type: object, minProperties: 1}"), sent("{type: object, minProperties: 2}") => NARROWED;
    a_request_max_properties_removed_breaks_nothing:
        sent("{type: object, maxProperties: 3}"), sent("{type: object}") => WIDENED;
    a_request_multiple_of_made_coarser_breaks_since_old_multiples_are_refused:
        sent("{type: number, multipleOf: 2}"), sent("{type: number, multipleOf: 4}") => NARROWED;
    a_request_multiple_of_made_finer_breaks_nothing_since_every_old_multiple_stays_one:
        sent("{type: number, multipleOf: 4}"), sent("{type: number, multipleOf: 2}") => WIDENED;
    a_request_contains_added_breaks_since_lists_without_a_match_are_refused_31:
        sent_31("{type: array}"), sent_31("{type: array, contains: {type: integer}}") => NARROWED;
    a_request_contains_removed_breaks_nothing_31:
        sent_31("{type: array, contains: {type: integer}}"), sent_31("{type: array}") => WIDENED;
    a_request_min_contains_raised_breaks_31:
        sent_31("{type: array, contains: {type: integer}}"), sent_31("{type: array, contains: {type: integer}, minContains: 2}") => NARROWED;
    a_request_max_contains_removed_breaks_nothing_31:
        sent_31("{type: array, contains: {type: integer}, maxContains: 2}"), sent_31("{type: array, contains: {type: integer}}") => WIDENED;
    a_request_dependent_required_added_breaks_31:
        sent_31("{type: object}"), sent_31("{type: object, dependentRequired: {card: [cvc]}}") => NARROWED;
    a_request_dependent_required_removed_breaks_nothing_31:
        sent_31("{type: object, dependentRequired: {card: [cvc]}}"), sent_31("{type: object}") => WIDENED;
    a_request_unevaluated_properties_closed_breaks_31:
        sent_31("{type: object}"), sent_31("{type: object, unevaluatedProperties: false}") => NARROWED;
    a_request_unevaluated_items_opened_breaks_nothing_31:
        sent_31("{type: array, unevaluatedItems: false}"), sent_31("{type: array}") => WIDENED;
    a_response_additional_properties_opened_breaks_since_the_old_client_refuses_extra_members:
        received("{type: object, additionalProperties: false}"), received("{type: object}") => RESPONSE_WIDENED;
    a_request_additional_properties_opened_breaks_nothing:
        sent("{type: object, additionalProperties: false}"), sent("{type: object}") => WIDENED;
    a_request_property_names_added_breaks_31:
        sent_31("{type: object}"), sent_31("{type: object, propertyNames: {maxLength: 3}}") => NARROWED;
    a_request_pattern_properties_removed_breaks_nothing_31:
        sent_31("{type: object, patternProperties: {'^x-': {type: string}}}"), sent_31("{type: object}") => WIDENED;
    a_request_dependent_schemas_added_breaks_31:
        sent_31("{type: object}"), sent_31("{type: object, dependentSchemas: {card: {required: [cvc]}}}") => NARROWED;
    a_request_prefix_items_lengthened_breaks_31:
        sent_31("{type: array, prefixItems: [{type: string}]}"), sent_31("{type: array, prefixItems: [{type: string}, {type: integer}]}") => NARROWED;
    a_request_not_added_breaks_since_its_values_are_refused:
        sent("{type: string}"), sent("{type: string, not: {enum: [x]}}") => NARROWED;
    a_request_items_schema_widened_breaks_nothing:
        sent("{type: array, items: {type: string, maxLength: 3}}"), sent("{type: array, items: {type: string, maxLength: 9}}") => WIDENED;
    a_request_format_added_breaks_since_other_strings_are_refused:
        sent("{type: string}"), sent("{type: string, format: email}") => NARROWED;
    a_request_format_removed_breaks_nothing:
        sent("{type: string, format: email}"), sent("{type: string}") => WIDENED;
    a_request_pattern_added_breaks_since_strings_that_do_not_match_are_refused:
        sent("{type: string, maxLength: 9}"), sent("{type: string, maxLength: 9, pattern: '^[a-z]+$'}") => NARROWED;
    a_request_pattern_removed_breaks_nothing:
        sent("{type: string, maxLength: 9, pattern: '^[a-z]+$'}"), sent("{type: string, maxLength: 9}") => WIDENED;
    a_request_pattern_replaced_by_dot_star_breaks_nothing_since_it_matches_anything:
        sent("{type: string, pattern: '^[a-z]+$'}"), sent("{type: string, pattern: '.*'}") => WIDENED;
    a_request_dot_star_pattern_replaced_by_a_real_one_breaks:
        sent("{type: string, pattern: '.*'}"), sent("{type: string, pattern: '^[a-z]+$'}") => NARROWED;
    a_request_pattern_changed_is_left_for_review_since_regex_inclusion_is_not_decided:
        sent("{type: string, pattern: '^[a-z]+$'}"), sent("{type: string, pattern: '^[a-z0-9]+$'}") => ("unclassified", "review", "review");
}

judged! {
    a_conditional_schema_is_left_for_review_naming_if_and_then_31:
        sent_31("{type: object}"), sent_31("{type: object, if: {required: [a]}, then: {required: [b]}}") => [("unclassified", "review", "review"), ("unclassified", "review", "review")];
    a_request_const_removed_breaks_only_the_code_31:
        sent_31("{type: integer, const: 1}"), sent_31("{type: integer}") => [("generated-type-changed", "ok", "breaking"), ("request-constraint-widened", "ok", "ok")];
    a_request_const_added_breaks_the_wire_and_the_code_31:
        sent_31("{type: integer}"), sent_31("{type: integer, const: 1}") => [("generated-type-changed", "ok", "breaking"), ("request-constraint-narrowed", "breaking", "ok")];
    a_request_enum_removed_breaks_only_the_code_since_the_enum_type_goes:
        sent("{type: integer, enum: [1, 2]}"), sent("{type: integer}") => [("generated-type-changed", "ok", "breaking"), ("request-constraint-widened", "ok", "ok")];
    a_request_enum_added_breaks_the_wire_and_the_code_since_typify_makes_an_enum:
        sent("{type: integer}"), sent("{type: integer, enum: [1, 2]}") => [("generated-type-changed", "ok", "breaking"), ("request-constraint-narrowed", "breaking", "ok")];
    the_30_exclusive_minimum_rewritten_the_31_way_is_no_change:
        sent("{type: number, minimum: 0, exclusiveMinimum: true}"),
        sent_31("{type: number, exclusiveMinimum: 0}")
        => [("metadata-changed", "ok", "ok")];
    a_min_length_of_zero_is_no_min_length:
        sent("{type: array}"), sent("{type: array, minItems: 0}") => [];
    a_unique_items_turned_on_breaks_requests_and_the_code_since_typify_makes_a_set:
        sent("{type: array, items: {type: string}}"), sent("{type: array, items: {type: string}, uniqueItems: true}")
        => [("generated-type-changed", "ok", "breaking"), ("request-constraint-narrowed", "breaking", "ok")];
    a_unique_items_turned_off_in_a_response_breaks_since_duplicates_may_come:
        received("{type: array, items: {type: string}, uniqueItems: true}"), received("{type: array, items: {type: string}}")
        => [("generated-type-changed", "ok", "breaking"), ("response-constraint-widened", "breaking", "ok")];
    a_first_max_length_breaks_the_code_since_typify_makes_a_checking_newtype:
        sent("{type: string}"), sent("{type: string, maxLength: 9}")
        => [("generated-type-changed", "ok", "breaking"), ("request-constraint-narrowed", "breaking", "ok")];
    a_max_length_changed_keeps_the_code_since_the_newtype_stays:
        sent("{type: string, maxLength: 5}"), sent("{type: string, maxLength: 9}")
        => [("request-constraint-widened", "ok", "ok")];
    a_response_format_widened_from_int32_to_int64_breaks_the_wire_and_the_rust_width:
        received("{type: integer, format: int32}"), received("{type: integer, format: int64}")
        => [("generated-type-changed", "ok", "breaking"), ("response-constraint-widened", "breaking", "ok")];
    a_response_min_length_lowered_in_31_breaks_too:
        received_31("{type: string, minLength: 3}"), received_31("{type: string, minLength: 2}")
        => [("response-constraint-widened", "breaking", "ok")];
}
