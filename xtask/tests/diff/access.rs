//! `readOnly` and `writeOnly` (OpenAPI 3.0.3, Schema Object): a readOnly property "SHOULD NOT
//! be sent as part of the request", a writeOnly one "SHOULD NOT be sent as part of the
//! response", and their `required` "will take effect on the response only" (request only).
//! typify ignores both, so the code never changes with them.

use crate::{judged, received, sent};

const ID: &str = "{type: object, properties: {id: {type: string}}}";
const ID_READ_ONLY: &str = "{type: object, properties: {id: {type: string, readOnly: true}}}";
const ID_REQUIRED: &str = "{type: object, required: [id], properties: {id: {type: string}}}";
const ID_REQUIRED_READ_ONLY: &str =
    "{type: object, required: [id], properties: {id: {type: string, readOnly: true}}}";
const ID_WRITE_ONLY: &str = "{type: object, properties: {id: {type: string, writeOnly: true}}}";
const ID_REQUIRED_WRITE_ONLY: &str =
    "{type: object, required: [id], properties: {id: {type: string, writeOnly: true}}}";
const EMPTY: &str = "{type: object}";

judged! {
    read_only_dropped_from_a_response_property_breaks_nothing_since_responses_carry_it_anyway:
        received(ID_READ_ONLY), received(ID) => [("read-only-changed-in-response", "ok", "ok")];
    read_only_added_to_a_response_property_breaks_nothing_either:
        received(ID), received(ID_READ_ONLY) => [("read-only-changed-in-response", "ok", "ok")];
    write_only_dropped_from_a_request_property_breaks_nothing_since_requests_carry_it_anyway:
        sent(ID_WRITE_ONLY), sent(ID) => [("write-only-changed-in-request", "ok", "ok")];
    a_request_property_made_read_only_breaks_the_wire_since_the_old_client_sends_it:
        sent(ID), sent(ID_READ_ONLY) => [("request-property-became-read-only", "breaking", "ok")];
    read_only_dropped_from_an_optional_request_property_breaks_nothing_since_it_may_be_left_out:
        sent(ID_READ_ONLY), sent(ID) => [("request-property-no-longer-read-only", "ok", "ok")];
    read_only_dropped_from_a_required_property_breaks_requests_since_it_is_now_required_there:
        sent(ID_REQUIRED_READ_ONLY), sent(ID_REQUIRED)
        => [("required-request-property-no-longer-read-only", "breaking", "ok")];
    a_required_read_only_property_added_breaks_no_request_since_required_applies_to_responses:
        sent(EMPTY), sent(ID_REQUIRED_READ_ONLY) => [("hidden-property-added", "ok", "ok")];
    a_required_read_only_property_removed_breaks_only_the_code_since_requests_never_carried_it:
        sent(ID_REQUIRED_READ_ONLY), sent(EMPTY) => [("hidden-property-removed", "ok", "breaking")];
    a_read_only_property_made_required_breaks_only_the_code_since_requests_do_not_carry_it:
        sent(ID_READ_ONLY), sent(ID_REQUIRED_READ_ONLY)
        => [("hidden-property-requiredness-changed", "ok", "breaking")];
    a_required_write_only_property_in_a_response_is_not_required_there:
        received(EMPTY), received(ID_REQUIRED_WRITE_ONLY) => [("hidden-property-added", "ok", "ok")];
    a_required_response_property_made_write_only_breaks_the_wire_since_it_will_not_come:
        received(ID_REQUIRED), received(ID_REQUIRED_WRITE_ONLY)
        => [("required-response-property-became-write-only", "breaking", "ok")];
    an_optional_response_property_made_write_only_breaks_nothing_since_the_option_reads_none:
        received(ID), received(ID_WRITE_ONLY)
        => [("optional-response-property-became-write-only", "ok", "ok")];
    write_only_dropped_from_a_response_property_breaks_nothing_since_it_only_adds:
        received(ID_WRITE_ONLY), received(ID) => [("response-property-no-longer-write-only", "ok", "ok")];
}
