//! The catalogue of rules against the tests and the documentation: every rule is exercised by
//! a test here and listed in the README and in `--help`.

use std::path::Path;

use xtask::diff::RULES;

#[test]
fn every_rule_is_exercised_by_a_test() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let mut sources = String::new();
    for entry in std::fs::read_dir(directory).unwrap() {
        sources.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    let missing: Vec<&str> = RULES
        .iter()
        .map(|rule| rule.id)
        .filter(|id| !sources.contains(&format!("\"{id}\"")))
        .collect();
    assert!(missing.is_empty(), "rules no test exercises: {missing:?}");
}

#[test]
fn the_readme_lists_every_rule_on_a_line_of_its_own() {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(readme).unwrap();
    let missing: Vec<&str> = RULES
        .iter()
        .map(|rule| rule.id)
        .filter(|id| {
            !readme
                .lines()
                .any(|line| line.starts_with(&format!("- `{id}`")))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "rules the README does not list: {missing:?}"
    );
}

#[test]
fn help_lists_every_rule_with_its_verdicts() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["diff", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for rule in RULES {
        let line = format!("{}  [", rule.id);
        assert!(help.contains(&line), "{} is not in --help", rule.id);
    }
    assert!(help.contains("--fail-on"), "{help}");
}
