//! Rules about security requirements, compared as the sets of alternatives a client can satisfy.

use super::rule;

rule!(
    SECURITY_TIGHTENED,
    "security-tightened",
    EITHER,
    Breaks,
    Ok,
    "An alternative the old client could satisfy (its schemes, with their scopes) no longer satisfies any requirement."
);
rule!(
    SECURITY_RELAXED,
    "security-relaxed",
    EITHER,
    Ok,
    Ok,
    "Every alternative the old client could satisfy still satisfies one (a scheme or scope dropped, an alternative added)."
);
