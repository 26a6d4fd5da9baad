//! `cargo xtask diff`: every change between two versions of the spec, each judged twice for a
//! client generated from the older one: on the wire (does it still work against the new
//! service?) and in the code (does code written against it still compile once
//! `cargo xtask generate` has run?).
//!
//! The documents are compared as parsed YAML values, so re-formatting or re-ordering the file
//! changes nothing. Paths are paired by template and their parameters by position, other
//! parameters by place and name, responses by status, properties by name, `oneOf`/`anyOf`
//! variants by content; `allOf` is merged before it is compared. `$ref`s are followed, so a
//! change inside a component is reported at every request or response it affects, and judged
//! for that side (see [`Side`]). Components that no operation uses are not compared.
//!
//! The `rules` module is the catalogue: each rule has a stable id, a side, both verdicts and a
//! sentence. The walkers (`document`, `paths`, `operation`, `parameters`, `security`,
//! `schemas`, `properties`, `variants`, `nested`) find the differences and pick the rule;
//! `constraints` decides narrowing and widening, `merge` folds `allOf`, `typify` describes the
//! Rust type generated for a schema.

mod constraints;
mod document;
mod merge;
mod model;
mod nested;
mod operation;
mod parameters;
mod paths;
mod properties;
mod report;
mod resolve;
mod rules;
mod schemas;
mod security;
mod source;
mod typify;
mod variants;
mod verdict;
mod walk;

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;

pub use model::{Change, FailOn, Side, Verdict};
pub use report::{json, summary, text};
pub use rules::{ALL as RULES, Rule, by_id as rule, listing as rule_listing};
pub use source::{Base, SPEC};

/// Every change from `base` to `head` (both parsed OpenAPI documents), in document order: the
/// top-level keys first, then the operations by path and method, then the webhooks.
pub fn compare(base: &Value, head: &Value) -> Result<Vec<Change>> {
    ensure_openapi_3(base).context("the base document is not an OpenAPI 3 document")?;
    ensure_openapi_3(head).context("the head document is not an OpenAPI 3 document")?;
    let mut walk = walk::Walk::new(base, head);
    walk.document()?;
    Ok(walk.changes)
}

/// Parses two YAML (or JSON) texts and compares them with [`compare`].
pub fn compare_texts(base: &str, head: &str) -> Result<Vec<Change>> {
    let base = parse(base).context("the base document is not YAML")?;
    let head = parse(head).context("the head document is not YAML")?;
    compare(&base, &head)
}

/// Compares the file `head` with `base`, whose git revisions are read in the repository at
/// `root`.
pub fn compare_files(root: &Path, base: &Base, head: &Path) -> Result<Vec<Change>> {
    let base_text = base.read(root)?;
    let head_text =
        std::fs::read_to_string(head).with_context(|| format!("cannot read {}", head.display()))?;
    let base = parse(&base_text).with_context(|| format!("{base} is not YAML"))?;
    let head = parse(&head_text).with_context(|| format!("{} is not YAML", head.display()))?;
    compare(&base, &head)
}

/// Comparing anything else would silently find nothing, since no key would be recognised.
fn ensure_openapi_3(document: &Value) -> Result<()> {
    let version = document.get("openapi").and_then(Value::as_str);
    match version {
        Some(version) if version.starts_with("3.") => Ok(()),
        Some(version) => bail!("its `openapi` is {version:?}"),
        None => bail!("it has no `openapi` version"),
    }
}

fn parse(text: &str) -> Result<Value> {
    Ok(serde_yaml::from_str(text)?)
}
