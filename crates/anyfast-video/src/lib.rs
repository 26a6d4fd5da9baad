//! Make videos with anyfast's Seedance API.
//!
//! A thin, careful layer over the generated client `anyfast-video-api`: requests are typed and
//! checked before anything is sent, tasks are created, polled and downloaded for you, calls
//! are retried where that is safe, errors are one typed enum, and the API key never leaves
//! the `Authorization` header of requests to the API's own host.
//!
//! # Quick start
//!
//! ```no_run
//! use anyfast_video::{Client, Ratio, VideoRequest, WaitOptions};
//!
//! # async fn run() -> Result<(), anyfast_video::Error> {
//! let client = Client::from_env()?; // ANYFAST_API_KEY, and ANYFAST_BASE_URL if set
//! let request = VideoRequest::text("一只猫在阳光明媚的房间里弹钢琴")
//!     .reference_image("https://example.com/reference.jpg")
//!     .duration(5)
//!     .ratio(Ratio::Landscape16x9);
//! let task = client.videos().create(request).await?; // checked before sending
//! let done = client.videos().wait(&task.id, WaitOptions::default()).await?;
//! client.videos().download(&done, "cat.mp4").await?;
//! # Ok(())
//! # }
//! ```
//!
//! Or all three in one call: `client.videos().generate(request, "cat.mp4")`.
//!
//! The same code runs offline against the mock server (`anyfast-mock`): point
//! `ANYFAST_BASE_URL` at it; any key will do.
//!
//! # What is done for you
//!
//! - **Validation** ([`VideoRequest::prepare`]): the seven allowed content combinations,
//!   duration -1 or 4 to 15, web search for text only, frame and reference roles not mixed,
//!   counts, URL schemes, data URIs and sizes (rules shared with the mock, in
//!   `anyfast_video_api::validate`). Local images and audio become data URIs, their type read
//!   from their bytes. Each error names the field and the rule, and nothing is sent.
//! - **Retries** ([`RetryPolicy`]): queries and downloads on 429, 5xx, timeouts and network
//!   failures, with jittered exponential backoff and `Retry-After`. A create only when it was
//!   provably not processed, with one `Idempotency-Key` across its retries.
//! - **Polling** ([`WaitOptions`]): from 2 s to 15 s, jittered, with a deadline and a
//!   progress callback.
//! - **Downloads** ([`Videos::download_with`]): streamed, resumed, checked, renamed into place;
//!   never with the key.
//! - **One task view** ([`Task`]) whatever shape the service answered with.
//! - **Tracing**: each call runs in an `anyfast_video` span with `operation`, `task_id`,
//!   `status`, `http_status`, `request_id` and `elapsed_ms`. The key is never recorded.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod answer;
mod asset;
mod assets;
mod client;
mod download;
mod error;
mod media;
mod model_info;
mod models;
mod pace;
mod poll;
mod request;
mod retry;
mod secret;
mod task;
mod trace;
mod transport;
mod videos;

pub use anyfast_video_api::validate::MediaKind;
pub use asset::{Asset, AssetPage, AssetStatus};
pub use assets::{
    AssetQuery, AssetUpload, Assets, DEFAULT_ACTIVATION_TIMEOUT, DEFAULT_UPLOAD_GROUP_NAME,
};
pub use client::{
    API_KEY_ENV, BASE_URL_ENV, Client, ClientBuilder, DEFAULT_BASE_URL,
    DEFAULT_MAX_CONCURRENT_REQUESTS,
};
pub use download::{DownloadOptions, DownloadProgress, Downloaded, partial_path};
pub use error::Error;
pub use media::{MediaSource, sniff as sniff_media_type};
pub use model_info::ModelInfo;
pub use models::Models;
pub use poll::{DEFAULT_MAX_UNREADABLE_ANSWERS, MIN_POLL_INTERVAL, WaitOptions};
pub use request::{DEFAULT_MODEL, Ratio, Resolution, ServiceTier, VideoRequest};
pub use retry::RetryPolicy;
pub use secret::ApiKey;
pub use task::{Failure, Task, TaskStatus, UploadedAsset, Usage};
pub use videos::{CreateOptions, GenerateOptions, Videos, new_idempotency_key};

/// The rules requests are checked against, and the generated client underneath.
pub use anyfast_video_api as api;
