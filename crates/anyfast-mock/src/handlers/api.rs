//! The API listener's video and models endpoints: create and query (`/v1/video/generations`
//! for Seedance, Wan and HappyHorse; Kling's own routes), and the models list; the asset
//! library's are in `assets`.

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
use crate::tasks::TaskRequest;
use crate::validation::{check_create, check_idempotency_key, check_kling_create};
use anyfast_video_api::types::CreateVideoGenerationRequest;
use anyfast_video_api::validate::{Family, KlingAction};

pub(super) async fn create(
    Shared(state): Shared<Arc<State>>,
    Extension(owner): Extension<Owner>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = check_idempotency_key(headers.get("idempotency-key"))
        .and_then(|()| check_create(&body))
        .and_then(|request| {
            if let CreateVideoGenerationRequest::SeedanceVideoRequest(body) = &request {
                state.assets.check_references(owner, body)?;
            }
            Ok(TaskRequest::Generation(request))
        });
    created(&state, request)
}

/// Makes the task of a checked request, and answers the create.
fn created(state: &State, request: Result<TaskRequest, crate::validation::Rejection>) -> Response {
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

/// One of Kling's creates: the body checked against its route's schema and
/// `validate::check_kling`, kept as sent.
async fn kling_create(state: Arc<State>, action: KlingAction, body: Bytes) -> Response {
    let request = check_kling_create(action, &body).map(|body| TaskRequest::Kling { action, body });
    created(&state, request)
}

pub(super) async fn kling_text2video(Shared(state): Shared<Arc<State>>, body: Bytes) -> Response {
    kling_create(state, KlingAction::Text2Video, body).await
}

pub(super) async fn kling_image2video(Shared(state): Shared<Arc<State>>, body: Bytes) -> Response {
    kling_create(state, KlingAction::Image2Video, body).await
}

pub(super) async fn kling_multi_image2video(
    Shared(state): Shared<Arc<State>>,
    body: Bytes,
) -> Response {
    kling_create(state, KlingAction::MultiImage2Video, body).await
}

pub(super) async fn kling_omni_video(Shared(state): Shared<Arc<State>>, body: Bytes) -> Response {
    kling_create(state, KlingAction::OmniVideo, body).await
}

/// The documented 404 for a task id this route does not know.
fn task_not_found(id: &str) -> Response {
    let message = format!("task_not_exist: no task has the id {id:?}");
    let body = error_body(&message, "invalid_request_error", "task_not_exist");
    json_response(StatusCode::NOT_FOUND, &body)
}

/// `GET /kling/v1/videos/{action}/{task_id}`: a Kling task, asked with the action its
/// creating route is queried with (`KlingAction::query_action`: an Omni task with
/// `text2video`); any other action, or a task of another family, is a 404.
pub(super) async fn kling_query(
    Shared(state): Shared<Arc<State>>,
    Path((action, id)): Path<(String, String)>,
) -> Response {
    let task = state.tasks.get(&id).filter(|task| {
        task.request
            .kling_action()
            .is_some_and(|made_by| made_by.query_action() == action)
    });
    match task {
        Some(task) => kling_answer(&state, &task),
        None => task_not_found(&id),
    }
}

/// `GET /kling/v1/videos/{task_id}`: a Kling task by id alone (the API introduction page's
/// form).
pub(super) async fn kling_query_by_id(
    Shared(state): Shared<Arc<State>>,
    Path(id): Path<String>,
) -> Response {
    match state
        .tasks
        .get(&id)
        .filter(|task| task.family() == Family::Kling)
    {
        Some(task) => kling_answer(&state, &task),
        None => task_not_found(&id),
    }
}

fn kling_answer(state: &State, task: &crate::tasks::Task) -> Response {
    let video_url = state.video_url(&task.id);
    let body = answers::kling(task, task.phase(), &video_url, state.voice(task));
    json_response(StatusCode::OK, &body)
}

/// `GET /v1/video/generations/{id}`: a task of Seedance, Wan or HappyHorse, in its family's
/// shape. A Kling task is queried on Kling's routes only: here it is a 404.
pub(super) async fn query(Shared(state): Shared<Arc<State>>, Path(id): Path<String>) -> Response {
    let Some(task) = state
        .tasks
        .get(&id)
        .filter(|task| task.family() != Family::Kling)
    else {
        return task_not_found(&id);
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
