//! An answer held to the spec: its status, its media type, the headers the spec declares, its
//! body against the response's JSON Schema, and every field the schema does not document.
//!
//! The differences found here say nothing yet about what they break; the replay decides that
//! by running the generated client and the tolerant reader on the same answer.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::difference::{Breaks, Difference, Kind};
use crate::exchange::Exchange;
use crate::json_path::{self, describe};
use crate::operation::Operation;
use crate::redact::Redactor;
use crate::spec::{Response, Spec, escape};

/// How much of a value a difference shows.
const SHOWN: usize = 160;

/// Every difference between `exchange` and what the spec says of its operation and status.
pub fn differences(exchange: &Exchange, probe: &str, redactor: &Redactor) -> Vec<Difference> {
    let spec = Spec::embedded();
    let operation = exchange.request.operation;
    let found = Found {
        operation,
        probe,
        redactor,
    };
    let mut differences = Vec::new();
    let Some(response) = spec.response(operation, exchange.status) else {
        differences.push(found.difference(
            "status",
            Kind::Status,
            format!(
                "one of {} for {} {}",
                spec.declared(operation).join(", "),
                operation.method(),
                operation.path_template()
            ),
            exchange.status.to_string(),
        ));
        return differences;
    };
    headers(spec, &response, exchange, &found, &mut differences);
    body(spec, &response, exchange, &found, &mut differences);
    differences
}

/// What every difference of one answer shares.
struct Found<'a> {
    operation: Operation,
    probe: &'a str,
    redactor: &'a Redactor,
}

impl Found<'_> {
    fn difference(&self, path: &str, kind: Kind, spec: String, came: String) -> Difference {
        Difference {
            operation: self.operation,
            probe: self.probe.to_string(),
            path: self.redactor.text(path),
            kind,
            spec: self.redactor.text(&spec),
            came: self.redactor.text(&came),
            breaks: Breaks::default(),
        }
    }
}

/// The headers the response declares: each one required and missing, or present and not of
/// its schema. Headers the spec does not name are many and ordinary (`Date`, `Server`), so they
/// are not differences.
fn headers(
    spec: &Spec,
    response: &Response<'_>,
    exchange: &Exchange,
    found: &Found<'_>,
    out: &mut Vec<Difference>,
) {
    let Some(declared) = response.object["headers"].as_object() else {
        return;
    };
    for name in declared.keys() {
        let at = format!("{}/headers/{}", response.pointer, escape(name));
        let (at, header) = spec.follow(&at);
        let path = format!("header {name}");
        let Some(value) = exchange.headers.get(name.as_str()) else {
            if header["required"] == true {
                out.push(found.difference(
                    &path,
                    Kind::Header,
                    "a required header".into(),
                    "no such header".into(),
                ));
            }
            continue;
        };
        let Ok(text) = value.to_str() else {
            out.push(found.difference(
                &path,
                Kind::Header,
                "a text value".into(),
                "bytes that are not text".into(),
            ));
            continue;
        };
        let schema_at = format!("{at}/schema");
        let (_, schema) = spec.follow(&schema_at);
        // A header is text; its schema describes what the text stands for.
        let value = match schema["type"].as_str() {
            Some("integer" | "number") => match text.trim().parse::<serde_json::Number>() {
                Ok(number) => Value::Number(number),
                Err(_) => Value::String(text.to_string()),
            },
            Some("boolean") => match text.trim() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::String(text.to_string()),
            },
            _ => Value::String(text.to_string()),
        };
        let validator = spec.validator(&schema_at);
        for error in validator.iter_errors(&value) {
            out.push(found.difference(
                &path,
                Kind::Header,
                expectation(error.kind()).unwrap_or_else(|| error.to_string()),
                describe(&value, SHOWN),
            ));
        }
    }
}

/// The body: its media type, whether it is JSON, its schema's verdict, its undocumented
/// fields.
fn body(
    spec: &Spec,
    response: &Response<'_>,
    exchange: &Exchange,
    found: &Found<'_>,
    out: &mut Vec<Difference>,
) {
    let Some(content) = response.object["content"].as_object() else {
        if !exchange.body.is_empty() {
            out.push(found.difference(
                "$",
                Kind::ContentType,
                format!("no body for {}", response.key),
                format!("{} bytes", exchange.body.len()),
            ));
        }
        return;
    };
    let declared: Vec<&String> = content.keys().collect();
    let media_type = exchange.media_type();
    let chosen = match &media_type {
        Some(media_type) if content.contains_key(media_type) => Some(media_type.clone()),
        _ => {
            let said = declared
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(" or ");
            let came = exchange
                .content_type()
                .map_or("no Content-Type".to_string(), str::to_string);
            out.push(found.difference("content-type", Kind::ContentType, said, came));
            // Held to the JSON the spec describes all the same: what a client would decode.
            declared
                .iter()
                .find(|media_type| is_json(media_type))
                .map(|media_type| media_type.to_string())
        }
    };
    let Some(chosen) = chosen else {
        return;
    };
    if !is_json(&chosen) {
        return;
    }
    let schema_at = format!("{}/content/{}/schema", response.pointer, escape(&chosen));
    let Some(json) = exchange.json() else {
        out.push(found.difference(
            "$",
            Kind::NotJson,
            format!("{chosen} ({})", schema_name(spec, &schema_at)),
            not_json(&exchange.body),
        ));
        return;
    };
    let validator = spec.validator(&schema_at);
    for error in validator.iter_errors(&json) {
        let pointer = error.instance_path().as_str().to_string();
        let path = json_path::from_pointer(&pointer);
        match error.kind() {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                out.push(found.difference(
                    &json_path::child(&path, name),
                    Kind::Schema("required".into()),
                    "a required property".into(),
                    "absent".into(),
                ));
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for name in unexpected {
                    let value = error.instance().get(name).cloned().unwrap_or(Value::Null);
                    out.push(found.difference(
                        &json_path::child(&path, name),
                        Kind::Schema("additionalProperties".into()),
                        "no property of this name (additionalProperties: false)".into(),
                        describe(&value, SHOWN),
                    ));
                }
            }
            kind => out.push(found.difference(
                &path,
                Kind::Schema(kind.keyword().to_string()),
                expectation(kind).unwrap_or_else(|| error.to_string()),
                describe(error.instance(), SHOWN),
            )),
        }
    }
    let (schema_at, _) = spec.follow(&schema_at);
    let mut undocumented = Vec::new();
    walk(spec, &schema_at, &json, "$", &mut undocumented, 0);
    for (path, value, schema_name) in undocumented {
        out.push(found.difference(
            &path,
            Kind::UndocumentedField,
            format!("not a property of {schema_name} (whose additionalProperties allow it)"),
            describe(value, SHOWN),
        ));
    }
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.ends_with("+json")
}

/// The last segment of the schema a pointer reaches (`ModelList`).
fn schema_name(spec: &Spec, pointer: &str) -> String {
    let (pointer, _) = spec.follow(pointer);
    pointer
        .rsplit('/')
        .next()
        .unwrap_or("the schema")
        .replace("~1", "/")
        .replace("~0", "~")
}

/// A body that is not JSON, for a report: its length and start (and whether it is HTML).
fn not_json(body: &[u8]) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        return "an empty body".into();
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(SHOWN)]).into_owned();
    let lower = text.trim_start().to_ascii_lowercase();
    let what = if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        "an HTML page"
    } else {
        "text"
    };
    format!(
        "{what} of {} bytes: {:?}{}",
        body.len(),
        text,
        if body.len() > SHOWN { "…" } else { "" }
    )
}

/// What a schema keyword asks for, in words.
fn expectation(kind: &ValidationErrorKind) -> Option<String> {
    Some(match kind {
        ValidationErrorKind::Type { kind } => match kind {
            TypeKind::Single(single) => format!("of type {single}"),
            TypeKind::Multiple(set) => format!(
                "of type {}",
                set.iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        },
        ValidationErrorKind::Enum { options } => format!("one of {options}"),
        ValidationErrorKind::Constant { expected_value } => format!("exactly {expected_value}"),
        ValidationErrorKind::Minimum { limit } => format!("at least {limit}"),
        ValidationErrorKind::Maximum { limit } => format!("at most {limit}"),
        ValidationErrorKind::ExclusiveMinimum { limit } => format!("more than {limit}"),
        ValidationErrorKind::ExclusiveMaximum { limit } => format!("less than {limit}"),
        ValidationErrorKind::MinLength { limit } => format!("at least {limit} characters"),
        ValidationErrorKind::MaxLength { limit } => format!("at most {limit} characters"),
        ValidationErrorKind::MinItems { limit } => format!("at least {limit} items"),
        ValidationErrorKind::MaxItems { limit } => format!("at most {limit} items"),
        ValidationErrorKind::Pattern { pattern } => format!("matching /{pattern}/"),
        ValidationErrorKind::Format { format } => format!("of format {format}"),
        ValidationErrorKind::OneOfNotValid { .. } => "exactly one of its oneOf variants".into(),
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            "exactly one of its oneOf variants (it matches several)".into()
        }
        ValidationErrorKind::AnyOf { .. } => "one of its anyOf variants".into(),
        _ => return None,
    })
}

/// Collects the fields of `value` that the schema at `pointer` does not document: keys that are
/// no property of the schema (or of any of its `allOf`/`oneOf`/`anyOf` variants), where its
/// `additionalProperties` lets them through (where it is `false`, the validator has reported
/// them already).
fn walk<'v>(
    spec: &Spec,
    pointer: &str,
    value: &'v Value,
    path: &str,
    out: &mut Vec<(String, &'v Value, String)>,
    depth: usize,
) {
    // The spec's schemas are shallow; a deeper walk would be a reference loop.
    if depth > 32 {
        return;
    }
    let (pointer, schema) = spec.follow(pointer);
    let mut variants = vec![pointer.clone()];
    for keyword in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = schema[keyword].as_array() {
            for index in 0..list.len() {
                variants.push(spec.follow(&format!("{pointer}/{keyword}/{index}")).0);
            }
        }
    }
    match value {
        Value::Object(object) => {
            let mut documented = false;
            for (key, child) in object {
                let child_path = json_path::child(path, key);
                let property = variants.iter().find_map(|variant| {
                    let at = format!("{variant}/properties/{}", escape(key));
                    spec.at(&at).map(|_| at)
                });
                documented |= variants
                    .iter()
                    .any(|variant| spec.at(&format!("{variant}/properties")).is_some());
                if let Some(property) = property {
                    walk(spec, &property, child, &child_path, out, depth + 1);
                    continue;
                }
                let additional = variants.iter().find_map(|variant| {
                    let at = format!("{variant}/additionalProperties");
                    spec.at(&at).map(|schema| (at, schema))
                });
                match additional {
                    Some((_, Value::Bool(false))) => {}
                    // A map whose values have a schema of their own (not `{}`): documented.
                    Some((at, Value::Object(schema))) if !schema.is_empty() => {
                        walk(spec, &at, child, &child_path, out, depth + 1);
                    }
                    _ if documented => {
                        out.push((child_path, child, schema_name(spec, &pointer)));
                    }
                    // A free-form object (no properties at all): nothing to document.
                    _ => {}
                }
            }
        }
        Value::Array(items) => {
            let at = variants
                .iter()
                .map(|variant| format!("{variant}/items"))
                .find(|at| spec.at(at).is_some());
            if let Some(at) = at {
                for (index, item) in items.iter().enumerate() {
                    let child_path = json_path::child(path, &index.to_string());
                    walk(spec, &at, item, &child_path, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use bytes::Bytes;
    use reqwest::header::{HeaderMap, HeaderValue};
    use serde_json::json;

    use super::*;
    use crate::exchange::Request;

    fn exchange(operation: Operation, status: u16, content_type: &str, body: &str) -> Exchange {
        let mut headers = HeaderMap::new();
        if !content_type.is_empty() {
            headers.insert("content-type", HeaderValue::from_str(content_type).unwrap());
        }
        Exchange {
            request: Request {
                operation,
                url: "http://127.0.0.1/x".into(),
                path: "/x".into(),
                body: None,
            },
            status,
            headers,
            body: Bytes::copy_from_slice(body.as_bytes()),
            truncated: false,
            elapsed: Duration::ZERO,
            received_at: SystemTime::now(),
        }
    }

    fn found(exchange: &Exchange) -> Vec<(String, String)> {
        differences(exchange, "test", &Redactor::new(None))
            .into_iter()
            .map(|d| (d.path, d.kind.name().to_string()))
            .collect()
    }

    #[test]
    fn the_documented_answers_have_no_difference() {
        let models = json!({"object": "list", "data": [{"id": "seedance", "object": "model",
            "created": 1777000000, "owned_by": "anyfast", "supported_endpoint_types": ["video"]}]});
        let answer = exchange(
            Operation::ListModels,
            200,
            "application/json; charset=utf-8",
            &models.to_string(),
        );
        assert_eq!(found(&answer), []);
        let error = json!({"error": {"message": "No token provided"}});
        let answer = exchange(
            Operation::GetTask,
            401,
            "application/json",
            &error.to_string(),
        );
        assert_eq!(found(&answer), []);
    }

    #[test]
    fn types_missing_fields_undocumented_fields_and_statuses_are_found_where_they_are() {
        let models = json!({"data": [{"id": "seedance", "created": "1777000000", "price": 1}], "extra": {"a": 1}});
        let answer = exchange(
            Operation::ListModels,
            200,
            "application/json",
            &models.to_string(),
        );
        let mut got = found(&answer);
        got.sort();
        assert_eq!(
            got,
            [
                ("$.data[0].created".to_string(), "type".to_string()),
                (
                    "$.data[0].price".to_string(),
                    "undocumented field".to_string()
                ),
                ("$.extra".to_string(), "undocumented field".to_string()),
            ]
        );
        let answer = exchange(
            Operation::ListModels,
            200,
            "application/json",
            r#"{"data": [{}]}"#,
        );
        assert_eq!(
            found(&answer),
            [("$.data[0].id".to_string(), "required".to_string())]
        );
        let answer = exchange(
            Operation::CreateTask,
            202,
            "application/json",
            r#"{"id": "cgt-1"}"#,
        );
        assert_eq!(
            found(&answer),
            [("status".to_string(), "status".to_string())]
        );
    }

    #[test]
    fn an_html_page_is_not_json_and_its_content_type_is_named() {
        let answer = exchange(
            Operation::GetTask,
            502,
            "text/html",
            "<html><body>502 Bad Gateway</body></html>",
        );
        let differences = differences(&answer, "test", &Redactor::new(None));
        let kinds: Vec<&str> = differences.iter().map(|d| d.kind.name()).collect();
        assert_eq!(kinds, ["content type", "not JSON"]);
        assert!(
            differences[1].came.starts_with("an HTML page of 41 bytes"),
            "{}",
            differences[1].came
        );
        assert_eq!(differences[0].came, "text/html");
    }

    #[test]
    fn a_declared_header_is_held_to_its_schema() {
        let mut answer = exchange(Operation::GetTask, 429, "application/json", "{}");
        answer.headers.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2026 07:28:00 GMT"),
        );
        let differences = differences(&answer, "test", &Redactor::new(None));
        assert_eq!(differences.len(), 1, "{differences:?}");
        assert_eq!(differences[0].path, "header Retry-After");
        assert_eq!(differences[0].spec, "of type integer");
        answer
            .headers
            .insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(found(&answer), []);
    }

    #[test]
    fn what_came_is_redacted() {
        let redactor = Redactor::new(Some("sk-echoed-key-1"));
        let body = json!({"code": "success",
            "data": "https://v.example/a.mp4?X-Tos-Signature=s3cr3t",
            "sk-echoed-key-1": true});
        let answer = exchange(
            Operation::GetTask,
            200,
            "application/json",
            &body.to_string(),
        );
        let differences = differences(&answer, "test", &redactor);
        assert_eq!(differences.len(), 2, "{differences:?}");
        let all = format!("{differences:?}");
        assert!(
            !all.contains("s3cr3t") && !all.contains("sk-echoed-key-1"),
            "{all}"
        );
        assert!(all.contains("https://v.example/a.mp4"), "{all}");
    }
}
