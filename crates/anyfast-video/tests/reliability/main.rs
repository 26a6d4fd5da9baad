//! Reliability and security in figures, printed as a summary by `cargo test` (this test has
//! its own `main`, so its report is shown whether it passes or not):
//!
//! - the fault matrix: every fault anyfast-mock injects × create, get, wait, download and
//!   generate, each cell's outcome asserted; task ids lost and duplicate creates counted;
//! - the bad-input table: invalid requests refused by the client with the field and the rule
//!   named and nothing sent, and the same bodies sent raw refused by the mock;
//! - the key sweep: every call traced at TRACE, every error formatted, the mock's log read: the
//!   key appears nowhere, and never on the download host;
//! - load with faults: thousands of concurrent waits against a mock failing 5 % with 5xx and
//!   5 % with 429 (1,000 here; `RELIABILITY_WAITS=10000` for the full run).

mod bad_input;
// The suites' shared set-up, of which the report uses a part.
#[allow(dead_code)]
#[path = "../it/common.rs"]
mod common;
mod faults;
mod keys;
mod load;
mod support;

use std::process::ExitCode;

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    // The key sweep captures every log line of the process, so it is installed first.
    let logs = keys::capture_logs();
    // The load runs first, so that the peak memory it reports is its own (the bad-input table
    // builds request bodies of tens of megabytes).
    let load = runtime.block_on(load::run());
    let faults = runtime.block_on(faults::run());
    let bad_input = runtime.block_on(bad_input::run());
    let keys = runtime.block_on(keys::run(&logs));

    println!("\n== reliability and security summary");
    println!("{}", faults.summary());
    println!("{}", bad_input.summary());
    println!("{}", keys.summary());
    println!("{}", load.summary());
    let problems: Vec<String> = [
        faults.problems,
        bad_input.problems,
        keys.problems,
        load.problems,
    ]
    .concat();
    if problems.is_empty() {
        println!("all held\n");
        ExitCode::SUCCESS
    } else {
        println!("{} problem(s):", problems.len());
        for problem in &problems {
            println!("  - {problem}");
        }
        ExitCode::FAILURE
    }
}
