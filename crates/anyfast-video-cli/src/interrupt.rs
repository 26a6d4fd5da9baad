//! Ctrl-C, SIGTERM and SIGHUP (what `timeout`, systemd, Docker and Kubernetes send, and a
//! closed terminal): stop what is going on, leave no file behind, and say how to pick the task
//! up again. The exit code is the shell's for the signal: 130, 143, 129.

use std::future::Future;
use std::path::Path;

use crate::args::Global;
use crate::exit::{Failure, Signal};

/// The signal that stopped the program, once one came: one listener for the whole program, so
/// that every `interruptible` (nested ones too) sees the same signal at once.
static STOPPED: std::sync::OnceLock<tokio::sync::watch::Receiver<Option<Signal>>> =
    std::sync::OnceLock::new();

/// Starts listening for the stop signals (inside the runtime, before any command runs).
pub fn listen() {
    let (tell, told) = tokio::sync::watch::channel(None);
    if STOPPED.set(told).is_ok() {
        tokio::spawn(async move {
            let _ = tell.send(Some(receive_signal().await));
        });
    }
}

/// Ready when a stop signal has come (never, without [`listen`]).
async fn stopped() -> Signal {
    let Some(told) = STOPPED.get() else {
        return std::future::pending().await;
    };
    let mut told = told.clone();
    loop {
        if let Some(signal) = *told.borrow_and_update() {
            return signal;
        }
        if told.changed().await.is_err() {
            return std::future::pending().await;
        }
    }
}

/// Ready when one of the signals that stop the program comes.
async fn receive_signal() -> Signal {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (terminate, hang_up) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        );
        if let (Ok(mut terminate), Ok(mut hang_up)) = (terminate, hang_up) {
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => Signal::Interrupt,
                _ = terminate.recv() => Signal::Terminate,
                _ = hang_up.recv() => Signal::HangUp,
            };
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    Signal::Interrupt
}

/// How many `interruptible` calls are running, one inside the other: only the innermost one
/// answers a signal (it knows best what was going on, and how to resume it).
static DEPTH: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Runs `work` unless a stop signal comes first; then `interrupted` says what was going on
/// (dropping `work` stops it: a download's partial file is removed, a lease released). Nested
/// calls: the innermost one answers.
pub async fn interruptible<T>(
    work: impl Future<Output = T>,
    interrupted: impl FnOnce() -> Failure,
) -> Result<T, Failure> {
    use std::sync::atomic::Ordering;
    struct Level;
    impl Drop for Level {
        fn drop(&mut self) {
            DEPTH.fetch_sub(1, Ordering::SeqCst);
        }
    }
    let depth = DEPTH.fetch_add(1, Ordering::SeqCst) + 1;
    let _level = Level;
    let innermost_stopped = async {
        let signal = stopped().await;
        // An inner call answers for its part; this one waits for it to end (its work then ends
        // with the inner call's answer).
        while DEPTH.load(Ordering::SeqCst) > depth {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        signal
    };
    tokio::select! {
        biased;
        done = work => Ok(done),
        signal = innermost_stopped => Err(interrupted().by(signal)),
    }
}

/// The failure of a create interrupted by a signal: it may have made a task.
pub fn during_create() -> Failure {
    Failure::interrupted(
        "interrupted during the create: a task may have been created anyway; look before creating it again",
        None,
    )
}

/// What it takes to pick a task up again after Ctrl-C.
pub struct Resume<'a> {
    pub global: &'a Global,
    pub mocked: bool,
}

impl Resume<'_> {
    /// The interruption of `command` on task `id`, with the command line that resumes it.
    pub fn interrupted(&self, command: &str, id: &str, output: Option<&Path>) -> Failure {
        let task_id = Some(id.to_string());
        if self.mocked {
            let message = format!(
                "interrupted: task {id} lived in the --mock service, which ends with this process"
            );
            return Failure::interrupted(message, task_id);
        }
        let mut line = format!("anyfast-video {command} {}", shell_quote(id));
        if let Some(output) = output {
            line.push_str(&format!(
                " -o {}",
                shell_quote(&output.display().to_string())
            ));
        }
        if let Some(base_url) = &self.global.base_url {
            line.push_str(&format!(" --base-url {}", shell_quote(base_url)));
        }
        if let Some(key_file) = &self.global.api_key_file {
            line.push_str(&format!(
                " --api-key-file {}",
                shell_quote(&key_file.display().to_string())
            ));
        }
        let message = format!("interrupted: task {id} goes on at anyfast. Resume with: {line}");
        Failure::interrupted(message, task_id)
    }
}

/// `text` as one word for a POSIX shell.
fn shell_quote(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn words_a_shell_would_split_are_quoted() {
        assert_eq!(shell_quote("cgt-1"), "cgt-1");
        assert_eq!(shell_quote("out/cat.mp4"), "out/cat.mp4");
        assert_eq!(shell_quote("my cat.mp4"), "'my cat.mp4'");
        assert_eq!(shell_quote("it's.mp4"), "'it'\\''s.mp4'");
        assert_eq!(shell_quote(""), "''");
    }
}
