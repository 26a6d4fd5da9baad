//! What a file is, read from its first bytes (its "magic numbers"), the way a storage service
//! decides, rather than from a name or a declared type that may lie. The one sniffer of the
//! workspace: the client reads a local file's type with it before sending or uploading, and
//! the mock reads an uploaded asset's, so the two cannot disagree.

/// The media type of `bytes`, for the formats the API and its asset library know (and a few
/// near misses, such as M4A, so that a refusal can be precise); `None` for anything else.
/// Whether a type is accepted where it is sent is [`validate`](crate::validate)'s to say.
///
/// ```
/// use anyfast_video_api::file_type::media_type;
///
/// assert_eq!(media_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
/// assert_eq!(media_type(b"ID3\x04\x00...."), Some("audio/mpeg"));
/// assert_eq!(media_type(b"\0\0\0\x18ftypisom...."), Some("video/mp4"));
/// assert_eq!(media_type(b"\0\0\0\x14ftypqt  ...."), Some("video/quicktime"));
/// assert_eq!(media_type(b"<svg>"), None);
/// ```
pub fn media_type(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if starts(b"RIFF") && at(8, b"WEBP") {
        Some("image/webp")
    } else if starts(b"RIFF") && at(8, b"WAVE") {
        Some("audio/wav")
    } else if starts(b"BM") && bytes.len() >= BMP_HEADER_BYTES {
        Some("image/bmp")
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some("image/tiff")
    } else if at(4, b"ftyp") {
        iso_media_type(bytes)
    } else if starts(b"ID3") || is_mpeg_audio_frame(bytes) {
        Some("audio/mpeg")
    } else {
        None
    }
}

/// A BMP's file header and the smallest info header: anything shorter is not a bitmap, however
/// it starts.
const BMP_HEADER_BYTES: usize = 14 + 12;

/// The type of an ISO base media file (MP4, MOV, HEIF...) from the brands of its `ftyp` box:
/// the major brand, else the first compatible brand that says.
fn iso_media_type(bytes: &[u8]) -> Option<&'static str> {
    let declared = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    // The box's own size bounds the brand list; a size of 0 or 1 (to the end, or 64-bit) is
    // read to the end of what we have.
    let end = if declared >= 16 {
        declared.min(bytes.len())
    } else {
        bytes.len()
    };
    let major = bytes.get(8..12)?;
    // Bytes 12..16 are the minor version; the compatible brands follow.
    let compatible = bytes.get(16..end).unwrap_or_default().chunks_exact(4);
    std::iter::once(major)
        .chain(compatible)
        .find_map(brand_media_type)
}

fn brand_media_type(brand: &[u8]) -> Option<&'static str> {
    match brand {
        b"qt  " => Some("video/quicktime"),
        b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" => Some("image/heic"),
        b"mif1" | b"msf1" => Some("image/heif"),
        b"M4A " | b"M4B " => Some("audio/mp4"),
        b"isom" | b"iso2" | b"iso3" | b"iso4" | b"iso5" | b"iso6" | b"mp41" | b"mp42" | b"avc1"
        | b"dash" | b"M4V " | b"mmp4" | b"MSNV" | b"f4v " => Some("video/mp4"),
        _ => None,
    }
}

/// Whether `bytes` open with an MPEG audio frame header (an MP3 without an ID3 tag): eleven
/// set sync bits, then a version, a layer, a bitrate and a sample rate that are not the
/// reserved or "bad" values (which also keeps JPEG's `FF D8` and AAC's ADTS `FF F1` out).
fn is_mpeg_audio_frame(bytes: &[u8]) -> bool {
    let [0xff, second, third, ..] = *bytes else {
        return false;
    };
    let synced = second & 0xe0 == 0xe0;
    let version = (second >> 3) & 0b11;
    let layer = (second >> 1) & 0b11;
    let bitrate = third >> 4;
    let sample_rate = (third >> 2) & 0b11;
    synced && version != 0b01 && layer != 0b00 && bitrate != 0b1111 && sample_rate != 0b11
}

/// The usual file name extension of a media type [`media_type`] reports (`bin` for others).
///
/// ```
/// assert_eq!(anyfast_video_api::file_type::extension("video/quicktime"), "mov");
/// ```
pub fn extension(media_type: &str) -> &'static str {
    match media_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/bmp" => "bmp",
        "image/tiff" => "tiff",
        "image/heic" => "heic",
        "image/heif" => "heif",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        "audio/mpeg" => "mp3",
        "audio/wav" => "wav",
        "audio/mp4" => "m4a",
        _ => "bin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An `ftyp` box of `size` bytes with these brands.
    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len();
        let mut bytes = (size as u32).to_be_bytes().to_vec();
        bytes.extend_from_slice(b"ftyp");
        bytes.extend_from_slice(major);
        bytes.extend_from_slice(&[0, 0, 2, 0]);
        for brand in compatible {
            bytes.extend_from_slice(*brand);
        }
        bytes.extend_from_slice(b"\0\0\0\x08free");
        bytes
    }

    #[test]
    fn images_are_known_by_their_signatures() {
        let riff = |form: &[u8; 4]| [b"RIFF\x24\0\0\0".as_slice(), form, b"VP8 "].concat();
        let cases: [(&[u8], &str); 8] = [
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png"),
            (b"\xff\xd8\xff\xe0\0\x10JFIF", "image/jpeg"),
            (b"GIF89a\x10\0\x09\0", "image/gif"),
            (&riff(b"WEBP"), "image/webp"),
            (&[b"BM".as_slice(), &[0; 24]].concat(), "image/bmp"),
            (b"II*\0\x08\0\0\0", "image/tiff"),
            (b"MM\0*\0\0\0\x08", "image/tiff"),
            (&ftyp(b"heic", &[b"mif1", b"heic"]), "image/heic"),
        ];
        for (bytes, expected) in cases {
            assert_eq!(media_type(bytes), Some(expected), "{bytes:02x?}");
        }
        assert_eq!(media_type(&ftyp(b"mif1", &[b"mif1"])), Some("image/heif"));
        assert_eq!(media_type(b"BM"), None, "too short to be a bitmap");
    }

    #[test]
    fn videos_are_known_by_the_brands_of_their_ftyp_box() {
        assert_eq!(
            media_type(&ftyp(b"isom", &[b"isom", b"avc1"])),
            Some("video/mp4")
        );
        assert_eq!(
            media_type(&ftyp(b"qt  ", &[b"qt  "])),
            Some("video/quicktime")
        );
        // An unknown major brand, with a known compatible one.
        assert_eq!(
            media_type(&ftyp(b"xyz1", &[b"xyz1", b"mp42"])),
            Some("video/mp4")
        );
        // A compatible brand past the box's end is not the box's.
        let mut cut = ftyp(b"xyz1", &[]);
        cut.extend_from_slice(b"mp42");
        assert_eq!(media_type(&cut), None);
        assert_eq!(media_type(&ftyp(b"M4A ", &[b"M4A "])), Some("audio/mp4"));
    }

    #[test]
    fn audio_is_known_by_an_id3_tag_a_frame_header_or_a_wave_form() {
        assert_eq!(media_type(b"ID3\x04\0\0\0\0\0\x23TSSE"), Some("audio/mpeg"));
        // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz.
        assert_eq!(media_type(b"\xff\xfb\x90\x64\0\0"), Some("audio/mpeg"));
        assert_eq!(media_type(b"RIFF\x24\0\0\0WAVEfmt "), Some("audio/wav"));
        // ADTS AAC (layer 00) and a reserved version are not MPEG audio frames.
        assert_eq!(media_type(b"\xff\xf1\x50\x80\0\0"), None);
        assert_eq!(media_type(b"\xff\xeb\x90\x64\0\0"), None);
        // Neither is a bad bitrate.
        assert_eq!(media_type(b"\xff\xfb\xf0\x64\0\0"), None);
    }

    #[test]
    fn anything_else_is_unknown() {
        for bytes in [
            &b""[..],
            b"\0\0\0",
            b"hello, world",
            b"<svg xmlns=",
            b"%PDF-1.7",
        ] {
            assert_eq!(media_type(bytes), None, "{bytes:?}");
        }
    }

    #[test]
    fn each_known_type_has_its_extension() {
        assert_eq!(extension("image/jpeg"), "jpg");
        assert_eq!(extension("video/quicktime"), "mov");
        assert_eq!(extension("audio/wav"), "wav");
        assert_eq!(extension("application/pdf"), "bin");
    }
}
