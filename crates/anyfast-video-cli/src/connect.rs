//! Which service to talk to, with which key: the real one, or the mock in this process.

use std::path::Path;

#[cfg(feature = "mock")]
use anyfast_mock::{MockConfig, MockServer, Timing};
use anyfast_video::{API_KEY_ENV, Client};
use anyfast_video_tasks::{TaskStore, Tasks};

use crate::args::Global;
use crate::exit::Failure;

/// A client, its tasks on the journal when there is one, and the mock it talks to when
/// `--mock` was given (kept alive with it).
pub struct Connection {
    pub client: Client,
    pub tasks: Option<Tasks>,
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
    let mut connection = connect_client(global).await?;
    connection.tasks = store.map(|store| Tasks::new(connection.client.clone(), store));
    Ok(connection)
}

async fn connect_client(global: &Global) -> Result<Connection, Failure> {
    if global.mock {
        return connect_to_mock().await;
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
        client: builder.build()?,
        tasks: None,
        #[cfg(feature = "mock")]
        mock: None,
    })
}

/// A client of the mock, started in this process.
#[cfg(feature = "mock")]
async fn connect_to_mock() -> Result<Connection, Failure> {
    let mock = MockServer::start(MockConfig::default().timing(Timing::Fast))
        .await
        .map_err(|error| Failure::Usage(format!("cannot start the built-in mock: {error}")))?;
    eprintln!(
        "--mock: using the built-in mock of the service at {} (offline, no key needed; tasks end with this process)",
        mock.base_url()
    );
    let client = Client::builder()
        .api_key("mock-key")
        .base_url(mock.base_url())
        .build()?;
    Ok(Connection {
        client,
        tasks: None,
        mock: Some(mock),
    })
}

#[cfg(not(feature = "mock"))]
async fn connect_to_mock() -> Result<Connection, Failure> {
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
