//! The asset library's endpoints (`POST /volc/asset/...`): thin handlers that read a request
//! (JSON, or a multipart upload) for the token's owner and hand it to the library.

use std::num::NonZeroU32;
use std::sync::Arc;

use anyfast_video_api::types;
use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request, State as Shared};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::injection::{bad_request, error_body, json_response};
use crate::assets::{DEFAULT_PAGE_SIZE, Listing, NewAsset, Owner};
use crate::state::State;
use crate::uploads::{self, FormFile, UploadForm};
use crate::validation::{
    Rejection, RequestSchema, check_int32, check_json, check_schema, parse_json,
};

/// What an operation answers: the 200's body (a generated type of the spec, serialised), or a
/// refusal.
type Outcome = Result<Value, Refusal>;

/// The JSON of a documented answer.
fn documented(answer: impl serde::Serialize) -> Value {
    serde_json::to_value(answer).expect("a generated type serialises")
}

/// Why an operation refused a request.
#[derive(Debug)]
enum Refusal {
    /// 400, naming the field.
    Invalid(Rejection),
    /// 404: no asset of the token has this id.
    UnknownAsset(String),
}

impl From<Rejection> for Refusal {
    fn from(rejection: Rejection) -> Refusal {
        Refusal::Invalid(rejection)
    }
}

impl From<anyfast_video_api::validate::Violation> for Refusal {
    fn from(violation: anyfast_video_api::validate::Violation) -> Refusal {
        Refusal::Invalid(violation.into())
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Invalid(rejection) => bad_request(rejection),
            Refusal::UnknownAsset(id) => {
                let message = format!("asset_not_exist: no asset has the id {id:?}");
                let body = error_body(&message, "invalid_request_error", "asset_not_exist");
                json_response(StatusCode::NOT_FOUND, &body)
            }
        }
    }
}

/// The answer to an operation: its 200, or its refusal.
fn answer(outcome: Outcome) -> Response {
    match outcome {
        Ok(body) => json_response(StatusCode::OK, &body),
        Err(refusal) => refusal.into_response(),
    }
}

pub(super) async fn create_group(
    Shared(state): Shared<Arc<State>>,
    Extension(owner): Extension<Owner>,
    body: Bytes,
) -> Response {
    answer(create_group_for(&state, owner, &body))
}

fn create_group_for(state: &State, owner: Owner, body: &[u8]) -> Outcome {
    let _: types::CreateAssetGroupRequest = check_json(RequestSchema::CreateAssetGroup, body)?;
    Ok(documented(types::CreatedId {
        id: state.assets.create_group(owner),
        extra: Default::default(),
    }))
}

/// A `CreateAsset` body as it arrived: JSON, or a multipart form (or why it could not be
/// read).
enum Received {
    Json(Bytes),
    Form(UploadForm),
    Unreadable(Rejection),
}

pub(super) async fn create_asset(
    Shared(state): Shared<Arc<State>>,
    Extension(owner): Extension<Owner>,
    request: Request,
) -> Response {
    answer(match receive(request).await {
        Received::Json(body) => create_from_json(&state, owner, &body),
        Received::Form(form) => create_from_form(&state, owner, &form),
        Received::Unreadable(rejection) => Err(rejection.into()),
    })
}

/// What the log keeps of an upload that is not JSON: its form's fields, never its file.
pub(super) async fn logged_upload(headers: &HeaderMap, body: Bytes) -> Option<Value> {
    let mut request = Request::new(Body::from(body));
    *request.headers_mut() = headers.clone();
    match receive(request).await {
        Received::Form(form) => Some(form.loggable()),
        Received::Json(_) | Received::Unreadable(_) => None,
    }
}

/// Reads a `CreateAsset` body: a multipart form when its `Content-Type` says so, else bytes
/// to read as JSON.
async fn receive(request: Request) -> Received {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    let unreadable = |why: String| Received::Unreadable(Rejection::invalid("body", why));
    if !multipart {
        return match Bytes::from_request(request, &()).await {
            Ok(body) => Received::Json(body),
            Err(error) => unreadable(format!("could not be read ({})", error.body_text())),
        };
    }
    match read_form(request).await {
        Ok(form) => Received::Form(form),
        Err(rejection) => Received::Unreadable(rejection),
    }
}

/// The fields of a multipart form. Only `file` holds bytes; every other field is text.
async fn read_form(request: Request) -> Result<UploadForm, Rejection> {
    let broken = |error: axum::extract::multipart::MultipartError| {
        Rejection::invalid(
            "body",
            format!("is not valid multipart/form-data ({})", error.body_text()),
        )
    };
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|error| {
            Rejection::invalid(
                "body",
                format!("is not valid multipart/form-data ({})", error.body_text()),
            )
        })?;
    let mut form = UploadForm::default();
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let content_type = field.content_type().map(str::to_string);
        let bytes = field.bytes().await.map_err(broken)?;
        if name == "file" {
            form.file.get_or_insert(FormFile {
                file_name,
                content_type,
                bytes,
            });
            continue;
        }
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| Rejection::invalid(&name, "must be text (UTF-8)"))?;
        form.text.entry(name).or_insert(json!(text));
    }
    Ok(form)
}

fn create_from_json(state: &State, owner: Owner, body: &[u8]) -> Outcome {
    let request: types::CreateAssetRequest = check_json(RequestSchema::CreateAsset, body)?;
    let group_id = request.group_id.to_string();
    refuse_unknown_group(state, owner, &group_id)?;
    let kind = uploads::kind_of_type(request.asset_type);
    let content = uploads::from_url(kind, &request.url)?;
    let new = NewAsset {
        name: request.name.to_string(),
        group_id,
        kind,
        content,
    };
    file_asset(state, owner, new)
}

fn create_from_form(state: &State, owner: Owner, form: &UploadForm) -> Outcome {
    check_schema(RequestSchema::CreateAssetUpload, &form.as_schema_instance())?;
    let (Some(group_id), Some(name), Some(file)) =
        (form.field("GroupId"), form.field("Name"), &form.file)
    else {
        unreachable!("the schema requires GroupId, Name and file");
    };
    refuse_unknown_group(state, owner, group_id)?;
    let (kind, content) = uploads::from_file(form.field("model"), file.bytes.clone())?;
    let new = NewAsset {
        name: name.to_string(),
        group_id: group_id.to_string(),
        kind,
        content,
    };
    file_asset(state, owner, new)
}

/// A 400 naming `GroupId` when the owner has no such group: the group is a parameter of the
/// request (the operation documents 400, not 404), and a wrong one is a bad parameter.
fn refuse_unknown_group(state: &State, owner: Owner, group_id: &str) -> Result<(), Refusal> {
    if state.assets.has_group(owner, group_id) {
        return Ok(());
    }
    Err(Refusal::Invalid(Rejection::invalid(
        "GroupId",
        format!("no group has the id {group_id:?}; make one with CreateAssetGroup"),
    )))
}

/// Files a new asset and answers its id.
fn file_asset(state: &State, owner: Owner, new: NewAsset) -> Outcome {
    let group_id = new.group_id.clone();
    let asset = state
        .assets
        .create_asset(owner, new, |id| state.config.asset_activation_for(id))
        .map_err(|_| {
            // Groups are never deleted, so this is only reached by a caller who skipped
            // `refuse_unknown_group`.
            Rejection::invalid("GroupId", format!("no group has the id {group_id:?}"))
        })?;
    Ok(documented(types::CreatedId {
        id: asset.id.clone(),
        extra: Default::default(),
    }))
}

pub(super) async fn get_asset(
    Shared(state): Shared<Arc<State>>,
    Extension(owner): Extension<Owner>,
    body: Bytes,
) -> Response {
    answer(get_asset_for(&state, owner, &body))
}

fn get_asset_for(state: &State, owner: Owner, body: &[u8]) -> Outcome {
    let request: types::GetAssetRequest = check_json(RequestSchema::GetAsset, body)?;
    let asset = state
        .assets
        .get(owner, &request.id)
        .ok_or_else(|| Refusal::UnknownAsset(request.id.to_string()))?;
    Ok(documented(asset.to_api(&state.download_base)))
}

pub(super) async fn delete_asset(
    Shared(state): Shared<Arc<State>>,
    Extension(owner): Extension<Owner>,
    body: Bytes,
) -> Response {
    answer(delete_asset_for(&state, owner, &body))
}

fn delete_asset_for(state: &State, owner: Owner, body: &[u8]) -> Outcome {
    let request: types::DeleteAssetRequest = check_json(RequestSchema::DeleteAsset, body)?;
    let deleted = state
        .assets
        .delete(owner, &request.id)
        .ok_or_else(|| Refusal::UnknownAsset(request.id.to_string()))?;
    Ok(documented(types::DeletedAsset {
        id: deleted.id.clone(),
        deleted: true,
        extra: Default::default(),
    }))
}

pub(super) async fn list_assets(
    Shared(state): Shared<Arc<State>>,
    Extension(owner): Extension<Owner>,
    body: Bytes,
) -> Response {
    answer(list_assets_for(&state, owner, &body))
}

fn list_assets_for(state: &State, owner: Owner, body: &[u8]) -> Outcome {
    let listing = read_listing(body)?;
    let (total, page) = state.assets.list(owner, &listing);
    let mut answer = documented(types::AssetPage {
        items: page
            .iter()
            .map(|asset| asset.to_api(&state.download_base))
            .collect(),
        page_number: Some(listing.page_number as i32),
        page_size: Some(listing.page_size as i32),
        total_count: Some(total as i64),
        extra: Default::default(),
    });
    // The service sends `Items: []` for an empty page; typify leaves an empty optional array
    // out.
    answer["Items"] = answer.get("Items").cloned().unwrap_or_else(|| json!([]));
    Ok(answer)
}

/// A `ListAssets` body as a listing: the schema bounds the page (from 1) and its size (1 to
/// 100); the size is 10 when none is asked.
fn read_listing(body: &[u8]) -> Result<Listing, Rejection> {
    let value = parse_json(body)?;
    check_schema(RequestSchema::ListAssets, &value)?;
    check_int32(&value, "PageNumber")?;
    check_int32(&value, "PageSize")?;
    let request: types::ListAssetsRequest =
        serde_json::from_value(value).map_err(|error| Rejection::invalid("body", error))?;
    let filter = request.filter.unwrap_or_default();
    Ok(Listing {
        page_number: request.page_number.map_or(1, NonZeroU32::get),
        page_size: request.page_size.map_or(DEFAULT_PAGE_SIZE, NonZeroU32::get),
        name: filter.name,
        group_type: filter.group_type,
        group_ids: filter.group_ids,
    })
}
