//! Where the two documents come from: the working tree, a file, or a git revision.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The spec's path in the repository, also inside git revisions.
pub const SPEC: &str = "openapi.yaml";

/// The document to compare with (BASE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// A git revision (`HEAD`, `origin/main`, a tag, a commit): its `openapi.yaml`.
    Revision(String),
    /// A YAML (or JSON) file.
    File(PathBuf),
}

impl Base {
    /// Reads a BASE argument: an existing file, or a name that ends like one (`.yaml`, `.yml`,
    /// `.json`), is a file; anything else is a git revision.
    pub fn parse(argument: &str) -> Self {
        let path = Path::new(argument);
        let looks_like_a_file = [".yaml", ".yml", ".json"]
            .iter()
            .any(|extension| argument.ends_with(extension));
        if path.is_file() || looks_like_a_file {
            Base::File(path.to_path_buf())
        } else {
            Base::Revision(argument.to_string())
        }
    }

    /// The text of the document. A revision's `openapi.yaml` is read with
    /// `git show REV:openapi.yaml` in the repository at `root`.
    pub fn read(&self, root: &Path) -> Result<String> {
        match self {
            Base::File(path) => std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display())),
            Base::Revision(revision) => show(root, revision),
        }
    }
}

impl std::fmt::Display for Base {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Base::Revision(revision) => write!(formatter, "{revision}:{SPEC}"),
            Base::File(path) => write!(formatter, "{}", path.display()),
        }
    }
}

fn show(root: &Path, revision: &str) -> Result<String> {
    // git would read a leading dash as an option.
    if revision.starts_with('-') {
        bail!("{revision:?} is not a git revision");
    }
    let output = Command::new("git")
        .arg("show")
        .arg(format!("{revision}:{SPEC}"))
        .current_dir(root)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "`git show {revision}:{SPEC}` failed in {}: {}",
            root.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    String::from_utf8(output.stdout).with_context(|| format!("{revision}:{SPEC} is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::Base;

    #[test]
    fn file_names_are_files_and_anything_else_is_a_revision() {
        assert_eq!(Base::parse("HEAD"), Base::Revision("HEAD".into()));
        assert_eq!(
            Base::parse("origin/main"),
            Base::Revision("origin/main".into())
        );
        assert_eq!(Base::parse("old.yaml"), Base::File("old.yaml".into()));
        // An existing file without one of those endings is still a file.
        let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
        assert_eq!(Base::parse(manifest), Base::File(manifest.into()));
    }

    #[test]
    fn a_revision_that_looks_like_an_option_is_refused() {
        let error = Base::Revision("--output=x".into())
            .read(std::path::Path::new("."))
            .unwrap_err();
        assert!(error.to_string().contains("not a git revision"), "{error}");
    }
}
