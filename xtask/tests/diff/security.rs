//! Security requirements compared as the sets of alternatives a client can satisfy (OpenAPI
//! 3.0.3, Security Requirement Object: the list is an OR, each object an AND).

use crate::{document, judged};

const SCHEMES: &str = "{securitySchemes: {key: {type: apiKey, in: header, name: X-Key}, token: {type: http, scheme: bearer}, oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://a.example/token', scopes: {read: r, write: w}}}}}}";

fn secured(security: &str) -> String {
    let operation = format!("{{security: {security}, responses: {{'200': {{description: ok}}}}}}");
    document("3.0.3", &operation, SCHEMES)
}

judged! {
    one_scheme_dropped_from_an_and_requirement_is_a_relaxation:
        secured("[{key: [], token: []}]"), secured("[{key: []}]") => [("security-relaxed", "ok", "ok")];
    a_scheme_added_to_an_and_requirement_breaks_since_the_old_client_lacks_it:
        secured("[{key: []}]"), secured("[{key: [], token: []}]") => [("security-tightened", "breaking", "ok")];
    an_alternative_added_is_a_relaxation:
        secured("[{key: []}]"), secured("[{key: []}, {token: []}]") => [("security-relaxed", "ok", "ok")];
    an_alternative_removed_breaks_since_a_client_may_hold_only_that_one:
        secured("[{key: []}, {token: []}]"), secured("[{key: []}]") => [("security-tightened", "breaking", "ok")];
    a_required_scope_dropped_is_a_relaxation:
        secured("[{oauth: [read, write]}]"), secured("[{oauth: [read]}]") => [("security-relaxed", "ok", "ok")];
    a_required_scope_added_breaks_since_the_old_token_may_lack_it:
        secured("[{oauth: [read]}]"), secured("[{oauth: [read, write]}]") => [("security-tightened", "breaking", "ok")];
    security_removed_altogether_is_a_relaxation:
        secured("[{key: []}]"), secured("[]") => [("security-relaxed", "ok", "ok")];
    a_scheme_renamed_with_the_same_definition_is_no_change:
        secured("[{key: []}]"),
        document("3.0.3", "{security: [{apiKey: []}], responses: {'200': {description: ok}}}", &SCHEMES.replace("key: {type", "apiKey: {type"))
        => [];
    a_scheme_definition_changed_breaks_since_the_old_credentials_go_elsewhere:
        secured("[{key: []}]"),
        document("3.0.3", "{security: [{key: []}], responses: {'200': {description: ok}}}", &SCHEMES.replace("name: X-Key", "name: X-Api-Key"))
        => [("security-tightened", "breaking", "ok")];
}

#[test]
fn the_documents_security_is_judged_at_every_operation_that_inherits_it() {
    let document = |security: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: Pets, version: '1'}}\nsecurity: {security}\npaths:\n  /pets:\n    get: {{responses: {{'200': {{description: ok}}}}}}\n    post: {{security: [], responses: {{'200': {{description: ok}}}}}}\ncomponents: {SCHEMES}\n"
        )
    };
    let changes = xtask::diff::compare_texts(&document("[]"), &document("[{key: []}]")).unwrap();
    let found: Vec<(&str, &str)> = changes
        .iter()
        .map(|change| (change.location.as_str(), change.rule.id))
        .collect();
    assert_eq!(found, [("GET /pets security", "security-tightened")]);
}
