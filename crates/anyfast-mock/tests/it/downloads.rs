//! The download listener: ranges, a resumed download, and large synthetic videos.

use crate::common::*;
use anyfast_mock::{
    Fault, FaultKind, MockConfig, MockServer, Route, SAMPLE_VIDEO, Timing, Video, synthetic_byte,
};

async fn video_url(mock: &MockServer) -> String {
    let id = create_task(mock, "a cat").await;
    let task = query_json(mock, &id).await;
    task["data"]["result_url"].as_str().unwrap().to_string()
}

#[test]
fn the_sample_is_a_real_mp4() {
    assert_eq!(&SAMPLE_VIDEO[4..8], b"ftyp");
    assert!(SAMPLE_VIDEO.windows(4).any(|window| window == b"moov"));
    assert!(SAMPLE_VIDEO.windows(4).any(|window| window == b"avc1"));
}

#[tokio::test]
async fn a_download_cut_off_midway_resumes_with_a_range_request() {
    let mock = start(MockConfig::default().timing(Timing::Instant)).await;
    let url = video_url(&mock).await;
    mock.inject(Fault::next(Route::Download, 1, FaultKind::TruncateBody));

    let mut response = http().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let total: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(total, SAMPLE_VIDEO.len());
    let mut received = Vec::new();
    let broke = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received.extend_from_slice(&chunk),
            Ok(None) => break false,
            Err(_) => break true,
        }
    };
    assert!(broke, "the body was cut off");
    assert!(
        !received.is_empty() && received.len() < total,
        "{} of {total}",
        received.len()
    );

    let rest = http()
        .get(&url)
        .header("range", format!("bytes={}-", received.len()))
        .send()
        .await
        .unwrap();
    assert_eq!(rest.status(), 206);
    assert_eq!(
        rest.headers()["content-range"],
        format!("bytes {}-{}/{total}", received.len(), total - 1).as_str()
    );
    received.extend_from_slice(&rest.bytes().await.unwrap());
    assert_eq!(received, SAMPLE_VIDEO);
    let ranges: Vec<_> = mock
        .requests()
        .into_iter()
        .filter_map(|r| r.range)
        .collect();
    assert_eq!(ranges.len(), 1);
}

#[tokio::test]
async fn ranges_head_and_bad_links_are_answered_like_storage_does() {
    let mock = start(MockConfig::default().timing(Timing::Instant)).await;
    let url = video_url(&mock).await;
    let total = SAMPLE_VIDEO.len();

    let head = http().head(&url).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-length"], total.to_string().as_str());
    assert_eq!(head.headers()["accept-ranges"], "bytes");

    let first = http()
        .get(&url)
        .header("range", "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 206);
    assert_eq!(first.bytes().await.unwrap(), SAMPLE_VIDEO[..100]);
    let last = http()
        .get(&url)
        .header("range", "bytes=-10")
        .send()
        .await
        .unwrap();
    assert_eq!(last.bytes().await.unwrap(), SAMPLE_VIDEO[total - 10..]);

    let beyond = http()
        .get(&url)
        .header("range", format!("bytes={total}-"))
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), 416);
    assert_eq!(
        beyond.headers()["content-range"],
        format!("bytes */{total}").as_str()
    );

    let unsigned = url.split('?').next().unwrap();
    assert_eq!(http().get(unsigned).send().await.unwrap().status(), 403);
    let unknown = format!("{}/videos/cgt-unknown.mp4", mock.download_base_url());
    assert_eq!(http().get(unknown).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_video_is_not_downloadable_before_its_task_succeeds() {
    let mock = start(MockConfig::default().timing(Timing::Realistic)).await;
    let id = create_task(&mock, "a cat").await;
    let url = format!("{}/videos/{id}.mp4", mock.download_base_url());
    assert_eq!(http().get(url).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_synthetic_video_of_a_gibibyte_is_served_in_ranges_without_being_stored() {
    const GIB: u64 = 1 << 30;
    let mock = start(
        MockConfig::default()
            .timing(Timing::Instant)
            .video(Video::Synthetic(4 * GIB)),
    )
    .await;
    let url = video_url(&mock).await;
    let head = http().head(&url).send().await.unwrap();
    assert_eq!(
        head.headers()["content-length"],
        (4 * GIB).to_string().as_str()
    );

    let start_at = 4 * GIB - 1_000_000;
    let tail = http()
        .get(&url)
        .header("range", format!("bytes={start_at}-"))
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), 206);
    let bytes = tail.bytes().await.unwrap();
    assert_eq!(bytes.len(), 1_000_000);
    assert!(
        bytes
            .iter()
            .enumerate()
            .all(|(i, byte)| *byte == synthetic_byte(start_at + i as u64))
    );
}
