//! Comparing the top of the document: everything outside `paths` and `webhooks`, which are
//! compared by operation, and outside `components`, which are compared where operations use
//! them (security schemes included: requirements are compared by the schemes they name).

use anyhow::Result;
use serde_json::Value;

use super::model::Change;
use super::rules;
use super::walk::{DOCS_KEYWORDS, Walk, member, union_of_keys};

impl Walk<'_> {
    /// The whole document: its top-level keys, then every operation, then every webhook.
    pub fn document(&mut self) -> Result<()> {
        let (base, head) = (self.base, self.head);
        for key in union_of_keys(Some(base), Some(head)) {
            let (old, new) = (base.get(key), head.get(key));
            match key {
                // Last, so that the output reads from the general to the particular.
                "paths" | "webhooks" => {}
                // Compared where they are used: in each operation.
                "components" | "security" => {}
                "info" => self.info(old, new),
                _ if old == new => {}
                key if DOCS_KEYWORDS.contains(&key) => {
                    self.push(Change::new(
                        &rules::DOCS_CHANGED,
                        key,
                        format!("{key} changed"),
                    ));
                }
                // `openapi`, `servers` (the caller chooses the base URL), `tags`,
                // `jsonSchemaDialect`, extensions.
                key => {
                    let detail = format!("changed from {} to {}", show(old), show(new));
                    self.push(Change::new(&rules::METADATA_CHANGED, key, detail));
                }
            }
        }
        self.paths()?;
        self.webhooks()
    }

    fn info(&mut self, old: Option<&Value>, new: Option<&Value>) {
        for key in union_of_keys(old, new) {
            let (old, new) = (member(old, key), member(new, key));
            if old == new {
                continue;
            }
            let location = format!("info.{key}");
            let change = if DOCS_KEYWORDS.contains(&key) {
                Change::new(&rules::DOCS_CHANGED, &location, format!("{key} changed"))
            } else {
                let detail = format!("changed from {} to {}", show(old), show(new));
                Change::new(&rules::METADATA_CHANGED, &location, detail)
            };
            self.push(change);
        }
    }
}

/// A short rendering of a value for a detail: compact JSON, `absent` when missing, cut short when
/// long.
pub fn show(value: Option<&Value>) -> String {
    const LIMIT: usize = 60;
    let Some(value) = value else {
        return "absent".to_string();
    };
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        return text;
    }
    let cut: String = text.chars().take(LIMIT).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::diff::compare;

    #[test]
    fn metadata_and_docs_at_the_top_of_the_document_and_unused_components_are_no_change() {
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
            .map(|change| (change.location, change.rule.id, change.breaking))
            .collect();
        let expected = [
            ("info.title", "docs-changed", false),
            ("info.version", "metadata-changed", false),
            ("servers", "metadata-changed", false),
        ]
        .map(|(location, rule, breaking)| (location.to_string(), rule, breaking));
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
