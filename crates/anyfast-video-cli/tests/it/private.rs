//! The journal is private: its folder 0700 and its files 0600 (SQLite's -wal and -shm
//! included) whatever the umask, and a journal others can read is warned about, with the fix.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use anyfast_mock::{MockConfig, MockServer, Timing};

use crate::common::*;

/// The program run by `sh` under umask 000 (every file anyone's, unless the program says
/// otherwise), with `args`, the test key and no journal variable.
fn under_umask_000(args: &[&str]) -> Command {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(r#"umask 000; exec "$0" "$@""#)
        .arg(assert_cmd::cargo::cargo_bin("anyfast-video"))
        .args(args)
        .env_remove("ANYFAST_VIDEO_JOURNAL")
        .env_remove("ANYFAST_BASE_URL")
        .env_remove("XDG_STATE_HOME")
        .env("ANYFAST_API_KEY", KEY);
    command
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_journal_and_its_wal_and_shm_files_are_private_whatever_the_umask() {
    // The task lasts long enough to see SQLite's -wal and -shm files while the program runs
    // (they go when it closes the journal).
    let mock =
        MockServer::start(MockConfig::default().timing(Timing::Lasting(Duration::from_secs(3))))
            .await
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("state/anyfast");
    let journal = folder.join("journal.sqlite");
    let wal = folder.join("journal.sqlite-wal");
    let shm = folder.join("journal.sqlite-shm");
    let video = dir.path().join("cat.mp4");
    let child = under_umask_000(&[
        "--base-url",
        &mock.base_url(),
        "--journal",
        journal.to_str().unwrap(),
        "generate",
        "a private cat",
        "-o",
        video.to_str().unwrap(),
        "--poll-interval",
        "0.05",
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    until("the -wal and -shm files", || wal.exists() && shm.exists()).await;
    let modes = [&folder, &journal, &wal, &shm].map(|path| mode(path));
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let octal = modes.map(|mode| format!("{mode:o}"));
    assert_eq!(modes, [0o700, 0o600, 0o600, 0o600], "{octal:?}");
    assert_eq!(
        mode(&dir.path().join("state")),
        0o700,
        "every folder it made"
    );
    assert_eq!(mode(&journal), 0o600);
    assert!(
        !stderr_of(&output).contains("warning"),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn a_journal_others_can_read_is_warned_about_with_the_commands_that_fix_it() {
    let home = tempfile::tempdir().unwrap();
    let tasks = |args: &[&str]| {
        under_umask_000(&[args, &["tasks"]].concat())
            .env("HOME", home.path())
            .output()
            .unwrap()
    };
    // The default journal, made under umask 000: private all the same, and nothing to say.
    let made = tasks(&[]);
    assert!(made.status.success(), "{}", stderr_of(&made));
    assert!(
        !stderr_of(&made).contains("warning"),
        "{}",
        stderr_of(&made)
    );
    let folder = home.path().join(".local/state/anyfast-video");
    let journal = folder.join("journal.sqlite");
    assert_eq!((mode(&folder), mode(&journal)), (0o700, 0o600));

    // Opened up (as a journal made by an earlier version was): a warning with the fix; the
    // modes are the user's to change.
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&journal, std::fs::Permissions::from_mode(0o644)).unwrap();
    let warned = tasks(&[]);
    assert!(warned.status.success(), "{}", stderr_of(&warned));
    let text = stderr_of(&warned);
    assert!(
        text.contains(&format!("chmod 600 {}", journal.display()))
            && text.contains(&format!("chmod 700 {}", folder.display())),
        "{text}"
    );
    assert_eq!((mode(&folder), mode(&journal)), (0o755, 0o644));

    // A journal the user put in a folder of their own: its folder is their business.
    let chosen = home.path().join("journal.sqlite");
    std::fs::copy(&journal, &chosen).unwrap();
    std::fs::set_permissions(&chosen, std::fs::Permissions::from_mode(0o640)).unwrap();
    let warned = tasks(&["--journal", chosen.to_str().unwrap()]);
    let text = stderr_of(&warned);
    assert!(
        text.contains(&format!("chmod 600 {}", chosen.display())) && !text.contains("chmod 700"),
        "{text}"
    );
}
