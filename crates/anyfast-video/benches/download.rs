//! Download throughput of `Videos::download` against a baseline in the same run: plain
//! reqwest streaming the same body from the same server into a file. Both fetch a synthetic
//! video from anyfast-mock on 127.0.0.1. See BENCHMARKS.md.

use std::time::Duration;

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tokio::io::AsyncWriteExt;

const SIZE: u64 = 256 * 1024 * 1024;

/// The baseline: what any program must do to save the body, with nothing of ours.
async fn plain_reqwest(http: &reqwest::Client, url: &str, path: &std::path::Path) -> u64 {
    let mut response = http.get(url).send().await.unwrap();
    let mut file = tokio::fs::File::create(path).await.unwrap();
    let mut written = 0;
    while let Some(chunk) = response.chunk().await.unwrap() {
        file.write_all(&chunk).await.unwrap();
        written += chunk.len() as u64;
    }
    file.sync_all().await.unwrap();
    written
}

fn download(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let common::Finished {
        mock: _mock,
        client,
        task,
    } = runtime.block_on(common::finished_task(SIZE));
    let url = task.video_url.clone().unwrap();
    let http = reqwest::Client::new();
    let dir = tempfile::tempdir().unwrap();
    let baseline_path = dir.path().join("baseline.mp4");
    let client_path = dir.path().join("client.mp4");

    let mut group = c.benchmark_group("download_256MiB");
    group.throughput(Throughput::Bytes(SIZE));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("baseline_plain_reqwest", |b| {
        b.to_async(&runtime)
            .iter(|| async { assert_eq!(plain_reqwest(&http, &url, &baseline_path).await, SIZE) });
    });
    group.bench_function("anyfast_video_download", |b| {
        b.to_async(&runtime).iter(|| async {
            let done = client.videos().download(&task, &client_path).await.unwrap();
            assert_eq!(done.bytes, SIZE);
        });
    });
    group.finish();
}

criterion_group!(benches, download);
criterion_main!(benches);
