//! The shapes a query answer has had in anyfast's documentation.

/// The shape of query answers.
///
/// With the `cli` feature it is a clap `ValueEnum` (`wrapper`, `flat`, `ark`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Shape {
    /// The documented wrapper `{code, message, data: {..., data: <upstream task>}}`.
    #[default]
    Wrapper,
    /// The older flat shape `{id, model, status: processing|completed|failed, video_url, created_at}`.
    Flat,
    /// The older Ark-like shape `{id, status: submitted|processing|succeeded|failed, content, error, usage}`.
    Ark,
}

impl Shape {
    /// Every shape, for drift to choose from.
    pub(crate) const ALL: [Shape; 3] = [Shape::Wrapper, Shape::Flat, Shape::Ark];
}
