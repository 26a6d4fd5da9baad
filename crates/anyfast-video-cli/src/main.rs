//! `anyfast-video`: make a video from the terminal.
#![forbid(unsafe_code)]

mod args;
mod commands;
mod connect;
mod exit;
mod interrupt;
mod journal;
mod logs;
mod output;
mod output_file;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use crate::args::Cli;
use crate::exit::Failure;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(error),
    };
    logs::init(cli.global.verbose);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let outcome = runtime.block_on(async {
        interrupt::listen();
        commands::run(&cli).await
    });
    match outcome {
        Ok(report) => {
            if cli.global.json {
                println!("{}", report.json);
            } else {
                println!("{}", report.human);
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            report_failure(&failure, cli.global.json);
            ExitCode::from(failure.code())
        }
    }
}

/// A command line clap refused. With `--json` anywhere on it, the error is also one JSON
/// object on stdout, like every other error; help and version are printed as usual.
fn usage_error(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let informational = matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    let wants_json = std::env::args_os().any(|arg| arg == "--json");
    if informational || !wants_json {
        error.exit();
    }
    let _ = error.print();
    let rendered = error.render().to_string();
    let first_line = rendered.lines().next().unwrap_or_default();
    let message = first_line.trim_start_matches("error: ").to_string();
    println!("{}", Failure::Usage(message).to_json());
    ExitCode::from(2)
}

fn report_failure(failure: &Failure, json: bool) {
    eprintln!("error: {}", failure.message());
    if let Some(hint) = failure.hint() {
        eprintln!("hint: {hint}");
    }
    if json {
        println!("{}", failure.to_json());
    } else if let Failure::Summary { human, .. } = failure {
        // Many things were done: what became of each is the report, on stdout as on success.
        println!("{human}");
    }
}
