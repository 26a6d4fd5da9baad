//! Who this process is to a task store (host, pid, scope), and whether the holder of a lease
//! is gone.
//!
//! A lease names its holder's host and pid (for people), and its *scope*: the machine's boot
//! and the process namespace it runs in (Linux: `/proc/sys/kernel/random/boot_id` and
//! `/proc/self/ns/pid`). A holder in this process's scope whose pid no longer runs has died
//! (SIGKILL, OOM, a reboot): its lease may be taken at once instead of after it expires.
//! Anywhere else (another machine, another container, a system without `/proc`) only the
//! expiry tells: a pid seen from another namespace means nothing here.

use std::sync::OnceLock;

/// This process, as leases name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Identity {
    pub host: String,
    pub pid: u32,
    pub scope: Option<String>,
}

/// This process's identity (read once).
pub(crate) fn me() -> &'static Identity {
    static ME: OnceLock<Identity> = OnceLock::new();
    ME.get_or_init(|| Identity {
        host: host_name(),
        pid: std::process::id(),
        scope: scope(),
    })
}

/// Whether a holder in `scope` with `pid` is known to be gone: same machine boot and process
/// namespace as this process, and no such process runs.
pub(crate) fn is_gone(scope: Option<&str>, pid: u32) -> bool {
    let mine = me();
    match (scope, mine.scope.as_deref()) {
        (Some(theirs), Some(ours)) if theirs == ours => {
            pid != mine.pid && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        }
        _ => false,
    }
}

/// A new lease id: unique per claim, also the tag of its holder's partial files.
pub(crate) fn new_lease_id() -> String {
    format!("{:012x}", fastrand::u64(..) & 0xffff_ffff_ffff)
}

fn host_name() -> String {
    let read = |path: &str| {
        std::fs::read_to_string(path)
            .ok()
            .map(|text| text.trim().to_string())
            .filter(|name| !name.is_empty())
    };
    std::env::var("HOSTNAME")
        .ok()
        .filter(|name| !name.is_empty())
        .or_else(|| read("/proc/sys/kernel/hostname"))
        .or_else(|| read("/etc/hostname"))
        .unwrap_or_else(|| "unknown-host".to_string())
}

fn scope() -> Option<String> {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let namespace = std::fs::read_link("/proc/self/ns/pid").ok()?;
    Some(format!("{}/{}", boot.trim(), namespace.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_pid_in_this_scope_is_gone_and_elsewhere_nothing_is_known() {
        let mine = me();
        assert!(
            !is_gone(mine.scope.as_deref(), mine.pid),
            "this process runs"
        );
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        if mine.scope.is_some() {
            assert!(is_gone(mine.scope.as_deref(), pid));
        }
        assert!(!is_gone(Some("another-machine/pid:[1]"), pid));
        assert!(!is_gone(None, pid));
        assert_ne!(new_lease_id(), new_lease_id());
    }
}
