//! The axum routers of the two listeners, each built from one table of its endpoints: the
//! path, the handler, and what the [frame](frame) must know of it (its route, its token, what
//! the log keeps). Handlers are thin: the frame logs, injects faults and authenticates, and
//! the handler hands the work to the module that knows it.

mod api;
mod assets;
mod auth;
mod downloads;
mod frame;
mod injection;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post};
use axum::{Extension, Router};

use crate::route::Route;
use crate::state::State;
use frame::{Endpoint, Logged, Token};

/// One row: a path, its handler, and its endpoint.
type Row = (&'static str, MethodRouter<Arc<State>>, Endpoint);

fn row(
    path: &'static str,
    handler: MethodRouter<Arc<State>>,
    route: Route,
    token: Token,
    logged: Logged,
) -> Row {
    let endpoint = Endpoint {
        route,
        token,
        logged,
    };
    (path, handler, endpoint)
}

/// The API listener's endpoints.
fn api_endpoints() -> Vec<Row> {
    use Logged::{Json, Nothing, Upload};
    use Token::{Asked, AskedLikeModels};
    vec![
        row(
            "/v1/video/generations",
            post(api::create),
            Route::Create,
            Asked,
            Json,
        ),
        row(
            "/v1/video/generations/{id}",
            get(api::query),
            Route::Get,
            Asked,
            Nothing,
        ),
        row(
            "/kling/v1/videos/text2video",
            post(api::kling_text2video),
            Route::Create,
            Asked,
            Json,
        ),
        row(
            "/kling/v1/videos/image2video",
            post(api::kling_image2video),
            Route::Create,
            Asked,
            Json,
        ),
        row(
            "/kling/v1/videos/multi-image2video",
            post(api::kling_multi_image2video),
            Route::Create,
            Asked,
            Json,
        ),
        row(
            "/kling/v1/videos/omni-video",
            post(api::kling_omni_video),
            Route::Create,
            Asked,
            Json,
        ),
        row(
            "/kling/v1/videos/{action}/{task_id}",
            get(api::kling_query),
            Route::Get,
            Asked,
            Nothing,
        ),
        row(
            "/kling/v1/videos/{task_id}",
            get(api::kling_query_by_id),
            Route::Get,
            Asked,
            Nothing,
        ),
        row(
            "/v1/models",
            get(api::models),
            Route::Models,
            AskedLikeModels,
            Nothing,
        ),
        row(
            "/volc/asset/CreateAssetGroup",
            post(assets::create_group),
            Route::Assets,
            Asked,
            Json,
        ),
        row(
            "/volc/asset/CreateAsset",
            post(assets::create_asset),
            Route::Assets,
            Asked,
            Upload,
        ),
        row(
            "/volc/asset/GetAsset",
            post(assets::get_asset),
            Route::Assets,
            Asked,
            Json,
        ),
        row(
            "/volc/asset/DeleteAsset",
            post(assets::delete_asset),
            Route::Assets,
            Asked,
            Json,
        ),
        row(
            "/volc/asset/ListAssets",
            post(assets::list_assets),
            Route::Assets,
            Asked,
            Json,
        ),
    ]
}

/// The download listener's endpoints: the stand-in for pre-signed storage URLs.
fn download_endpoints() -> Vec<Row> {
    use Logged::Nothing;
    use Token::NotAsked;
    vec![
        row(
            "/videos/{file}",
            get(downloads::task_download),
            Route::Download,
            NotAsked,
            Nothing,
        ),
        row(
            "/assets/{file}",
            get(downloads::asset_download),
            Route::Download,
            NotAsked,
            Nothing,
        ),
    ]
}

/// Every row, framed.
fn framed(state: &Arc<State>, rows: Vec<Row>) -> Router<Arc<State>> {
    rows.into_iter()
        .fold(Router::new(), |router, (path, handler, endpoint)| {
            let handler: MethodRouter<Arc<State>> = handler
                .route_layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    frame::frame,
                ))
                .route_layer(Extension(endpoint));
            router.route(path, handler)
        })
}

pub(crate) fn api_router(state: Arc<State>) -> Router {
    framed(&state, api_endpoints())
        .fallback(api::unknown)
        // The handlers' extractors (a multipart form's) read up to the frame's limit too.
        .layer(DefaultBodyLimit::max(frame::BODY_LIMIT))
        .with_state(state)
}

pub(crate) fn downloads_router(state: Arc<State>) -> Router {
    framed(&state, download_endpoints()).with_state(state)
}
