//! What the two listeners share.

use std::sync::Mutex;

use crate::config::MockConfig;
use crate::faults::{Decision, FaultPlan, Route};
use crate::lifecycle::fnv1a;
use crate::log::RequestLog;
use crate::tasks::TaskStore;

#[derive(Debug)]
pub(crate) struct State {
    pub config: MockConfig,
    pub tasks: TaskStore,
    pub faults: Mutex<FaultPlan>,
    pub log: RequestLog,
    /// `http://127.0.0.1:PORT` of the download listener.
    pub download_base: String,
}

impl State {
    pub fn decide(&self, route: Route) -> Decision {
        self.faults.lock().expect("fault plan").decide(route)
    }

    /// The pre-signed URL of a task's video.
    pub fn video_url(&self, id: &str) -> String {
        format!(
            "{}/videos/{id}.mp4?X-Tos-Signature={}",
            self.download_base,
            signature(id)
        )
    }
}

/// The mock's stand-in for a storage signature: stable per task id.
pub(crate) fn signature(id: &str) -> String {
    format!("{:016x}", fnv1a(id) ^ 0x5eed_5eed_5eed_5eed)
}
