//! Webhooks (3.1) and callbacks, per operation: the service sends their requests, so a body
//! the client receives is judged as a response, and progenitor generates no code for them.

use crate::{document, judged};

fn webhook(schema: &str) -> String {
    format!(
        "openapi: 3.1.0\ninfo: {{title: Pets, version: '1'}}\nwebhooks:\n  newPet:\n    post: {{requestBody: {{content: {{application/json: {{schema: {schema}}}}}}}, responses: {{'200': {{description: ok}}}}}}\n"
    )
}

fn callback(schema: &str) -> String {
    let operation = format!(
        "{{callbacks: {{onDone: {{'{{$request.body#/url}}': {{post: {{requestBody: {{content: {{application/json: {{schema: {schema}}}}}}}, responses: {{'200': {{description: ok}}}}}}}}}}}}, responses: {{'200': {{description: ok}}}}}}"
    );
    document("3.0.3", &operation, "")
}

const ID_REQUIRED: &str = "{type: object, required: [id], properties: {id: {type: string}}}";
const EMPTY: &str = "{type: object}";

judged! {
    a_required_property_removed_from_a_webhook_body_breaks_the_receiver_that_reads_it:
        webhook(ID_REQUIRED), webhook(EMPTY) => [("required-response-property-removed", "breaking", "ok")];
    a_required_property_added_to_a_webhook_body_breaks_nothing_since_the_receiver_ignores_it:
        webhook(EMPTY), webhook(ID_REQUIRED) => [("response-property-added", "ok", "ok")];
    a_webhook_removed_breaks_nothing_since_the_receiver_is_simply_not_called:
        webhook(EMPTY), "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\nwebhooks: {}\n" => [("callback-removed", "ok", "ok")];
    a_webhook_added_breaks_nothing:
        "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\nwebhooks: {}\n", webhook(EMPTY) => [("callback-added", "ok", "ok")];
    a_callback_body_enum_value_added_breaks_the_receiver_since_it_is_data_it_receives:
        callback("{type: string, enum: [done]}"), callback("{type: string, enum: [done, failed]}")
        => [("response-enum-value-added", "breaking", "ok")];
    a_callback_body_enum_value_removed_breaks_nothing_for_the_receiver:
        callback("{type: string, enum: [done, failed]}"), callback("{type: string, enum: [done]}")
        => [("response-enum-value-removed", "ok", "ok")];
    a_callback_body_removed_is_left_for_review_since_it_depends_on_the_receiver:
        callback("{type: string}"),
        document("3.0.3", "{callbacks: {onDone: {'{$request.body#/url}': {post: {responses: {'200': {description: ok}}}}}}, responses: {'200': {description: ok}}}", "")
        => [("callback-structure-changed", "review", "ok")];
}

#[test]
fn callback_changes_are_grouped_under_their_operation() {
    let changes = xtask::diff::compare_texts(
        &callback("{type: string, enum: [done]}"),
        &callback("{type: string, enum: [done, failed]}"),
    )
    .unwrap();
    assert_eq!(changes[0].operation.as_deref(), Some("POST /pets"));
    assert_eq!(
        changes[0].location,
        "POST /pets callback onDone {$request.body#/url} POST request body"
    );
}
