//! Ctrl-C: stop what is going on, and say how to pick the task up again.

use std::future::Future;
use std::path::Path;

use crate::args::Global;
use crate::exit::Failure;

/// Runs `work` unless Ctrl-C comes first; then `interrupted` says what was going on.
pub async fn interruptible<T>(
    work: impl Future<Output = T>,
    interrupted: impl FnOnce() -> Failure,
) -> Result<T, Failure> {
    tokio::select! {
        done = work => Ok(done),
        _ = tokio::signal::ctrl_c() => Err(interrupted()),
    }
}

/// The failure of a create interrupted by Ctrl-C: it may have made a task.
pub fn during_create() -> Failure {
    Failure::Interrupted {
        message: "interrupted during the create: a task may have been created anyway; look before creating it again".into(),
        task_id: None,
    }
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
            return Failure::Interrupted { message, task_id };
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
        Failure::Interrupted { message, task_id }
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
