//! Comparing one operation present in both documents: its request body, responses, headers,
//! content types and callbacks (parameters and security have modules of their own). Schemas
//! found along the way are handed to the schema walker with the side they are on.

use anyhow::Result;
use serde_json::Value;

use super::model::{Change, Side};
use super::paths::ItemPair;
use super::resolve;
use super::rules::{self, Rule};
use super::walk::{DOCS_KEYWORDS, Place, Walk, flag, is_extension, member, union_of_keys};

/// The media type whose name is left out of locations, since nearly everything uses it.
const JSON: &str = "application/json";

impl<'a> Walk<'a> {
    /// One operation present in both documents.
    pub fn operation(
        &mut self,
        location: &str,
        pair: &ItemPair<'a>,
        old: &'a Value,
        new: &'a Value,
    ) -> Result<()> {
        let parameters = |item: Option<&'a Value>, operation: &'a Value| {
            [member(item, "parameters"), operation.get("parameters")]
        };
        self.parameters(
            location,
            (pair.old_path, pair.new_path),
            parameters(pair.old, old),
            parameters(pair.new, new),
        )?;
        if self.outgoing {
            self.security(location, old.get("security"), new.get("security"))?;
        }
        for key in union_of_keys(Some(old), Some(new)) {
            let (old, new) = (old.get(key), new.get(key));
            match key {
                "parameters" | "security" => {}
                "requestBody" => self.request_body(location, old, new)?,
                "responses" => self.responses(location, old, new)?,
                "callbacks" => self.callbacks(location, old, new)?,
                _ if old == new => {}
                "operationId" if self.outgoing => {
                    let detail = format!(
                        "operationId changed from {} to {} (the generated method is renamed)",
                        super::document::show(old),
                        super::document::show(new)
                    );
                    self.push(Change::new(&rules::OPERATION_ID_CHANGED, location, detail));
                }
                // progenitor generates nothing from these (nor from a callback's operationId).
                "operationId" | "tags" | "servers" => {
                    let detail = format!("{key} changed");
                    self.push(Change::new(&rules::METADATA_CHANGED, location, detail));
                }
                key => self.other_keyword(location, key, old, new)?,
            }
        }
        Ok(())
    }

    /// The rule for a structural change (a body, status, header or content type added or
    /// removed): `outgoing` in an operation the client calls, the callback rule otherwise.
    pub fn structural(&self, outgoing: &'static Rule) -> &'static Rule {
        if self.outgoing {
            outgoing
        } else {
            &rules::CALLBACK_STRUCTURE_CHANGED
        }
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
                let rule = self.structural(&rules::REQUEST_BODY_REMOVED);
                self.push(Change::new(rule, &location, "request body removed"));
                return Ok(());
            }
            (None, Some(new)) => {
                let (rule, detail) = if flag(Some(new), "required") {
                    (
                        &rules::REQUIRED_REQUEST_BODY_ADDED,
                        "required request body added",
                    )
                } else {
                    (
                        &rules::OPTIONAL_REQUEST_BODY_ADDED,
                        "optional request body added",
                    )
                };
                self.push(Change::new(self.structural(rule), &location, detail));
                return Ok(());
            }
            (None, None) => return Ok(()),
        };
        let side = self.request_side();
        for key in union_of_keys(Some(old), Some(new)) {
            let (old_value, new_value) = (old.get(key), new.get(key));
            match key {
                "content" => self.content(side, &location, old_value, new_value)?,
                "required" => {
                    let (was, is) = (flag(Some(old), key), flag(Some(new), key));
                    let (rule, detail) = match (was, is) {
                        (false, true) => (
                            &rules::REQUEST_BODY_BECAME_REQUIRED,
                            "request body became required",
                        ),
                        (true, false) => (
                            &rules::REQUEST_BODY_BECAME_OPTIONAL,
                            "request body became optional",
                        ),
                        _ => continue,
                    };
                    self.push(Change::new(self.structural(rule), &location, detail));
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
        let any_success = union_of_keys(new, None).into_iter().any(is_success);
        for status in union_of_keys(old, new) {
            let here = format!("{location} response {status}");
            let (old, new) = (member(old, status), member(new, status));
            if is_extension(status) {
                if old != new {
                    let detail = format!("{status} changed");
                    self.push(Change::new(&rules::METADATA_CHANGED, location, detail));
                }
                continue;
            }
            match (
                resolve::follow_optional(base, old)?,
                resolve::follow_optional(head, new)?,
            ) {
                (Some(_), None) => {
                    let (rule, detail) = match (is_success(status), any_success) {
                        (true, true) => (
                            &rules::SUCCESS_RESPONSE_REMOVED,
                            format!("success response {status} removed"),
                        ),
                        (true, false) => (
                            &rules::LAST_SUCCESS_RESPONSE_REMOVED,
                            format!("success response {status} removed, and no other remains"),
                        ),
                        (false, _) => (
                            &rules::ERROR_RESPONSE_REMOVED,
                            format!("response {status} removed"),
                        ),
                    };
                    self.push(Change::new(self.structural(rule), &here, detail));
                }
                (None, Some(_)) => {
                    let rule = if is_success(status) {
                        &rules::SUCCESS_RESPONSE_ADDED
                    } else {
                        &rules::ERROR_RESPONSE_ADDED
                    };
                    let detail = format!("response {status} added");
                    self.push(Change::new(self.structural(rule), &here, detail));
                }
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
                    self.content(self.response_side(), &body, old, new)?;
                }
                "headers" => {
                    // progenitor hands response headers over untyped: nothing is generated.
                    let (operation, outgoing) = (self.operation.clone(), self.outgoing);
                    self.within(operation, outgoing, false, |walk| {
                        walk.headers(location, old, new)
                    })?;
                }
                // Links document how operations chain; progenitor generates nothing from them.
                "links" if old != new => {
                    self.push(Change::new(
                        &rules::METADATA_CHANGED,
                        location,
                        "links changed",
                    ));
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
                    let (rule, detail) = if flag(Some(old), "required") {
                        (
                            &rules::REQUIRED_RESPONSE_HEADER_REMOVED,
                            "required response header removed",
                        )
                    } else {
                        (
                            &rules::OPTIONAL_RESPONSE_HEADER_REMOVED,
                            "optional response header removed",
                        )
                    };
                    self.push(Change::new(self.structural(rule), &here, detail));
                }
                (None, Some(_)) => {
                    let rule = self.structural(&rules::RESPONSE_HEADER_ADDED);
                    self.push(Change::new(rule, &here, "response header added"));
                }
                (Some(old), Some(new)) => self.header(&here, old, new)?,
                (None, None) => {}
            }
        }
        Ok(())
    }

    fn header(&mut self, location: &str, old: &Value, new: &Value) -> Result<()> {
        let side = self.response_side();
        for key in union_of_keys(Some(old), Some(new)) {
            let (old_value, new_value) = (old.get(key), new.get(key));
            match key {
                "schema" => self.schema_member(side, location, old_value, new_value)?,
                "content" => self.content(side, location, old_value, new_value)?,
                "required" => {
                    let (was, is) = (flag(Some(old), key), flag(Some(new), key));
                    let (rule, detail) = match (was, is) {
                        (false, true) => (
                            &rules::RESPONSE_HEADER_BECAME_REQUIRED,
                            "response header became required",
                        ),
                        (true, false) => (
                            &rules::RESPONSE_HEADER_BECAME_OPTIONAL,
                            "response header became optional",
                        ),
                        _ => continue,
                    };
                    self.push(Change::new(self.structural(rule), location, detail));
                }
                key => self.other_keyword(location, key, old_value, new_value)?,
            }
        }
        Ok(())
    }

    /// A `content` map: one entry per media type.
    pub fn content(
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
                    let rule = rules::for_side(
                        side,
                        &rules::REQUEST_MEDIA_TYPE_REMOVED,
                        &rules::RESPONSE_MEDIA_TYPE_REMOVED,
                    );
                    let detail = format!("content type {media_type} removed");
                    self.push(Change::new(self.structural(rule), &here, detail));
                }
                (None, Some(_)) => {
                    let rule = rules::for_side(
                        side,
                        &rules::REQUEST_MEDIA_TYPE_ADDED,
                        &rules::RESPONSE_MEDIA_TYPE_ADDED,
                    );
                    let detail = format!("content type {media_type} added");
                    self.push(Change::new(self.structural(rule), &here, detail));
                }
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
    pub fn schema_member(
        &mut self,
        side: Side,
        location: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        self.schema_member_at(&Place::new(side, location), old, new)
    }

    /// A `schema` member at a place prepared by the caller.
    pub fn schema_member_at(
        &mut self,
        place: &Place,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        match (old, new) {
            (Some(old), Some(new)) => self.schema(place, old, new),
            (None, None) => Ok(()),
            (old, _) => {
                let verb = if old.is_some() { "removed" } else { "added" };
                let detail = format!(
                    "schema {verb}: no rule compares a schema with none (a parameter or header \
                     described by `content` instead, or no description at all)"
                );
                self.push(Change::new(&rules::UNCLASSIFIED, &place.location, detail));
                Ok(())
            }
        }
    }

    /// Documentation, extensions, and anything no rule knows (`encoding`, ...).
    pub fn other_keyword(
        &mut self,
        location: &str,
        key: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        let change = if DOCS_KEYWORDS.contains(&key) {
            self.docs_differ(old, new)?
                .then(|| Change::new(&rules::DOCS_CHANGED, location, format!("{key} changed")))
        } else if old == new {
            None
        } else if is_extension(key) {
            Some(Change::new(
                &rules::METADATA_CHANGED,
                location,
                format!("{key} changed"),
            ))
        } else {
            let detail = format!("{key} changed: no rule knows this keyword here");
            Some(Change::new(&rules::UNCLASSIFIED, location, detail))
        };
        if let Some(change) = change {
            self.push(change);
        }
        Ok(())
    }
}

/// `2xx` statuses and the `2XX` range.
fn is_success(status: &str) -> bool {
    status.starts_with('2')
}
