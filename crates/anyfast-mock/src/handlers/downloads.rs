//! The download listener: the stand-in for the pre-signed storage URL in `result_url`. It
//! asks for no token (and records whether one came anyway), serves the video with
//! `Content-Length`, `Accept-Ranges` and single `Range` requests, and streams synthetic videos
//! of any size in constant memory.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State as Shared};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

use super::injection::{Arrival, then_cut_off, with_faults};
use crate::faults::FaultKind;
use crate::lifecycle::Phase;
use crate::listener::ConnectionKill;
use crate::presigned::signature;
use crate::route::Route;
use crate::state::State;
use crate::videos::{Asked, body_stream, parse_range};

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/videos/{file}", get(download))
        .with_state(state)
}

async fn download(
    Shared(state): Shared<Arc<State>>,
    Extension(kill): Extension<ConnectionKill>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let arrival = Arrival {
        route: Route::Download,
        method: method.as_str(),
        path: uri.path(),
        headers: &headers,
        body: None,
    };
    let (state, file, query, method, headers) = (&*state, &file, &query, &method, &headers);
    with_faults(state, &kill, arrival, |decision| async move {
        let truncate = decision.outcome == Some(FaultKind::TruncateBody);
        serve(state, file, query, method, headers, truncate)
    })
    .await
}

fn serve(
    state: &State,
    file: &str,
    query: &HashMap<String, String>,
    method: &Method,
    headers: &HeaderMap,
    truncate: bool,
) -> Response {
    let task = file.strip_suffix(".mp4").and_then(|id| state.tasks.get(id));
    let Some(task) = task.filter(|task| task.phase() == Phase::Succeeded) else {
        return (
            StatusCode::NOT_FOUND,
            "NoSuchKey: the object does not exist\n",
        )
            .into_response();
    };
    if query.get("X-Tos-Signature") != Some(&signature(&task.id)) {
        return (StatusCode::FORBIDDEN, "SignatureDoesNotMatch\n").into_response();
    }
    let video = state.config.video;
    let total = video.len();
    let asked = headers
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
    let mut response = if method == Method::HEAD {
        Response::new(Body::empty())
    } else if truncate {
        // Half of the span, announced in full, then the connection breaks.
        let half = span.start..span.start + (span.end - span.start) / 2;
        Response::new(then_cut_off(body_stream(video, half)))
    } else {
        Response::new(Body::from_stream(body_stream(video, span.clone())))
    };
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, "video/mp4".parse().expect("valid"));
    headers.insert(header::ACCEPT_RANGES, "bytes".parse().expect("valid"));
    headers.insert(header::CONTENT_LENGTH, (span.end - span.start).into());
    headers.insert(
        header::ETAG,
        format!("\"{}\"", signature(&task.id))
            .parse()
            .expect("valid"),
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
