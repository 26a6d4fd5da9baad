//! `cargo xtask`: the project's own automation. Run `cargo xtask help` for the commands.

#![forbid(unsafe_code)]

mod contract;
mod drill;
mod examples;
mod lint;
mod modules;
mod operations;
mod snapshots;
mod workspace;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};
use xtask::diff;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Keeps the generated client true to openapi.yaml, and openapi.yaml true to the service",
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
    /// example does not validate against its schema, a snapshot under generated/ is stale, or
    /// a crate's modules form a cycle (or its documented module table is not its code).
    Check,
    /// Lint openapi.yaml with Redocly CLI and the ruleset in .redocly.yaml, then run every check
    /// of `cargo xtask check`.
    ///
    /// The linter is pinned in .ci/npm; install it first with `.ci/lint.sh` (which then runs this
    /// command) or `npm ci --prefix .ci/npm`. It runs offline, with telemetry off.
    Lint,
    /// List every change between openapi.yaml and BASE's, each judged twice for a client
    /// generated from BASE: on the wire (does it still work against the new service?) and in
    /// the code (does code written against it still compile after `cargo xtask generate`?).
    ///
    /// Each change names the rule that judged it; the rules are listed below, with their side
    /// and their two verdicts. Paths are paired by template (/pets/{petId} is /pets/{id}) and
    /// path parameters by position; oneOf/anyOf variants by content; allOf is merged first;
    /// readOnly properties are not part of requests, writeOnly ones not of responses; security
    /// requirements are compared as the alternatives a client can satisfy; callbacks and
    /// webhooks are judged with the sides swapped (the service sends their requests), and
    /// progenitor generates no code for them or for response headers. A change no rule can
    /// decide is left for review, with the keyword and why.
    ///
    /// `$ref`s are followed: a change in a component is listed at every request or response it
    /// affects. Re-formatting or re-ordering the file is no change. Exit status: 1 when a change
    /// fails what --fail-on names (by default: a break on the wire or in the code, or a change
    /// left for review), 0 otherwise, 2 when a document cannot be read or parsed, or on a usage
    /// error.
    #[command(after_long_help = format!("Rules (id  [side; wire, code] why):\n{}", diff::rule_listing()))]
    Diff(DiffArgs),
    /// Prove that a compatible spec change needs no hand edit: add the ratio '2:1', an optional
    /// `frames_per_second` on the create request and a new operation to openapi.yaml,
    /// regenerate, check that `diff` calls it not breaking, that every target of the workspace
    /// builds, that the library and the CLI send both values typed and the mock accepts them,
    /// and that the new operation is called through `Client::api()`. The files are changed in
    /// place and put back afterwards, whether the drill passes or not.
    Drill(DrillArgs),
    /// Check a service against openapi.yaml: the free probes (the models list, the query of a
    /// task that does not exist, a create that must be refused, the asset list, the get of an
    /// asset that does not exist), each answer held to the spec's schemas, statuses and headers
    /// and run through the generated client and the tolerant reader; every difference reported
    /// with the operation, the JSON path, what the spec says, what came and what it breaks.
    ///
    /// The key comes from ANYFAST_API_KEY and never appears in any output. Exit status: 0 when
    /// the check passes, 1 when a difference breaks what --fail-on names or a probe failed
    /// (no answer, a refused create accepted, a billed task without an MP4), 2 on a usage error.
    Contract(contract::ContractArgs),
}

/// The arguments of `cargo xtask diff`.
#[derive(Args)]
struct DrillArgs {
    /// The target folder of the check of every target (`cargo check --target-dir`; by default
    /// the workspace's). CI gives the folder where clippy has already checked the dependencies.
    #[arg(long, value_name = "DIR")]
    check_target_dir: Option<std::path::PathBuf>,
}

#[derive(Args)]
struct DiffArgs {
    /// The older document: a git revision, whose openapi.yaml is read with
    /// `git show BASE:openapi.yaml` in the repository root, or the path of a YAML file (an
    /// existing file, or a name ending in .yaml, .yml or .json).
    #[arg(default_value = "HEAD")]
    base: String,
    /// The newer document [default: openapi.yaml in the repository root].
    #[arg(long, value_name = "PATH")]
    head: Option<PathBuf>,
    /// Print a JSON array of {rule, operation, location, side, wire, code, breaking, detail,
    /// why} objects instead of text grouped by operation.
    #[arg(long)]
    json: bool,
    /// Exit with 1 when a change breaks on the wire, in the code, or was left for review
    /// (a comma-separated list; `--fail-on wire` alone lets code breaks and reviews pass).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "wire,code,review",
        conflicts_with = "allow_breaking"
    )]
    fail_on: Vec<FailOnArg>,
    /// Exit with 0 whatever changed (nothing fails).
    #[arg(long)]
    allow_breaking: bool,
}

/// The values of `--fail-on`.
#[derive(Clone, Copy, ValueEnum)]
enum FailOnArg {
    /// A client built from BASE no longer works against the new service.
    Wire,
    /// Code written against the client generated from BASE no longer compiles.
    Code,
    /// No rule could decide.
    Review,
}

impl From<FailOnArg> for diff::FailOn {
    fn from(argument: FailOnArg) -> Self {
        match argument {
            FailOnArg::Wire => diff::FailOn::Wire,
            FailOnArg::Code => diff::FailOn::Code,
            FailOnArg::Review => diff::FailOn::Review,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Generate => generate(),
        Command::Check => check(),
        Command::Lint => lint(),
        Command::Diff(arguments) => return report_changes(&arguments),
        Command::Drill(arguments) => {
            drill::run(&workspace::root(), arguments.check_target_dir.as_deref())
        }
        Command::Contract(arguments) => return contract::run(&arguments),
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
    for path in snapshots::write(&workspace::root(), &spec)? {
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
    problems.extend(modules::problems(&workspace::root())?);
    if problems.is_empty() {
        println!(
            "openapi.yaml and the snapshots under generated/ are consistent; no crate's modules form a cycle"
        );
        return Ok(());
    }
    for problem in &problems {
        eprintln!("{problem}\n");
    }
    anyhow::bail!("{} problem(s) found", problems.len())
}

fn lint() -> Result<()> {
    let root = workspace::root();
    lint::ensure_installed(&root)?;
    let linted = lint::run(&root);
    let checked = check();
    match (linted, checked) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(error), Ok(())) | (Ok(()), Err(error)) => Err(error),
        (Err(lint_error), Err(check_error)) => {
            Err(anyhow::anyhow!("{lint_error:#}; {check_error:#}"))
        }
    }
}

/// Exit status 1 is reserved for "something breaks", so failing to read or parse a document
/// exits with 2, like a usage error.
fn report_changes(arguments: &DiffArgs) -> ExitCode {
    let root = workspace::root();
    let base = diff::Base::parse(&arguments.base);
    let head = arguments
        .head
        .clone()
        .unwrap_or_else(|| root.join(diff::SPEC));
    let changes = match diff::compare_files(&root, &base, &head) {
        Ok(changes) => changes,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::from(2);
        }
    };
    let output = if arguments.json {
        diff::json(&changes) + "\n"
    } else {
        diff::text(&changes)
    };
    // A reader that stops early (`| head`) is not an error worth a panic.
    let written = std::io::stdout().lock().write_all(output.as_bytes());
    if let Err(error) = written
        && error.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the changes: {error}");
        return ExitCode::from(2);
    }
    eprintln!(
        "{} against {base}: {}",
        head.display(),
        diff::summary(&changes)
    );
    let fail_on: Vec<diff::FailOn> = if arguments.allow_breaking {
        Vec::new()
    } else {
        arguments.fail_on.iter().copied().map(Into::into).collect()
    };
    if changes.iter().any(|change| change.fails(&fail_on)) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
