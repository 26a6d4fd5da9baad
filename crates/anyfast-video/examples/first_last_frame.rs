//! A video that starts on one image and ends on another.
//!
//! `ANYFAST_BASE_URL=http://127.0.0.1:12111 ANYFAST_API_KEY=any cargo run -p anyfast-video --example first_last_frame`

use anyfast_video::{Client, KnownResolution, VideoRequest};

#[tokio::main]
async fn main() -> Result<(), anyfast_video::Error> {
    let client = Client::from_env()?;
    let request = VideoRequest::text("花朵从含苞到盛开")
        .first_frame("https://example.com/bud.png")
        .last_frame("https://example.com/bloom.png")
        .resolution(KnownResolution::X480p);
    let task = client.videos().generate(request, "bloom.mp4").await?;
    println!("task {} done: bloom.mp4", task.id);
    Ok(())
}
