//! The library's integration tests, one binary (one link of the whole tree instead of one per
//! file): the modules each test one concern against anyfast-mock, httpmock or Prism, and
//! share their set-up in `common`. The reliability report (`tests/reliability`) is a binary of
//! its own: it prints its figures whether it passes or not, and its peak memory must be its
//! own.

mod answers;
mod common;
mod downloads;
mod drift;
mod errors;
mod families;
mod library;
mod lifecycle;
mod prism;
mod properties;
mod requests;
mod retries;
mod security;
