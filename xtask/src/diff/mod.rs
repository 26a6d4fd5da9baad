//! `cargo xtask diff`: every change between two versions of the spec, each classified as
//! breaking or not for a client generated from the older one.
//!
//! The documents are compared as parsed YAML values, so re-formatting or re-ordering the file
//! changes nothing. Operations are paired by path and method, parameters by place and name,
//! responses by status, properties by name, `oneOf`/`anyOf`/`allOf` variants by position.
//! `$ref`s are followed, so a change inside a component is reported at every request or
//! response it affects, and classified for that side (see [`Side`]). Components that no
//! operation uses are not compared, apart from the security schemes.
//!
//! The classification itself is in the `rules` module, one function per rule.

mod document;
mod model;
mod paths;
mod report;
mod resolve;
mod rules;
mod schemas;
mod source;
mod walk;

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;

pub use model::{Change, Kind, Side};
pub use report::{json, summary, text};
pub use source::{Base, SPEC};

/// Every change from `base` to `head` (both parsed OpenAPI documents), in document order: the
/// top-level keys first, then the operations by path and method.
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
