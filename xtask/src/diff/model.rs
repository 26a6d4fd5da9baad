//! What a comparison produces: one [`Change`] per difference, judged twice, on the wire and in
//! the regenerated code, by the [`Rule`] that recognised it.

use super::rules::Rule;
pub use super::verdict::{Side, Verdict};

/// What `--fail-on` can name: the exit status is 1 when a change has one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// A change that breaks a client built from the older spec against the newer service.
    Wire,
    /// A change after which code written against the old generated client no longer compiles.
    Code,
    /// A change no rule could decide.
    Review,
}

/// One difference between the base and the head document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The rule that recognised the change; its id is stable.
    pub rule: &'static Rule,
    /// The operation the change belongs to (`POST /tasks`, `webhook newTask POST`), or `None`
    /// for the top of the document. The text report groups changes by it.
    pub operation: Option<String>,
    /// Where the change is, from the client's point of view: the operation and the part of it
    /// (`POST /v1/video/generations request body.duration`), or a top-level key (`info.version`).
    pub location: String,
    /// Whether the data is sent or received, when the change is about data.
    pub side: Option<Side>,
    /// Does a client built from the base document still work against a service that follows
    /// the head document?
    pub wire: Verdict,
    /// Does code written against the client generated from the base document still compile
    /// against the one `cargo xtask generate` makes from the head document?
    pub code: Verdict,
    /// Whether the change fails the default `--fail-on wire,code,review`: a break on the wire
    /// or in the code, or a change left for review.
    pub breaking: bool,
    /// What changed, in words (old and new values where they are short).
    pub detail: String,
}

impl Change {
    /// A change recognised by `rule`, with the rule's side and verdicts.
    pub fn new(rule: &'static Rule, location: &str, detail: impl Into<String>) -> Self {
        let mut change = Self {
            rule,
            operation: None,
            location: location.to_string(),
            side: rule.side,
            wire: rule.wire,
            code: rule.code,
            breaking: false,
            detail: detail.into(),
        };
        change.settle();
        change
    }

    /// Recomputes [`Change::breaking`] after a verdict was adjusted.
    pub fn settle(&mut self) {
        self.breaking = self.wire != Verdict::Ok || self.code != Verdict::Ok;
    }

    /// Whether this change fails a run with `--fail-on` set to `fail_on`.
    pub fn fails(&self, fail_on: &[FailOn]) -> bool {
        let review = self.wire == Verdict::Review || self.code == Verdict::Review;
        fail_on.iter().any(|reason| match reason {
            FailOn::Wire => self.wire == Verdict::Breaks,
            FailOn::Code => self.code == Verdict::Breaks,
            FailOn::Review => review,
        })
    }
}
