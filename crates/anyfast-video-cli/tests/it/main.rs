//! The command line's integration tests, one binary: the program run as a user runs it
//! (`assert_cmd`), against anyfast-mock, several at once on one journal, killed and signalled.

mod causes;
mod cli;
mod common;
mod doctor;
mod families;
mod journal;
mod pairs;
#[cfg(unix)]
mod private;
mod surface;
mod workers;
