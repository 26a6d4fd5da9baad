//! A stateful, spec-faithful mock of anyfast's video generation API, for tests, offline demos
//! and benchmarks.
//!
//! It serves every operation of the repository's `openapi.yaml` as the spec says (request
//! bodies are validated against the spec's own schemas, embedded at build time, and against
//! `anyfast_video_api::validate`): `POST /v1/video/generations` and
//! `GET /v1/video/generations/{id}` for Seedance, Wan and HappyHorse, Kling's own create and
//! query routes, walking each task through NOT_START → QUEUED → IN_PROGRESS → SUCCESS or
//! FAILURE (see "Families"); the asset library (`POST /volc/asset/CreateAssetGroup`,
//! `CreateAsset` as JSON or multipart/form-data, `GetAsset`, `ListAssets`), with state; and the
//! models list (`GET /v1/models`). A second listener stands for the pre-signed storage URLs
//! and serves the finished videos, their last frames and the uploaded asset files. Faults
//! (latency, 429, 5xx, dropped connections, cut-off bodies, malformed JSON, slow answers) can
//! be injected per route, answers can drift across every form the docs allow, and requests are
//! logged for assertions (never the token itself, never an uploaded file).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use anyfast_mock::{MockConfig, MockServer, Route, Timing};
//!
//! let mock = MockServer::start(MockConfig::default().timing(Timing::Instant)).await?;
//! let http = reqwest::Client::new();
//! let created: serde_json::Value = http
//!     .post(format!("{}/v1/video/generations", mock.base_url()))
//!     .bearer_auth("any-key")
//!     .json(&serde_json::json!({
//!         "model": "seedance-fast",
//!         "content": [{"type": "text", "text": "一只猫在阳光明媚的房间里弹钢琴"}]
//!     }))
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! let id = created["id"].as_str().unwrap();
//! let task: serde_json::Value = http
//!     .get(format!("{}/v1/video/generations/{id}", mock.base_url()))
//!     .bearer_auth("any-key")
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!(task["data"]["status"], "SUCCESS");
//! let video = http.get(task["data"]["result_url"].as_str().unwrap()).send().await?.bytes().await?;
//! assert_eq!(&video[..], anyfast_mock::SAMPLE_VIDEO);
//! assert_eq!(mock.count(Route::Create), 1);
//! assert_eq!(mock.create_count_for_prompt("一只猫在阳光明媚的房间里弹钢琴"), 1);
//! mock.stop().await;
//! # Ok(())
//! # }
//! ```
//!
//! # Timing
//!
//! [`Timing`] says how fast tasks finish: `Instant` (done when the create returns), `Fast`
//! (about 1.5 s, every state visible), `Realistic` (1–5 minutes, fixed per task id),
//! `Lasting(d)` (every task takes `d`, every state visible: `Fast` stretched, for tests that
//! need tasks to keep running while they kill a client mid-batch), or a `Custom` [`Schedule`].
//! The program takes `--timing instant|fast|realistic` or a duration (`--timing 20s`).
//!
//! # Seedance 2.0 and 2.0 Fast
//!
//! Creates are held to each documented model's resolutions: `seedance` makes 480p, 720p and
//! 1080p, `seedance-fast` 480p and 720p (a `seedance-fast` 1080p request gets 400 naming
//! `resolution`); other model ids are not held to either. The fields gateways forward upstream
//! (`seed`, `camera_fixed`, `callback_url`, `service_tier`, `execution_expires_after`) are
//! checked and accepted, and the upstream task reports the `seed` and `service_tier` asked for
//! (`callback_url` is never called). Fields the spec does not name are accepted too, and kept
//! in the request log's body as sent.
//!
//! A task whose request has `"return_last_frame": true` finishes with a last frame: a
//! pre-signed URL on the download listener (`…/videos/ID-last.png?X-Tos-Signature=…`) that
//! serves [`LAST_FRAME_PNG`], a real PNG, with the same signature check, `Range` support and
//! absence of a token as the video. Each shape carries it where it keeps its URLs:
//! `data.data.content.last_frame_url` in the wrapper, `content.last_frame_url` in the Ark-like
//! shape, and `last_frame_url` beside `video_url` at the top of the older flat shape (which has
//! no `content`). Without `return_last_frame`, no answer names a last frame. Drift keeps it in
//! the same place for each shape.
//!
//! # Families
//!
//! Every body of `POST /v1/video/generations` is checked against the schema of the family its
//! `model` chooses (so that a refusal names the field), then the operation's union of bodies,
//! then `validate::check_create` (the family's rules); Kling's four creates
//! (`POST /kling/v1/videos/text2video`, `image2video`, `multi-image2video`, `omni-video`)
//! against their route's schema and `validate::check_kling`. A refusal is a 400 naming the
//! field, as for Seedance 2.0. Each family's create answers the documented
//! `{id, task_id, object: "video", model, status: "", progress: 0, created_at}`, and its tasks
//! finish on the same [`Timing`], fail on the same [`FAIL_MARKER`] (in the body's prompt) and
//! serve the same video on the download listener.
//!
//! | family | task ids | query | the video |
//! | --- | --- | --- | --- |
//! | Seedance (2.0, 2.0 Fast, 1.x) | `cgt-…` | `GET /v1/video/generations/{id}`, the three shapes above | `data.result_url` (wrapper) |
//! | Wan 2.2 | `wanmock…` | the same route: `{id, task_id, model, status: queued\|running\|succeeded\|failed, content, error}` (its pages say only "until status is succeeded"; this is the endpoint's Ark-like shape) | `content.video_url` |
//! | HappyHorse 1.0 (t2v, i2v, r2v, video edit) | `asyntask_…` | the same route: the wrapper, `data.status` NOT_START … SUCCESS / FAILURE, `data.data.output` the DashScope task (`task_status` PENDING, RUNNING, SUCCEEDED, FAILED) | `data.result_url`, repeated in `fail_reason` on success as the page documents |
//! | Kling | digits | `GET /kling/v1/videos/{action}/{task_id}` (the action of [`KlingAction::query_action`]: `text2video` for text-to-video and Omni tasks) and `GET /kling/v1/videos/{task_id}`: `KlingTaskResponse`, `data.status` SUBMITTED, PROCESSING, SUCCESS, FAILED | `data.data.data.task_result.videos[0].url` |
//!
//! A Kling task asked for with another action, or at `/v1/video/generations/{id}`, is a 404
//! (`task_not_exist`), and so is another family's task on Kling's routes. Kling's creates
//! count as [`Route::Create`] and its queries as [`Route::Get`] (for faults and tallies);
//! [`MockServer::create_count_for_prompt`] reads the prompt of every family's body (the
//! Seedance `text` items, `prompt`, or the video edit's `input.prompt`). The query shapes of
//! [`MockConfig::shape`] are Seedance's: the other families answer in their own.
//!
//! [`KlingAction::query_action`]: anyfast_video_api::validate::KlingAction::query_action
//!
//! # Asset library
//!
//! Each bearer token has its own library, as anyfast documents ("each token sees only its own
//! assets"): another token's groups and assets are unknown to it. Ids are `group-<UTC time as
//! 14 digits>-<number>` and `asset-<digits>-<number>`.
//!
//! - `CreateAsset` as JSON takes `URL` as an https URL (kept as it is: the mock never fetches
//!   it), a data URI or raw base64 (decoded, then held to the library's limits like an
//!   upload). As multipart/form-data it takes `model`, `file`, `GroupId` and `Name`; the asset
//!   type is read from the file's bytes (PNG, JPEG, GIF, WebP, BMP, TIFF, HEIC/HEIF; the `ftyp`
//!   box of MP4 and MOV; an ID3 tag or MPEG frame, or a RIFF WAVE, for audio). Types and sizes
//!   are checked with `validate::check_asset_file`; a refusal is a 400 naming `URL` or `file`.
//! - A `GroupId` the token has no group of is a 400 naming `GroupId` (not a 404: the operation
//!   documents 400, and the group is a parameter of the request, not the resource asked for).
//! - A new asset is `Inactive` for [`MockConfig::asset_activation`] (by default as long as a
//!   task of the configured [`Timing`] takes to start: at once with `Instant`, 300 ms with
//!   `Fast`), then `Active`; its `UpdateTime` is when it turned `Active`.
//! - A create that names, as `asset://ID` (or `Asset://ID`), one of the token's assets that
//!   is not `Active` yet, or of another kind than the item (an audio asset as a `video_url`),
//!   gets 400 naming that item's URL, as the service refuses an unusable asset. An id the
//!   token's library does not know is accepted: the asset may have been made elsewhere.
//! - `GetAsset` answers the documented `Asset` (times in ISO-8601, `URL` the original URL or
//!   a pre-signed URL of the uploaded file on the download listener); an unknown id is a 404
//!   with the documented error body (code `asset_not_exist`).
//! - `ListAssets` lists the newest first (by creation), `PageNumber` from 1, `PageSize` 10
//!   unless asked (at most 100; out of range is a 400 naming the field), filtered by `Name`
//!   (exactly), `GroupIds` (any of them) and `GroupType` (every group of the mock is `AIGC`).
//!   A page past the end is empty, with the `TotalCount` of every page.
//!
//! Tests read the library with [`MockServer::asset`], [`MockServer::asset_count`] and
//! [`MockServer::asset_group_count`].
//!
//! # Models list
//!
//! `GET /v1/models` answers the documented OpenAI-compatible list: a model of every family
//! (`seedance`, `seedance-fast`, `doubao-seedance-1-5-pro-251215`, `wan2.2-t2v-a14b`,
//! `happyhorse-1.0-i2v`, `kling-v3`) with `supported_endpoint_types: ["video"]`, and a chat
//! model beside them, so that a client has to pick the video models out. Without a token it answers 401 with the
//! models page's own body, `{"error": {"message": "No token provided"}}`.
//!
//! # Failing tasks and faults
//!
//! A prompt containing [`FAIL_MARKER`] (`[mock:fail]`, or `[mock:fail=CODE]`) ends in FAILURE
//! with that upstream code. [`Fault`]s target a [`Route`] always, for the next N requests, or at
//! a rate drawn from a generator seeded by [`MockConfig::seed`]; they parse from the program's
//! `--fault ROUTE:KIND[@TRIGGER]` ([`FAULT_SYNTAX`]), with durations read by `humantime`
//! (`250ms`, `3s`, `2m`).
//!
//! # Request log
//!
//! [`MockServer::requests`] keeps the full records of the latest requests, on every route
//! (a `CreateAsset` with an inline file is logged without it: a data URI or base64 `URL` as its
//! header and length, a multipart `file` as its name, type and size)
//! ([`MockConfig::log_capacity`], [`DEFAULT_LOG_CAPACITY`] by default), so a mock that runs a
//! long benchmark holds bounded memory. The tallies cover every request ever, whatever the
//! capacity: [`MockServer::count`] per route, [`MockServer::create_count_for_prompt`] and
//! [`MockServer::create_count_for_idempotency_key`] per create (kept as hashes, so their memory
//! is a few words per distinct prompt or key), and [`MockServer::task_count_for_prompt`] for the
//! tasks actually made. "Exactly one create per prompt" after a client crashed is
//! `create_count_for_prompt(p) == 1`.
//!
//! # Drift
//!
//! Without drift, every answer is exactly the documented one (CI checks it against
//! `openapi.yaml` with schemathesis and Prism). [`MockConfig::drift`] (the program's
//! `--drift SEED`) makes answers vary, per task, across everything anyfast's documentation and
//! its older pages allow an answer to be. Each task gets a personality from the seed and its
//! number (the `n`th create of a run): it answers in one voice at every poll, other tasks in
//! others, and the same seed gives the `n`th task of every run the same voice.
//!
//! | what | the forms it takes |
//! | --- | --- |
//! | create: HTTP status | 200, 201, 202 |
//! | create: body | the documented `{id, task_id, object, model, status: "", progress, created_at}`; the query's wrapper `{"code":…,"message":"","data":{"task_id":ID,"status":…}}`; `{"data":{"id":ID}}`; `{"task_id":ID}`; the older models' `{"id":ID,"status":"submitted","created_at":"<ISO-8601>"}` |
//! | query: shape | the wrapper, the older flat shape or the older Ark-like shape (a drifting task ignores [`MockConfig::shape`]) |
//! | times (`submit_time`, `start_time`, `finish_time`, `created_at`, `updated_at`), each on its own | a unix integer, a numeric string, ISO-8601 with `Z`, ISO-8601 with `+08:00`, a float, or null |
//! | progress | `"NN%"`, an integer, a float, a numeric string, or null |
//! | status words | upper, lower or title case (`In_Progress`); for a third of the tasks the upstream word (`queued`, `running`, `succeeded`, `failed`) in place of the shape's own |
//! | `code` | `"success"`, `0`, `"0"` or `200` |
//! | optional fields without a value | absent or `""` as documented, or null (`"fail_reason": null`, `"result_url": null`, `"content": null` until success) |
//! | a success's `fail_reason` | empty, or the `result_url` again ("for backward compatibility", say the docs) |
//! | unknown fields | objects, arrays and numbers at every level (top, `data`, `data.data`, `content`, `error`) |
//! | ancillary fields | `usage` as a JSON string, `seed`, `duration` and `framespersecond` as numeric strings |
//!
//! The other families drift too, where their docs leave room: HappyHorse's and Kling's wrappers
//! in their times, progress, `code`, status word case, nulls and unknown fields (HappyHorse's
//! `data.status` and Kling's keep their own words), Wan's flat answer in its status word case,
//! times, progress and unknown fields; their creates drift like Seedance's.
//!
//! Drift never changes the essentials: the task id is under `id`, `task_id`, `data.task_id` or
//! `data.id`; the status word means the task's phase; on success the video URL is under
//! `data.result_url`, `content.video_url`, `data.data.content.video_url` or `video_url`; on
//! failure a reason is given (`data.fail_reason` or `error.message`; the flat shape, which
//! documents none, gains an `error`). Request validation, errors (400, 401, 404), faults,
//! downloads and the log are the same with drift as without, and the asset library and the
//! models list always answer as documented.
//!
//! # Features
//!
//! `cli` (on by default) builds the `anyfast-mock` program and derives clap's `ValueEnum` for
//! [`Timing`] and [`Shape`]. A library user who wants no clap turns it off:
//! `anyfast-mock = { path = "…", default-features = false }`.
//!
//! # Inside
//!
//! The modules are cut by data flow, in layers that point down (`cargo xtask check` fails on
//! a cycle). `server` starts the two listeners (`listener`) over the routers of `handlers`,
//! which are built from one table per listener: each endpoint's path, handler, route
//! (`route`), token and what the log keeps. One axum middleware frames every endpoint: it logs
//! the request (`request_log`), decides its faults (`faults`, `fault_plan`), applies the
//! gateway's concurrency gate (`gate`) and authentication, and injects the faults that strike
//! after processing; the handlers only do the work. What they answer comes from `answers`
//! (documented or drifting, `drift`, `shape`), about the tasks of `tasks` (timed by
//! `lifecycle`) and the assets of `assets` (files read by `uploads`, typed by
//! `anyfast_video_api::file_type`), after the checks of `validation` (the spec's schemas, then
//! the API's rules). `config` holds the settings; `state` what both listeners share;
//! `presigned`, `videos`, `last_frame` and `model_list` what the storage stand-in and the
//! models list serve; `stable_hash` and `timestamps` are the leaves.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod answers;
mod assets;
mod config;
mod drift;
mod fault_plan;
mod faults;
mod gate;
mod handlers;
mod last_frame;
mod lifecycle;
mod listener;
mod model_list;
mod presigned;
mod request_log;
mod route;
mod server;
mod shape;
mod stable_hash;
mod state;
mod tasks;
mod timestamps;
mod uploads;
mod validation;
mod videos;

pub use assets::StoredAsset;
pub use config::MockConfig;
pub use faults::{FAULT_SYNTAX, Fault, FaultKind, Trigger, parse_duration};
pub use last_frame::LAST_FRAME_PNG;
pub use lifecycle::{Phase, Schedule, Timing};
pub use request_log::{DEFAULT_LOG_CAPACITY, RecordedRequest};
pub use route::Route;
pub use server::MockServer;
pub use shape::Shape;
pub use tasks::{DEFAULT_FAILURE_CODE, FAIL_MARKER};
pub use videos::{SAMPLE_VIDEO, Video, synthetic_byte};
