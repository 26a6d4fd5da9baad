//! Which service to talk to, with which key: the real one, or the mock in this process.

use std::path::Path;

#[cfg(feature = "mock")]
use anyfast_mock::{MockConfig, MockServer, Timing};
use anyfast_video::store::TaskStore;
use anyfast_video::{API_KEY_ENV, Client, ClientBuilder};

use crate::args::Global;
use crate::exit::Failure;

/// A client, and the mock it talks to when `--mock` was given (kept alive with it).
pub struct Connection {
    pub client: Client,
    #[cfg(feature = "mock")]
    pub mock: Option<MockServer>,
}

impl Connection {
    /// Whether the client talks to the mock inside this process.
    pub fn is_mock(&self) -> bool {
        #[cfg(feature = "mock")]
        let mocked = self.mock.is_some();
        #[cfg(not(feature = "mock"))]
        let mocked = false;
        mocked
    }
}

/// A client of the service the flags name, recording its tasks in `store` when there is one.
pub async fn connect(global: &Global, store: Option<TaskStore>) -> Result<Connection, Failure> {
    let with_store = |builder: ClientBuilder| match store {
        Some(store) => builder.store(store),
        None => builder,
    };
    if global.mock {
        return connect_to_mock(with_store).await;
    }
    let key = match &global.api_key_file {
        Some(path) => read_key_file(path)?,
        None => std::env::var(API_KEY_ENV).map_err(|_| {
            Failure::Usage(format!(
                "no API key: set {API_KEY_ENV} or pass --api-key-file PATH, or try it offline with --mock"
            ))
        })?,
    };
    let mut builder = Client::builder().api_key(key);
    if let Some(base_url) = &global.base_url {
        builder = builder.base_url(base_url.as_str());
    }
    Ok(Connection {
        client: with_store(builder).build()?,
        #[cfg(feature = "mock")]
        mock: None,
    })
}

/// A client of the mock, started in this process.
#[cfg(feature = "mock")]
async fn connect_to_mock(
    with_store: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Result<Connection, Failure> {
    let mock = MockServer::start(MockConfig::default().timing(Timing::Fast))
        .await
        .map_err(|error| Failure::Usage(format!("cannot start the built-in mock: {error}")))?;
    eprintln!(
        "--mock: using the built-in mock of the service at {} (offline, no key needed; tasks end with this process)",
        mock.base_url()
    );
    let client = with_store(
        Client::builder()
            .api_key("mock-key")
            .base_url(mock.base_url()),
    )
    .build()?;
    Ok(Connection {
        client,
        mock: Some(mock),
    })
}

#[cfg(not(feature = "mock"))]
async fn connect_to_mock(
    _with_store: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Result<Connection, Failure> {
    Err(Failure::Usage(
        "--mock needs the `mock` feature, which this build of anyfast-video left out".into(),
    ))
}

fn read_key_file(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|error| {
        Failure::Usage(format!(
            "cannot read the API key file {}: {error}",
            path.display()
        ))
    })
}
