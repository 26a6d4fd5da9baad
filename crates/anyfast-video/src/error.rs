//! The one error type of this crate.

use std::path::PathBuf;
use std::time::Duration;

use anyfast_video_api::validate::{Rule, Violation, Violations};

/// Everything that can go wrong, in one enum. Its Display is one sentence; every error that
/// happens after a task was created carries the task's id ([`Error::task_id`]), so no task is
/// ever lost.
///
/// ```
/// use anyfast_video::Error;
///
/// let error = Error::TaskFailed {
///     task_id: "cgt-1".into(),
///     reason: "the input image may contain real people".into(),
///     code: Some("InputImageSensitiveContentDetected".into()),
/// };
/// assert_eq!(error.task_id(), Some("cgt-1"));
/// assert_eq!(
///     error.to_string(),
///     "task cgt-1 failed (InputImageSensitiveContentDetected): the input image may contain real people",
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks a rule of the API; nothing was sent.
    #[error("invalid request: {}", Violations(.violations.to_vec()))]
    InvalidRequest {
        /// Each broken rule with the field it concerns (never empty).
        violations: Vec<Violation>,
    },

    /// The client is set up wrongly (no key, a key with a line break, a plain-http base URL).
    #[error("{0}")]
    Config(String),

    /// The API answered with an error status.
    #[error("{}", describe_api_error(*.status, .code.as_deref(), .message, .request_id.as_deref(), .task_id.as_deref()))]
    Api {
        /// The HTTP status.
        status: u16,
        /// The error code (`invalid_api_key`, `InvalidParameter`, ...), from whichever body
        /// shape the server used, JSON nested in `message` included.
        code: Option<String>,
        /// The message.
        message: String,
        /// The request id the message or headers named, for support.
        request_id: Option<String>,
        /// The task concerned, when the call was about one.
        task_id: Option<String>,
        /// How long the server asked to wait (`Retry-After`), when it did.
        retry_after: Option<Duration>,
    },

    /// The account is out of credit (`insufficient_user_quota`), or the key past its own
    /// spending cap (`pre_consume_token_quota_failed`): nothing was made (quota is taken before a
    /// task is), and every later create fails the same way until someone tops up. Not retried.
    #[error("{}: {message}{}", quota_hint(.code), task_hint(.task_id.as_deref()))]
    OutOfCredit {
        /// `insufficient_user_quota` or `pre_consume_token_quota_failed`.
        code: String,
        /// The gateway's message.
        message: String,
        /// The request id, when the answer named one.
        request_id: Option<String>,
        /// The task concerned, when the call was about one.
        task_id: Option<String>,
    },

    /// The API refused the call for now (HTTP 429) and retries ran out.
    #[error("rate limited by the API{}{}: {message}", retry_hint(*.retry_after), task_hint(.task_id.as_deref()))]
    RateLimited {
        /// How long the server asked to wait.
        retry_after: Option<Duration>,
        /// The server's message.
        message: String,
        /// The task concerned, when the call was about one.
        task_id: Option<String>,
    },

    /// The task ended without a video.
    #[error("task {task_id} failed{}: {reason}", .code.as_deref().map(|code| format!(" ({code})")).unwrap_or_default())]
    TaskFailed {
        /// The task.
        task_id: String,
        /// Why, as the service says.
        reason: String,
        /// The upstream error code, e.g. `SensitiveContentDetected`.
        code: Option<String>,
    },

    /// A create whose outcome is unknown: the request may have reached the server, which may
    /// have made (and billed) the task although no usable answer came back. It was not
    /// retried (unless the retry policy opted in).
    #[error(
        "the create request {what}, so the task may have been created anyway ({}idempotency key {idempotency_key}); check before creating it again",
        .task_id.as_deref().map(|id| format!("perhaps as task {id}; ")).unwrap_or_default()
    )]
    CreateOutcomeUnknown {
        /// What happened: "timed out after 300 s", "lost its connection", "was answered 200
        /// without a task id", ...
        what: String,
        /// The `Idempotency-Key` the create carried.
        idempotency_key: String,
        /// An id-like value found in the answer, when one came: the task it names may be the
        /// one created (query it before creating again).
        task_id: Option<String>,
        /// The start of the answer's body (at most 4 KiB), when one came.
        body: Option<String>,
    },

    /// Waiting for a task took longer than its deadline. The task goes on: wait again later.
    #[error(
        "gave up waiting for task {task_id} after {waited:?}; it was {status} (wait again to resume){}",
        .last_error.as_ref().map(|error| format!("; the last error: {error}")).unwrap_or_default()
    )]
    WaitTimeout {
        /// The task.
        task_id: String,
        /// How long was waited.
        waited: Duration,
        /// Its last known status (`unknown` when no answer could be read).
        status: String,
        /// The last error seen while polling, when the last poll failed: why the status may be
        /// stale.
        #[source]
        last_error: Option<Box<Error>>,
    },

    /// An uploaded asset did not become Active in time. It may still: wait again, or use it
    /// later.
    #[error("asset {asset_id} was still {status} after {waited:?}")]
    AssetNotActive {
        /// The asset.
        asset_id: String,
        /// How long was waited.
        waited: Duration,
        /// Its last known status.
        status: String,
    },

    /// The network failed (connect, timeout, reset) and retries ran out.
    #[error("{operation} failed{}: {source}", task_hint(.task_id.as_deref()))]
    Transport {
        /// `create`, `get`, `download`.
        operation: &'static str,
        /// The task concerned, when the call was about one.
        task_id: Option<String>,
        /// What reqwest reported.
        #[source]
        source: reqwest::Error,
    },

    /// The API answered something this client cannot read: not JSON, or JSON without what is
    /// essential (a task id, a status word, a succeeded task's video URL).
    #[error("unreadable answer to {operation}{}: {detail}", task_hint(.task_id.as_deref()))]
    InvalidResponse {
        /// `create`, `get`, `wait`.
        operation: &'static str,
        /// The task concerned: the one asked about, or an id-like value found in a create's
        /// answer.
        task_id: Option<String>,
        /// What was wrong.
        detail: String,
        /// The start of the body (at most 4 KiB).
        body: String,
    },

    /// The download went wrong in a way retrying did not fix.
    #[error("download of task {task_id} failed: {detail}")]
    Download {
        /// The task.
        task_id: String,
        /// What went wrong.
        detail: String,
    },

    /// The storage host refused the video's link (403): links last 24 hours. A fresh one was
    /// asked for (the task queried again) and refused too.
    #[error("the link to task {task_id}'s video expired (links last 24 hours) and a fresh one was refused too{}", .age.map(|age| format!("; the task is {} old", hours_or_days(age))).unwrap_or_default())]
    LinkExpired {
        /// The task.
        task_id: String,
        /// How old the task is, when its answer said.
        age: Option<Duration>,
    },

    /// Reading an input file or writing the video failed.
    #[error("{}{}: {source}", .path.display(), task_hint(.task_id.as_deref()))]
    Io {
        /// The file.
        path: PathBuf,
        /// The task concerned, for a download.
        task_id: Option<String>,
        /// The cause.
        #[source]
        source: std::io::Error,
    },

    /// The API answered with a redirect that was not followed: to another origin (which must
    /// not receive the key, nor a create's body), or one that would change the request (301,
    /// 302 and 303 turn a POST into a GET). Nothing was processed.
    #[error("the API answered {status} to {operation}{}, redirecting to {to}: not followed, because requests that carry the API key go only to the API's own address with their method and body unchanged (if the API moved, set the base URL to its new address)", task_hint(.task_id.as_deref()))]
    Redirected {
        /// `create`, `get`, ...
        operation: &'static str,
        /// The redirect's status (301, 302, 303, 307, 308).
        status: u16,
        /// Where it pointed: scheme, host and port only.
        to: String,
        /// The task concerned, when the call was about one.
        task_id: Option<String>,
    },
}

impl Error {
    /// The id of the task this error concerns, when one exists: present on every error that
    /// happened after a task was created.
    pub fn task_id(&self) -> Option<&str> {
        match self {
            Error::TaskFailed { task_id, .. }
            | Error::WaitTimeout { task_id, .. }
            | Error::Download { task_id, .. }
            | Error::LinkExpired { task_id, .. } => Some(task_id),
            Error::Api { task_id, .. }
            | Error::RateLimited { task_id, .. }
            | Error::Transport { task_id, .. }
            | Error::InvalidResponse { task_id, .. }
            | Error::Io { task_id, .. }
            | Error::CreateOutcomeUnknown { task_id, .. }
            | Error::Redirected { task_id, .. }
            | Error::OutOfCredit { task_id, .. } => task_id.as_deref(),
            Error::InvalidRequest { .. } | Error::Config(_) | Error::AssetNotActive { .. } => None,
        }
    }

    /// How long the server asked to wait before trying again (`Retry-After`), when it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } | Error::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The first field a validation error names.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidRequest { violations } => violations.first().map(|v| v.field.as_str()),
            _ => None,
        }
    }

    /// What caused this error, below its own message: its [`source`](std::error::Error::source)
    /// chain, outermost first, each cause as its own text, leaving out a cause whose text is
    /// already shown above it (a message that quotes its source). The cause is what a person
    /// acts on: `Connection refused`, `dns error: …`, `invalid peer certificate: UnknownIssuer`.
    ///
    /// ```
    /// use anyfast_video::Error;
    ///
    /// // Its message quotes the I/O error already: nothing is repeated.
    /// let error = Error::Io {
    ///     path: "cat.png".into(),
    ///     task_id: None,
    ///     source: std::io::Error::other("permission denied"),
    /// };
    /// assert_eq!(error.to_string(), "cat.png: permission denied");
    /// assert!(error.causes().is_empty());
    /// ```
    pub fn causes(&self) -> Vec<String> {
        causes(self)
    }

    /// Attaches a task id to an error that has room for one and none yet (a layer above that
    /// knows which task a failed call was about says so).
    ///
    /// ```
    /// use anyfast_video::Error;
    ///
    /// let error = Error::Config("x".into()).for_task("cgt-1");
    /// assert_eq!(error.task_id(), None); // no room for one
    /// ```
    pub fn for_task(mut self, id: &str) -> Self {
        match &mut self {
            Error::Api { task_id, .. }
            | Error::RateLimited { task_id, .. }
            | Error::Transport { task_id, .. }
            | Error::InvalidResponse { task_id, .. }
            | Error::Io { task_id, .. }
            | Error::Redirected { task_id, .. } => {
                task_id.get_or_insert_with(|| id.to_string());
            }
            _ => {}
        }
        self
    }
}

impl From<Violation> for Error {
    fn from(violation: Violation) -> Self {
        Error::InvalidRequest {
            violations: vec![violation],
        }
    }
}

impl From<Violations> for Error {
    fn from(violations: Violations) -> Self {
        Error::InvalidRequest {
            violations: violations.0,
        }
    }
}

/// An I/O error on `path` (a download's file names its task).
pub(crate) fn io(path: &std::path::Path, task_id: Option<&str>, source: std::io::Error) -> Error {
    let (path, task_id) = (path.to_path_buf(), task_id.map(str::to_string));
    Error::Io {
        path,
        task_id,
        source,
    }
}

/// The error of a request that breaks `rule` at `field`.
pub(crate) fn invalid(field: impl Into<String>, rule: Rule) -> Error {
    let field = field.into();
    Violation { field, rule }.into()
}

/// The texts of `error`'s sources (see [`Error::causes`]), each once.
fn causes(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut shown = error.to_string();
    let mut causes = Vec::new();
    let mut next = error.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !text.is_empty() && !shown.contains(&text) {
            shown.push_str(": ");
            shown.push_str(&text);
            causes.push(text);
        }
        next = cause.source();
    }
    causes
}

/// `error`'s message followed by its causes, in one line: for the errors that keep another's
/// text rather than the error itself (a download's detail, a create's uncertainty).
pub(crate) fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    std::iter::once(error.to_string())
        .chain(causes(error))
        .collect::<Vec<_>>()
        .join(": ")
}

/// `5 hours`, `3 days`: how old a task is, for a person.
fn hours_or_days(age: Duration) -> String {
    let hours = age.as_secs() / 3600;
    match hours {
        0 => "less than an hour".to_string(),
        1 => "1 hour".to_string(),
        2..48 => format!("{hours} hours"),
        _ => format!("{} days", hours / 24),
    }
}

fn task_hint(task_id: Option<&str>) -> String {
    task_id
        .map(|id| format!(" (task {id})"))
        .unwrap_or_default()
}

/// What a quota error means, and what to do about it.
fn quota_hint(code: &str) -> String {
    if code == "pre_consume_token_quota_failed" {
        format!(
            "this API key has reached its own spending limit ({code}): raise it in anyfast's console, or use another key"
        )
    } else {
        format!(
            "out of credit ({code}): top up the anyfast account this key belongs to (the console at www.anyfast.ai or www.anyfast.com.cn), then run again; nothing was made"
        )
    }
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    retry_after
        .map(|wait| format!(", retry after {} s", wait.as_secs()))
        .unwrap_or_default()
}

fn describe_api_error(
    status: u16,
    code: Option<&str>,
    message: &str,
    request_id: Option<&str>,
    task_id: Option<&str>,
) -> String {
    let mut text = format!("the API answered {status}");
    if let Some(code) = code {
        text.push_str(&format!(" ({code})"));
    }
    text.push_str(&task_hint(task_id));
    if !message.is_empty() {
        text.push_str(&format!(": {message}"));
    }
    if let Some(request_id) = request_id.filter(|id| !message.contains(id)) {
        text.push_str(&format!(" [request id {request_id}]"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyfast_video_api::validate::Rule;

    #[test]
    fn every_error_reads_as_one_sentence() {
        let cases = [
            (
                Error::InvalidRequest {
                    violations: vec![Violation {
                        field: "duration".into(),
                        rule: Rule::Duration,
                    }],
                },
                "invalid request: duration: must be 4 to 15 seconds, or -1 to let the model choose",
            ),
            (
                Error::Api {
                    status: 401,
                    code: Some("invalid_api_key".into()),
                    message: "Invalid API key provided".into(),
                    request_id: Some("r-1".into()),
                    task_id: None,
                    retry_after: None,
                },
                "the API answered 401 (invalid_api_key): Invalid API key provided [request id r-1]",
            ),
            (
                Error::RateLimited {
                    retry_after: Some(Duration::from_secs(7)),
                    message: "slow down".into(),
                    task_id: Some("cgt-1".into()),
                },
                "rate limited by the API, retry after 7 s (task cgt-1): slow down",
            ),
            (
                Error::CreateOutcomeUnknown {
                    what: "timed out after 300 s".into(),
                    idempotency_key: "k-1".into(),
                    task_id: None,
                    body: None,
                },
                "the create request timed out after 300 s, so the task may have been created anyway (idempotency key k-1); check before creating it again",
            ),
            (
                Error::CreateOutcomeUnknown {
                    what: "was answered 200 without a task id".into(),
                    idempotency_key: "k-1".into(),
                    task_id: Some("cgt-9".into()),
                    body: Some("{}".into()),
                },
                "the create request was answered 200 without a task id, so the task may have been created anyway (perhaps as task cgt-9; idempotency key k-1); check before creating it again",
            ),
            (
                Error::WaitTimeout {
                    task_id: "cgt-1".into(),
                    waited: Duration::from_secs(600),
                    status: "running".into(),
                    last_error: None,
                },
                "gave up waiting for task cgt-1 after 600s; it was running (wait again to resume)",
            ),
            (
                Error::WaitTimeout {
                    task_id: "cgt-1".into(),
                    waited: Duration::from_secs(600),
                    status: "unknown".into(),
                    last_error: Some(Box::new(Error::Api {
                        status: 503,
                        code: None,
                        message: "busy".into(),
                        request_id: None,
                        task_id: Some("cgt-1".into()),
                        retry_after: None,
                    })),
                },
                "gave up waiting for task cgt-1 after 600s; it was unknown (wait again to resume); the last error: the API answered 503 (task cgt-1): busy",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
    }

    #[test]
    fn causes_are_the_source_chain_without_what_the_messages_above_show() {
        /// An error with a cause of its own, as reqwest's and hyper's are.
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("tcp connect error")
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let error = Error::WaitTimeout {
            task_id: "cgt-1".into(),
            waited: Duration::from_secs(1),
            status: "unknown".into(),
            last_error: Some(Box::new(Error::Io {
                path: "x".into(),
                task_id: None,
                source: std::io::Error::other(Outer(refused)),
            })),
        };
        // The timeout's message quotes its last error, which quotes the I/O error, which shows
        // `Outer`: only what lies below them is a cause of its own.
        assert_eq!(error.causes(), ["connection refused"]);
        assert!(
            with_causes(&error)
                .ends_with("the last error: x: tcp connect error: connection refused"),
            "{}",
            with_causes(&error)
        );
    }

    #[test]
    fn a_task_id_is_attached_once_and_read_back() {
        let error = Error::InvalidResponse {
            operation: "get",
            task_id: None,
            detail: "x".into(),
            body: String::new(),
        }
        .for_task("cgt-1")
        .for_task("cgt-2");
        assert_eq!(error.task_id(), Some("cgt-1"));
        assert!(error.to_string().contains("(task cgt-1)"));
    }
}
