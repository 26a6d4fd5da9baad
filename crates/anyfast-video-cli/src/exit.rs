//! How the program ends: the documented exit codes, and the error printed with each.

use std::fmt;

use anyfast_video::Error as VideoError;
use anyfast_video_tasks::Error;
use serde_json::{Value, json};

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The client (or its task journal) reported an error.
    Client(Error),
    /// The command line cannot work as given (no key, an unreadable key file, an output file
    /// that exists without --force).
    Usage(String),
    /// A local file cannot be written (its folder is missing, it is a folder).
    File(String),
    /// A stop signal (Ctrl-C, SIGTERM, SIGHUP): what was going on and how to pick it up
    /// again, and the task, if one exists.
    Interrupted {
        message: String,
        task_id: Option<String>,
        signal: Signal,
    },
    /// Many things were done and some did not succeed: the report lists each, the code says
    /// how the first one failed.
    Summary {
        message: String,
        code: u8,
        report: Value,
        human: String,
    },
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Client(error)
    }
}

impl From<VideoError> for Failure {
    fn from(error: VideoError) -> Self {
        Failure::Client(error.into())
    }
}

impl Failure {
    /// An interruption (by Ctrl-C until [`Failure::by`] says which signal).
    pub fn interrupted(message: impl Into<String>, task_id: Option<String>) -> Failure {
        Failure::Interrupted {
            message: message.into(),
            task_id,
            signal: Signal::Interrupt,
        }
    }

    /// The same interruption, by `by`: the exit code and the message say which signal.
    pub fn by(self, by: Signal) -> Failure {
        match self {
            Failure::Interrupted {
                message, task_id, ..
            } => {
                let message = match (by, message.strip_prefix("interrupted")) {
                    (Signal::Interrupt, _) | (_, None) => message,
                    (_, Some(rest)) => format!("interrupted by {by}{rest}"),
                };
                Failure::Interrupted {
                    message,
                    task_id,
                    signal: by,
                }
            }
            other => other,
        }
    }

    /// The exit code: 1 local file, 2 usage or validation, 3 API, 4 task failed, 5 timed
    /// out, 130 interrupted.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::File(_) => 1,
            Failure::Interrupted { signal, .. } => signal.exit_code(),
            Failure::Summary { code, .. } => *code,
            Failure::Client(error) => match error.as_video() {
                Some(VideoError::InvalidRequest { .. } | VideoError::Config(_)) => 2,
                Some(VideoError::TaskFailed { .. }) => 4,
                Some(VideoError::WaitTimeout { .. }) => 5,
                Some(VideoError::Transport { source, .. }) if source.is_timeout() => 5,
                Some(VideoError::Io { .. }) => 1,
                _ => 3,
            },
        }
    }

    /// One sentence for stderr: the error, then what caused it (each clause once), which is
    /// what the user acts on ("…: Connection refused").
    pub fn message(&self) -> String {
        match self {
            Failure::Client(error) => one_line(error),
            Failure::Usage(message)
            | Failure::File(message)
            | Failure::Interrupted { message, .. }
            | Failure::Summary { message, .. } => message.clone(),
        }
    }

    /// What to do about it, where the cause tells.
    pub fn hint(&self) -> Option<&'static str> {
        let Failure::Client(error) = self else {
            return None;
        };
        let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(cause) = next {
            let refused = cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused);
            let text = cause.to_string();
            // As rustls and hyper word them; a download's or an uncertain create's error
            // keeps only the text of its cause.
            if text.contains("invalid peer certificate") {
                return Some(UNTRUSTED);
            } else if text.contains("dns error") {
                return Some(UNRESOLVED);
            } else if refused {
                return Some(REFUSED);
            }
            next = cause.source();
        }
        None
    }

    /// The JSON object printed on stdout with `--json`.
    pub fn to_json(&self) -> Value {
        if let Failure::Summary { report, .. } = self {
            return report.clone();
        }
        let (kind, task_id, field) = match self {
            Failure::Usage(_) => ("usage", None, None),
            Failure::File(_) => ("io", None, None),
            Failure::Summary { .. } => ("summary", None, None),
            Failure::Interrupted { task_id, .. } => ("interrupted", task_id.as_deref(), None),
            Failure::Client(error) => (
                kind_of(error),
                error.task_id(),
                error.as_video().and_then(VideoError::field),
            ),
        };
        let cause = match self {
            Failure::Client(error) => error.causes(),
            _ => Vec::new(),
        };
        json!({"error": {
            "kind": kind,
            "message": self.message(),
            "cause": cause,
            "hint": self.hint(),
            "task_id": task_id,
            "field": field,
            "exit_code": self.code(),
        }})
    }
}

/// A client error and what caused it, in one line, each clause once.
pub fn one_line(error: &Error) -> String {
    std::iter::once(error.to_string())
        .chain(error.causes())
        .collect::<Vec<_>>()
        .join(": ")
}

/// The hint for a certificate the platform's verifier refused. (rustls-platform-verifier reads
/// the system's roots through rustls-native-certs, which reads SSL_CERT_FILE and SSL_CERT_DIR
/// instead when either is set.)
const UNTRUSTED: &str = "the server's certificate is not trusted here: certificates are checked against the system's trust store, or, when SSL_CERT_FILE (a PEM file) or SSL_CERT_DIR is set, against those instead; add the CA that signed it there (a company proxy's CA, for one)";

const UNRESOLVED: &str = "the base URL's host name does not resolve: check --base-url (or ANYFAST_BASE_URL) and the network";

const REFUSED: &str =
    "nothing listens at the base URL's address: check --base-url (or ANYFAST_BASE_URL)";

fn kind_of(error: &Error) -> &'static str {
    let Error::Video(error) = error else {
        return match error {
            Error::Store { .. } => "store",
            Error::HeldElsewhere { .. } => "held_elsewhere",
            Error::LeaseLost { .. } => "lease_lost",
            Error::Recorded { .. } => "recorded",
            Error::OtherAccount { .. } => "other_account",
            Error::KeyReused { .. } => "key_reused",
            _ => "other",
        };
    };
    match error {
        VideoError::InvalidRequest { .. } => "invalid_request",
        VideoError::Config(_) => "config",
        VideoError::Api { .. } => "api",
        VideoError::RateLimited { .. } => "rate_limited",
        VideoError::TaskFailed { .. } => "task_failed",
        VideoError::CreateOutcomeUnknown { .. } => "create_outcome_unknown",
        VideoError::WaitTimeout { .. } => "wait_timeout",
        VideoError::Transport { .. } => "transport",
        VideoError::InvalidResponse { .. } => "invalid_response",
        VideoError::Download { .. } => "download",
        VideoError::Io { .. } => "io",
        VideoError::AssetNotActive { .. } => "asset_not_active",
        _ => "other",
    }
}

/// A signal that stops the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT, Ctrl-C.
    Interrupt,
    /// SIGTERM.
    Terminate,
    /// SIGHUP.
    HangUp,
}

impl Signal {
    /// The exit code a shell gives a program the signal ended: 128 + its number.
    pub fn exit_code(self) -> u8 {
        match self {
            Signal::Interrupt => 130,
            Signal::Terminate => 143,
            Signal::HangUp => 129,
        }
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Signal::Interrupt => "Ctrl-C",
            Signal::Terminate => "SIGTERM",
            Signal::HangUp => "SIGHUP",
        })
    }
}
