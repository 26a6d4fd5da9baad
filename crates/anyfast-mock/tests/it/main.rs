//! The mock's integration tests, one binary: the mock started in the test and talked to with
//! plain reqwest (its program too, in `binary`), as a client of the service would.

mod assets;
// The program itself, which the `cli` feature builds.
#[cfg(feature = "cli")]
mod binary;
mod common;
mod downloads;
mod drift;
mod families;
mod faults;
mod last_frame;
mod lifecycle;
mod models;
mod seedance;
