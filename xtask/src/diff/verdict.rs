//! The vocabulary of a judgement: which [`Side`] of an exchange a change is on, and each
//! [`Verdict`]. The rules are written in it and the changes carry it, so it sits below both.

use std::fmt;

/// Which way data flows through the schema being compared.
///
/// The same schema change is breaking on one side and harmless on the other: a request that
/// accepts more is fine for the client, a response that may carry more is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Data the client sends: parameters and request bodies (and what a callback receiver
    /// answers).
    Request,
    /// Data the client receives: response bodies and headers (and the requests of callbacks
    /// and webhooks).
    Response,
}

impl Side {
    /// The side whose rules apply inside a `not`, where accepting more means accepting less,
    /// and inside callbacks and webhooks, where the service sends the request.
    pub fn inverted(self) -> Self {
        match self {
            Side::Request => Side::Response,
            Side::Response => Side::Request,
        }
    }

    /// `request` or `response`, as printed in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }
}

/// One of a change's two judgements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Nothing that works today stops working.
    Ok,
    /// Something that works today can stop working.
    Breaks,
    /// No rule can decide; a person must look.
    Review,
}

impl Verdict {
    /// `ok`, `breaking` or `review`, as printed in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Breaks => "breaking",
            Verdict::Review => "review",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}
