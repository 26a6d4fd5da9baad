//! How a mock server is set up.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use crate::faults::Fault;
use crate::lifecycle::Timing;
use crate::request_log::DEFAULT_LOG_CAPACITY;
use crate::shape::Shape;
use crate::videos::Video;

/// The settings of a [`MockServer`](crate::MockServer), built up from the defaults: any
/// non-empty bearer token, `Timing::Fast`, the documented wrapper shape, no drift, the sample
/// video, no faults, the last 10,000 requests kept in full, ephemeral ports on 127.0.0.1, new
/// assets Active as soon as a task would start.
///
/// ```
/// use anyfast_mock::{MockConfig, Shape, Timing};
///
/// let config = MockConfig::default().timing(Timing::Instant).shape(Shape::Flat).api_key("sk-test");
/// assert!(!format!("{config:?}").contains("sk-test"));
/// ```
#[derive(Clone)]
pub struct MockConfig {
    pub(crate) api_key: Option<String>,
    pub(crate) timing: Timing,
    pub(crate) shape: Shape,
    pub(crate) video: Video,
    pub(crate) host: IpAddr,
    pub(crate) api_port: u16,
    pub(crate) download_port: u16,
    pub(crate) faults: Vec<Fault>,
    pub(crate) seed: u64,
    pub(crate) drift: Option<u64>,
    pub(crate) log_capacity: usize,
    pub(crate) asset_activation: Option<Duration>,
    pub(crate) concurrency_limit: Option<usize>,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            api_key: None,
            timing: Timing::Fast,
            shape: Shape::Wrapper,
            video: Video::Sample,
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            api_port: 0,
            download_port: 0,
            faults: Vec::new(),
            seed: 0x5eed,
            drift: None,
            log_capacity: DEFAULT_LOG_CAPACITY,
            asset_activation: None,
            concurrency_limit: None,
        }
    }
}

impl fmt::Debug for MockConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockConfig")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timing", &self.timing)
            .field("shape", &self.shape)
            .field("video", &self.video)
            .field("host", &self.host)
            .field("api_port", &self.api_port)
            .field("download_port", &self.download_port)
            .field("faults", &self.faults)
            .field("seed", &self.seed)
            .field("drift", &self.drift)
            .field("log_capacity", &self.log_capacity)
            .field("asset_activation", &self.asset_activation)
            .field("concurrency_limit", &self.concurrency_limit)
            .finish()
    }
}

impl MockConfig {
    /// At most `limit` API requests processed at once, as the gateway's per-key concurrency
    /// gate allows: one more is answered 429 `token_concurrency_limit_reached`, unprocessed.
    pub fn concurrency_limit(mut self, limit: usize) -> Self {
        self.concurrency_limit = Some(limit);
        self
    }

    /// Accept only this bearer token (by default any non-empty one is accepted).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// How fast tasks finish.
    pub fn timing(mut self, timing: Timing) -> Self {
        self.timing = timing;
        self
    }

    /// The shape of query answers (drifting tasks choose their own).
    pub fn shape(mut self, shape: Shape) -> Self {
        self.shape = shape;
        self
    }

    /// What the download listener serves.
    pub fn video(mut self, video: Video) -> Self {
        self.video = video;
        self
    }

    /// The address both listeners bind (default 127.0.0.1).
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// The API listener's port (default 0: any free port).
    pub fn api_port(mut self, port: u16) -> Self {
        self.api_port = port;
        self
    }

    /// The download listener's port (default 0: any free port).
    pub fn download_port(mut self, port: u16) -> Self {
        self.download_port = port;
        self
    }

    /// A fault in force from the start (more can be added while running).
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// The seed of the generator behind `rate=` faults.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Lets answers drift, per task, across everything anyfast's documentation allows them to
    /// be (see the crate docs, "Drift"), from this seed: the same seed gives the `n`th task of
    /// every run the same answers. Requests are validated as without drift, and downloads are
    /// unchanged.
    ///
    /// ```
    /// use anyfast_mock::MockConfig;
    ///
    /// let config = MockConfig::default().drift(42);
    /// assert!(format!("{config:?}").contains("drift: Some(42)"));
    /// ```
    pub fn drift(mut self, seed: u64) -> Self {
        self.drift = Some(seed);
        self
    }

    /// How many of the latest requests [`MockServer::requests`](crate::MockServer::requests)
    /// keeps in full (default 10,000; 0 keeps none). The counts
    /// ([`MockServer::count`](crate::MockServer::count) and the per-prompt and
    /// per-`Idempotency-Key` counts of creates) cover every request whatever this is.
    pub fn log_capacity(mut self, capacity: usize) -> Self {
        self.log_capacity = capacity;
        self
    }

    /// How long a new asset stays `Inactive` before it turns `Active` (anyfast: "a new asset
    /// may take a moment to become Active"). By default it is as long as a task of the
    /// configured [`Timing`] takes to start ([`Schedule::started_after`](crate::Schedule)):
    /// at once with `Instant`, 300 ms with `Fast`, 5 to 20 s with `Realistic`, a fifth of a
    /// `Lasting` task's time, the `Custom` schedule's own start.
    ///
    /// ```
    /// use anyfast_mock::{MockConfig, Timing};
    /// use std::time::Duration;
    ///
    /// let fast = MockConfig::default();
    /// assert_eq!(fast.asset_activation_for("asset-1"), Duration::from_millis(300));
    /// let instant = MockConfig::default().timing(Timing::Instant);
    /// assert_eq!(instant.asset_activation_for("asset-1"), Duration::ZERO);
    /// let chosen = instant.asset_activation(Duration::from_secs(2));
    /// assert_eq!(chosen.asset_activation_for("asset-1"), Duration::from_secs(2));
    /// ```
    pub fn asset_activation(mut self, after: Duration) -> Self {
        self.asset_activation = Some(after);
        self
    }

    /// How long the asset with this id stays `Inactive`: the time set with
    /// [`MockConfig::asset_activation`], else the start of a task of this timing with the same
    /// id.
    pub fn asset_activation_for(&self, id: &str) -> Duration {
        self.asset_activation
            .unwrap_or_else(|| self.timing.schedule(id).started_after)
    }
}
