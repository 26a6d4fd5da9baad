//! `cargo xtask diff`: one inline pair of documents per rule and per case (each written from
//! the OpenAPI 3.0.3 and 3.1.0 specifications' text), judged both ways: a change that breaks
//! and its mirror that does not, with the verdict and the reason in the test's name. Then the
//! fixture pairs under `tests/fixtures/diff/`, the binary's exit codes and output formats, and
//! git revisions as BASE.

mod access;
mod bodies;
mod callbacks;
mod catalogue;
mod compositions;
mod constraints;
mod fixtures;
mod operations;
mod parameters;
mod properties;
mod security;
mod values;

/// (rule id, wire verdict, code verdict) of every change from `base` to `head`, in order.
pub fn judge(base: &str, head: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    xtask::diff::compare_texts(base, head)
        .unwrap_or_else(|error| panic!("{error:#}\nbase:\n{base}\nhead:\n{head}"))
        .into_iter()
        .map(|change| (change.rule.id, change.wire.as_str(), change.code.as_str()))
        .collect()
}

/// An OpenAPI `version` document with `POST /pets` being `operation` (a YAML flow mapping),
/// and `components` (a flow mapping, or empty).
pub fn document(version: &str, operation: &str, components: &str) -> String {
    let components = if components.is_empty() {
        String::new()
    } else {
        format!("components: {components}\n")
    };
    format!(
        "openapi: {version}\ninfo: {{title: Pets, version: '1'}}\npaths:\n  /pets:\n    post: {operation}\n{components}"
    )
}

/// A 3.0 document whose one operation sends a body of `schema` (flow YAML).
pub fn sent(schema: &str) -> String {
    sent_with(schema, "")
}

/// [`sent`] with components.
pub fn sent_with(schema: &str, components: &str) -> String {
    let operation = format!(
        "{{requestBody: {{required: true, content: {{application/json: {{schema: {schema}}}}}}}, responses: {{'200': {{description: ok}}}}}}"
    );
    document("3.0.3", &operation, components)
}

/// A 3.0 document whose one operation receives a body of `schema` (flow YAML).
pub fn received(schema: &str) -> String {
    received_with(schema, "")
}

/// [`received`] with components.
pub fn received_with(schema: &str, components: &str) -> String {
    let operation = format!(
        "{{responses: {{'200': {{description: ok, content: {{application/json: {{schema: {schema}}}}}}}}}}}"
    );
    document("3.0.3", &operation, components)
}

/// [`sent`] in a 3.1 document.
pub fn sent_31(schema: &str) -> String {
    sent(schema).replace("openapi: 3.0.3", "openapi: 3.1.0")
}

/// [`received`] in a 3.1 document.
pub fn received_31(schema: &str) -> String {
    received(schema).replace("openapi: 3.0.3", "openapi: 3.1.0")
}

/// Defines one test per case: `name: base, head => [(rule, wire, code), ...];`.
#[macro_export]
macro_rules! judged {
    ($($(#[$meta:meta])* $name:ident: $base:expr, $head:expr => [$(($rule:literal, $wire:literal, $code:literal)),* $(,)?];)*) => {
        $(
            $(#[$meta])*
            #[test]
            fn $name() {
                let expected: Vec<(&str, &str, &str)> = vec![$(($rule, $wire, $code)),*];
                assert_eq!($crate::judge(&$base, &$head), expected);
            }
        )*
    };
}
