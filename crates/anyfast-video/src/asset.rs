//! [`Asset`]: an item of anyfast's asset library, and a page of them.

use std::fmt;
use std::time::SystemTime;

use serde_json::Value;

use anyfast_video_api::validate::MediaKind;

/// Whether an asset can be used yet. A new asset is `Inactive` for a moment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AssetStatus {
    /// Usable as `asset://<ID>`.
    Active,
    /// Not usable yet (just uploaded) or not any more.
    Inactive,
    /// A word this client does not know, as the service sent it.
    Unknown(String),
}

impl AssetStatus {
    /// Reads a status word in any case.
    ///
    /// ```
    /// use anyfast_video::AssetStatus;
    ///
    /// assert_eq!(AssetStatus::parse("Active"), AssetStatus::Active);
    /// assert_eq!(AssetStatus::parse("INACTIVE"), AssetStatus::Inactive);
    /// assert_eq!(AssetStatus::parse("Frozen"), AssetStatus::Unknown("Frozen".into()));
    /// ```
    pub fn parse(word: &str) -> AssetStatus {
        match word.trim().to_ascii_lowercase().as_str() {
            "active" => AssetStatus::Active,
            "inactive" => AssetStatus::Inactive,
            _ => AssetStatus::Unknown(word.to_string()),
        }
    }
}

impl fmt::Display for AssetStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AssetStatus::Active => "Active",
            AssetStatus::Inactive => "Inactive",
            AssetStatus::Unknown(word) => word,
        })
    }
}

/// An asset, read tolerantly: only the id is essential.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Asset {
    /// The asset's id (`asset-...`): send it as `asset://<ID>` (see
    /// [`MediaSource::asset`](crate::MediaSource::asset)).
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Where it is stored.
    pub url: Option<String>,
    /// Image, video or audio, when the answer says so in a known word.
    pub kind: Option<MediaKind>,
    /// The group it is filed in.
    pub group_id: Option<String>,
    /// Whether it can be used yet (`Unknown("")` when the answer does not say).
    pub status: AssetStatus,
    /// The project it belongs to.
    pub project_name: Option<String>,
    /// When it was created.
    pub created_at: Option<SystemTime>,
    /// When it last changed.
    pub updated_at: Option<SystemTime>,
    /// The answer as the service sent it.
    pub raw: Value,
}

impl Asset {
    /// The reference to use in a request: `asset://<ID>`.
    pub fn reference(&self) -> String {
        format!("asset://{}", self.id)
    }
}

/// One page of [`Assets::list`](crate::Assets::list).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct AssetPage {
    /// The assets on this page.
    pub items: Vec<Asset>,
    /// The page number (from 1).
    pub page_number: u32,
    /// The page size asked for.
    pub page_size: u32,
    /// How many assets match, on every page together, when the answer says.
    pub total: Option<u64>,
}

impl AssetPage {
    /// Whether a later page may hold more assets.
    pub fn has_more(&self) -> bool {
        match self.total {
            Some(total) => u64::from(self.page_number) * u64::from(self.page_size) < total,
            None => self.items.len() as u32 >= self.page_size && self.page_size > 0,
        }
    }
}
