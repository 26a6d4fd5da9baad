//! Parameters: present, required, how they are written on the wire, their defaults.

use crate::{document, judged};

/// A document whose operation has `parameters` (a flow sequence).
fn with(parameters: &str) -> String {
    let operation =
        format!("{{parameters: {parameters}, responses: {{'200': {{description: ok}}}}}}");
    document("3.0.3", &operation, "")
}

const NONE: &str = "[]";
const LIMIT: &str = "[{name: limit, in: query, schema: {type: integer}}]";
const LIMIT_REQUIRED: &str = "[{name: limit, in: query, required: true, schema: {type: integer}}]";
const TAGS: &str = "[{name: tags, in: query, schema: {type: array, items: {type: string}}}]";

judged! {
    a_parameter_removed_breaks_the_wire_and_the_code_since_the_old_client_sends_it:
        with(LIMIT), with(NONE) => [("parameter-removed", "breaking", "breaking")];
    an_optional_parameter_added_breaks_nothing_since_the_old_client_leaves_it_out:
        with(NONE), with(LIMIT) => [("optional-parameter-added", "ok", "ok")];
    a_required_parameter_added_breaks_the_wire_since_the_old_client_does_not_send_it:
        with(NONE), with(LIMIT_REQUIRED) => [("required-parameter-added", "breaking", "ok")];
    a_parameter_made_required_breaks_the_wire_since_the_old_client_may_leave_it_out:
        with(LIMIT), with(LIMIT_REQUIRED) => [("parameter-became-required", "breaking", "ok")];
    a_parameter_made_optional_breaks_nothing_since_it_is_still_accepted:
        with(LIMIT_REQUIRED), with(LIMIT) => [("parameter-became-optional", "ok", "ok")];
    an_array_parameter_no_longer_exploded_breaks_the_wire_since_it_is_written_differently:
        with(TAGS), with(&TAGS.replace("in: query,", "in: query, explode: false,"))
        => [("parameter-serialization-changed", "breaking", "ok")];
    the_default_style_written_out_breaks_nothing_since_it_is_the_same_serialization:
        with(TAGS), with(&TAGS.replace("in: query,", "in: query, style: form, explode: true,"))
        => [];
    explode_on_a_primitive_parameter_breaks_nothing_since_a_single_value_is_written_alike:
        with(LIMIT), with(&LIMIT.replace("in: query,", "in: query, explode: false,"))
        => [];
    allow_empty_value_added_breaks_nothing_since_the_service_accepts_more:
        with(LIMIT), with(&LIMIT.replace("in: query,", "in: query, allowEmptyValue: true,"))
        => [("request-constraint-widened", "ok", "ok")];
    allow_empty_value_removed_breaks_the_wire_since_an_empty_value_is_now_refused:
        with(&LIMIT.replace("in: query,", "in: query, allowEmptyValue: true,")), with(LIMIT)
        => [("request-constraint-narrowed", "breaking", "ok")];
    a_parameter_default_changed_is_left_for_review_since_the_old_client_leaves_it_out:
        with(&LIMIT.replace("type: integer", "type: integer, default: 20")),
        with(&LIMIT.replace("type: integer", "type: integer, default: 100"))
        => [("parameter-default-changed", "review", "ok")];
    a_parameter_described_anew_breaks_nothing:
        with(LIMIT), with(&LIMIT.replace("in: query,", "in: query, description: How many,"))
        => [("docs-changed", "ok", "ok")];
    a_header_parameter_written_in_another_case_is_the_same_parameter:
        with("[{name: X-Trace, in: header, schema: {type: string}}]"),
        with("[{name: x-trace, in: header, schema: {type: string}}]")
        => [];
    an_accept_header_parameter_is_ignored_as_openapi_says:
        with(NONE), with("[{name: Accept, in: header, required: true, schema: {type: string}}]")
        => [];
}
