//! Embeds the crate's copy of openapi.yaml (identical to the repository's, which `cargo xtask
//! check` verifies), converted to JSON Schema terms by the one conversion the mock and `cargo
//! xtask check` use too, so that answers are held to exactly the spec this crate was built
//! from, also when built from the registry.

use std::path::Path;

fn main() {
    let spec_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.yaml");
    println!("cargo:rerun-if-changed={}", spec_path.display());
    let yaml = std::fs::read_to_string(&spec_path).expect("read openapi.yaml");
    let mut document = anyfast_video_codegen::spec_to_json(&yaml).expect("openapi.yaml parses");
    anyfast_video_codegen::json_schema::convert(&mut document);
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(
        Path::new(&out_dir).join("openapi.json"),
        document.to_string(),
    )
    .expect("write openapi.json");
}
