//! The key, searched for rather than assumed absent: every library call of the crate traced at
//! TRACE, every error formatted with `{}` and `{:?}`, the mock's request log read.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyfast_mock::{MockConfig, Route};
use anyfast_video::{AssetQuery, AssetUpload, Client, Error, MediaKind, VideoRequest};

use crate::common::quick_generate;
use crate::support::{KEY, client, mock, quick_wait, with_a_failing_query_and_create};

/// Everything tracing writes, from the start of the process.
pub type Logs = Captured;

/// Collects everything a tracing subscriber writes, to search it.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// What was written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// A subscriber at TRACE that writes here.
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + use<> {
        let writer = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .finish()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the process-wide subscriber, at TRACE.
pub fn capture_logs() -> Logs {
    let logs = Logs::default();
    tracing::subscriber::set_global_default(logs.subscriber()).expect("the first subscriber");
    logs
}

pub struct Sweep {
    texts: usize,
    log_bytes: usize,
    requests: usize,
    downloads: usize,
    pub problems: Vec<String>,
}

impl Sweep {
    pub fn summary(&self) -> String {
        format!(
            "key sweep: {} error and Debug texts and {} KiB of TRACE logs searched, {} requests \
             logged by the mock ({} to the download host, none with Authorization); key found \
             {} times; a key with CR/LF and a plain-http base URL refused",
            self.texts,
            self.log_bytes / 1024,
            self.requests,
            self.downloads,
            self.problems.len()
        )
    }
}

pub async fn run(logs: &Logs) -> Sweep {
    let mock = mock(with_a_failing_query_and_create(502)).await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    // Debug of what calls return may hold a signed URL (the caller's to keep): only the key
    // is searched in them. Errors and logs are searched for both.
    let mut texts: Vec<String> = vec![format!("{client:?}")];
    let mut errors: Vec<Error> = Vec::new();
    let mut note = |result: Result<String, Error>| match result {
        Ok(debug) => texts.push(debug),
        Err(error) => errors.push(error),
    };

    let video = dir.path().join("v.mp4");
    let request = VideoRequest::text("a cat").return_last_frame(true);
    let generated = client
        .videos()
        .generate_with(request, &video, quick_generate())
        .await;
    note(
        generated
            .as_ref()
            .map(|task| format!("{task:?}"))
            .map_err(clone_error),
    );
    if let Ok(task) = &generated {
        note(
            client
                .videos()
                .get(&task.id)
                .await
                .map(|t| format!("{t:?}")),
        );
        note(
            client
                .videos()
                .wait(&task.id, quick_wait())
                .await
                .map(|t| format!("{t:?}")),
        );
        note(
            client
                .videos()
                .download_last_frame(task, dir.path().join("last.png"))
                .await
                .map(|d| format!("{d:?}")),
        );
    }
    note(
        client
            .videos()
            .get("cgt-unknown")
            .await
            .map(|t| format!("{t:?}")),
    );
    note(
        client
            .videos()
            .create(VideoRequest::text("t").duration(0))
            .await
            .map(|t| format!("{t:?}")),
    );
    let assets = client.assets();
    let group = assets.create_group("keys").await;
    note(group.as_ref().map(String::clone).map_err(clone_error));
    if let Ok(group) = &group {
        let png = dir.path().join("face.png");
        std::fs::write(&png, anyfast_mock_png()).unwrap();
        let uploaded = assets.upload(group, AssetUpload::file(&png)).await;
        note(uploaded.as_ref().map(String::clone).map_err(clone_error));
        if let Ok(id) = &uploaded {
            note(
                assets
                    .wait_until_active(id, Duration::from_secs(10))
                    .await
                    .map(|a| format!("{a:?}")),
            );
        }
        note(
            assets
                .upload(
                    group,
                    AssetUpload::url("https://example.com/x.png", MediaKind::Image),
                )
                .await,
        );
        note(
            assets
                .list(AssetQuery::default().group(group.as_str()))
                .await
                .map(|page| format!("{page:?}")),
        );
    }
    note(
        client
            .models()
            .list()
            .await
            .map(|models| format!("{models:?}")),
    );
    let wrong_key = Client::builder()
        .api_key("sk-wrong-0000")
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let strict = anyfast_mock::MockServer::start(MockConfig::default().api_key(KEY))
        .await
        .unwrap();
    let refused = Client::builder()
        .api_key("sk-not-the-one")
        .base_url(strict.base_url())
        .build()
        .unwrap();
    note(
        refused
            .videos()
            .get("cgt-1")
            .await
            .map(|t| format!("{t:?}")),
    );
    drop(wrong_key);
    for bad in [
        Client::builder()
            .api_key(format!("{KEY}\r\nX-Injected: 1"))
            .base_url(mock.base_url())
            .build(),
        Client::builder()
            .api_key(KEY)
            .base_url("http://www.anyfast.ai")
            .build(),
    ] {
        match bad {
            Ok(_) => texts.push("REFUSAL MISSING".into()),
            Err(error) => errors.push(error),
        }
    }
    let mut error_texts = Vec::new();
    for error in &errors {
        error_texts.push(error.to_string());
        error_texts.push(format!("{error:?}"));
    }

    let mut problems = Vec::new();
    if texts.iter().any(|text| text == "REFUSAL MISSING") {
        problems.push("a key with CR/LF or a plain-http base URL was accepted".into());
    }
    let log_text = logs.text();
    if !log_text.contains("anyfast_video") {
        problems.push("nothing was traced: the sweep would prove nothing".into());
    }
    for text in texts
        .iter()
        .chain(&error_texts)
        .chain(std::iter::once(&log_text))
    {
        if text.contains(KEY) {
            problems.push(format!(
                "the key appears in: {}",
                &text[..text.len().min(200)]
            ));
        }
    }
    for text in error_texts.iter().chain(std::iter::once(&log_text)) {
        if text.contains("X-Tos-Signature=") {
            problems.push(format!(
                "a signed URL appears in an error or log: {}",
                &text[..text.len().min(200)]
            ));
        }
    }
    let requests = mock.requests();
    let downloads = requests
        .iter()
        .filter(|request| request.route == Route::Download)
        .count();
    if downloads == 0 {
        problems.push("no download reached the storage host: the sweep would prove nothing".into());
    }
    for request in &requests {
        if request.route == Route::Download && request.authorization {
            problems.push(format!(
                "{} carried Authorization to the download host",
                request.path
            ));
        }
        if format!("{request:?}").contains(KEY) {
            problems.push(format!("the mock logged the key with {}", request.path));
        }
    }
    Sweep {
        texts: texts.len() + error_texts.len(),
        log_bytes: log_text.len(),
        requests: requests.len(),
        downloads,
        problems,
    }
}

/// Errors are not `Clone`; what the sweep reads of one is its text.
fn clone_error(error: &Error) -> Error {
    Error::Config(format!("{error} / {error:?}"))
}

/// A small PNG for the asset upload.
fn anyfast_mock_png() -> Vec<u8> {
    anyfast_mock::LAST_FRAME_PNG.to_vec()
}
