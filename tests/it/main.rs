//! The generated client's contract tests, one binary: it against httpmock and a local https
//! server, and its types' JSON Schemas against every example in the spec.

mod common;
mod contract;
mod library;
mod schemas;
mod snapshot;
mod tls;
