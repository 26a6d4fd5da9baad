//! Rules about how schemas are put together: names, `oneOf`/`anyOf` variants and
//! discriminators.

use super::rule;

rule!(
    TYPE_NAME_CHANGED,
    "type-name-changed",
    EITHER,
    Ok,
    Breaks,
    "The same content under another name: typify names a type after its component schema (an inline one after its place or title), so the Rust type is renamed."
);
rule!(
    REQUEST_VARIANT_ADDED,
    "request-variant-added",
    REQUEST,
    Ok,
    Ok,
    "A new oneOf/anyOf variant: the request accepts more."
);
rule!(
    REQUEST_VARIANT_REMOVED,
    "request-variant-removed",
    REQUEST,
    Breaks,
    Breaks,
    "The old client may send the removed variant, and its enum variant is gone."
);
rule!(
    RESPONSE_VARIANT_ADDED,
    "response-variant-added",
    RESPONSE,
    Breaks,
    Breaks,
    "The response may carry a variant the old client cannot decode, and exhaustive matches miss it."
);
rule!(
    RESPONSE_VARIANT_REMOVED,
    "response-variant-removed",
    RESPONSE,
    Ok,
    Breaks,
    "The service no longer sends the variant, but its enum variant is gone from the code."
);
rule!(
    ONE_OF_VARIANT_WIDENED,
    "one-of-variant-widened",
    REQUEST,
    Review,
    Ok,
    "A request's oneOf variant accepts more, and nothing (a discriminator, disjoint types) keeps it from now also matching another variant, which oneOf refuses."
);
rule!(
    UNNAMED_VARIANT_MOVED,
    "unnamed-variant-moved",
    EITHER,
    Ok,
    Breaks,
    "Variants are paired by content, so a reordering changes nothing on the wire; typify names an inline variant by its position, so its Rust name changes."
);
rule!(
    DISCRIMINATOR_PROPERTY_CHANGED,
    "discriminator-property-changed",
    EITHER,
    Breaks,
    Ok,
    "The variant is told by another property, which the old client neither sends nor reads."
);
rule!(
    DISCRIMINATOR_MAPPING_RETARGETED,
    "discriminator-mapping-retargeted",
    EITHER,
    Review,
    Ok,
    "A discriminator value now names a schema with other content (mappings are compared by the schemas they name, so a renamed component is no change)."
);
rule!(
    REQUEST_DISCRIMINATOR_VALUE_ADDED,
    "request-discriminator-value-added",
    REQUEST,
    Ok,
    Ok,
    "The request accepts a new discriminator value."
);
rule!(
    REQUEST_DISCRIMINATOR_VALUE_REMOVED,
    "request-discriminator-value-removed",
    REQUEST,
    Breaks,
    Breaks,
    "The old client may send a discriminator value that is now refused."
);
rule!(
    RESPONSE_DISCRIMINATOR_VALUE_ADDED,
    "response-discriminator-value-added",
    RESPONSE,
    Breaks,
    Breaks,
    "The response may carry a discriminator value the old client cannot decode."
);
rule!(
    RESPONSE_DISCRIMINATOR_VALUE_REMOVED,
    "response-discriminator-value-removed",
    RESPONSE,
    Ok,
    Breaks,
    "The service no longer sends the discriminator value, but its variant is gone from the code."
);
