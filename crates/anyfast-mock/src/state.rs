//! What the two listeners share.

use std::sync::Mutex;

use crate::answers::Voice;
use crate::assets::AssetLibrary;
use crate::config::MockConfig;
use crate::drift::Personality;
use crate::fault_plan::{Decision, FaultPlan};
use crate::presigned;
use crate::request_log::RequestLog;
use crate::route::Route;
use crate::tasks::{Task, TaskStore};

#[derive(Debug)]
pub(crate) struct State {
    pub config: MockConfig,
    pub tasks: TaskStore,
    pub assets: AssetLibrary,
    pub faults: Mutex<FaultPlan>,
    pub log: RequestLog,
    /// The per-key concurrency gate (open unless a limit was set).
    pub gate: crate::gate::ConcurrencyGate,
    /// `http://127.0.0.1:PORT` of the download listener.
    pub download_base: String,
}

impl State {
    pub fn decide(&self, route: Route) -> Decision {
        self.faults.lock().expect("fault plan").decide(route)
    }

    /// How answers about `task` are worded: as documented, or in its drifting personality.
    pub fn voice(&self, task: &Task) -> Voice {
        match self.config.drift {
            Some(seed) => Voice::Drifting(Personality::of(seed, task.number)),
            None => Voice::Documented,
        }
    }

    /// The pre-signed URL of a task's video.
    pub fn video_url(&self, id: &str) -> String {
        presigned::video_url(&self.download_base, id)
    }

    /// The pre-signed URL of a task's last frame, when its request asked for one.
    pub fn last_frame_url(&self, task: &Task) -> Option<String> {
        task.returns_last_frame()
            .then(|| presigned::last_frame_url(&self.download_base, &task.id))
    }
}
