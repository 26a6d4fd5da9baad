//! Kling text-to-video on Kling's own route, then the task asked about again by the id `create`
//! gave it (`kling/text2video/…`: the action Kling's query route needs travels with the id).
//!
//! Against the mock: `cargo run -p anyfast-mock` in one terminal, then
//! `ANYFAST_BASE_URL=http://127.0.0.1:12111 ANYFAST_API_KEY=any cargo run -p anyfast-video --example kling`.

use anyfast_video::{Client, KlingRequest, WaitOptions};

#[tokio::main]
async fn main() -> Result<(), anyfast_video::Error> {
    let client = Client::from_env()?;
    let request = KlingRequest::text_to_video("a cat walks through a field of sunflowers")
        .mode("pro")
        .duration(5)
        .aspect_ratio("16:9");
    let created = client.videos().create(request).await?;
    println!("created {}", created.id);
    let done = client
        .videos()
        .wait(&created.id, WaitOptions::default())
        .await?;
    client.videos().download(&done, "kling.mp4").await?;
    println!("task {} done: kling.mp4", done.id);
    Ok(())
}
