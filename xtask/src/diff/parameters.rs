//! Comparing an operation's parameters: those of its path item, overridden by its own; path
//! parameters paired by their position in the path template, the others by place and name
//! (header names without regard to case); how each is written on the wire (`style`, `explode`,
//! `allowEmptyValue`, `allowReserved`).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use serde_json::Value;

use super::model::{Change, Side};
use super::paths;
use super::resolve;
use super::rules;
use super::walk::{Place, Walk, flag, union_of_keys};

/// A parameter is identified by where it goes and its name (lowercase for headers).
type ParameterKey = (String, String);

/// Header parameters that OpenAPI says to ignore: the client sets them itself.
const IGNORED_HEADERS: [&str; 3] = ["accept", "content-type", "authorization"];

impl<'a> Walk<'a> {
    /// The parameters of an operation. `paths` are the old and new path templates, whose
    /// parameters are paired by position.
    pub fn parameters(
        &mut self,
        location: &str,
        paths: (Option<&str>, Option<&str>),
        old: [Option<&'a Value>; 2],
        new: [Option<&'a Value>; 2],
    ) -> Result<()> {
        let old = effective_parameters(self.base, old)?;
        let new = effective_parameters(self.head, new)?;
        // The new key of each renamed path parameter, by position in the two templates.
        let renamed: BTreeMap<ParameterKey, ParameterKey> = match paths {
            (Some(old_path), Some(new_path)) => paths::parameter_names(old_path)
                .into_iter()
                .zip(paths::parameter_names(new_path))
                .filter(|(old_name, new_name)| old_name != new_name)
                .map(|(old_name, new_name)| {
                    let key = |name: &str| ("path".to_string(), name.to_string());
                    (key(old_name), key(new_name))
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        let as_new = |key: &ParameterKey| renamed.get(key).unwrap_or(key).clone();
        let old_by_new_key: BTreeMap<ParameterKey, (&ParameterKey, &Value)> = old
            .iter()
            .map(|(key, parameter)| (as_new(key), (key, *parameter)))
            .collect();
        let keys: BTreeSet<&ParameterKey> = old_by_new_key.keys().chain(new.keys()).collect();
        for key in keys {
            let (place, name) = key;
            // Header names are paired without regard to case, and shown as written.
            let written = new
                .get(key)
                .or_else(|| old_by_new_key.get(key).map(|(_, parameter)| parameter))
                .and_then(|parameter| parameter.get("name"))
                .and_then(Value::as_str)
                .unwrap_or(name);
            let here = format!("{location} {place} parameter {written}");
            match (old_by_new_key.get(key), new.get(key)) {
                (Some(_), None) => {
                    let rule = self.structural(&rules::PARAMETER_REMOVED);
                    self.push(Change::new(rule, &here, "parameter removed"));
                }
                (None, Some(new)) => {
                    let (rule, detail) = if is_required(new) {
                        (&rules::REQUIRED_PARAMETER_ADDED, "required parameter added")
                    } else {
                        (&rules::OPTIONAL_PARAMETER_ADDED, "optional parameter added")
                    };
                    self.push(Change::new(self.structural(rule), &here, detail));
                }
                (Some((old_key, old)), Some(new)) => {
                    if *old_key != key {
                        let detail = format!(
                            "path parameter {} renamed to {written} (the same place in the path)",
                            old_key.1
                        );
                        self.push(Change::new(&rules::PATH_PARAMETER_RENAMED, &here, detail));
                    }
                    self.parameter(&here, old, new)?;
                }
                (None, None) => {}
            }
        }
        Ok(())
    }

    fn parameter(&mut self, location: &str, old: &Value, new: &Value) -> Result<()> {
        let side = self.request_side();
        let mut place = Place::new(side, location);
        place.parameter = true;
        place.optional = !is_required(old) && !is_required(new);
        let mut serialization_compared = false;
        for key in union_of_keys(Some(old), Some(new)) {
            let (old_value, new_value) = (old.get(key), new.get(key));
            match key {
                "name" | "in" => {}
                "schema" => self.schema_member_at(&place, old_value, new_value)?,
                "content" => self.content(side, location, old_value, new_value)?,
                "required" => {
                    let (rule, detail) = match (is_required(old), is_required(new)) {
                        (false, true) => (
                            &rules::PARAMETER_BECAME_REQUIRED,
                            "parameter became required",
                        ),
                        (true, false) => (
                            &rules::PARAMETER_BECAME_OPTIONAL,
                            "parameter became optional",
                        ),
                        _ => continue,
                    };
                    self.push(Change::new(self.structural(rule), location, detail));
                }
                "style" | "explode" if !serialization_compared => {
                    serialization_compared = true;
                    self.serialization(location, old, new)?;
                }
                "style" | "explode" => {}
                // Both let the service accept more when true: an empty value, reserved
                // characters left unencoded.
                "allowEmptyValue" | "allowReserved" => {
                    let (was, is) = (flag(Some(old), key), flag(Some(new), key));
                    if was != is {
                        let detail = if is {
                            format!("{key}: true added (more values accepted)")
                        } else {
                            format!("{key}: true removed (fewer values accepted)")
                        };
                        let change = super::constraints::restriction(side, location, !is, detail);
                        self.push(change);
                    }
                }
                key => self.other_keyword(location, key, old_value, new_value)?,
            }
        }
        Ok(())
    }

    /// `style` and `explode`, with their defaults: a different pair writes the value
    /// differently, except that `explode` changes nothing for a primitive value.
    fn serialization(&mut self, location: &str, old: &Value, new: &Value) -> Result<()> {
        let old_way = serialization(self.base, old)?;
        let new_way = serialization(self.head, new)?;
        if old_way != new_way {
            let detail = format!(
                "written as style {} explode {} instead of style {} explode {}",
                new_way.0, new_way.1, old_way.0, old_way.1
            );
            let rule = self.structural(&rules::PARAMETER_SERIALIZATION_CHANGED);
            let mut change = Change::new(rule, location, detail);
            change.side = Some(Side::Request);
            self.push(change);
        }
        Ok(())
    }
}

/// The parameter's `(style, explode)`, defaults applied (OpenAPI 3.0 section 4.7.12.2): `form`
/// for query and cookie, `simple` for path and header; `explode` true for `form` only. For a
/// primitive value (neither array nor object) `explode` is left out, since it changes nothing.
fn serialization(document: &Value, parameter: &Value) -> Result<(String, bool)> {
    let place = parameter
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or("query");
    let style = match parameter.get("style").and_then(Value::as_str) {
        Some(style) => style,
        None if matches!(place, "query" | "cookie") => "form",
        None => "simple",
    };
    let explode = parameter
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    let primitive = match parameter.get("schema") {
        Some(schema) => {
            let schema = resolve::follow(document, schema)?.value;
            matches!(
                schema.get("type").and_then(Value::as_str),
                Some("string" | "integer" | "number" | "boolean")
            )
        }
        None => false,
    };
    Ok((style.to_string(), explode && !primitive))
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
            let (place, mut name) = (text("in")?, text("name")?);
            if place == "header" {
                name = name.to_ascii_lowercase();
                if IGNORED_HEADERS.contains(&name.as_str()) {
                    continue;
                }
            }
            parameters.insert((place, name), parameter);
        }
    }
    Ok(parameters)
}

/// `required` of a parameter, absent meaning `false` (path parameters always have it).
fn is_required(value: &Value) -> bool {
    flag(Some(value), "required")
}
