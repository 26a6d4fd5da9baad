//! The module graph of each crate: which of its top-level modules each module uses, read from
//! the source. `cargo xtask check` fails when a module reaches itself through the modules it
//! uses (a cycle): layers point down, so a module never needs one above it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Module → the crate modules it names.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// The source folders whose crates are checked, below the repository root.
pub const CRATE_SOURCES: [&str; 8] = [
    "src",
    "crates/anyfast-video/src",
    "crates/anyfast-video-tasks/src",
    "crates/anyfast-video-cli/src",
    "crates/anyfast-mock/src",
    "crates/anyfast-video-contract/src",
    "crates/anyfast-video-codegen/src",
    "crates/anyfast-video-bench/src",
];

/// One problem per cycle, across every crate.
pub fn problems(root: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for source in CRATE_SOURCES {
        let folder = root.join(source);
        let graph = graph_in_code(&folder)?;
        if let Some(cycle) = find_cycle(&graph) {
            problems.push(format!(
                "{source}: the modules form a cycle: {}",
                cycle.join(" → ")
            ));
        }
    }
    Ok(problems)
}

/// The module of a source file below `root`: its stem, or its folder for files in one.
fn module_of(source: &Path, root: &Path) -> String {
    let relative = source.strip_prefix(root).unwrap_or(source);
    let first = relative.components().next().map(|c| c.as_os_str());
    Path::new(first.unwrap_or_default())
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn rust_files(root: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).with_context(|| folder.display().to_string())? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Which module each name re-exported at the crate root comes from (`pub use error::Error;`,
/// `pub use poll::{WaitOptions, MIN_POLL_INTERVAL};`), so that `crate::Error` counts as a use
/// of `error`.
fn reexports(entry: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for statement in entry.split(';') {
        let statement = statement.trim();
        let Some(path) = statement
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with("//"))
            .collect::<Vec<_>>()
            .join(" ")
            .strip_prefix("pub use ")
            .map(str::to_string)
        else {
            continue;
        };
        let Some((module, rest)) = path.split_once("::") else {
            continue;
        };
        if !module.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            continue;
        }
        let names = rest.trim_start_matches('{').trim_end_matches('}');
        for name in names.split(',') {
            let name = name.split("::").last().unwrap_or_default();
            let name = name.split(" as ").last().unwrap_or_default().trim();
            if !name.is_empty() {
                found.insert(name.to_string(), module.to_string());
            }
        }
    }
    found
}

/// The top-level items of a `{...}` group (`a, b::{C, D}, E` → `a`, `b::{C, D}`, `E`).
fn group_items(group: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..at]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

/// The crate modules some code names: `crate::module::...`, `crate::Reexport`, and each
/// name of `crate::{a, b::C, D}`.
fn named_modules(code: &str, reexports: &BTreeMap<String, String>) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let items = match rest.strip_prefix('{') {
            Some(group) => group_items(group),
            None => vec![rest],
        };
        for item in items {
            let word: String = item
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let module = match word.chars().next() {
                Some(first) if first.is_ascii_uppercase() => reexports.get(&word).cloned(),
                Some(_) => Some(word),
                None => None,
            };
            names.extend(module);
        }
    }
    names
}

/// The graph of the crate whose source is in `root`.
pub fn graph_in_code(root: &Path) -> Result<Graph> {
    let entry = ["lib.rs", "main.rs"]
        .iter()
        .find_map(|name| std::fs::read_to_string(root.join(name)).ok())
        .unwrap_or_default();
    let reexports = reexports(&entry);
    let mut graph = Graph::new();
    for file in rust_files(root)? {
        let module = module_of(&file, root);
        if module == "lib" || module == "main" {
            continue;
        }
        let uses = graph.entry(module.clone()).or_default();
        let text = std::fs::read_to_string(&file)?;
        // What follows `#[cfg(test)] mod tests` is the module's tests, whose uses do not shape
        // the graph (a `#[cfg(test)] mod other;` declaration above it ends nothing).
        let code = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        // Comments dropped, lines joined: a `use crate::{...}` may span several lines.
        let code: Vec<&str> = code
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect();
        for name in named_modules(&code.join(" "), &reexports) {
            if name != module {
                uses.insert(name);
            }
        }
    }
    // Only the crate's own modules count: a name re-exported from another crate
    // (`pub use other_crate::Type`) is no module of this one.
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for uses in graph.values_mut() {
        uses.retain(|name| modules.contains(name));
    }
    Ok(graph)
}

/// A cycle through `graph`, if there is one, as the modules along it (the first repeated last).
pub fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|seen| seen == module) {
            let mut cycle = path[start..].to_vec();
            cycle.push(module.to_string());
            return Some(cycle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_string());
        for used in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(used, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(module.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(module, graph, &mut Vec::new(), &mut done))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &[&str])]) -> Graph {
        edges
            .iter()
            .map(|(module, uses)| {
                (
                    module.to_string(),
                    uses.iter().map(|name| name.to_string()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn a_cycle_is_found_when_there_is_one_and_only_then() {
        let cyclic = graph(&[("a", &["b"]), ("b", &["c"]), ("c", &["a"]), ("d", &[])]);
        let cycle = find_cycle(&cyclic).unwrap();
        assert_eq!(cycle.first(), cycle.last());
        assert_eq!(cycle.len(), 4, "{cycle:?}");
        assert_eq!(find_cycle(&graph(&[("a", &["b"]), ("b", &[])])), None);
    }

    #[test]
    fn groups_paths_and_reexported_names_all_count_as_uses() {
        let reexports = reexports(
            "pub use error::Error;\npub use poll::{\n    WaitOptions,\n    MIN_POLL_INTERVAL,\n};\npub use anyfast_video_api as api;",
        );
        assert_eq!(
            reexports.get("WaitOptions").map(String::as_str),
            Some("poll")
        );
        let names = named_modules(
            "use crate::{Error, answer, retry::{Backoff}, WaitOptions};",
            &reexports,
        );
        assert_eq!(names, ["error", "answer", "retry", "poll"]);
        assert_eq!(
            named_modules("let x = crate::task::Task::new();", &reexports),
            ["task"]
        );
    }

    #[test]
    fn no_crate_of_the_workspace_has_a_cycle() {
        let problems = problems(&crate::workspace::root()).unwrap();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
