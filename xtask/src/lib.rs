//! The library half of `cargo xtask`: the parts its integration tests call directly. The
//! commands themselves are in `main.rs`.

#![forbid(unsafe_code)]

pub mod diff;
