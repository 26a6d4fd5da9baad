//! Downloads: resumed after a cut-off, never with the key, never a half file.

use crate::common::*;
use anyfast_mock::{
    Fault, FaultKind, MockConfig, Route, SAMPLE_VIDEO, Timing, Video, synthetic_byte,
};
use anyfast_video::{Client, DownloadOptions, Error, VideoRequest};

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
        .generate_with(
            VideoRequest::text("a cat"),
            dir.path().join("v.mp4"),
            quick_generate(),
        )
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
    assert_eq!(part_files(&path), Vec::<std::path::PathBuf>::new());
}

/// The mock refuses a signature marked expired with 403, as the storage host does after 24
/// hours: the library queries the task for a fresh link itself (it used to tell the caller to).
#[tokio::test]
async fn an_expired_link_of_the_mock_is_refreshed_without_the_caller() {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let client = client(&mock);
    let mut done = finished_task(&client).await;
    done.video_url = Some(
        done.video_url
            .unwrap()
            .replace("X-Tos-Signature=", "X-Tos-Signature=expired"),
    );
    let queries = mock.count(Route::Get);
    let dir = tempfile::tempdir().unwrap();
    let saved = client
        .videos()
        .download(&done, dir.path().join("v.mp4"))
        .await
        .unwrap();
    assert_eq!(saved.bytes, SAMPLE_VIDEO.len() as u64);
    assert_eq!(
        mock.count(Route::Get),
        queries + 1,
        "one query for a fresh link"
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
        .generate_with(VideoRequest::text("a cat"), &path, quick_generate())
        .await
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.len() as u64, SIZE);
    for offset in [0, 1, 65_535, 65_536, SIZE / 2, SIZE - 1] {
        assert_eq!(bytes[offset as usize], synthetic_byte(offset), "{offset}");
    }
}

/// A storage host that answers each request with the next scripted bytes, then closes the
/// connection, or holds it open forever (`None`). Returns its URL and the request heads seen.
async fn scripted_storage(
    answers: Vec<(Vec<u8>, bool)>,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/video.mp4", listener.local_addr().unwrap());
    let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        let mut answers = answers.into_iter().cycle();
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            let (bytes, then_hang) = answers.next().unwrap();
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    let read = stream.read(&mut buffer).await.unwrap_or(0);
                    if read == 0 {
                        return;
                    }
                    head.extend_from_slice(&buffer[..read]);
                }
                seen.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&head).into_owned());
                let _ = stream.write_all(&bytes).await;
                if then_hang {
                    std::future::pending::<()>().await;
                }
            });
        }
    });
    (url, heads)
}

fn answer(head: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = head.replace('\n', "\r\n").into_bytes();
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(body);
    bytes
}

fn task_at(url: &str) -> anyfast_video::Task {
    anyfast_video::Task::new("cgt-storage", anyfast_video::TaskStatus::Succeeded)
        .with_video_url(url)
}

async fn standalone_client() -> anyfast_video::Client {
    anyfast_video::Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9")
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_server_that_ignores_range_and_always_breaks_is_given_up_on() {
    let half = vec![7u8; 50_000];
    let (url, heads) = scripted_storage(vec![(
        answer("HTTP/1.1 200 OK\ncontent-length: 100000\n", &half),
        false,
    )])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.mp4");
    let client = standalone_client().await;
    let error = client
        .videos()
        .download(&task_at(&url), &path)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Download { .. }), "{error:?}");
    assert_eq!(
        heads.lock().unwrap().len(),
        5,
        "the first try and four retries"
    );
    assert!(!path.exists());
    assert_eq!(part_files(&path), Vec::<std::path::PathBuf>::new());
}

#[tokio::test]
async fn a_complete_body_of_unknown_length_is_kept_when_the_resume_answers_416() {
    let body = b"0123456789".to_vec();
    // Chunked, all ten bytes, then the connection breaks before the last chunk marker.
    let chunked = answer(
        "HTTP/1.1 200 OK\ntransfer-encoding: chunked\n",
        b"a\r\n0123456789\r\n",
    );
    let unsatisfiable = answer(
        "HTTP/1.1 416 Range Not Satisfiable\ncontent-range: bytes */10\ncontent-length: 0\n",
        b"",
    );
    let (url, heads) = scripted_storage(vec![(chunked, false), (unsatisfiable, false)]).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.mp4");
    let client = standalone_client().await;
    let downloaded = client
        .videos()
        .download(&task_at(&url), &path)
        .await
        .unwrap();
    assert_eq!(downloaded.bytes, 10);
    assert_eq!(std::fs::read(&path).unwrap(), body);
    assert!(
        heads.lock().unwrap()[1]
            .to_ascii_lowercase()
            .contains("range: bytes=10-")
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_policy_ends_the_download_at_once() {
    let busy = answer(
        "HTTP/1.1 503 Service Unavailable\nretry-after: 100000\ncontent-length: 0\n",
        b"",
    );
    let (url, heads) = scripted_storage(vec![(busy, false)]).await;
    let dir = tempfile::tempdir().unwrap();
    let client = standalone_client().await;
    let error = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        client
            .videos()
            .download(&task_at(&url), dir.path().join("v.mp4")),
    )
    .await
    .expect("no 28-hour sleep")
    .unwrap_err();
    assert!(error.to_string().contains("Retry-After"), "{error}");
    assert_eq!(heads.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_download_dropped_midway_leaves_no_partial_file() {
    let stalled = answer("HTTP/1.1 200 OK\ncontent-length: 100000\n", &[1u8; 1000]);
    let (url, _) = scripted_storage(vec![(stalled, true)]).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.mp4");
    let client = standalone_client().await;
    let task = task_at(&url);
    let download = client.videos().download(&task, &path);
    let gave_up = tokio::time::timeout(std::time::Duration::from_millis(300), download).await;
    assert!(
        gave_up.is_err(),
        "the server stalls, so the download cannot finish"
    );
    assert_eq!(part_files(&path), Vec::<std::path::PathBuf>::new());
    assert!(!path.exists());
}

#[tokio::test]
async fn downloading_a_failed_task_reports_its_failure() {
    let mock = mock(MockConfig::default().timing(Timing::Instant)).await;
    let client = client(&mock);
    let task = client
        .videos()
        .create(VideoRequest::text("[mock:fail=X]"))
        .await
        .unwrap();
    let failed = client.videos().get(&task.id).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let error = client
        .videos()
        .download(&failed, dir.path().join("v.mp4"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::TaskFailed { .. }), "{error:?}");
}

/// A task of `api` whose answer names `url` as its video, as the service answers it.
fn answer_naming(url: &str) -> serde_json::Value {
    serde_json::json!({"code": "success", "message": "", "data": {
        "task_id": "cgt-old", "status": "SUCCESS", "result_url": url, "progress": "100%",
        "submit_time": 1_700_000_000, "finish_time": 1_700_000_300,
    }})
}

#[tokio::test]
async fn an_expired_link_is_replaced_by_a_fresh_one_from_a_new_query() {
    let storage = httpmock::MockServer::start_async().await;
    let expired = storage
        .mock_async(|when, then| {
            when.path("/v/old.mp4");
            then.status(403).body(
                "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
            );
        })
        .await;
    let fresh = storage
        .mock_async(|when, then| {
            when.path("/v/fresh.mp4").header_missing("authorization");
            then.status(200).body(SAMPLE_VIDEO);
        })
        .await;
    let api = httpmock::MockServer::start_async().await;
    let queried = api
        .mock_async(|when, then| {
            when.path("/v1/video/generations/cgt-old");
            then.status(200).json_body(answer_naming(
                &storage.url("/v/fresh.mp4?X-Tos-Signature=new"),
            ));
        })
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(api.base_url())
        .build()
        .unwrap();
    let old = answer_naming(&storage.url("/v/old.mp4?X-Tos-Signature=old"));
    let task =
        anyfast_video::tolerant::read_task("cgt-old", 200, old.to_string().as_bytes()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.mp4");
    let saved = client.videos().download(&task, &path).await.unwrap();
    assert_eq!(saved.bytes, SAMPLE_VIDEO.len() as u64);
    assert_eq!(std::fs::read(&path).unwrap(), SAMPLE_VIDEO);
    assert_eq!(
        (
            expired.calls_async().await,
            queried.calls_async().await,
            fresh.calls_async().await
        ),
        (1, 1, 1)
    );
    assert_eq!(part_files(&path), Vec::<std::path::PathBuf>::new());
}

#[tokio::test]
async fn a_link_refused_again_after_a_fresh_query_says_it_expired_and_how_old_the_task_is() {
    let storage = httpmock::MockServer::start_async().await;
    storage
        .mock_async(|when, then| {
            when.any_request();
            then.status(403).body("expired");
        })
        .await;
    let api = httpmock::MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.path("/v1/video/generations/cgt-old");
        then.status(200).json_body(answer_naming(
            &storage.url("/v/again.mp4?X-Tos-Signature=s"),
        ));
    })
    .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(api.base_url())
        .build()
        .unwrap();
    let old = answer_naming(&storage.url("/v/old.mp4?X-Tos-Signature=s"));
    let task =
        anyfast_video::tolerant::read_task("cgt-old", 200, old.to_string().as_bytes()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let error = client
        .videos()
        .download(&task, dir.path().join("old.mp4"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::LinkExpired { .. }), "{error:?}");
    assert_eq!(error.task_id(), Some("cgt-old"));
    let text = error.to_string();
    assert!(
        text.contains("expired") && text.contains("days old") && !text.contains("X-Tos-Signature"),
        "{text}"
    );
    assert_eq!(
        part_files(&dir.path().join("old.mp4")),
        Vec::<std::path::PathBuf>::new()
    );
}
