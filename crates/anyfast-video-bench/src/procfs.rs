//! What the kernel knows of a process, read from `/proc` (Linux only): CPU time, peak resident
//! set, the load average. No `libc`: the workspace forbids unsafe code.

use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// Clock ticks per second of `/proc/*/stat` (USER_HZ): `getconf CLK_TCK`, else 100 (its value
/// on every architecture Linux runs this on).
fn ticks_per_second() -> u64 {
    static TICKS: OnceLock<u64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|output| String::from_utf8(output.stdout).ok())
            .and_then(|text| text.trim().parse().ok())
            .filter(|ticks| *ticks > 0)
            .unwrap_or(100)
    })
}

/// The fields of `/proc/self/stat` after the command name (which may hold spaces and
/// parentheses): index 0 is field 3 (`state`) of `proc(5)`.
fn stat_fields() -> Result<Vec<u64>> {
    let text = std::fs::read_to_string("/proc/self/stat").context("reading /proc/self/stat")?;
    let Some((_, after)) = text.rsplit_once(')') else {
        bail!("/proc/self/stat has no command name");
    };
    Ok(after
        .split_whitespace()
        .map(|field| field.parse().unwrap_or(0))
        .collect())
}

fn ticks(count: u64) -> Duration {
    Duration::from_nanos(count.saturating_mul(1_000_000_000) / ticks_per_second())
}

/// CPU time (user + system) this process has used so far, every thread included.
pub fn own_cpu() -> Result<Duration> {
    let fields = stat_fields()?;
    // utime and stime: fields 14 and 15.
    Ok(ticks(fields[11] + fields[12]))
}

/// CPU time on the CPU of each live thread of this process, in nanoseconds
/// (`/proc/self/task/TID/schedstat`, first field): exact, unlike the clock ticks of
/// `/proc/self/stat`, but blind to threads that have exited; `None` without schedstat.
pub fn threads_cpu() -> Option<std::collections::BTreeMap<u64, Duration>> {
    let mut threads = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir("/proc/self/task").ok()? {
        let entry = entry.ok()?;
        let Some(tid) = entry
            .file_name()
            .to_str()
            .and_then(|name| name.parse().ok())
        else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(entry.path().join("schedstat")) else {
            // The thread ended between the listing and the read.
            continue;
        };
        let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
        threads.insert(tid, Duration::from_nanos(nanos));
    }
    Some(threads)
}

/// CPU time (user + system) of the children this process has waited for: `cutime + cstime`.
/// The difference around one `wait` is that child's whole CPU time.
pub fn waited_children_cpu() -> Result<Duration> {
    let fields = stat_fields()?;
    // cutime and cstime: fields 16 and 17.
    Ok(ticks(fields[13] + fields[14]))
}

/// The peak resident set (`VmHWM`) of a process, in KiB; `None` once it has exited.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    read_hwm(&format!("/proc/{pid}/status"))
}

/// This process's peak resident set (`VmHWM`), in KiB.
pub fn own_peak_rss_kib() -> u64 {
    read_hwm("/proc/self/status").unwrap_or(0)
}

fn read_hwm(path: &str) -> Option<u64> {
    let status = std::fs::read_to_string(path).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The 1-minute load average.
pub fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0)
}

/// The machine, for the report: cores, memory, kernel.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))?
                .split_whitespace()
                .next()?
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / (1024.0 * 1024.0));
    format!("{cores} cores, {memory_gib:.1} GiB")
}
