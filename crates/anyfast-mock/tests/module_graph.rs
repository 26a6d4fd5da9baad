//! The modules' dependency graph: the table in the crate docs is what the code does, and no
//! module reaches itself through the modules it uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The module a source file belongs to: its stem, or its folder for files in one.
fn module_of(source: &Path, root: &Path) -> String {
    let relative = source.strip_prefix(root).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    Path::new(first)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Every `crate::module` the code (not its comments) of each module names.
fn graph_in_code(root: &Path) -> Graph {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    let mut graph = Graph::new();
    for file in &files {
        let module = module_of(file, root);
        if module == "lib" || module == "main" {
            continue;
        }
        let uses = graph.entry(module.clone()).or_default();
        let text = std::fs::read_to_string(file).unwrap();
        for line in text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
        {
            for (at, _) in line.match_indices("crate::") {
                let name: String = line[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    uses.insert(name);
                }
            }
        }
    }
    // Lower-case names after `crate::` that are not modules (none today) would show up in the
    // comparison with the table below.
    graph
}

/// The table under "Inside" in the crate docs.
fn graph_in_docs(lib: &str) -> Graph {
    lib.lines()
        .skip_while(|line| *line != "//! # Inside")
        .filter_map(|line| line.strip_prefix("//! | `"))
        .filter_map(|row| {
            let cells: Vec<&str> = row.split(" | ").collect();
            let module = cells.first()?.trim_end_matches('`').to_string();
            let uses = cells
                .get(2)?
                .trim_end_matches('|')
                .split(',')
                .map(|name| name.trim().trim_matches('`').to_string())
                .filter(|name| !name.is_empty())
                .collect();
            Some((module, uses))
        })
        .collect()
}

/// A cycle through `graph`, if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
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

#[test]
fn the_documented_graph_is_the_code_and_has_no_cycle() {
    let crate_root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let code = graph_in_code(&crate_root.join("src"));
    let lib = std::fs::read_to_string(crate_root.join("src/lib.rs")).unwrap();
    let docs = graph_in_docs(&lib);
    assert!(docs.len() > 10, "the table was not found: {docs:?}");
    assert_eq!(
        docs, code,
        "the table in the crate docs (left) is not the code (right)"
    );
    assert_eq!(find_cycle(&code), None);
}

#[test]
fn a_cycle_is_found_when_there_is_one() {
    let graph: Graph = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec![]),
    ]
    .into_iter()
    .map(|(module, uses)| {
        (
            module.to_string(),
            uses.into_iter().map(str::to_string).collect(),
        )
    })
    .collect();
    let cycle = find_cycle(&graph).unwrap();
    assert_eq!(cycle.first(), cycle.last());
    assert_eq!(cycle.len(), 4, "{cycle:?}");
}
