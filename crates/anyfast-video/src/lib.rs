#![doc = include_str!("../README.md")]
//!
//! # Inside
//!
//! One module per concept, in layers that point down (`cargo xtask check` fails on a cycle),
//! each importing what it uses from the module that defines it, never through this file's
//! re-exports.
//!
//! - **Facades**: [`Client`] (`client`: the settings, and the two HTTP clients built from
//!   them) hands out [`Videos`] (`videos`, with `generate`), [`Assets`] (`assets`) and
//!   [`Models`] (`models`). Each method is its operation, its retry rule and its reader.
//! - **Around each call**: `call` runs one call: its span, its retries (`retry`,
//!   with the operation's "processed or not" rule) and, for each attempt, the generated
//!   operation sent by `send`, whose raw answer the tolerant reader ([`tolerant`]) reads.
//!   `poll` is the one polling loop (tasks and assets), `download` streams a file from the
//!   storage host to disk.
//! - **One attempt**: `send` waits for its turn (`in_flight`, the bound the gateway's
//!   concurrency gate lowers; `pace`, the shared pause after a 429) and runs the generated
//!   builder's `.send()` in a capture of the generated client.
//! - **Plain types** that use nothing above them: `request` and `media` (what to make),
//!   `task`, `asset`, `model_info` (what comes back), `secret` (the key), `error`.
//!
//! # One request path
//!
//! Every API request is sent by the generated progenitor client ([`api::Client`], from
//! `anyfast-video-api`): `create_video_generation` (with its `Idempotency-Key` header
//! parameter), `get_video_generation`, `create_asset_group`, `create_asset` (a URL or a data
//! URI), `get_asset`, `list_assets`, `delete_asset` and `list_models`, each with the generated
//! request type as its body ([`VideoRequest`] holds the create's body itself, its extra fields
//! in the body's own `extra` map). What this crate adds goes around `.send()`: validation
//! before, then the retries, the pace, the in-flight bound and the span around it, and after
//! it the tolerant reading and the typed [`Error`].
//!
//! The reader needs the raw answer (status, headers, bytes) to accept the shapes the service
//! really sends, to keep a task's id from an answer it cannot fully read, and to tell "not
//! processed" from "may have been processed" before a create is retried. It gets it from the
//! generated client's own hooks: each attempt runs inside an
//! [`api::capture::Capture`], whose settings reach the
//! hooks as a task-local; the `pre` hook gives the request its timeout (creates and uploads
//! 300 s, everything else 30 s, by default) and the `exec` hook keeps the answer exactly as it
//! came (up to 8 MiB, a cut flagged), whatever the operation's typed result makes of it. An
//! attempt that got no answer is progenitor's error: its `CommunicationError` becomes
//! [`Error::Transport`] with reqwest's error as its source, so `is_connect()` still tells
//! "never reached the server".
//!
//! Two requests are not the generated client's own: the asset upload's `multipart/form-data`
//! form, which progenitor 0.15 cannot generate, is built by hand on the generated client's
//! HTTP client and sent through the same hooks (`ClientHooks::pre` and `exec`), capture and
//! all; and downloads go to the storage host with a client of their own that never carries
//! the key (that host is not the API).
//!
//! [`Client::api`] hands out the configured generated client itself, so an operation added to
//! the spec is callable the day the client is regenerated, with no line written here.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod asset;
mod assets;
mod call;
mod client;
mod download;
mod error;
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
