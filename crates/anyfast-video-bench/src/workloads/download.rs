//! Download: `Videos::download` of one finished task's video to a file.

use std::path::Path;

use anyfast_video::{Task, TaskStatus};
use anyhow::{Result, ensure};

use super::{ChildReport, Stopwatch, library_client};

pub async fn run(base_url: &str, task_id: &str, url: &str, path: &Path) -> Result<ChildReport> {
    let client = library_client(base_url, anyfast_video::DEFAULT_MAX_CONCURRENT_REQUESTS)?;
    // What a caller that stored the id and URL rebuilds: no query before the download.
    let task = Task::new(task_id, TaskStatus::Succeeded).with_video_url(url);
    let watch = Stopwatch::start()?;
    let done = client.videos().download(&task, path).await?;
    let report = watch.report(done.bytes)?;
    let on_disk = std::fs::metadata(path)?.len();
    ensure!(
        on_disk == done.bytes,
        "{on_disk} bytes on disk, {} reported",
        done.bytes
    );
    Ok(report)
}
