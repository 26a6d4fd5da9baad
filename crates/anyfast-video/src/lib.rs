#![doc = include_str!("../README.md")]
//!
//! # Inside
//!
//! One module per concept, in layers that point down (`cargo xtask check` fails on a cycle),
//! each importing from the module that defines it, never through this file's re-exports.
//!
//! - **Facades**: [`Client`] (`client`: the settings and the HTTP clients) hands out
//!   [`Videos`] (`videos`, `generate`), [`Assets`] (`assets`) and [`Models`] (`models`). Each
//!   method is its operation, its retry rule and its reader.
//! - **Around each call**: `call` (the span, and `retry` with the operation's "processed or
//!   not" rule), `poll` (the one polling loop), `download` (from the storage host to disk).
//! - **One attempt**: `send` waits for its turn (`in_flight`, `pace` after a 429) and runs the
//!   generated builder's `.send()`; the [`tolerant`] reader reads its raw answer.
//! - **Plain types**: `request` (Seedance's `content[]` body, and any family's request),
//!   `families` (Wan, HappyHorse and Kling: their typed requests, and Kling's task ids), `media`, `task`, `asset`, `model_info`, `secret`, `error`.
//!
//! # One request path
//!
//! Every API request is an operation of the generated client ([`api::Client`]) with the
//! generated request type as its body. The reader needs the raw answer (status, headers,
//! bytes) to accept the shapes the service really sends, keep a task's id from an answer it
//! cannot fully read, and tell "not processed" from "may have been processed" before a retry:
//! it takes it from the generated client's hooks, inside an [`api::capture::Capture`] (the
//! `pre` hook sets the request's timeout, `exec` keeps the answer as it came, up to 8 MiB).
//! Two requests are built by hand: the asset upload's `multipart/form-data` form, which
//! progenitor 0.15 cannot generate, sent through the same hooks; and downloads, with a client
//! of their own that never carries the key (the storage host is not the API).
//! [`Client::api`] hands out the configured generated client, so an operation added to the
//! spec is callable the day the client is regenerated.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod asset;
mod assets;
mod call;
mod client;
mod download;
mod error;
mod families;
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
mod send;
mod task;
pub mod tolerant;
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
pub use families::{HappyHorseRequest, KlingRequest, PreparedBody, WanRequest};
pub use generate::GenerateOptions;
pub use media::MediaSource;
pub use model_info::ModelInfo;
pub use models::Models;
pub use poll::{DEFAULT_MAX_UNREADABLE_ANSWERS, MIN_POLL_INTERVAL, WaitOptions};
pub use request::{DEFAULT_MODEL, RequestInput, VideoRequest};
pub use retry::RetryPolicy;
pub use secret::ApiKey;
pub use task::{Failure, Task, TaskCallback, TaskStatus, UploadedAsset, Usage};
pub use videos::{CreateOptions, Videos, new_idempotency_key};

/// The rules requests are checked against, and the generated client underneath.
pub use anyfast_video_api as api;
