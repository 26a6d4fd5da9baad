//! Gives the crate its generated client, from one of two places that hold the same code:
//!
//! - with the `codegen` feature (the workspace's own builds and tests), it compiles
//!   `openapi.yaml` with progenitor, through `anyfast-video-codegen`'s settings;
//! - without it (a service that depends on the crate), it takes the reviewed snapshot under
//!   `generated/`, which `cargo xtask generate` writes with those same settings, after checking
//!   that the snapshot's header names this `openapi.yaml`'s sha256 (`build/snapshot.rs`). A
//!   stale snapshot fails the build instead of compiling a client of another spec.
//!
//! With the `spec` feature it also converts the spec to JSON Schema terms for
//! `spec::JSON_SCHEMA` (the mock's and the contract checks' validators read it there: the
//! repository holds one spec).

use std::path::Path;

#[cfg(not(feature = "codegen"))]
#[path = "build/snapshot.rs"]
mod snapshot;

fn main() {
    println!("cargo:rerun-if-changed=openapi.yaml");
    println!("cargo:rerun-if-changed=generated");
    let spec = std::fs::read_to_string("openapi.yaml").expect("read openapi.yaml");
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let out_dir = Path::new(&out_dir);
    let (client, httpmock) = generated(&spec);
    std::fs::write(out_dir.join("client.rs"), client).expect("write client.rs");
    std::fs::write(out_dir.join("httpmock.rs"), httpmock).expect("write httpmock.rs");
    #[cfg(feature = "spec")]
    {
        let mut document = anyfast_video_codegen::spec_to_json(&spec).expect("openapi.yaml parses");
        anyfast_video_codegen::json_schema::convert(&mut document);
        std::fs::write(out_dir.join("openapi.json"), document.to_string())
            .expect("write openapi.json");
    }
}

/// The client and the httpmock helpers, compiled from the spec now.
#[cfg(feature = "codegen")]
fn generated(spec: &str) -> (String, String) {
    match anyfast_video_codegen::generate(spec) {
        Ok(generated) => (generated.client, generated.httpmock),
        Err(error) => panic!("openapi.yaml: {error:#}"),
    }
}

/// The client and the httpmock helpers, from the snapshot generated from this spec.
#[cfg(not(feature = "codegen"))]
fn generated(spec: &str) -> (String, String) {
    let read = |path: &str| {
        snapshot::checked(spec, path, std::fs::read_to_string(path))
            .unwrap_or_else(|why| panic!("{why}"))
    };
    (read("generated/client.rs"), read("generated/httpmock.rs"))
}
