//! The download listener: the stand-in for the pre-signed storage URLs in `result_url`,
//! `content.last_frame_url` and an uploaded asset's `URL`. It asks for no token (and records
//! whether one came anyway), checks each URL's signature, serves each object with
//! `Content-Length`, `Accept-Ranges` and single `Range` requests, and streams synthetic videos
//! of any size in constant memory.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, Query, State as Shared};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::injection::then_cut_off;
use crate::assets::Content;
use crate::fault_plan::Decision;
use crate::faults::FaultKind;
use crate::last_frame::LAST_FRAME_PNG;
use crate::lifecycle::Phase;
use crate::presigned::{asset_key, last_frame_file, signature};
use crate::state::State;
use crate::videos::{Asked, Video, body_stream, parse_range};

/// The bytes of a stored object.
enum Contents {
    Video(Video),
    Bytes(Bytes),
}

/// A stored object: its contents, type, and the signature its URL must carry.
struct Object {
    contents: Contents,
    content_type: String,
    signature: String,
}

impl Object {
    fn len(&self) -> u64 {
        match &self.contents {
            Contents::Video(video) => video.len(),
            Contents::Bytes(bytes) => bytes.len() as u64,
        }
    }

    /// The bytes in `span`, as a body stream.
    fn stream(
        &self,
        span: std::ops::Range<u64>,
    ) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
        use futures_util::StreamExt;
        match &self.contents {
            Contents::Video(video) => body_stream(*video, span).left_stream(),
            Contents::Bytes(bytes) => {
                let part = bytes.slice(span.start as usize..span.end as usize);
                futures_util::stream::iter([Ok(part)]).right_stream()
            }
        }
    }
}

/// What a request asked of the listener.
struct Wanted<'a> {
    query: &'a HashMap<String, String>,
    method: &'a Method,
    headers: &'a HeaderMap,
}

pub(super) async fn task_download(
    Shared(state): Shared<Arc<State>>,
    Extension(decision): Extension<Decision>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let wanted = Wanted {
        query: &query,
        method: &method,
        headers: &headers,
    };
    serve(task_file(&state, &file), wanted, truncates(&decision))
}

pub(super) async fn asset_download(
    Shared(state): Shared<Arc<State>>,
    Extension(decision): Extension<Decision>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let wanted = Wanted {
        query: &query,
        method: &method,
        headers: &headers,
    };
    serve(asset_file(&state, &file), wanted, truncates(&decision))
}

/// Whether the faults cut this download short (the others were the frame's to apply).
fn truncates(decision: &Decision) -> bool {
    decision.outcome == Some(FaultKind::TruncateBody)
}

/// A finished task's video (`ID.mp4`), or the last frame (`ID-last.png`) of one that asked
/// for it.
fn task_file(state: &State, file: &str) -> Option<Object> {
    let succeeded = |id: &str| {
        state
            .tasks
            .get(id)
            .filter(|task| task.phase() == Phase::Succeeded)
    };
    if let Some(id) = file.strip_suffix("-last.png") {
        let task = succeeded(id).filter(|task| task.returns_last_frame())?;
        return Some(Object {
            contents: Contents::Bytes(Bytes::from_static(LAST_FRAME_PNG)),
            content_type: "image/png".into(),
            signature: signature(&last_frame_file(&task.id)),
        });
    }
    let task = succeeded(file.strip_suffix(".mp4")?)?;
    Some(Object {
        contents: Contents::Video(state.config.video),
        content_type: "video/mp4".into(),
        signature: signature(&task.id),
    })
}

/// An uploaded asset's file, whatever the asset's status.
fn asset_file(state: &State, file: &str) -> Option<Object> {
    let asset = state.assets.by_file_name(file)?;
    let Content::File { bytes, media_type } = &asset.content else {
        return None;
    };
    Some(Object {
        contents: Contents::Bytes(bytes.clone()),
        content_type: media_type.to_string(),
        signature: signature(&asset_key(file)),
    })
}

fn serve(object: Option<Object>, wanted: Wanted<'_>, truncate: bool) -> Response {
    let Some(object) = object else {
        return (
            StatusCode::NOT_FOUND,
            "NoSuchKey: the object does not exist\n",
        )
            .into_response();
    };
    if wanted.query.get("X-Tos-Signature") != Some(&object.signature) {
        return (StatusCode::FORBIDDEN, "SignatureDoesNotMatch\n").into_response();
    }
    let total = object.len();
    let asked = wanted
        .headers
        .get(header::RANGE)
        .and_then(|value| value.to_str().ok());
    let range = match asked.map(|value| parse_range(value, total)) {
        None | Some(Asked::Ignored) => None,
        Some(Asked::Satisfiable(range)) => Some(range),
        Some(Asked::Unsatisfiable) => {
            return (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{total}"))],
            )
                .into_response();
        }
    };
    let span = range.clone().unwrap_or(0..total);
    let status = if range.is_some() {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let mut response = if wanted.method == Method::HEAD {
        Response::new(Body::empty())
    } else if truncate {
        // Half of the span, announced in full, then the connection breaks.
        let half = span.start..span.start + (span.end - span.start) / 2;
        Response::new(then_cut_off(object.stream(half)))
    } else {
        Response::new(Body::from_stream(object.stream(span.clone())))
    };
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        object.content_type.parse().expect("a media type"),
    );
    headers.insert(header::ACCEPT_RANGES, "bytes".parse().expect("valid"));
    headers.insert(header::CONTENT_LENGTH, (span.end - span.start).into());
    headers.insert(
        header::ETAG,
        format!("\"{}\"", object.signature).parse().expect("valid"),
    );
    if range.is_some() {
        let content_range = format!(
            "bytes {}-{}/{total}",
            span.start,
            span.end.saturating_sub(1)
        );
        headers.insert(header::CONTENT_RANGE, content_range.parse().expect("valid"));
    }
    response
}
