//! A stateful, spec-faithful mock of anyfast's video generation API, for tests, offline demos
//! and benchmarks.
//!
//! It serves `POST /v1/video/generations` and `GET /v1/video/generations/{id}` as the
//! repository's `openapi.yaml` says (requests are validated against the spec's own schema,
//! embedded at build time, and against `anyfast_video_api::validate`), walks each task
//! through NOT_START → QUEUED → IN_PROGRESS → SUCCESS or FAILURE, and serves the finished
//! video on a second listener that stands for the pre-signed storage URL. Faults (latency,
//! 429, 5xx, dropped connections, cut-off bodies, malformed JSON, slow creates) can be injected
//! per route, and every request is logged for assertions (never the token itself).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use anyfast_mock::{MockConfig, MockServer, Route, Timing};
//!
//! let mock = MockServer::start(MockConfig::default().timing(Timing::Instant)).await?;
//! let http = reqwest::Client::new();
//! let created: serde_json::Value = http
//!     .post(format!("{}/v1/video/generations", mock.base_url()))
//!     .bearer_auth("any-key")
//!     .json(&serde_json::json!({
//!         "model": "seedance-fast",
//!         "content": [{"type": "text", "text": "一只猫在阳光明媚的房间里弹钢琴"}]
//!     }))
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! let id = created["id"].as_str().unwrap();
//! let task: serde_json::Value = http
//!     .get(format!("{}/v1/video/generations/{id}", mock.base_url()))
//!     .bearer_auth("any-key")
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!(task["data"]["status"], "SUCCESS");
//! let video = http.get(task["data"]["result_url"].as_str().unwrap()).send().await?.bytes().await?;
//! assert_eq!(&video[..], anyfast_mock::SAMPLE_VIDEO);
//! assert_eq!(mock.count(Route::Create), 1);
//! mock.stop().await;
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
mod config;
mod download;
mod faults;
mod injection;
mod lifecycle;
mod log;
mod server;
mod shapes;
mod state;
mod tasks;
mod validation;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::MockConfig;
pub use download::{SAMPLE_VIDEO, Video, synthetic_byte};
pub use faults::{FAULT_SYNTAX, Fault, FaultKind, Route, Trigger, parse_duration};
pub use lifecycle::{Phase, Schedule, Timing};
pub use log::RecordedRequest;
pub use shapes::Shape;
pub use tasks::{DEFAULT_FAILURE_CODE, FAIL_MARKER};

use faults::FaultPlan;
use state::State;

/// A running mock: two listeners (the API and the downloads) on the tokio runtime that
/// started it. Dropping it stops both; [`MockServer::stop`] also waits for them to close.
#[derive(Debug)]
pub struct MockServer {
    api_address: SocketAddr,
    download_address: SocketAddr,
    state: Arc<State>,
    shutdown: watch::Sender<bool>,
    listeners: Mutex<Vec<JoinHandle<()>>>,
}

impl MockServer {
    /// Binds both listeners and starts serving.
    pub async fn start(config: MockConfig) -> std::io::Result<MockServer> {
        let api = TcpListener::bind((config.host, config.api_port)).await?;
        let downloads = TcpListener::bind((config.host, config.download_port)).await?;
        let api_address = api.local_addr()?;
        let download_address = downloads.local_addr()?;
        let state = Arc::new(State {
            faults: Mutex::new(FaultPlan::new(config.faults.clone(), config.seed)),
            config,
            tasks: Default::default(),
            log: Default::default(),
            download_base: format!("http://{download_address}"),
        });
        let (shutdown, stopped) = watch::channel(false);
        let listeners = vec![
            tokio::spawn(server::serve(
                api,
                api::router(state.clone()),
                stopped.clone(),
            )),
            tokio::spawn(server::serve(
                downloads,
                download::router(state.clone()),
                stopped,
            )),
        ];
        Ok(MockServer {
            api_address,
            download_address,
            state,
            shutdown,
            listeners: Mutex::new(listeners),
        })
    }

    /// The API's base URL, `http://127.0.0.1:PORT`: what `ANYFAST_BASE_URL` should be.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.api_address)
    }

    /// The download listener's base URL; every `result_url` starts with it.
    pub fn download_base_url(&self) -> String {
        self.state.download_base.clone()
    }

    /// The API listener's address.
    pub fn api_address(&self) -> SocketAddr {
        self.api_address
    }

    /// The download listener's address.
    pub fn download_address(&self) -> SocketAddr {
        self.download_address
    }

    /// Every request received so far, on both listeners, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.log.snapshot()
    }

    /// How many requests reached `route`.
    pub fn count(&self, route: Route) -> usize {
        self.state.log.count(route)
    }

    /// How many tasks exist.
    pub fn task_count(&self) -> usize {
        self.state.tasks.len()
    }

    /// Where the task with this id is in its life, if it exists.
    pub fn task_phase(&self, id: &str) -> Option<Phase> {
        self.state.tasks.get(id).map(|task| task.phase())
    }

    /// Adds a fault from now on.
    pub fn inject(&self, fault: Fault) {
        self.state.faults.lock().expect("fault plan").add(fault);
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.state.faults.lock().expect("fault plan").clear();
    }

    /// Stops both listeners, closes their connections, and waits until they are gone.
    pub async fn stop(self) {
        self.shutdown.send_replace(true);
        let listeners = std::mem::take(&mut *self.listeners.lock().expect("listeners"));
        for listener in listeners {
            let _ = listener.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
    }
}
