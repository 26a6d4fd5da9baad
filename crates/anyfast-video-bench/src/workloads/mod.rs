//! What the child processes run: one variant of one measure each (`__child JOB`), timed from
//! inside, reported as one JSON line on stdout.
//!
//! Each baseline is what a program does with reqwest and serde_json alone. The per-call and
//! fan-out targets hold the library to a plain loop as a user writes it ([`Variant::Raw`]:
//! the same connection settings, nothing else); the other baselines, and an information row of
//! those two measures ([`Variant::Matched`]), use the settings the library uses (the same
//! default headers, user agent and connect timeout, one pool of keep-alive connections with
//! reqwest's defaults, the same per-request timeouts).

mod batch;
mod download;
mod fan_out;
mod per_call;
mod polling;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyfast_video::Client;
use anyhow::{Context, Result, bail};
use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::procfs;

pub use polling::{Cadence, PollLength, PolledTask};

/// The key every variant sends (the mock takes any).
pub const API_KEY: &str = "any";
/// The prompt of every task made.
pub const PROMPT: &str = "一只猫在阳光明媚的房间里弹钢琴";
/// The library's user agent, sent by the baselines too.
const USER_AGENT: &str = concat!("anyfast-video-rs/", env!("CARGO_PKG_VERSION"));
/// The library's timeouts (see `ClientBuilder`), used by the baselines too.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const CREATE_TIMEOUT: Duration = Duration::from_secs(300);
const QUERY_TIMEOUT: Duration = Duration::from_secs(30);
const DOWNLOAD_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Which side of a comparison a child runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Variant {
    /// reqwest and serde_json alone: in the per-call and fan-out measures a plain loop as a
    /// user writes it ([`plain_api_client`], `bearer_auth`, `json`), in the others with the
    /// library's settings ([`raw_api_client`]).
    Raw,
    /// Per-call and fan-out: reqwest and serde_json alone with the library's settings
    /// ([`raw_api_client`]: its default headers and user agent; the same JSON body as the
    /// library's, an `Idempotency-Key`); the baseline of those measures until 2026-12-07.
    Matched,
    /// The `anyfast-video` library.
    Client,
}

/// One variant of one measure, run by a child process.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "job")]
pub enum Job {
    /// `Videos::get` (or a raw GET and decode) of one finished task, `calls` times in a row.
    PerCall {
        variant: Variant,
        base_url: String,
        id: String,
        warmup: u32,
        calls: u32,
    },
    /// Create then wait for `tasks` tasks, `concurrency` at a time.
    FanOut {
        variant: Variant,
        base_url: String,
        tasks: u32,
        concurrency: usize,
    },
    /// `Videos::download` of one finished task's video.
    Download {
        base_url: String,
        task_id: String,
        url: String,
        path: PathBuf,
    },
    /// Create and wait for tasks of several lengths with a cadence, counting GETs.
    Polling {
        cadence: Cadence,
        lengths: Vec<PollLength>,
        tasks_per_length: u32,
        scale: f64,
    },
    /// The baseline of `anyfast-video batch`: each line created, queried and downloaded.
    BatchRaw {
        base_url: String,
        file: PathBuf,
        out_dir: PathBuf,
        concurrency: usize,
    },
}

/// What a child reports about the part it timed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ChildReport {
    /// Wall time of the timed part.
    pub wall_s: f64,
    /// CPU time (user + system, every thread) of the timed part.
    pub cpu_s: f64,
    /// The process's peak resident set at the end, in KiB.
    pub peak_rss_kib: u64,
    /// Requests sent in the timed part (calls, creates + GETs, bytes: per job).
    pub count: u64,
    /// Per task, for the polling job.
    #[serde(default)]
    pub tasks: Vec<PolledTask>,
}

/// Runs `job` (in this child process) and prints its report.
pub fn run(job: Job) -> Result<()> {
    let report = match job {
        Job::PerCall {
            variant,
            base_url,
            id,
            warmup,
            calls,
        } => current_thread()?.block_on(per_call::run(variant, &base_url, &id, warmup, calls))?,
        Job::FanOut {
            variant,
            base_url,
            tasks,
            concurrency,
        } => multi_thread()?.block_on(fan_out::run(variant, &base_url, tasks, concurrency))?,
        Job::Download {
            base_url,
            task_id,
            url,
            path,
        } => multi_thread()?.block_on(download::run(&base_url, &task_id, &url, &path))?,
        Job::Polling {
            cadence,
            lengths,
            tasks_per_length,
            scale,
        } => {
            polling::count_gets()?;
            multi_thread()?.block_on(polling::run(cadence, &lengths, tasks_per_length, scale))?
        }
        Job::BatchRaw {
            base_url,
            file,
            out_dir,
            concurrency,
        } => multi_thread()?.block_on(batch::run(&base_url, &file, &out_dir, concurrency))?,
    };
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}

fn current_thread() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// The runtime `#[tokio::main]` gives: one worker per core.
fn multi_thread() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// Wall and CPU time from a start. CPU time is the sum of each thread's time on the CPU
/// (`/proc/self/task/*/schedstat`, in nanoseconds) when every thread that was there at the
/// start is still there at the end (tokio's threads live as long as the runtime); otherwise
/// (a thread ended, its time lost from that sum) the process's utime + stime in clock ticks
/// (`/proc/self/stat`).
pub struct Stopwatch {
    wall: Instant,
    cpu: Duration,
    threads: Option<std::collections::BTreeMap<u64, Duration>>,
}

impl Stopwatch {
    pub fn start() -> Result<Stopwatch> {
        Ok(Stopwatch {
            threads: procfs::threads_cpu(),
            cpu: procfs::own_cpu()?,
            wall: Instant::now(),
        })
    }

    /// The report of the part timed so far.
    pub fn report(&self, count: u64) -> Result<ChildReport> {
        let wall = self.wall.elapsed();
        let ticks = procfs::own_cpu()?.saturating_sub(self.cpu);
        let precise = match (&self.threads, procfs::threads_cpu()) {
            (Some(before), Some(after)) if before.keys().all(|tid| after.contains_key(tid)) => {
                let sum = |threads: &std::collections::BTreeMap<u64, Duration>| {
                    threads.values().sum::<Duration>()
                };
                Some(sum(&after).saturating_sub(sum(before)))
            }
            _ => None,
        };
        Ok(ChildReport {
            wall_s: wall.as_secs_f64(),
            cpu_s: precise.unwrap_or(ticks).as_secs_f64(),
            peak_rss_kib: procfs::own_peak_rss_kib(),
            count,
            tasks: Vec::new(),
        })
    }
}

/// The library's client of the mock at `base_url`, with at most `in_flight` requests at once.
pub fn library_client(base_url: &str, in_flight: usize) -> Result<Client> {
    Ok(Client::builder()
        .api_key(API_KEY)
        .base_url(base_url)
        .max_concurrent_requests(in_flight)
        .build()?)
}

/// The baselines' reqwest client of the API, set up as the library sets up its own.
pub fn raw_api_client() -> Result<reqwest::Client> {
    let mut auth = HeaderValue::from_str(&format!("Bearer {API_KEY}"))?;
    auth.set_sensitive(true);
    let api_version =
        <anyfast_video::api::Client as anyfast_video::api::ClientInfo<()>>::api_version();
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, auth);
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert("api-version", HeaderValue::from_static(api_version));
    Ok(reqwest::Client::builder()
        .default_headers(headers)
        .user_agent(USER_AGENT)
        .connect_timeout(CONNECT_TIMEOUT)
        .build()?)
}

/// The plain loops' reqwest client of the API: what a user writes, with the library's connection
/// settings (connect timeout 10 s, reqwest's default pool of keep-alive connections; the
/// per-request timeouts are set on each request, as the library's are): no default headers,
/// no user agent, no read timeout, no redirect policy. The key goes with each request
/// (`bearer_auth`).
pub fn plain_api_client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .build()?)
}

/// Plain: one GET of `url` with the key, its JSON answer (`Response::json`) as a `Value`.
pub(crate) async fn plain_get(http: &reqwest::Client, url: &str) -> Result<Value> {
    Ok(http
        .get(url)
        .bearer_auth(API_KEY)
        .timeout(QUERY_TIMEOUT)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}

/// Plain: one create POST of `body` (`RequestBuilder::json`) with the key; the new task's id.
pub(crate) async fn plain_create(
    http: &reqwest::Client,
    base_url: &str,
    body: &Value,
) -> Result<String> {
    let created: Value = http
        .post(format!("{base_url}/v1/video/generations"))
        .bearer_auth(API_KEY)
        .timeout(CREATE_TIMEOUT)
        .json(body)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(created["id"]
        .as_str()
        .context("a create answer without an id")?
        .to_string())
}

/// Plain: GETs until the task succeeds (the first poll at once); the number of GETs.
pub(crate) async fn plain_wait(http: &reqwest::Client, base_url: &str, id: &str) -> Result<u64> {
    let url = format!("{base_url}/v1/video/generations/{id}");
    let mut gets = 0;
    loop {
        let task = plain_get(http, &url).await?;
        gets += 1;
        match task["data"]["status"].as_str() {
            Some("SUCCESS") => return Ok(gets),
            Some("FAILURE") => bail!("task {id} failed: {task}"),
            _ => tokio::time::sleep(Duration::from_secs(2)).await,
        }
    }
}

/// The baselines' reqwest client of the storage host (no key), as the library's.
pub fn raw_storage_client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(DOWNLOAD_READ_TIMEOUT)
        .build()?)
}

/// A fresh create key, as the library makes them (128 random bits in hex).
fn idempotency_key() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

/// Raw: one create POST of `body`; the new task's id.
pub(crate) async fn raw_create(
    http: &reqwest::Client,
    base_url: &str,
    body: &Bytes,
) -> Result<String> {
    let answer = http
        .post(format!("{base_url}/v1/video/generations"))
        .timeout(CREATE_TIMEOUT)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("Idempotency-Key", idempotency_key())
        .body(body.clone())
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    let created: Value = serde_json::from_slice(&answer)?;
    Ok(created["id"]
        .as_str()
        .context("a create answer without an id")?
        .to_string())
}

/// One raw query: a GET of `url`, its body decoded to a `Value` (the baseline's whole work).
pub(crate) async fn raw_get(http: &reqwest::Client, url: &str) -> Result<Value> {
    let body = http
        .get(url)
        .timeout(QUERY_TIMEOUT)
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    Ok(serde_json::from_slice(&body)?)
}

/// Raw: GETs until the task succeeds (the first poll at once, then every `poll` — never in
/// instant timing); the number of GETs and the last answer.
pub(crate) async fn raw_wait(
    http: &reqwest::Client,
    base_url: &str,
    id: &str,
    poll: Duration,
) -> Result<(u64, Value)> {
    let url = format!("{base_url}/v1/video/generations/{id}");
    let mut gets = 0;
    loop {
        let task = raw_get(http, &url).await?;
        gets += 1;
        match task["data"]["status"].as_str() {
            Some("SUCCESS") => return Ok((gets, task)),
            Some("FAILURE") => bail!("task {id} failed: {task}"),
            _ => tokio::time::sleep(poll).await,
        }
    }
}

/// The JSON body the library sends for a text request, serialised once (for the baselines).
pub(crate) async fn text_body() -> Result<Bytes> {
    let body = anyfast_video::VideoRequest::text(PROMPT).body_without_validation()?;
    Ok(serde_json::to_vec(&body)?.into())
}
