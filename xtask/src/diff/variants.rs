//! `oneOf` and `anyOf`: variants paired by content, not position (the same `$ref`, else the
//! same schema once `$ref`s are inlined, else the one variant left on each side), and the
//! `discriminator` that tells them apart, its mapping compared by the schemas it names.

use std::collections::BTreeMap;

use anyhow::Result;
use serde_json::{Map, Value};

use super::constraints::restriction;
use super::model::{Change, Side};
use super::resolve;
use super::rules::{self, Rule};
use super::walk::{Place, Walk, union_of_keys};

const COMPONENT: &str = "#/components/schemas/";

impl Walk<'_> {
    /// The `oneOf` or `anyOf` of two schemas, and their discriminators.
    pub fn compositions(
        &mut self,
        place: &Place,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
    ) -> Result<()> {
        match (composition(old), composition(new)) {
            (None, None) => {}
            (Some((old_key, old_variants)), Some((new_key, new_variants))) => {
                if old_key != new_key {
                    // anyOf accepts a value that matches several variants; oneOf refuses it.
                    let detail = format!("{old_key} became {new_key}");
                    let change =
                        restriction(place.side, &place.location, new_key == "oneOf", detail);
                    self.push_at(place, change);
                }
                self.variants(place, new_key, new, old_variants, new_variants)?;
            }
            (old, new) => {
                let (key, verb) = match (old, new) {
                    (Some((key, _)), _) => (key, "removed"),
                    (_, Some((key, _))) => (key, "added"),
                    _ => unreachable!("one of them is there"),
                };
                let detail = format!(
                    "{key} {verb}: no rule compares a single schema with a list of variants"
                );
                let change = Change::new(&rules::UNCLASSIFIED, &place.location, detail);
                self.push_at(place, change);
            }
        }
        self.discriminator(place, old, new)
    }

    fn variants(
        &mut self,
        place: &Place,
        key: &str,
        new_schema: &Map<String, Value>,
        old: &[Value],
        new: &[Value],
    ) -> Result<()> {
        let pairs = self.pair(old, new)?;
        // In a request, a oneOf variant that accepts more may start to match a value another
        // variant matches too, which oneOf then refuses, unless something keeps them apart.
        let may_overlap = key == "oneOf"
            && place.side == Side::Request
            && !new_schema.contains_key("discriminator")
            && !self.disjoint_types(new)?;
        for (old_index, new_index) in &pairs.paired {
            let (old_variant, new_variant) = (&old[*old_index], &new[*new_index]);
            let below = place.below(&format!(".{key}[{new_index}]"));
            let before = self.changes.len();
            self.schema(&below, old_variant, new_variant)?;
            let widened = self.changes[before..]
                .iter()
                .any(|change| rules::widens_requests(change.rule));
            if may_overlap && widened {
                let detail = "the variant accepts more and may now overlap another".to_string();
                let change = Change::new(&rules::ONE_OF_VARIANT_WIDENED, &below.location, detail);
                self.push_at(&below, change);
            }
            let named = new_variant.get("$ref").is_some() || new_variant.get("title").is_some();
            if old_index != new_index && !named {
                let detail = format!(
                    "inline variant moved from {key}[{old_index}] to {key}[{new_index}] (typify \
                     names it Variant{new_index})"
                );
                let change = Change::new(&rules::UNNAMED_VARIANT_MOVED, &below.location, detail);
                self.push_at(&below, change);
            }
        }
        let (added, removed) = match place.side {
            Side::Request => (
                &rules::REQUEST_VARIANT_ADDED,
                &rules::REQUEST_VARIANT_REMOVED,
            ),
            Side::Response => (
                &rules::RESPONSE_VARIANT_ADDED,
                &rules::RESPONSE_VARIANT_REMOVED,
            ),
        };
        for index in pairs.removed {
            let detail = format!("{key} variant {} removed", describe(&old[index]));
            self.push_at(place, Change::new(removed, &place.location, detail));
        }
        for index in pairs.added {
            let detail = format!("{key} variant {} added", describe(&new[index]));
            self.push_at(place, Change::new(added, &place.location, detail));
        }
        Ok(())
    }

    /// Pairs old and new variants by content.
    fn pair(&self, old: &[Value], new: &[Value]) -> Result<Pairs> {
        let mut old_left: Vec<usize> = (0..old.len()).collect();
        let mut new_left: Vec<usize> = (0..new.len()).collect();
        let mut paired = Vec::new();
        // The same `$ref` first, then the same content.
        for same_reference in [true, false] {
            let mut index = 0;
            while index < old_left.len() {
                let old_index = old_left[index];
                let mut found = None;
                for (position, &new_index) in new_left.iter().enumerate() {
                    let matches = if same_reference {
                        let reference = |value: &Value| value.get("$ref").cloned();
                        reference(&old[old_index]).is_some()
                            && reference(&old[old_index]) == reference(&new[new_index])
                    } else {
                        self.same_content(&old[old_index], &new[new_index])?
                    };
                    if matches {
                        found = Some(position);
                        break;
                    }
                }
                match found {
                    Some(position) => {
                        paired.push((old_index, new_left.remove(position)));
                        old_left.remove(index);
                    }
                    None => index += 1,
                }
            }
        }
        // One variant left on each side is the same variant, changed.
        if let ([old_index], [new_index]) = (old_left.as_slice(), new_left.as_slice()) {
            paired.push((*old_index, *new_index));
            old_left.clear();
            new_left.clear();
        }
        paired.sort_by_key(|(_, new_index)| *new_index);
        Ok(Pairs {
            paired,
            removed: old_left,
            added: new_left,
        })
    }

    /// Whether every variant has one `type` and no two share it (integer counts as number).
    fn disjoint_types(&self, variants: &[Value]) -> Result<bool> {
        let mut seen = Vec::new();
        for variant in variants {
            let variant = resolve::follow(self.head, variant)?.value;
            let Some(kind) = variant.get("type").and_then(Value::as_str) else {
                return Ok(false);
            };
            let kind = if kind == "integer" { "number" } else { kind };
            if seen.contains(&kind) {
                return Ok(false);
            }
            seen.push(kind);
        }
        Ok(true)
    }

    /// The discriminator: its property, and its values with the schemas they name (the
    /// explicit mapping, and the component names of the `$ref` variants it leaves out).
    fn discriminator(
        &mut self,
        place: &Place,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
    ) -> Result<()> {
        let (Some(old_discriminator), Some(new_discriminator)) =
            (old.get("discriminator"), new.get("discriminator"))
        else {
            if old.get("discriminator").is_some() != new.get("discriminator").is_some() {
                let added = new.contains_key("discriminator");
                let detail = if added {
                    "discriminator added: requests must carry the value that names the variant"
                } else {
                    "discriminator removed"
                };
                let change = restriction(place.side, &place.location, added, detail);
                self.push_at(place, change);
            }
            return Ok(());
        };
        let property = |discriminator: &Value| discriminator.get("propertyName").cloned();
        if property(old_discriminator) != property(new_discriminator) {
            let detail = format!(
                "discriminator property changed from {} to {}",
                super::document::show(property(old_discriminator).as_ref()),
                super::document::show(property(new_discriminator).as_ref())
            );
            let change = Change::new(
                &rules::DISCRIMINATOR_PROPERTY_CHANGED,
                &place.location,
                detail,
            );
            self.push_at(place, change);
            return Ok(());
        }
        let old_mapping = mapping(old, old_discriminator);
        let new_mapping = mapping(new, new_discriminator);
        let (added, removed): (&Rule, &Rule) = match place.side {
            Side::Request => (
                &rules::REQUEST_DISCRIMINATOR_VALUE_ADDED,
                &rules::REQUEST_DISCRIMINATOR_VALUE_REMOVED,
            ),
            Side::Response => (
                &rules::RESPONSE_DISCRIMINATOR_VALUE_ADDED,
                &rules::RESPONSE_DISCRIMINATOR_VALUE_REMOVED,
            ),
        };
        let old_values = serde_json::to_value(&old_mapping)?;
        let new_values = serde_json::to_value(&new_mapping)?;
        for value in union_of_keys(Some(&old_values), Some(&new_values)) {
            let change = match (old_mapping.get(value), new_mapping.get(value)) {
                (Some(_), None) => {
                    let detail = format!("discriminator value {value:?} removed");
                    Change::new(removed, &place.location, detail)
                }
                (None, Some(_)) => {
                    let detail = format!("discriminator value {value:?} added");
                    Change::new(added, &place.location, detail)
                }
                (Some(old_target), Some(new_target)) => {
                    let reference = |target: &str| serde_json::json!({"$ref": target});
                    if old_target == new_target
                        || self.same_content(&reference(old_target), &reference(new_target))?
                    {
                        continue;
                    }
                    let detail = format!(
                        "discriminator value {value:?} now names {new_target} instead of \
                         {old_target}, whose content differs"
                    );
                    Change::new(
                        &rules::DISCRIMINATOR_MAPPING_RETARGETED,
                        &place.location,
                        detail,
                    )
                }
                (None, None) => continue,
            };
            self.push_at(place, change);
        }
        Ok(())
    }
}

/// Old and new variants paired by content, and those left over.
struct Pairs {
    /// (old index, new index), by new index.
    paired: Vec<(usize, usize)>,
    removed: Vec<usize>,
    added: Vec<usize>,
}

fn composition(schema: &Map<String, Value>) -> Option<(&'static str, &[Value])> {
    ["oneOf", "anyOf"].into_iter().find_map(|key| {
        schema
            .get(key)
            .and_then(Value::as_array)
            .map(|variants| (key, variants.as_slice()))
    })
}

/// Each discriminator value with the `$ref` it names: the explicit `mapping` (whose values
/// may be bare schema names), and for every `$ref` variant not mapped, its component's name.
fn mapping(schema: &Map<String, Value>, discriminator: &Value) -> BTreeMap<String, String> {
    let mut values: BTreeMap<String, String> = discriminator
        .get("mapping")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(value, target)| {
            let target = target.as_str()?;
            let target = if target.starts_with('#') {
                target.to_string()
            } else {
                format!("{COMPONENT}{target}")
            };
            Some((value.clone(), target))
        })
        .collect();
    let variants = composition(schema).map_or(&[][..], |(_, variants)| variants);
    for variant in variants {
        let Some(target) = variant.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        let mapped = values.values().any(|mapped| mapped == target);
        if let (false, Some(name)) = (mapped, target.strip_prefix(COMPONENT)) {
            values.insert(name.to_string(), target.to_string());
        }
    }
    values
}

fn describe(variant: &Value) -> String {
    match variant.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference.trim_start_matches(COMPONENT).to_string(),
        None => super::document::show(Some(variant)),
    }
}
