//! Where an image, video or audio clip comes from, and how a local file becomes a data URI.

use std::path::{Path, PathBuf};

use anyfast_video_api::file_type;
use anyfast_video_api::validate::{self, MediaKind, Rule};
use base64::Engine;

use crate::error::{Error, invalid};

/// An input's source: a URL the service fetches (`https://`, `asset://<ID>`, `data:`), a local
/// file that is sent inline as a base64 data URI (images and audio only), or a local file to
/// upload to anyfast's asset library first and send as `asset://<ID>` (any kind, videos
/// included; see [`MediaSource::upload_as_asset`]).
///
/// Strings convert by their look: one that starts with a scheme (`https://`, `asset://`, any
/// `scheme://`, or `data:`) is a URL, anything else a path.
///
/// ```
/// use anyfast_video::MediaSource;
///
/// assert_eq!(MediaSource::from("https://example.com/cat.jpg"), MediaSource::Url("https://example.com/cat.jpg".into()));
/// assert_eq!(MediaSource::from("asset://asset-1"), MediaSource::Url("asset://asset-1".into()));
/// assert_eq!(MediaSource::from("photos/cat.jpg"), MediaSource::File("photos/cat.jpg".into()));
/// assert_eq!(MediaSource::from("ftp://e.com/a.png"), MediaSource::Url("ftp://e.com/a.png".into()));
/// assert_eq!(MediaSource::from("C:/photos/cat.jpg"), MediaSource::File("C:/photos/cat.jpg".into()));
/// assert_eq!(MediaSource::asset("asset-1"), MediaSource::Url("asset://asset-1".into()));
/// assert_eq!(MediaSource::upload_as_asset("clip.mp4"), MediaSource::Upload("clip.mp4".into()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaSource {
    /// A URL, sent as it is.
    Url(String),
    /// A local file, read and sent as a data URI (images and audio).
    File(PathBuf),
    /// A local file that `create` first uploads to the asset library (checked against its
    /// limits, waited for until Active) and then sends as `asset://<ID>`.
    Upload(PathBuf),
}

impl MediaSource {
    /// A reference to an item of anyfast's asset library.
    pub fn asset(id: &str) -> Self {
        MediaSource::Url(format!("asset://{id}"))
    }

    /// A local file to upload to the asset library when the request is created, and to send as
    /// `asset://<ID>`: how a local video gets into a request, and how an image of a real person
    /// does (the service refuses those as plain URLs). The ids are reported in
    /// [`Task::uploaded_assets`](crate::Task::uploaded_assets).
    pub fn upload_as_asset(path: impl Into<PathBuf>) -> Self {
        MediaSource::Upload(path.into())
    }
}

impl From<&str> for MediaSource {
    fn from(text: &str) -> Self {
        // Any `scheme://` is a URL (whether the API takes its scheme is validation's to say);
        // `data:` too. Everything else is a path.
        let scheme = text.split_once("://").map(|(scheme, _)| scheme);
        let is_url = scheme.is_some_and(|scheme| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }) || text
            .get(..5)
            .is_some_and(|start| start.eq_ignore_ascii_case("data:"));
        if is_url {
            MediaSource::Url(text.to_string())
        } else {
            MediaSource::File(PathBuf::from(text))
        }
    }
}

impl From<String> for MediaSource {
    fn from(text: String) -> Self {
        MediaSource::from(text.as_str())
    }
}

impl From<&Path> for MediaSource {
    fn from(path: &Path) -> Self {
        MediaSource::File(path.to_path_buf())
    }
}

impl From<PathBuf> for MediaSource {
    fn from(path: PathBuf) -> Self {
        MediaSource::File(path)
    }
}

impl MediaSource {
    /// The URL to send for this source at `field`; a file is read and encoded.
    pub(crate) async fn to_url(&self, kind: MediaKind, field: &str) -> Result<String, Error> {
        let refuse = |rule| invalid(field, rule);
        let path = match self {
            MediaSource::Url(url) => return Ok(url.clone()),
            MediaSource::File(path) => path,
            MediaSource::Upload(_) => {
                return Err(refuse(Rule::Format {
                    expected: "uploaded before it is sent: Videos::create uploads files marked upload_as_asset, prepare() cannot",
                }));
            }
        };
        let Some((allowed, max_bytes)) = kind.data_uri_limits() else {
            return Err(refuse(Rule::UrlScheme {
                allowed: validate::VIDEO_SOURCES,
            }));
        };
        let io_error = |source| crate::error::io(path, None, source);
        let size = tokio::fs::metadata(path).await.map_err(io_error)?.len();
        if size > max_bytes as u64 {
            return Err(refuse(Rule::TooLarge { max_bytes }));
        }
        let bytes = tokio::fs::read(path).await.map_err(io_error)?;
        let mime = file_type::media_type(&bytes).filter(|mime| allowed.contains(mime));
        let Some(mime) = mime else {
            return Err(refuse(Rule::FileType { allowed }));
        };
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        Ok(format!("data:{mime};base64,{encoded}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_file_becomes_a_data_uri_and_a_video_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("a.png");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\nxyz").unwrap();
        let url = MediaSource::from(png.as_path())
            .to_url(MediaKind::Image, "content[0].image_url.url")
            .await
            .unwrap();
        assert_eq!(url, "data:image/png;base64,iVBORw0KGgp4eXo=");

        let refused = MediaSource::from(png.as_path())
            .to_url(MediaKind::Audio, "content[1].audio_url.url")
            .await
            .unwrap_err();
        assert_eq!(refused.field(), Some("content[1].audio_url.url"));
        assert!(
            refused
                .to_string()
                .contains("not a file of a supported type"),
            "{refused}"
        );

        let video = MediaSource::from("clip.mp4")
            .to_url(MediaKind::Video, "content[2].video_url.url")
            .await
            .unwrap_err();
        assert!(
            video
                .to_string()
                .contains("video cannot be sent as data or a local file"),
            "{video}"
        );
    }

    #[tokio::test]
    async fn a_missing_file_is_an_io_error_naming_it() {
        let error = MediaSource::from("/nonexistent/cat.png")
            .to_url(MediaKind::Image, "x")
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Io { .. }));
        assert!(
            error.to_string().starts_with("/nonexistent/cat.png"),
            "{error}"
        );
    }
}
