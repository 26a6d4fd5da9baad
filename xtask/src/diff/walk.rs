//! The state of one comparison, shared by the walkers of the document, the operations and the
//! schemas (each adds its own `impl Walk` block).

use std::collections::BTreeSet;

use anyhow::Result;
use serde_json::{Map, Value};

use super::model::{Change, Side, Verdict};
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
    /// The operation being compared, which the changes found are grouped under.
    pub operation: Option<String>,
    /// Whether the client sends the requests being compared (`false` in callbacks and
    /// webhooks, where the service sends them and the client's receiver answers).
    pub outgoing: bool,
    /// Whether progenitor generates code from what is being compared (`false` in callbacks,
    /// webhooks and response headers, where every code verdict is therefore ok).
    pub generated: bool,
}

impl<'a> Walk<'a> {
    /// A comparison of `base` (older) with `head` (newer) that has found nothing yet.
    pub fn new(base: &'a Value, head: &'a Value) -> Self {
        Self {
            base,
            head,
            open: Vec::new(),
            changes: Vec::new(),
            operation: None,
            outgoing: true,
            generated: true,
        }
    }

    /// The side of a request's data: sent by the client, unless in a callback.
    pub fn request_side(&self) -> Side {
        if self.outgoing {
            Side::Request
        } else {
            Side::Response
        }
    }

    /// The side of a response's data.
    pub fn response_side(&self) -> Side {
        self.request_side().inverted()
    }

    /// Records a change under the current operation.
    pub fn push(&mut self, mut change: Change) {
        change.operation.clone_from(&self.operation);
        if !self.generated {
            change.code = Verdict::Ok;
        }
        change.settle();
        self.changes.push(change);
    }

    /// Records a change found in a schema, with its side and the component it was found in.
    pub fn push_at(&mut self, place: &Place, mut change: Change) {
        change.side = change.side.or(Some(place.side));
        if place.negated {
            change.detail.push_str(" (inside `not`)");
        }
        if let Some(component) = &place.via {
            change.detail = format!("{} (in {component})", change.detail);
        }
        self.push(change);
    }

    /// Runs `compare` with the operation, direction and code generation given, then puts them
    /// back.
    pub fn within(
        &mut self,
        operation: Option<String>,
        outgoing: bool,
        generated: bool,
        compare: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<()> {
        let saved = (
            std::mem::replace(&mut self.operation, operation),
            std::mem::replace(&mut self.outgoing, outgoing),
            std::mem::replace(&mut self.generated, generated),
        );
        let outcome = compare(self);
        (self.operation, self.outgoing, self.generated) = saved;
        outcome
    }

    /// Whether two values of a documentation keyword differ once their `$ref`s are inlined.
    pub fn docs_differ(&self, old: Option<&Value>, new: Option<&Value>) -> Result<bool> {
        let old = old.map(|old| resolve::inline(self.base, old)).transpose()?;
        let new = new.map(|new| resolve::inline(self.head, new)).transpose()?;
        Ok(old != new)
    }

    /// Whether two schemas say the same once their `$ref`s are inlined and their documentation
    /// is left out: how variants, renamed components and mappings are paired.
    pub fn same_content(&self, old: &Value, new: &Value) -> Result<bool> {
        let old = without_docs(resolve::inline(self.base, old)?);
        let new = without_docs(resolve::inline(self.head, new)?);
        Ok(old == new)
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
    /// Whether the value is an optional field or parameter in both documents, which typify and
    /// progenitor make an `Option` whether or not it is nullable.
    pub optional: bool,
    /// Whether the schema is a parameter's, whose default the client does not send.
    pub parameter: bool,
}

impl Place {
    /// The top of a schema at `location`.
    pub fn new(side: Side, location: impl Into<String>) -> Self {
        Self {
            side,
            location: location.into(),
            via: None,
            negated: false,
            optional: false,
            parameter: false,
        }
    }

    /// A place below this one (`.name`, `[]`, ...), in the same component.
    pub fn below(&self, suffix: &str) -> Self {
        Self {
            side: self.side,
            location: format!("{}{suffix}", self.location),
            via: self.via.clone(),
            negated: self.negated,
            optional: false,
            parameter: false,
        }
    }
}

/// The keywords that only document: changing them is listed as `docs-changed`, never breaking.
pub const DOCS_KEYWORDS: [&str; 8] = [
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "$comment",
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

/// A schema (or any OpenAPI object) with every documentation keyword removed, at every depth;
/// names (of properties, mappings, ...) and data (`enum`, `const`, `default`) are kept as they
/// are, so that a property called `description` is not mistaken for documentation.
pub fn without_docs(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(key, _)| !DOCS_KEYWORDS.contains(&key.as_str()) && !is_extension(key))
                .map(|(key, value)| {
                    let value = match key.as_str() {
                        "enum" | "const" | "default" => value,
                        "properties" | "patternProperties" | "dependentSchemas" | "$defs"
                        | "mapping" | "schemas" => names_kept(value),
                        _ => without_docs(value),
                    };
                    (key, value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_docs).collect()),
        scalar => scalar,
    }
}

/// A map of names to schemas: the names stay, the schemas lose their documentation.
fn names_kept(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (key, without_docs(value)))
                .collect(),
        ),
        other => without_docs(other),
    }
}
