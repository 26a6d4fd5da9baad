//! The last frame image: how `assets/last_frame.png` was made, and that it is a real PNG.
//!
//! The encoder below is the recipe. It writes the smallest correct PNG it can without a
//! compressor: one uncompressed ("stored") deflate block inside a zlib stream. The test checks
//! that the committed file is exactly what the recipe makes, and that an independent decoder
//! (the `png` crate) reads every pixel back. To make the file again (after changing the
//! recipe), run the test with `ANYFAST_MOCK_WRITE_LAST_FRAME=1`.

use anyfast_mock::LAST_FRAME_PNG;

const WIDTH: usize = 16;
const HEIGHT: usize = 9;

/// The colour bars, left to right, each two pixels wide: white, yellow, cyan, green,
/// magenta, red, blue, black.
const BARS: [[u8; 3]; 8] = [
    [255, 255, 255],
    [255, 255, 0],
    [0, 255, 255],
    [0, 255, 0],
    [255, 0, 255],
    [255, 0, 0],
    [0, 0, 255],
    [0, 0, 0],
];

fn pixel(x: usize) -> [u8; 3] {
    BARS[x * BARS.len() / WIDTH]
}

/// CRC-32 (ISO 3309, as PNG uses it), bit by bit: slow, short, obviously right.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffff_u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Adler-32 (RFC 1950), the zlib stream's checksum.
fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1_u32, 0_u32);
    for byte in bytes {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// A PNG chunk: length, type, data, CRC of type and data.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut bytes = (data.len() as u32).to_be_bytes().to_vec();
    bytes.extend_from_slice(kind);
    bytes.extend_from_slice(data);
    bytes.extend_from_slice(&crc32(&[kind.as_slice(), data].concat()).to_be_bytes());
    bytes
}

/// The recipe: the colour bars as an 8-bit RGB PNG.
fn encode() -> Vec<u8> {
    let mut header = Vec::new();
    header.extend_from_slice(&(WIDTH as u32).to_be_bytes());
    header.extend_from_slice(&(HEIGHT as u32).to_be_bytes());
    // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
    header.extend_from_slice(&[8, 2, 0, 0, 0]);

    // Each scanline: filter type 0 (none), then its pixels; every row is the same.
    let scanline: Vec<u8> = std::iter::once(0)
        .chain((0..WIDTH).flat_map(pixel))
        .collect();
    let scanlines = scanline.repeat(HEIGHT);
    // zlib: CMF 0x78 (deflate, 32 KiB window) and FLG 0x01 (so that CMF·256+FLG is a multiple
    // of 31); one final stored block (BFINAL 1, BTYPE 00) with LEN and its complement NLEN,
    // little-endian; then the Adler-32 of the data, big-endian.
    let length = scanlines.len() as u16;
    let mut zlib = vec![0x78, 0x01, 0x01];
    zlib.extend_from_slice(&length.to_le_bytes());
    zlib.extend_from_slice(&(!length).to_le_bytes());
    zlib.extend_from_slice(&scanlines);
    zlib.extend_from_slice(&adler32(&scanlines).to_be_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &header));
    png.extend(chunk(b"IDAT", &zlib));
    png.extend(chunk(b"IEND", &[]));
    png
}

#[test]
fn the_checksums_are_the_published_ones() {
    // The check values of CRC-32 and Adler-32 for these inputs, as their specifications and
    // every implementation give them.
    assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    assert_eq!(crc32(b"IEND"), 0xae42_6082);
    assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
}

#[test]
fn the_committed_last_frame_is_what_the_recipe_makes() {
    let made = encode();
    if std::env::var_os("ANYFAST_MOCK_WRITE_LAST_FRAME").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/last_frame.png");
        std::fs::write(path, &made).expect("write assets/last_frame.png");
        return;
    }
    assert_eq!(
        LAST_FRAME_PNG, made,
        "assets/last_frame.png is not what tests/it/last_frame.rs makes; \
         rerun with ANYFAST_MOCK_WRITE_LAST_FRAME=1"
    );
}

#[test]
fn an_independent_decoder_reads_every_pixel_back() {
    let decoder = png::Decoder::new(std::io::Cursor::new(LAST_FRAME_PNG));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
    let frame = reader.next_frame(&mut pixels).expect("one frame");
    assert_eq!((frame.width, frame.height), (WIDTH as u32, HEIGHT as u32));
    assert_eq!(
        (frame.color_type, frame.bit_depth),
        (png::ColorType::Rgb, png::BitDepth::Eight)
    );
    for (index, rgb) in pixels[..frame.buffer_size()].chunks_exact(3).enumerate() {
        assert_eq!(rgb, pixel(index % WIDTH), "pixel {index}");
    }
    // Eight bars, each of its own colour.
    let distinct: std::collections::HashSet<[u8; 3]> = (0..WIDTH).map(pixel).collect();
    assert_eq!(distinct.len(), 8);
}
