//! Peak memory of a download, against a baseline in the same process: the growth of the
//! resident-set high-water mark (VmHWM) while `Videos::download` saves a 1 GiB video, next to
//! the body's size. Constant memory means the growth stays a few MiB whatever the size.
//! Linux only (reads /proc/self/status). See BENCHMARKS.md.

mod common;

fn peak_resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .expect("VmHWM");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    const SIZE: u64 = 1 << 30;
    let common::Finished {
        mock: _mock,
        client,
        task,
    } = common::finished_task(SIZE).await;
    let dir = tempfile::tempdir().unwrap();

    let before = peak_resident_kib();
    let started = std::time::Instant::now();
    let done = client
        .videos()
        .download(&task, dir.path().join("big.mp4"))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    let after = peak_resident_kib();
    assert_eq!(done.bytes, SIZE);
    let growth_mib = (after - before) as f64 / 1024.0;
    let body_mib = SIZE as f64 / (1024.0 * 1024.0);
    println!(
        "download_memory: body {body_mib:.0} MiB, peak RSS before {:.1} MiB, after {:.1} MiB, growth {growth_mib:.1} MiB ({:.2}% of the body), {:.0} MiB/s",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        100.0 * growth_mib / body_mib,
        body_mib / elapsed.as_secs_f64()
    );
}
