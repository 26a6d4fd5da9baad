//! `anyfast-video`: make a video from the terminal.
#![forbid(unsafe_code)]

mod args;
mod commands;
mod connect;
mod exit;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use crate::args::Cli;
use crate::exit::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let outcome = runtime.block_on(async {
        let connection = connect::connect(&cli.global).await?;
        commands::run(&cli.command, &connection, &cli.global).await
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

fn report_failure(failure: &Failure, json: bool) {
    eprintln!("error: {}", failure.message());
    if json {
        println!("{}", failure.to_json());
    }
}
