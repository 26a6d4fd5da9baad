//! An earlier Seedance model: Seedance 1.0 lite, at a 2-second length only 1.x allows, with the
//! camera kept still. Same `content[]` body as Seedance 2.0; its own ranges.
//!
//! Against the mock: `cargo run -p anyfast-mock` in one terminal, then
//! `ANYFAST_BASE_URL=http://127.0.0.1:12111 ANYFAST_API_KEY=any cargo run -p anyfast-video --example seedance_1_0`.

use anyfast_video::{Client, VideoRequest};

#[tokio::main]
async fn main() -> Result<(), anyfast_video::Error> {
    let client = Client::from_env()?;
    let request = VideoRequest::text("a cat stretches on a sunny windowsill")
        .model("doubao-seedance-1-0-lite-t2v-250428")
        .duration(2)
        .camera_fixed(true);
    let task = client
        .videos()
        .generate(request, "seedance-1.0.mp4")
        .await?;
    println!("task {} done: seedance-1.0.mp4", task.id);
    Ok(())
}
