//! The OpenAPI linter: Redocly CLI, pinned in `.ci/npm`, with the committed ruleset
//! `.redocly.yaml`.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Where `npm ci --prefix .ci/npm` puts the linter, below the repository root.
const LINTER: &str = ".ci/npm/node_modules/.bin/redocly";

/// The ruleset, below the repository root.
const RULESET: &str = ".redocly.yaml";

/// Fails, saying how to install it, when the pinned linter is not installed under `root`.
pub fn ensure_installed(root: &Path) -> Result<()> {
    if root.join(LINTER).is_file() {
        return Ok(());
    }
    bail!(
        "the OpenAPI linter (Redocly CLI) is not installed: {LINTER} is missing. \
         Run `.ci/lint.sh`, which installs it and lints, or `npm ci --prefix .ci/npm` and then \
         `cargo xtask lint` again"
    )
}

/// Lints `openapi.yaml` under `root`; fails when the linter reports an error.
pub fn run(root: &Path) -> Result<()> {
    let linter = root.join(LINTER);
    let status = Command::new(&linter)
        .args([
            "lint",
            "--config",
            RULESET,
            "--format",
            "stylish",
            "openapi.yaml",
        ])
        .current_dir(root)
        // Offline and quiet: no usage reports, no "new version available" check.
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .status()
        .with_context(|| format!("cannot run {} (is Node.js on PATH?)", linter.display()))?;
    if !status.success() {
        bail!("Redocly CLI reports problems in openapi.yaml (rules: {RULESET})");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_missing_linter_is_reported_with_how_to_install_it() {
        let empty = std::env::temp_dir().join("xtask-lint-no-such-root");
        let error = super::ensure_installed(&empty).unwrap_err().to_string();
        assert!(error.contains(".ci/lint.sh"), "{error}");
        assert!(error.contains("npm ci --prefix .ci/npm"), "{error}");
    }
}
