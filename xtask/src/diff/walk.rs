//! The state of one comparison, shared by the walkers of the document, the operations and the
//! schemas (each adds its own `impl Walk` block).

use std::collections::BTreeSet;

use anyhow::Result;
use serde_json::{Map, Value};

use super::model::{Change, Side};
use super::resolve;

/// A comparison of two documents in progress.
pub struct Walk<'a> {
    /// The older document, in which its own `$ref`s are resolved.
    pub base: &'a Value,
    /// The newer document.
    pub head: &'a Value,
    /// The pairs of `$ref`s being compared further up, so that a recursive schema ends.
    pub open: Vec<(String, String)>,
    /// What was found so far, in walking order.
    pub changes: Vec<Change>,
}

impl<'a> Walk<'a> {
    /// A comparison of `base` (older) with `head` (newer) that has found nothing yet.
    pub fn new(base: &'a Value, head: &'a Value) -> Self {
        Self {
            base,
            head,
            open: Vec::new(),
            changes: Vec::new(),
        }
    }

    /// Records a change found in a schema, naming the component it was found in.
    pub fn push_at(&mut self, place: &Place, mut change: Change) {
        if place.negated {
            change.detail.push_str(" (inside `not`)");
        }
        if let Some(component) = &place.via {
            change.detail = format!("{} (in {component})", change.detail);
        }
        self.changes.push(change);
    }

    /// Whether two values of a documentation keyword differ once their `$ref`s are inlined.
    pub fn docs_differ(&self, old: Option<&Value>, new: Option<&Value>) -> Result<bool> {
        let old = old.map(|old| resolve::inline(self.base, old)).transpose()?;
        let new = new.map(|new| resolve::inline(self.head, new)).transpose()?;
        Ok(old != new)
    }
}

/// Where a schema sits: which side of the exchange, where for the reader, and in which named
/// component (if it came through a `$ref`).
#[derive(Clone, Debug)]
pub struct Place {
    /// Whether the client sends or receives the data.
    pub side: Side,
    /// The location printed for changes found here.
    pub location: String,
    /// The component the schema was reached through, for the reader's benefit.
    pub via: Option<String>,
    /// Whether the schema is inside a `not` (or an odd number of them), where `side` has been
    /// inverted; said in details so that the reader inverts them too.
    pub negated: bool,
}

impl Place {
    /// The top of a schema at `location`.
    pub fn new(side: Side, location: impl Into<String>) -> Self {
        Self {
            side,
            location: location.into(),
            via: None,
            negated: false,
        }
    }

    /// A place below this one (`.name`, `[]`, ...), in the same component.
    pub fn below(&self, suffix: &str) -> Self {
        Self {
            side: self.side,
            location: format!("{}{suffix}", self.location),
            via: self.via.clone(),
            negated: self.negated,
        }
    }
}

/// The keywords that only document: changing them is listed as `docs`, never breaking.
pub const DOCS_KEYWORDS: [&str; 7] = [
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
];

/// Whether `key` is a specification extension (`x-...`).
pub fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

/// The keys of two optional mappings, sorted, so that output order never depends on the
/// order of the file.
pub fn union_of_keys<'v>(old: Option<&'v Value>, new: Option<&'v Value>) -> BTreeSet<&'v str> {
    let keys = |value: Option<&'v Value>| {
        value
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(Map::keys)
            .map(String::as_str)
    };
    keys(old).chain(keys(new)).collect()
}

/// The member `key` of an optional mapping.
pub fn member<'v>(value: Option<&'v Value>, key: &str) -> Option<&'v Value> {
    value.and_then(|value| value.get(key))
}

/// A boolean keyword, absent meaning `false`.
pub fn flag(value: Option<&Value>, key: &str) -> bool {
    member(value, key).and_then(Value::as_bool).unwrap_or(false)
}
