//! The file a command will write a video into: checked before anything is sent, so that a
//! billed task never ends in "cannot write the file".

use std::io::ErrorKind;
use std::path::Path;

use anyfast_video::partial_path;

use crate::exit::Failure;

/// Checks that `path` can be written: its folder exists, it is not a folder itself, and it
/// does not exist yet unless `force` allows overwriting it. Probes the folder by creating a
/// partial file beside it (`PATH.probe-PID.part`) and removing it again.
pub fn check_writable(path: &Path, force: bool) -> Result<(), Failure> {
    let shown = path.display();
    if path.is_dir() {
        return Err(Failure::File(format!("{shown} is a folder, not a file")));
    }
    if path.exists() && !force {
        return Err(Failure::Usage(format!(
            "{shown} exists already; choose another name or pass --force to overwrite it"
        )));
    }
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(Failure::File(format!(
            "cannot write {shown}: the folder {} does not exist",
            folder.display()
        )));
    }
    let probe = probe_path(path);
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        // A probe left by a process of the same pid: the folder is writable.
        Err(error) if error.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(Failure::File(format!("cannot write {shown}: {error}"))),
    }
}

fn probe_path(path: &Path) -> std::path::PathBuf {
    partial_path(path, &format!("probe-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_missing_folders_and_existing_files_are_refused_before_anything_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.mp4");
        assert!(check_writable(&new, false).is_ok());
        assert!(!probe_path(&new).exists(), "the probe is removed");

        assert!(matches!(
            check_writable(dir.path(), true),
            Err(Failure::File(_))
        ));
        let nowhere = dir.path().join("missing/x.mp4");
        assert!(matches!(
            check_writable(&nowhere, false),
            Err(Failure::File(_))
        ));

        std::fs::write(&new, b"old").unwrap();
        assert!(matches!(
            check_writable(&new, false),
            Err(Failure::Usage(_))
        ));
        assert!(check_writable(&new, true).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_path_that_is_not_utf8_is_checked_without_panicking() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.mp4");
        assert!(check_writable(&dir.path().join(name), false).is_ok());
    }
}
