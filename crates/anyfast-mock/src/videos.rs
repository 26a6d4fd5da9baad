//! The videos the download listener serves: the sample MP4 and synthetic bodies of any size,
//! streamed in chunks, and the byte ranges a `Range` header asks of them.

use std::ops::Range;
use std::sync::LazyLock;

use bytes::Bytes;

/// The video every successful task has by default: 2 s of a test pattern with a 440 Hz tone,
/// H.264 and AAC in MP4 (made with ffmpeg; see the crate README).
pub const SAMPLE_VIDEO: &[u8] = include_bytes!("../assets/sample.mp4");

/// What the download listener serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Video {
    /// [`SAMPLE_VIDEO`], a real MP4 that plays.
    #[default]
    Sample,
    /// A body of this many bytes, made on the fly (byte `i` is [`synthetic_byte`]`(i)`), for
    /// download benchmarks: never held in memory.
    Synthetic(u64),
}

impl Video {
    /// The body's length in bytes.
    pub(crate) fn len(self) -> u64 {
        match self {
            Video::Sample => SAMPLE_VIDEO.len() as u64,
            Video::Synthetic(len) => len,
        }
    }
}

/// Byte `offset` of a synthetic video.
///
/// ```
/// assert_eq!(anyfast_mock::synthetic_byte(0), 0);
/// assert_eq!(anyfast_mock::synthetic_byte(252), 1);
/// ```
pub fn synthetic_byte(offset: u64) -> u8 {
    (offset % PERIOD) as u8
}

/// The synthetic pattern repeats every `PERIOD` bytes (a prime, so that it does not line up
/// with chunk or page sizes).
const PERIOD: u64 = 251;
const CHUNK: usize = 64 * 1024;

/// One chunk of pattern plus a period, so that any chunk is a slice of it.
static PATTERN: LazyLock<Bytes> = LazyLock::new(|| {
    (0..(CHUNK as u64 + PERIOD))
        .map(synthetic_byte)
        .collect::<Vec<u8>>()
        .into()
});

/// The bytes of `video` in `span`, in chunks of at most 64 KiB.
pub(crate) fn body_stream(
    video: Video,
    span: Range<u64>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    futures_util::stream::unfold(span.start, move |offset| async move {
        if offset >= span.end {
            return None;
        }
        let length = (span.end - offset).min(CHUNK as u64) as usize;
        let chunk = match video {
            Video::Sample => {
                Bytes::from_static(&SAMPLE_VIDEO[offset as usize..offset as usize + length])
            }
            Video::Synthetic(_) => {
                let start = (offset % PERIOD) as usize;
                PATTERN.slice(start..start + length)
            }
        };
        Some((Ok(chunk), offset + length as u64))
    })
}

/// What a `Range` header asks of a body.
#[derive(Debug, PartialEq)]
pub(crate) enum Asked {
    /// One satisfiable `bytes=` range.
    Satisfiable(Range<u64>),
    /// A `bytes=` range beyond the body: 416.
    Unsatisfiable,
    /// Another unit, or a header that does not parse: RFC 9110 says to ignore it (answer 200).
    Ignored,
}

/// Reads the first `bytes=` range of a body of `total` bytes. Several ranges are not supported
/// (the storage service answers them with the first).
pub(crate) fn parse_range(value: &str, total: u64) -> Asked {
    let Some(spec) = value
        .strip_prefix("bytes=")
        .and_then(|s| s.split(',').next())
    else {
        return Asked::Ignored;
    };
    let Some((start, end)) = spec.trim().split_once('-') else {
        return Asked::Ignored;
    };
    let (start, end) = match (start.parse::<u64>(), end.parse::<u64>()) {
        (Err(_), Ok(suffix)) if start.is_empty() => (total.saturating_sub(suffix), total),
        (Ok(start), Err(_)) if end.is_empty() => (start, total),
        (Ok(start), Ok(last)) if last >= start => (start, last.saturating_add(1).min(total)),
        _ => return Asked::Ignored,
    };
    if start < end {
        Asked::Satisfiable(start..end)
    } else {
        Asked::Unsatisfiable
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    #[test]
    fn the_sample_video_is_an_mp4_to_the_sniffer_clients_use() {
        assert_eq!(
            anyfast_video_api::file_type::media_type(SAMPLE_VIDEO),
            Some("video/mp4")
        );
    }

    #[test]
    fn ranges_parse_like_http_says() {
        use Asked::*;
        assert_eq!(parse_range("bytes=0-99", 1000), Satisfiable(0..100));
        assert_eq!(parse_range("bytes=500-", 1000), Satisfiable(500..1000));
        assert_eq!(parse_range("bytes=-100", 1000), Satisfiable(900..1000));
        assert_eq!(parse_range("bytes=900-5000", 1000), Satisfiable(900..1000));
        assert_eq!(parse_range("bytes=1000-", 1000), Unsatisfiable);
        assert_eq!(parse_range("bytes=-0", 1000), Unsatisfiable);
        assert_eq!(parse_range("bytes=5-2", 1000), Ignored);
        assert_eq!(parse_range("items=0-1", 1000), Ignored);
        assert_eq!(parse_range("bytes=x-", 1000), Ignored);
    }

    #[tokio::test]
    async fn synthetic_chunks_continue_the_pattern_across_chunk_edges() {
        let span = 100_000..300_123;
        let chunks: Vec<Bytes> = body_stream(Video::Synthetic(1 << 40), span.clone())
            .map(|chunk| chunk.unwrap())
            .collect()
            .await;
        let bytes: Vec<u8> = chunks.concat();
        assert_eq!(bytes.len() as u64, span.end - span.start);
        assert!(
            bytes
                .iter()
                .zip(span)
                .all(|(byte, offset)| *byte == synthetic_byte(offset))
        );
        assert!(chunks.iter().all(|chunk| chunk.len() <= CHUNK));
    }
}
