//! Image to video from a local file: the image is sent inline as a data URI.
//!
//! `ANYFAST_BASE_URL=http://127.0.0.1:12111 ANYFAST_API_KEY=any cargo run -p anyfast-video --example image_to_video -- photo.jpg`

use anyfast_video::{Client, VideoRequest};

#[tokio::main]
async fn main() -> Result<(), anyfast_video::Error> {
    let image = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "photo.jpg".into());
    let client = Client::from_env()?;
    let request =
        VideoRequest::text("@image1 中的猫慢慢转头看向镜头").reference_image(image.as_str());
    let task = client.videos().generate(request, "from-image.mp4").await?;
    println!("task {} done: from-image.mp4", task.id);
    Ok(())
}
