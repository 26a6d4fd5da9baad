//! The API listener: create and query, behind bearer authentication.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State as Shared};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};

use super::injection::{Arrival, after_processing, error_body, json_response, with_faults};
use crate::answers;
use crate::listener::ConnectionKill;
use crate::route::Route;
use crate::state::State;
use crate::validation::check_create;

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/v1/video/generations", post(create))
        .route("/v1/video/generations/{id}", get(query))
        .fallback(unknown)
        .layer(DefaultBodyLimit::max(
            anyfast_video_api::validate::MAX_BODY_BYTES + 1,
        ))
        .with_state(state)
}

/// `None` when the request carries an acceptable bearer token; the 401 otherwise.
fn refuse_unauthorised(state: &State, headers: &HeaderMap) -> Option<Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty());
    let accepted = match (token, state.config.api_key.as_deref()) {
        (Some(token), Some(expected)) => token == expected,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if accepted {
        return None;
    }
    let body = error_body(
        "Invalid API key provided",
        "authentication_error",
        "invalid_api_key",
    );
    Some(json_response(StatusCode::UNAUTHORIZED, &body))
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
        if let Some(refusal) = refuse_unauthorised(state, headers) {
            return refusal;
        }
        match check_create(body) {
            Err(rejection) => {
                let mut error =
                    error_body(&rejection.message, "invalid_request_error", rejection.code);
                error["error"]["param"] = rejection.field.into();
                json_response(StatusCode::BAD_REQUEST, &error)
            }
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
        if let Some(refusal) = refuse_unauthorised(state, headers) {
            return refusal;
        }
        let Some(task) = state.tasks.get(id) else {
            let message = format!("task_not_exist: no task has the id {id:?}");
            let body = error_body(&message, "invalid_request_error", "task_not_exist");
            return json_response(StatusCode::NOT_FOUND, &body);
        };
        let video_url = state.video_url(id);
        let voice = state.voice(&task);
        let body = answers::queried(&task, task.phase(), state.config.shape, &video_url, voice);
        after_processing(&decision, StatusCode::OK, &body).await
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
