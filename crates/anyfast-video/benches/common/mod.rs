//! What both download benchmarks start from: a mock serving a synthetic video of a chosen
//! size, and a client with a finished task pointing at it.

use anyfast_mock::{MockConfig, MockServer, Timing, Video};
use anyfast_video::{Client, Task, VideoRequest, WaitOptions};

pub struct Finished {
    /// Kept alive for as long as the task is downloaded.
    pub mock: MockServer,
    pub client: Client,
    pub task: Task,
}

pub async fn finished_task(video_bytes: u64) -> Finished {
    let config = MockConfig::default()
        .timing(Timing::Instant)
        .video(Video::Synthetic(video_bytes));
    let mock = MockServer::start(config).await.unwrap();
    let client = Client::builder()
        .api_key("bench")
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let created = client
        .videos()
        .create(VideoRequest::text("bench"))
        .await
        .unwrap();
    let task = client
        .videos()
        .wait(&created.id, WaitOptions::default())
        .await
        .unwrap();
    Finished { mock, client, task }
}
