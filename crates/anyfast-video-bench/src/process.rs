//! The processes the harness starts: the mock (`anyfast-mock`, from the same folder as this
//! program), `curl`, the command line, and this program itself re-run as a child that runs one
//! variant of a measure (`__child JOB`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::procfs;

/// The folder of this program: `target/release`, where `anyfast-mock` and `anyfast-video`
/// are too once built (`cargo build --release -p anyfast-mock -p anyfast-video-bench -p
/// anyfast-video-cli`).
pub fn binary(name: &str) -> Result<PathBuf> {
    let own = std::env::current_exe().context("where this program is")?;
    let path = own
        .parent()
        .context("the folder of this program")?
        .join(name);
    if !path.exists() {
        bail!(
            "{} is missing: build it first with `cargo build --release -p anyfast-mock -p anyfast-video-bench -p anyfast-video-cli`",
            path.display()
        );
    }
    Ok(path)
}

/// A running `anyfast-mock`, stopped when dropped.
pub struct Mock {
    child: Child,
    /// Kept open: the mock writes nothing more, but a closed pipe is no business of it.
    _stdout: BufReader<ChildStdout>,
    /// The API's base URL.
    pub api: String,
}

impl Mock {
    /// Starts `anyfast-mock --port 0 --download-port 0 ARGS` and reads its API URL from the
    /// banner it prints when ready (its last lines name the download listener).
    pub fn start(args: &[&str], scratch: &Path) -> Result<Mock> {
        let log = scratch.join(format!("mock-{}.log", fastrand::u32(..)));
        let mut child = Command::new(binary("anyfast-mock")?)
            .args(["--port", "0", "--download-port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log)?)
            .spawn()
            .context("starting anyfast-mock")?;
        let mut stdout = BufReader::new(child.stdout.take().context("the mock's stdout")?);
        let (mut api, mut downloads) = (None, None);
        let mut line = String::new();
        while api.is_none() || downloads.is_none() {
            line.clear();
            if stdout.read_line(&mut line)? == 0 {
                let _ = child.kill();
                let _ = child.wait();
                let errors = std::fs::read_to_string(&log).unwrap_or_default();
                bail!("anyfast-mock {args:?} stopped before it was ready: {errors}");
            }
            let text = line.trim_start();
            let url = |rest: &str| rest.split_whitespace().next().map(str::to_string);
            if let Some(rest) = text.strip_prefix("API:") {
                api = url(rest);
            } else if let Some(rest) = text.strip_prefix("downloads:") {
                downloads = url(rest);
            }
        }
        Ok(Mock {
            child,
            _stdout: stdout,
            api: api.unwrap_or_default(),
        })
    }

    /// The mock's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How a measured process ran, as seen from outside.
#[derive(Debug)]
pub struct Ran {
    /// From spawn to exit.
    pub wall: Duration,
    /// Its whole CPU time (user + system), from this process's `cutime + cstime` (of all the
    /// processes run together, for [`run_measured_together`]).
    pub cpu: Duration,
    /// Its peak resident set in KiB: the last `VmHWM` read before it exited (read every
    /// 5 ms; the high-water mark only grows, so this misses at most the last few ms).
    pub peak_rss_kib: u64,
    pub status: ExitStatus,
    /// What it printed on stdout.
    pub stdout: String,
    /// What it printed on stderr.
    pub stderr: String,
}

/// Runs `command` to its end with stdout and stderr into files of `scratch`, measuring its
/// wall time, CPU time and peak RSS from outside. Nothing else may be waited for meanwhile
/// (the CPU time is the change of this process's waited-for children's time).
pub fn run_measured(command: Command, scratch: &Path) -> Result<Ran> {
    let (_, _, mut ran) = run_measured_together(vec![command], scratch)?;
    Ok(ran.remove(0))
}

/// Runs `commands` at once, each to its end, measuring each as [`run_measured`] does; also
/// returns the wall time from the first spawn to the last exit and the CPU time of them all.
pub fn run_measured_together(
    commands: Vec<Command>,
    scratch: &Path,
) -> Result<(Duration, Duration, Vec<Ran>)> {
    let cpu_before = procfs::waited_children_cpu()?;
    let started = Instant::now();
    let mut running = Vec::with_capacity(commands.len());
    for mut command in commands {
        let stem = scratch.join(format!("run-{}", fastrand::u64(..)));
        let (out_path, err_path) = (stem.with_extension("out"), stem.with_extension("err"));
        command
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out_path)?)
            .stderr(std::fs::File::create(&err_path)?);
        let child = command
            .spawn()
            .with_context(|| format!("starting {command:?}"))?;
        running.push((child, out_path, err_path, 0u64, None));
    }
    loop {
        let mut waiting = false;
        for (child, _, _, peak, ended) in running.iter_mut() {
            if ended.is_some() {
                continue;
            }
            if let Some(hwm) = procfs::peak_rss_kib(child.id()) {
                *peak = (*peak).max(hwm);
            }
            match child.try_wait()? {
                Some(status) => *ended = Some((status, started.elapsed())),
                None => waiting = true,
            }
        }
        if !waiting {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let wall = started.elapsed();
    let cpu = procfs::waited_children_cpu()?.saturating_sub(cpu_before);
    let mut ran = Vec::with_capacity(running.len());
    for (_, out_path, err_path, peak, ended) in running {
        let (status, wall) = ended.expect("every child ended");
        ran.push(Ran {
            wall,
            cpu,
            peak_rss_kib: peak,
            status,
            stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
            stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
        });
        let _ = std::fs::remove_file(&out_path);
        let _ = std::fs::remove_file(&err_path);
    }
    Ok((wall, cpu, ran))
}

impl Ran {
    /// Fails with what the process printed unless it exited with 0.
    pub fn check(self, what: &str) -> Result<Ran> {
        if !self.status.success() {
            let tail = |text: &str| {
                let lines: Vec<&str> = text.lines().collect();
                lines[lines.len().saturating_sub(15)..].join("\n")
            };
            bail!(
                "{what} failed ({}):\n{}\n{}",
                self.status,
                tail(&self.stdout),
                tail(&self.stderr)
            );
        }
        Ok(self)
    }
}

/// Runs one variant in a fresh child process of this program (`__child JOB`), returning its
/// own report (the last line of its stdout, as JSON) and how it ran.
pub fn run_child<J: Serialize, R: DeserializeOwned>(job: &J, scratch: &Path) -> Result<(R, Ran)> {
    let mut command = Command::new(std::env::current_exe()?);
    command.arg(crate::CHILD).arg(serde_json::to_string(job)?);
    let ran = run_measured(command, scratch)?.check("a benchmark child")?;
    let last = ran.stdout.lines().last().unwrap_or_default();
    let report = serde_json::from_str(last)
        .with_context(|| format!("reading the child's report {last:?}"))?;
    Ok((report, ran))
}
