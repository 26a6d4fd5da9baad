//! Request bodies, content types, response statuses and response headers.

use crate::{document, judged};

fn operation(request_body: &str, responses: &str) -> String {
    let body = if request_body.is_empty() {
        String::new()
    } else {
        format!("requestBody: {request_body}, ")
    };
    document("3.0.3", &format!("{{{body}responses: {responses}}}"), "")
}

const OK: &str = "{'200': {description: ok}}";
const BODY: &str = "{content: {application/json: {schema: {type: object}}}}";
const REQUIRED_BODY: &str =
    "{required: true, content: {application/json: {schema: {type: object}}}}";
const TWO_TYPES: &str =
    "{content: {application/json: {schema: {type: object}}, text/plain: {schema: {type: string}}}}";

fn header(header: &str) -> String {
    operation(
        "",
        &format!("{{'200': {{description: ok, headers: {{X-Rate: {header}}}}}}}"),
    )
}

fn no_header() -> String {
    operation("", "{'200': {description: ok, headers: {}}}")
}

const OPTIONAL_HEADER: &str = "{schema: {type: integer}}";
const REQUIRED_HEADER: &str = "{required: true, schema: {type: integer}}";

judged! {
    a_request_body_removed_breaks_the_wire_and_the_code_since_the_old_client_sends_it:
        operation(BODY, OK), operation("", OK) => [("request-body-removed", "breaking", "breaking")];
    an_optional_request_body_added_breaks_nothing_since_the_old_client_sends_none:
        operation("", OK), operation(BODY, OK) => [("optional-request-body-added", "ok", "ok")];
    a_required_request_body_added_breaks_the_wire_since_the_old_client_sends_none:
        operation("", OK), operation(REQUIRED_BODY, OK) => [("required-request-body-added", "breaking", "ok")];
    a_request_body_made_required_breaks_the_wire_since_the_old_client_may_send_none:
        operation(BODY, OK), operation(REQUIRED_BODY, OK) => [("request-body-became-required", "breaking", "ok")];
    a_request_body_made_optional_breaks_nothing:
        operation(REQUIRED_BODY, OK), operation(BODY, OK) => [("request-body-became-optional", "ok", "ok")];
    a_request_content_type_removed_breaks_since_the_old_client_sends_it:
        operation(TWO_TYPES, OK), operation(BODY, OK) => [("request-media-type-removed", "breaking", "breaking")];
    a_request_content_type_added_breaks_nothing_since_the_old_one_stays:
        operation(BODY, OK), operation(TWO_TYPES, OK) => [("request-media-type-added", "ok", "ok")];
    a_response_content_type_removed_breaks_since_the_old_client_asks_for_it:
        operation("", "{'200': {description: ok, content: {application/json: {schema: {type: object}}}}}"),
        operation("", "{'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}")
        => [("response-media-type-removed", "breaking", "breaking"), ("response-media-type-added", "ok", "ok")];
    a_success_status_removed_while_another_remains_is_left_for_review:
        operation("", "{'200': {description: ok}, '202': {description: accepted}}"), operation("", OK)
        => [("success-response-removed", "review", "ok")];
    the_last_success_status_removed_breaks_since_nothing_the_old_client_expects_remains:
        operation("", OK), operation("", "{'404': {description: missing}}")
        => [("last-success-response-removed", "breaking", "breaking"), ("error-response-added", "ok", "ok")];
    a_success_status_replaced_by_another_breaks_since_the_new_one_is_unexpected:
        operation("", OK), operation("", "{'201': {description: created}}")
        => [("success-response-removed", "review", "ok"), ("success-response-added", "breaking", "ok")];
    a_success_status_added_breaks_the_wire_since_progenitor_calls_it_unexpected:
        operation("", OK), operation("", "{'200': {description: ok}, '202': {description: accepted}}")
        => [("success-response-added", "breaking", "ok")];
    an_error_status_added_breaks_nothing_since_errors_stay_errors:
        operation("", OK), operation("", "{'200': {description: ok}, '404': {description: missing}}")
        => [("error-response-added", "ok", "ok")];
    an_error_status_removed_breaks_nothing_since_errors_stay_errors:
        operation("", "{'200': {description: ok}, '404': {description: missing}}"), operation("", OK)
        => [("error-response-removed", "ok", "ok")];
    a_required_response_header_removed_breaks_the_wire_since_it_was_promised:
        header(REQUIRED_HEADER), no_header() => [("required-response-header-removed", "breaking", "ok")];
    an_optional_response_header_removed_breaks_nothing_since_it_was_never_promised:
        header(OPTIONAL_HEADER), no_header() => [("optional-response-header-removed", "ok", "ok")];
    a_response_header_added_breaks_nothing_since_the_old_client_ignores_it:
        no_header(), header(OPTIONAL_HEADER) => [("response-header-added", "ok", "ok")];
    a_response_header_made_required_breaks_nothing_since_the_client_gets_more_than_promised:
        header(OPTIONAL_HEADER), header(REQUIRED_HEADER) => [("response-header-became-required", "ok", "ok")];
    a_response_header_made_optional_breaks_the_wire_since_the_client_may_rely_on_it:
        header(REQUIRED_HEADER), header(OPTIONAL_HEADER) => [("response-header-became-optional", "breaking", "ok")];
    a_response_header_schema_widened_breaks_only_the_wire_since_no_code_is_generated_for_it:
        header("{schema: {type: integer, maximum: 10}}"), header(OPTIONAL_HEADER)
        => [("response-constraint-widened", "breaking", "ok")];
}
