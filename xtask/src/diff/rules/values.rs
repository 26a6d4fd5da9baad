//! Rules about the values a schema accepts: types, null, enums, constraints and defaults, and
//! the Rust type typify makes of them.

use super::rule;

rule!(
    REQUEST_TYPE_WIDENED,
    "request-type-widened",
    REQUEST,
    Ok,
    Breaks,
    "The request accepts more types (integer counts as a kind of number); the generated Rust type changes."
);
rule!(
    REQUEST_TYPE_NARROWED,
    "request-type-narrowed",
    REQUEST,
    Breaks,
    Breaks,
    "The request accepts fewer types, so the old client may send one that is refused; the Rust type changes."
);
rule!(
    RESPONSE_TYPE_WIDENED,
    "response-type-widened",
    RESPONSE,
    Breaks,
    Breaks,
    "The response may carry a type the old client cannot decode; the Rust type changes."
);
rule!(
    RESPONSE_TYPE_NARROWED,
    "response-type-narrowed",
    RESPONSE,
    Ok,
    Breaks,
    "The response carries fewer types, all of which the old client decodes; the Rust type changes."
);
rule!(
    TYPE_CHANGED,
    "type-changed",
    EITHER,
    Breaks,
    Breaks,
    "The type changed and neither the old nor the new one contains the other."
);
rule!(
    REQUEST_NULLABLE_ADDED,
    "request-nullable-added",
    REQUEST,
    Ok,
    Ok,
    "The request also accepts null (nullable: true, or \"null\" in a 3.1 type array)."
);
rule!(
    REQUEST_NULLABLE_REMOVED,
    "request-nullable-removed",
    REQUEST,
    Breaks,
    Ok,
    "The request no longer accepts the null the old client may send."
);
rule!(
    RESPONSE_NULLABLE_ADDED,
    "response-nullable-added",
    RESPONSE,
    Breaks,
    Ok,
    "The response may carry a null the old client does not expect."
);
rule!(
    RESPONSE_NULLABLE_REMOVED,
    "response-nullable-removed",
    RESPONSE,
    Ok,
    Ok,
    "The response no longer carries null; the old client expected it but does not need it."
);
rule!(
    REQUEST_ENUM_VALUE_ADDED,
    "request-enum-value-added",
    REQUEST,
    Ok,
    Ok,
    "The request accepts a new value (enum or const); a new variant breaks no code that builds requests."
);
rule!(
    REQUEST_ENUM_VALUE_REMOVED,
    "request-enum-value-removed",
    REQUEST,
    Breaks,
    Breaks,
    "The old client may send a value that is now refused, and its enum variant is gone."
);
rule!(
    RESPONSE_ENUM_VALUE_ADDED,
    "response-enum-value-added",
    RESPONSE,
    Breaks,
    Breaks,
    "The generated Rust enum is closed, so the new value does not decode, and exhaustive matches miss a variant."
);
rule!(
    RESPONSE_ENUM_VALUE_REMOVED,
    "response-enum-value-removed",
    RESPONSE,
    Ok,
    Breaks,
    "The service no longer sends the value, but its enum variant is gone from the code."
);
rule!(
    REQUEST_CONSTRAINT_NARROWED,
    "request-constraint-narrowed",
    REQUEST,
    Breaks,
    Ok,
    "The request accepts fewer values (a bound, length, count, multipleOf, uniqueItems, pattern, format, contains, dependentRequired, closed members, ...), so the old client may send one that is refused."
);
rule!(
    REQUEST_CONSTRAINT_WIDENED,
    "request-constraint-widened",
    REQUEST,
    Ok,
    Ok,
    "The request accepts more values; everything the old client sends is still accepted."
);
rule!(
    RESPONSE_CONSTRAINT_NARROWED,
    "response-constraint-narrowed",
    RESPONSE,
    Ok,
    Ok,
    "The response carries fewer values, all of which the old client accepts."
);
rule!(
    RESPONSE_CONSTRAINT_WIDENED,
    "response-constraint-widened",
    RESPONSE,
    Breaks,
    Ok,
    "The response may carry a value the old client refuses (typify's constrained types check minLength, maxLength and pattern when they decode)."
);
rule!(
    REQUEST_DEFAULT_CHANGED,
    "request-default-changed",
    REQUEST,
    Ok,
    Ok,
    "A request property's default changed; typify's struct sends its own default explicitly, so the old client's requests mean what they meant."
);
rule!(
    RESPONSE_DEFAULT_CHANGED,
    "response-default-changed",
    RESPONSE,
    Review,
    Ok,
    "When the service leaves the property out, the old client fills in the old default, which no longer means what the service meant."
);
rule!(
    GENERATED_TYPE_CHANGED,
    "generated-type-changed",
    EITHER,
    Ok,
    Breaks,
    "The same data, but typify generates another Rust type for it (a constrained newtype, a set, a fixed array, an Option, another integer width, an enum)."
);
