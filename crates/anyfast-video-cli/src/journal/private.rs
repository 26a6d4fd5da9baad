//! The journal file is private. Its prompts, output paths and task ids belong to the user who
//! made them, so on a shared machine nobody else may read them, as with ssh's and gh's own
//! files. Its folder is made 0700 and the file 0600, whatever the umask. SQLite makes the
//! `-wal` and `-shm` files beside it with the main file's mode, so the file is made before
//! SQLite opens it. An existing journal that others can read is left as it is, with a warning
//! that names the fix.

use std::path::Path;

/// Makes the journal's missing folders (0700) and the file itself, empty (0600), when they
/// do not exist; otherwise warns on stderr when others can read it. `own_folder`: the folder
/// is the program's own (the default location), so its mode is checked too; a folder the
/// user chose is the user's business.
#[cfg(unix)]
pub fn prepare(path: &Path, own_folder: bool) -> std::io::Result<()> {
    use std::fs::{DirBuilder, OpenOptions, Permissions};
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

    let folder = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // The missing folders, top down. Each is set to 0700 after it is made: the mode given to
    // mkdir loses what the umask masks (a umask of 0200 would leave a folder no one can
    // write to).
    let missing: Vec<&Path> = folder
        .ancestors()
        .take_while(|ancestor| !ancestor.as_os_str().is_empty() && !ancestor.exists())
        .collect();
    for ancestor in missing.into_iter().rev() {
        match DirBuilder::new().mode(0o700).create(ancestor) {
            Ok(()) => std::fs::set_permissions(ancestor, Permissions::from_mode(0o700))?,
            // Another process made it meanwhile.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(error),
        }
    }
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        // An empty file is a new journal to the store.
        Ok(_) => return std::fs::set_permissions(path, Permissions::from_mode(0o600)),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(error),
    }
    let readable = |path: &Path| {
        std::fs::metadata(path)
            .ok()
            .map(|metadata| metadata.permissions().mode() & 0o777)
            .filter(|mode| mode & 0o077 != 0)
    };
    let mut modes = Vec::new();
    let mut files = Vec::new();
    // The -wal and -shm files of a journal made before took its mode: they are fixed with it.
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let file = std::path::PathBuf::from(file);
        if let Some(mode) = readable(&file) {
            modes.push(format!("{} is {mode:04o}", file.display()));
            files.push(quoted(&file));
        }
    }
    let mut fixes = Vec::new();
    if !files.is_empty() {
        fixes.push(format!("chmod 600 {}", files.join(" ")));
    }
    if own_folder && let Some(mode) = readable(folder) {
        modes.push(format!("{} is {mode:04o}", folder.display()));
        fixes.push(format!("chmod 700 {}", quoted(folder)));
    }
    if !fixes.is_empty() {
        eprintln!(
            "warning: other users of this machine can read the task journal (its prompts, output paths and task ids): {}; to make it private: {}",
            modes.join(", "),
            fixes.join(" && ")
        );
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn prepare(_path: &Path, _own_folder: bool) -> std::io::Result<()> {
    // Elsewhere the file inherits its folder's access control list: the user's own profile.
    Ok(())
}

/// A path as a shell reads it: quoted when it holds anything but plain characters.
#[cfg(unix)]
fn quoted(path: &Path) -> String {
    let text = path.to_string_lossy();
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%".contains(c));
    if plain {
        text.into_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}
