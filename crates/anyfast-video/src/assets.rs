//! [`Assets`]: anyfast's asset library. Groups, uploads (a local file streamed as
//! `multipart/form-data`, or a URL), waiting until an asset is Active, getting and listing,
//! each a generated operation with its generated body.
//!
//! The multipart upload is the one request built by hand: progenitor cannot generate
//! `multipart/form-data` bodies (see `anyfast-video-codegen`), so the spec keeps that form for
//! the contract checks, and this module builds it on the generated client's HTTP client and
//! sends it through the generated client's hooks, like every other request.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyfast_video_api::validate::{self, MediaKind};
use anyfast_video_api::{ClientInfo, file_type, types};
use tokio::io::AsyncReadExt;
use tokio::sync::OnceCell;

use crate::asset::{Asset, AssetPage, AssetStatus};
use crate::call::Call;
use crate::error::{Error, invalid};
use crate::poll::{Verdict, WaitOptions, poll_until};
use crate::retry::{self, Processed, RetryPolicy};
use crate::send::Sender;
use crate::tolerant;

/// The name of the group that [`MediaSource::upload_as_asset`](crate::MediaSource::upload_as_asset)
/// files go into, when the client was not given one
/// ([`ClientBuilder::asset_group`](crate::ClientBuilder::asset_group)). It is created once per
/// client, when the first such file is uploaded.
pub const DEFAULT_UPLOAD_GROUP_NAME: &str = "anyfast-video-uploads";

/// How long [`Assets::upload`]-ed assets are waited for, by default, to become Active.
pub const DEFAULT_ACTIVATION_TIMEOUT: Duration = Duration::from_secs(120);

/// The asset operations of a [`Client`](crate::Client); get one with
/// [`Client::assets`](crate::Client::assets).
///
/// ```no_run
/// use anyfast_video::{AssetQuery, AssetUpload, Client, MediaSource, VideoRequest};
/// use std::time::Duration;
///
/// # async fn run() -> Result<(), anyfast_video::Error> {
/// let client = Client::from_env()?;
/// let group = client.assets().create_group("my-project").await?;
/// let id = client.assets().upload(&group, AssetUpload::file("dance.mp4")).await?;
/// let asset = client.assets().wait_until_active(&id, Duration::from_secs(120)).await?;
/// let request = VideoRequest::text("@video1 中的人物跳舞").video(MediaSource::asset(&asset.id));
/// let page = client.assets().list(AssetQuery::default().group(&group)).await?;
/// # let _ = (request, page);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Assets<'a> {
    pub(crate) sender: &'a Sender,
    pub(crate) policy: &'a RetryPolicy,
    pub(crate) upload_group: &'a UploadGroup,
}

/// The group automatic uploads go into: given, or created on first use.
#[derive(Debug, Default)]
pub(crate) struct UploadGroup {
    pub given: Option<String>,
    pub created: OnceCell<String>,
}

/// What to upload, and as what.
///
/// ```
/// use anyfast_video::{AssetUpload, MediaKind};
///
/// let from_file = AssetUpload::file("dance.mp4").name("dance reference");
/// let from_url = AssetUpload::url("https://example.com/face.png", MediaKind::Image);
/// # let _ = (from_file, from_url);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetUpload {
    source: UploadSource,
    name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum UploadSource {
    /// Streamed as `multipart/form-data`; its kind read from its bytes.
    File(PathBuf),
    /// Sent as JSON: an https URL, a data URI or raw base64.
    Url(String, MediaKind),
}

impl AssetUpload {
    /// A local file: its kind and type are read from its first bytes, its size checked against
    /// the library's limits before anything is sent, and it is streamed (never held in memory
    /// whole). Named after the file unless [`AssetUpload::name`] says otherwise.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        AssetUpload {
            source: UploadSource::File(path.into()),
            name: None,
        }
    }

    /// A URL the service fetches (https), or a data URI or raw base64 it stores: of the kind
    /// given, since a URL does not say.
    pub fn url(url: impl Into<String>, kind: MediaKind) -> Self {
        AssetUpload {
            source: UploadSource::Url(url.into(), kind),
            name: None,
        }
    }

    /// The asset's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// Which assets [`Assets::list`] returns, and which page.
///
/// ```
/// use anyfast_video::AssetQuery;
///
/// let query = AssetQuery::default().group("group-1").named("hero").page(2).page_size(50);
/// # let _ = query;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetQuery {
    group_ids: Vec<String>,
    name: Option<String>,
    page: u32,
    page_size: u32,
}

impl Default for AssetQuery {
    fn default() -> Self {
        AssetQuery {
            group_ids: Vec::new(),
            name: None,
            page: 1,
            page_size: 20,
        }
    }
}

impl AssetQuery {
    /// Only assets of this group (repeatable: any of the groups).
    pub fn group(mut self, id: impl Into<String>) -> Self {
        self.group_ids.push(id.into());
        self
    }

    /// Only assets of this name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The page, from 1 (default 1).
    pub fn page(mut self, page: u32) -> Self {
        self.page = page.max(1);
        self
    }

    /// Assets per page, 1 to 100 (default 20).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.clamp(1, 100);
        self
    }

    fn body(&self) -> types::ListAssetsRequest {
        types::ListAssetsRequest {
            model: asset_model(MediaKind::Image),
            page_number: std::num::NonZeroU32::new(self.page),
            page_size: std::num::NonZeroU32::new(self.page_size),
            filter: Some(types::AssetFilter {
                group_type: Some("AIGC".into()),
                group_ids: self.group_ids.clone(),
                name: self.name.clone(),
            }),
        }
    }
}

impl<'a> Assets<'a> {
    /// Creates a group to file assets in; returns its id (`group-...`). Retried only when
    /// the request provably was not processed, as a create is.
    pub async fn create_group(self, name: &str) -> Result<String, Error> {
        if name.trim().is_empty() {
            return Err(invalid("Name", validate::Rule::EmptyText));
        }
        let body = types::CreateAssetGroupRequest::builder()
            .model(asset_model(MediaKind::Image))
            .name(name);
        Call::new("create_asset_group", self.policy)
            .run(retry::only_if_not_processed, || async {
                let call = self.api().create_asset_group().body(body.clone()).send();
                let answer = self
                    .sender
                    .send("create_asset_group", self.sender.making, call);
                tolerant::created_id("create_asset_group", &answer.await?)
            })
            .await
    }

    /// Uploads a file or a URL into group `group_id`; returns the new asset's id
    /// (`asset-...`). A file is checked against the library's limits (type read from its
    /// bytes, size) before anything is sent. The asset may take a moment to become Active:
    /// see [`Assets::wait_until_active`].
    pub async fn upload(self, group_id: &str, upload: AssetUpload) -> Result<String, Error> {
        let operation = "create_asset";
        let sender = self.sender;
        match &upload.source {
            UploadSource::File(path) => {
                let file = UploadFile::open(path).await?;
                let name = upload.name.clone().unwrap_or_else(|| file.default_name());
                Call::new(operation, self.policy)
                    .run(retry::only_if_not_processed, || async {
                        let url = format!("{}{MULTIPART_PATH}", self.api().baseurl());
                        let form = file.form(group_id, &name).await?;
                        let request = self.api().client().post(url).multipart(form).build();
                        let call = sender.by_hand(operation, request);
                        let answer = sender.send(operation, sender.making, call).await?;
                        tolerant::created_id(operation, &answer)
                    })
                    .await
            }
            UploadSource::Url(url, kind) => {
                if url.trim().is_empty() {
                    return Err(invalid("URL", validate::Rule::EmptyText));
                }
                let body = types::CreateAssetRequest::builder()
                    .model(asset_model(*kind))
                    .group_id(group_id)
                    .name(upload.name.clone().unwrap_or_else(|| name_of_url(url)))
                    .asset_type(kind.asset_type())
                    .url(url.as_str());
                Call::new(operation, self.policy)
                    .run(retry::only_if_not_processed, || async {
                        let call = self.api().create_asset().body(body.clone()).send();
                        let answer = sender.send(operation, sender.making, call).await?;
                        tolerant::created_id(operation, &answer)
                    })
                    .await
            }
        }
    }

    /// The asset's current state, retrying on 429, 5xx and network failures.
    pub async fn get(self, id: &str) -> Result<Asset, Error> {
        Call::new("get_asset", self.policy)
            .run(retry::idempotent, || self.get_once(id))
            .await
    }

    async fn get_once(self, id: &str) -> Result<Asset, Error> {
        let call = self.api().get_asset().body_map(|body| body.id(id)).send();
        tolerant::asset(
            &self
                .sender
                .send("get_asset", self.sender.query, call)
                .await?,
        )
    }

    /// Deletes the asset for good (videos already made from it are not affected). Retried as
    /// [`Assets::get`] is; a retry that finds the asset gone after an attempt that may have
    /// deleted it counts as deleted.
    ///
    /// ```no_run
    /// # async fn run(client: anyfast_video::Client) -> Result<(), anyfast_video::Error> {
    /// client.assets().delete("asset-20260320120147-pqwhc").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete(self, id: &str) -> Result<(), Error> {
        let uncertain = std::sync::atomic::AtomicBool::new(false);
        let retry_if = |error: &Error| {
            if Processed::of(error) == Processed::Perhaps {
                uncertain.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            retry::idempotent(error)
        };
        let finish = |result| match result {
            Err(Error::Api { status: 404, .. })
                if uncertain.load(std::sync::atomic::Ordering::Relaxed) =>
            {
                Ok(())
            }
            other => other,
        };
        Call::new("delete_asset", self.policy)
            .run_then(retry_if, || self.delete_once(id), finish)
            .await
    }

    async fn delete_once(self, id: &str) -> Result<(), Error> {
        let body = types::DeleteAssetRequest::builder()
            .model(asset_model(MediaKind::Image))
            .id(id);
        let call = self.api().delete_asset().body(body).send();
        let answer = self
            .sender
            .send("delete_asset", self.sender.making, call)
            .await?;
        if tolerant::deleted(&answer)? {
            return Ok(());
        }
        Err(Error::Api {
            status: answer.status.as_u16(),
            code: Some("not_deleted".into()),
            message: format!("the service answered that asset {id} was not deleted"),
            request_id: None,
            task_id: None,
            retry_after: None,
        })
    }

    /// Polls the asset until it is Active (returning it), at most for `timeout`
    /// ([`Error::AssetNotActive`] then). Queries are retried as [`Assets::get`]'s are.
    pub async fn wait_until_active(self, id: &str, timeout: Duration) -> Result<Asset, Error> {
        let options = WaitOptions::default()
            .poll_interval(Duration::from_millis(250))
            .max_poll_interval(Duration::from_secs(5))
            .timeout(timeout);
        let waited = poll_until(
            id,
            &options,
            self.policy,
            || self.get_once(id),
            |asset: Asset| match asset.status {
                AssetStatus::Active => Verdict::Done(asset),
                ref status => Verdict::Pending {
                    status: status.to_string(),
                },
            },
        );
        Call::new("wait_asset", self.policy)
            .around(waited)
            .await
            .map_err(|error| match error {
                Error::WaitTimeout { waited, status, .. } => Error::AssetNotActive {
                    asset_id: id.to_string(),
                    waited,
                    status,
                },
                other => other,
            })
    }

    /// One page of assets.
    pub async fn list(self, query: AssetQuery) -> Result<AssetPage, Error> {
        let body = query.body();
        Call::new("list_assets", self.policy)
            .run(retry::idempotent, || async {
                let call = self.api().list_assets().body(body.clone()).send();
                let answer = self.sender.send("list_assets", self.sender.query, call);
                tolerant::asset_page(&answer.await?, query.page, query.page_size)
            })
            .await
    }

    /// Every asset the query matches, page after page from its page on.
    pub async fn list_all(self, query: AssetQuery) -> Result<Vec<Asset>, Error> {
        let mut query = query;
        let mut all = Vec::new();
        loop {
            let page = self.list(query.clone()).await?;
            let more = page.has_more() && !page.items.is_empty();
            all.extend(page.items);
            if !more {
                return Ok(all);
            }
            query.page += 1;
        }
    }

    /// Uploads a file of a request (marked `upload_as_asset`) into the client's upload group
    /// and waits until it is Active; returns the asset's id.
    pub(crate) async fn upload_for_request(
        self,
        path: &Path,
        kind: MediaKind,
        field: &str,
    ) -> Result<String, Error> {
        let file = UploadFile::open(path).await?;
        if file.kind != kind {
            let allowed = kind.asset_mime_types();
            return Err(invalid(field, validate::Rule::FileType { allowed }));
        }
        let group = self.upload_group_id().await?;
        let id = self.upload(&group, AssetUpload::file(path)).await?;
        self.wait_until_active(&id, DEFAULT_ACTIVATION_TIMEOUT)
            .await?;
        Ok(id)
    }

    fn api(self) -> &'a anyfast_video_api::Client {
        self.sender.api()
    }

    async fn upload_group_id(self) -> Result<String, Error> {
        if let Some(given) = &self.upload_group.given {
            return Ok(given.clone());
        }
        self.upload_group
            .created
            .get_or_try_init(|| self.create_group(DEFAULT_UPLOAD_GROUP_NAME))
            .await
            .cloned()
    }
}

/// The path of the multipart form of `create_asset` (the JSON form's, which progenitor
/// generates as `create_asset`; the spec gives both forms one path).
const MULTIPART_PATH: &str = "/volc/asset/CreateAsset";

/// The billing model of an asset call of this kind (`volc-asset`, ...).
fn asset_model(kind: MediaKind) -> Option<types::AssetModel> {
    kind.billing_model().parse().ok()
}

/// The last path segment of a URL, as a default name.
fn name_of_url(url: &str) -> String {
    match crate::download::without_query(url).rsplit('/').next() {
        Some(last) if !last.is_empty() && !url.starts_with("data:") => last.to_string(),
        _ => "asset".to_string(),
    }
}

/// A local file about to be uploaded: checked, its type known.
struct UploadFile {
    path: PathBuf,
    size: u64,
    mime: &'static str,
    kind: MediaKind,
}

impl UploadFile {
    /// Opens and checks the file: its type from its first bytes, its size against its kind's
    /// limit.
    async fn open(path: &Path) -> Result<UploadFile, Error> {
        let io_error = |source| crate::error::io(path, None, source);
        let file = tokio::fs::File::open(path).await.map_err(io_error)?;
        let size = file.metadata().await.map_err(io_error)?.len();
        let mut head = Vec::with_capacity(64);
        file.take(64)
            .read_to_end(&mut head)
            .await
            .map_err(io_error)?;
        let field = "file";
        let (mime, kind) = file_type::media_type(&head)
            .and_then(|mime| Some((mime, MediaKind::of_asset_mime_type(mime)?)))
            .ok_or_else(|| {
                invalid(
                    field,
                    validate::Rule::FileType {
                        allowed: &validate::ALL_ASSET_MIME_TYPES,
                    },
                )
            })?;
        validate::check_asset_file(kind, mime, size, field)?;
        Ok(UploadFile {
            path: path.to_path_buf(),
            size,
            mime,
            kind,
        })
    }

    fn default_name(&self) -> String {
        self.path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "asset".to_string())
    }

    /// The multipart form, with the file streamed from disk.
    async fn form(&self, group_id: &str, name: &str) -> Result<reqwest::multipart::Form, Error> {
        let file = tokio::fs::File::open(&self.path)
            .await
            .map_err(|source| crate::error::io(&self.path, None, source))?;
        let stream = tokio_util::io::ReaderStream::new(file);
        let part = reqwest::multipart::Part::stream_with_length(
            reqwest::Body::wrap_stream(stream),
            self.size,
        )
        .file_name(self.default_name())
        .mime_str(self.mime)
        .map_err(|error| Error::Config(format!("cannot describe the upload: {error}")))?;
        Ok(reqwest::multipart::Form::new()
            .text("model", self.kind.billing_model())
            .text("GroupId", group_id.to_string())
            .text("Name", name.to_string())
            .part("file", part))
    }
}
