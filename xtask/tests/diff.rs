//! `cargo xtask diff`: the exact classification of every fixture pair under
//! `tests/fixtures/diff/<rule>/{base,head}.yaml`, the exit codes and output formats of the
//! binary, and git revisions as BASE.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use xtask::diff::{self, Base, Change, Kind};

/// One expected change: location, kind, breaking.
type Expected = (&'static str, Kind, bool);

/// Every fixture, with exactly the changes it must produce, in order.
const CASES: &[(&str, &[Expected])] = &[
    (
        "operation-removed",
        &[("GET /tasks/{id}", Kind::OperationRemoved, true)],
    ),
    (
        "operation-added",
        &[("GET /tasks/{id}", Kind::OperationAdded, false)],
    ),
    (
        "operation-id-changed",
        &[("POST /tasks", Kind::OperationIdChanged, true)],
    ),
    (
        "parameter-removed",
        &[(
            "POST /tasks query parameter dry_run",
            Kind::ParameterRemoved,
            true,
        )],
    ),
    (
        "required-parameter-added",
        &[(
            "POST /tasks header parameter X-Request-Id",
            Kind::RequiredParameterAdded,
            true,
        )],
    ),
    (
        "optional-parameter-added",
        &[(
            "POST /tasks query parameter verbose",
            Kind::ParameterAdded,
            false,
        )],
    ),
    (
        "parameter-became-required",
        &[(
            "POST /tasks query parameter dry_run",
            Kind::ParameterBecameRequired,
            true,
        )],
    ),
    (
        "request-property-removed",
        &[("POST /tasks request body.code", Kind::PropertyRemoved, true)],
    ),
    (
        "response-property-removed",
        &[(
            "POST /tasks response 200 body.note",
            Kind::PropertyRemoved,
            true,
        )],
    ),
    (
        "required-request-property-added",
        &[(
            "POST /tasks request body.owner",
            Kind::RequiredPropertyAdded,
            true,
        )],
    ),
    (
        "request-property-became-required",
        &[(
            "POST /tasks request body.priority",
            Kind::PropertyBecameRequired,
            true,
        )],
    ),
    (
        "request-enum-value-removed",
        &[(
            "POST /tasks request body.size",
            Kind::EnumValueRemoved,
            true,
        )],
    ),
    (
        "request-enum-value-added",
        &[("POST /tasks request body.size", Kind::EnumValueAdded, false)],
    ),
    (
        "response-enum-value-added",
        &[(
            "POST /tasks response 200 body.state",
            Kind::EnumValueAdded,
            true,
        )],
    ),
    (
        "type-changed",
        &[("POST /tasks request body.priority", Kind::TypeChanged, true)],
    ),
    (
        "format-changed",
        &[(
            "POST /tasks response 200 body.created_at",
            Kind::FormatChanged,
            true,
        )],
    ),
    (
        "request-constraints-narrowed",
        &[
            (
                "POST /tasks request body.code",
                Kind::ConstraintNarrowed,
                true,
            ),
            (
                "POST /tasks request body.labels",
                Kind::ConstraintNarrowed,
                true,
            ),
            (
                "POST /tasks request body.labels",
                Kind::ConstraintNarrowed,
                true,
            ),
            (
                "POST /tasks request body.name",
                Kind::ConstraintNarrowed,
                true,
            ),
            (
                "POST /tasks request body.name",
                Kind::ConstraintNarrowed,
                true,
            ),
            (
                "POST /tasks request body.priority",
                Kind::ConstraintNarrowed,
                true,
            ),
            (
                "POST /tasks request body.priority",
                Kind::ConstraintNarrowed,
                true,
            ),
        ],
    ),
    (
        "request-constraints-widened",
        &[
            (
                "POST /tasks request body.code",
                Kind::ConstraintWidened,
                false,
            ),
            (
                "POST /tasks request body.labels",
                Kind::ConstraintWidened,
                false,
            ),
            (
                "POST /tasks request body.labels",
                Kind::ConstraintWidened,
                false,
            ),
            (
                "POST /tasks request body.name",
                Kind::ConstraintWidened,
                false,
            ),
            (
                "POST /tasks request body.name",
                Kind::ConstraintWidened,
                false,
            ),
            (
                "POST /tasks request body.priority",
                Kind::ConstraintWidened,
                false,
            ),
            (
                "POST /tasks request body.priority",
                Kind::ConstraintWidened,
                false,
            ),
        ],
    ),
    (
        "response-constraint-widened",
        &[(
            "POST /tasks response 200 body.id",
            Kind::ConstraintWidened,
            true,
        )],
    ),
    (
        "response-property-became-optional",
        &[(
            "POST /tasks response 200 body.state",
            Kind::PropertyBecameOptional,
            true,
        )],
    ),
    (
        "response-status-removed",
        &[
            (
                "POST /tasks response 202",
                Kind::ResponseStatusRemoved,
                true,
            ),
            (
                "POST /tasks response 404",
                Kind::ResponseStatusRemoved,
                false,
            ),
        ],
    ),
    (
        "optional-request-property-added",
        &[(
            "POST /tasks request body.deadline",
            Kind::PropertyAdded,
            false,
        )],
    ),
    (
        "response-property-added",
        &[(
            "POST /tasks response 200 body.eta",
            Kind::PropertyAdded,
            false,
        )],
    ),
    (
        "default-changed",
        &[("POST /tasks request body.size", Kind::DefaultChanged, false)],
    ),
    (
        "response-nullable-added",
        &[(
            "POST /tasks response 200 body.note",
            Kind::NullableAdded,
            true,
        )],
    ),
    (
        "response-nullable-removed",
        &[(
            "POST /tasks response 200 body.note",
            Kind::NullableRemoved,
            false,
        )],
    ),
    (
        "request-nullable-removed",
        &[("POST /tasks request body.code", Kind::NullableRemoved, true)],
    ),
    (
        "media-type-removed",
        &[(
            "POST /tasks request body (text/plain)",
            Kind::MediaTypeRemoved,
            true,
        )],
    ),
    (
        "ref-attribution",
        &[
            ("POST /tasks request body.size", Kind::EnumValueAdded, false),
            (
                "POST /tasks response 200 body.size",
                Kind::EnumValueAdded,
                true,
            ),
            (
                "GET /tasks/{id} response 200 body.size",
                Kind::EnumValueAdded,
                true,
            ),
        ],
    ),
    (
        "docs-only",
        &[
            ("info.description", Kind::Docs, false),
            ("POST /tasks response 200 body.id", Kind::Docs, false),
            ("POST /tasks response 200 body.note", Kind::Docs, false),
            ("POST /tasks", Kind::Docs, false),
        ],
    ),
    ("reformatted", &[]),
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name)
}

fn compare_fixture(name: &str) -> Vec<Change> {
    let directory = fixture(name);
    let read = |file: &str| std::fs::read_to_string(directory.join(file)).unwrap();
    diff::compare_texts(&read("base.yaml"), &read("head.yaml"))
        .unwrap_or_else(|error| panic!("{name}: {error:#}"))
}

fn classified(changes: &[Change]) -> Vec<(&str, Kind, bool)> {
    changes
        .iter()
        .map(|change| (change.location.as_str(), change.kind, change.breaking))
        .collect()
}

/// Runs the built `xtask` binary.
fn xtask(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(arguments)
        .output()
        .unwrap()
}

/// `xtask diff <fixture>/base.yaml --head <fixture>/head.yaml ...`
fn diff_fixture(name: &str, extra: &[&str]) -> Output {
    let directory = fixture(name);
    let base = directory.join("base.yaml");
    let head = directory.join("head.yaml");
    let mut arguments = vec![
        "diff",
        base.to_str().unwrap(),
        "--head",
        head.to_str().unwrap(),
    ];
    arguments.extend(extra);
    xtask(&arguments)
}

#[test]
fn every_fixture_is_classified_exactly() {
    for (name, expected) in CASES {
        let changes = compare_fixture(name);
        assert_eq!(
            classified(&changes),
            *expected,
            "fixture {name}: {changes:#?}"
        );
    }
}

#[test]
fn every_fixture_directory_has_a_case_and_every_case_a_directory() {
    let mut directories: Vec<String> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    directories.sort();
    let mut cases: Vec<String> = CASES.iter().map(|(name, _)| name.to_string()).collect();
    cases.sort();
    assert_eq!(directories, cases);
}

#[test]
fn the_exit_code_is_1_exactly_when_something_breaks_unless_breaking_is_allowed() {
    for (name, expected) in CASES {
        let breaking = expected.iter().any(|(_, _, breaking)| *breaking);
        let output = diff_fixture(name, &[]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(if breaking { 1 } else { 0 }),
            "fixture {name}: {stderr}"
        );
        let allowed = diff_fixture(name, &["--allow-breaking"]);
        assert_eq!(allowed.status.code(), Some(0), "fixture {name} allowed");
    }
}

#[test]
fn text_output_has_one_labelled_line_per_change() {
    let output = diff_fixture("response-status-removed", &[]);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "BREAKING  POST /tasks response 202: success response 202 removed\n\
         ok        POST /tasks response 404: response 404 removed\n"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("2 changes, 1 breaking"), "{stderr}");
}

#[test]
fn json_output_is_an_array_of_location_kind_breaking_and_detail() {
    let output = diff_fixture("ref-attribution", &["--json"]);
    assert_eq!(output.status.code(), Some(1));
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        parsed[1],
        serde_json::json!({
            "location": "POST /tasks response 200 body.size",
            "kind": "enum_value_added",
            "breaking": true,
            "detail": "enum value \"huge\" added (in #/components/schemas/Size)"
        })
    );
    assert_eq!(parsed.as_array().unwrap().len(), 3);
}

#[test]
fn no_change_prints_nothing_and_exits_with_0() {
    let output = diff_fixture("reformatted", &["--json"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8(output.stdout).unwrap().trim(), "[]");
}

#[test]
fn usage_errors_and_unreadable_documents_exit_with_2() {
    let output = xtask(&["diff", "--no-such-option"]);
    assert_eq!(output.status.code(), Some(2));

    let output = xtask(&["diff", "/no/such/base.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("cannot read /no/such/base.yaml"),
        "{stderr}"
    );

    let directory = tempfile::tempdir().unwrap();
    for (file, text, message) in [
        ("broken.yaml", "openapi: [3.0.3", "is not YAML"),
        (
            "swagger.yaml",
            "swagger: '2.0'\n",
            "is not an OpenAPI 3 document",
        ),
    ] {
        let path = directory.path().join(file);
        std::fs::write(&path, text).unwrap();
        let output = xtask(&["diff", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(message), "{file}: {stderr}");
    }
}

#[test]
fn the_real_spec_compared_with_a_reformatted_copy_of_itself_has_no_change() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let spec = std::fs::read_to_string(root.join(diff::SPEC)).unwrap();
    assert_eq!(diff::compare_texts(&spec, &spec).unwrap(), Vec::new());

    // serde_yaml writes every key in block style with its own quoting, and JSON is YAML too.
    let value: serde_yaml::Value = serde_yaml::from_str(&spec).unwrap();
    let reformatted = serde_yaml::to_string(&value).unwrap();
    assert_ne!(reformatted, spec);
    assert_eq!(
        diff::compare_texts(&spec, &reformatted).unwrap(),
        Vec::new()
    );
    let as_json = serde_json::to_string(&value).unwrap();
    assert_eq!(diff::compare_texts(&as_json, &spec).unwrap(), Vec::new());
}

/// Runs git in `directory` without the user's configuration getting in the way.
fn git(directory: &Path, arguments: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=xtask test",
            "-c",
            "user.email=xtask@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(arguments)
        .current_dir(directory)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .status()
        .unwrap();
    assert!(status.success(), "git {arguments:?}");
}

#[test]
fn a_git_revision_as_base_is_that_revisions_openapi_yaml() {
    let repository = tempfile::tempdir().unwrap();
    let root = repository.path();
    let spec = root.join(diff::SPEC);
    let pair = fixture("request-enum-value-removed");

    git(root, &["init", "--quiet"]);
    std::fs::copy(pair.join("base.yaml"), &spec).unwrap();
    git(root, &["add", diff::SPEC]);
    git(root, &["commit", "--quiet", "-m", "base"]);
    std::fs::copy(pair.join("head.yaml"), &spec).unwrap();

    let base = Base::parse("HEAD");
    assert_eq!(base, Base::Revision("HEAD".to_string()));
    let changes = diff::compare_files(root, &base, &spec).unwrap();
    assert_eq!(
        classified(&changes),
        [(
            "POST /tasks request body.size",
            Kind::EnumValueRemoved,
            true
        )]
    );

    // Committed, the edit is the new HEAD: nothing differs from it, and HEAD~1 is the base.
    git(root, &["commit", "--quiet", "-am", "head"]);
    assert_eq!(diff::compare_files(root, &base, &spec).unwrap(), Vec::new());
    let previous = Base::parse("HEAD~1");
    assert_eq!(
        diff::compare_files(root, &previous, &spec).unwrap(),
        changes
    );

    let error = diff::compare_files(root, &Base::parse("no-such-revision"), &spec).unwrap_err();
    assert!(
        format!("{error:#}").contains("git show no-such-revision:openapi.yaml"),
        "{error:#}"
    );
}
