//! What a build without the `codegen` feature compiles: the committed snapshot, and only when
//! it was generated from the `openapi.yaml` beside it (the check `build.rs` runs).

#[path = "../../build/snapshot.rs"]
mod check;

use anyfast_video_api::spec::YAML as SPEC;

fn committed(path: &str) -> std::io::Result<String> {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
}

#[test]
fn the_committed_snapshots_are_of_this_spec_and_compile_as_they_are() {
    for path in ["generated/client.rs", "generated/httpmock.rs"] {
        let text =
            check::checked(SPEC, path, committed(path)).unwrap_or_else(|why| panic!("{why}"));
        assert_eq!(
            text,
            committed(path).unwrap(),
            "{path} is compiled byte for byte"
        );
    }
}

#[test]
fn a_snapshot_of_another_spec_fails_the_build_saying_how_to_fix_it() {
    let edited = format!("{SPEC}# an edit after the last `cargo xtask generate`\n");
    let why = check::checked(
        &edited,
        "generated/client.rs",
        committed("generated/client.rs"),
    )
    .unwrap_err();
    assert!(
        why.starts_with("generated/client.rs was not generated from this openapi.yaml"),
        "{why}"
    );
    assert!(why.contains("cargo xtask generate"), "{why}");
    // A header that only starts like the stamp is not taken for it.
    let truncated = "// @generated\n// openapi.yaml sha256: \n".to_string();
    assert!(check::checked(SPEC, "generated/client.rs", Ok(truncated)).is_err());
}

#[test]
fn a_missing_snapshot_fails_the_build_naming_it() {
    let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
    let why = check::checked(SPEC, "generated/httpmock.rs", Err(missing)).unwrap_err();
    assert!(
        why.starts_with("generated/httpmock.rs: no such file"),
        "{why}"
    );
    assert!(why.contains("cargo xtask generate"), "{why}");
}
