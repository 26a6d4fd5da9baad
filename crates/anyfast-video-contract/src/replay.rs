//! What an answer breaks, found by running the code: the exchange is served again, byte for
//! byte, from a server on 127.0.0.1, to the generated client (`anyfast-video-api`, strict) and
//! to the library's client (`anyfast-video`, whose tolerant reader the corpus tests), each
//! calling the operation the answer belongs to.
//!
//! The library's client is called exactly the way the answer corpus's runner
//! (`crates/anyfast-video/tests/it/answers.rs`) calls it, with the ids it asks for
//! ([`ASKED_TASK_ID`], [`ASKED_ASSET_ID`]), so that a recording's `expect` is what the corpus
//! will find.

use std::sync::{Arc, Mutex};

use anyfast_video::api::validate::KlingAction;
use anyfast_video::api::{self, types};
use anyfast_video::{
    Asset, AssetPage, AssetQuery, Client, Error, ModelInfo, RetryPolicy, Task, VideoRequest,
};
use bytes::Bytes;
use reqwest::header::{self, HeaderMap};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tracing::instrument::WithSubscriber;
use tracing::subscriber::NoSubscriber;

use crate::exchange::Exchange;
use crate::operation::Operation;

/// The task id the corpus's runner asks about (its `ASKED_ID`).
pub const ASKED_TASK_ID: &str = "cgt-q";

/// The asset id the corpus's runner asks about.
pub const ASKED_ASSET_ID: &str = "asset-q";

/// The Kling task id the generated client asks about, with the action `text2video`.
pub const ASKED_KLING_TASK_ID: &str = "860260753860210752";

/// What the library's client asks for a Kling query, as a corpus fixture's `asked` names it:
/// the action and the task id.
pub const ASKED_KLING: &str = "kling/text2video/860260753860210752";

/// What the generated client made of an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientVerdict {
    /// It gave the spec's type: the success type for a 2xx, `ErrorResponse` for an error.
    Decoded(String),
    /// It could not: the status is not one it knows (`UnexpectedResponse`), or the body does
    /// not decode (`InvalidResponsePayload`, with serde's reason).
    Broke {
        /// The status is one the spec does not declare.
        undeclared_status: bool,
        /// What it said.
        error: String,
    },
}

/// What the tolerant reader made of an answer.
#[derive(Debug)]
pub enum Read {
    /// A task (create, query).
    Task(Task),
    /// The models list.
    Models(Vec<ModelInfo>),
    /// A page of assets.
    Page(AssetPage),
    /// An asset.
    Asset(Asset),
}

/// The reader's outcome: what it read, or the error the answer is to it.
pub type ReaderOutcome = Result<Read, Error>;

/// Whether the reader failed on the answer: it could not read a 2xx at all, or it found no
/// sense in the body (`InvalidResponse`). An error status read as an error (`Api`,
/// `RateLimited`), even an HTML one, is read correctly; so is a create whose outcome the
/// reader rightly calls unknown after a 5xx.
pub fn reader_broke(status: u16, outcome: &ReaderOutcome) -> Option<String> {
    match outcome {
        Ok(_) => None,
        Err(Error::InvalidResponse { detail, .. }) => Some(detail.clone()),
        Err(Error::Api { .. } | Error::RateLimited { .. }) => None,
        Err(error) if (200..300).contains(&status) => Some(error.to_string()),
        Err(Error::CreateOutcomeUnknown { .. }) => None,
        Err(error) => Some(error.to_string()),
    }
}

/// A server on 127.0.0.1 that answers every request with the answer it was given last.
pub struct Replay {
    base_url: String,
    answer: Arc<Mutex<Option<Canned>>>,
    server: tokio::task::JoinHandle<()>,
    http: reqwest::Client,
}

#[derive(Clone)]
struct Canned {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Drop for Replay {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Replay {
    /// Starts the server.
    pub async fn start() -> std::io::Result<Replay> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let answer: Arc<Mutex<Option<Canned>>> = Arc::default();
        let served = answer.clone();
        let server = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let canned = served.lock().unwrap_or_else(|e| e.into_inner()).clone();
                tokio::spawn(async move {
                    if let Some(canned) = canned {
                        let _ = serve(stream, &canned).await;
                    }
                });
            }
        });
        Ok(Replay {
            base_url,
            answer,
            server,
            http: reqwest::Client::new(),
        })
    }

    fn set(&self, status: u16, headers: &HeaderMap, body: &Bytes) {
        *self.answer.lock().unwrap_or_else(|e| e.into_inner()) = Some(Canned {
            status,
            headers: headers.clone(),
            body: body.clone(),
        });
    }

    /// The generated client's verdict on `exchange`.
    pub async fn generated_client(&self, exchange: &Exchange) -> ClientVerdict {
        self.set(exchange.status, &exchange.headers, &exchange.body);
        let client = api::Client::new_with_client(&self.base_url, self.http.clone());
        match exchange.request.operation {
            Operation::ListModels => verdict(client.list_models().send().await, "ModelList"),
            Operation::GetTask => verdict(
                client.get_video_generation().id(ASKED_TASK_ID).send().await,
                "GetVideoGenerationResponse",
            ),
            Operation::CreateTask => {
                let body: types::CreateVideoGenerationRequest = serde_json::from_value(json!({
                    "model": "seedance-fast",
                    "content": [{"type": "text", "text": "a cat"}]
                }))
                .expect("a valid request");
                verdict(
                    client.create_video_generation().body(body).send().await,
                    "CreateVideoGenerationResponse",
                )
            }
            Operation::ListAssets => verdict(
                client.list_assets().body_map(|body| body).send().await,
                "AssetPage",
            ),
            Operation::GetAsset => verdict(
                client
                    .get_asset()
                    .body_map(|body| body.id(ASKED_ASSET_ID))
                    .send()
                    .await,
                "Asset",
            ),
            Operation::CreateKlingTask(action) => {
                let body = json!({"prompt": "a cat", "image": "https://example.com/a.png",
                    "image_list": [{"image": "https://example.com/a.png"}]});
                let sent = match action {
                    KlingAction::Text2Video => {
                        let body: types::KlingText2VideoRequest =
                            serde_json::from_value(body).expect("a valid request");
                        client.create_kling_text2video().body(body).send().await
                    }
                    KlingAction::Image2Video => {
                        let body: types::KlingImage2VideoRequest =
                            serde_json::from_value(body).expect("a valid request");
                        client.create_kling_image2video().body(body).send().await
                    }
                    KlingAction::MultiImage2Video => {
                        let body: types::KlingMultiImage2VideoRequest =
                            serde_json::from_value(body).expect("a valid request");
                        client
                            .create_kling_multi_image2video()
                            .body(body)
                            .send()
                            .await
                    }
                    _ => {
                        let body: types::KlingOmniVideoRequest =
                            serde_json::from_value(body).expect("a valid request");
                        client.create_kling_omni_video().body(body).send().await
                    }
                };
                verdict(sent, "CreateVideoGenerationResponse")
            }
            Operation::GetKlingTask => verdict(
                client
                    .get_kling_task()
                    .action(types::KlingTaskAction::Text2video)
                    .task_id(ASKED_KLING_TASK_ID)
                    .send()
                    .await,
                "KlingTaskResponse",
            ),
        }
    }

    /// The tolerant reader's outcome on an answer of `operation`: the library's client, with
    /// no retries, calling the operation as the corpus's runner does.
    pub async fn reader(
        &self,
        operation: Operation,
        status: u16,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> ReaderOutcome {
        self.set(status, headers, body);
        // A client of its own for each answer: a 429 makes a client hold back its later calls.
        let client = Client::builder()
            .api_key("replayed-answer")
            .base_url(self.base_url.as_str())
            .retry_policy(RetryPolicy::never())
            .build()?;
        let read = async {
            match operation {
                Operation::CreateTask => client
                    .videos()
                    .create(VideoRequest::text("a cat"))
                    .await
                    .map(Read::Task),
                Operation::GetTask => client.videos().get(ASKED_TASK_ID).await.map(Read::Task),
                Operation::ListModels => client.models().list().await.map(Read::Models),
                Operation::ListAssets => client
                    .assets()
                    .list(AssetQuery::default())
                    .await
                    .map(Read::Page),
                Operation::GetAsset => client.assets().get(ASKED_ASSET_ID).await.map(Read::Asset),
                // Kling's creates answer the create's body: the library's create reader reads
                // it (the replay server answers whatever path is asked).
                Operation::CreateKlingTask(_) => client
                    .videos()
                    .create(VideoRequest::text("a cat"))
                    .await
                    .map(Read::Task),
                // A Kling query, asked as the corpus's runner asks it (the fixture's `asked`).
                Operation::GetKlingTask => client.videos().get(ASKED_KLING).await.map(Read::Task),
            }
        };
        // The library logs the errors it meets; a replayed 404 is the answer looked for, not
        // a warning for whoever runs the check.
        read.with_subscriber(NoSubscriber::default()).await
    }
}

/// A generated call's result as a verdict.
fn verdict<T>(
    result: Result<api::ResponseValue<T>, api::Error<types::ErrorBody>>,
    success: &str,
) -> ClientVerdict {
    match result {
        Ok(value) => ClientVerdict::Decoded(format!("{} {success}", value.status().as_u16())),
        Err(api::Error::ErrorResponse(value)) => {
            ClientVerdict::Decoded(format!("{} ErrorResponse", value.status().as_u16()))
        }
        Err(api::Error::UnexpectedResponse(response)) => ClientVerdict::Broke {
            undeclared_status: true,
            error: format!(
                "UnexpectedResponse: status {} is not one the spec declares",
                response.status().as_u16()
            ),
        },
        Err(api::Error::InvalidResponsePayload(_, error)) => ClientVerdict::Broke {
            undeclared_status: false,
            error: format!("InvalidResponsePayload: {error}"),
        },
        Err(other) => ClientVerdict::Broke {
            undeclared_status: false,
            error: other.to_string(),
        },
    }
}

/// Reads one request (its head, and its body by `Content-Length`), then writes the answer and
/// closes the connection.
async fn serve(mut stream: TcpStream, canned: &Canned) -> std::io::Result<()> {
    let mut received = Vec::new();
    let mut buffer = [0_u8; 8192];
    let head_end = loop {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Ok(());
        }
        received.extend_from_slice(&buffer[..read]);
        if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&received[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while received.len() < head_end + length {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        received.extend_from_slice(&buffer[..read]);
    }
    let reason = reqwest::StatusCode::from_u16(canned.status)
        .ok()
        .and_then(|status| status.canonical_reason())
        .unwrap_or("Status");
    let mut answer = format!("HTTP/1.1 {} {reason}\r\n", canned.status).into_bytes();
    for (name, value) in &canned.headers {
        // The framing is this server's own: the body is served whole, then the connection ends.
        if [
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::CONNECTION,
        ]
        .contains(name)
            || name.as_str() == "keep-alive"
        {
            continue;
        }
        answer.extend_from_slice(name.as_str().as_bytes());
        answer.extend_from_slice(b": ");
        answer.extend_from_slice(value.as_bytes());
        answer.extend_from_slice(b"\r\n");
    }
    let body: &[u8] = if canned.status == 204 || canned.status == 304 {
        &[]
    } else {
        &canned.body
    };
    answer.extend_from_slice(
        format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    answer.extend_from_slice(body);
    stream.write_all(&answer).await?;
    stream.shutdown().await
}
