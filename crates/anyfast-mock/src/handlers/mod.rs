//! The axum routers of the two listeners: thin handlers that frame each request with the
//! request log, the fault plan and (on the API) bearer authentication, and hand the work to the
//! modules that know it.

mod api;
mod assets;
mod auth;
mod downloads;
mod injection;

pub(crate) use api::router as api_router;
pub(crate) use downloads::router as downloads_router;
