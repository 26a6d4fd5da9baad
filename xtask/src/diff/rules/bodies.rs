//! Rules about request bodies, content types, response statuses and response headers.

use super::rule;

rule!(
    REQUEST_BODY_REMOVED,
    "request-body-removed",
    REQUEST,
    Breaks,
    Breaks,
    "The old client sends a body the operation no longer takes, and the builder's body method is gone."
);
rule!(
    OPTIONAL_REQUEST_BODY_ADDED,
    "optional-request-body-added",
    REQUEST,
    Ok,
    Ok,
    "A new optional body; the old client sends none."
);
rule!(
    REQUIRED_REQUEST_BODY_ADDED,
    "required-request-body-added",
    REQUEST,
    Breaks,
    Ok,
    "The old client sends no body where one is now required; its code still compiles."
);
rule!(
    REQUEST_BODY_BECAME_REQUIRED,
    "request-body-became-required",
    REQUEST,
    Breaks,
    Ok,
    "The old client may send no body where one is now required."
);
rule!(
    REQUEST_BODY_BECAME_OPTIONAL,
    "request-body-became-optional",
    REQUEST,
    Ok,
    Ok,
    "The service also accepts requests without a body."
);
rule!(
    REQUEST_MEDIA_TYPE_REMOVED,
    "request-media-type-removed",
    REQUEST,
    Breaks,
    Breaks,
    "The old client sends a content type the operation no longer takes; progenitor builds the body method from the content type."
);
rule!(
    REQUEST_MEDIA_TYPE_ADDED,
    "request-media-type-added",
    REQUEST,
    Ok,
    Ok,
    "The operation takes another content type; the old client keeps sending the one it knows."
);
rule!(
    RESPONSE_MEDIA_TYPE_REMOVED,
    "response-media-type-removed",
    RESPONSE,
    Breaks,
    Breaks,
    "The old client asks for and decodes a content type the service no longer sends."
);
rule!(
    RESPONSE_MEDIA_TYPE_ADDED,
    "response-media-type-added",
    RESPONSE,
    Ok,
    Ok,
    "The service can answer in another content type; the old client asks for the one it knows (Accept)."
);
rule!(
    SUCCESS_RESPONSE_REMOVED,
    "success-response-removed",
    RESPONSE,
    Review,
    Ok,
    "The service no longer answers with this success status while others remain; the old client still decodes those, but may depend on what this one meant (a 202 'accepted, ask later'), so a person decides."
);
rule!(
    LAST_SUCCESS_RESPONSE_REMOVED,
    "last-success-response-removed",
    RESPONSE,
    Breaks,
    Breaks,
    "No success status is documented any more: the old client expects one the service no longer promises, and progenitor's return type changes."
);
rule!(
    SUCCESS_RESPONSE_ADDED,
    "success-response-added",
    RESPONSE,
    Breaks,
    Ok,
    "The service may now succeed with a status the old client does not know, which progenitor's generated method reports as an unexpected response."
);
rule!(
    ERROR_RESPONSE_REMOVED,
    "error-response-removed",
    RESPONSE,
    Ok,
    Ok,
    "An error status the service no longer uses; any error still reaches the old client as an error."
);
rule!(
    ERROR_RESPONSE_ADDED,
    "error-response-added",
    RESPONSE,
    Ok,
    Ok,
    "A newly documented error status; the old client reports it as an error, as it would any undocumented one."
);
rule!(
    REQUIRED_RESPONSE_HEADER_REMOVED,
    "required-response-header-removed",
    RESPONSE,
    Breaks,
    Ok,
    "The old client may rely on a header that was promised and no longer comes (progenitor generates no code for response headers)."
);
rule!(
    OPTIONAL_RESPONSE_HEADER_REMOVED,
    "optional-response-header-removed",
    RESPONSE,
    Ok,
    Ok,
    "An optional header was never promised."
);
rule!(
    RESPONSE_HEADER_ADDED,
    "response-header-added",
    RESPONSE,
    Ok,
    Ok,
    "A new response header; the old client ignores it."
);
rule!(
    RESPONSE_HEADER_BECAME_REQUIRED,
    "response-header-became-required",
    RESPONSE,
    Ok,
    Ok,
    "The service now always sends a header it sent sometimes; the old client, which could not rely on it, loses nothing."
);
rule!(
    RESPONSE_HEADER_BECAME_OPTIONAL,
    "response-header-became-optional",
    RESPONSE,
    Breaks,
    Ok,
    "The old client may rely on a header that may now be missing."
);
