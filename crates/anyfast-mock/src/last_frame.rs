//! The image a finished task serves as its last frame when its request asked for one
//! (`return_last_frame`): a real PNG, so that a client can decode what it downloaded.

/// The last frame of every task that asks for one: a 16×9 RGB PNG (the video's 16:9) of eight
/// vertical colour bars, 2 px each: white, yellow, cyan, green, magenta, red, blue, black.
///
/// Made once by the small encoder in the crate's `tests/it/last_frame.rs` (an uncompressed
/// deflate block inside zlib, with its CRC-32s and Adler-32) and committed as
/// `assets/last_frame.png`; that test checks that these bytes are exactly what the encoder
/// makes, and that an independent decoder (the `png` crate) reads every pixel back.
///
/// ```
/// let png = anyfast_mock::LAST_FRAME_PNG;
/// assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
/// assert_eq!(&png[12..16], b"IHDR");
/// // Width and height, big-endian, in the header.
/// assert_eq!((&png[16..20], &png[20..24]), (&[0, 0, 0, 16][..], &[0, 0, 0, 9][..]));
/// ```
pub const LAST_FRAME_PNG: &[u8] = include_bytes!("../assets/last_frame.png");
