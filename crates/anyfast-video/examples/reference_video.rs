//! A local video as a reference: uploaded to the asset library first (anyfast takes videos only
//! by URL or asset), then sent as `asset://ID`, with Seedance 2.0 at 1080p and the last frame
//! saved for the next clip. Also lists the video models the key can use.
//!
//! `ANYFAST_BASE_URL=http://127.0.0.1:12111 ANYFAST_API_KEY=any cargo run -p anyfast-video --example reference_video -- dance.mp4`

use anyfast_video::{Client, GenerateOptions, KnownResolution, MediaSource, VideoRequest};

#[tokio::main]
async fn main() -> Result<(), anyfast_video::Error> {
    let video = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "dance.mp4".into());
    let client = Client::from_env()?;
    let models: Vec<String> = client
        .models()
        .video()
        .await?
        .into_iter()
        .map(|model| model.id)
        .collect();
    println!("video models: {}", models.join(", "));
    let request = VideoRequest::text("@video1 中的人物继续跳舞,镜头缓缓拉远")
        .video(MediaSource::upload_as_asset(video))
        .model("seedance")
        .resolution(KnownResolution::X1080p)
        .return_last_frame(true);
    let options = GenerateOptions::default()
        .on_created(|task| {
            for upload in &task.uploaded_assets {
                println!(
                    "uploaded {} as asset://{}",
                    upload.path.display(),
                    upload.asset_id
                );
            }
            println!("created task {}", task.id);
        })
        .last_frame("dance-last.png");
    let task = client
        .videos()
        .generate_with(request, "dance-continued.mp4", options)
        .await?;
    println!("task {} done: dance-continued.mp4, dance-last.png", task.id);
    Ok(())
}
