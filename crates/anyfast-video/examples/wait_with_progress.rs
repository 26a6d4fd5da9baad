//! Create, then wait while printing each change of status and progress, then download with
//! byte progress.
//!
//! `ANYFAST_BASE_URL=http://127.0.0.1:12111 ANYFAST_API_KEY=any cargo run -p anyfast-video --example wait_with_progress`

use std::time::Duration;

use anyfast_video::{Client, DownloadOptions, VideoRequest, WaitOptions};

#[tokio::main]
async fn main() -> Result<(), anyfast_video::Error> {
    let client = Client::from_env()?;
    let task = client
        .videos()
        .create(VideoRequest::text("海浪拍打礁石,慢动作"))
        .await?;
    eprintln!("created {}", task.id);
    let options = WaitOptions::default()
        .poll_interval(Duration::from_secs(1))
        .timeout(Duration::from_secs(15 * 60))
        .on_progress(|task| eprintln!("{:>10} {:>3}%", task.status, task.progress));
    let done = client.videos().wait(&task.id, options).await?;
    let download = DownloadOptions::default().on_progress(|progress| {
        if let Some(total) = progress.total {
            eprint!("\r{} / {total} bytes", progress.downloaded);
        }
    });
    client
        .videos()
        .download_with(&done, "waves.mp4", download)
        .await?;
    eprintln!("\nsaved waves.mp4");
    Ok(())
}
