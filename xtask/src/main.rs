//! `cargo xtask`: the project's own automation. Run `cargo xtask help` for the commands.

#![forbid(unsafe_code)]

mod examples;
mod operations;
mod snapshots;
mod workspace;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Keeps the generated client true to openapi.yaml",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the committed snapshots under generated/ from openapi.yaml.
    Generate,
    /// Fail when openapi.yaml does not parse, an operation lacks an operationId or tag, an
    /// example does not validate against its schema, or a snapshot under generated/ is stale.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Generate => generate(),
        Command::Check => check(),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn generate() -> Result<()> {
    let spec = workspace::read_spec()?;
    for path in snapshots::write(&spec)? {
        println!("wrote {}", path.display());
    }
    Ok(())
}

fn check() -> Result<()> {
    let spec = workspace::read_spec()?;
    let document = anyfast_video_codegen::spec_to_json(&spec)?;
    let mut problems = operations::problems(&document);
    problems.extend(examples::problems(&document)?);
    problems.extend(snapshots::problems(&spec)?);
    if problems.is_empty() {
        println!("openapi.yaml and the snapshots under generated/ are consistent");
        return Ok(());
    }
    for problem in &problems {
        eprintln!("{problem}\n");
    }
    anyhow::bail!("{} problem(s) found", problems.len())
}
