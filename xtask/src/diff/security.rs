//! Comparing an operation's security requirements as the sets of alternatives a client can
//! satisfy.
//!
//! A requirement list is an OR of alternatives; each alternative is an AND of schemes, each
//! with the scopes (or roles) it must hold. A client that satisfies an old alternative still
//! gets in when some new alternative asks for no more: no scheme it lacks, no scope it does
//! not hold. Schemes are compared by what they are (their definition without its
//! description), so renaming a scheme changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use serde_json::Value;

use super::model::Change;
use super::rules;
use super::walk::{Walk, without_docs};

/// One alternative: each scheme (by its definition) with the scopes it needs.
type Alternative = BTreeMap<String, BTreeSet<String>>;

impl Walk<'_> {
    /// The security of one operation: its own `security`, or the document's.
    pub fn security(
        &mut self,
        location: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Result<()> {
        let old = alternatives(self.base, old.or_else(|| self.base.get("security")));
        let new = alternatives(self.head, new.or_else(|| self.head.get("security")));
        if old == new {
            return Ok(());
        }
        let lost: Vec<&Alternative> = old
            .iter()
            .filter(|old| !new.iter().any(|new| asks_no_more(new, old)))
            .collect();
        let (rule, detail) = if lost.is_empty() {
            (
                &rules::SECURITY_RELAXED,
                "security requirements relaxed: every old alternative is still accepted"
                    .to_string(),
            )
        } else {
            let names = scheme_names(self.base);
            let names: Vec<String> = lost
                .iter()
                .map(|alternative| describe(alternative, &names))
                .collect();
            (
                &rules::SECURITY_TIGHTENED,
                format!(
                    "security requirements tightened: no longer enough: {}",
                    names.join(" or ")
                ),
            )
        };
        self.push(Change::new(rule, &format!("{location} security"), detail));
        Ok(())
    }
}

/// Whether a client holding `old` satisfies `new`.
fn asks_no_more(new: &Alternative, old: &Alternative) -> bool {
    new.iter()
        .all(|(scheme, scopes)| old.get(scheme).is_some_and(|held| scopes.is_subset(held)))
}

/// The alternatives of a requirement list; absent means one alternative that asks nothing.
fn alternatives(document: &Value, requirements: Option<&Value>) -> Vec<Alternative> {
    let Some(requirements) = requirements.and_then(Value::as_array) else {
        return vec![Alternative::new()];
    };
    if requirements.is_empty() {
        return vec![Alternative::new()];
    }
    let schemes = document.pointer("/components/securitySchemes");
    requirements
        .iter()
        .filter_map(Value::as_object)
        .map(|requirement| {
            requirement
                .iter()
                .map(|(name, scopes)| {
                    let scopes = scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect();
                    (identity(schemes, name), scopes)
                })
                .collect()
        })
        .collect()
}

/// What a scheme is, so that a renamed scheme is the same one: its definition without its
/// description, or its name when the document does not define it.
fn identity(schemes: Option<&Value>, name: &str) -> String {
    match schemes.and_then(|schemes| schemes.get(name)) {
        Some(definition) => without_docs(definition.clone()).to_string(),
        None => format!("undefined scheme {name}"),
    }
}

/// The name each scheme of a document has there, by identity.
fn scheme_names(document: &Value) -> BTreeMap<String, String> {
    let schemes = document.pointer("/components/securitySchemes");
    schemes
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, _)| (identity(schemes, name), name.clone()))
        .collect()
}

fn describe(alternative: &Alternative, names: &BTreeMap<String, String>) -> String {
    if alternative.is_empty() {
        return "no credentials".to_string();
    }
    let parts: Vec<String> = alternative
        .iter()
        .map(|(scheme, scopes)| {
            let scheme = names.get(scheme).unwrap_or(scheme);
            if scopes.is_empty() {
                scheme.clone()
            } else {
                let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                format!("{scheme} with {}", scopes.join(", "))
            }
        })
        .collect();
    parts.join(" and ")
}
