//! `cargo xtask drill`: the smallest compatible changes to the spec must need no hand edit
//! anywhere. A new enum value and a new optional field of the create request, and a new
//! operation, are added to the spec and the client regenerated; then the workspace must build
//! as it is, and a test (in `xtask/drill/regenerated.rs`, code a user would write) sends both
//! values typed through the library and the CLI to the mock, which accepts them, and calls the
//! new operation through the library's `Client::api()`.
//!
//! The drill runs in this workspace, not in a copy: cargo names a workspace's artifacts by
//! the path relative to its root, so a copy sharing the target folder would overwrite this
//! one's artifacts with its own (and look fresh), and a copy with its own target folder
//! rebuilds every dependency. Every file the drill changes is put back as it was, whatever
//! happens; its sources are then newer than the drill's artifacts, so the next build
//! rebuilds the workspace's crates from them.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use serde_yaml::Value;
use xtask::diff;

use crate::snapshots;

/// The enum value the drill adds to `Ratio`.
pub const NEW_RATIO: &str = "2:1";

/// The optional field the drill adds to the Seedance create body (`SeedanceVideoRequest`).
pub const NEW_FIELD: &str = "frames_per_second";

/// The test the drill runs in the copy, as the CLI crate's test `drill`.
const TEST: &str = include_str!("../drill/regenerated.rs");

/// Runs the drill, then puts every file it changed back. The check of every target builds in
/// `check_target_dir` when one is given.
pub fn run(root: &Path, check_target_dir: Option<&Path>) -> Result<()> {
    let spec_path = root.join(diff::SPEC);
    let spec = std::fs::read_to_string(&spec_path)?;
    let changed = with_new_operation(&with_new_value_and_field(&spec)?)?;
    let test = root.join("crates/anyfast-video-cli/tests/drill.rs");
    let mut touched: Vec<PathBuf> = vec![spec_path.clone(), test.clone()];
    touched.extend(snapshots::paths(root));
    let _restore = Restore::of(&touched)?;

    std::fs::write(&spec_path, &changed)?;
    for path in snapshots::write(root, &changed)? {
        println!("drill: regenerated {}", path.display());
    }
    let changes = diff::compare_texts(&spec, &changed)?;
    println!("drill: cargo xtask diff says {}", diff::summary(&changes));
    ensure!(
        !changes.is_empty() && changes.iter().all(breaks_nothing),
        "the drill's change must be listed and break nothing on the wire or in code:\n{}",
        diff::text(&changes)
    );
    std::fs::write(&test, TEST)?;
    let mut check = vec!["check", "--workspace", "--all-targets", "--locked"];
    if let Some(folder) = check_target_dir {
        let folder = folder.to_str().context("a target folder named in UTF-8")?;
        check.extend(["--target-dir", folder]);
    }
    cargo(root, &check)?;
    // --workspace, not -p anyfast-video-cli: a package selection resolves features for that
    // package alone, and every dependency would be built again with them.
    cargo(
        root,
        &["test", "--locked", "--workspace", "--test", "drill"],
    )?;
    println!(
        "drill passed: '{NEW_RATIO}' and {NEW_FIELD} added to the spec, regenerated, built with no hand edit, sent typed by the library and the CLI, accepted by the mock; {NEW_OPERATION} added and called through Client::api()"
    );
    Ok(())
}

/// The files the drill changes, as they were; written back (or removed, for those that did
/// not exist) when dropped, on success, failure or panic alike.
struct Restore(Vec<(PathBuf, Option<Vec<u8>>)>);

impl Restore {
    fn of(paths: &[PathBuf]) -> Result<Restore> {
        let saved = paths
            .iter()
            .map(|path| match std::fs::read(path) {
                Ok(bytes) => Ok((path.clone(), Some(bytes))),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    Ok((path.clone(), None))
                }
                Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
            })
            .collect::<Result<_>>()?;
        Ok(Restore(saved))
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        for (path, bytes) in &self.0 {
            let restored = match bytes {
                Some(bytes) => std::fs::write(path, bytes),
                None => std::fs::remove_file(path).or_else(|error| match error.kind() {
                    std::io::ErrorKind::NotFound => Ok(()),
                    _ => Err(error),
                }),
            };
            if let Err(error) = restored {
                eprintln!("drill: could not put {} back: {error}", path.display());
            }
        }
    }
}

/// The spec with `'2:1'` among the ratios and an optional integer `frames_per_second` in the
/// Seedance create body (`SeedanceVideoRequest`). Read and written as YAML: the layout
/// changes, which `diff` ignores.
pub fn with_new_value_and_field(spec: &str) -> Result<String> {
    let mut document: Value = serde_yaml::from_str(spec).context("openapi.yaml is not YAML")?;
    let schemas = &mut document["components"]["schemas"];
    let Some(ratios) = schemas["Ratio"]["enum"].as_sequence_mut() else {
        bail!("openapi.yaml has no components.schemas.Ratio.enum");
    };
    ratios.insert(ratios.len() - 1, Value::from(NEW_RATIO));
    let Some(properties) = schemas["SeedanceVideoRequest"]["properties"].as_mapping_mut() else {
        bail!("openapi.yaml has no SeedanceVideoRequest.properties");
    };
    let field: Value = serde_yaml::from_str(
        "type: integer\ndescription: Frames per second (added by cargo xtask drill).\n",
    )?;
    properties.insert(Value::from(NEW_FIELD), field);
    Ok(serde_yaml::to_string(&document)?)
}

/// The operation the drill adds: `GET /v1/video/generations/{id}/events`.
pub const NEW_OPERATION: &str = "list_video_generation_events";

/// The spec with one more operation, [`NEW_OPERATION`], which the mock does not know.
pub fn with_new_operation(spec: &str) -> Result<String> {
    let mut document: Value = serde_yaml::from_str(spec).context("openapi.yaml is not YAML")?;
    let Some(paths) = document["paths"].as_mapping_mut() else {
        bail!("openapi.yaml has no paths");
    };
    let operation: Value = serde_yaml::from_str(&format!(
        "get:
  operationId: {NEW_OPERATION}
  tags: [video]
  summary: A task's events (added by cargo xtask drill)
  parameters:
    - {{name: id, in: path, required: true, schema: {{type: string, minLength: 1}}}}
  responses:
    '200':
      description: The events
      content:
        application/json:
          schema: {{type: object, additionalProperties: {{}}}}
    4XX:
      $ref: '#/components/responses/ClientError'
"
    ))?;
    paths.insert(Value::from("/v1/video/generations/{id}/events"), operation);
    Ok(serde_yaml::to_string(&document)?)
}

/// Whether a change breaks no client, on the wire or in code. A change left for review passes:
/// the create body is a union of the families' bodies, and a variant that accepts more "may now
/// overlap another" is a question no rule can decide (the variants are told apart by their
/// model ids, which the diff does not compare); the drill then builds and sends the change,
/// which is its answer.
fn breaks_nothing(change: &diff::Change) -> bool {
    change.wire != diff::Verdict::Breaks && change.code != diff::Verdict::Breaks
}

fn cargo(root: &Path, arguments: &[&str]) -> Result<()> {
    println!("drill: cargo {}", arguments.join(" "));
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(arguments)
        .status()
        .context("cannot run cargo")?;
    ensure!(
        status.success(),
        "cargo {} failed after the drill's change",
        arguments.join(" ")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drill_adds_one_ratio_and_one_optional_field_and_nothing_breaks() {
        let spec = crate::workspace::read_spec().unwrap();
        let changed = with_new_value_and_field(&spec).unwrap();
        let document = anyfast_video_codegen::spec_to_json(&changed).unwrap();
        let schemas = &document["components"]["schemas"];
        assert!(
            schemas["Ratio"]["enum"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!(NEW_RATIO))
        );
        let request = &schemas["SeedanceVideoRequest"];
        assert_eq!(request["properties"][NEW_FIELD]["type"], "integer");
        assert!(
            !request["required"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!(NEW_FIELD))
        );
        let before = anyfast_video_codegen::spec_to_json(&spec).unwrap();
        let changes = diff::compare(&before, &document).unwrap();
        let rules: Vec<&str> = changes.iter().map(|change| change.rule.id).collect();
        assert_eq!(
            rules,
            [
                "request-property-added",
                "request-enum-value-added",
                "one-of-variant-widened"
            ],
            "{}",
            diff::text(&changes)
        );
        assert!(
            changes.iter().all(breaks_nothing),
            "{}",
            diff::text(&changes)
        );
        assert!(!changes[0].breaking && !changes[1].breaking);
    }

    #[test]
    fn the_drill_adds_one_operation_and_nothing_breaks() {
        let spec = crate::workspace::read_spec().unwrap();
        let changed = with_new_operation(&spec).unwrap();
        let document = anyfast_video_codegen::spec_to_json(&changed).unwrap();
        let operation = &document["paths"]["/v1/video/generations/{id}/events"]["get"];
        assert_eq!(operation["operationId"], NEW_OPERATION);
        let before = anyfast_video_codegen::spec_to_json(&spec).unwrap();
        let changes = diff::compare(&before, &document).unwrap();
        assert!(!changes.is_empty());
        assert!(
            changes.iter().all(|change| !change.breaking),
            "{}",
            diff::text(&changes)
        );
        let code = anyfast_video_codegen::generate(&changed).unwrap();
        assert!(code.client.contains(&format!("pub fn {NEW_OPERATION}(")));
    }
}
