//! A check: the probes sent, each answer held to the spec and replayed to both clients, what
//! it breaks decided, the answers recorded; and, when asked, the billed generation.

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyfast_video::{Error, TaskStatus};
use serde_json::Value;

use crate::difference::{Breaks, Difference, Kind};
use crate::exchange::{Exchange, Http, NoAnswer};
use crate::operation::Operation;
use crate::probe::{self, Expect, Probe};
use crate::record::{Recorder, describe_read};
use crate::redact::Redactor;
use crate::replay::{ClientVerdict, Read, ReaderOutcome, Replay, reader_broke};
use crate::report::{Answered, DownloadReport, ProbeReport, Report, cut};
use crate::spec::Spec;

/// The service to check, and the key to check it with.
#[derive(Clone)]
pub struct Target {
    base_url: String,
    key: Option<String>,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("base_url", &self.base_url)
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Target {
    /// `base_url` (a trailing `/` is dropped), with `key` (none: only what needs no key is
    /// asked, and the key counts as missing).
    pub fn new(base_url: &str, key: Option<String>) -> Target {
        Target {
            base_url: base_url.trim_end_matches('/').to_string(),
            key: key
                .map(|key| key.trim().to_string())
                .filter(|key| !key.is_empty()),
        }
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Whether there is a key.
    pub fn has_key(&self) -> bool {
        self.key.is_some()
    }

    /// The redactor of this target's key.
    pub fn redactor(&self) -> Redactor {
        Redactor::new(self.key.as_deref())
    }
}

/// Something to tell the person waiting (a task's progress while the billed check waits).
pub type Progress = Arc<dyn Fn(&str) + Send + Sync>;

/// How a check runs.
#[derive(Clone)]
pub struct Options {
    /// Add the one billed generation (see [`BILLED_COST`](crate::BILLED_COST)).
    pub billed: bool,
    /// Save every exchange, redacted, in the answer corpus's format, into this folder.
    pub record: Option<PathBuf>,
    /// How often the billed task is queried (default 15 s, the service's advice).
    pub poll_interval: Duration,
    /// How long the billed task may take (default 20 minutes).
    pub billed_timeout: Duration,
    /// How long one request may take (default 120 s; the gateway can hold a create).
    pub request_timeout: Duration,
    /// Told what happens during the billed generation.
    pub progress: Option<Progress>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            billed: false,
            record: None,
            poll_interval: Duration::from_secs(15),
            billed_timeout: Duration::from_secs(20 * 60),
            request_timeout: Duration::from_secs(120),
            progress: None,
        }
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("billed", &self.billed)
            .field("record", &self.record)
            .field("poll_interval", &self.poll_interval)
            .field("billed_timeout", &self.billed_timeout)
            .finish_non_exhaustive()
    }
}

/// Runs the free probes against `target` (and the billed generation when
/// [`Options::billed`]), and reports every difference. Never fails: what goes wrong is in the
/// report ([`Report::failures`]).
pub async fn check(target: &Target, options: &Options) -> Report {
    let redactor = target.redactor();
    let mut report = Report {
        base_url: redactor.text(&target.base_url),
        spec_version: Spec::embedded().version().to_string(),
        started_at: SystemTime::now(),
        billed: options.billed,
        probes: Vec::new(),
        skipped: Vec::new(),
        download: None,
        failures: Vec::new(),
        recorded: Vec::new(),
    };
    let http = match Http::new(
        &target.base_url,
        target.key.as_deref(),
        options.request_timeout,
    ) {
        Ok(http) => http,
        Err(error) => {
            report.failures.push(redactor.text(&error));
            return report;
        }
    };
    let replay = match Replay::start().await {
        Ok(replay) => replay,
        Err(error) => {
            report.failures.push(format!(
                "cannot start the replay server on 127.0.0.1: {error}"
            ));
            return report;
        }
    };
    let recorder = match &options.record {
        None => None,
        Some(dir) => match Recorder::new(dir, &target.base_url, redactor.clone()) {
            Ok(recorder) => Some(recorder),
            Err(error) => {
                report
                    .failures
                    .push(format!("cannot record into {}: {error}", dir.display()));
                return report;
            }
        },
    };
    let mut checker = Checker {
        http,
        replay,
        redactor,
        recorder,
        report,
    };
    checker.free_probes(target.has_key()).await;
    if options.billed {
        // Nothing is billed after a free probe went wrong: the key, the service or a refusal
        // is not what it must be, and a paid task would only add to it.
        if checker.report.skipped.is_empty() && checker.report.failures.is_empty() {
            checker.billed(options).await;
        } else {
            checker
                .report
                .skipped
                .push("billed generation: a free probe went wrong first".into());
        }
    }
    let mut report = checker.report;
    if let Some(recorder) = checker.recorder {
        report.recorded = recorder.written().to_vec();
    }
    report
}

/// The state of one check.
struct Checker {
    http: Http,
    replay: Replay,
    redactor: Redactor,
    recorder: Option<Recorder>,
    report: Report,
}

impl Checker {
    async fn free_probes(&mut self, has_key: bool) {
        let mut probes = probe::free().into_iter();
        if !has_key {
            // Without a key only the models list is asked: the 401 it must give says that the
            // service is there (and its Date, what its clock says).
            let models = probes.next().expect("the models probe comes first");
            let unauthenticated = Probe {
                name: "models-without-key",
                about: "the models list without a key (the service must refuse it with 401)",
                expect: Expect::Unauthorized,
                ..models
            };
            self.send(&unauthenticated).await;
            self.report.skipped.extend(
                probes.map(|probe| format!("{}: there is no key to send it with", probe.name)),
            );
            return;
        }
        let mut key_refused = None;
        for probe in probes {
            if let Some(status) = key_refused {
                self.report.skipped.push(format!(
                    "{}: the key was refused (the models list answered {status})",
                    probe.name
                ));
                continue;
            }
            let answered = self.send(&probe).await;
            if probe.name == "models"
                && let Some((exchange, _)) = &answered
                && matches!(exchange.status, 401 | 403)
            {
                key_refused = Some(exchange.status);
            }
        }
    }

    /// Sends a probe, judges and records its answer; the exchange and the reader's outcome.
    async fn send(&mut self, probe: &Probe) -> Option<(Exchange, ReaderOutcome)> {
        let idempotency_key =
            (probe.operation == Operation::CreateTask).then(anyfast_video::new_idempotency_key);
        let sent = self
            .http
            .send(
                probe.operation,
                &probe.path,
                probe.body.as_ref(),
                idempotency_key.as_deref(),
            )
            .await;
        let exchange = match sent {
            Ok(exchange) => exchange,
            Err(no_answer) => {
                let no_answer = self.redacted(no_answer);
                let uncertain =
                    if probe.operation.is_create() && !matches!(no_answer, NoAnswer::Connect(_)) {
                        " (a create that got no answer may still have made a task)"
                    } else {
                        ""
                    };
                self.report.failures.push(format!(
                    "{}: no answer from {} {}: {}{uncertain}",
                    probe.name,
                    probe.operation.method(),
                    probe.path,
                    no_answer.message()
                ));
                self.report.probes.push(ProbeReport {
                    probe: probe.name.to_string(),
                    about: probe.about.to_string(),
                    operation: probe.operation,
                    path: probe.path.clone(),
                    answer: Err(no_answer),
                    differences: Vec::new(),
                });
                return None;
            }
        };
        let (probe_report, outcome) = self
            .judge(probe.name, probe.about, &exchange, probe.expect)
            .await;
        self.report.probes.push(probe_report);
        self.record(probe.name, probe.about, &exchange).await;
        Some((exchange, outcome))
    }

    fn redacted(&self, no_answer: NoAnswer) -> NoAnswer {
        let text = self.redactor.text(no_answer.message());
        match no_answer {
            NoAnswer::Connect(_) => NoAnswer::Connect(text),
            NoAnswer::Tls(_) => NoAnswer::Tls(text),
            NoAnswer::Timeout(_) => NoAnswer::Timeout(text),
            NoAnswer::Other(_) => NoAnswer::Other(text),
        }
    }

    async fn record(&mut self, probe: &str, about: &str, exchange: &Exchange) {
        let Some(recorder) = &mut self.recorder else {
            return;
        };
        if let Err(error) = recorder.record(probe, about, exchange, &self.replay).await {
            self.report
                .failures
                .push(format!("{probe}: not recorded: {error}"));
        }
    }

    /// An answer held to the spec, replayed to both clients, and to what the probe must get.
    async fn judge(
        &mut self,
        probe: &str,
        about: &str,
        exchange: &Exchange,
        expect: Expect,
    ) -> (ProbeReport, ReaderOutcome) {
        let operation = exchange.request.operation;
        let mut differences = crate::schema::differences(exchange, probe, &self.redactor);
        let client = self.replay.generated_client(exchange).await;
        let outcome = self
            .replay
            .reader(
                operation,
                exchange.status,
                &exchange.headers,
                &exchange.body,
            )
            .await;
        let broke = reader_broke(exchange.status, &outcome);
        let new = |path: &str, kind: Kind, spec: String, came: String| Difference {
            operation,
            probe: probe.to_string(),
            path: path.to_string(),
            kind,
            spec: self.redactor.text(&spec),
            came: self.redactor.text(&cut(&came, 400)),
            breaks: Breaks::default(),
        };

        // What the generated client failed on: the differences of the kinds it is strict
        // about (all of them: it stops at the first), else one of its own.
        if let ClientVerdict::Broke {
            undeclared_status,
            error,
        } = &client
        {
            let mut blamed = false;
            for difference in &mut differences {
                let blame = if *undeclared_status {
                    difference.kind == Kind::Status
                } else {
                    difference.kind.can_break_the_generated_client()
                };
                if blame {
                    difference.breaks.generated_client = true;
                    blamed = true;
                }
            }
            if !blamed {
                let mut decode = new(
                    "$",
                    Kind::Decode,
                    format!("an answer its types decode ({})", operation.id()),
                    error.clone(),
                );
                decode.breaks.generated_client = true;
                differences.push(decode);
            }
        }
        if let Some(why) = &broke {
            let mut unreadable = new(
                "$",
                Kind::Unreadable,
                if differences.is_empty() {
                    "this answer (it is one the spec allows), which the tolerant reader must read"
                        .into()
                } else {
                    "an answer the tolerant reader reads".into()
                },
                why.clone(),
            );
            unreadable.breaks = Breaks {
                generated_client: matches!(client, ClientVerdict::Broke { .. }),
                reader: true,
            };
            differences.push(unreadable);
        }
        if let Some((spec, alarm)) = unmet(expect, operation, exchange.status) {
            let read = self.read_words(&outcome);
            differences.push(new(
                "status",
                Kind::Outcome,
                spec,
                format!("{} ({read})", exchange.status),
            ));
            if let Some(alarm) = alarm {
                self.report
                    .failures
                    .push(format!("{probe}: {alarm} ({read})"));
            }
        }
        let answered = Answered {
            status: exchange.status,
            content_type: exchange.content_type().map(|c| self.redactor.text(c)),
            elapsed: exchange.elapsed,
            date: exchange.date(),
            received_at: exchange.received_at,
            generated_client: match client {
                ClientVerdict::Broke {
                    undeclared_status,
                    error,
                } => ClientVerdict::Broke {
                    undeclared_status,
                    error: self.redactor.text(&error),
                },
                decoded => decoded,
            },
            reader: self.read_words(&outcome),
            reader_broke: broke.map(|why| self.redactor.text(&why)),
        };
        let report = ProbeReport {
            probe: probe.to_string(),
            about: about.to_string(),
            operation,
            path: self.redactor.text(&exchange.request.path),
            answer: Ok(answered),
            differences,
        };
        (report, outcome)
    }

    fn read_words(&self, outcome: &ReaderOutcome) -> String {
        self.redactor.text(&match outcome {
            Ok(read) => describe_read(read),
            Err(Error::Api {
                status,
                code,
                message,
                ..
            }) => format!(
                "API error {status}{}: {}",
                code.as_deref().map(|c| format!(" {c}")).unwrap_or_default(),
                cut(message, 100)
            ),
            Err(error) => cut(&error.to_string(), 160),
        })
    }

    /// The one billed generation: create, wait, download, check the MP4.
    async fn billed(&mut self, options: &Options) {
        let tell = |line: &str| {
            if let Some(progress) = &options.progress {
                progress(line);
            }
        };
        let create = Probe {
            name: "billed-create",
            about: "the billed generation's create (seedance-fast, 480p, 4 s, no audio)",
            operation: Operation::CreateTask,
            path: "/v1/video/generations".into(),
            body: Some(probe::billed_create()),
            expect: Expect::Success,
        };
        let Some((_, outcome)) = self.send(&create).await else {
            return;
        };
        let id = match outcome {
            Ok(Read::Task(task)) => task.id,
            Ok(_) => unreachable!("a create reads as a task"),
            Err(error) => {
                let id = error
                    .task_id()
                    .map(|id| format!(" (an id in the answer: {id}; the task may exist)"))
                    .unwrap_or_default();
                self.report.failures.push(self.redactor.text(&format!(
                    "billed-create: no task was created: {}{id}",
                    cut(&error.to_string(), 200)
                )));
                return;
            }
        };
        tell(&format!("created task {id}; waiting for it"));
        let started = Instant::now();
        let mut seen = BTreeSet::new();
        let mut failures_in_a_row = 0;
        let path = format!("/v1/video/generations/{id}");
        let task = loop {
            if started.elapsed() > options.billed_timeout {
                self.report.failures.push(format!(
                    "billed-query: task {id} did not end within {} minutes (it may still finish, and is billed if it does)",
                    options.billed_timeout.as_secs() / 60
                ));
                return;
            }
            tokio::time::sleep(options.poll_interval).await;
            let exchange = match self.http.send(Operation::GetTask, &path, None, None).await {
                Ok(exchange) => exchange,
                Err(no_answer) => {
                    failures_in_a_row += 1;
                    tell(&format!(
                        "no answer to a query: {}",
                        self.redactor.text(no_answer.message())
                    ));
                    if failures_in_a_row >= 5 {
                        self.report.failures.push(format!(
                            "billed-query: five queries of task {id} in a row got no answer: {}",
                            self.redactor.text(no_answer.message())
                        ));
                        return;
                    }
                    continue;
                }
            };
            let (probe_report, outcome) = self
                .judge(
                    "billed-query",
                    "a query of the billed task",
                    &exchange,
                    Expect::Success,
                )
                .await;
            // Each answer is checked; kept (and recorded) when its status or its differences
            // are new, so that a task polled forty times does not make forty rows.
            let status_word = status_word(&exchange);
            let signature = (
                status_word.clone(),
                probe_report
                    .differences
                    .iter()
                    .map(|d| format!("{}|{}", d.path, d.kind.name()))
                    .collect::<Vec<_>>(),
            );
            if seen.insert(signature) {
                let about = format!("a query of the billed task (status {status_word})");
                self.report.probes.push(ProbeReport {
                    about: about.clone(),
                    ..probe_report
                });
                self.record("billed-query", &about, &exchange).await;
            }
            match outcome {
                Ok(Read::Task(task)) => {
                    failures_in_a_row = 0;
                    tell(&format!("task {id}: {} {}%", task.status, task.progress));
                    if task.status.is_terminal() {
                        break task;
                    }
                }
                Ok(_) => unreachable!("a query reads as a task"),
                Err(error) => {
                    failures_in_a_row += 1;
                    tell(&self.redactor.text(&format!("query of task {id}: {error}")));
                    let hopeless = matches!(&error, Error::Api { status, .. } if matches!(status, 401 | 403 | 404));
                    if hopeless || failures_in_a_row >= 5 {
                        self.report.failures.push(self.redactor.text(&format!(
                            "billed-query: task {id} could not be followed: {}",
                            cut(&error.to_string(), 200)
                        )));
                        return;
                    }
                }
            }
        };
        if task.status != TaskStatus::Succeeded {
            let reason = task
                .failure
                .as_ref()
                .map(|failure| failure.reason.clone())
                .unwrap_or_default();
            self.report.failures.push(self.redactor.text(&format!(
                "billed-query: task {id} ended {} without a video: {reason} (a failed task is refunded)",
                task.status
            )));
            return;
        }
        let Some(url) = task.video_url.clone() else {
            self.report.failures.push(format!(
                "billed-query: task {id} succeeded without a video URL"
            ));
            return;
        };
        tell("downloading the video (without the key)");
        match self.http.download(&url).await {
            Ok(download) => {
                let brand = download.mp4_brand();
                if !(200..300).contains(&download.status) || brand.is_none() {
                    self.report.failures.push(format!(
                        "billed-download: {} answered {} with {} bytes that are not an MP4 (no ftyp box)",
                        self.redactor.text(&url),
                        download.status,
                        download.length
                    ));
                }
                if let Some(recorder) = &mut self.recorder
                    && let Err(error) = recorder.record_download(&url, &download)
                {
                    self.report
                        .failures
                        .push(format!("billed-download: not recorded: {error}"));
                }
                self.report.download = Some(DownloadReport {
                    url: self.redactor.text(&url),
                    status: download.status,
                    content_type: download
                        .headers
                        .get(reqwest::header::CONTENT_TYPE)
                        .and_then(|value| value.to_str().ok())
                        .map(str::to_string),
                    bytes: download.length,
                    mp4_brand: brand,
                    elapsed: download.elapsed,
                });
            }
            Err(no_answer) => self.report.failures.push(format!(
                "billed-download: {} gave no answer: {}",
                self.redactor.text(&url),
                self.redactor.text(no_answer.message())
            )),
        }
    }
}

/// The task's status word as the answer wrote it (`IN_PROGRESS`, `succeeded`), for telling
/// answers apart.
fn status_word(exchange: &Exchange) -> String {
    let json = exchange.json().unwrap_or(Value::Null);
    [
        &["data", "status"][..],
        &["status"],
        &["data", "data", "status"],
    ]
    .iter()
    .find_map(|path| {
        let mut value = &json;
        for key in *path {
            value = value.get(key)?;
        }
        value.as_str().map(str::to_string)
    })
    .unwrap_or_else(|| format!("HTTP {}", exchange.status))
}

/// What the probe must get and did not: what the spec says of this case, and a failure to
/// report whatever the differences (a create that must be refused and was not).
fn unmet(expect: Expect, operation: Operation, status: u16) -> Option<(String, Option<String>)> {
    let spec = Spec::embedded();
    let documented = |code: u16| {
        spec.response(operation, code)
            .and_then(|response| response.object["description"].as_str().map(str::to_string))
            .map(|description| format!("{code} ({description})"))
            .unwrap_or_else(|| code.to_string())
    };
    let success = (200..300).contains(&status);
    match expect {
        Expect::Success if success => None,
        Expect::Success => Some((format!("{} for this request", documented(200)), None)),
        Expect::NotFound if status == 404 => None,
        Expect::NotFound => Some((
            format!("{} for something that does not exist", documented(404)),
            None,
        )),
        Expect::Unauthorized if status == 401 => None,
        Expect::Unauthorized => Some((
            format!("{} for a request without a key", documented(401)),
            None,
        )),
        // 401 would mean that the key was refused, which the models probe reports first.
        Expect::Refusal if (400..500).contains(&status) && !matches!(status, 403 | 429) => None,
        Expect::Refusal if success => Some((
            format!("{} for a request it must refuse", documented(400)),
            Some(
                "the service ACCEPTED a request it must refuse: a task may have been made (and billed); look for it in anyfast's console"
                    .into(),
            ),
        )),
        Expect::Refusal => Some((
            format!("{} for a request it must refuse", documented(400)),
            None,
        )),
    }
}
