//! HappyHorse 1.0 image-to-video: a first-frame image brought to life, 720P, no watermark.
//!
//! Against the mock: `cargo run -p anyfast-mock` in one terminal, then
//! `ANYFAST_BASE_URL=http://127.0.0.1:12111 ANYFAST_API_KEY=any cargo run -p anyfast-video --example happyhorse`.

use anyfast_video::{Client, HappyHorseRequest};

#[tokio::main]
async fn main() -> Result<(), anyfast_video::Error> {
    let client = Client::from_env()?;
    let request = HappyHorseRequest::image_to_video(
        "the camera slowly zooms in and the scene comes to life",
        "https://example.com/first-frame.png",
    )
    .resolution("720P")
    .duration(5)
    .watermark(false);
    let task = client.videos().generate(request, "happyhorse.mp4").await?;
    println!("task {} done: happyhorse.mp4", task.id);
    Ok(())
}
