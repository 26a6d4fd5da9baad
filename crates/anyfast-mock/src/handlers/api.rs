//! The API listener's video and models routes: create, query and the models list, behind
//! bearer authentication; the asset library's routes are in `assets`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State as Shared};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

use super::assets;
use super::auth::{Unauthorised, authorise, no_token_provided};
use super::injection::{
    Arrival, after_processing, bad_request, error_body, json_response, with_faults,
};
use crate::answers::{self, Downloads};
use crate::listener::ConnectionKill;
use crate::model_list;
use crate::route::Route;
use crate::state::State;
use crate::validation::{check_create, check_idempotency_key};

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/v1/video/generations", post(create))
        .route("/v1/video/generations/{id}", get(query))
        .route("/v1/models", get(models))
        .route("/volc/asset/CreateAssetGroup", post(assets::create_group))
        .route("/volc/asset/CreateAsset", post(assets::create_asset))
        .route("/volc/asset/GetAsset", post(assets::get_asset))
        .route("/volc/asset/DeleteAsset", post(assets::delete_asset))
        .route("/volc/asset/ListAssets", post(assets::list_assets))
        .fallback(unknown)
        // Twice the API's limit, so that a body just over the limit reaches the validation and
        // gets the documented 400 naming `body`, as the service answers; beyond that, 413.
        .layer(DefaultBodyLimit::max(
            2 * anyfast_video_api::validate::MAX_BODY_BYTES,
        ))
        .with_state(state)
}

async fn create(
    Shared(state): Shared<Arc<State>>,
    Extension(kill): Extension<ConnectionKill>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let arrival = Arrival {
        route: Route::Create,
        method: "POST",
        path: uri.path(),
        headers: &headers,
        body: serde_json::from_slice(&body).ok(),
    };
    let (state, headers, body) = (&*state, &headers, &body);
    with_faults(state, &kill, arrival, |decision| async move {
        let owner = match authorise(state, headers) {
            Ok(owner) => owner,
            Err(refusal) => return refusal.into_response(),
        };
        let key = headers.get("idempotency-key");
        let request = check_idempotency_key(key)
            .and_then(|()| check_create(body))
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
                after_processing(&decision, status, &body).await
            }
        }
    })
    .await
}

async fn query(
    Shared(state): Shared<Arc<State>>,
    Extension(kill): Extension<ConnectionKill>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let arrival = Arrival {
        route: Route::Get,
        method: "GET",
        path: uri.path(),
        headers: &headers,
        body: None,
    };
    let (state, headers, id) = (&*state, &headers, &id);
    with_faults(state, &kill, arrival, |decision| async move {
        if let Err(refusal) = authorise(state, headers) {
            return refusal.into_response();
        }
        let Some(task) = state.tasks.get(id) else {
            let message = format!("task_not_exist: no task has the id {id:?}");
            let body = error_body(&message, "invalid_request_error", "task_not_exist");
            return json_response(StatusCode::NOT_FOUND, &body);
        };
        let video_url = state.video_url(id);
        let last_frame_url = state.last_frame_url(&task);
        let downloads = Downloads {
            video_url: &video_url,
            last_frame_url: last_frame_url.as_deref(),
        };
        let voice = state.voice(&task);
        let body = answers::queried(&task, task.phase(), state.config.shape, downloads, voice);
        after_processing(&decision, StatusCode::OK, &body).await
    })
    .await
}

async fn models(
    Shared(state): Shared<Arc<State>>,
    Extension(kill): Extension<ConnectionKill>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let arrival = Arrival {
        route: Route::Models,
        method: "GET",
        path: uri.path(),
        headers: &headers,
        body: None,
    };
    let (state, headers) = (&*state, &headers);
    with_faults(state, &kill, arrival, |decision| async move {
        match authorise(state, headers) {
            Ok(_) => {}
            Err(Unauthorised::NoToken) => return no_token_provided(),
            Err(refusal) => return refusal.into_response(),
        }
        after_processing(&decision, StatusCode::OK, &model_list::models()).await
    })
    .await
}

async fn unknown(
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
