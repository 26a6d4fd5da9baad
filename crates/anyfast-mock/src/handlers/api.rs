//! The API listener's video and models endpoints: create, query and the models list; the
//! asset library's are in `assets`.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State as Shared};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;

use super::injection::{bad_request, error_body, json_response};
use crate::answers::{self, Downloads};
use crate::assets::Owner;
use crate::model_list;
use crate::route::Route;
use crate::state::State;
use crate::validation::{check_create, check_idempotency_key};

pub(super) async fn create(
    Shared(state): Shared<Arc<State>>,
    Extension(owner): Extension<Owner>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = check_idempotency_key(headers.get("idempotency-key"))
        .and_then(|()| check_create(&body))
        .and_then(|request| {
            state.assets.check_references(owner, &request)?;
            Ok(request)
        });
    match request {
        Err(rejection) => bad_request(rejection),
        Ok(request) => {
            let task = state.tasks.create(request, &state.config.timing);
            let (status, body) = answers::created(&task, state.voice(&task));
            let status = StatusCode::from_u16(status).expect("a status drift chose");
            json_response(status, &body)
        }
    }
}

pub(super) async fn query(Shared(state): Shared<Arc<State>>, Path(id): Path<String>) -> Response {
    let Some(task) = state.tasks.get(&id) else {
        let message = format!("task_not_exist: no task has the id {id:?}");
        let body = error_body(&message, "invalid_request_error", "task_not_exist");
        return json_response(StatusCode::NOT_FOUND, &body);
    };
    let video_url = state.video_url(&id);
    let last_frame_url = state.last_frame_url(&task);
    let downloads = Downloads {
        video_url: &video_url,
        last_frame_url: last_frame_url.as_deref(),
    };
    let voice = state.voice(&task);
    let body = answers::queried(&task, task.phase(), state.config.shape, downloads, voice);
    json_response(StatusCode::OK, &body)
}

pub(super) async fn models() -> Response {
    json_response(StatusCode::OK, &model_list::models())
}

/// Any other path: logged, and a 404 (no faults, no token asked).
pub(super) async fn unknown(
    Shared(state): Shared<Arc<State>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let entry = state
        .log
        .record(Route::Other, method.as_str(), uri.path(), &headers, None);
    let message = format!("no route for {method} {}", uri.path());
    let response = json_response(
        StatusCode::NOT_FOUND,
        &error_body(&message, "invalid_request_error", "not_found"),
    );
    state.log.answered(entry, response.status().as_u16());
    response
}
