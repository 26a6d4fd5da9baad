//! The asset library: groups, and the assets filed in them, per token (each token sees only
//! its own, as anyfast documents); an asset's life from `Inactive` to `Active`; paging and
//! filtering; the JSON the library answers with; and whether a create may use an asset.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyfast_video_api::types::{self, ContentItem};
use anyfast_video_api::validate::MediaKind;
use bytes::Bytes;
use tokio::time::Instant;

use crate::presigned;
use crate::stable_hash::fnv1a;
use crate::timestamps::{id_digits, iso_8601_utc, unix_now};
use crate::validation::Rejection;

/// The kind of group every group of the mock is: the only one anyfast's docs name.
const GROUP_TYPE: &str = "AIGC";

/// The page size of a `ListAssets` that names none.
pub(crate) const DEFAULT_PAGE_SIZE: u32 = 10;

/// The project every asset belongs to (the docs' example names no other).
const PROJECT_NAME: &str = "default";

/// Whose something is: a hash of the bearer token that made it, never the token itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Owner(u64);

impl Owner {
    /// The owner behind a bearer token.
    pub fn of_token(token: &str) -> Owner {
        Owner(fnv1a(token))
    }
}

/// What an asset is made of.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Content {
    /// An https URL the service was given (and fetches itself: the mock never does).
    Url(String),
    /// A file the service received (a data URI, raw base64 or a multipart upload), which the
    /// download listener serves.
    File {
        bytes: Bytes,
        /// Read from the bytes.
        media_type: &'static str,
    },
}

/// An asset in the mock's library, as a test sees it ([`MockServer::asset`]): the `Asset`
/// object `GetAsset` answers for it, and the file the mock received.
///
/// [`MockServer::asset`]: crate::MockServer::asset
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct StoredAsset {
    /// What `GetAsset` answers: the generated type of the spec's `Asset`.
    pub answer: types::Asset,
    /// The file the mock received, for an asset made from a data URI, raw base64 or a
    /// multipart upload; `None` for one made from an https URL.
    pub file: Option<Bytes>,
    /// The file's media type, read from its bytes (`image/png`, `video/mp4`...); `None` for
    /// an asset made from an https URL.
    pub media_type: Option<&'static str>,
}

impl StoredAsset {
    /// Whether it is `Active` yet (see [`MockConfig::asset_activation`]).
    ///
    /// [`MockConfig::asset_activation`]: crate::MockConfig::asset_activation
    pub fn is_active(&self) -> bool {
        self.answer.status.as_deref() == Some("Active")
    }
}

/// One asset as the library keeps it.
#[derive(Debug)]
pub(crate) struct LibraryAsset {
    pub id: String,
    /// Its place among the library's assets, from 1: part of the id, and the listing order.
    number: u64,
    owner: Owner,
    pub name: String,
    pub group_id: String,
    pub kind: MediaKind,
    pub content: Content,
    created: Instant,
    created_unix: i64,
    /// How long it stays `Inactive`.
    activation: Duration,
}

impl LibraryAsset {
    pub fn is_active(&self) -> bool {
        self.created.elapsed() >= self.activation
    }

    /// The file name of its file on the download listener: its id and the type's extension.
    pub fn file_name(&self) -> Option<String> {
        match &self.content {
            Content::Url(_) => None,
            Content::File { media_type, .. } => Some(format!(
                "{}.{}",
                self.id,
                anyfast_video_api::file_type::extension(media_type)
            )),
        }
    }

    /// The `URL` answered for it: the URL it came from, or its file's pre-signed URL.
    pub fn url(&self, download_base: &str) -> String {
        match (&self.content, self.file_name()) {
            (Content::Url(url), _) => url.clone(),
            (Content::File { .. }, Some(file)) => presigned::asset_url(download_base, &file),
            (Content::File { .. }, None) => unreachable!("a file has a file name"),
        }
    }

    /// The documented `Asset` object.
    pub fn to_api(&self, download_base: &str) -> types::Asset {
        let (status, updated_unix) = if self.is_active() {
            (
                "Active",
                self.created_unix + self.activation.as_secs() as i64,
            )
        } else {
            ("Inactive", self.created_unix)
        };
        types::Asset {
            id: self.id.clone(),
            name: Some(self.name.clone()),
            url: Some(self.url(download_base)),
            asset_type: Some(self.kind.asset_type().to_string()),
            group_id: Some(self.group_id.clone()),
            status: Some(status.to_string()),
            project_name: Some(PROJECT_NAME.to_string()),
            create_time: Some(iso_8601_utc(self.created_unix)),
            update_time: Some(iso_8601_utc(updated_unix)),
            extra: Default::default(),
        }
    }

    /// How a test sees it.
    pub fn to_public(&self, download_base: &str) -> StoredAsset {
        let (file, media_type) = match &self.content {
            Content::Url(_) => (None, None),
            Content::File { bytes, media_type } => (Some(bytes.clone()), Some(*media_type)),
        };
        StoredAsset {
            answer: self.to_api(download_base),
            file,
            media_type,
        }
    }
}

/// A group of assets.
#[derive(Debug)]
struct Group {
    owner: Owner,
}

/// What a new asset is, before the library gives it an id.
#[derive(Debug)]
pub(crate) struct NewAsset {
    pub name: String,
    pub group_id: String,
    pub kind: MediaKind,
    pub content: Content,
}

/// Why an asset could not be filed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UnknownGroup;

/// What `ListAssets` asks for.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    /// From 1.
    pub page_number: u32,
    pub page_size: u32,
    /// Only assets of exactly this name.
    pub name: Option<String>,
    /// Only groups of this type (every group of the mock is `AIGC`).
    pub group_type: Option<String>,
    /// Only assets in these groups (none: every group).
    pub group_ids: Vec<String>,
}

/// The library.
#[derive(Debug, Default)]
pub(crate) struct AssetLibrary {
    inner: Mutex<Shelves>,
}

#[derive(Debug, Default)]
struct Shelves {
    groups: HashMap<String, Group>,
    assets: HashMap<String, Arc<LibraryAsset>>,
    groups_made: u64,
    assets_made: u64,
}

impl AssetLibrary {
    /// Makes a group and returns its id, `group-<digits>-<number>`.
    pub fn create_group(&self, owner: Owner) -> String {
        let mut shelves = self.inner.lock().expect("asset library");
        shelves.groups_made += 1;
        let id = format!("group-{}-{:05}", id_digits(unix_now()), shelves.groups_made);
        shelves.groups.insert(id.clone(), Group { owner });
        id
    }

    /// Files a new asset in its group, which must be the owner's, and returns it. Its time to
    /// turn `Active` is `activation(id)`.
    pub fn create_asset(
        &self,
        owner: Owner,
        new: NewAsset,
        activation: impl FnOnce(&str) -> Duration,
    ) -> Result<Arc<LibraryAsset>, UnknownGroup> {
        let mut shelves = self.inner.lock().expect("asset library");
        let owns_group = shelves
            .groups
            .get(&new.group_id)
            .is_some_and(|group| group.owner == owner);
        if !owns_group {
            return Err(UnknownGroup);
        }
        shelves.assets_made += 1;
        let number = shelves.assets_made;
        let created_unix = unix_now();
        let id = format!("asset-{}-{number:05}", id_digits(created_unix));
        let asset = Arc::new(LibraryAsset {
            activation: activation(&id),
            id: id.clone(),
            number,
            owner,
            name: new.name,
            group_id: new.group_id,
            kind: new.kind,
            content: new.content,
            created: Instant::now(),
            created_unix,
        });
        shelves.assets.insert(id, asset.clone());
        Ok(asset)
    }

    /// Whether the owner has a group with this id.
    pub fn has_group(&self, owner: Owner, id: &str) -> bool {
        let shelves = self.inner.lock().expect("asset library");
        shelves
            .groups
            .get(id)
            .is_some_and(|group| group.owner == owner)
    }

    /// The owner's asset with this id.
    pub fn get(&self, owner: Owner, id: &str) -> Option<Arc<LibraryAsset>> {
        self.get_any(id).filter(|asset| asset.owner == owner)
    }

    /// Removes the owner's asset with this id for good, and returns it. Videos already made from
    /// it are not affected.
    pub fn delete(&self, owner: Owner, id: &str) -> Option<Arc<LibraryAsset>> {
        let mut shelves = self.inner.lock().expect("asset library");
        if shelves
            .assets
            .get(id)
            .is_none_or(|asset| asset.owner != owner)
        {
            return None;
        }
        shelves.assets.remove(id)
    }

    /// The asset with this id, whoever's it is.
    pub fn get_any(&self, id: &str) -> Option<Arc<LibraryAsset>> {
        self.inner
            .lock()
            .expect("asset library")
            .assets
            .get(id)
            .cloned()
    }

    /// The asset whose file has this name on the download listener.
    pub fn by_file_name(&self, file_name: &str) -> Option<Arc<LibraryAsset>> {
        let (id, _) = file_name.rsplit_once('.')?;
        self.get_any(id)
            .filter(|asset| asset.file_name().as_deref() == Some(file_name))
    }

    pub fn asset_count(&self) -> usize {
        self.inner.lock().expect("asset library").assets.len()
    }

    pub fn group_count(&self) -> usize {
        self.inner.lock().expect("asset library").groups.len()
    }

    /// One page of the owner's assets that pass the filter, newest first, and how many pass
    /// it on every page together.
    pub fn list(&self, owner: Owner, listing: &Listing) -> (usize, Vec<Arc<LibraryAsset>>) {
        let shelves = self.inner.lock().expect("asset library");
        let type_matches = listing
            .group_type
            .as_deref()
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(GROUP_TYPE));
        let mut matching: Vec<&Arc<LibraryAsset>> = shelves
            .assets
            .values()
            .filter(|asset| asset.owner == owner && type_matches)
            .filter(|asset| {
                listing
                    .name
                    .as_deref()
                    .is_none_or(|name| asset.name == name)
            })
            .filter(|asset| {
                listing.group_ids.is_empty() || listing.group_ids.contains(&asset.group_id)
            })
            .collect();
        matching.sort_by_key(|asset| std::cmp::Reverse(asset.number));
        let skipped = (listing.page_number.saturating_sub(1) as usize)
            .saturating_mul(listing.page_size as usize);
        let page = matching
            .iter()
            .skip(skipped)
            .take(listing.page_size as usize)
            .map(|asset| Arc::clone(asset))
            .collect();
        (matching.len(), page)
    }

    /// Refuses a create that names, as `asset://<ID>`, one of the owner's assets that cannot
    /// be used: not `Active` yet, or of another kind than the item that names it. An id the
    /// library does not know (for this owner) passes: the asset may have been made elsewhere.
    pub fn check_references(
        &self,
        owner: Owner,
        request: &types::SeedanceVideoRequest,
    ) -> Result<(), Rejection> {
        for (index, item) in request.content.iter().enumerate() {
            let (item_type, url, wanted) = match item {
                ContentItem::Text { .. } => continue,
                ContentItem::ImageUrl { image_url, .. } => {
                    ("image_url", &image_url.url, MediaKind::Image)
                }
                ContentItem::VideoUrl { video_url, .. } => {
                    ("video_url", &video_url.url, MediaKind::Video)
                }
                ContentItem::AudioUrl { audio_url, .. } => {
                    ("audio_url", &audio_url.url, MediaKind::Audio)
                }
            };
            let Some(asset) = asset_id(url).and_then(|id| self.get(owner, id)) else {
                continue;
            };
            let field = format!("content[{index}].{item_type}.url");
            if asset.kind != wanted {
                return Err(Rejection::invalid(
                    &field,
                    format!(
                        "asset {} is of type {}, and a {item_type} item takes a {} asset",
                        asset.id,
                        asset.kind.asset_type(),
                        wanted.asset_type()
                    ),
                ));
            }
            if !asset.is_active() {
                return Err(Rejection::invalid(
                    &field,
                    format!(
                        "asset {} is Inactive: a new asset takes a moment to become Active; \
                         use it once GetAsset says Active",
                        asset.id
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The id in an `asset://<ID>` URL (also written `Asset://<ID>`).
fn asset_id(url: &str) -> Option<&str> {
    let scheme = url.get(.."asset://".len())?;
    scheme
        .eq_ignore_ascii_case("asset://")
        .then(|| &url["asset://".len()..])
        .filter(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(name: &str, group_id: &str) -> NewAsset {
        NewAsset {
            name: name.into(),
            group_id: group_id.into(),
            kind: MediaKind::Image,
            content: Content::Url("https://example.com/a.png".into()),
        }
    }

    fn listing(page_number: u32, page_size: u32) -> Listing {
        Listing {
            page_number,
            page_size,
            ..Listing::default()
        }
    }

    fn ids(page: &[Arc<LibraryAsset>]) -> Vec<u64> {
        page.iter().map(|asset| asset.number).collect()
    }

    #[tokio::test]
    async fn ids_name_their_time_and_number_and_groups_belong_to_their_owner() {
        let library = AssetLibrary::default();
        let (me, you) = (Owner::of_token("me"), Owner::of_token("you"));
        let group = library.create_group(me);
        let digits = group.strip_prefix("group-").unwrap();
        let (time, number) = digits.split_once('-').unwrap();
        assert_eq!((time.len(), number), (14, "00001"));
        assert!(time.bytes().all(|b| b.is_ascii_digit()));

        assert_eq!(
            library
                .create_asset(you, image("a", &group), |_| Duration::ZERO)
                .unwrap_err(),
            UnknownGroup
        );
        let asset = library
            .create_asset(me, image("a", &group), |_| Duration::ZERO)
            .unwrap();
        assert!(
            asset.id.starts_with("asset-") && asset.id.ends_with("-00001"),
            "{}",
            asset.id
        );
        assert!(library.get(me, &asset.id).is_some());
        assert!(
            library.get(you, &asset.id).is_none(),
            "each token sees its own"
        );
        assert_eq!((library.asset_count(), library.group_count()), (1, 1));
    }

    #[tokio::test]
    async fn pages_list_the_newest_first_and_filters_apply_before_paging() {
        let library = AssetLibrary::default();
        let me = Owner::of_token("me");
        let (first, second) = (library.create_group(me), library.create_group(me));
        for n in 0..25 {
            let group = if n % 5 == 0 { &second } else { &first };
            let name = if n % 2 == 0 { "even" } else { "odd" };
            library
                .create_asset(me, image(name, group), |_| Duration::ZERO)
                .unwrap();
        }
        let (total, page) = library.list(me, &listing(1, 10));
        assert_eq!(
            (total, ids(&page)),
            (25, (16..=25).rev().collect::<Vec<u64>>())
        );
        let (_, last) = library.list(me, &listing(3, 10));
        assert_eq!(ids(&last), [5, 4, 3, 2, 1]);
        assert!(library.list(me, &listing(4, 10)).1.is_empty());
        assert!(library.list(me, &listing(u32::MAX, 100)).1.is_empty());

        let in_second = Listing {
            group_ids: vec![second.clone()],
            ..listing(1, 100)
        };
        assert_eq!(ids(&library.list(me, &in_second).1), [21, 16, 11, 6, 1]);
        let even_in_second = Listing {
            name: Some("even".into()),
            ..in_second
        };
        assert_eq!(ids(&library.list(me, &even_in_second).1), [21, 11, 1]);
        let other_type = Listing {
            group_type: Some("LIVE".into()),
            ..listing(1, 100)
        };
        assert_eq!(library.list(me, &other_type).0, 0);
        let aigc = Listing {
            group_type: Some("aigc".into()),
            ..listing(1, 100)
        };
        assert_eq!(library.list(me, &aigc).0, 25);
        assert_eq!(library.list(Owner::of_token("you"), &listing(1, 10)).0, 0);
    }

    #[tokio::test]
    async fn an_asset_is_inactive_until_its_activation_time() {
        let library = AssetLibrary::default();
        let me = Owner::of_token("me");
        let group = library.create_group(me);
        let slow = library
            .create_asset(me, image("slow", &group), |_| Duration::from_secs(3600))
            .unwrap();
        let quick = library
            .create_asset(me, image("quick", &group), |_| Duration::ZERO)
            .unwrap();
        assert!(!slow.is_active() && quick.is_active());
        let answer = slow.to_api("http://downloads");
        assert_eq!(answer.status.as_deref(), Some("Inactive"));
        assert_eq!(answer.create_time, answer.update_time);
        let answer = quick.to_api("http://downloads");
        assert_eq!(answer.status.as_deref(), Some("Active"));
    }

    #[test]
    fn asset_urls_are_read_in_either_case() {
        assert_eq!(asset_id("asset://asset-1"), Some("asset-1"));
        assert_eq!(asset_id("Asset://asset-1"), Some("asset-1"));
        assert_eq!(asset_id("asset://"), None);
        assert_eq!(asset_id("https://example.com/a.png"), None);
    }
}
