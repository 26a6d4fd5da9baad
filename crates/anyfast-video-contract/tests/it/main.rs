//! The contract checks' integration tests, one binary: against anyfast-mock (plain and
//! drifting), and the recordings' redaction.

mod mock;
mod record;
