//! Text to video in one call.
//!
//! Against the mock: `cargo run -p anyfast-mock` in one terminal, then
//! `ANYFAST_BASE_URL=http://127.0.0.1:12111 ANYFAST_API_KEY=any cargo run -p anyfast-video --example text_to_video`.

use anyfast_video::{Client, Ratio, VideoRequest};

#[tokio::main]
async fn main() -> Result<(), anyfast_video::Error> {
    let client = Client::from_env()?;
    let request = VideoRequest::text("一只猫在阳光明媚的房间里弹钢琴")
        .duration(5)
        .ratio(Ratio::X169);
    let task = client.videos().generate(request, "cat.mp4").await?;
    println!("task {} done: cat.mp4", task.id);
    Ok(())
}
