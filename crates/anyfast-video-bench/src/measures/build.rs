//! Measure 5, build: clean debug builds of the library (`cargo build -p anyfast-video`) and of
//! the command line (`-p anyfast-video-cli`), each in an empty target folder; the command
//! line's rebuild after a one-line edit of `openapi.yaml` (a description); their dependency
//! counts; what each heavy dependency costs (from `cargo build --timings`); and what SQLite
//! (rusqlite with the bundled library, for the journal) adds; and a clean build of a new crate
//! depending on `anyfast-video` (default features, by path) against one depending on
//! `async-openai` 0.43 with its `video` feature (from crates.io), back to back, twice each in
//! alternating order, each in an empty target folder.
//!
//! Everything happens in a copy of the workspace in a temporary folder (target folders and the
//! `--timings` HTML too), so the edit of the spec is never seen by anyone else's build; the
//! copy's spec is restored after the rebuild all the same, and the copy removed at the end.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde::Deserialize;

use super::Settings;
use crate::report::Table;

/// One unit of `cargo build --timings` (a crate's library, build script, or its run).
#[derive(Clone, Debug, Deserialize)]
struct Unit {
    name: String,
    version: String,
    #[serde(default)]
    mode: String,
    start: f64,
    duration: f64,
}

/// A build and what it compiled.
struct Built {
    wall: Duration,
    units: Vec<Unit>,
}

impl Built {
    /// The distinct packages compiled (`--timings` lists fresh units too, with a duration of
    /// 0).
    fn packages(&self) -> BTreeSet<(&str, &str)> {
        self.units
            .iter()
            .filter(|unit| unit.duration > 0.0)
            .map(|unit| (unit.name.as_str(), unit.version.as_str()))
            .collect()
    }

    /// The summed durations of every unit of each package.
    fn by_package(&self) -> BTreeMap<(String, String), f64> {
        let mut sums = BTreeMap::new();
        for unit in &self.units {
            *sums
                .entry((unit.name.clone(), unit.version.clone()))
                .or_insert(0.0) += unit.duration;
        }
        sums
    }

    fn total_unit_time(&self) -> f64 {
        self.units.iter().map(|unit| unit.duration).sum()
    }
}

pub fn run(settings: &Settings) -> Result<Table> {
    let mut table =
        Table::new("Build: clean builds, the rebuild after an edit of openapi.yaml, dependencies");
    settings.quiet(&mut table);
    let workspace = workspace_root()?;
    // On disk, where a user builds: not in --dir (a tmpfs by default).
    let temp = tempfile::Builder::new()
        .prefix("anyfast-video-bench-build-")
        .tempdir()?;
    let copy = temp.path().join("workspace");
    copy_tree(&workspace, &copy)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let version = cargo_version(&cargo);

    let lib_deps = count_dependencies(&cargo, &copy, "anyfast-video", "normal")?;
    let cli_deps = count_dependencies(&cargo, &copy, "anyfast-video-cli", "normal")?;
    let lib_built_deps = count_dependencies(&cargo, &copy, "anyfast-video", "normal,build")?;
    let cli_built_deps = count_dependencies(&cargo, &copy, "anyfast-video-cli", "normal,build")?;
    table.note(format!(
        "{version}, debug profile (what `cargo build` does), `--timings` written into each (temporary) target folder; a copy of the workspace in {} so that the edit of the spec is seen by no other build",
        temp.path().display()
    ));
    table.note("dependencies: `cargo tree -p CRATE -e normal --prefix none --format {p}`, duplicates (`(*)`) removed, the crate itself and the workspace's own crates included; in brackets with `-e normal,build` (build scripts' dependencies too)");
    if settings.smoke {
        let mut counts = String::from(
            "| crate | dependencies (normal) | with build dependencies |\n| --- | --- | --- |\n",
        );
        let _ = writeln!(counts, "| anyfast-video | {lib_deps} | {lib_built_deps} |");
        let _ = writeln!(
            counts,
            "| anyfast-video-cli | {cli_deps} | {cli_built_deps} |"
        );
        table.appendix.push(counts);
        table.note(
            "smoke: dependency counts only; the builds take minutes (run `build` without --smoke)",
        );
        return Ok(table);
    }

    let lib = build(
        &cargo,
        &copy,
        &temp.path().join("target-lib"),
        "anyfast-video",
    )?;
    let cli_target = temp.path().join("target-cli");
    let cli = build(&cargo, &copy, &cli_target, "anyfast-video-cli")?;
    let rebuilt = {
        let spec = copy.join("openapi.yaml");
        let _restore = EditedSpec::edit(&spec)?;
        build(&cargo, &copy, &cli_target, "anyfast-video-cli")?
    };
    let sqlite = build_sqlite_alone(&cargo, &workspace, temp.path())?;
    let users = build_new_crates(&cargo, &copy, temp.path())?;

    let mut builds = String::from(
        "| build | command | wall time | packages compiled | dependencies (normal) |\n| --- | --- | --- | --- | --- |\n",
    );
    let _ = writeln!(
        builds,
        "| clean, the library | `cargo build -p anyfast-video` | {:.1} s | {} | {lib_deps} ({lib_built_deps}) |",
        lib.wall.as_secs_f64(),
        lib.packages().len()
    );
    let _ = writeln!(
        builds,
        "| clean, the command line | `cargo build -p anyfast-video-cli` | {:.1} s | {} | {cli_deps} ({cli_built_deps}) |",
        cli.wall.as_secs_f64(),
        cli.packages().len()
    );
    let rebuilt_names: Vec<&str> = rebuilt
        .packages()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let _ = writeln!(
        builds,
        "| rebuild after a one-line edit of openapi.yaml (a schema's description) | `cargo build -p anyfast-video-cli` | {:.1} s | {} ({}) | – |",
        rebuilt.wall.as_secs_f64(),
        rebuilt_names.len(),
        rebuilt_names.join(", ")
    );
    let _ = writeln!(
        builds,
        "| clean, rusqlite {} (bundled) alone | `cargo build` of a crate with only rusqlite | {:.1} s | {} | – |",
        sqlite.0,
        sqlite.1.wall.as_secs_f64(),
        sqlite.1.packages().len()
    );
    table.appendix.push(builds);

    let mut compared = String::from(
        "A new crate's clean build (`cargo build`, debug, an empty target folder each; `fn main` making one request value):\n\n| dependency | run 1 | run 2 | median | packages compiled |\n| --- | --- | --- | --- | --- |\n",
    );
    for (label, runs) in [
        ("`anyfast-video` (path, default features)", &users.0),
        (
            "`async-openai = { version = \"0.43\", features = [\"video\"] }`",
            &users.1,
        ),
    ] {
        let times: Vec<f64> = runs.iter().map(|built| built.wall.as_secs_f64()).collect();
        let _ = writeln!(
            compared,
            "| {label} | {:.1} s | {:.1} s | {:.1} s | {} |",
            times[0],
            times[1],
            crate::report::median(&times),
            runs[0].packages().len()
        );
    }
    let ratio = crate::report::median(
        &users
            .0
            .iter()
            .map(|b| b.wall.as_secs_f64())
            .collect::<Vec<_>>(),
    ) / crate::report::median(
        &users
            .1
            .iter()
            .map(|b| b.wall.as_secs_f64())
            .collect::<Vec<_>>(),
    );
    let _ = writeln!(
        compared,
        "\nanyfast-video / async-openai: {ratio:.3} (target ≤ 1.0: {}); order: anyfast-video, async-openai, async-openai, anyfast-video; 1-minute load after: {:.2}",
        if ratio <= 1.0 { "pass" } else { "FAIL" },
        crate::procfs::load_average()
    );
    table.appendix.push(compared);

    // What each heavy dependency costs, in the command line's clean build.
    let lib_packages = lib.by_package();
    let total = cli.total_unit_time();
    let mut heavy: Vec<((String, String), f64)> = cli.by_package().into_iter().collect();
    heavy.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut costs = format!(
        "The command line's clean build, per package (the sum of its units' durations in `--timings`: library, build script, its run; {:.0} s of unit time in all, over {:.0} s of wall time on 2 cores):\n\n| package | unit time | share | in the library's build |\n| --- | --- | --- | --- |\n",
        total,
        cli.wall.as_secs_f64()
    );
    for ((name, version), seconds) in heavy.iter().take(20) {
        let in_lib = lib_packages.contains_key(&(name.clone(), version.clone()));
        let _ = writeln!(
            costs,
            "| {name} {version} | {seconds:.1} s | {:.1} % | {} |",
            100.0 * seconds / total,
            if in_lib { "yes" } else { "no" }
        );
    }
    table.appendix.push(costs);

    // SQLite's part of the command line's build.
    let sqlite_units: Vec<&Unit> = cli
        .units
        .iter()
        .filter(|unit| unit.name == "rusqlite" || unit.name == "libsqlite3-sys")
        .collect();
    let sqlite_time: f64 = sqlite_units.iter().map(|unit| unit.duration).sum();
    let sqlite_c = sqlite_units
        .iter()
        .filter(|unit| unit.name == "libsqlite3-sys" && unit.mode == "run-custom-build")
        .map(|unit| unit.duration)
        .sum::<f64>();
    let sqlite_end = sqlite_units
        .iter()
        .map(|unit| unit.start + unit.duration)
        .fold(0.0, f64::max);
    let only_cli: f64 = heavy
        .iter()
        .filter(|(key, _)| !lib_packages.contains_key(key))
        .map(|(_, seconds)| seconds)
        .sum();
    let mut sqlite_text = String::new();
    let _ = writeln!(
        sqlite_text,
        "SQLite in the command line's clean build: rusqlite + libsqlite3-sys units {sqlite_time:.1} s of {total:.0} s unit time ({:.1} %), of which compiling the bundled sqlite3.c (libsqlite3-sys's build script run) {sqlite_c:.1} s; done {sqlite_end:.1} s into the {:.1} s build. Packages only the command line compiles: {only_cli:.0} s of unit time. Built alone (clean, 2 cores): {:.1} s.",
        100.0 * sqlite_time / total,
        cli.wall.as_secs_f64(),
        sqlite.1.wall.as_secs_f64()
    );
    table.appendix.push(sqlite_text);
    Ok(table)
}

/// The workspace this program was built from.
fn workspace_root() -> Result<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().context("the workspace's folder")?;
    ensure!(
        root.join("openapi.yaml").exists(),
        "{} is not the workspace",
        root.display()
    );
    Ok(root)
}

/// Copies the workspace's sources (no target folders, no .git).
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if matches!(
            name.to_str(),
            Some("target" | ".git" | "node_modules" | "fuzz")
        ) || name.to_string_lossy().starts_with("target-")
        {
            continue;
        }
        let kind = entry.file_type()?;
        let (source, destination) = (entry.path(), to.join(&name));
        if kind.is_dir() {
            copy_tree(&source, &destination)?;
        } else if kind.is_file() {
            std::fs::copy(&source, &destination)?;
        }
    }
    Ok(())
}

fn cargo_version(cargo: &str) -> String {
    Command::new(cargo)
        .arg("-V")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map_or_else(|| "cargo".into(), |text| text.trim().to_string())
}

/// The distinct packages of `cargo tree -p CRATE -e EDGES`.
fn count_dependencies(cargo: &str, workspace: &Path, krate: &str, edges: &str) -> Result<usize> {
    let output = Command::new(cargo)
        .current_dir(workspace)
        .args([
            "tree", "-p", krate, "-e", edges, "--prefix", "none", "--format", "{p}",
        ])
        .output()
        .context("running cargo tree")?;
    ensure!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout)?;
    let packages: BTreeSet<String> = text
        .lines()
        .map(|line| {
            // "name vX.Y.Z (path)" and "(*)" for repeats: keep the name and version.
            line.split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|package| !package.is_empty())
        .collect();
    Ok(packages.len())
}

/// `cargo build -p krate --timings` in `workspace` with `target` as its target folder.
fn build(cargo: &str, workspace: &Path, target: &Path, krate: &str) -> Result<Built> {
    eprintln!("  cargo build -p {krate} (target {})", target.display());
    let started = Instant::now();
    let output = Command::new(cargo)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .args(["build", "-p", krate, "--timings"])
        .output()
        .context("running cargo build")?;
    let wall = started.elapsed();
    if !output.status.success() {
        bail!(
            "cargo build -p {krate} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(Built {
        wall,
        units: read_timings(target)?,
    })
}

/// The units of the latest `--timings` report in `target`.
fn read_timings(target: &Path) -> Result<Vec<Unit>> {
    let html = std::fs::read_to_string(target.join("cargo-timings/cargo-timing.html"))
        .context("reading cargo-timing.html")?;
    let start = html
        .find("const UNIT_DATA = ")
        .context("no UNIT_DATA in cargo-timing.html")?
        + "const UNIT_DATA = ".len();
    let mut values = serde_json::Deserializer::from_str(&html[start..]).into_iter::<Vec<Unit>>();
    values
        .next()
        .context("an empty UNIT_DATA")?
        .context("reading UNIT_DATA")
}

/// The spec with one description changed, restored (byte for byte) when dropped.
struct EditedSpec {
    path: PathBuf,
    original: Vec<u8>,
}

impl EditedSpec {
    fn edit(path: &Path) -> Result<EditedSpec> {
        let original = std::fs::read(path)?;
        let text = String::from_utf8(original.clone())?;
        let mut edited = String::with_capacity(text.len() + 32);
        // The first one-line description of a schema: it is a doc comment of the generated
        // client, as most descriptions are.
        let (mut done, mut in_schemas) = (false, false);
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            in_schemas |= line.starts_with("  schemas:");
            if !done
                && in_schemas
                && trimmed.starts_with("description: ")
                && !trimmed.starts_with("description: |")
                && !trimmed.starts_with("description: >")
            {
                edited.push_str(line.trim_end_matches('\n'));
                edited.push_str(" (edited by the build benchmark)\n");
                done = true;
            } else {
                edited.push_str(line);
            }
        }
        ensure!(done, "no one-line description in {}", path.display());
        std::fs::write(path, edited)?;
        Ok(EditedSpec {
            path: path.to_path_buf(),
            original,
        })
    }
}

impl Drop for EditedSpec {
    fn drop(&mut self) {
        if let Err(error) = std::fs::write(&self.path, &self.original) {
            eprintln!("could not restore {}: {error}", self.path.display());
        }
    }
}

/// A new crate depending on `anyfast-video` (by path, into the workspace copy at `workspace`;
/// the workspace's Cargo.lock) and one depending on `async-openai` 0.43 with `video` (a fresh
/// lock from crates.io), each built clean twice, back to back in the order A B B A; their
/// builds. Dependencies are fetched before the clock starts.
fn build_new_crates(
    cargo: &str,
    workspace: &Path,
    temp: &Path,
) -> Result<(Vec<Built>, Vec<Built>)> {
    let library = workspace.join("crates/anyfast-video");
    let anyfast = new_crate(
        temp,
        "with-anyfast-video",
        &format!(
            "anyfast-video = {{ path = {:?} }}",
            library.display().to_string()
        ),
        "let request = anyfast_video::VideoRequest::text(\"a cat playing the piano\");",
        Some(&std::fs::read_to_string(workspace.join("Cargo.lock"))?),
    )?;
    let openai = new_crate(
        temp,
        "with-async-openai",
        "async-openai = { version = \"0.43\", features = [\"video\"] }",
        "let request = async_openai::types::videos::CreateVideoRequestArgs::default().prompt(\"a cat playing the piano\").build();",
        None,
    )?;
    let mut runs = [Vec::new(), Vec::new()];
    for (dir, side, name, round) in [
        (&anyfast, 0, "with-anyfast-video", 1),
        (&openai, 1, "with-async-openai", 1),
        (&openai, 1, "with-async-openai", 2),
        (&anyfast, 0, "with-anyfast-video", 2),
    ] {
        let target = temp.join(format!("target-{name}-{round}"));
        runs[side].push(build(cargo, dir, &target, name)?);
        let _ = std::fs::remove_dir_all(&target);
    }
    let [a, b] = runs;
    Ok((a, b))
}

/// A binary crate `name` in `temp` with one dependency and a `main` of one statement, its
/// dependencies fetched (with `lock` as its Cargo.lock, if given).
fn new_crate(
    temp: &Path,
    name: &str,
    dependency: &str,
    statement: &str,
    lock: Option<&str>,
) -> Result<PathBuf> {
    let dir = temp.join(name);
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependency}\n\n[workspace]\n"
        ),
    )?;
    std::fs::write(
        dir.join("src/main.rs"),
        format!("fn main() {{\n    {statement}\n    println!(\"{{request:?}}\");\n}}\n"),
    )?;
    if let Some(lock) = lock {
        std::fs::write(dir.join("Cargo.lock"), lock)?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let fetched = Command::new(cargo)
        .current_dir(&dir)
        .arg("fetch")
        .output()
        .context("running cargo fetch")?;
    ensure!(
        fetched.status.success(),
        "cargo fetch in {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&fetched.stderr)
    );
    Ok(dir)
}

/// A clean build of a crate whose only dependency is the workspace's rusqlite (same version
/// and features, the workspace's Cargo.lock); rusqlite's version and the build.
fn build_sqlite_alone(cargo: &str, workspace: &Path, temp: &Path) -> Result<(String, Built)> {
    let lock = std::fs::read_to_string(workspace.join("Cargo.lock"))?;
    let version = lock
        .split("[[package]]")
        .find(|package| package.contains("name = \"rusqlite\""))
        .and_then(|package| {
            package
                .lines()
                .find_map(|line| line.strip_prefix("version = "))
                .map(|version| version.trim_matches('"').to_string())
        })
        .context("rusqlite in Cargo.lock")?;
    let dir = temp.join("sqlite-alone");
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"sqlite-alone\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nrusqlite = {{ version = \"={version}\", features = [\"bundled\"] }}\n\n[workspace]\n"
        ),
    )?;
    std::fs::write(dir.join("src/lib.rs"), "pub use rusqlite;\n")?;
    std::fs::write(dir.join("Cargo.lock"), lock)?;
    let built = build(cargo, &dir, &temp.join("target-sqlite"), "sqlite-alone")?;
    Ok((version, built))
}
