//! `cargo xtask drill`: the smallest compatible change to the spec, made in a copy of the
//! workspace, must need no hand edit anywhere. A new enum value and a new optional field of
//! the create request are added to the copy's spec and the client regenerated; then the copy
//! must build as it is, and a test written into it (`xtask/drill/regenerated.rs`, code a
//! user would write) sends both values typed through the library and the CLI to the mock,
//! which accepts them.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use serde_yaml::Value;
use xtask::diff;

use crate::snapshots;

/// The enum value the drill adds to `Ratio`.
pub const NEW_RATIO: &str = "2:1";

/// The optional field the drill adds to the create request.
pub const NEW_FIELD: &str = "frames_per_second";

/// The test the drill runs in the copy, as the CLI crate's test `drill`.
const TEST: &str = include_str!("../drill/regenerated.rs");

/// Runs the drill; the copy is left under `target/drill` for a look when it fails.
pub fn run(root: &Path) -> Result<()> {
    let copy = root.join("target/drill/workspace");
    copy_workspace(root, &copy)?;
    let spec_path = copy.join(diff::SPEC);
    let spec = std::fs::read_to_string(&spec_path)?;
    let changed = with_new_value_and_field(&spec)?;
    std::fs::write(&spec_path, &changed)?;
    for path in snapshots::write(&copy, &changed)? {
        println!("drill: regenerated {}", path.display());
    }

    let changes = diff::compare_files(
        root,
        &diff::Base::parse(&root.join(diff::SPEC).display().to_string()),
        &spec_path,
    )?;
    println!("drill: cargo xtask diff says {}", diff::summary(&changes));
    ensure!(
        !changes.is_empty() && changes.iter().all(|change| !change.breaking),
        "the drill's change must be listed and not breaking:\n{}",
        diff::text(&changes)
    );

    let test = copy.join("crates/anyfast-video-cli/tests/drill.rs");
    std::fs::write(&test, TEST)?;
    // The copy shares this workspace's target folder: its own crates build anew (their paths
    // differ), every dependency is reused.
    let target = root.join("target");
    cargo(
        &copy,
        &target,
        &["check", "--workspace", "--all-targets", "--locked"],
    )?;
    cargo(
        &copy,
        &target,
        &[
            "test",
            "--locked",
            "-p",
            "anyfast-video-cli",
            "--test",
            "drill",
        ],
    )?;
    println!(
        "drill passed: '{NEW_RATIO}' and {NEW_FIELD} added to the spec, regenerated, built with no hand edit, sent typed by the library and the CLI, accepted by the mock"
    );
    Ok(())
}

/// The spec with `'2:1'` among the ratios and an optional integer `frames_per_second` in the
/// create request. Read and written as YAML: the layout changes, which `diff` ignores.
pub fn with_new_value_and_field(spec: &str) -> Result<String> {
    let mut document: Value = serde_yaml::from_str(spec).context("openapi.yaml is not YAML")?;
    let schemas = &mut document["components"]["schemas"];
    let Some(ratios) = schemas["Ratio"]["enum"].as_sequence_mut() else {
        bail!("openapi.yaml has no components.schemas.Ratio.enum");
    };
    ratios.insert(ratios.len() - 1, Value::from(NEW_RATIO));
    let Some(properties) = schemas["CreateVideoGenerationRequest"]["properties"].as_mapping_mut()
    else {
        bail!("openapi.yaml has no CreateVideoGenerationRequest.properties");
    };
    let field: Value = serde_yaml::from_str(
        "type: integer\ndescription: Frames per second (added by cargo xtask drill).\n",
    )?;
    properties.insert(Value::from(NEW_FIELD), field);
    Ok(serde_yaml::to_string(&document)?)
}

/// Copies the files git knows (committed or not, but not ignored) as they are on disk.
fn copy_workspace(root: &Path, copy: &Path) -> Result<()> {
    if copy.exists() {
        std::fs::remove_dir_all(copy)?;
    }
    let listed = Command::new("git")
        .current_dir(root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .context("cannot run git ls-files")?;
    ensure!(listed.status.success(), "git ls-files failed");
    for relative in listed.stdout.split(|byte| *byte == 0) {
        let relative = PathBuf::from(String::from_utf8_lossy(relative).as_ref());
        let source = root.join(&relative);
        if relative.as_os_str().is_empty() || !source.is_file() {
            continue; // a file deleted but not yet committed
        }
        let destination = copy.join(&relative);
        std::fs::create_dir_all(destination.parent().unwrap_or(copy))?;
        std::fs::copy(&source, &destination)
            .with_context(|| format!("cannot copy {}", relative.display()))?;
    }
    Ok(())
}

fn cargo(copy: &Path, target: &Path, arguments: &[&str]) -> Result<()> {
    println!("drill: cargo {}", arguments.join(" "));
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(copy)
        .env("CARGO_TARGET_DIR", target)
        .args(arguments)
        .status()
        .context("cannot run cargo")?;
    ensure!(
        status.success(),
        "cargo {} failed in the drill's copy",
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
        let request = &schemas["CreateVideoGenerationRequest"];
        assert_eq!(request["properties"][NEW_FIELD]["type"], "integer");
        assert!(
            !request["required"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!(NEW_FIELD))
        );
        let before = anyfast_video_codegen::spec_to_json(&spec).unwrap();
        let changes = diff::compare(&before, &document).unwrap();
        assert_eq!(changes.len(), 2, "{}", diff::text(&changes));
        assert!(changes.iter().all(|change| !change.breaking));
    }
}
