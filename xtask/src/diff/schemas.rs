//! Comparing two schemas: `$ref`s followed (so that a change in a component is reported where
//! it affects a request or a response), `allOf` merged, then keyword by keyword. The keywords
//! are judged in the modules named below; this one dispatches and names the Rust types.

use anyhow::Result;
use serde_json::{Map, Value};

use super::constraints::{self, TypeRelation};
use super::merge;
use super::model::Change;
use super::resolve::{self, Resolved};
use super::rules;
use super::typify;
use super::walk::{DOCS_KEYWORDS, Place, Walk, is_extension};

/// Keywords judged together by the groups in `resolved_schema`, not one by one.
const GROUPED: [&str; 37] = [
    "type",
    "nullable",
    "enum",
    "const",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "minContains",
    "maxContains",
    "oneOf",
    "anyOf",
    "discriminator",
    "properties",
    "required",
    "readOnly",
    "writeOnly",
    "items",
    "prefixItems",
    "contains",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "propertyNames",
    "patternProperties",
    "dependentSchemas",
    "not",
    "allOf",
    "$ref",
    "$defs",
    "definitions",
];

/// Why the catch-all takes a keyword no rule decides.
fn undecided(key: &str) -> &'static str {
    match key {
        "if" | "then" | "else" => "conditional subschemas are not compared",
        "contentEncoding" | "contentMediaType" | "contentSchema" => {
            "how a string encodes its content is not compared"
        }
        "$dynamicRef" | "$dynamicAnchor" | "$recursiveRef" | "$recursiveAnchor" => {
            "dynamic references are not followed"
        }
        _ => "no rule knows this keyword",
    }
}

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
        self.type_names(&place, old, new);
        if through_reference {
            self.open.push(key);
        }
        let outcome = self.merged_schema(&place, old.value, new.value);
        if through_reference {
            self.open.pop();
        }
        outcome
    }

    fn merged_schema(&mut self, place: &Place, old: &Value, new: &Value) -> Result<()> {
        let old = merge::all_of(self.base, old)?;
        let new = merge::all_of(self.head, new)?;
        self.resolved_schema(place, &old, &new)
    }

    /// typify names a type after its component (or, inline, after its place or its `title`):
    /// the same content under another name is another Rust type.
    fn type_names(&mut self, place: &Place, old: Resolved<'_>, new: Resolved<'_>) {
        fn component<'v>(resolved: Resolved<'v>) -> Option<&'v str> {
            resolved
                .reference
                .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
        }
        fn title<'v>(resolved: Resolved<'v>) -> Option<&'v str> {
            resolved.value.get("title").and_then(Value::as_str)
        }
        let detail = match (component(old), component(new)) {
            (Some(old), Some(new)) if old != new => format!("type {old} is now {new}"),
            (Some(old), None) if new.reference.is_none() => {
                format!("type {old} is now written inline")
            }
            (None, Some(new)) if old.reference.is_none() => {
                format!("the inline type is now the component {new}")
            }
            (None, None) if title(old) != title(new) && typify::is_named(new.value) => format!(
                "the inline type's title changed from {} to {}",
                title(old).unwrap_or("none"),
                title(new).unwrap_or("none")
            ),
            _ => return,
        };
        self.push_at(
            place,
            Change::new(&rules::TYPE_NAME_CHANGED, &place.location, detail),
        );
    }

    fn resolved_schema(&mut self, place: &Place, old: &Value, new: &Value) -> Result<()> {
        let (Some(old), Some(new)) = (old.as_object(), new.as_object()) else {
            if old != new {
                let detail = "schema changed: a boolean schema (true or false) is not compared \
                              with an object one";
                self.push_at(
                    place,
                    Change::new(&rules::UNCLASSIFIED, &place.location, detail),
                );
            }
            return Ok(());
        };
        let (side, location) = (place.side, place.location.as_str());
        let (changes, relation) = constraints::types(side, location, old, new);
        self.push_all(place, changes);
        // Once the types are unrelated, the other keywords describe different things.
        if relation == TypeRelation::Unrelated {
            return Ok(());
        }
        if relation == TypeRelation::Same {
            let (was, is) = (
                typify::rust_type(old, place.optional),
                typify::rust_type(new, place.optional),
            );
            if let (Some(was), Some(is)) = (was, is)
                && was != is
            {
                let detail = format!("typify now generates {is} instead of {was}");
                let change = Change::new(&rules::GENERATED_TYPE_CHANGED, location, detail);
                self.push_at(place, change);
            }
        }
        let mut changes = constraints::values(side, location, old, new);
        changes.extend(constraints::numeric_bounds(side, location, old, new));
        changes.extend(constraints::counts(side, location, old, new));
        self.push_all(place, changes);
        for key in union(old, new) {
            let (old_value, new_value) = (old.get(key), new.get(key));
            if GROUPED.contains(&key) || old_value == new_value {
                continue;
            }
            self.keyword(place, key, old_value, new_value)?;
        }
        self.nested(place, old, new)?;
        self.compositions(place, old, new)?;
        self.properties(place, old, new)
    }

    /// A keyword whose value is plain data, judged on its own.
    fn keyword(
        &mut self,
        place: &Place,
        key: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        let (side, location) = (place.side, place.location.as_str());
        let change = match key {
            "format" => constraints::format(side, location, old, new),
            "pattern" => constraints::pattern(side, location, old, new),
            "multipleOf" => constraints::multiple_of(side, location, old, new),
            "uniqueItems" => {
                let is_true = |value: Option<&Value>| value == Some(&Value::Bool(true));
                constraints::flag(side, location, "uniqueItems", is_true(old), is_true(new))
            }
            "dependentRequired" => constraints::dependent_required(side, location, old, new),
            "default" => {
                let rule = if place.parameter {
                    &rules::PARAMETER_DEFAULT_CHANGED
                } else {
                    rules::for_side(
                        side,
                        &rules::REQUEST_DEFAULT_CHANGED,
                        &rules::RESPONSE_DEFAULT_CHANGED,
                    )
                };
                let detail = format!(
                    "default changed from {} to {}",
                    super::document::show(old),
                    super::document::show(new)
                );
                Some(Change::new(rule, location, detail))
            }
            key if DOCS_KEYWORDS.contains(&key) => self
                .docs_differ(old, new)?
                .then(|| Change::new(&rules::DOCS_CHANGED, location, format!("{key} changed"))),
            key if is_extension(key) || matches!(key, "xml" | "$id" | "$schema" | "$anchor") => {
                let detail = format!("{key} changed");
                Some(Change::new(&rules::METADATA_CHANGED, location, detail))
            }
            key => {
                let detail = format!("{key} changed: {}", undecided(key));
                Some(Change::new(&rules::UNCLASSIFIED, location, detail))
            }
        };
        if let Some(change) = change {
            self.push_at(place, change);
        }
        Ok(())
    }

    /// Records changes found at `place`.
    pub fn push_all(&mut self, place: &Place, changes: impl IntoIterator<Item = Change>) {
        for change in changes {
            self.push_at(place, change);
        }
    }
}

/// The keys of two schemas, sorted.
pub fn union<'v>(old: &'v Map<String, Value>, new: &'v Map<String, Value>) -> Vec<&'v str> {
    let mut keys: Vec<&str> = old.keys().chain(new.keys()).map(String::as_str).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}
