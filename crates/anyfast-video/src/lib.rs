#![doc = include_str!("../README.md")]
//!
//! # Inside
//!
//! One module per concept; the table is checked against the code by `cargo xtask check`
//! (which also fails on any cycle).
//!
//! | module | its one job | uses |
//! | --- | --- | --- |
//! | `client` | [`Client`] and [`ClientBuilder`]: the key, the base URL, timeouts, the store, and the facades | `assets`, `error`, `models`, `retry`, `secret`, `store`, `tasks`, `transport`, `videos` |
//! | `tasks` | [`Tasks`]: the tasks a store records: recover, finish, generate, list | `error`, `generate`, `poll`, `request`, `store`, `task`, `videos` |
//! | `generate` | [`Videos::generate_with`] and its options; with a store, the one flow of a task under a record and a lease | `download`, `error`, `owner`, `poll`, `request`, `store`, `task`, `videos` |
//! | `videos` | [`Videos`]: create, get, wait, download, over the layers below | `answer`, `assets`, `download`, `error`, `poll`, `request`, `retry`, `store`, `task`, `trace`, `transport` |
//! | `assets` | [`Assets`]: the asset library (groups, uploads, waiting until Active, listing) | `answer`, `asset`, `error`, `media`, `poll`, `retry`, `trace`, `transport` |
//! | `models` | [`Models`]: the models list | `answer`, `error`, `model_info`, `retry`, `trace`, `transport` |
//! | `store` | [`store::TaskStore`]: records and leases, on SQLite or PostgreSQL | `error`, `owner`, `record` |
//! | `record` | What a store holds of one task: [`store::TaskRecord`], [`store::TaskState`], [`store::Holder`] | `owner` |
//! | `owner` | Who this process is to a store, and whether a lease's holder is gone | |
//! | `request` | [`VideoRequest`]: what to make, and the body that is sent | `error`, `media` |
//! | `media` | [`MediaSource`]: URLs, local files as data URIs, type sniffing | `error` |
//! | `transport` | One attempt of each operation over HTTP; the pool with the key, the one without | `answer`, `error`, `in_flight`, `pace`, `secret` |
//! | `pace` | One pace for every call of a client after a 429 | |
//! | `in_flight` | How many API requests a client has in flight, lowered by the gateway's concurrency gate | |
//! | `answer` | The tolerant reader: an answer becomes a [`Task`], an [`Asset`], models or an [`Error`] | `asset`, `error`, `model_info`, `task` |
//! | `retry` | The one retry engine: [`RetryPolicy`], backoff, what an error says about retrying | `error` |
//! | `poll` | The one polling loop, and [`WaitOptions`] | `error`, `retry`, `task` |
//! | `download` | Streaming a file to disk, resumed, checked, renamed | `answer`, `error`, `retry`, `transport` |
//! | `trace` | The tracing span of each call | `asset`, `download`, `error`, `model_info`, `task` |
//! | `task` | [`Task`] and [`TaskStatus`] | |
//! | `asset` | [`Asset`] and [`AssetPage`] | |
//! | `model_info` | [`ModelInfo`] | |
//! | `error` | [`Error`] | `record` |
//! | `secret` | [`ApiKey`]: the key, kept out of every output | `error` |
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod answer;
mod asset;
mod assets;
mod client;
mod download;
mod error;
mod generate;
mod in_flight;
mod media;
mod model_info;
mod models;
mod owner;
mod pace;
mod poll;
mod record;
mod request;
mod retry;
mod secret;
pub mod store;
mod task;
mod tasks;
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
pub use generate::{Action, Finished, GenerateOptions, IfHeld, Outputs};
pub use media::{MediaSource, sniff as sniff_media_type};
pub use model_info::ModelInfo;
pub use models::Models;
pub use poll::{DEFAULT_MAX_UNREADABLE_ANSWERS, MIN_POLL_INTERVAL, WaitOptions};
pub use request::{DEFAULT_MODEL, Ratio, Resolution, ServiceTier, VideoRequest};
pub use retry::RetryPolicy;
pub use secret::ApiKey;
pub use task::{Failure, Task, TaskStatus, UploadedAsset, Usage};
pub use tasks::{RecoverOptions, Recovered, Tasks};
pub use videos::{CreateOptions, Videos, new_idempotency_key};

/// The rules requests are checked against, and the generated client underneath.
pub use anyfast_video_api as api;
