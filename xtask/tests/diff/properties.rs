//! Object properties: present and required, on each side.

use crate::{judged, received, sent};

const NAME: &str = "{type: object, properties: {name: {type: string}}}";
const NAME_REQUIRED: &str = "{type: object, required: [name], properties: {name: {type: string}}}";
const EMPTY: &str = "{type: object}";
const REQUIRED_WITHOUT_SCHEMA: &str = "{type: object, required: [name]}";

judged! {
    a_request_property_removed_breaks_since_the_old_client_sends_it_and_sets_the_field:
        sent(NAME), sent(EMPTY) => [("request-property-removed", "breaking", "breaking")];
    an_optional_request_property_added_breaks_nothing_since_the_old_client_leaves_it_out:
        sent(EMPTY), sent(NAME) => [("request-property-added", "ok", "ok")];
    a_required_request_property_added_breaks_the_wire_since_the_old_client_does_not_send_it:
        sent(EMPTY), sent(NAME_REQUIRED) => [("required-request-property-added", "breaking", "ok")];
    a_required_name_without_a_schema_added_to_a_request_breaks_since_any_value_must_be_there:
        sent(EMPTY), sent(REQUIRED_WITHOUT_SCHEMA) => [("required-request-property-added", "breaking", "ok")];
    a_required_name_without_a_schema_added_to_a_response_breaks_nothing_since_it_only_adds:
        received(EMPTY), received(REQUIRED_WITHOUT_SCHEMA) => [("response-property-added", "ok", "ok")];
    a_required_name_without_a_schema_given_one_breaks_nothing:
        sent(REQUIRED_WITHOUT_SCHEMA), sent(NAME_REQUIRED) => [];
    a_request_property_made_required_breaks_since_the_old_client_may_leave_it_out:
        sent(NAME), sent(NAME_REQUIRED) => [("request-property-became-required", "breaking", "breaking")];
    a_request_property_made_optional_breaks_only_the_code_since_the_field_becomes_an_option:
        sent(NAME_REQUIRED), sent(NAME) => [("request-property-became-optional", "ok", "breaking")];
    a_required_response_property_removed_breaks_since_the_old_field_is_not_an_option:
        received(NAME_REQUIRED), received(EMPTY) => [("required-response-property-removed", "breaking", "breaking")];
    an_optional_response_property_removed_breaks_only_the_code_since_the_option_reads_none:
        received(NAME), received(EMPTY) => [("optional-response-property-removed", "ok", "breaking")];
    a_response_property_added_breaks_nothing_since_the_old_client_ignores_it:
        received(EMPTY), received(NAME_REQUIRED) => [("response-property-added", "ok", "ok")];
    a_response_property_made_optional_breaks_since_the_old_field_is_not_an_option:
        received(NAME_REQUIRED), received(NAME) => [("response-property-became-optional", "breaking", "breaking")];
    a_response_property_made_required_breaks_only_the_code_since_the_field_is_no_longer_an_option:
        received(NAME), received(NAME_REQUIRED) => [("response-property-became-required", "ok", "breaking")];
}
