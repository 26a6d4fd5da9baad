//! Bearer authentication: which tokens the API accepts, and whose assets a token sees.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::injection::{error_body, json_response};
use crate::assets::Owner;
use crate::state::State;

/// Why a request was not let in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unauthorised {
    /// No `Authorization: Bearer <token>`, or a blank token.
    NoToken,
    /// A token other than the configured key.
    WrongToken,
}

impl IntoResponse for Unauthorised {
    /// The documented 401, whichever the reason.
    fn into_response(self) -> Response {
        let body = error_body(
            "Invalid API key provided",
            "authentication_error",
            "invalid_api_key",
        );
        json_response(StatusCode::UNAUTHORIZED, &body)
    }
}

/// The 401 the models page documents for a request without a token.
pub(super) fn no_token_provided() -> Response {
    let body = json!({"error": {"message": "No token provided"}});
    json_response(StatusCode::UNAUTHORIZED, &body)
}

/// The token of an `Authorization: Bearer <token>` header, if one came and is not blank.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
}

/// The owner behind the request's token when the mock accepts it: any token, or only the
/// configured key.
pub(super) fn authorise(state: &State, headers: &HeaderMap) -> Result<Owner, Unauthorised> {
    let token = bearer_token(headers).ok_or(Unauthorised::NoToken)?;
    match state.config.api_key.as_deref() {
        Some(expected) if token != expected => Err(Unauthorised::WrongToken),
        _ => Ok(Owner::of_token(token)),
    }
}
