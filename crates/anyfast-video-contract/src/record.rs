//! `--record DIR`: every exchange saved, redacted, in the answer corpus's own format, so that
//! a real answer joins `crates/anyfast-video/tests/fixtures/answers/` with one command
//! (`cp DIR/*.json crates/anyfast-video/tests/fixtures/answers/`, or `--record` that folder
//! itself).
//!
//! A recording is one JSON file with the corpus's keys in the corpus's order — `about`,
//! `source`, `operation`, (for a Kling query, `asked`: the Kling path the runner asks for,
//! `kling/text2video/<id>`), `status`, `content_type`, `body` (or `body_text` when the body is
//! not JSON), `expect` — and one more, `recorded` (the request, the answer's headers, when),
//! which the corpus's runner ignores (its `headers` are the answer's, one `name: value` each,
//! in order). `expect` is what the tolerant reader gave when the
//! redacted answer was served to it the way the corpus's runner serves it: recorded, the
//! answer passes the corpus as it stands; when anyfast changes, a new recording shows how.
//!
//! The body is kept as it came: its keys in their order, its numbers as written; only the
//! layout (indentation) is the file's, and only [`Redactor`] changes text. A file that would
//! still hold the key or a signature is not written.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyfast_video::{Error, Task};
use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::exchange::{Download, Exchange};
use crate::operation::Operation;
use crate::redact::Redactor;
use crate::replay::{ASKED_KLING, ASKED_TASK_ID, Read, ReaderOutcome, Replay};

/// Writes recordings into one folder.
pub struct Recorder {
    dir: PathBuf,
    redactor: Redactor,
    base_url: String,
    host: String,
    day: String,
    written: Vec<PathBuf>,
}

impl Recorder {
    /// A recorder into `dir` (created if missing) of the exchanges with `base_url`.
    pub fn new(dir: &Path, base_url: &str, redactor: Redactor) -> io::Result<Recorder> {
        std::fs::create_dir_all(dir)?;
        let host = url::Url::parse(base_url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_string))
            .unwrap_or_else(|| "service".into());
        let now = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
        Ok(Recorder {
            dir: dir.to_path_buf(),
            base_url: redactor.text(base_url),
            redactor,
            host,
            day: now[..10].replace('-', ""),
            written: Vec::new(),
        })
    }

    /// The files written so far.
    pub fn written(&self) -> &[PathBuf] {
        &self.written
    }

    /// Records `exchange`, which `probe` got while asking `about`; the reader's part of the
    /// file (`expect`) comes from `replay`.
    pub async fn record(
        &mut self,
        probe: &str,
        about: &str,
        exchange: &Exchange,
        replay: &Replay,
    ) -> io::Result<PathBuf> {
        let operation = exchange.request.operation;
        let redacted_text = self.redactor.text(&String::from_utf8_lossy(&exchange.body));
        let json_body = exchange.json().and_then(|_| {
            pretty_redacted(&String::from_utf8_lossy(&exchange.body), &self.redactor, 1)
        });
        let body_bytes = match &json_body {
            Some(pretty) => Bytes::from(pretty.clone()),
            None => Bytes::from(redacted_text.clone()),
        };
        // Served as the corpus's runner serves it: the status, the content type, the body.
        let content_type = exchange.content_type().unwrap_or_default().to_string();
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(&content_type) {
            headers.insert(header::CONTENT_TYPE, value);
        }
        let outcome = replay
            .reader(operation, exchange.status, &headers, &body_bytes)
            .await;
        let expect = self.redactor.json(&expect_of(&outcome));
        let read = match &outcome {
            Ok(read) => describe_read(read),
            Err(error) => format!("the error {}", short(&error.to_string())),
        };
        let at = humantime::format_rfc3339_seconds(exchange.received_at).to_string();
        let about = format!(
            "Recorded from {}: {about} (probe {probe}); the tolerant reader gave {read}",
            self.host
        );
        let source = format!(
            "recorded by anyfast-video-contract {} from {} at {at}; the key and signed URLs' queries removed",
            env!("CARGO_PKG_VERSION"),
            self.base_url
        );
        let answer_headers: Vec<Value> = exchange
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes());
                json!(format!(
                    "{name}: {}",
                    self.redactor.header(name.as_str(), &value)
                ))
            })
            .collect();
        let recorded = json!({
            "at": at,
            "from": self.base_url,
            "request": {
                "method": operation.method(),
                "path": self.redactor.text(&exchange.request.path),
                "body": exchange.request.body.as_ref().map(|body| self.redactor.json(body)),
            },
            "headers": answer_headers,
            "elapsed_ms": exchange.elapsed.as_millis() as u64,
            "truncated": exchange.truncated,
        });

        let mut file = String::from("{\n");
        let mut field = |name: &str, value: &str| {
            let _ = writeln!(file, "  {}: {value},", Value::String(name.into()));
        };
        field("about", &Value::String(about).to_string());
        field("source", &Value::String(source).to_string());
        field("operation", &json!(operation.corpus_name()).to_string());
        if operation == Operation::GetKlingTask {
            // The corpus's runner asks for this path (a Kling query, by its action).
            field("asked", &json!(ASKED_KLING).to_string());
        }
        field("status", &exchange.status.to_string());
        field("content_type", &json!(content_type).to_string());
        match &json_body {
            Some(pretty) => field("body", pretty),
            None => field("body_text", &Value::String(redacted_text).to_string()),
        }
        field("expect", &indented(&expect));
        let _ = write!(file, "  \"recorded\": {}\n}}\n", indented(&recorded));

        if self.redactor.leaks(&file) {
            return Err(io::Error::other(format!(
                "the recording of probe {probe} would still hold the key or a signature; not written"
            )));
        }
        let path = self.free_path(&format!(
            "{}-{}-{probe}",
            operation.corpus_name(),
            exchange.status
        ));
        std::fs::write(&path, file)?;
        self.written.push(path.clone());
        Ok(path)
    }

    /// Records the download of the billed video: not an answer of the API (the corpus has
    /// no place for it), so a text file beside the recordings, with the status, the headers,
    /// the length and the first box; never the video.
    pub fn record_download(&mut self, url: &str, download: &Download) -> io::Result<PathBuf> {
        let mut text = format!(
            "GET {}\n(fetched without the key; the URL's query, its signature, removed)\n\n{}\n",
            self.redactor.text(url),
            download.status
        );
        for (name, value) in &download.headers {
            let value = String::from_utf8_lossy(value.as_bytes());
            let _ = writeln!(
                text,
                "{name}: {}",
                self.redactor.header(name.as_str(), &value)
            );
        }
        let _ = writeln!(
            text,
            "\n{} bytes in {} ms; {}",
            download.length,
            download.elapsed.as_millis(),
            match download.mp4_brand() {
                Some(brand) => format!("starts with an ftyp box, major brand {brand:?}: an MP4"),
                None => "does NOT start with an ftyp box".into(),
            }
        );
        if self.redactor.leaks(&text) {
            return Err(io::Error::other(
                "the download's record would still hold a signature; not written",
            ));
        }
        let path = self.free_path_with("download", "txt");
        std::fs::write(&path, text)?;
        self.written.push(path.clone());
        Ok(path)
    }

    fn free_path(&self, stem: &str) -> PathBuf {
        self.free_path_with(stem, "json")
    }

    /// `STEM-HOST-DAY.EXT`, or with `-2`, `-3`... when taken: a new recording never replaces
    /// an older one.
    fn free_path_with(&self, stem: &str, extension: &str) -> PathBuf {
        let base = format!("{stem}-{}-{}", self.host, self.day);
        let mut path = self.dir.join(format!("{base}.{extension}"));
        let mut number = 2;
        while path.exists() {
            path = self.dir.join(format!("{base}-{number}.{extension}"));
            number += 1;
        }
        path
    }
}

fn short(text: &str) -> String {
    crate::report::cut(text, 120)
}

/// What the reader read, in a few words.
pub(crate) fn describe_read(read: &Read) -> String {
    match read {
        // A query's task carries the id the replay asked about, not the service's: left out.
        Read::Task(task) if task.id == ASKED_TASK_ID => {
            format!("a task {} {}%", task.status, task.progress)
        }
        Read::Task(task) => format!("task {} {} {}%", task.id, task.status, task.progress),
        Read::Models(models) => format!(
            "{} models ({} for video)",
            models.len(),
            models.iter().filter(|model| model.is_video()).count()
        ),
        Read::Page(page) => format!(
            "{} assets{}",
            page.items.len(),
            page.total
                .map(|total| format!(" of {total}"))
                .unwrap_or_default()
        ),
        Read::Asset(asset) => format!("asset {} {}", asset.id, asset.status),
    }
}

/// The corpus's `expect` for what the reader gave: `task`, `models`, `page`, `asset` or
/// `error`, in the vocabulary of `crates/anyfast-video/tests/it/answers.rs`.
pub fn expect_of(outcome: &ReaderOutcome) -> Value {
    match outcome {
        Ok(Read::Task(task)) => json!({"task": task_expect(task)}),
        Ok(Read::Models(models)) => json!({"models": {
            "ids": models.iter().map(|model| model.id.clone()).collect::<Vec<_>>(),
        }}),
        Ok(Read::Page(page)) => json!({"page": {
            "ids": page.items.iter().map(|asset| asset.id.clone()).collect::<Vec<_>>(),
            "total": page.total,
        }}),
        Ok(Read::Asset(asset)) => json!({"asset": {
            "id": asset.id,
            "status": asset.status.to_string(),
        }}),
        Err(error) => json!({"error": error_expect(error)}),
    }
}

fn unix(time: Option<SystemTime>) -> Option<u64> {
    time.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
}

fn task_expect(task: &Task) -> Value {
    let mut expect = json!({
        "id": task.id,
        "status": task.status.to_string(),
        "progress": task.progress,
        "video_url": task.video_url,
        "failure": task.failure.as_ref().map(|f| json!({"reason": f.reason, "code": f.code})),
    });
    let optional = [
        (
            "last_frame_url",
            task.last_frame_url.clone().map(Value::from),
        ),
        ("model", task.model.clone().map(Value::from)),
        ("created_at", unix(task.created_at).map(Value::from)),
        ("finished_at", unix(task.finished_at).map(Value::from)),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            expect[name] = value;
        }
    }
    if !task.other_ids.is_empty() {
        expect["other_ids"] = json!(task.other_ids);
    }
    expect
}

fn error_expect(error: &Error) -> Value {
    let kind = match error {
        Error::Api { .. } => "api",
        Error::RateLimited { .. } => "rate_limited",
        Error::CreateOutcomeUnknown { .. } => "create_outcome_unknown",
        Error::InvalidResponse { .. } => "invalid_response",
        Error::Transport { .. } => "transport",
        _ => "other",
    };
    let mut expect = json!({"kind": kind});
    if let Error::Api {
        status,
        code,
        request_id,
        ..
    } = error
    {
        expect["status"] = json!(status);
        if let Some(code) = code {
            expect["code"] = json!(code);
        }
        if let Some(request_id) = request_id {
            expect["request_id"] = json!(request_id);
        }
    }
    if let Some(task_id) = error.task_id() {
        expect["task_id"] = json!(task_id);
    }
    expect
}

/// A value pretty-printed, its lines after the first indented by two spaces (a value of the
/// file's top-level object).
fn indented(value: &Value) -> String {
    serde_json::to_string_pretty(value)
        .unwrap_or_default()
        .replace('\n', "\n  ")
}

/// A JSON text laid out with two-space indentation at `depth`, its keys in their order and its
/// numbers as written, each string (key or value) passed through the redactor: re-encoded
/// when the redactor changed it, kept byte for byte otherwise. `None` when it is not JSON.
pub fn pretty_redacted(raw: &str, redactor: &Redactor, depth: usize) -> Option<String> {
    serde_json::from_str::<Value>(raw).ok()?;
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len() + raw.len() / 4);
    let mut level = depth;
    let newline = |out: &mut String, level: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(level));
    };
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b' ' | b'\t' | b'\n' | b'\r' => at += 1,
            b'"' => {
                let end = string_end(bytes, at)?;
                let token = &raw[at..end];
                let text: String = serde_json::from_str(token).ok()?;
                let redacted = redactor.text(&text);
                if redacted == text {
                    out.push_str(token);
                } else {
                    out.push_str(&Value::String(redacted).to_string());
                }
                at = end;
            }
            open @ (b'{' | b'[') => {
                out.push(open as char);
                let close = if open == b'{' { b'}' } else { b']' };
                let next = bytes[at + 1..]
                    .iter()
                    .position(|b| !b.is_ascii_whitespace())
                    .map(|offset| at + 1 + offset);
                match next {
                    Some(next) if bytes[next] == close => {
                        out.push(close as char);
                        at = next + 1;
                    }
                    _ => {
                        level += 1;
                        newline(&mut out, level);
                        at += 1;
                    }
                }
            }
            close @ (b'}' | b']') => {
                level = level.saturating_sub(1);
                newline(&mut out, level);
                out.push(close as char);
                at += 1;
            }
            b',' => {
                out.push(',');
                newline(&mut out, level);
                at += 1;
            }
            b':' => {
                out.push_str(": ");
                at += 1;
            }
            _ => {
                // A number, true, false or null: up to the next structural character.
                let end = bytes[at..]
                    .iter()
                    .position(|b| b",:{}[]\" \t\n\r".contains(b))
                    .map_or(bytes.len(), |offset| at + offset);
                out.push_str(&raw[at..end]);
                at = end;
            }
        }
    }
    Some(out)
}

/// The end (one past the closing quote) of the JSON string starting at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_keeps_the_order_and_the_numbers_and_redacts_only_strings() {
        let redactor = Redactor::new(Some("sk-live-key-0001"));
        let raw = r#"{"z":1.50,"a":[],"m":{},"u":"https://x.example/v.mp4?X-Tos-Signature=abc\u0026b=1","k":"sk-live-key-0001","n":[1,{"b":null}]}"#;
        let pretty = pretty_redacted(raw, &redactor, 0).unwrap();
        assert_eq!(
            pretty,
            "{\n  \"z\": 1.50,\n  \"a\": [],\n  \"m\": {},\n  \"u\": \"https://x.example/v.mp4\",\n  \"k\": \"<redacted>\",\n  \"n\": [\n    1,\n    {\n      \"b\": null\n    }\n  ]\n}"
        );
        let reparsed: Value = serde_json::from_str(&pretty).unwrap();
        assert_eq!(reparsed["z"], json!(1.5));
        assert!(pretty_redacted("<html>", &redactor, 0).is_none());
        // A string the redactor leaves alone keeps its escapes byte for byte.
        assert!(
            pretty_redacted(r#"["caf\u00e9"]"#, &redactor, 0)
                .unwrap()
                .contains(r"caf\u00e9")
        );
    }
}
