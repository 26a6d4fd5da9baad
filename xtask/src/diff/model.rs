//! What a comparison produces: one [`Change`] per difference, classified for this client.

use std::fmt;

/// Which way data flows through the schema being compared.
///
/// The same schema change is breaking on one side and harmless on the other: a request that
/// accepts more is fine for the client, a response that may carry more is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Data the client sends: parameters and request bodies.
    Request,
    /// Data the client receives: response bodies and headers.
    Response,
}

impl Side {
    /// The side whose rules apply inside a `not`, where accepting more means accepting less.
    pub fn inverted(self) -> Self {
        match self {
            Side::Request => Side::Response,
            Side::Response => Side::Request,
        }
    }
}

/// What kind of change was found. [`Kind::as_str`] is the name used in the JSON output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A path and method no longer in the document.
    OperationRemoved,
    /// A new path and method.
    OperationAdded,
    /// An `operationId` renamed (progenitor names the method after it).
    OperationIdChanged,
    /// A parameter no longer defined.
    ParameterRemoved,
    /// A new optional parameter.
    ParameterAdded,
    /// A new required parameter.
    RequiredParameterAdded,
    /// A parameter now required.
    ParameterBecameRequired,
    /// A parameter no longer required.
    ParameterBecameOptional,
    /// A request body no longer defined.
    RequestBodyRemoved,
    /// A new optional request body.
    RequestBodyAdded,
    /// A new required request body.
    RequiredRequestBodyAdded,
    /// A request body now required.
    RequestBodyBecameRequired,
    /// A request body no longer required.
    RequestBodyBecameOptional,
    /// A content type no longer defined for a body.
    MediaTypeRemoved,
    /// A new content type for a body.
    MediaTypeAdded,
    /// A response status no longer defined.
    ResponseStatusRemoved,
    /// A new response status.
    ResponseStatusAdded,
    /// A response header no longer defined.
    HeaderRemoved,
    /// A new response header.
    HeaderAdded,
    /// A response header now required.
    HeaderBecameRequired,
    /// A response header no longer required.
    HeaderBecameOptional,
    /// An object property no longer defined.
    PropertyRemoved,
    /// A new optional object property.
    PropertyAdded,
    /// A new required object property.
    RequiredPropertyAdded,
    /// An object property now required.
    PropertyBecameRequired,
    /// An object property no longer required.
    PropertyBecameOptional,
    /// A value no longer in an `enum`.
    EnumValueRemoved,
    /// A new value in an `enum`.
    EnumValueAdded,
    /// A different `type`.
    TypeChanged,
    /// A different `format`.
    FormatChanged,
    /// Fewer values accepted: a bound tightened, a pattern added or changed, ...
    ConstraintNarrowed,
    /// More values accepted: a bound loosened, a pattern removed, ...
    ConstraintWidened,
    /// A different `default`.
    DefaultChanged,
    /// `nullable: true` added.
    NullableAdded,
    /// `nullable: true` removed.
    NullableRemoved,
    /// Security requirements or schemes changed.
    SecurityChanged,
    /// Version, servers, tags, links, extensions: nothing the generated client depends on.
    Metadata,
    /// Descriptions, summaries, titles, examples, `deprecated`, external docs.
    Docs,
    /// A difference no rule understands; counted as breaking so that someone looks at it.
    Unclassified,
}

impl Kind {
    /// The snake_case name of the kind, as printed in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OperationRemoved => "operation_removed",
            Kind::OperationAdded => "operation_added",
            Kind::OperationIdChanged => "operation_id_changed",
            Kind::ParameterRemoved => "parameter_removed",
            Kind::ParameterAdded => "parameter_added",
            Kind::RequiredParameterAdded => "required_parameter_added",
            Kind::ParameterBecameRequired => "parameter_became_required",
            Kind::ParameterBecameOptional => "parameter_became_optional",
            Kind::RequestBodyRemoved => "request_body_removed",
            Kind::RequestBodyAdded => "request_body_added",
            Kind::RequiredRequestBodyAdded => "required_request_body_added",
            Kind::RequestBodyBecameRequired => "request_body_became_required",
            Kind::RequestBodyBecameOptional => "request_body_became_optional",
            Kind::MediaTypeRemoved => "media_type_removed",
            Kind::MediaTypeAdded => "media_type_added",
            Kind::ResponseStatusRemoved => "response_status_removed",
            Kind::ResponseStatusAdded => "response_status_added",
            Kind::HeaderRemoved => "header_removed",
            Kind::HeaderAdded => "header_added",
            Kind::HeaderBecameRequired => "header_became_required",
            Kind::HeaderBecameOptional => "header_became_optional",
            Kind::PropertyRemoved => "property_removed",
            Kind::PropertyAdded => "property_added",
            Kind::RequiredPropertyAdded => "required_property_added",
            Kind::PropertyBecameRequired => "property_became_required",
            Kind::PropertyBecameOptional => "property_became_optional",
            Kind::EnumValueRemoved => "enum_value_removed",
            Kind::EnumValueAdded => "enum_value_added",
            Kind::TypeChanged => "type_changed",
            Kind::FormatChanged => "format_changed",
            Kind::ConstraintNarrowed => "constraint_narrowed",
            Kind::ConstraintWidened => "constraint_widened",
            Kind::DefaultChanged => "default_changed",
            Kind::NullableAdded => "nullable_added",
            Kind::NullableRemoved => "nullable_removed",
            Kind::SecurityChanged => "security_changed",
            Kind::Metadata => "metadata",
            Kind::Docs => "docs",
            Kind::Unclassified => "unclassified",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// One difference between the base and the head document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Where the change is, from the client's point of view: the operation and the part of it
    /// (`POST /v1/video/generations request body.duration`), or a top-level key (`info.version`).
    pub location: String,
    /// What kind of change it is.
    pub kind: Kind,
    /// Whether a client generated from the base document can break against the head document.
    pub breaking: bool,
    /// What changed, in words (old and new values where they are short).
    pub detail: String,
}

impl Change {
    /// A change that can break the client.
    pub fn breaking(location: &str, kind: Kind, detail: impl Into<String>) -> Self {
        Self::new(location, kind, true, detail)
    }

    /// A change the client tolerates.
    pub fn compatible(location: &str, kind: Kind, detail: impl Into<String>) -> Self {
        Self::new(location, kind, false, detail)
    }

    /// A change whose `breaking` flag the caller has already decided.
    pub fn new(location: &str, kind: Kind, breaking: bool, detail: impl Into<String>) -> Self {
        Self {
            location: location.to_string(),
            kind,
            breaking,
            detail: detail.into(),
        }
    }
}
