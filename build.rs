//! Compiles `openapi.yaml` into the client with the shared settings of
//! `anyfast-video-codegen`, the same code that writes the snapshots under `generated/`, and
//! converts it to JSON Schema terms for `spec::JSON_SCHEMA` (the mock's and the contract
//! checks' validators read it there: the repository holds one spec).

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=openapi.yaml");
    let spec = std::fs::read_to_string("openapi.yaml").expect("read openapi.yaml");
    let generated = match anyfast_video_codegen::generate(&spec) {
        Ok(generated) => generated,
        Err(error) => panic!("openapi.yaml: {error:#}"),
    };
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let out_dir = Path::new(&out_dir);
    std::fs::write(out_dir.join("client.rs"), generated.client).expect("write client.rs");
    std::fs::write(out_dir.join("httpmock.rs"), generated.httpmock).expect("write httpmock.rs");
    let mut document = anyfast_video_codegen::spec_to_json(&spec).expect("openapi.yaml parses");
    anyfast_video_codegen::json_schema::convert(&mut document);
    std::fs::write(out_dir.join("openapi.json"), document.to_string()).expect("write openapi.json");
}
