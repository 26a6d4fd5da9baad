//! Comparing the top of the document: everything outside `paths`, which is compared by
//! operation, and outside `components`, which is compared where operations use it.

use anyhow::Result;
use serde_json::Value;

use super::rules;
use super::walk::{DOCS_KEYWORDS, Walk, member, union_of_keys};

impl Walk<'_> {
    /// The whole document: its top-level keys, then every operation.
    pub fn document(&mut self) -> Result<()> {
        let (base, head) = (self.base, self.head);
        for key in union_of_keys(Some(base), Some(head)) {
            let (old, new) = (base.get(key), head.get(key));
            match key {
                "paths" => {} // Last, so that the output reads from the general to the particular.
                "components" => self.security_schemes(old, new),
                "info" => self.info(old, new),
                _ if old == new => {}
                "security" => {
                    let change = rules::security_changed(key, "security requirements changed");
                    self.changes.push(change);
                }
                key if DOCS_KEYWORDS.contains(&key) => {
                    self.changes.push(rules::docs_changed(key, key));
                }
                // `openapi`, `servers` (the caller chooses the base URL), `tags`, extensions.
                key => {
                    let detail =
                        format!("changed from {} to {}", rules::show(old), rules::show(new));
                    self.changes.push(rules::metadata_changed(key, detail));
                }
            }
        }
        self.paths()
    }

    fn info(&mut self, old: Option<&Value>, new: Option<&Value>) {
        for key in union_of_keys(old, new) {
            let (old, new) = (member(old, key), member(new, key));
            if old == new {
                continue;
            }
            let location = format!("info.{key}");
            let change = if DOCS_KEYWORDS.contains(&key) {
                rules::docs_changed(&location, key)
            } else {
                let detail = format!("changed from {} to {}", rules::show(old), rules::show(new));
                rules::metadata_changed(&location, detail)
            };
            self.changes.push(change);
        }
    }

    /// `components.securitySchemes`; the other components are compared where they are used.
    fn security_schemes(&mut self, old: Option<&Value>, new: Option<&Value>) {
        let (old, new) = (
            member(old, "securitySchemes"),
            member(new, "securitySchemes"),
        );
        for name in union_of_keys(old, new) {
            let location = format!("components.securitySchemes.{name}");
            let (old, new) = (member(old, name), member(new, name));
            let change = match (old, new) {
                (Some(_), None) => rules::security_changed(&location, "security scheme removed"),
                (None, Some(_)) => rules::security_scheme_added(&location),
                (Some(old), Some(new)) if without_docs(old) == without_docs(new) => {
                    if old == new {
                        continue;
                    }
                    rules::docs_changed(&location, "description")
                }
                _ => rules::security_changed(&location, "security scheme changed"),
            };
            self.changes.push(change);
        }
    }
}

/// A security scheme without its description, to tell a reworded scheme from a different one.
fn without_docs(scheme: &Value) -> Value {
    let mut scheme = scheme.clone();
    if let Some(map) = scheme.as_object_mut() {
        map.remove("description");
    }
    scheme
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::diff::{Kind, compare};

    #[test]
    fn metadata_docs_and_security_at_the_top_of_the_document() {
        let base = json!({
            "openapi": "3.0.3",
            "info": {"title": "A", "version": "1"},
            "servers": [{"url": "https://a.example"}],
            "components": {"securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "old"}
            }}
        });
        let head = json!({
            "openapi": "3.0.3",
            "info": {"title": "B", "version": "2"},
            "servers": [{"url": "https://b.example"}],
            "security": [{"bearer": []}],
            "components": {"securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "new"},
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
            }}
        });
        let classified: Vec<_> = compare(&base, &head)
            .unwrap()
            .into_iter()
            .map(|change| (change.location, change.kind, change.breaking))
            .collect();
        let expected = [
            ("components.securitySchemes.bearer", Kind::Docs, false),
            (
                "components.securitySchemes.key",
                Kind::SecurityChanged,
                false,
            ),
            ("info.title", Kind::Docs, false),
            ("info.version", Kind::Metadata, false),
            ("security", Kind::SecurityChanged, true),
            ("servers", Kind::Metadata, false),
        ]
        .map(|(location, kind, breaking)| (location.to_string(), kind, breaking));
        assert_eq!(classified, expected);
    }

    #[test]
    fn a_document_that_is_not_openapi_3_is_refused() {
        let swagger = json!({"swagger": "2.0"});
        let openapi = json!({"openapi": "3.0.3"});
        let error = compare(&swagger, &openapi).unwrap_err();
        assert!(format!("{error:#}").contains("base document"), "{error:#}");
    }
}
