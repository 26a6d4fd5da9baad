//! `oneOf`/`anyOf` variants paired by content, `allOf` merged, components renamed, and
//! discriminators compared by the schemas their values name.

use crate::{judged, received, received_with, sent, sent_with};

const CAT_DOG: &str = "{Cat: {type: object, required: [meow], properties: {meow: {type: string}}}, Dog: {type: object, required: [bark], properties: {bark: {type: string}}}, Bird: {type: object, required: [tweet], properties: {tweet: {type: string}}}}";
const CAT: &str = "{$ref: '#/components/schemas/Cat'}";
const DOG: &str = "{$ref: '#/components/schemas/Dog'}";
const BIRD: &str = "{$ref: '#/components/schemas/Bird'}";

fn one_of(variants: &[&str]) -> String {
    format!("{{oneOf: [{}]}}", variants.join(", "))
}

fn pets(variants: &[&str], mapping: &str, schemas: &str) -> String {
    received_with(
        &format!(
            "{{oneOf: [{}], discriminator: {{propertyName: kind{mapping}}}}}",
            variants.join(", ")
        ),
        &format!("{{schemas: {schemas}}}"),
    )
}

judged! {
    one_of_variants_reordered_are_no_change_since_they_are_paired_by_ref:
        received_with(&one_of(&[CAT, DOG]), &format!("{{schemas: {CAT_DOG}}}")),
        received_with(&one_of(&[DOG, CAT]), &format!("{{schemas: {CAT_DOG}}}"))
        => [];
    inline_variants_reordered_break_only_the_code_since_typify_names_them_by_position:
        received("{anyOf: [{type: string}, {type: integer}]}"), received("{anyOf: [{type: integer}, {type: string}]}")
        => [("unnamed-variant-moved", "ok", "breaking"), ("unnamed-variant-moved", "ok", "breaking")];
    a_request_variant_added_breaks_nothing_since_the_request_accepts_more:
        sent_with(&one_of(&[CAT]), &format!("{{schemas: {CAT_DOG}}}")), sent_with(&one_of(&[CAT, DOG]), &format!("{{schemas: {CAT_DOG}}}"))
        => [("request-variant-added", "ok", "ok")];
    a_request_variant_removed_breaks_since_the_old_client_may_send_it:
        sent_with(&one_of(&[CAT, DOG]), &format!("{{schemas: {CAT_DOG}}}")), sent_with(&one_of(&[CAT]), &format!("{{schemas: {CAT_DOG}}}"))
        => [("request-variant-removed", "breaking", "breaking")];
    a_response_variant_added_breaks_since_the_old_client_cannot_decode_it:
        received_with(&one_of(&[CAT, DOG]), &format!("{{schemas: {CAT_DOG}}}")), received_with(&one_of(&[CAT, DOG, BIRD]), &format!("{{schemas: {CAT_DOG}}}"))
        => [("response-variant-added", "breaking", "breaking")];
    a_response_variant_removed_breaks_only_the_code:
        received_with(&one_of(&[CAT, DOG]), &format!("{{schemas: {CAT_DOG}}}")), received_with(&one_of(&[DOG]), &format!("{{schemas: {CAT_DOG}}}"))
        => [("response-variant-removed", "ok", "breaking")];
    an_any_of_request_variant_replaced_by_a_wider_one_breaks_nothing:
        sent("{anyOf: [{type: string, maxLength: 5}, {type: integer}]}"), sent("{anyOf: [{type: string, maxLength: 9}, {type: integer}]}")
        => [("request-constraint-widened", "ok", "ok")];
    a_one_of_request_variant_widened_beside_a_disjoint_type_breaks_nothing:
        sent("{oneOf: [{type: string, maxLength: 5}, {type: integer}]}"), sent("{oneOf: [{type: string, maxLength: 9}, {type: integer}]}")
        => [("request-constraint-widened", "ok", "ok")];
    a_one_of_request_variant_widened_into_a_possible_overlap_is_left_for_review:
        sent("{oneOf: [{type: string, maxLength: 5}, {type: string, minLength: 10}]}"), sent("{oneOf: [{type: string, maxLength: 12}, {type: string, minLength: 10}]}")
        => [("request-constraint-widened", "ok", "ok"), ("one-of-variant-widened", "review", "ok")];
    a_one_of_request_variant_narrowed_breaks:
        sent("{oneOf: [{type: string, maxLength: 9}, {type: integer}]}"), sent("{oneOf: [{type: string, maxLength: 5}, {type: integer}]}")
        => [("request-constraint-narrowed", "breaking", "ok")];
    one_of_relaxed_to_any_of_breaks_nothing_in_a_request:
        sent("{oneOf: [{type: string}, {type: integer}]}"), sent("{anyOf: [{type: string}, {type: integer}]}")
        => [("request-constraint-widened", "ok", "ok")];
    an_all_of_inlined_is_no_change_since_it_is_compared_after_merging:
        received_with("{allOf: [{$ref: '#/components/schemas/Base'}, {type: object, properties: {name: {type: string}}}]}", "{schemas: {Base: {type: object, required: [id], properties: {id: {type: string}}}}}"),
        received("{type: object, required: [id], properties: {id: {type: string}, name: {type: string}}}")
        => [];
    an_all_of_part_that_adds_a_required_request_property_breaks:
        sent("{allOf: [{type: object, properties: {id: {type: string}}}]}"),
        sent("{allOf: [{type: object, properties: {id: {type: string}}}, {required: [id]}]}")
        => [("request-property-became-required", "breaking", "breaking")];
    a_component_renamed_with_the_same_content_breaks_only_the_code_since_the_type_is_renamed:
        received_with(CAT, &format!("{{schemas: {CAT_DOG}}}")),
        received_with("{$ref: '#/components/schemas/Kitten'}", &format!("{{schemas: {}}}", CAT_DOG.replace("Cat:", "Kitten:")))
        => [("type-name-changed", "ok", "breaking")];
    a_component_renamed_with_its_discriminator_mapping_breaks_only_the_code:
        pets(&[CAT, DOG], ", mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}", CAT_DOG),
        pets(&["{$ref: '#/components/schemas/Kitten'}", DOG], ", mapping: {cat: '#/components/schemas/Kitten', dog: '#/components/schemas/Dog'}", &CAT_DOG.replace("Cat:", "Kitten:"))
        => [("type-name-changed", "ok", "breaking")];
    a_component_renamed_without_a_mapping_changes_the_discriminator_value_and_breaks:
        pets(&[CAT, DOG], "", CAT_DOG),
        pets(&["{$ref: '#/components/schemas/Kitten'}", DOG], "", &CAT_DOG.replace("Cat:", "Kitten:"))
        => [("type-name-changed", "ok", "breaking"), ("response-discriminator-value-removed", "ok", "breaking"), ("response-discriminator-value-added", "breaking", "breaking")];
    a_discriminator_value_retargeted_to_other_content_is_left_for_review:
        pets(&[CAT, DOG], ", mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}", CAT_DOG),
        pets(&[CAT, DOG], ", mapping: {cat: '#/components/schemas/Dog', dog: '#/components/schemas/Cat'}", CAT_DOG)
        => [("discriminator-mapping-retargeted", "review", "ok"), ("discriminator-mapping-retargeted", "review", "ok")];
    a_discriminator_property_changed_breaks_the_wire_since_the_old_client_uses_the_old_one:
        pets(&[CAT, DOG], "", CAT_DOG),
        received_with(&format!("{{oneOf: [{CAT}, {DOG}], discriminator: {{propertyName: type}}}}"), &format!("{{schemas: {CAT_DOG}}}"))
        => [("discriminator-property-changed", "breaking", "ok")];
    a_request_discriminator_value_removed_breaks:
        sent_with(&format!("{{oneOf: [{CAT}, {DOG}], discriminator: {{propertyName: kind}}}}"), &format!("{{schemas: {CAT_DOG}}}")),
        sent_with(&format!("{{oneOf: [{CAT}], discriminator: {{propertyName: kind}}}}"), &format!("{{schemas: {CAT_DOG}}}"))
        => [("request-variant-removed", "breaking", "breaking"), ("request-discriminator-value-removed", "breaking", "breaking")];
    a_request_discriminator_value_added_breaks_nothing:
        sent_with(&format!("{{oneOf: [{CAT}], discriminator: {{propertyName: kind}}}}"), &format!("{{schemas: {CAT_DOG}}}")),
        sent_with(&format!("{{oneOf: [{CAT}, {DOG}], discriminator: {{propertyName: kind}}}}"), &format!("{{schemas: {CAT_DOG}}}"))
        => [("request-variant-added", "ok", "ok"), ("request-discriminator-value-added", "ok", "ok")];
    a_schema_that_becomes_a_one_of_is_left_for_review_with_the_keyword:
        sent("{type: string}"), sent("{oneOf: [{type: string}, {type: integer}]}")
        => [("request-type-widened", "ok", "breaking"), ("unclassified", "review", "review")];
}
