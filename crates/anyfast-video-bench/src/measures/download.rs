//! Measure 3, download: a large synthetic video (`--video-size`) saved with `Videos::download`,
//! against `curl -o` of the same URL from the same mock in the same run; and the client's peak
//! RSS at two sizes (flat: the same whatever the size).

use std::process::Command;

use anyhow::{Result, ensure};

use super::{Settings, finished_task, kib_to_mib, mib};
use crate::process::{Mock, run_child, run_measured};
use crate::report::{Row, Table, Verdict, list, median};
use crate::workloads::{ChildReport, Job};

pub fn run(settings: &Settings) -> Result<Table> {
    let mut table = Table::new("Download: `Videos::download` against `curl -o`");
    settings.quiet(&mut table);
    let scratch = settings.scratch()?;
    let (big, small) = if settings.smoke {
        (mib(32), mib(4))
    } else {
        (mib(1024), mib(100))
    };
    let size_arg = |bytes: u64| bytes.to_string();
    let big_mock = Mock::start(
        &["--timing", "instant", "--video-size", &size_arg(big)],
        scratch.path(),
    )?;
    let small_mock = Mock::start(
        &["--timing", "instant", "--video-size", &size_arg(small)],
        scratch.path(),
    )?;
    let (big_id, big_url) = finished_task(&big_mock.api)?;
    let (small_id, small_url) = finished_task(&small_mock.api)?;
    let curl = which_curl()?;
    let rounds = settings.rounds(5);
    let path = scratch.path().join("video.mp4");
    let (mut curl_rate, mut client_rate, mut curl_rss) = (vec![], vec![], vec![]);
    let (mut big_rss, mut small_rss) = (vec![], vec![]);
    let client_job = |base_url: &str, id: &str, url: &str| Job::Download {
        base_url: base_url.to_string(),
        task_id: id.to_string(),
        url: url.to_string(),
        path: path.clone(),
    };
    for round in 0..rounds {
        let curl_first = round.is_multiple_of(2);
        for step in 0..2 {
            if (step == 0) == curl_first {
                let mut command = Command::new(&curl);
                command
                    .args(["--silent", "--show-error", "--fail", "--output"])
                    .arg(&path)
                    .arg(&big_url);
                let ran = run_measured(command, scratch.path())?.check("curl")?;
                let written = std::fs::metadata(&path)?.len();
                ensure!(written == big, "curl wrote {written} bytes, not {big}");
                curl_rate.push(big as f64 / ran.wall.as_secs_f64());
                curl_rss.push(kib_to_mib(ran.peak_rss_kib));
            } else {
                let job = client_job(&big_mock.api, &big_id, &big_url);
                let (report, _): (ChildReport, _) = run_child(&job, scratch.path())?;
                ensure!(
                    report.count == big,
                    "the client saved {} bytes",
                    report.count
                );
                client_rate.push(big as f64 / report.wall_s);
                big_rss.push(kib_to_mib(report.peak_rss_kib));
            }
            std::fs::remove_file(&path)?;
        }
        let job = client_job(&small_mock.api, &small_id, &small_url);
        let (report, _): (ChildReport, _) = run_child(&job, scratch.path())?;
        small_rss.push(kib_to_mib(report.peak_rss_kib));
        std::fs::remove_file(&path)?;
    }
    let (big_mib, small_mib) = (big / mib(1), small / mib(1));
    table.note(format!(
        "{rounds} rounds, curl and the client alternating, each a fresh process: a {big_mib} MiB synthetic video from one anyfast-mock (`--video-size {big}`, pid {}), saved into {} (the file removed after each run)",
        big_mock.pid(),
        settings.dir.display()
    ));
    table.note(
        "baseline: `curl --silent --show-error --fail --output FILE URL`, timed from spawn to exit; client: `Videos::download` (streamed into NAME.part, length checked, sync_all, renamed), timed inside its process (without process start-up and client set-up); a task rebuilt with `Task::new(id).with_video_url(url)`, so no query is sent"
    );
    table.note("ratio: the median of the per-round ratios (client / curl of the two runs of a round, back to back)");
    table.note(format!(
        "flat memory: the client's peak RSS (VmHWM at its end) saving {big_mib} MiB against saving {small_mib} MiB from a second mock (`--video-size {small}`), same rounds; curl's peak RSS is read from /proc/PID/status every 5 ms"
    ));
    let mib_s = |rates: &[f64]| {
        rates
            .iter()
            .map(|rate| rate / mib(1) as f64)
            .collect::<Vec<_>>()
    };
    let (curl_rate, client_rate) = (mib_s(&curl_rate), mib_s(&client_rate));
    table.note(format!(
        "throughputs (MiB/s), curl: {}; client: {}",
        list(&curl_rate),
        list(&client_rate)
    ));
    table.rows.push(Row::paired_at_least(
        &format!("throughput, {big_mib} MiB"),
        &[curl_rate, client_rate],
        "MiB/s",
        1.0,
    ));
    let (small_peak, big_peak) = (median(&small_rss), median(&big_rss));
    let mut flat = Row::info(
        &format!("client peak RSS, {small_mib} MiB → {big_mib} MiB"),
        small_peak,
        big_peak,
        "MiB",
    );
    flat.target = "flat: ≤ 1.10 × (+10 %) for 10 × the bytes".into();
    flat.verdict = Verdict::of(big_peak <= small_peak * 1.10);
    table.rows.push(flat);
    table.rows.push(Row::info(
        &format!("peak RSS, {big_mib} MiB (curl / client)"),
        median(&curl_rss),
        big_peak,
        "MiB",
    ));
    Ok(table)
}

/// `curl` on the PATH.
fn which_curl() -> Result<String> {
    let found = Command::new("curl").arg("--version").output();
    ensure!(
        found.is_ok_and(|output| output.status.success()),
        "curl is needed for the download measure (apt-get install curl)"
    );
    Ok("curl".into())
}
