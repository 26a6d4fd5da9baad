//! The running mock: its two listeners and what a test asks of it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::assets::StoredAsset;
use crate::config::MockConfig;
use crate::fault_plan::FaultPlan;
use crate::faults::Fault;
use crate::handlers;
use crate::lifecycle::Phase;
use crate::listener;
use crate::request_log::{RecordedRequest, RequestLog};
use crate::route::Route;
use crate::state::State;

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
            log: RequestLog::with_capacity(config.log_capacity),
            gate: crate::gate::ConcurrencyGate::new(config.concurrency_limit),
            config,
            tasks: Default::default(),
            assets: Default::default(),
            download_base: format!("http://{download_address}"),
        });
        let (shutdown, stopped) = watch::channel(false);
        let listeners = vec![
            tokio::spawn(listener::serve(
                api,
                handlers::api_router(state.clone()),
                stopped.clone(),
            )),
            tokio::spawn(listener::serve(
                downloads,
                handlers::downloads_router(state.clone()),
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

    /// The latest requests received, on both listeners, in arrival order: all of them until
    /// there are more than the log's capacity ([`MockConfig::log_capacity`], 10,000 by
    /// default), then the latest that many.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.log.snapshot()
    }

    /// How many requests reached `route`, all of them ever (not only those still in
    /// [`MockServer::requests`]).
    pub fn count(&self, route: Route) -> usize {
        self.state.log.count(route)
    }

    /// How many creates ever came with this prompt (the text of their `text` items, joined by
    /// newlines), whatever was answered: refused, faulted and invalid ones count too. See
    /// [`MockServer::task_count_for_prompt`] for the tasks actually made.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use anyfast_mock::{MockConfig, MockServer, Timing};
    ///
    /// let mock = MockServer::start(MockConfig::default().timing(Timing::Instant)).await?;
    /// let body = serde_json::json!({"model": "seedance-fast", "content": [{"type": "text", "text": "a cat"}]});
    /// for key in ["key-1", "key-1"] {
    ///     reqwest::Client::new()
    ///         .post(format!("{}/v1/video/generations", mock.base_url()))
    ///         .bearer_auth("any")
    ///         .header("idempotency-key", key)
    ///         .json(&body)
    ///         .send()
    ///         .await?;
    /// }
    /// assert_eq!(mock.create_count_for_prompt("a cat"), 2);
    /// assert_eq!(mock.create_count_for_idempotency_key("key-1"), 2);
    /// assert_eq!(mock.task_count_for_prompt("a cat"), 2);
    /// assert_eq!(mock.create_count_for_prompt("a dog"), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn create_count_for_prompt(&self, prompt: &str) -> usize {
        self.state.log.creates_for_prompt(prompt)
    }

    /// How many creates ever came with this `Idempotency-Key` header, whatever was answered.
    pub fn create_count_for_idempotency_key(&self, key: &str) -> usize {
        self.state.log.creates_for_idempotency_key(key)
    }

    /// How many tasks were made from this prompt (the text of their `text` items, joined by
    /// newlines): the creates that were processed, whether or not their answer arrived.
    pub fn task_count_for_prompt(&self, prompt: &str) -> usize {
        self.state.tasks.count_with_prompt(prompt)
    }

    /// How many tasks exist.
    pub fn task_count(&self) -> usize {
        self.state.tasks.len()
    }

    /// Where the task with this id is in its life, if it exists.
    pub fn task_phase(&self, id: &str) -> Option<Phase> {
        self.state.tasks.get(id).map(|task| task.phase())
    }

    /// How many assets the library holds, of every token.
    pub fn asset_count(&self) -> usize {
        self.state.assets.asset_count()
    }

    /// How many asset groups the library holds, of every token.
    pub fn asset_group_count(&self) -> usize {
        self.state.assets.group_count()
    }

    /// The asset with this id, of whichever token made it, as it is now: its kind, whether it
    /// is `Active` yet, the `URL` `GetAsset` answers and the bytes the mock received.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use anyfast_mock::{MockConfig, MockServer, Timing};
    /// use serde_json::{Value, json};
    ///
    /// let mock = MockServer::start(MockConfig::default().timing(Timing::Instant)).await?;
    /// let call = |operation: &str, body: Value| {
    ///     reqwest::Client::new()
    ///         .post(format!("{}/volc/asset/{operation}", mock.base_url()))
    ///         .bearer_auth("any")
    ///         .json(&body)
    ///         .send()
    /// };
    /// let group: Value = call("CreateAssetGroup", json!({"Name": "cats"})).await?.json().await?;
    /// let created: Value = call("CreateAsset", json!({
    ///     "GroupId": group["Id"],
    ///     "Name": "cat",
    ///     "AssetType": "Image",
    ///     "URL": "https://example.com/cat.png",
    /// })).await?.json().await?;
    /// let asset = mock.asset(created["Id"].as_str().unwrap()).unwrap();
    /// assert_eq!((asset.answer.name.as_deref(), asset.is_active()), (Some("cat"), true));
    /// assert_eq!(asset.answer.url.as_deref(), Some("https://example.com/cat.png"));
    /// assert_eq!((mock.asset_count(), mock.asset_group_count()), (1, 1));
    /// assert!(mock.asset("asset-unknown").is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub fn asset(&self, id: &str) -> Option<StoredAsset> {
        let asset = self.state.assets.get_any(id)?;
        Some(asset.to_public(&self.state.download_base))
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
