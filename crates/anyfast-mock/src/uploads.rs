//! What an asset is made of, from a `CreateAsset` request: the JSON form's `URL` (an https
//! URL, a data URI or raw base64) or the multipart form's `file`, its type read from its bytes
//! and checked against the asset library's limits (`validate::check_asset_file`); and what of
//! such a request the log keeps (never the file's bytes).

use anyfast_video_api::types;
use anyfast_video_api::validate::{self, MediaKind, Rule, Violation};
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::assets::Content;
use anyfast_video_api::file_type;

/// What a file whose type cannot be read from its bytes counts as, so that the library's
/// type check refuses it with the list of the types it takes.
const UNKNOWN_TYPE: &str = "application/octet-stream";

/// Standard base64, padded or not (raw base64 from a shell often loses its padding).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The kind an `AssetType` names.
pub(crate) fn kind_of_type(asset_type: types::AssetType) -> MediaKind {
    match asset_type {
        types::AssetType::Image => MediaKind::Image,
        types::AssetType::Video => MediaKind::Video,
        types::AssetType::Audio => MediaKind::Audio,
    }
}

/// The kind a billing `model` is for (`volc-asset`, the default, is for images).
pub(crate) fn kind_of_model(model: Option<&str>) -> MediaKind {
    match model {
        Some("volc-asset-video") => MediaKind::Video,
        Some("volc-asset-audio") => MediaKind::Audio,
        _ => MediaKind::Image,
    }
}

/// The content of a JSON `CreateAsset` of `kind`: an https URL is kept as it is (the mock
/// cannot fetch it, so only its scheme is checked); a data URI or raw base64 is decoded, and
/// its bytes must be a file of that kind within the limits.
pub(crate) fn from_url(kind: MediaKind, url: &str) -> Result<Content, Violation> {
    const FIELD: &str = "URL";
    let refuse = |rule| Violation {
        field: FIELD.to_string(),
        rule,
    };
    if url
        .get(.."https://".len())
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
        && url.len() > "https://".len()
    {
        return Ok(Content::Url(url.to_string()));
    }
    let bytes = match url.strip_prefix("data:") {
        Some(data) => {
            let payload = data.split_once(";base64,").map(|(_, payload)| payload);
            payload.and_then(decode_base64).ok_or_else(|| {
                refuse(Rule::DataUri {
                    allowed: kind.asset_mime_types(),
                })
            })?
        }
        None => decode_base64(url).ok_or_else(|| {
            refuse(Rule::Format {
                expected: "an https URL, a data: URI or base64",
            })
        })?,
    };
    file_of_kind(kind, bytes, FIELD)
}

/// The kind and content of a multipart upload: the kind is the one its bytes show; a file
/// whose type cannot be read is refused with the types of the `model`'s kind.
pub(crate) fn from_file(
    model: Option<&str>,
    bytes: Bytes,
) -> Result<(MediaKind, Content), Violation> {
    let kind = file_type::media_type(&bytes)
        .and_then(MediaKind::of_asset_mime_type)
        .unwrap_or_else(|| kind_of_model(model));
    Ok((kind, file_of_kind(kind, bytes, "file")?))
}

/// `bytes` as a stored file of `kind`, after the library's type and size checks.
fn file_of_kind(kind: MediaKind, bytes: Bytes, field: &str) -> Result<Content, Violation> {
    let media_type = file_type::media_type(&bytes);
    validate::check_asset_file(
        kind,
        media_type.unwrap_or(UNKNOWN_TYPE),
        bytes.len() as u64,
        field,
    )?;
    let media_type = media_type.expect("a checked file has a known type");
    Ok(Content::File { bytes, media_type })
}

/// Base64 as a shell or a library writes it, line breaks allowed; `None` when it is not.
fn decode_base64(text: &str) -> Option<Bytes> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.is_empty() {
        return None;
    }
    BASE64.decode(compact).ok().map(Bytes::from)
}

/// A JSON `CreateAsset` body as the log keeps it: an inline file in `URL` (a data URI or raw
/// base64) is replaced by its data URI header and its length, so that the log never holds a
/// file.
///
/// `"data:image/png;base64,iVBOR…"` becomes `"data:image/png;base64,…[4404 characters not
/// logged]"`; an https URL stays as it is.
pub(crate) fn loggable_json(mut body: Value) -> Value {
    let Some(url) = body.get("URL").and_then(Value::as_str) else {
        return body;
    };
    if url
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
    {
        return body;
    }
    let (head, inline) = match url
        .strip_prefix("data:")
        .and_then(|data| data.split_once(','))
    {
        Some((header, payload)) => (format!("data:{header},"), payload),
        None => (String::new(), url),
    };
    let summary = format!("{head}…[{} characters not logged]", inline.chars().count());
    body["URL"] = json!(summary);
    body
}

/// A file part of a multipart form.
#[derive(Debug)]
pub(crate) struct FormFile {
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

/// A multipart `CreateAsset` form: its text fields (the first of each name) and its `file`.
#[derive(Debug, Default)]
pub(crate) struct UploadForm {
    pub text: Map<String, Value>,
    pub file: Option<FormFile>,
}

impl UploadForm {
    /// A text field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.text.get(name).and_then(Value::as_str)
    }

    /// The form as the spec's `CreateAssetUpload` schema sees it: its text fields, and the
    /// file as a string (`format: binary`) standing for its bytes.
    pub fn as_schema_instance(&self) -> Value {
        let mut instance = self.text.clone();
        if let Some(file) = &self.file {
            instance.insert(
                "file".into(),
                json!(format!("<{} bytes>", file.bytes.len())),
            );
        }
        Value::Object(instance)
    }

    /// The form as the log keeps it: its text fields, and the file as its name, type and
    /// size, never its bytes.
    pub fn loggable(&self) -> Value {
        let mut logged = self.text.clone();
        if let Some(file) = &self.file {
            let summary = json!({
                "filename": file.file_name,
                "content_type": file.content_type,
                "bytes": file.bytes.len(),
            });
            logged.insert("file".into(), summary);
        }
        Value::Object(logged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec's own example of a data URI: a 1×1 PNG.
    const ONE_PIXEL_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAfbLI3wAAAABJRU5ErkJggg==";

    #[test]
    fn https_urls_are_kept_and_inline_files_are_decoded_and_typed() {
        assert_eq!(
            from_url(MediaKind::Image, "HTTPS://example.com/a.png"),
            Ok(Content::Url("HTTPS://example.com/a.png".into()))
        );
        let data_uri = format!("data:image/png;base64,{ONE_PIXEL_PNG}");
        let Ok(Content::File { bytes, media_type }) = from_url(MediaKind::Image, &data_uri) else {
            panic!("a PNG data URI is a file");
        };
        assert_eq!((media_type, &bytes[1..4]), ("image/png", &b"PNG"[..]));
        // Raw base64, unpadded and broken into lines, is the same file.
        let raw = format!(
            "{}\n{}",
            &ONE_PIXEL_PNG[..40],
            ONE_PIXEL_PNG[40..].trim_end_matches('=')
        );
        assert_eq!(
            from_url(MediaKind::Image, &raw),
            Ok(Content::File { bytes, media_type })
        );
    }

    #[test]
    fn inline_files_must_be_of_the_asset_type_and_well_formed() {
        let as_video = from_url(
            MediaKind::Video,
            &format!("data:video/mp4;base64,{ONE_PIXEL_PNG}"),
        )
        .unwrap_err();
        assert_eq!(as_video.field, "URL");
        assert!(matches!(as_video.rule, Rule::FileType { .. }), "{as_video}");
        let not_base64 = from_url(MediaKind::Image, "data:image/png;base64,%%%").unwrap_err();
        assert!(
            matches!(not_base64.rule, Rule::DataUri { .. }),
            "{not_base64}"
        );
        let plain_http = from_url(MediaKind::Image, "http://example.com/a.png").unwrap_err();
        assert_eq!(
            plain_http.to_string(),
            "URL: must be an https URL, a data: URI or base64"
        );
        assert!(from_url(MediaKind::Image, "https://").is_err());
    }

    #[test]
    fn an_upload_takes_its_kind_from_its_bytes() {
        let (kind, _) = from_file(
            Some("volc-asset-audio"),
            Bytes::from_static(crate::videos::SAMPLE_VIDEO),
        )
        .unwrap();
        assert_eq!(kind, MediaKind::Video);
        let unknown =
            from_file(Some("volc-asset-audio"), Bytes::from_static(b"hello")).unwrap_err();
        assert_eq!(unknown.field, "file");
        assert_eq!(
            unknown.rule,
            Rule::FileType {
                allowed: &validate::ASSET_AUDIO_MIME_TYPES
            }
        );
        assert_eq!(kind_of_model(None), MediaKind::Image);
    }

    #[test]
    fn the_log_never_keeps_an_inline_file() {
        let body = json!({"Name": "cat", "URL": format!("data:image/png;base64,{ONE_PIXEL_PNG}")});
        assert_eq!(
            loggable_json(body)["URL"],
            format!(
                "data:image/png;base64,…[{} characters not logged]",
                ONE_PIXEL_PNG.len()
            )
        );
        assert_eq!(
            loggable_json(json!({"URL": "aGVsbG8="}))["URL"],
            "…[8 characters not logged]"
        );
        let https = json!({"URL": "https://example.com/a.png"});
        assert_eq!(loggable_json(https.clone()), https);

        let mut form = UploadForm::default();
        form.text.insert("Name".into(), json!("cat"));
        form.file = Some(FormFile {
            file_name: Some("cat.png".into()),
            content_type: Some("image/png".into()),
            bytes: Bytes::from_static(&[0; 1234]),
        });
        assert_eq!(
            form.loggable(),
            json!({"Name": "cat", "file": {"filename": "cat.png", "content_type": "image/png", "bytes": 1234}})
        );
        assert_eq!(form.as_schema_instance()["file"], "<1234 bytes>");
        assert_eq!(form.field("Name"), Some("cat"));
    }
}
