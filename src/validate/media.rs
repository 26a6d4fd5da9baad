//! The three kinds of media (image, video, audio) and every rule that depends on the kind:
//! which URLs and data URIs a request may carry, and what the asset library takes.

use super::{
    AUDIO_MIME_TYPES, IMAGE_AND_AUDIO_SOURCES, IMAGE_MIME_TYPES, MAX_AUDIO_BYTES, MAX_IMAGE_BYTES,
    Rule, VIDEO_SOURCES, Violation,
};

/// A kind of media input (and of asset).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// An image (`image_url`; asset type `Image`, billed as `volc-asset`).
    Image,
    /// A video (`video_url`; `Video`, `volc-asset-video`).
    Video,
    /// An audio clip (`audio_url`; `Audio`, `volc-asset-audio`).
    Audio,
}

/// Image types the asset library takes (JPG, PNG, GIF, WebP, BMP, TIFF, HEIC, HEIF).
pub const ASSET_IMAGE_MIME_TYPES: [&str; 9] = [
    "image/jpeg",
    "image/jpg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/bmp",
    "image/tiff",
    "image/heic",
    "image/heif",
];
/// Video types the asset library takes (MP4, MOV).
pub const ASSET_VIDEO_MIME_TYPES: [&str; 2] = ["video/mp4", "video/quicktime"];
/// Audio types the asset library takes (MP3, WAV).
pub const ASSET_AUDIO_MIME_TYPES: [&str; 5] = AUDIO_MIME_TYPES;
/// Every type the asset library takes, of any kind: the three lists above, in order.
pub const ALL_ASSET_MIME_TYPES: [&str; 16] = {
    let mut all = [""; 16];
    let mut at = 0;
    let lists: [&[&str]; 3] = [
        &ASSET_IMAGE_MIME_TYPES,
        &ASSET_VIDEO_MIME_TYPES,
        &ASSET_AUDIO_MIME_TYPES,
    ];
    let mut list = 0;
    while list < lists.len() {
        let mut item = 0;
        while item < lists[list].len() {
            all[at] = lists[list][item];
            at += 1;
            item += 1;
        }
        list += 1;
    }
    assert!(at == all.len(), "the length is the sum of the three lists'");
    all
};

impl MediaKind {
    /// The rule a media URL of this kind breaks when its scheme is not allowed.
    pub fn url_rule(self) -> Rule {
        let allowed = match self {
            MediaKind::Image | MediaKind::Audio => IMAGE_AND_AUDIO_SOURCES,
            MediaKind::Video => VIDEO_SOURCES,
        };
        Rule::UrlScheme { allowed }
    }

    /// The types and the size a `data:` URI of this kind may have; `None` for video, which
    /// cannot be sent as data.
    pub fn data_uri_limits(self) -> Option<(&'static [&'static str], usize)> {
        match self {
            MediaKind::Image => Some((&IMAGE_MIME_TYPES, MAX_IMAGE_BYTES)),
            MediaKind::Audio => Some((&AUDIO_MIME_TYPES, MAX_AUDIO_BYTES)),
            MediaKind::Video => None,
        }
    }

    /// The `AssetType` word on the wire.
    pub fn asset_type(self) -> &'static str {
        match self {
            MediaKind::Image => "Image",
            MediaKind::Video => "Video",
            MediaKind::Audio => "Audio",
        }
    }

    /// The billing `model` of asset calls about this kind.
    pub fn billing_model(self) -> &'static str {
        match self {
            MediaKind::Image => "volc-asset",
            MediaKind::Video => "volc-asset-video",
            MediaKind::Audio => "volc-asset-audio",
        }
    }

    /// The media types the asset library takes for this kind.
    pub fn asset_mime_types(self) -> &'static [&'static str] {
        match self {
            MediaKind::Image => &ASSET_IMAGE_MIME_TYPES,
            MediaKind::Video => &ASSET_VIDEO_MIME_TYPES,
            MediaKind::Audio => &ASSET_AUDIO_MIME_TYPES,
        }
    }

    /// The kind of a media type the asset library takes.
    ///
    /// ```
    /// use anyfast_video_api::validate::MediaKind;
    ///
    /// assert_eq!(MediaKind::of_asset_mime_type("video/quicktime"), Some(MediaKind::Video));
    /// assert_eq!(MediaKind::of_asset_mime_type("image/svg+xml"), None);
    /// ```
    pub fn of_asset_mime_type(mime: &str) -> Option<MediaKind> {
        [MediaKind::Image, MediaKind::Video, MediaKind::Audio]
            .into_iter()
            .find(|kind| kind.asset_mime_types().contains(&mime))
    }

    /// An asset file of this kind must be smaller than this many bytes: 30 MB, 50 MB, 15 MB.
    pub fn max_asset_bytes(self) -> usize {
        match self {
            MediaKind::Image => 30 * 1024 * 1024,
            MediaKind::Video => 50 * 1024 * 1024,
            MediaKind::Audio => 15 * 1024 * 1024,
        }
    }
}

/// Checks a file to upload as an asset of `kind`: its media type (read from its bytes by the
/// caller) and its size. Pixel sizes, durations and frame rates are the service's to check:
/// reading them would mean decoding the media. `field` names the file in the violation.
///
/// ```
/// use anyfast_video_api::validate::{MediaKind, check_asset_file};
///
/// assert!(check_asset_file(MediaKind::Video, "video/mp4", 10 << 20, "file").is_ok());
/// let too_big = check_asset_file(MediaKind::Video, "video/mp4", 60 << 20, "file").unwrap_err();
/// assert_eq!(too_big.to_string(), "file: is larger than the limit of 50 MiB");
/// assert!(check_asset_file(MediaKind::Image, "video/mp4", 1, "file").is_err());
/// ```
pub fn check_asset_file(
    kind: MediaKind,
    mime: &str,
    bytes: u64,
    field: &str,
) -> Result<(), Violation> {
    let refuse = |rule| {
        Err(Violation {
            field: field.to_string(),
            rule,
        })
    };
    if !kind.asset_mime_types().contains(&mime) {
        return refuse(Rule::FileType {
            allowed: kind.asset_mime_types(),
        });
    }
    if bytes >= kind.max_asset_bytes() as u64 {
        return refuse(Rule::TooLarge {
            max_bytes: kind.max_asset_bytes(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_type_is_listed_once_among_all_of_them() {
        let kinds = [MediaKind::Image, MediaKind::Video, MediaKind::Audio];
        let each: Vec<&str> = kinds
            .iter()
            .flat_map(|kind| kind.asset_mime_types().iter().copied())
            .collect();
        assert_eq!(each, ALL_ASSET_MIME_TYPES);
    }
}
