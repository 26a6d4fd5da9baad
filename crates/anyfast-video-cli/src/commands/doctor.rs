//! `anyfast-video doctor`: what a user gets wrong, checked in one go, and the service's free
//! answers held to the spec (the `anyfast-video-contract` crate, which `cargo xtask contract`
//! runs too).
//!
//! Each check passes or fails: the key (present, well-formed, accepted by the models list),
//! the base URL (https, reachable, TLS), the clock (within a minute of the service's `Date`:
//! the journal's ages, the leases of a shared SQLite file and the pre-signed URLs' expiry are
//! read against this machine's clock), the journal (opens, its format, the tasks left
//! unfinished, which are reported, not failed), and each free probe (answered, and no
//! difference that breaks the generated client or the tolerant reader). Nothing is billed.
//! Exit 0 only when every check passes; otherwise the code of the first that failed: 2 the key,
//! 1 the journal, 3 the service.

use std::path::Path;
use std::time::Duration;

use anyfast_video::{API_KEY_ENV, DEFAULT_BASE_URL};
use anyfast_video_contract::exchange::NoAnswer;
use anyfast_video_contract::report::ProbeReport;
use anyfast_video_contract::{Options, Target, check, check_base_url, check_key};
use anyfast_video_tasks::TaskQuery;
use serde_json::{Value, json};

use crate::args::Global;
use crate::exit::Failure;
use crate::output::Report;

/// How far this machine's clock may be from the service's.
const CLOCK_TOLERANCE_SECS: f64 = 60.0;

/// One row of the table.
struct Row {
    check: String,
    ok: bool,
    detail: String,
    /// The exit code when this is the first check that failed.
    code: u8,
}

impl Row {
    fn new(check: &str, ok: bool, detail: impl Into<String>, code: u8) -> Row {
        Row {
            check: check.to_string(),
            ok,
            detail: detail.into(),
            code,
        }
    }
}

pub async fn run(global: &Global) -> Result<Report, Failure> {
    let mut rows = Vec::new();

    // The service: the built-in mock, or the one the flags name.
    #[cfg(feature = "mock")]
    let mock = if global.mock {
        Some(
            anyfast_mock::MockServer::start(anyfast_mock::MockConfig::default())
                .await
                .map_err(|error| {
                    Failure::Usage(format!("cannot start the built-in mock: {error}"))
                })?,
        )
    } else {
        None
    };
    #[cfg(not(feature = "mock"))]
    if global.mock {
        return Err(Failure::Usage(
            "--mock needs the `mock` feature, which this build of anyfast-video left out".into(),
        ));
    }
    #[cfg(feature = "mock")]
    let mocked_url = mock.as_ref().map(|mock| mock.base_url());
    #[cfg(not(feature = "mock"))]
    let mocked_url: Option<String> = None;
    let base_url = mocked_url
        .clone()
        .or_else(|| global.base_url.clone())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());

    let (key, key_source) = match (&mocked_url, &global.api_key_file) {
        (Some(_), _) => (
            Ok(Some("mock-key".to_string())),
            "the built-in mock's".to_string(),
        ),
        (None, Some(path)) => (read_key_file(path).map(Some), format!("{}", path.display())),
        (None, None) => (Ok(std::env::var(API_KEY_ENV).ok()), API_KEY_ENV.to_string()),
    };
    let key = match key {
        Ok(key) => key.filter(|key| !key.trim().is_empty()),
        Err(why) => {
            rows.push(Row::new("key", false, why, 2));
            None
        }
    };
    let well_formed = key.as_deref().map(check_key);
    let usable_key = match (&key, &well_formed) {
        (Some(key), Some(Ok(()))) => Some(key.clone()),
        _ => None,
    };

    let base_ok = check_base_url(&base_url);
    let report = match &base_ok {
        Ok(_) => {
            let target = Target::new(&base_url, usable_key.clone());
            let options = Options {
                request_timeout: Duration::from_secs(60),
                ..Options::default()
            };
            Some(check(&target, &options).await)
        }
        Err(_) => None,
    };

    // The key.
    if rows.is_empty() {
        let models = report.as_ref().and_then(|report| report.probe("models"));
        let accepted = models
            .and_then(|probe| probe.answer.as_ref().ok())
            .map(|answer| answer.status);
        let row = match (&key, &well_formed, accepted) {
            (None, _, _) => Row::new(
                "key",
                false,
                format!("missing: set {API_KEY_ENV} or pass --api-key-file PATH (or try --mock)"),
                2,
            ),
            (Some(_), Some(Err(why)), _) => {
                Row::new("key", false, format!("from {key_source}: {why}"), 2)
            }
            (Some(_), _, Some(status)) if (200..300).contains(&status) => Row::new(
                "key",
                true,
                format!(
                    "from {key_source}: present, well-formed, accepted (the models list answered {status})"
                ),
                2,
            ),
            (Some(_), _, Some(status @ (401 | 403))) => Row::new(
                "key",
                false,
                format!(
                    "from {key_source}: present and well-formed, but REFUSED (the models list answered {status})"
                ),
                3,
            ),
            (Some(_), _, Some(status)) => Row::new(
                "key",
                false,
                format!(
                    "from {key_source}: present and well-formed; not known to be accepted (the models list answered {status})"
                ),
                3,
            ),
            (Some(_), _, None) => Row::new(
                "key",
                false,
                format!(
                    "from {key_source}: present and well-formed; not tried (the service did not answer)"
                ),
                3,
            ),
        };
        rows.push(row);
    }

    // The base URL.
    let answered = report
        .as_ref()
        .and_then(|report| report.probes.iter().find(|probe| probe.answer.is_ok()));
    let no_answer = report.as_ref().and_then(|report| {
        report
            .probes
            .iter()
            .find_map(|probe| probe.answer.as_ref().err())
    });
    rows.push(match (&base_ok, answered, no_answer) {
        (Err(why), _, _) => Row::new("base URL", false, format!("{base_url} {why}"), 2),
        (Ok(scheme), Some(_), _) => {
            let tls = if base_url.starts_with("https:") {
                ", TLS verified"
            } else {
                ""
            };
            Row::new(
                "base URL",
                true,
                format!("{base_url}: {scheme}, reachable{tls}"),
                3,
            )
        }
        (Ok(_), None, Some(NoAnswer::Tls(why))) => Row::new(
            "base URL",
            false,
            format!("{base_url}: TLS failed: {why}"),
            3,
        ),
        (Ok(_), None, Some(other)) => Row::new(
            "base URL",
            false,
            format!("{base_url}: not reachable: {}", other.message()),
            3,
        ),
        (Ok(_), None, None) => Row::new(
            "base URL",
            false,
            format!("{base_url}: nothing was asked"),
            3,
        ),
    });

    // The clock.
    rows.push(match report.as_ref().and_then(|report| report.clock_offset()) {
        Some(offset) if offset.abs() <= CLOCK_TOLERANCE_SECS => Row::new(
            "clock",
            true,
            format!("{} from the service's Date header", offset_words(offset)),
            3,
        ),
        Some(offset) => Row::new(
            "clock",
            false,
            format!(
                "{} from the service's Date header (more than {CLOCK_TOLERANCE_SECS} s): set the time (NTP)",
                offset_words(offset)
            ),
            3,
        ),
        None => Row::new("clock", false, "not checked: no answer carried a Date header", 3),
    });

    // The journal.
    rows.push(journal_row(global).await);

    // The probes.
    if let Some(report) = &report {
        for probe in &report.probes {
            rows.push(probe_row(probe, report));
        }
        for skipped in &report.skipped {
            let name = skipped.split(':').next().unwrap_or_default();
            rows.push(Row::new(
                &format!("probe {name}"),
                false,
                format!("not sent: {}", after_colon(skipped)),
                3,
            ));
        }
    }

    let passed = rows.iter().filter(|row| row.ok).count();
    let all_pass = passed == rows.len();
    let mut human = table(&rows);
    if let Some(report) = &report
        && (report.differences().next().is_some() || !report.failures.is_empty())
    {
        human.push_str("\nThe probes in detail:\n\n");
        human.push_str(&report.text());
    }
    human.push_str(&format!(
        "\n{passed} of {} checks passed{}",
        rows.len(),
        if all_pass {
            ""
        } else {
            "; see the rows marked FAIL"
        }
    ));
    let json = json!({
        "ok": all_pass,
        "checks": rows.iter().map(|row| json!({"check": row.check, "ok": row.ok, "detail": row.detail})).collect::<Vec<Value>>(),
        "contract": report.as_ref().map(|report| report.to_json()),
    });

    #[cfg(feature = "mock")]
    if let Some(mock) = mock {
        mock.stop().await;
    }
    if all_pass {
        return Ok(Report { json, human });
    }
    let first = rows.iter().find(|row| !row.ok).expect("one failed");
    Err(Failure::Summary {
        message: format!(
            "{} of {} checks failed, the first: {}",
            rows.len() - passed,
            rows.len(),
            first.check
        ),
        code: first.code,
        report: json,
        human,
    })
}

fn read_key_file(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read the API key file {}: {error}", path.display()))
}

fn after_colon(text: &str) -> &str {
    text.split_once(": ").map_or(text, |(_, rest)| rest)
}

fn offset_words(offset: f64) -> String {
    if offset.abs() < 1.5 {
        "in step (within a second)".into()
    } else if offset > 0.0 {
        format!("{offset:.0} s behind")
    } else {
        format!("{:.0} s ahead", -offset)
    }
}

async fn journal_row(global: &Global) -> Row {
    let store = match crate::journal::open(global).await {
        Err(failure) => return Row::new("journal", false, failure.message(), 1),
        Ok(None) => {
            return Row::new(
                "journal",
                true,
                "off (--no-journal): tasks made here are not recorded",
                1,
            );
        }
        Ok(Some(store)) => store,
    };
    let place = match store.location() {
        ":memory:" | "memory" => "in memory (--mock)".to_string(),
        place => place.to_string(),
    };
    match store.list(&TaskQuery::unfinished()).await {
        Ok(unfinished) if unfinished.is_empty() => Row::new(
            "journal",
            true,
            format!(
                "{place}: opens (a task store this version reads and writes); no task left unfinished"
            ),
            1,
        ),
        Ok(unfinished) => {
            let ids: Vec<&str> = unfinished
                .iter()
                .take(3)
                .map(|record| record.task_id.as_deref().unwrap_or(record.key.as_str()))
                .collect();
            Row::new(
                "journal",
                true,
                format!(
                    "{place}: opens (a task store this version reads and writes); {} task{} left unfinished ({}{}): anyfast-video resume --all",
                    unfinished.len(),
                    if unfinished.len() == 1 { "" } else { "s" },
                    ids.join(", "),
                    if unfinished.len() > 3 { ", …" } else { "" }
                ),
                1,
            )
        }
        Err(error) => Row::new(
            "journal",
            false,
            format!("{place}: opens, but cannot be read: {error}"),
            1,
        ),
    }
}

fn probe_row(probe: &ProbeReport, report: &anyfast_video_contract::Report) -> Row {
    let name = format!("probe {}", probe.probe);
    let answer = match &probe.answer {
        Ok(answer) => answer,
        Err(no_answer) => {
            return Row::new(
                &name,
                false,
                format!("no answer: {}", no_answer.message()),
                3,
            );
        }
    };
    let failed = report
        .failures
        .iter()
        .find(|failure| failure.starts_with(&format!("{}:", probe.probe)));
    let breaking = probe
        .differences
        .iter()
        .filter(|d| d.breaks.generated_client || d.breaks.reader)
        .count();
    let differences = match (probe.differences.len(), breaking) {
        (0, _) => "no difference".to_string(),
        (all, 0) => format!(
            "{all} difference{} breaking neither client",
            if all == 1 { "" } else { "s" }
        ),
        (all, breaking) => format!(
            "{all} difference{}, {breaking} BREAKING",
            if all == 1 { "" } else { "s" }
        ),
    };
    let detail = format!(
        "{} {} → {}: {differences}{}",
        probe.operation.method(),
        probe.path,
        answer.status,
        failed
            .map(|failure| format!("; {}", after_colon(failure)))
            .unwrap_or_default()
    );
    Row::new(&name, failed.is_none() && breaking == 0, detail, 3)
}

fn table(rows: &[Row]) -> String {
    let width = rows
        .iter()
        .map(|row| row.check.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut text = format!("{:<width$}  {:<6}  DETAIL\n", "CHECK", "RESULT");
    for row in rows {
        text.push_str(&format!(
            "{:<width$}  {:<6}  {}\n",
            row.check,
            if row.ok { "pass" } else { "FAIL" },
            row.detail
        ));
    }
    text
}
