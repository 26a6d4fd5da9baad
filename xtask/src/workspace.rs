//! Where things are in the repository.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The repository's root: the parent of this crate's folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

/// The text of `openapi.yaml`.
pub fn read_spec() -> Result<String> {
    let path = root().join("openapi.yaml");
    std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
}
