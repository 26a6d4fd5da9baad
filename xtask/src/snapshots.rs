//! The committed snapshots of the generated code under `generated/`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use similar::TextDiff;

use crate::workspace;

/// Each snapshot's path below the root. The spec itself has no copy: the crates that read it
/// take it from the generated client (`anyfast_video_api::spec`).
const SNAPSHOTS: [&str; 2] = ["generated/client.rs", "generated/httpmock.rs"];

/// Each snapshot: its path below the root, and the generated text it must hold.
fn expected(spec: &str) -> Result<[(&'static str, String); 2]> {
    let generated = anyfast_video_codegen::generate(spec)?;
    let [client, httpmock] = SNAPSHOTS;
    Ok([(client, generated.client), (httpmock, generated.httpmock)])
}

/// The path of every snapshot of the workspace at `root`.
pub fn paths(root: &Path) -> Vec<PathBuf> {
    SNAPSHOTS
        .iter()
        .map(|relative| root.join(relative))
        .collect()
}

/// Writes every snapshot of the workspace at `root` and returns their paths.
pub fn write(root: &Path, spec: &str) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(root.join("generated"))?;
    expected(spec)?
        .into_iter()
        .map(|(relative, text)| {
            let path = root.join(relative);
            std::fs::write(&path, text).with_context(|| format!("cannot write {relative}"))?;
            Ok(path)
        })
        .collect()
}

/// One problem per snapshot that differs from what the spec generates, with a unified diff.
pub fn problems(spec: &str) -> Result<Vec<String>> {
    let root = workspace::root();
    let mut problems = Vec::new();
    for (relative, text) in expected(spec)? {
        let committed = std::fs::read_to_string(root.join(relative)).unwrap_or_default();
        if committed != text {
            let diff = TextDiff::from_lines(&committed, &text)
                .unified_diff()
                .context_radius(2)
                .header(
                    &format!("{relative} (committed)"),
                    &format!("{relative} (from openapi.yaml)"),
                )
                .to_string();
            problems.push(format!(
                "{relative} is stale: run `cargo xtask generate` and commit the result.\n{diff}"
            ));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use crate::workspace;

    #[test]
    fn the_committed_snapshots_match_the_spec_and_go_stale_after_a_one_character_edit() {
        let spec = workspace::read_spec().unwrap();
        assert_eq!(super::problems(&spec).unwrap(), Vec::<String>::new());

        // An edit of an example changes no generated line but must still count.
        let edited = spec.replacen("progress: 50%", "progress: 51%", 1);
        assert_ne!(edited, spec);
        let problems = super::problems(&edited).unwrap();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("generated/client.rs is stale"),
            "{}",
            problems[0]
        );
        assert!(
            problems[0].contains("-// openapi.yaml sha256: "),
            "{}",
            problems[0]
        );
    }
}
