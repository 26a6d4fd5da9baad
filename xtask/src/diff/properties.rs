//! `properties` and `required`, property by property, with `readOnly` and `writeOnly` modelled
//! as OpenAPI 3.0 says: a `readOnly` property SHOULD NOT be sent in a request, a `writeOnly`
//! one in a response, and "if the property is marked as readOnly being true and is in the
//! required list, the required will take effect on the response only" (and writeOnly on the
//! request only). A `required` name with no schema is a property too: JSON Schema asks for the
//! member whatever its value, and typify generates a field for it.
//!
//! Each property has a state on the wire (absent, hidden from this side, optional, required)
//! and one in the code (typify ignores readOnly/writeOnly: a field, an `Option` unless
//! required); the rule is chosen from how the state on the wire changed.

use std::collections::BTreeSet;

use anyhow::Result;
use serde_json::{Map, Value};

use super::model::{Change, Side};
use super::resolve;
use super::rules::{self, Rule};
use super::walk::{Place, Walk};

/// A property's state on one side of the exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Not defined at all.
    Absent,
    /// Defined, but `readOnly` in a request or `writeOnly` in a response.
    Hidden { required: bool },
    /// Defined, and may be left out.
    Optional,
    /// Defined, and must be there.
    Required,
}

impl Walk<'_> {
    /// Every property of two object schemas.
    pub fn properties(
        &mut self,
        place: &Place,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
    ) -> Result<()> {
        let empty = Map::new();
        let properties = |schema: &'_ Map<String, Value>| {
            schema
                .get("properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty)
                .clone()
        };
        let (old_properties, new_properties) = (properties(old), properties(new));
        let (old_required, new_required) = (required(old), required(new));
        let names: BTreeSet<&str> = old_properties
            .keys()
            .chain(new_properties.keys())
            .map(String::as_str)
            .chain(old_required.iter().copied())
            .chain(new_required.iter().copied())
            .collect();
        for name in names {
            let below = place.below(&format!(".{name}"));
            let (old_schema, new_schema) = (old_properties.get(name), new_properties.get(name));
            let was = self.state(
                self.base,
                place.side,
                old_schema,
                old_required.contains(name),
            )?;
            let is = self.state(
                self.head,
                place.side,
                new_schema,
                new_required.contains(name),
            )?;
            if let Some((rule, detail)) = judge(place.side, was, is) {
                self.push_at(&below, Change::new(rule, &below.location, detail));
            } else if was == is {
                let other_side = match place.side {
                    Side::Request => ("writeOnly", &rules::WRITE_ONLY_CHANGED_IN_REQUEST),
                    Side::Response => ("readOnly", &rules::READ_ONLY_CHANGED_IN_RESPONSE),
                };
                let (keyword, rule) = other_side;
                let (had, has) = (
                    self.marked(self.base, old_schema, keyword)?,
                    self.marked(self.head, new_schema, keyword)?,
                );
                if had != has {
                    let verb = if has { "added" } else { "removed" };
                    let detail = format!("{keyword} {verb}");
                    self.push_at(&below, Change::new(rule, &below.location, detail));
                }
            }
            let travels = |state: State| matches!(state, State::Optional | State::Required);
            if let (Some(old_schema), Some(new_schema)) = (old_schema, new_schema)
                && travels(was)
                && travels(is)
            {
                let mut below = below;
                below.optional = was == State::Optional && is == State::Optional;
                self.schema(&below, old_schema, new_schema)?;
            }
        }
        Ok(())
    }

    fn state(
        &self,
        document: &Value,
        side: Side,
        schema: Option<&Value>,
        required: bool,
    ) -> Result<State> {
        let hiding = match side {
            Side::Request => "readOnly",
            Side::Response => "writeOnly",
        };
        Ok(match schema {
            None if required => State::Required,
            None => State::Absent,
            Some(_) if self.marked(document, schema, hiding)? => State::Hidden { required },
            Some(_) if required => State::Required,
            Some(_) => State::Optional,
        })
    }

    /// Whether a property's schema says `keyword: true`, beside its `$ref` (3.1) or in the
    /// schema it points to.
    fn marked(&self, document: &Value, schema: Option<&Value>, keyword: &str) -> Result<bool> {
        let Some(schema) = schema else {
            return Ok(false);
        };
        let is_true = |schema: &Value| schema.get(keyword) == Some(&Value::Bool(true));
        Ok(is_true(schema) || is_true(resolve::follow(document, schema)?.value))
    }
}

/// The rule for a property whose state went from `was` to `is`, with its detail.
fn judge(side: Side, was: State, is: State) -> Option<(&'static Rule, String)> {
    use State::{Absent, Hidden, Optional, Required};
    let (request, response, detail): (&'static Rule, &'static Rule, &str) = match (was, is) {
        (Absent, Absent) | (Optional, Optional) | (Required, Required) => return None,
        (Hidden { required: had }, Hidden { required: has }) if had == has => return None,
        (Absent, Hidden { .. }) => (
            &rules::HIDDEN_PROPERTY_ADDED,
            &rules::HIDDEN_PROPERTY_ADDED,
            "property added, not on this side",
        ),
        (Hidden { .. }, Absent) => (
            &rules::HIDDEN_PROPERTY_REMOVED,
            &rules::HIDDEN_PROPERTY_REMOVED,
            "property removed, which was not on this side",
        ),
        (Hidden { .. }, Hidden { .. }) => (
            &rules::HIDDEN_PROPERTY_REQUIREDNESS_CHANGED,
            &rules::HIDDEN_PROPERTY_REQUIREDNESS_CHANGED,
            "property not on this side changed its required",
        ),
        (Absent, Optional) => (
            &rules::REQUEST_PROPERTY_ADDED,
            &rules::RESPONSE_PROPERTY_ADDED,
            "optional property added",
        ),
        (Absent, Required) => (
            &rules::REQUIRED_REQUEST_PROPERTY_ADDED,
            &rules::RESPONSE_PROPERTY_ADDED,
            "required property added",
        ),
        (Optional, Absent) => (
            &rules::REQUEST_PROPERTY_REMOVED,
            &rules::OPTIONAL_RESPONSE_PROPERTY_REMOVED,
            "optional property removed",
        ),
        (Required, Absent) => (
            &rules::REQUEST_PROPERTY_REMOVED,
            &rules::REQUIRED_RESPONSE_PROPERTY_REMOVED,
            "required property removed",
        ),
        (Optional, Required) => (
            &rules::REQUEST_PROPERTY_BECAME_REQUIRED,
            &rules::RESPONSE_PROPERTY_BECAME_REQUIRED,
            "property became required",
        ),
        (Required, Optional) => (
            &rules::REQUEST_PROPERTY_BECAME_OPTIONAL,
            &rules::RESPONSE_PROPERTY_BECAME_OPTIONAL,
            "property became optional",
        ),
        (Optional | Required, Hidden { .. }) => (
            &rules::REQUEST_PROPERTY_BECAME_READ_ONLY,
            if was == Required {
                &rules::REQUIRED_RESPONSE_PROPERTY_BECAME_WRITE_ONLY
            } else {
                &rules::OPTIONAL_RESPONSE_PROPERTY_BECAME_WRITE_ONLY
            },
            "property is no longer on this side (readOnly in a request, writeOnly in a response)",
        ),
        (Hidden { .. }, Optional) => (
            &rules::REQUEST_PROPERTY_NO_LONGER_READ_ONLY,
            &rules::RESPONSE_PROPERTY_NO_LONGER_WRITE_ONLY,
            "property is now on this side, optional",
        ),
        (Hidden { .. }, Required) => (
            &rules::REQUIRED_REQUEST_PROPERTY_NO_LONGER_READ_ONLY,
            &rules::RESPONSE_PROPERTY_NO_LONGER_WRITE_ONLY,
            "property is now on this side, required",
        ),
    };
    let side_word = side.as_str();
    Some((
        rules::for_side(side, request, response),
        format!("{side_word} {detail}"),
    ))
}

fn required(schema: &Map<String, Value>) -> BTreeSet<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}
