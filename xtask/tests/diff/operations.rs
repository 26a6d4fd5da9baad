//! Operations: present, named, and paired by path template.

use crate::{document, judged};

fn path(path: &str, operation: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: Pets, version: '1'}}\npaths:\n  {path}:\n    get: {operation}\n"
    )
}

fn by_id(parameter: &str) -> String {
    format!(
        "{{operationId: getPet, parameters: [{{name: {parameter}, in: path, required: true, schema: {{type: string}}}}], responses: {{'200': {{description: ok}}}}}}"
    )
}

const LIST: &str = "{operationId: listPets, responses: {'200': {description: ok}}}";

judged! {
    an_operation_removed_breaks_the_wire_and_the_code_since_its_method_is_gone:
        document("3.0.3", LIST, ""), "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\n"
        => [("operation-removed", "breaking", "breaking")];
    an_operation_added_breaks_nothing_since_the_old_client_does_not_call_it:
        "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\n", document("3.0.3", LIST, "")
        => [("operation-added", "ok", "ok")];
    an_operation_id_renamed_breaks_only_the_code_since_the_method_is_named_after_it:
        document("3.0.3", LIST, ""), document("3.0.3", &LIST.replace("listPets", "findPets"), "")
        => [("operation-id-changed", "ok", "breaking")];
    an_operation_id_kept_with_a_new_summary_breaks_nothing:
        document("3.0.3", LIST, ""), document("3.0.3", &LIST.replace("{operationId", "{summary: Lists, operationId"), "")
        => [("docs-changed", "ok", "ok")];
    a_path_parameter_renamed_is_the_same_url_but_renames_the_builder_method:
        path("/pets/{petId}", &by_id("petId")), path("/pets/{id}", &by_id("id"))
        => [("path-parameter-renamed", "ok", "breaking")];
    a_path_parameter_moved_to_another_segment_is_another_url_so_it_breaks:
        path("/pets/{id}", &by_id("id")), path("/pets/by-id/{id}", &by_id("id"))
        => [("operation-added", "ok", "ok"), ("operation-removed", "breaking", "breaking")];
}
