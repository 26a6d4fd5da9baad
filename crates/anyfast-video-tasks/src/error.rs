//! The one error type of durable tasks: the client's errors, and those of the store and its
//! leases.

use crate::record::{Holder, TaskState};

/// What can go wrong with a durable task: an error of the client ([`Error::Video`]: the API,
/// the network, a failed task, a download), or of the task store and its leases. Every error
/// after a task was created carries its id ([`Error::task_id`]).
///
/// ```
/// use anyfast_video_tasks::Error;
///
/// let error = Error::KeyReused { key: "order-7".into(), task_id: Some("cgt-1".into()) };
/// assert_eq!(error.task_id(), Some("cgt-1"));
/// assert_eq!(
///     error.to_string(),
///     "the idempotency key order-7 was used for another request (task cgt-1)",
/// );
/// let video: Error = anyfast_video::Error::Config("no key".into()).into();
/// assert!(matches!(video, Error::Video(_)));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client's error: the request, the API, the network, the task, the download.
    #[error(transparent)]
    Video(#[from] anyfast_video::Error),

    /// The task store failed (unreachable, refused a file, an error of its own). Before a
    /// create, nothing was sent; after one, `task_id` names the task, which goes on.
    #[error("task store: {detail}{}", task_hint(.task_id.as_deref()))]
    Store {
        /// What went wrong, with the store's location.
        detail: String,
        /// The task concerned, when one was created.
        task_id: Option<String>,
    },

    /// Another process holds the task's record (its lease has not expired, and it has not
    /// been seen gone): it is being finished there, and is not worked on here too.
    #[error("{} is being finished by {holder}", which(.key, .task_id.as_deref()))]
    HeldElsewhere {
        /// The record's key.
        key: String,
        /// The task, when it was created.
        task_id: Option<String>,
        /// Who holds it.
        holder: Box<Holder>,
    },

    /// This process lost the task's lease while working on it (another took it over after it
    /// expired, or the store could not be reached to renew it), and stopped. The task goes on.
    #[error("stopped working on {}: {why}", which(.key, .task_id.as_deref()))]
    LeaseLost {
        /// The record's key.
        key: String,
        /// The task, when it was created.
        task_id: Option<String>,
        /// Why the lease was lost.
        why: String,
    },

    /// The task store's record of this key says it ended already without a video (the create
    /// was refused, or never sent and there is no request to send): nothing was sent again.
    #[error("the record of key {key} says {state}{}{}", task_hint(.task_id.as_deref()), .detail.as_deref().map(|detail| format!(": {detail}")).unwrap_or_default())]
    Recorded {
        /// The record's key.
        key: String,
        /// Its task, if one was made.
        task_id: Option<String>,
        /// Its state.
        state: TaskState,
        /// What its record says went wrong.
        detail: Option<String>,
    },

    /// The task was created with another API key, which alone can see it: finish it with
    /// that key.
    #[error("{} was created with another API key (account {account}); only that key can finish it", which(.key, .task_id.as_deref()))]
    OtherAccount {
        /// The record's key.
        key: String,
        /// The task.
        task_id: Option<String>,
        /// The fingerprint of the key it was created with (never the key).
        account: String,
    },

    /// The idempotency key was used before for another request: refused before anything was
    /// sent, so that one key never stands for two tasks.
    #[error("the idempotency key {key} was used for another request{}", task_hint(.task_id.as_deref()))]
    KeyReused {
        /// The key.
        key: String,
        /// The task made for the first request, if one was.
        task_id: Option<String>,
    },
}

impl Error {
    /// The id of the task this error concerns, when one exists: present on every error that
    /// happened after a task was created.
    pub fn task_id(&self) -> Option<&str> {
        match self {
            Error::Video(error) => error.task_id(),
            Error::Store { task_id, .. }
            | Error::HeldElsewhere { task_id, .. }
            | Error::LeaseLost { task_id, .. }
            | Error::Recorded { task_id, .. }
            | Error::OtherAccount { task_id, .. }
            | Error::KeyReused { task_id, .. } => task_id.as_deref(),
        }
    }

    /// What caused this error, below its own message, each cause once (see
    /// [`anyfast_video::Error::causes`]); the store's own errors carry their cause in their
    /// message.
    ///
    /// ```
    /// use anyfast_video_tasks::Error;
    ///
    /// let error = Error::Store { detail: "tasks.sqlite: disk full".into(), task_id: None };
    /// assert!(error.causes().is_empty());
    /// ```
    pub fn causes(&self) -> Vec<String> {
        match self {
            Error::Video(error) => error.causes(),
            _ => Vec::new(),
        }
    }

    /// The client's error, when it is one.
    pub fn as_video(&self) -> Option<&anyfast_video::Error> {
        match self {
            Error::Video(error) => Some(error),
            _ => None,
        }
    }

    /// Attaches a task id to an error that has room for one and none yet.
    pub(crate) fn for_task(self, id: &str) -> Self {
        match self {
            Error::Video(error) => Error::Video(error.for_task(id)),
            Error::Store {
                detail,
                task_id: None,
            } => Error::Store {
                detail,
                task_id: Some(id.to_string()),
            },
            Error::LeaseLost {
                key,
                task_id: None,
                why,
            } => Error::LeaseLost {
                key,
                task_id: Some(id.to_string()),
                why,
            },
            other => other,
        }
    }

    /// A setting that cannot work (a store URL of no known kind, a backend left out of the
    /// build): the client's configuration error.
    #[cfg_attr(all(feature = "sqlite", feature = "postgres"), allow(dead_code))]
    pub(crate) fn config(detail: impl Into<String>) -> Error {
        Error::Video(anyfast_video::Error::Config(detail.into()))
    }
}

fn task_hint(task_id: Option<&str>) -> String {
    task_id
        .map(|id| format!(" (task {id})"))
        .unwrap_or_default()
}

fn which(key: &str, task_id: Option<&str>) -> String {
    match task_id {
        Some(id) => format!("task {id}"),
        None => format!("the task of key {key}"),
    }
}
