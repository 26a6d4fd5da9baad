//! The baseline of `anyfast-video batch`: for each line of the file, the same create (the
//! line's body without `"output"`), GETs until the task succeeds, and the download of its video
//! into `line-N.mp4` of the output folder (streamed into `NAME.part`, `sync_all`, renamed: what
//! the library does to save a file), `concurrency` lines at a time.

use std::io::BufRead;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use futures_util::{StreamExt, stream};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

use super::{ChildReport, Stopwatch, raw_api_client, raw_create, raw_storage_client, raw_wait};

pub async fn run(
    base_url: &str,
    file: &Path,
    out_dir: &Path,
    concurrency: usize,
) -> Result<ChildReport> {
    let watch = Stopwatch::start()?;
    let (http, storage) = (raw_api_client()?, raw_storage_client()?);
    std::fs::create_dir_all(out_dir)?;
    let lines = std::io::BufReader::new(std::fs::File::open(file)?).lines();
    let failures = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    stream::iter(lines.enumerate())
        .map(|(index, line)| {
            let (http, storage) = (&http, &storage);
            async move {
                let mut body: Value = serde_json::from_str(&line?)?;
                let output = match body
                    .as_object_mut()
                    .and_then(|fields| fields.remove("output"))
                {
                    Some(Value::String(name)) => name,
                    _ => format!("line-{}.mp4", index + 1),
                };
                let id = raw_create(http, base_url, &serde_json::to_vec(&body)?.into()).await?;
                let (_, task) = raw_wait(http, base_url, &id, Duration::from_secs(2)).await?;
                let url = task["data"]["result_url"]
                    .as_str()
                    .context("a finished task without result_url")?;
                save(storage, url, &out_dir.join(output)).await
            }
        })
        .buffer_unordered(concurrency)
        .for_each(|result| {
            match result {
                Ok(()) => done.fetch_add(1, Ordering::Relaxed),
                Err(error) => {
                    eprintln!("raw line: {error:#}");
                    failures.fetch_add(1, Ordering::Relaxed)
                }
            };
            async {}
        })
        .await;
    let failed = failures.load(Ordering::Relaxed);
    ensure!(failed == 0, "{failed} lines failed");
    watch.report(done.load(Ordering::Relaxed))
}

async fn save(storage: &reqwest::Client, url: &str, path: &Path) -> Result<()> {
    let mut response = storage.get(url).send().await?.error_for_status()?;
    let mut part_name = path.file_name().context("a file name")?.to_os_string();
    part_name.push(".part");
    let part = path.with_file_name(part_name);
    let mut file = tokio::fs::File::create(&part).await?;
    while let Some(chunk) = response.chunk().await? {
        file.write_all(&chunk).await?;
    }
    file.flush().await?;
    file.sync_all().await?;
    tokio::fs::rename(&part, path).await?;
    Ok(())
}
