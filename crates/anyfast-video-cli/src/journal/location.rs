//! Where the journal lives: `--journal PATH`, else `ANYFAST_VIDEO_JOURNAL`, else the platform's
//! state directory (`~/.local/state/anyfast-video/journal.sqlite` on Linux); nowhere with
//! `--no-journal`; in memory with `--mock` (its tasks end with the process anyway).

use std::path::PathBuf;

/// The variable that moves the journal.
const JOURNAL_ENV: &str = "ANYFAST_VIDEO_JOURNAL";

/// Where the journal is, if anywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A file.
    File(PathBuf),
    /// Memory only: gone with the process.
    Memory,
    /// No journal.
    Off,
}

/// The journal's location from the flags and the environment.
pub fn locate(path: Option<&PathBuf>, off: bool, mock: bool) -> Location {
    if off {
        return Location::Off;
    }
    if let Some(path) = path {
        return Location::File(path.clone());
    }
    if mock {
        return Location::Memory;
    }
    if let Some(path) = std::env::var_os(JOURNAL_ENV).filter(|path| !path.is_empty()) {
        return Location::File(PathBuf::from(path));
    }
    match default_file() {
        Some(path) => Location::File(path),
        None => Location::Off,
    }
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
        let given = PathBuf::from("/tmp/j.sqlite");
        assert_eq!(
            locate(Some(&given), false, true),
            Location::File(given.clone())
        );
        assert_eq!(locate(Some(&given), true, false), Location::Off);
        assert_eq!(locate(None, false, true), Location::Memory);
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
