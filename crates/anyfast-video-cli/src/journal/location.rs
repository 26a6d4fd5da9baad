//! Where the journal lives: `--journal PATH|URL`, else `ANYFAST_VIDEO_JOURNAL`, else the
//! platform's state directory (`~/.local/state/anyfast-video/journal.sqlite` on Linux);
//! nowhere with `--no-journal`; in memory with `--mock` (its tasks end with the process
//! anyway). A `postgres://` URL is a PostgreSQL database, shared by every machine that names
//! it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The variable that moves the journal.
const JOURNAL_ENV: &str = "ANYFAST_VIDEO_JOURNAL";

/// Where the journal is, if anywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    File(PathBuf),
    /// A PostgreSQL database.
    Url(String),
    /// Memory only: gone with the process.
    Memory,
    /// No journal.
    Off,
}

/// The journal's location from the flags and the environment.
pub fn locate(given: Option<&OsStr>, off: bool, mock: bool) -> Location {
    if off {
        return Location::Off;
    }
    if let Some(given) = given {
        return parse(given);
    }
    if mock {
        return Location::Memory;
    }
    if let Some(given) = std::env::var_os(JOURNAL_ENV).filter(|given| !given.is_empty()) {
        return parse(&given);
    }
    match default_file() {
        Some(path) => Location::File(path),
        None => Location::Off,
    }
}

fn parse(given: &OsStr) -> Location {
    match given.to_str() {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Location::Url(url.to_string())
        }
        _ => Location::File(PathBuf::from(given)),
    }
}

/// Whether `path` is the default journal, in a folder of the program's own.
pub fn is_default(path: &Path) -> bool {
    default_file().is_some_and(|default| default == path)
}

/// `journal.sqlite` in the platform's state directory (the data directory where a platform
/// has no state directory).
fn default_file() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "anyfast-video")?;
    let folder = dirs
        .state_dir()
        .map(PathBuf::from)
        .unwrap_or_else(|| dirs.data_local_dir().to_path_buf());
    Some(folder.join("journal.sqlite"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_environment_and_mock_stays_in_memory() {
        let given = OsStr::new("/tmp/j.sqlite");
        assert_eq!(
            locate(Some(given), false, true),
            Location::File(PathBuf::from("/tmp/j.sqlite"))
        );
        assert_eq!(locate(Some(given), true, false), Location::Off);
        assert_eq!(locate(None, false, true), Location::Memory);
        assert_eq!(
            locate(
                Some(OsStr::new("postgres://videos@db.internal/tasks")),
                false,
                false
            ),
            Location::Url("postgres://videos@db.internal/tasks".into())
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_default_is_the_state_directory_on_linux() {
        let path = default_file().unwrap();
        assert!(
            path.ends_with("anyfast-video/journal.sqlite"),
            "{}",
            path.display()
        );
        assert!(
            path.to_string_lossy().contains("state"),
            "{}",
            path.display()
        );
    }
}
