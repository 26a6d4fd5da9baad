//! Downloads: resumed after a cut-off, never with the key, never a half file.

mod common;

use anyfast_mock::{
    Fault, FaultKind, MockConfig, Route, SAMPLE_VIDEO, Timing, Video, synthetic_byte,
};
use anyfast_video::{DownloadOptions, Error, VideoRequest, partial_path};
use common::*;

#[tokio::test]
async fn a_download_cut_off_midway_resumes_with_a_range_and_completes() {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let client = client(&mock);
    let done = finished_task(&client).await;
    mock.inject(Fault::next(Route::Download, 1, FaultKind::TruncateBody));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cat.mp4");
    let progress = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = progress.clone();
    let options = DownloadOptions::default().on_progress(move |p| log.lock().unwrap().push(p));
    let downloaded = client
        .videos()
        .download_with(&done, &path, options)
        .await
        .unwrap();

    assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
    assert_eq!(downloaded.bytes, SAMPLE_VIDEO.len() as u64);
    let downloads: Vec<_> = mock
        .requests()
        .into_iter()
        .filter(|r| r.route == Route::Download)
        .collect();
    assert_eq!(downloads.len(), 2);
    assert_eq!(downloads[0].range, None);
    let resumed_from: usize = downloads[1]
        .range
        .as_deref()
        .unwrap()
        .trim_start_matches("bytes=")
        .trim_end_matches('-')
        .parse()
        .unwrap();
    assert!(
        resumed_from > 0 && resumed_from < SAMPLE_VIDEO.len(),
        "{resumed_from}"
    );
    assert_eq!(downloads[1].status, Some(206));
    let progress = progress.lock().unwrap();
    assert_eq!(
        progress.last().unwrap().downloaded,
        SAMPLE_VIDEO.len() as u64
    );
    assert_eq!(
        progress.last().unwrap().total,
        Some(SAMPLE_VIDEO.len() as u64)
    );
}

#[tokio::test]
async fn the_key_reaches_the_api_and_never_the_download_host() {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let dir = tempfile::tempdir().unwrap();
    client(&mock)
        .videos()
        .generate(VideoRequest::text("a cat"), dir.path().join("v.mp4"))
        .await
        .unwrap();
    let requests = mock.requests();
    assert!(
        requests
            .iter()
            .filter(|r| r.route != Route::Download)
            .all(|r| r.authorization)
    );
    let downloads: Vec<_> = requests
        .iter()
        .filter(|r| r.route == Route::Download)
        .collect();
    assert_eq!(downloads.len(), 1);
    assert!(!downloads[0].authorization);
}

#[tokio::test]
async fn a_download_that_keeps_failing_leaves_no_file_behind() {
    let mock = mock(
        MockConfig::default()
            .timing(Timing::Instant)
            .fault(Fault::new(Some(Route::Download), FaultKind::TruncateBody)),
    )
    .await;
    let client = client(&mock);
    let done = finished_task(&client).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cat.mp4");
    let error = client.videos().download(&done, &path).await.unwrap_err();
    assert!(matches!(error, Error::Download { .. }), "{error:?}");
    assert_eq!(error.task_id(), Some(done.id.as_str()));
    assert!(!path.exists());
    assert!(!partial_path(&path).exists());
}

#[tokio::test]
async fn an_expired_link_says_how_to_get_a_fresh_one() {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let client = client(&mock);
    let mut done = finished_task(&client).await;
    done.video_url = Some(
        done.video_url
            .unwrap()
            .replace("X-Tos-Signature=", "X-Tos-Signature=expired"),
    );
    let dir = tempfile::tempdir().unwrap();
    let error = client
        .videos()
        .download(&done, dir.path().join("v.mp4"))
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("query the task again"),
        "{error}"
    );
}

#[tokio::test]
async fn a_large_video_streams_to_disk() {
    const SIZE: u64 = 64 * 1024 * 1024;
    let mock = mock(
        MockConfig::default()
            .timing(Timing::Instant)
            .video(Video::Synthetic(SIZE)),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.mp4");
    client(&mock)
        .videos()
        .generate(VideoRequest::text("a cat"), &path)
        .await
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.len() as u64, SIZE);
    for offset in [0, 1, 65_535, 65_536, SIZE / 2, SIZE - 1] {
        assert_eq!(bytes[offset as usize], synthetic_byte(offset), "{offset}");
    }
}
