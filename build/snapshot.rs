//! The check that lets a build without the `codegen` feature compile the snapshot under
//! `generated/`: its second line must name the sha256 of the `openapi.yaml` being built, so
//! that a spec edited without `cargo xtask generate` fails the build instead of compiling a
//! client of another spec. Shared by `build.rs` and the crate's tests (`tests/it/snapshot.rs`).

use sha2::Digest;

/// The text of the snapshot at `path` (as read: `text`), if it was generated from `spec`;
/// otherwise the message the build fails with.
pub fn checked(spec: &str, path: &str, text: std::io::Result<String>) -> Result<String, String> {
    let fix = "run `cargo xtask generate`, or build with the `codegen` feature";
    let text = text.map_err(|error| format!("{path}: {error}; {fix}"))?;
    let digest: String = sha2::Sha256::digest(spec.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let stamp = format!("// openapi.yaml sha256: {digest}");
    if text.lines().nth(1) == Some(stamp.as_str()) {
        Ok(text)
    } else {
        Err(format!(
            "{path} was not generated from this openapi.yaml (sha256 {digest}): {fix}"
        ))
    }
}
