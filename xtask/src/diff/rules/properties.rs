//! Rules about object properties: present, required, `readOnly` in requests and `writeOnly` in
//! responses (OpenAPI 3.0: such a property is not part of that side, and its `required` applies
//! to the other side only). typify ignores `readOnly`/`writeOnly`: the Rust field stays, and is
//! an `Option` exactly when the property is not required.

use super::rule;

rule!(
    REQUEST_PROPERTY_REMOVED,
    "request-property-removed",
    REQUEST,
    Breaks,
    Breaks,
    "The old client may send a property the service no longer reads, and code that sets the field no longer compiles."
);
rule!(
    REQUEST_PROPERTY_ADDED,
    "request-property-added",
    REQUEST,
    Ok,
    Ok,
    "A new optional request property; the old client leaves it out."
);
rule!(
    REQUIRED_REQUEST_PROPERTY_ADDED,
    "required-request-property-added",
    REQUEST,
    Breaks,
    Ok,
    "The old client does not send the new required property (a `required` name with no schema counts: any value must be there); the builder still compiles."
);
rule!(
    REQUEST_PROPERTY_BECAME_REQUIRED,
    "request-property-became-required",
    REQUEST,
    Breaks,
    Breaks,
    "The old client may leave out a property that is now required, and the field is no longer an Option."
);
rule!(
    REQUEST_PROPERTY_BECAME_OPTIONAL,
    "request-property-became-optional",
    REQUEST,
    Ok,
    Breaks,
    "The service accepts requests without the property, but the field becomes an Option."
);
rule!(
    REQUEST_PROPERTY_BECAME_READ_ONLY,
    "request-property-became-read-only",
    REQUEST,
    Breaks,
    Ok,
    "A property the old client may send is now readOnly, so requests should not carry it; typify ignores readOnly and keeps the field."
);
rule!(
    REQUEST_PROPERTY_NO_LONGER_READ_ONLY,
    "request-property-no-longer-read-only",
    REQUEST,
    Ok,
    Ok,
    "An optional property requests may now carry; the old client leaves it out."
);
rule!(
    REQUIRED_REQUEST_PROPERTY_NO_LONGER_READ_ONLY,
    "required-request-property-no-longer-read-only",
    REQUEST,
    Breaks,
    Ok,
    "A required readOnly property was required in responses only; now requests must carry it too, and the old spec did not ask for it."
);
rule!(
    WRITE_ONLY_CHANGED_IN_REQUEST,
    "write-only-changed-in-request",
    REQUEST,
    Ok,
    Ok,
    "writeOnly added to or removed from a request property changes nothing about requests."
);
rule!(
    REQUIRED_RESPONSE_PROPERTY_REMOVED,
    "required-response-property-removed",
    RESPONSE,
    Breaks,
    Breaks,
    "The old client's field is not an Option, so an answer without it no longer decodes; the field is gone from the code."
);
rule!(
    OPTIONAL_RESPONSE_PROPERTY_REMOVED,
    "optional-response-property-removed",
    RESPONSE,
    Ok,
    Breaks,
    "The old client's field is an Option and reads None; code that reads the field no longer compiles."
);
rule!(
    RESPONSE_PROPERTY_ADDED,
    "response-property-added",
    RESPONSE,
    Ok,
    Ok,
    "The old client ignores a property it does not know (required or not)."
);
rule!(
    RESPONSE_PROPERTY_BECAME_OPTIONAL,
    "response-property-became-optional",
    RESPONSE,
    Breaks,
    Breaks,
    "The old client's field is not an Option, so an answer without it no longer decodes; the field becomes an Option."
);
rule!(
    RESPONSE_PROPERTY_BECAME_REQUIRED,
    "response-property-became-required",
    RESPONSE,
    Ok,
    Breaks,
    "The service now always sends it, which the old client can read, but the field is no longer an Option."
);
rule!(
    REQUIRED_RESPONSE_PROPERTY_BECAME_WRITE_ONLY,
    "required-response-property-became-write-only",
    RESPONSE,
    Breaks,
    Ok,
    "A required response property is now writeOnly and will not come; the old client's field is not an Option."
);
rule!(
    OPTIONAL_RESPONSE_PROPERTY_BECAME_WRITE_ONLY,
    "optional-response-property-became-write-only",
    RESPONSE,
    Ok,
    Ok,
    "An optional response property is now writeOnly and will not come; the old client's Option reads None."
);
rule!(
    RESPONSE_PROPERTY_NO_LONGER_WRITE_ONLY,
    "response-property-no-longer-write-only",
    RESPONSE,
    Ok,
    Ok,
    "Responses may now carry a property that was writeOnly; the old client reads it or ignores it."
);
rule!(
    READ_ONLY_CHANGED_IN_RESPONSE,
    "read-only-changed-in-response",
    RESPONSE,
    Ok,
    Ok,
    "readOnly added to or removed from a response property changes nothing about responses."
);
rule!(
    HIDDEN_PROPERTY_ADDED,
    "hidden-property-added",
    EITHER,
    Ok,
    Ok,
    "A property that does not travel on this side (readOnly in a request, writeOnly in a response) was added; typify adds a field that code need not set."
);
rule!(
    HIDDEN_PROPERTY_REMOVED,
    "hidden-property-removed",
    EITHER,
    Ok,
    Breaks,
    "A property that did not travel on this side was removed; nothing changes on the wire, but its field is gone."
);
rule!(
    HIDDEN_PROPERTY_REQUIREDNESS_CHANGED,
    "hidden-property-requiredness-changed",
    EITHER,
    Ok,
    Breaks,
    "A property that does not travel on this side became (or stopped being) required; nothing changes on the wire, but the field's Option changes."
);
