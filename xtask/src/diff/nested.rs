//! Keywords that hold schemas (`items`, `prefixItems`, `contains`, `additionalProperties`,
//! `unevaluatedProperties`, `unevaluatedItems`, `propertyNames`, `patternProperties`,
//! `dependentSchemas`, `not`, an `allOf` that could not be merged): each is compared as a
//! schema of its own, and one that appears narrows what is accepted, one that goes widens it.

use anyhow::Result;
use serde_json::{Map, Value, json};

use super::constraints::restriction;
use super::model::Change;
use super::rules;
use super::walk::{Place, Walk, union_of_keys};

impl Walk<'_> {
    /// Every keyword holding schemas, compared even when its raw value is the same, since a
    /// `$ref` inside may point to a component that changed.
    pub fn nested(
        &mut self,
        place: &Place,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
    ) -> Result<()> {
        let pair = |key: &str| (old.get(key), new.get(key));
        self.subschema(place, "items", "[]", pair("items"))?;
        self.positional(place, "prefixItems", pair("prefixItems"))?;
        self.subschema(place, "contains", "[contains]", pair("contains"))?;
        for key in [
            "additionalProperties",
            "unevaluatedProperties",
            "unevaluatedItems",
        ] {
            self.open_members(place, key, pair(key))?;
        }
        self.subschema(
            place,
            "propertyNames",
            " (property names)",
            pair("propertyNames"),
        )?;
        self.named(place, "patternProperties", pair("patternProperties"))?;
        self.named(place, "dependentSchemas", pair("dependentSchemas"))?;
        self.positional(place, "allOf", pair("allOf"))?;
        match pair("not") {
            // Inside `not`, accepting more means the whole schema accepts less.
            (Some(old), Some(new)) => {
                let mut inverted = place.clone();
                inverted.side = place.side.inverted();
                inverted.negated = !place.negated;
                self.schema(&inverted, old, new)?;
            }
            (None, None) => {}
            (old, _) => {
                let detail = if old.is_some() {
                    "`not` removed"
                } else {
                    "`not` added"
                };
                let change = restriction(place.side, &place.location, old.is_none(), detail);
                self.push_at(place, change);
            }
        }
        Ok(())
    }

    /// A keyword holding one schema that constrains the value when present.
    fn subschema(
        &mut self,
        place: &Place,
        key: &str,
        suffix: &str,
        (old, new): (Option<&Value>, Option<&Value>),
    ) -> Result<()> {
        match (old, new) {
            (Some(old), Some(new)) => self.schema(&place.below(suffix), old, new),
            (None, None) => Ok(()),
            (old, _) => {
                let verb = if old.is_some() { "removed" } else { "added" };
                let detail = format!("{key} {verb}");
                let change = restriction(place.side, &place.location, old.is_none(), detail);
                self.push_at(place, change);
                Ok(())
            }
        }
    }

    /// A keyword holding a list of schemas compared by position (`prefixItems`, an `allOf`
    /// left after merging): a longer list constrains more.
    fn positional(
        &mut self,
        place: &Place,
        key: &str,
        (old, new): (Option<&Value>, Option<&Value>),
    ) -> Result<()> {
        let (old, new) = (as_list(old), as_list(new));
        for (index, (old, new)) in old.iter().zip(new).enumerate() {
            self.schema(&place.below(&format!(".{key}[{index}]")), old, new)?;
        }
        if old.len() != new.len() {
            let detail = format!("{key} has {} schemas instead of {}", new.len(), old.len());
            let change = restriction(place.side, &place.location, new.len() > old.len(), detail);
            self.push_at(place, change);
        }
        Ok(())
    }

    /// A keyword holding schemas by name or pattern (`patternProperties`, `dependentSchemas`).
    fn named(
        &mut self,
        place: &Place,
        key: &str,
        (old, new): (Option<&Value>, Option<&Value>),
    ) -> Result<()> {
        for name in union_of_keys(old, new) {
            let (old, new) = (
                old.and_then(|map| map.get(name)),
                new.and_then(|map| map.get(name)),
            );
            self.subschema(
                place,
                &format!("{key} {name}"),
                &format!(" ({key} {name})"),
                (old, new),
            )?;
        }
        Ok(())
    }

    /// `additionalProperties` and its 3.1 kin: absent, `true` and `{}` all accept any extra
    /// member; `false` accepts none; a schema accepts those it describes.
    fn open_members(
        &mut self,
        place: &Place,
        key: &str,
        (old, new): (Option<&Value>, Option<&Value>),
    ) -> Result<()> {
        let closed = |value: Option<&Value>| value == Some(&Value::Bool(false));
        if closed(old) || closed(new) {
            if closed(old) != closed(new) {
                let detail = if closed(new) {
                    format!("{key}: false now applies")
                } else {
                    format!("{key}: false no longer applies")
                };
                let change = restriction(place.side, &place.location, closed(new), detail);
                self.push_at(place, change);
            }
            return Ok(());
        }
        let as_schema = |value: Option<&Value>| match value {
            None | Some(Value::Bool(true)) => None,
            Some(schema) => Some(schema.clone()),
        };
        let below = place.below(".*");
        match (as_schema(old), as_schema(new)) {
            (None, None) => Ok(()),
            (Some(old), Some(new)) => self.schema(&below, &old, &new),
            (old, new) => {
                let verb = if old.is_none() { "added" } else { "removed" };
                let any = json!({});
                let (old, new) = (old.unwrap_or_else(|| any.clone()), new.unwrap_or(any));
                if old == new {
                    // The same values are accepted, though progenitor then generates (or stops
                    // generating) a map for the extra members.
                    let detail = format!("{key}: {{}} {verb} (the same members are accepted)");
                    let change = Change::new(&rules::METADATA_CHANGED, &place.location, detail);
                    self.push_at(place, change);
                    Ok(())
                } else {
                    self.schema(&below, &old, &new)
                }
            }
        }
    }
}

fn as_list(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}
