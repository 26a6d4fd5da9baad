//! Types, null, enums, const and defaults.

use crate::{judged, received, received_31, sent, sent_31};

judged! {
    an_integer_request_widened_to_number_breaks_only_the_code_since_every_integer_is_a_number:
        sent("{type: integer}"), sent("{type: number}") => [("request-type-widened", "ok", "breaking")];
    a_number_request_narrowed_to_integer_breaks_since_the_old_client_may_send_a_fraction:
        sent("{type: number}"), sent("{type: integer}") => [("request-type-narrowed", "breaking", "breaking")];
    an_integer_response_widened_to_number_breaks_since_a_fraction_does_not_decode:
        received("{type: integer}"), received("{type: number}") => [("response-type-widened", "breaking", "breaking")];
    a_number_response_narrowed_to_integer_breaks_only_the_code:
        received("{type: number}"), received("{type: integer}") => [("response-type-narrowed", "ok", "breaking")];
    a_string_changed_to_a_boolean_breaks_everything_since_neither_contains_the_other:
        sent("{type: string}"), sent("{type: boolean}") => [("type-changed", "breaking", "breaking")];
    a_type_array_gaining_a_type_widens_a_request_31:
        sent_31("{type: [string]}"), sent_31("{type: [string, integer]}") => [("request-type-widened", "ok", "breaking")];
    a_type_array_gaining_a_type_breaks_a_response_31:
        received_31("{type: [string]}"), received_31("{type: [string, integer]}") => [("response-type-widened", "breaking", "breaking")];
    a_type_written_as_an_array_of_one_is_no_change_31:
        sent_31("{type: string}"), sent_31("{type: [string]}") => [];
    null_added_to_a_31_type_array_breaks_a_response_since_the_old_client_expects_a_value:
        received_31("{type: string}"), received_31("{type: [string, 'null']}")
        => [("response-nullable-added", "breaking", "ok"), ("generated-type-changed", "ok", "breaking")];
    null_removed_from_a_31_type_array_breaks_nothing_in_a_response:
        received_31("{type: [string, 'null']}"), received_31("{type: string}")
        => [("response-nullable-removed", "ok", "ok"), ("generated-type-changed", "ok", "breaking")];
    nullable_added_to_a_request_breaks_nothing_since_it_accepts_more:
        sent("{type: string}"), sent("{type: string, nullable: true}")
        => [("request-nullable-added", "ok", "ok"), ("generated-type-changed", "ok", "breaking")];
    nullable_removed_from_a_request_breaks_since_the_old_client_may_send_null:
        sent("{type: string, nullable: true}"), sent("{type: string}")
        => [("request-nullable-removed", "breaking", "ok"), ("generated-type-changed", "ok", "breaking")];
    nullable_on_an_optional_property_changes_no_code_since_it_is_an_option_anyway:
        received("{type: object, properties: {a: {type: string}}}"),
        received("{type: object, properties: {a: {type: string, nullable: true}}}")
        => [("response-nullable-added", "breaking", "ok")];
    a_request_enum_value_added_breaks_nothing_since_the_old_values_stay:
        sent("{type: string, enum: [a]}"), sent("{type: string, enum: [a, b]}") => [("request-enum-value-added", "ok", "ok")];
    a_request_enum_value_removed_breaks_since_the_old_client_may_send_it:
        sent("{type: string, enum: [a, b]}"), sent("{type: string, enum: [a]}") => [("request-enum-value-removed", "breaking", "breaking")];
    a_response_enum_value_added_breaks_since_the_closed_rust_enum_cannot_decode_it:
        received("{type: string, enum: [a]}"), received("{type: string, enum: [a, b]}") => [("response-enum-value-added", "breaking", "breaking")];
    a_response_enum_value_removed_breaks_only_the_code_since_its_variant_is_gone:
        received("{type: string, enum: [a, b]}"), received("{type: string, enum: [a]}") => [("response-enum-value-removed", "ok", "breaking")];
    a_const_is_an_enum_of_one_value_31:
        sent_31("{type: string, enum: [a]}"), sent_31("{type: string, const: a}") => [];
    a_const_changed_in_a_request_breaks_since_the_old_value_is_refused_31:
        sent_31("{type: string, const: a}"), sent_31("{type: string, const: b}")
        => [("request-enum-value-removed", "breaking", "breaking"), ("request-enum-value-added", "ok", "ok")];
    a_request_default_changed_breaks_nothing_since_typify_sends_the_old_default_explicitly:
        sent("{type: object, properties: {size: {type: string, default: small}}}"),
        sent("{type: object, properties: {size: {type: string, default: large}}}")
        => [("request-default-changed", "ok", "ok")];
    a_response_default_changed_is_left_for_review_since_the_old_client_fills_in_the_old_one:
        received("{type: object, properties: {size: {type: string, default: small}}}"),
        received("{type: object, properties: {size: {type: string, default: large}}}")
        => [("response-default-changed", "review", "ok")];
}
