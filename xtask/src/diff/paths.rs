//! Pairing the operations of the two documents: paths by template (`/pets/{petId}` is
//! `/pets/{id}`), then methods; webhooks by name; callbacks by name and expression. Each pair
//! is handed to the operation walker.

use std::collections::BTreeMap;

use anyhow::Result;
use serde_json::Value;

use super::model::Change;
use super::resolve;
use super::rules;
use super::walk::{DOCS_KEYWORDS, Walk, is_extension, member, union_of_keys};

/// The operations a path item can hold.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A path with its parameters' names left out, `/pets/{}`: two paths with the same template are
/// the same URLs, whatever their parameters are called (OpenAPI forbids both in one document).
pub fn template(path: &str) -> String {
    let mut template = String::with_capacity(path.len());
    let mut in_name = false;
    for character in path.chars() {
        match character {
            '{' => {
                in_name = true;
                template.push_str("{}");
            }
            '}' => in_name = false,
            _ if in_name => {}
            character => template.push(character),
        }
    }
    template
}

/// The names of a path's parameters, in the order they appear.
pub fn parameter_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// One path item of each document, with the path (or name) it was found under.
pub struct ItemPair<'v> {
    /// The path or name in the base document.
    pub old_path: Option<&'v str>,
    /// The path or name in the head document.
    pub new_path: Option<&'v str>,
    /// The path item in the base document, `$ref` followed.
    pub old: Option<&'v Value>,
    /// The path item in the head document, `$ref` followed.
    pub new: Option<&'v Value>,
}

impl<'a> Walk<'a> {
    /// Every path and operation of the two documents.
    pub fn paths(&mut self) -> Result<()> {
        let (old_paths, new_paths) = (self.base.get("paths"), self.head.get("paths"));
        let mut pairs: BTreeMap<String, (Option<&'a str>, Option<&'a str>)> = BTreeMap::new();
        for path in union_of_keys(old_paths, new_paths) {
            let entry = pairs.entry(template(path)).or_default();
            if member(old_paths, path).is_some() {
                entry.0 = Some(path);
            }
            if member(new_paths, path).is_some() {
                entry.1 = Some(path);
            }
        }
        for (old_path, new_path) in pairs.into_values() {
            let pair = self.item_pair(old_paths, new_paths, old_path, new_path)?;
            let shown = new_path.or(old_path).unwrap_or_default();
            self.path_item(&pair, None, &|method| {
                format!("{} {shown}", method.to_uppercase())
            })?;
        }
        Ok(())
    }

    /// `webhooks` (OpenAPI 3.1): requests the service sends, paired by name.
    pub fn webhooks(&mut self) -> Result<()> {
        let (old_hooks, new_hooks) = (self.base.get("webhooks"), self.head.get("webhooks"));
        for name in union_of_keys(old_hooks, new_hooks) {
            let old_name = member(old_hooks, name).map(|_| name);
            let new_name = member(new_hooks, name).map(|_| name);
            let pair = self.item_pair(old_hooks, new_hooks, old_name, new_name)?;
            self.within(None, false, false, |walk| {
                walk.path_item(&pair, None, &|method| {
                    format!("webhook {name} {}", method.to_uppercase())
                })
            })?;
        }
        Ok(())
    }

    /// An operation's `callbacks`: requests the service sends, compared under the operation.
    pub fn callbacks(
        &mut self,
        location: &str,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
    ) -> Result<()> {
        for name in union_of_keys(old, new) {
            let old_callback = resolve::follow_optional(self.base, member(old, name))?;
            let new_callback = resolve::follow_optional(self.head, member(new, name))?;
            for expression in union_of_keys(old_callback, new_callback) {
                let old_name = member(old_callback, expression).map(|_| expression);
                let new_name = member(new_callback, expression).map(|_| expression);
                let pair = self.item_pair(old_callback, new_callback, old_name, new_name)?;
                let group = self.operation.clone();
                self.within(group.clone(), false, false, |walk| {
                    walk.path_item(&pair, group, &|method| {
                        format!(
                            "{location} callback {name} {expression} {}",
                            method.to_uppercase()
                        )
                    })
                })?;
            }
        }
        Ok(())
    }

    fn item_pair(
        &self,
        old_items: Option<&'a Value>,
        new_items: Option<&'a Value>,
        old_path: Option<&'a str>,
        new_path: Option<&'a str>,
    ) -> Result<ItemPair<'a>> {
        let old = old_path.and_then(|path| member(old_items, path));
        let new = new_path.and_then(|path| member(new_items, path));
        Ok(ItemPair {
            old_path,
            new_path,
            old: resolve::follow_optional(self.base, old)?,
            new: resolve::follow_optional(self.head, new)?,
        })
    }

    /// The operations of a pair of path items, each in its own group unless `group` is given
    /// (callbacks are grouped under the operation that declares them).
    fn path_item(
        &mut self,
        pair: &ItemPair<'a>,
        group: Option<String>,
        label: &dyn Fn(&str) -> String,
    ) -> Result<()> {
        let (removed, added) = if self.outgoing {
            (&rules::OPERATION_REMOVED, &rules::OPERATION_ADDED)
        } else {
            (&rules::CALLBACK_REMOVED, &rules::CALLBACK_ADDED)
        };
        for method in METHODS {
            let location = label(method);
            let operation = group.clone().or_else(|| Some(location.clone()));
            let (outgoing, generated) = (self.outgoing, self.generated);
            self.within(operation, outgoing, generated, |walk| {
                match (member(pair.old, method), member(pair.new, method)) {
                    (Some(_), None) => walk.push(Change::new(removed, &location, "removed")),
                    (None, Some(_)) => walk.push(Change::new(added, &location, "added")),
                    (Some(old), Some(new)) => walk.operation(&location, pair, old, new)?,
                    (None, None) => {}
                }
                Ok(())
            })?;
        }
        if let (Some(old), Some(new)) = (pair.old, pair.new) {
            let shown = pair.new_path.or(pair.old_path).unwrap_or_default();
            self.path_item_keys(shown, old, new);
        }
        Ok(())
    }

    /// The keys of a path item other than its operations and parameters.
    fn path_item_keys(&mut self, path: &str, old: &Value, new: &Value) {
        for key in union_of_keys(Some(old), Some(new)) {
            if METHODS.contains(&key) || key == "parameters" || key == "$ref" {
                continue;
            }
            let (old, new) = (old.get(key), new.get(key));
            if old == new {
                continue;
            }
            let change = match key {
                key if DOCS_KEYWORDS.contains(&key) => {
                    Change::new(&rules::DOCS_CHANGED, path, format!("{key} changed"))
                }
                "servers" => Change::new(&rules::METADATA_CHANGED, path, "servers changed"),
                key if is_extension(key) => {
                    Change::new(&rules::METADATA_CHANGED, path, format!("{key} changed"))
                }
                key => Change::new(
                    &rules::UNCLASSIFIED,
                    path,
                    format!("path item keyword {key} changed: no rule knows it"),
                ),
            };
            self.push(change);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn templates_leave_out_parameter_names() {
        assert_eq!(
            super::template("/pets/{petId}/toys/{toy}"),
            "/pets/{}/toys/{}"
        );
        assert_eq!(super::template("/pets"), "/pets");
        assert_eq!(
            super::parameter_names("/pets/{petId}/toys/{toy}"),
            ["petId", "toy"]
        );
    }
}
