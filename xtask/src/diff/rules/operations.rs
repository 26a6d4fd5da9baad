//! Rules about operations as a whole: their presence, their names, their callbacks.

use super::rule;

rule!(
    OPERATION_REMOVED,
    "operation-removed",
    EITHER,
    Breaks,
    Breaks,
    "An operation the old client calls is gone, and so is its generated method."
);
rule!(
    OPERATION_ADDED,
    "operation-added",
    EITHER,
    Ok,
    Ok,
    "A new operation; the old client does not call it, and a new method breaks no code."
);
rule!(
    OPERATION_ID_CHANGED,
    "operation-id-changed",
    EITHER,
    Ok,
    Breaks,
    "The request is the same, but progenitor names the method after the operationId."
);
rule!(
    PATH_PARAMETER_RENAMED,
    "path-parameter-renamed",
    REQUEST,
    Ok,
    Breaks,
    "Paths are paired by template and path parameters by position, so the URL is the same; the builder method is named after the parameter."
);
rule!(
    CALLBACK_REMOVED,
    "callback-removed",
    EITHER,
    Ok,
    Ok,
    "The service no longer sends this callback or webhook; a receiver that handles it is simply not called (progenitor generates nothing for callbacks)."
);
rule!(
    CALLBACK_ADDED,
    "callback-added",
    EITHER,
    Ok,
    Ok,
    "The service sends a new callback or webhook, which a receiver subscribes to before it comes."
);
rule!(
    CALLBACK_STRUCTURE_CHANGED,
    "callback-structure-changed",
    EITHER,
    Review,
    Ok,
    "A parameter, body or status of a request the service sends was added, removed or made (not) required; whether the receiver copes depends on how it reads it."
);
