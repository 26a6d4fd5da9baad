//! How a mock server is set up.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

use crate::download::Video;
use crate::faults::Fault;
use crate::lifecycle::Timing;
use crate::shapes::Shape;

/// The settings of a [`MockServer`](crate::MockServer), built up from the defaults: any
/// non-empty bearer token, `Timing::Fast`, the documented wrapper shape, the sample video, no
/// faults, ephemeral ports on 127.0.0.1.
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
            .finish()
    }
}

impl MockConfig {
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

    /// The shape of query answers.
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
}
