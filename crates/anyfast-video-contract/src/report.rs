//! The report of a check: each probe's answer and verdicts, every difference, what failed,
//! as a table for people and as JSON for scripts.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::difference::Difference;
use crate::exchange::NoAnswer;
use crate::operation::Operation;
use crate::replay::ClientVerdict;

/// Which differences make a check fail (besides [`Report::failures`], which always do).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FailOn {
    /// Any difference at all: for a service that must answer exactly as the spec says (the
    /// plain mock).
    Any,
    /// A difference that breaks the generated client or the tolerant reader (the default).
    #[default]
    Breaking,
    /// Only one that breaks the tolerant reader: for a service whose answers are meant to
    /// drift beyond the spec (the drifting mock), which the generated client is not built for.
    Reader,
}

/// A probe's answer, as far as the report needs it.
#[derive(Clone, Debug)]
pub struct Answered {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// How long the answer took.
    pub elapsed: Duration,
    /// The `Date` header, read.
    pub date: Option<SystemTime>,
    /// When the answer came, by this machine's clock.
    pub received_at: SystemTime,
    /// What the generated client made of it.
    pub generated_client: ClientVerdict,
    /// What the tolerant reader read (`task cgt-… succeeded 100%`, `API error 404 …`),
    /// redacted.
    pub reader: String,
    /// Why the tolerant reader could not read it, if it could not.
    pub reader_broke: Option<String>,
}

/// One probe in the report.
#[derive(Clone, Debug)]
pub struct ProbeReport {
    /// The probe's name (`missing-task`, `billed-query`).
    pub probe: String,
    /// What it asked, in words.
    pub about: String,
    /// The operation.
    pub operation: Operation,
    /// The path it asked (ids in it).
    pub path: String,
    /// The answer, or why there was none.
    pub answer: Result<Answered, NoAnswer>,
    /// The differences in the answer.
    pub differences: Vec<Difference>,
}

/// The download of the billed task's video.
#[derive(Clone, Debug)]
pub struct DownloadReport {
    /// The URL without its query (the signature).
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// How many bytes came.
    pub bytes: u64,
    /// The MP4's major brand (`isom`), when the file starts with an `ftyp` box.
    pub mp4_brand: Option<String>,
    /// How long it took.
    pub elapsed: Duration,
}

/// The outcome of a check.
#[derive(Clone, Debug)]
pub struct Report {
    /// The service checked (without credentials).
    pub base_url: String,
    /// The spec's `info.version`.
    pub spec_version: String,
    /// When the check started.
    pub started_at: SystemTime,
    /// Whether the billed generation was part of it.
    pub billed: bool,
    /// Each probe sent, in order.
    pub probes: Vec<ProbeReport>,
    /// Probes not sent, and why.
    pub skipped: Vec<String>,
    /// The billed task's video, once downloaded.
    pub download: Option<DownloadReport>,
    /// What failed whatever the differences: a probe without an answer, a refused create
    /// that was accepted, a billed task that failed or whose video is no MP4.
    pub failures: Vec<String>,
    /// The files written by `--record`.
    pub recorded: Vec<PathBuf>,
}

impl Report {
    /// Every difference, probe by probe.
    pub fn differences(&self) -> impl Iterator<Item = &Difference> {
        self.probes.iter().flat_map(|probe| &probe.differences)
    }

    /// Whether a difference breaks the generated client.
    pub fn breaks_generated_client(&self) -> bool {
        self.differences().any(|d| d.breaks.generated_client)
    }

    /// Whether a difference breaks the tolerant reader.
    pub fn breaks_reader(&self) -> bool {
        self.differences().any(|d| d.breaks.reader)
    }

    /// Whether the check passes: no failure, and no difference of the kind `fail_on` names.
    pub fn passes(&self, fail_on: FailOn) -> bool {
        self.failures.is_empty()
            && self.skipped.is_empty()
            && match fail_on {
                FailOn::Any => self.differences().next().is_none(),
                FailOn::Breaking => !self.breaks_generated_client() && !self.breaks_reader(),
                FailOn::Reader => !self.breaks_reader(),
            }
    }

    /// The probe of this name (the first, for the billed queries).
    pub fn probe(&self, name: &str) -> Option<&ProbeReport> {
        self.probes.iter().find(|probe| probe.probe == name)
    }

    /// How far this machine's clock is behind the service's (positive) or ahead of it
    /// (negative), in seconds, from the first answer with a `Date` header. `Date` has whole
    /// seconds, so the figure is good to about a second.
    pub fn clock_offset(&self) -> Option<f64> {
        self.probes.iter().find_map(|probe| {
            let answer = probe.answer.as_ref().ok()?;
            let date = answer.date?;
            // `Date` is cut to the second: its middle is half a second later.
            let date = date + Duration::from_millis(500);
            Some(match date.duration_since(answer.received_at) {
                Ok(ahead) => ahead.as_secs_f64(),
                Err(behind) => -behind.duration().as_secs_f64(),
            })
        })
    }

    /// One line: the counts.
    pub fn summary(&self) -> String {
        let total = self.differences().count();
        let client = self
            .differences()
            .filter(|d| d.breaks.generated_client)
            .count();
        let reader = self.differences().filter(|d| d.breaks.reader).count();
        let mut line = format!(
            "{} probe{}, {total} difference{}: {client} breaking the generated client, {reader} breaking the tolerant reader",
            self.probes.len(),
            plural(self.probes.len()),
            plural(total),
        );
        if !self.failures.is_empty() {
            line.push_str(&format!(
                "; {} failure{}",
                self.failures.len(),
                plural(self.failures.len())
            ));
        }
        if !self.skipped.is_empty() {
            line.push_str(&format!("; {} not sent", self.skipped.len()));
        }
        line
    }

    /// The report as a table, for a terminal.
    pub fn text(&self) -> String {
        let mut rows = vec![[
            "probe".to_string(),
            "request".to_string(),
            "status".to_string(),
            "generated client".to_string(),
            "tolerant reader".to_string(),
            "differences".to_string(),
        ]];
        for probe in &self.probes {
            let request = format!("{} {}", probe.operation.method(), probe.path);
            let row = match &probe.answer {
                Ok(answer) => [
                    probe.probe.clone(),
                    request,
                    answer.status.to_string(),
                    match &answer.generated_client {
                        ClientVerdict::Decoded(_) => "ok".to_string(),
                        ClientVerdict::Broke { .. } => "BREAKS".to_string(),
                    },
                    match &answer.reader_broke {
                        None => format!("ok: {}", cut(&answer.reader, 48)),
                        Some(_) => "BREAKS".to_string(),
                    },
                    probe.differences.len().to_string(),
                ],
                Err(no_answer) => [
                    probe.probe.clone(),
                    request,
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    format!("no answer: {}", cut(no_answer.message(), 60)),
                ],
            };
            rows.push(row);
        }
        let mut text = format!(
            "contract check of {} against openapi.yaml {}{}\n\n",
            self.base_url,
            self.spec_version,
            if self.billed {
                " (with the billed generation)"
            } else {
                ""
            }
        );
        text.push_str(&table(&rows));
        if let Some(download) = &self.download {
            text.push_str(&format!(
                "\ndownload: {} {} {} bytes, {}\n",
                download.url,
                download.status,
                download.bytes,
                match &download.mp4_brand {
                    Some(brand) => format!("an MP4 (ftyp {brand})"),
                    None => "NOT an MP4 (no ftyp box)".into(),
                }
            ));
        }
        // The same difference in several answers (a task polled many times) is shown once,
        // with how often it came; the JSON report keeps each.
        let mut grouped: Vec<(&Difference, usize)> = Vec::new();
        for difference in self.differences() {
            let same = |(seen, _): &&mut (&Difference, usize)| {
                seen.probe == difference.probe
                    && seen.operation == difference.operation
                    && seen.path == difference.path
                    && seen.kind == difference.kind
                    && seen.spec == difference.spec
                    && seen.breaks == difference.breaks
            };
            match grouped.iter_mut().find(same) {
                Some((_, count)) => *count += 1,
                None => grouped.push((difference, 1)),
            }
        }
        if !grouped.is_empty() {
            text.push_str("\ndifferences:\n");
            for (difference, count) in grouped {
                let times = if count > 1 {
                    format!(" (in {count} answers; the first shown)")
                } else {
                    String::new()
                };
                text.push_str(&format!(
                    "  {} {} {} [{}]{times}\n      spec: {}\n      came: {}\n      breaks: {}\n",
                    difference.probe,
                    difference.operation,
                    difference.path,
                    difference.kind.name(),
                    difference.spec,
                    difference.came,
                    difference.breaks.words()
                ));
            }
        }
        let mut said = Vec::new();
        for probe in &self.probes {
            let Ok(answer) = &probe.answer else {
                continue;
            };
            if let ClientVerdict::Broke { error, .. } = &answer.generated_client {
                said.push(format!(
                    "{}: the generated client: {}",
                    probe.probe,
                    cut(error, 300)
                ));
            }
            if let Some(why) = &answer.reader_broke {
                said.push(format!(
                    "{}: the tolerant reader: {}",
                    probe.probe,
                    cut(why, 300)
                ));
            }
        }
        said.dedup();
        for line in said {
            text.push_str(&format!("\n{line}"));
        }
        for skipped in &self.skipped {
            text.push_str(&format!("\nnot sent: {skipped}"));
        }
        for failure in &self.failures {
            text.push_str(&format!("\nFAILED: {failure}"));
        }
        for path in &self.recorded {
            text.push_str(&format!("\nrecorded: {}", path.display()));
        }
        text.push_str(&format!("\n\n{}\n", self.summary()));
        text
    }

    /// The report as one JSON object.
    pub fn to_json(&self) -> Value {
        let probes: Vec<Value> = self
            .probes
            .iter()
            .map(|probe| {
                let mut object = json!({
                    "probe": probe.probe,
                    "about": probe.about,
                    "operation": probe.operation.id(),
                    "method": probe.operation.method(),
                    "path": probe.path,
                    "differences": probe.differences.iter().map(Difference::to_json).collect::<Vec<_>>(),
                });
                match &probe.answer {
                    Ok(answer) => {
                        object["status"] = json!(answer.status);
                        object["content_type"] = json!(answer.content_type);
                        object["elapsed_ms"] = json!(answer.elapsed.as_millis() as u64);
                        object["generated_client"] = match &answer.generated_client {
                            ClientVerdict::Decoded(what) => json!({"ok": true, "decoded": what}),
                            ClientVerdict::Broke { error, .. } => {
                                json!({"ok": false, "error": error})
                            }
                        };
                        object["reader"] = json!({
                            "ok": answer.reader_broke.is_none(),
                            "read": answer.reader,
                            "error": answer.reader_broke,
                        });
                    }
                    Err(no_answer) => object["no_answer"] = json!(no_answer.message()),
                }
                object
            })
            .collect();
        json!({
            "base_url": self.base_url,
            "spec_version": self.spec_version,
            "started_at": humantime::format_rfc3339_seconds(self.started_at).to_string(),
            "billed": self.billed,
            "probes": probes,
            "differences": self.differences().count(),
            "breaks_generated_client": self.breaks_generated_client(),
            "breaks_reader": self.breaks_reader(),
            "download": self.download.as_ref().map(|download| json!({
                "url": download.url,
                "status": download.status,
                "content_type": download.content_type,
                "bytes": download.bytes,
                "mp4_brand": download.mp4_brand,
                "elapsed_ms": download.elapsed.as_millis() as u64,
            })),
            "skipped": self.skipped,
            "failures": self.failures,
            "recorded": self.recorded.iter().map(|path| path.display().to_string()).collect::<Vec<_>>(),
            "clock_offset_seconds": self.clock_offset(),
            "summary": self.summary(),
        })
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// At most `limit` characters of `text`, on one line.
pub(crate) fn cut(text: &str, limit: usize) -> String {
    let line = text.replace(['\n', '\r'], " ");
    if line.chars().count() <= limit {
        line
    } else {
        let cut: String = line.chars().take(limit).collect();
        format!("{cut}…")
    }
}

/// Rows as columns padded to their widest cell.
pub(crate) fn table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in rows {
        let mut line = String::new();
        for (index, (cell, width)) in row.iter().zip(widths).enumerate() {
            if index + 1 == N {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  "));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}
