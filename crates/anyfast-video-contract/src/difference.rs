//! A difference between what the spec says and what came, and what it breaks.

use std::fmt;

use serde_json::{Value, json};

use crate::operation::Operation;

/// What kind of difference it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A status the spec does not declare for the operation.
    Status,
    /// A media type the spec does not declare for the status.
    ContentType,
    /// A header the spec declares, missing or not of its schema.
    Header,
    /// A body that is not JSON where the spec says JSON.
    NotJson,
    /// A value the response's JSON Schema refuses; the keyword that refused it (`type`,
    /// `required`, `enum`, `minimum`...).
    Schema(String),
    /// A field the spec does not document (its schema allows it: `additionalProperties`).
    UndocumentedField,
    /// The generated client could not decode an answer that no schema keyword refused (an
    /// integer out of its Rust type's range, say).
    Decode,
    /// The tolerant reader could not read the answer.
    Unreadable,
    /// Not what the probe must get: a status the spec documents, but not for this case (the
    /// query of a task that does not exist answered 200, a refused create 5xx).
    Outcome,
}

impl Kind {
    /// Its name in reports (`type`, `undocumented field`, `status`...).
    pub fn name(&self) -> &str {
        match self {
            Kind::Status => "status",
            Kind::ContentType => "content type",
            Kind::Header => "header",
            Kind::NotJson => "not JSON",
            Kind::Schema(keyword) => keyword,
            Kind::UndocumentedField => "undocumented field",
            Kind::Decode => "decode",
            Kind::Unreadable => "unreadable",
            Kind::Outcome => "outcome",
        }
    }

    /// Whether a difference of this kind, when the generated client fails on the answer,
    /// is one it fails on: progenitor's types are strict about types, required fields, enums,
    /// patterns and lengths (typify checks them), and route by status; they ignore headers,
    /// the content type, numeric bounds and fields `additionalProperties` allows.
    pub fn can_break_the_generated_client(&self) -> bool {
        match self {
            Kind::Status | Kind::NotJson | Kind::Decode => true,
            Kind::Schema(keyword) => matches!(
                keyword.as_str(),
                "type"
                    | "required"
                    | "enum"
                    | "const"
                    | "additionalProperties"
                    | "oneOf"
                    | "anyOf"
                    | "allOf"
                    | "not"
                    | "pattern"
                    | "minLength"
                    | "maxLength"
                    | "format"
                    | "falseSchema"
            ),
            _ => false,
        }
    }
}

/// What a difference breaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Breaks {
    /// The generated client (`anyfast-video-api`) cannot give the answer as the spec's type.
    pub generated_client: bool,
    /// The tolerant reader (`anyfast_video::tolerant`, the client people use) cannot read it.
    pub reader: bool,
}

impl Breaks {
    /// `both`, `the generated client`, `the tolerant reader` or `neither`.
    pub fn words(self) -> &'static str {
        match (self.generated_client, self.reader) {
            (true, true) => "both",
            (true, false) => "the generated client",
            (false, true) => "the tolerant reader",
            (false, false) => "neither",
        }
    }
}

/// One difference between the spec and an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The operation whose answer differs.
    pub operation: Operation,
    /// The probe that got it.
    pub probe: String,
    /// Where: a JSON path in the body (`$.data[0].created`), `status`, `content-type`, or
    /// `header Retry-After`.
    pub path: String,
    /// What kind of difference.
    pub kind: Kind,
    /// What the spec says.
    pub spec: String,
    /// What came (redacted: no key, no signed URL's query).
    pub came: String,
    /// What it breaks.
    pub breaks: Breaks,
}

impl Difference {
    /// The difference as one JSON object.
    pub fn to_json(&self) -> Value {
        json!({
            "operation": self.operation.id(),
            "probe": self.probe,
            "path": self.path,
            "kind": self.kind.name(),
            "spec": self.spec,
            "came": self.came,
            "breaks": self.breaks.words(),
            "breaks_generated_client": self.breaks.generated_client,
            "breaks_reader": self.breaks.reader,
        })
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} [{}]: the spec says {}; came {}; breaks {}",
            self.operation,
            self.path,
            self.kind.name(),
            self.spec,
            self.came,
            self.breaks.words()
        )
    }
}
