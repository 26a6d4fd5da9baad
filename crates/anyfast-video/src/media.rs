//! Where an image, video or audio clip comes from, and how a local file becomes a data URI.

use std::path::{Path, PathBuf};

use anyfast_video_api::validate::{self, MediaKind, Rule, Violation};
use base64::Engine;

use crate::Error;

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
        let refuse = |rule| Error::InvalidRequest {
            violations: vec![Violation {
                field: field.to_string(),
                rule,
            }],
        };
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
        let io_error = |source| Error::Io {
            path: path.clone(),
            task_id: None,
            source,
        };
        let size = tokio::fs::metadata(path).await.map_err(io_error)?.len();
        if size > max_bytes as u64 {
            return Err(refuse(Rule::TooLarge { max_bytes }));
        }
        let bytes = tokio::fs::read(path).await.map_err(io_error)?;
        let mime = sniff(&bytes).filter(|mime| allowed.contains(mime));
        let Some(mime) = mime else {
            return Err(refuse(Rule::FileType { allowed }));
        };
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        Ok(format!("data:{mime};base64,{encoded}"))
    }
}

/// The media type of a file, from its first bytes: the image, video and audio types the API
/// and its asset library take, or `None`.
///
/// ```
/// assert_eq!(anyfast_video::sniff_media_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
/// assert_eq!(anyfast_video::sniff_media_type(b"ID3\x04\x00...."), Some("audio/mpeg"));
/// assert_eq!(anyfast_video::sniff_media_type(b"\0\0\0\x18ftypisom...."), Some("video/mp4"));
/// assert_eq!(anyfast_video::sniff_media_type(b"\0\0\0\x14ftypqt  ...."), Some("video/quicktime"));
/// assert_eq!(anyfast_video::sniff_media_type(b"<svg>"), None);
/// ```
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |prefix: &[u8]| bytes.starts_with(prefix);
    let riff = |form: &[u8]| starts(b"RIFF") && bytes.get(8..12) == Some(form);
    if bytes.get(4..8) == Some(b"ftyp") {
        return iso_media_type(bytes.get(8..12)?);
    }
    Some(match () {
        _ if starts(b"\x89PNG\r\n\x1a\n") => "image/png",
        _ if starts(b"\xff\xd8\xff") => "image/jpeg",
        _ if starts(b"GIF87a") || starts(b"GIF89a") => "image/gif",
        _ if riff(b"WEBP") => "image/webp",
        _ if starts(b"BM") => "image/bmp",
        _ if starts(b"II*\0") || starts(b"MM\0*") => "image/tiff",
        _ if riff(b"WAVE") => "audio/wav",
        _ if starts(b"ID3") => "audio/mpeg",
        _ if bytes.len() >= 2 && bytes[0] == 0xff && bytes[1] & 0xe0 == 0xe0 => "audio/mpeg",
        _ => return None,
    })
}

/// The type of an ISO base media file (MP4, QuickTime, HEIF) from its major brand.
fn iso_media_type(brand: &[u8]) -> Option<&'static str> {
    Some(match brand {
        b"qt  " => "video/quicktime",
        b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" => "image/heic",
        b"mif1" | b"msf1" => "image/heif",
        b"M4A " | b"M4B " | b"M4P " => return None,
        _ => "video/mp4",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_supported_type_is_recognised_from_its_first_bytes() {
        let cases: [(&[u8], &str); 9] = [
            (b"\x89PNG\r\n\x1a\nrest", "image/png"),
            (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
            (b"GIF89arest", "image/gif"),
            (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"),
            (b"BM\0\0", "image/bmp"),
            (b"II*\0rest", "image/tiff"),
            (b"RIFF\0\0\0\0WAVEfmt ", "audio/wav"),
            (b"ID3\x03rest", "audio/mpeg"),
            (b"\xff\xfb\x90\x00", "audio/mpeg"),
        ];
        for (bytes, mime) in cases {
            assert_eq!(sniff(bytes), Some(mime));
        }
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42"), Some("video/mp4"));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic"), Some("image/heic"));
        assert_eq!(sniff(b"\0\0\0\x18ftypM4A "), None);
    }

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
