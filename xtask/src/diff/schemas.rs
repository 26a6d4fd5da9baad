//! Comparing two schemas, keyword by keyword, with their `$ref`s followed so that a change in a
//! component is reported where it affects a request or a response.

use std::collections::BTreeSet;

use anyhow::Result;
use serde_json::{Map, Value, json};

use super::resolve;
use super::rules;
use super::walk::{DOCS_KEYWORDS, Place, Walk, is_extension};

/// Keywords whose values are schemas or hold schemas: they are compared even when their raw
/// values are equal, because a `$ref` inside may point to a component that changed.
const NESTED: [&str; 7] = [
    "properties",
    "items",
    "additionalProperties",
    "oneOf",
    "anyOf",
    "allOf",
    "not",
];

impl Walk<'_> {
    /// Compares the schema `old` (in the base document) with `new` (in the head document),
    /// either of which may be a `$ref`.
    pub fn schema(&mut self, place: &Place, old: &Value, new: &Value) -> Result<()> {
        let old = resolve::follow(self.base, old)?;
        let new = resolve::follow(self.head, new)?;
        let mut place = place.clone();
        if let Some(reference) = new.reference.or(old.reference) {
            place.via = Some(reference.to_string());
        }
        // A recursive schema would otherwise be walked forever; the first visit up the stack
        // reports whatever changed in it.
        let key = (
            old.reference.unwrap_or_default().to_string(),
            new.reference.unwrap_or_default().to_string(),
        );
        let through_reference = old.reference.is_some() || new.reference.is_some();
        if through_reference && self.open.contains(&key) {
            return Ok(());
        }
        if through_reference {
            self.open.push(key);
        }
        let outcome = self.resolved_schema(&place, old.value, new.value);
        if through_reference {
            self.open.pop();
        }
        outcome
    }

    fn resolved_schema(&mut self, place: &Place, old: &Value, new: &Value) -> Result<()> {
        let (Some(old), Some(new)) = (old.as_object(), new.as_object()) else {
            if old != new {
                self.push_at(place, rules::unclassified(&place.location, "schema"));
            }
            return Ok(());
        };
        // Once the type differs, the other keywords describe different things.
        if old.get("type") != new.get("type") {
            let change = rules::type_changed(&place.location, old.get("type"), new.get("type"));
            self.push_at(place, change);
            return Ok(());
        }
        let keys: BTreeSet<&str> = old.keys().chain(new.keys()).map(String::as_str).collect();
        for key in keys {
            let (old_value, new_value) = (old.get(key), new.get(key));
            if NESTED.contains(&key) {
                self.nested_keyword(place, key, old_value, new_value)?;
            } else if key == "required" {
                // Compared together with `properties`, below.
            } else if old_value != new_value {
                self.keyword(place, key, old_value, new_value)?;
            }
        }
        self.properties(place, old, new)
    }

    /// A keyword whose value is plain data.
    fn keyword(
        &mut self,
        place: &Place,
        key: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        let (side, location) = (place.side, place.location.as_str());
        let changes = match key {
            "type" | "$ref" => Vec::new(),
            "format" => vec![rules::format_changed(location, old, new)],
            "nullable" => {
                let is_true = |value: Option<&Value>| value == Some(&Value::Bool(true));
                rules::nullable(side, location, is_true(old), is_true(new))
                    .into_iter()
                    .collect()
            }
            "enum" => match (old.and_then(Value::as_array), new.and_then(Value::as_array)) {
                (Some(old), Some(new)) => rules::enum_values(side, location, old, new),
                (old, new) => {
                    rules::restriction_flag(side, location, "an enum", old.is_some(), new.is_some())
                        .into_iter()
                        .collect()
                }
            },
            "default" => vec![rules::default_changed(location, old, new)],
            "minimum" | "minLength" | "minItems" | "minProperties" => {
                rules::lower_bound(side, location, key, old, new)
                    .into_iter()
                    .collect()
            }
            "maximum" | "maxLength" | "maxItems" | "maxProperties" => {
                rules::upper_bound(side, location, key, old, new)
                    .into_iter()
                    .collect()
            }
            "exclusiveMinimum" | "exclusiveMaximum" => exclusive_bound(place, key, old, new),
            "pattern" => vec![rules::pattern(side, location, old, new)],
            "multipleOf" => vec![rules::multiple_of(side, location, old, new)],
            "uniqueItems" => {
                let is_true = |value: Option<&Value>| value == Some(&Value::Bool(true));
                rules::restriction_flag(side, location, "uniqueItems", is_true(old), is_true(new))
                    .into_iter()
                    .collect()
            }
            key if DOCS_KEYWORDS.contains(&key) => {
                if self.docs_differ(old, new)? {
                    vec![rules::docs_changed(location, key)]
                } else {
                    Vec::new()
                }
            }
            key if is_extension(key) => {
                vec![rules::metadata_changed(location, format!("{key} changed"))]
            }
            key => vec![rules::unclassified(location, key)],
        };
        for change in changes {
            self.push_at(place, change);
        }
        Ok(())
    }

    /// A keyword that holds schemas.
    fn nested_keyword(
        &mut self,
        place: &Place,
        key: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        match key {
            "properties" => Ok(()), // Compared together with `required`, below.
            "items" => self.items(place, old, new),
            "additionalProperties" => self.additional_properties(place, old, new),
            "oneOf" | "anyOf" | "allOf" => self.variants(place, key, old, new),
            "not" => match (old, new) {
                // Inside `not`, accepting more means the whole schema accepts less.
                (Some(old), Some(new)) => {
                    let mut inverted = place.clone();
                    inverted.side = place.side.inverted();
                    inverted.negated = !place.negated;
                    self.schema(&inverted, old, new)
                }
                (old, new) => {
                    let change = rules::restriction(
                        place.side,
                        &place.location,
                        new.is_some(),
                        if old.is_some() {
                            "`not` removed"
                        } else {
                            "`not` added"
                        },
                    );
                    self.push_at(place, change);
                    Ok(())
                }
            },
            _ => unreachable!("{key} is not in NESTED"),
        }
    }

    /// `properties` and `required`, property by property.
    fn properties(
        &mut self,
        place: &Place,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
    ) -> Result<()> {
        let empty = Map::new();
        let old_properties = old
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let new_properties = new
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
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
            let (was, is) = (old_required.contains(name), new_required.contains(name));
            match (old_properties.get(name), new_properties.get(name)) {
                (Some(_), None) => {
                    self.push_at(&below, rules::property_removed(place.side, &below.location));
                }
                (None, Some(_)) => {
                    let change = rules::property_added(place.side, &below.location, is);
                    self.push_at(&below, change);
                }
                (old_schema, new_schema) => {
                    if let Some(change) =
                        rules::property_requiredness(place.side, &below.location, was, is)
                    {
                        self.push_at(&below, change);
                    }
                    if let (Some(old_schema), Some(new_schema)) = (old_schema, new_schema) {
                        self.schema(&below, old_schema, new_schema)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn items(&mut self, place: &Place, old: Option<&Value>, new: Option<&Value>) -> Result<()> {
        match (old, new) {
            (Some(old), Some(new)) => self.schema(&place.below("[]"), old, new),
            (None, None) => Ok(()),
            (old, _) => {
                let detail = if old.is_some() {
                    "items schema removed"
                } else {
                    "items schema added"
                };
                let change = rules::restriction(place.side, &place.location, old.is_none(), detail);
                self.push_at(place, change);
                Ok(())
            }
        }
    }

    /// Absent, `true` and `{}` all accept any extra member; `false` accepts none.
    fn additional_properties(
        &mut self,
        place: &Place,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        let closed = |value: Option<&Value>| value == Some(&Value::Bool(false));
        if closed(old) || closed(new) {
            let change = rules::restriction_flag(
                place.side,
                &place.location,
                "additionalProperties: false",
                closed(old),
                closed(new),
            );
            if let Some(change) = change {
                self.push_at(place, change);
            }
            return Ok(());
        }
        let any = json!({});
        let as_schema = |value: Option<&Value>| match value {
            None | Some(Value::Bool(true)) => None,
            Some(schema) => Some(schema.clone()),
        };
        match (as_schema(old), as_schema(new)) {
            (None, None) => Ok(()),
            (Some(old), Some(new)) => self.schema(&place.below(".*"), &old, &new),
            (old, new) => {
                let verb = if old.is_none() { "added" } else { "removed" };
                let (old, new) = (old.unwrap_or_else(|| any.clone()), new.unwrap_or(any));
                if old == new {
                    // The same values are accepted, though progenitor then generates (or stops
                    // generating) a map for the extra members.
                    let change = rules::metadata_changed(
                        &place.location,
                        format!(
                            "additionalProperties: {{}} {verb} (the same members are accepted)"
                        ),
                    );
                    self.push_at(place, change);
                    Ok(())
                } else {
                    self.schema(&place.below(".*"), &old, &new)
                }
            }
        }
    }

    /// `oneOf`, `anyOf`, `allOf`: variants are paired by position.
    fn variants(
        &mut self,
        place: &Place,
        key: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        let (Some(old), Some(new)) = (old.and_then(Value::as_array), new.and_then(Value::as_array))
        else {
            if old != new {
                self.push_at(place, rules::unclassified(&place.location, key));
            }
            return Ok(());
        };
        for (index, (old, new)) in old.iter().zip(new).enumerate() {
            self.schema(&place.below(&format!(".{key}[{index}]")), old, new)?;
        }
        if old.len() != new.len() {
            // More `oneOf`/`anyOf` variants accept more; more `allOf` parts accept less.
            let more = new.len() > old.len();
            let narrowed = if key == "allOf" { more } else { !more };
            let detail = format!("{key} has {} variants instead of {}", new.len(), old.len());
            let change = rules::restriction(place.side, &place.location, narrowed, detail);
            self.push_at(place, change);
        }
        Ok(())
    }
}

/// OpenAPI 3.0 writes `exclusiveMinimum: true` beside `minimum`; 3.1 writes the bound itself.
fn exclusive_bound(
    place: &Place,
    key: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Vec<super::model::Change> {
    let (side, location) = (place.side, place.location.as_str());
    let is_number = |value: Option<&Value>| value.is_some_and(Value::is_number);
    if is_number(old) || is_number(new) {
        let change = if key == "exclusiveMinimum" {
            rules::lower_bound(side, location, key, old, new)
        } else {
            rules::upper_bound(side, location, key, old, new)
        };
        return change.into_iter().collect();
    }
    let is_true = |value: Option<&Value>| value == Some(&Value::Bool(true));
    rules::restriction_flag(side, location, key, is_true(old), is_true(new))
        .into_iter()
        .collect()
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

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::diff::{Kind, compare};

    /// A document whose one operation sends `request` and receives `response`.
    fn document(request: Value, response: Value, schemas: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/x": {"post": {
                "requestBody": {"content": {"application/json": {"schema": request}}},
                "responses": {"200": {"description": "", "content": {
                    "application/json": {"schema": response}
                }}}
            }}},
            "components": {"schemas": schemas}
        })
    }

    fn classify(base: &Value, head: &Value) -> Vec<(String, Kind, bool)> {
        compare(base, head)
            .unwrap()
            .into_iter()
            .map(|change| (change.location, change.kind, change.breaking))
            .collect()
    }

    #[test]
    fn a_recursive_schema_ends_and_its_change_is_found_once_per_place() {
        let node = |kind: &str| {
            json!({"Node": {"type": "object", "properties": {
                "kind": {"type": kind},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
            }}})
        };
        let reference = json!({"$ref": "#/components/schemas/Node"});
        let base = document(reference.clone(), json!({}), node("string"));
        let head = document(reference, json!({}), node("integer"));
        assert_eq!(
            classify(&base, &head),
            [(
                "POST /x request body.kind".to_string(),
                Kind::TypeChanged,
                true
            )]
        );
    }

    #[test]
    fn inside_not_a_wider_inner_schema_is_a_narrower_whole() {
        let other = |values: Value| json!({"type": "string", "not": {"enum": values}});
        let base = document(other(json!(["a"])), json!({}), json!({}));
        let head = document(other(json!(["a", "b"])), json!({}), json!({}));
        assert_eq!(
            classify(&base, &head),
            [(
                "POST /x request body".to_string(),
                Kind::EnumValueAdded,
                true
            )]
        );
        let changes = compare(&base, &head).unwrap();
        assert_eq!(changes[0].detail, "enum value \"b\" added (inside `not`)");
    }

    #[test]
    fn more_one_of_variants_widen_and_more_all_of_parts_narrow() {
        let string = json!({"type": "string"});
        let number = json!({"type": "number"});
        let base = document(
            json!({"oneOf": [string.clone()]}),
            json!({"allOf": [string.clone()]}),
            json!({}),
        );
        let head = document(
            json!({"oneOf": [string.clone(), number.clone()]}),
            json!({"allOf": [string, number]}),
            json!({}),
        );
        assert_eq!(
            classify(&base, &head),
            [
                (
                    "POST /x request body".to_string(),
                    Kind::ConstraintWidened,
                    false
                ),
                (
                    "POST /x response 200 body".to_string(),
                    Kind::ConstraintNarrowed,
                    false
                ),
            ]
        );
    }

    #[test]
    fn additional_properties_false_and_an_explicit_empty_schema() {
        let object = |extra: Value| json!({"type": "object", "additionalProperties": extra});
        let base = document(json!({"type": "object"}), object(json!(false)), json!({}));
        let head = document(object(json!(false)), object(json!({})), json!({}));
        assert_eq!(
            classify(&base, &head),
            [
                (
                    "POST /x request body".to_string(),
                    Kind::ConstraintNarrowed,
                    true
                ),
                (
                    "POST /x response 200 body".to_string(),
                    Kind::ConstraintWidened,
                    true
                ),
            ]
        );

        let base = document(json!({"type": "object"}), json!({}), json!({}));
        let head = document(object(json!({})), json!({}), json!({}));
        assert_eq!(
            classify(&base, &head),
            [("POST /x request body".to_string(), Kind::Metadata, false)]
        );
    }

    #[test]
    fn array_items_are_compared_through_their_refs() {
        let list = json!({"type": "array", "items": {"$ref": "#/components/schemas/Item"}});
        let item = |format: &str| json!({"Item": {"type": "integer", "format": format}});
        let base = document(json!({}), list.clone(), item("int32"));
        let head = document(json!({}), list, item("int64"));
        let changes = compare(&base, &head).unwrap();
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].location, "POST /x response 200 body[]");
        assert_eq!(
            changes[0].detail,
            "format changed from \"int32\" to \"int64\" (in #/components/schemas/Item)"
        );
    }
}
