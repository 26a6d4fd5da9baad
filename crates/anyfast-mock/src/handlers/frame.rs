//! The frame of every endpoint, as one axum middleware: it logs the request, decides its
//! faults, answers for those that stop it before processing (and for the gateway's
//! concurrency gate), asks for a token where the endpoint needs one, runs the handler, applies
//! the faults that strike after processing to a JSON answer, and logs the status. Handlers
//! see only their work: the token's [`Owner`] and the fault [`Decision`] arrive as request
//! extensions.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State as Shared};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::assets::logged_upload;
use super::auth::{Unauthorised, authorise, no_token_provided};
use super::injection::{after_processing, before_processing, concurrency_limit_reached};
use crate::fault_plan::Decision;
use crate::listener::ConnectionKill;
use crate::route::Route;
use crate::state::State;
use crate::uploads;

/// The largest body read: twice the API's limit, so that a body just over the limit reaches
/// the validation and gets the documented 400 naming `body`, as the service answers; beyond
/// that, 413.
pub(crate) const BODY_LIMIT: usize = 2 * anyfast_video_api::validate::MAX_BODY_BYTES;

/// What the frame needs to know of an endpoint: one row of the route table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Endpoint {
    /// The route its faults and tallies go by.
    pub route: Route,
    /// Whether it asks for a bearer token, and how it words a missing one.
    pub token: Token,
    /// What of its body the log keeps.
    pub logged: Logged,
}

/// Whether an endpoint asks for a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    /// Not asked (the storage stand-in).
    NotAsked,
    /// Asked; the documented 401 for a missing or a wrong one.
    Asked,
    /// Asked; a missing one gets the models page's own 401 ("No token provided").
    AskedLikeModels,
}

/// What of a request's body the log keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Logged {
    /// Nothing: there is no body.
    Nothing,
    /// The body, when it is JSON.
    Json,
    /// An asset upload: JSON with its file shortened, or a form's fields (never a file).
    Upload,
}

/// The middleware: wraps an endpoint's handler, given the endpoint as an extension.
pub(crate) async fn frame(
    Shared(state): Shared<Arc<State>>,
    request: Request,
    next: Next,
) -> Response {
    let endpoint = request
        .extensions()
        .get::<Endpoint>()
        .copied()
        .expect("every framed route carries its endpoint");
    let kill = request
        .extensions()
        .get::<ConnectionKill>()
        .cloned()
        .expect("the listener gives every request its connection");
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let logged = match endpoint.logged {
        Logged::Nothing => None,
        Logged::Json => serde_json::from_slice(&bytes).ok(),
        Logged::Upload => match serde_json::from_slice::<Value>(&bytes) {
            Ok(json) => Some(uploads::loggable_json(json)),
            Err(_) => logged_upload(&parts.headers, bytes.clone()).await,
        },
    };
    let entry = state.log.record(
        endpoint.route,
        parts.method.as_str(),
        parts.uri.path(),
        &parts.headers,
        logged,
    );
    let decision = state.decide(endpoint.route);
    let response = match before_processing(&decision, &kill).await {
        Some(fault) => fault,
        None => match state.gate.enter() {
            None => concurrency_limit_reached(),
            Some(_inside) => match authorise_for(&state, endpoint.token, &parts.headers) {
                Err(refusal) => refused(endpoint.token, refusal),
                Ok(owner) => {
                    if let Some(owner) = owner {
                        parts.extensions.insert(owner);
                    }
                    let after = decision.clone();
                    parts.extensions.insert(decision);
                    let response = next
                        .run(Request::from_parts(parts, Body::from(bytes)))
                        .await;
                    if endpoint.token == Token::NotAsked {
                        response // the storage stand-in applies its faults to its stream
                    } else {
                        json_faults(&after, response).await
                    }
                }
            },
        },
    };
    state.log.answered(entry, response.status().as_u16());
    response
}

/// The owner of the request's token where the endpoint asks for one.
fn authorise_for(
    state: &State,
    token: Token,
    headers: &axum::http::HeaderMap,
) -> Result<Option<crate::assets::Owner>, Unauthorised> {
    match token {
        Token::NotAsked => Ok(None),
        Token::Asked | Token::AskedLikeModels => authorise(state, headers).map(Some),
    }
}

/// The 401 of an endpoint, in its own words.
fn refused(token: Token, why: Unauthorised) -> Response {
    match (token, why) {
        (Token::AskedLikeModels, Unauthorised::NoToken) => no_token_provided(),
        _ => why.into_response(),
    }
}

/// A successful JSON answer with the faults that strike after processing; anything else (a
/// refusal, or no fault to apply) as it is.
async fn json_faults(decision: &Decision, response: Response) -> Response {
    if decision.outcome.is_none() || !response.status().is_success() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes: Bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(json) => after_processing(decision, parts.status, &json).await,
        Err(_) => Response::from_parts(parts, Body::from(bytes)),
    }
}
