//! Rules about parameters (always sent by the client).

use super::rule;

rule!(
    PARAMETER_REMOVED,
    "parameter-removed",
    REQUEST,
    Breaks,
    Breaks,
    "The old client may send a parameter the service no longer reads, and its builder method is gone."
);
rule!(
    OPTIONAL_PARAMETER_ADDED,
    "optional-parameter-added",
    REQUEST,
    Ok,
    Ok,
    "A new optional parameter; the old client leaves it out."
);
rule!(
    REQUIRED_PARAMETER_ADDED,
    "required-parameter-added",
    REQUEST,
    Breaks,
    Ok,
    "The old client does not send the new required parameter; its code still compiles (the builder reports the missing value when sent)."
);
rule!(
    PARAMETER_BECAME_REQUIRED,
    "parameter-became-required",
    REQUEST,
    Breaks,
    Ok,
    "The old client may leave out a parameter that is now required; the builder method keeps its signature."
);
rule!(
    PARAMETER_BECAME_OPTIONAL,
    "parameter-became-optional",
    REQUEST,
    Ok,
    Ok,
    "The service accepts requests without the parameter too; the builder method keeps its signature."
);
rule!(
    PARAMETER_SERIALIZATION_CHANGED,
    "parameter-serialization-changed",
    REQUEST,
    Breaks,
    Ok,
    "style or explode (with their defaults applied) now write the value differently, so the service misreads what the old client sends."
);
rule!(
    PARAMETER_DEFAULT_CHANGED,
    "parameter-default-changed",
    REQUEST,
    Review,
    Ok,
    "The old client leaves an optional parameter out and the service now assumes another value; whether that breaks depends on what the parameter means."
);
