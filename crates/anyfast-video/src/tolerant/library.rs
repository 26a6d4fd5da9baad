//! Reading the asset library's answers (ids of what was made, assets, pages) and the models
//! list, with the same tolerance as task answers: only the ids are essential.

use serde_json::Value;

use super::lenient::{self, FieldName, at};
use anyfast_video_api::validate::MediaKind;

use crate::asset::{Asset, AssetPage, AssetStatus};
use crate::model_info::ModelInfo;

/// The places an id of something made may be: `Id` (documented), and the wrappers other
/// Volcengine-style gateways use.
const ID_PATHS: [&[&str]; 6] = [
    &["Id"],
    &["id"],
    &["Result", "Id"],
    &["data", "Id"],
    &["data", "id"],
    &["Result", "id"],
];

/// The id a CreateAssetGroup or CreateAsset answer names.
pub(crate) fn created_id(answer: &Value) -> Option<String> {
    ID_PATHS
        .iter()
        .find_map(|path| lenient::text(FieldName::of(path), at(answer, path)))
}

/// The object holding an asset or a page: the answer, or its `Result` / `data` wrapper.
fn payload(answer: &Value) -> &Value {
    ["Result", "data"]
        .iter()
        .find_map(|key| at(answer, &[key]).filter(|inner| inner.is_object()))
        .unwrap_or(answer)
}

/// An asset, if the object names its id.
pub(crate) fn asset(value: &Value) -> Option<Asset> {
    let value = payload(value);
    let text = |key: &str| lenient::text(key, value.get(key));
    let id = text("Id").or_else(|| text("id"))?;
    let kind = text("AssetType").and_then(|word| match word.to_ascii_lowercase().as_str() {
        "image" => Some(MediaKind::Image),
        "video" => Some(MediaKind::Video),
        "audio" => Some(MediaKind::Audio),
        _ => None,
    });
    Some(Asset {
        id,
        name: text("Name"),
        url: text("URL"),
        kind,
        group_id: text("GroupId"),
        status: AssetStatus::parse(&text("Status").unwrap_or_default()),
        project_name: text("ProjectName"),
        created_at: lenient::time("CreateTime", value.get("CreateTime")),
        updated_at: lenient::time("UpdateTime", value.get("UpdateTime")),
        raw: value.clone(),
    })
}

/// A page of assets; items without an id are skipped (and reported at debug level).
pub(crate) fn page(answer: &Value, asked_number: u32, asked_size: u32) -> Option<AssetPage> {
    let value = payload(answer);
    let items = value
        .get("Items")
        .or_else(|| value.get("items"))?
        .as_array()?;
    let items = items
        .iter()
        .filter_map(|item| {
            let asset = asset(item);
            if asset.is_none() {
                lenient::ignored("Items[]", item);
            }
            asset
        })
        .collect();
    let number = |key: &str| lenient::integer(key, value.get(key));
    Some(AssetPage {
        items,
        page_number: number("PageNumber")
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(asked_number),
        page_size: number("PageSize")
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(asked_size),
        total: number("TotalCount").and_then(|n| u64::try_from(n).ok()),
    })
}

/// The models of a models list, if the answer has its `data` array.
pub(crate) fn models(answer: &Value) -> Option<Vec<ModelInfo>> {
    let entries = answer.get("data")?.as_array()?;
    Some(
        entries
            .iter()
            .filter_map(|entry| {
                let id = lenient::text("data[].id", entry.get("id"))?;
                let endpoint_types = entry
                    .get("supported_endpoint_types")
                    .and_then(Value::as_array)
                    .map(|kinds| {
                        kinds
                            .iter()
                            .filter_map(|kind| {
                                lenient::text("supported_endpoint_types[]", Some(kind))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Some(ModelInfo {
                    id,
                    owned_by: lenient::text("owned_by", entry.get("owned_by")),
                    created: lenient::time("created", entry.get("created")),
                    endpoint_types,
                    raw: entry.clone(),
                })
            })
            .collect(),
    )
}
