//! Documentation, metadata, and the catch-all for what no rule decides.

use super::rule;

rule!(
    DOCS_CHANGED,
    "docs-changed",
    EITHER,
    Ok,
    Ok,
    "Descriptions, summaries, titles, examples, deprecated, external docs: nothing a client reads."
);
rule!(
    METADATA_CHANGED,
    "metadata-changed",
    EITHER,
    Ok,
    Ok,
    "Version, servers, tags, links, extensions, XML names, unused components: nothing the generated client depends on."
);
rule!(
    UNCLASSIFIED,
    "unclassified",
    EITHER,
    Review,
    Review,
    "No rule can decide this change (the detail names the keyword and why); review it by hand."
);
