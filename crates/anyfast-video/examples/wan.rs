//! Wan 2.2 text-to-video, in Wan's own body (`prompt`, `duration` 3–5, `width`, `height`).
//!
//! Against the mock: `cargo run -p anyfast-mock` in one terminal, then
//! `ANYFAST_BASE_URL=http://127.0.0.1:12111 ANYFAST_API_KEY=any cargo run -p anyfast-video --example wan`.

use anyfast_video::{Client, WanRequest};

#[tokio::main]
async fn main() -> Result<(), anyfast_video::Error> {
    let client = Client::from_env()?;
    let request = WanRequest::text_to_video("a cat playing piano")
        .duration(4)
        .size(1280, 720);
    let task = client.videos().generate(request, "wan.mp4").await?;
    println!("task {} done: wan.mp4", task.id);
    Ok(())
}
