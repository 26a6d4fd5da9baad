#![doc = include_str!("../README.md")]
//!
//! # Inside
//!
//! One module per concept, in layers that point down (`cargo xtask check` fails on a cycle).
//! At the top, [`Client`] hands out the facades: [`Videos`], [`Assets`] and [`Models`]. Each facade method is a few lines: it
//! builds the request (`request`, `media`) and hands one attempt to `call`, which owns the
//! span (`trace`), the retries (`retry`, with the rule of that operation) and the read
//! (`answer`, the tolerant reader). Below that, `transport` sends one attempt over HTTP with
//! the key (`secret`), the shared pace after a 429 (`pace`) and the in-flight bound
//! (`in_flight`); `download` streams a file to disk; `exchange` is what both hand up: the
//! status, headers and bytes of one answer. `poll` is the one polling loop. The plain types (`task`, `asset`,
//! `model_info`, `error`) use nothing above them.
//!
//! # One request path
//!
//! Every request goes through `transport`, not through the generated progenitor client
//! ([`api::Client`]). The tolerant reader has to see the raw answer (the bytes, status and
//! headers) to accept the shapes the service really sends, to keep a task's id from an answer
//! it cannot fully read, and to tell "not processed" from "may have been processed" before a
//! create is retried; the generated client hands back either a typed value or an error that
//! has already thrown the body's meaning away. So the generated crate (`anyfast-video-api`,
//! re-exported as [`api`]) is a product of its own: the exact contract, for users who want
//! it, with its own hooks and contract tests. This crate uses its types where they are the
//! concept itself: the enums [`Ratio`], [`Resolution`] and [`ServiceTier`] and the body a
//! [`VideoRequest`] sends are the generated ones, so a value the spec adds is sendable as
//! soon as the client is regenerated.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod answer;
mod asset;
mod assets;
mod call;
mod client;
mod download;
mod error;
mod exchange;
mod generate;
mod in_flight;
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

pub use anyfast_video_api::file_type::media_type as sniff_media_type;
pub use anyfast_video_api::types::{KnownResolution, Ratio, Resolution, ServiceTier};
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
pub use generate::GenerateOptions;
pub use media::MediaSource;
pub use model_info::ModelInfo;
pub use models::Models;
pub use poll::{DEFAULT_MAX_UNREADABLE_ANSWERS, MIN_POLL_INTERVAL, WaitOptions};
pub use request::{DEFAULT_MODEL, VideoRequest};
pub use retry::RetryPolicy;
pub use secret::ApiKey;
pub use task::{Failure, Task, TaskCallback, TaskStatus, UploadedAsset, Usage};
pub use videos::{CreateOptions, Videos, new_idempotency_key};

/// The rules requests are checked against, and the generated client underneath.
pub use anyfast_video_api as api;
