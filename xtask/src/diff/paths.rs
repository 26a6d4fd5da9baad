//! Comparing `paths`: operations, their parameters, request bodies and responses. Schemas found
//! along the way are handed to the schema walker with the side they are on.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use serde_json::Value;

use super::model::Side;
use super::resolve;
use super::rules;
use super::walk::{DOCS_KEYWORDS, Place, Walk, flag, is_extension, member, union_of_keys};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The media type whose name is left out of locations, since nearly everything uses it.
const JSON: &str = "application/json";

/// A parameter is identified by where it goes and its name.
type ParameterKey = (String, String);

impl<'a> Walk<'a> {
    /// Every path and operation of the two documents.
    pub fn paths(&mut self) -> Result<()> {
        let (base, head) = (self.base, self.head);
        let (old_paths, new_paths) = (base.get("paths"), head.get("paths"));
        for path in union_of_keys(old_paths, new_paths) {
            let old_item = resolve::follow_optional(base, member(old_paths, path))?;
            let new_item = resolve::follow_optional(head, member(new_paths, path))?;
            for method in METHODS {
                let location = format!("{} {path}", method.to_uppercase());
                match (member(old_item, method), member(new_item, method)) {
                    (Some(_), None) => self.changes.push(rules::operation_removed(&location)),
                    (None, Some(_)) => self.changes.push(rules::operation_added(&location)),
                    (Some(old), Some(new)) => {
                        let parameters = |item: Option<&'a Value>, operation: &'a Value| {
                            [member(item, "parameters"), operation.get("parameters")]
                        };
                        self.parameters(
                            &location,
                            parameters(old_item, old),
                            parameters(new_item, new),
                        )?;
                        self.operation(&location, old, new)?;
                    }
                    (None, None) => {}
                }
            }
            if let (Some(old_item), Some(new_item)) = (old_item, new_item) {
                self.path_item(path, old_item, new_item);
            }
        }
        Ok(())
    }

    /// The keys of a path item other than its operations and parameters.
    fn path_item(&mut self, path: &str, old: &Value, new: &Value) {
        for key in union_of_keys(Some(old), Some(new)) {
            if METHODS.contains(&key) || key == "parameters" || key == "$ref" {
                continue;
            }
            let (old, new) = (old.get(key), new.get(key));
            if old == new {
                continue;
            }
            let change = match key {
                key if DOCS_KEYWORDS.contains(&key) => rules::docs_changed(path, key),
                "servers" => rules::metadata_changed(path, "servers changed"),
                key if is_extension(key) => rules::metadata_changed(path, format!("{key} changed")),
                key => rules::unclassified(path, key),
            };
            self.changes.push(change);
        }
    }

    /// One operation present in both documents, apart from its parameters.
    fn operation(&mut self, location: &str, old: &Value, new: &Value) -> Result<()> {
        for key in union_of_keys(Some(old), Some(new)) {
            let (old, new) = (old.get(key), new.get(key));
            match key {
                "parameters" => {}
                "requestBody" => self.request_body(location, old, new)?,
                "responses" => self.responses(location, old, new)?,
                _ if old == new => {}
                "operationId" => {
                    let change = rules::operation_id_changed(location, old, new);
                    self.changes.push(change);
                }
                "tags" => {
                    let change = rules::metadata_changed(location, "tags changed");
                    self.changes.push(change);
                }
                "security" => {
                    let change = rules::security_changed(location, "security requirements changed");
                    self.changes.push(change);
                }
                // progenitor generates nothing from these.
                "servers" | "callbacks" => {
                    let change = rules::metadata_changed(location, format!("{key} changed"));
                    self.changes.push(change);
                }
                key => self.other_keyword(location, key, old, new)?,
            }
        }
        Ok(())
    }

    /// The parameters of an operation: those of its path item, overridden by its own.
    fn parameters(
        &mut self,
        location: &str,
        old: [Option<&'a Value>; 2],
        new: [Option<&'a Value>; 2],
    ) -> Result<()> {
        let old = effective_parameters(self.base, old)?;
        let new = effective_parameters(self.head, new)?;
        let keys: BTreeSet<&ParameterKey> = old.keys().chain(new.keys()).collect();
        for key in keys {
            let (place, name) = key;
            let location = format!("{location} {place} parameter {name}");
            match (old.get(key), new.get(key)) {
                (Some(_), None) => self.changes.push(rules::parameter_removed(&location)),
                (None, Some(new)) => {
                    let change = rules::parameter_added(&location, is_required(new));
                    self.changes.push(change);
                }
                (Some(old), Some(new)) => self.parameter(&location, old, new)?,
                (None, None) => {}
            }
        }
        Ok(())
    }

    fn parameter(&mut self, location: &str, old: &Value, new: &Value) -> Result<()> {
        for key in union_of_keys(Some(old), Some(new)) {
            let (old_value, new_value) = (old.get(key), new.get(key));
            match key {
                "name" | "in" => {}
                "schema" => self.schema_member(Side::Request, location, old_value, new_value)?,
                "content" => self.content(Side::Request, location, old_value, new_value)?,
                "required" => {
                    let change =
                        rules::parameter_requiredness(location, is_required(old), is_required(new));
                    self.changes.extend(change);
                }
                // `style`, `explode`, `allowReserved`, `allowEmptyValue` change how the value is
                // written into the request: the other-keyword rule counts them as breaking.
                key => self.other_keyword(location, key, old_value, new_value)?,
            }
        }
        Ok(())
    }

    fn request_body(
        &mut self,
        location: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        let location = format!("{location} request body");
        let old = resolve::follow_optional(self.base, old)?;
        let new = resolve::follow_optional(self.head, new)?;
        let (old, new) = match (old, new) {
            (Some(old), Some(new)) => (old, new),
            (Some(_), None) => {
                self.changes.push(rules::request_body_removed(&location));
                return Ok(());
            }
            (None, Some(new)) => {
                let change = rules::request_body_added(&location, flag(Some(new), "required"));
                self.changes.push(change);
                return Ok(());
            }
            (None, None) => return Ok(()),
        };
        for key in union_of_keys(Some(old), Some(new)) {
            let (old_value, new_value) = (old.get(key), new.get(key));
            match key {
                "content" => self.content(Side::Request, &location, old_value, new_value)?,
                "required" => {
                    let (was, is) = (flag(Some(old), key), flag(Some(new), key));
                    self.changes
                        .extend(rules::request_body_requiredness(&location, was, is));
                }
                key => self.other_keyword(&location, key, old_value, new_value)?,
            }
        }
        Ok(())
    }

    fn responses(
        &mut self,
        location: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        let (base, head) = (self.base, self.head);
        for status in union_of_keys(old, new) {
            let here = format!("{location} response {status}");
            let (old, new) = (member(old, status), member(new, status));
            if is_extension(status) {
                if old != new {
                    let change = rules::metadata_changed(location, format!("{status} changed"));
                    self.changes.push(change);
                }
                continue;
            }
            match (
                resolve::follow_optional(base, old)?,
                resolve::follow_optional(head, new)?,
            ) {
                (Some(_), None) => self
                    .changes
                    .push(rules::response_status_removed(&here, status)),
                (None, Some(_)) => self
                    .changes
                    .push(rules::response_status_added(&here, status)),
                (Some(old), Some(new)) => self.response(&here, old, new)?,
                (None, None) => {}
            }
        }
        Ok(())
    }

    fn response(&mut self, location: &str, old: &Value, new: &Value) -> Result<()> {
        for key in union_of_keys(Some(old), Some(new)) {
            let (old, new) = (old.get(key), new.get(key));
            match key {
                "content" => {
                    let body = format!("{location} body");
                    self.content(Side::Response, &body, old, new)?;
                }
                "headers" => self.headers(location, old, new)?,
                // Links document how operations chain; progenitor generates nothing from them.
                "links" if old != new => {
                    self.changes
                        .push(rules::metadata_changed(location, "links changed"));
                }
                "links" => {}
                key => self.other_keyword(location, key, old, new)?,
            }
        }
        Ok(())
    }

    fn headers(&mut self, location: &str, old: Option<&Value>, new: Option<&Value>) -> Result<()> {
        let (base, head) = (self.base, self.head);
        for name in union_of_keys(old, new) {
            let here = format!("{location} header {name}");
            let old = resolve::follow_optional(base, member(old, name))?;
            let new = resolve::follow_optional(head, member(new, name))?;
            match (old, new) {
                (Some(old), None) => {
                    self.changes
                        .push(rules::header_removed(&here, is_required(old)));
                }
                (None, Some(_)) => self.changes.push(rules::header_added(&here)),
                (Some(old), Some(new)) => self.header(&here, old, new)?,
                (None, None) => {}
            }
        }
        Ok(())
    }

    fn header(&mut self, location: &str, old: &Value, new: &Value) -> Result<()> {
        for key in union_of_keys(Some(old), Some(new)) {
            let (old_value, new_value) = (old.get(key), new.get(key));
            match key {
                "schema" => self.schema_member(Side::Response, location, old_value, new_value)?,
                "content" => self.content(Side::Response, location, old_value, new_value)?,
                "required" => {
                    let (was, is) = (is_required(old), is_required(new));
                    self.changes
                        .extend(rules::header_requiredness(location, was, is));
                }
                key => self.other_keyword(location, key, old_value, new_value)?,
            }
        }
        Ok(())
    }

    /// A `content` map: one entry per media type.
    fn content(
        &mut self,
        side: Side,
        location: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        for media_type in union_of_keys(old, new) {
            let here = if media_type == JSON {
                location.to_string()
            } else {
                format!("{location} ({media_type})")
            };
            let (old, new) = (member(old, media_type), member(new, media_type));
            match (old, new) {
                (Some(_), None) => {
                    self.changes
                        .push(rules::media_type_removed(&here, media_type));
                }
                (None, Some(_)) => self
                    .changes
                    .push(rules::media_type_added(&here, media_type)),
                (Some(old), Some(new)) => {
                    for key in union_of_keys(Some(old), Some(new)) {
                        let (old, new) = (old.get(key), new.get(key));
                        match key {
                            "schema" => self.schema_member(side, &here, old, new)?,
                            key => self.other_keyword(&here, key, old, new)?,
                        }
                    }
                }
                (None, None) => {}
            }
        }
        Ok(())
    }

    /// A `schema` member, which both sides should have.
    fn schema_member(
        &mut self,
        side: Side,
        location: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        match (old, new) {
            (Some(old), Some(new)) => self.schema(&Place::new(side, location), old, new),
            (None, None) => Ok(()),
            _ => {
                self.changes.push(rules::unclassified(location, "schema"));
                Ok(())
            }
        }
    }

    /// Documentation, extensions, and anything no rule knows (`encoding`, `style`, ...).
    fn other_keyword(
        &mut self,
        location: &str,
        key: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        let change = if DOCS_KEYWORDS.contains(&key) {
            self.docs_differ(old, new)?
                .then(|| rules::docs_changed(location, key))
        } else if old == new {
            None
        } else if is_extension(key) {
            Some(rules::metadata_changed(location, format!("{key} changed")))
        } else {
            Some(rules::unclassified(location, key))
        };
        self.changes.extend(change);
        Ok(())
    }
}

/// The parameters that apply to an operation, `$ref`s followed: the path item's first, then the
/// operation's own, which replace those with the same name and place.
fn effective_parameters<'v>(
    document: &'v Value,
    lists: [Option<&'v Value>; 2],
) -> Result<BTreeMap<ParameterKey, &'v Value>> {
    let mut parameters = BTreeMap::new();
    for list in lists.into_iter().flatten() {
        for parameter in list.as_array().into_iter().flatten() {
            let parameter = resolve::follow(document, parameter)?.value;
            let text = |key: &str| {
                parameter
                    .get(key)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .with_context(|| format!("a parameter has no {key:?}: {parameter}"))
            };
            parameters.insert((text("in")?, text("name")?), parameter);
        }
    }
    Ok(parameters)
}

/// `required` of a parameter or header, absent meaning `false` (path parameters always have it).
fn is_required(value: &Value) -> bool {
    flag(Some(value), "required")
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::diff::{Kind, compare};

    fn document(paths: Value) -> Value {
        json!({"openapi": "3.0.3", "paths": paths})
    }

    fn classify(base: &Value, head: &Value) -> Vec<(String, Kind, bool)> {
        compare(base, head)
            .unwrap()
            .into_iter()
            .map(|change| (change.location, change.kind, change.breaking))
            .collect()
    }

    #[test]
    fn an_operation_parameter_overrides_the_path_items_one() {
        let item = |required: bool| {
            json!({"/x/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true}],
                "get": {
                    "parameters": [{"name": "q", "in": "query", "required": required}],
                    "responses": {}
                },
                "put": {
                    "parameters": [{"name": "q", "in": "query", "required": false}],
                    "responses": {}
                }
            }})
        };
        let base = document(item(false));
        let head = document(item(true));
        assert_eq!(
            classify(&base, &head),
            [(
                "GET /x/{id} query parameter q".to_string(),
                Kind::ParameterBecameRequired,
                true
            )]
        );
    }

    #[test]
    fn response_headers_and_request_bodies() {
        let operation = |header: Value, body: Value| {
            let mut operation =
                json!({"responses": {"200": {"description": "", "headers": header}}});
            if !body.is_null() {
                operation["requestBody"] = body;
            }
            json!({"/x": {"post": operation}})
        };
        let base = document(operation(
            json!({"Retry-After": {"required": true, "schema": {"type": "integer"}}}),
            Value::Null,
        ));
        let head = document(operation(
            json!({"Retry-After": {"schema": {"type": "integer"}}}),
            json!({"required": true, "content": {}}),
        ));
        assert_eq!(
            classify(&base, &head),
            [
                (
                    "POST /x request body".to_string(),
                    Kind::RequiredRequestBodyAdded,
                    true
                ),
                (
                    "POST /x response 200 header Retry-After".to_string(),
                    Kind::HeaderBecameOptional,
                    true
                ),
            ]
        );
    }

    #[test]
    fn a_keyword_no_rule_knows_is_breaking_so_that_someone_reviews_it() {
        let parameter = |style: &str| {
            json!({"/x": {"get": {
                "parameters": [{"name": "ids", "in": "query", "style": style}],
                "responses": {}
            }}})
        };
        let base = document(parameter("form"));
        let head = document(parameter("pipeDelimited"));
        assert_eq!(
            classify(&base, &head),
            [(
                "GET /x query parameter ids".to_string(),
                Kind::Unclassified,
                true
            )]
        );
    }
}
