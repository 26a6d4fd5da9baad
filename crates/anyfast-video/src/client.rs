//! [`Client`] and [`ClientBuilder`]: the key, the base URL, timeouts and retries, and the
//! two HTTP clients built from them (the API's, under the generated client; the storage
//! host's, for downloads).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{ACCEPT, HeaderName, HeaderValue};

use crate::assets::{Assets, UploadGroup};
use crate::error::Error;
use crate::models::Models;
use crate::retry::RetryPolicy;
use crate::secret::ApiKey;
use crate::send::Sender;
use crate::videos::Videos;

/// The base URL used when none is given: the site of anyfast's reference page. The
/// international site `https://www.anyfast.ai` serves the same paths.
pub const DEFAULT_BASE_URL: &str = "https://www.anyfast.com.cn";
/// The variable [`Client::from_env`] reads the key from.
pub const API_KEY_ENV: &str = "ANYFAST_API_KEY";
/// The variable [`Client::from_env`] reads the base URL from, when set.
pub const BASE_URL_ENV: &str = "ANYFAST_BASE_URL";

/// A client of anyfast's video API. Cheap to clone (the connection pools are shared).
///
/// Defaults: connect timeout 10 s; a create may take 300 s (the gateway holds creates open
/// while it forwards them); queries 30 s; downloads have no total timeout, only 60 s without
/// a byte; at most 128 API requests in flight; retries per [`RetryPolicy::default`].
///
/// ```
/// use anyfast_video::Client;
///
/// let client = Client::builder().api_key("sk-example").base_url("http://127.0.0.1:12111").build()?;
/// assert_eq!(client.base_url(), "http://127.0.0.1:12111");
/// assert!(!format!("{client:?}").contains("sk-example"));
/// assert!(Client::builder().api_key("sk-example").base_url("http://example.com").build().is_err());
/// # Ok::<(), anyfast_video::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    sender: Sender,
    /// The storage host's client, for downloads: never with the key.
    storage: reqwest::Client,
    retry: RetryPolicy,
    upload_group: UploadGroup,
    account: String,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("api_key", &"<redacted>")
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with this key and every default.
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        Client::builder().api_key(api_key).build()
    }

    /// A client from `ANYFAST_API_KEY` and, when set, `ANYFAST_BASE_URL`.
    pub fn from_env() -> Result<Client, Error> {
        let key = std::env::var(API_KEY_ENV).map_err(|_| {
            Error::Config(format!(
                "{API_KEY_ENV} is not set: export your anyfast API key"
            ))
        })?;
        let mut builder = Client::builder().api_key(key);
        if let Ok(base_url) = std::env::var(BASE_URL_ENV) {
            builder = builder.base_url(base_url);
        }
        builder.build()
    }

    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The videos API: create, get, wait, download, generate.
    pub fn videos(&self) -> Videos<'_> {
        Videos {
            sender: &self.inner.sender,
            storage: &self.inner.storage,
            policy: &self.inner.retry,
            assets: self.assets(),
        }
    }

    /// A fingerprint of the key (the first 48 bits of a SHA-256 of it): enough to tell two
    /// accounts' records apart, never the key nor enough to find it.
    ///
    /// ```
    /// use anyfast_video::Client;
    ///
    /// let one = Client::new("sk-one")?;
    /// assert_eq!(one.account().len(), 12);
    /// assert_ne!(one.account(), Client::new("sk-two")?.account());
    /// assert!(!one.account().contains("sk-one"));
    /// # Ok::<(), anyfast_video::Error>(())
    /// ```
    pub fn account(&self) -> &str {
        &self.inner.account
    }

    /// The asset library: groups, uploads, get, list.
    pub fn assets(&self) -> Assets<'_> {
        Assets {
            sender: &self.inner.sender,
            policy: &self.inner.retry,
            upload_group: &self.inner.upload_group,
        }
    }

    /// The models list.
    pub fn models(&self) -> Models<'_> {
        Models {
            sender: &self.inner.sender,
            policy: &self.inner.retry,
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        anyfast_video_api::ClientInfo::baseurl(self.api())
    }

    /// The generated client this client sends every API request with, configured: the key,
    /// the base URL, the connect timeout, the same-origin redirect policy and the hooks. Every
    /// operation of the spec is here, one added to it included, as soon as the client is
    /// regenerated. Calls made on it directly are the spec's exact contract: answers decoded
    /// by the spec's types, no retries, no pace, no in-flight bound, and the longer of the
    /// create and query timeouts as each request's total timeout.
    ///
    /// ```
    /// use anyfast_mock::{MockConfig, MockServer};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let mock = MockServer::start(MockConfig::default()).await?;
    /// let client = anyfast_video::Client::builder().api_key("sk-example").base_url(mock.base_url()).build()?;
    /// let models = client.api().list_models().send().await?.into_inner();
    /// assert!(models.data.iter().any(|model| model.id == "seedance"));
    /// # mock.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    pub fn api(&self) -> &anyfast_video_api::Client {
        self.inner.sender.api()
    }
}

/// Builds a [`Client`]. Only the key is required.
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<Result<ApiKey, String>>,
    base_url: String,
    connect_timeout: Duration,
    create_timeout: Duration,
    request_timeout: Duration,
    download_read_timeout: Duration,
    retry: RetryPolicy,
    asset_group: Option<String>,
    max_concurrent_requests: usize,
    dns_resolver: Option<Arc<dyn reqwest::dns::Resolve>>,
}

/// The API requests a client has in flight at most, by default (see
/// [`ClientBuilder::max_concurrent_requests`]).
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 128;

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: DEFAULT_BASE_URL.into(),
            connect_timeout: Duration::from_secs(10),
            create_timeout: Duration::from_secs(300),
            request_timeout: Duration::from_secs(30),
            download_read_timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            asset_group: None,
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            dns_resolver: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API key (refused at `build` if empty or containing a line break).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(ApiKey::new(key).map_err(|error| error.to_string()));
        self
    }

    /// The base URL (default [`DEFAULT_BASE_URL`]). Must be https, except on a loopback
    /// address (`http://127.0.0.1:12111` for the mock).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// How long to wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a create may take in all (default 300 s).
    pub fn create_timeout(mut self, timeout: Duration) -> Self {
        self.create_timeout = timeout;
        self
    }

    /// How long a query may take in all (default 30 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long a download may go without receiving a byte (default 60 s).
    pub fn download_read_timeout(mut self, timeout: Duration) -> Self {
        self.download_read_timeout = timeout;
        self
    }

    /// The asset group that files marked
    /// [`MediaSource::upload_as_asset`](crate::MediaSource::upload_as_asset) are uploaded
    /// into (default: a group named [`DEFAULT_UPLOAD_GROUP_NAME`](crate::DEFAULT_UPLOAD_GROUP_NAME),
    /// created by the first such upload).
    pub fn asset_group(mut self, id: impl Into<String>) -> Self {
        self.asset_group = Some(id.into());
        self
    }

    /// How many API requests the client (and its clones) has in flight at most (default
    /// 128); more wait their turn. Thousands of concurrent waits then share a bounded pool of
    /// connections instead of opening one each.
    pub fn max_concurrent_requests(mut self, limit: usize) -> Self {
        self.max_concurrent_requests = limit.max(1);
        self
    }

    /// Resolves host names with `resolver` (reqwest 0.13's [`Resolve`](reqwest::dns::Resolve))
    /// instead of the system's resolver, for the API and the storage host alike: a resolver of
    /// the application's own (a service mesh, a cache), or one a test controls.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use anyfast_video::Client;
    /// use reqwest::dns::{Addrs, Name, Resolve, Resolving};
    ///
    /// /// Every name is this address.
    /// struct Fixed(std::net::SocketAddr);
    ///
    /// impl Resolve for Fixed {
    ///     fn resolve(&self, _name: Name) -> Resolving {
    ///         let addrs: Addrs = Box::new(std::iter::once(self.0));
    ///         Box::pin(std::future::ready(Ok(addrs)))
    ///     }
    /// }
    ///
    /// let client = Client::builder()
    ///     .api_key("sk-example")
    ///     .dns_resolver(Arc::new(Fixed(([10, 0, 0, 7], 443).into())))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), anyfast_video::Error>(())
    /// ```
    pub fn dns_resolver(mut self, resolver: Arc<dyn reqwest::dns::Resolve>) -> Self {
        self.dns_resolver = Some(resolver);
        self
    }

    /// How calls are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let key = match self.api_key.clone() {
            Some(Ok(key)) => key,
            Some(Err(why)) => return Err(Error::Config(why)),
            None => {
                return Err(Error::Config(format!(
                    "no API key: set {API_KEY_ENV} or call ClientBuilder::api_key"
                )));
            }
        };
        let account = key.fingerprint();
        let base_url = check_base_url(&self.base_url)?;
        let (api, storage) = http_clients(&self, &key)?;
        let api = anyfast_video_api::Client::new_with_client(&base_url, api);
        let sender = Sender::new(
            api,
            self.max_concurrent_requests,
            self.create_timeout,
            self.request_timeout,
        );
        Ok(Client {
            inner: Arc::new(Inner {
                sender,
                storage,
                retry: self.retry,
                upload_group: UploadGroup {
                    given: self.asset_group,
                    created: Default::default(),
                },
                account,
            }),
        })
    }
}

/// The two HTTP clients: the API's (the key, a sensitive `Authorization` header, only to the
/// API's own origin) and the storage host's (no key). Per-request timeouts (create, query) are
/// set on each attempt by the generated client's `pre` hook; the API client's own total timeout
/// bounds a request sent on [`Client::api`] directly. A total timeout, not a read timeout: the
/// hook's replaces it, where a read timeout would run a second timer beside it on every request.
fn http_clients(
    settings: &ClientBuilder,
    key: &ApiKey,
) -> Result<(reqwest::Client, reqwest::Client), Error> {
    let user_agent = concat!("anyfast-video-rs/", env!("CARGO_PKG_VERSION"));
    let cannot = |error: reqwest::Error| Error::Config(format!("cannot set up HTTP: {error}"));
    let api_version =
        <anyfast_video_api::Client as anyfast_video_api::ClientInfo<()>>::api_version();
    let headers = [
        (reqwest::header::AUTHORIZATION, key.header_value()),
        (ACCEPT, HeaderValue::from_static("application/json")),
        (
            HeaderName::from_static("api-version"),
            HeaderValue::from_static(api_version),
        ),
    ];
    let resolving = |builder: reqwest::ClientBuilder| match &settings.dns_resolver {
        Some(resolver) => builder.dns_resolver(resolver.clone()),
        None => builder,
    };
    let api = resolving(reqwest::Client::builder())
        .default_headers(headers.into_iter().collect())
        .user_agent(user_agent)
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.create_timeout.max(settings.request_timeout))
        .redirect(reqwest::redirect::Policy::custom(same_origin_only))
        .build()
        .map_err(cannot)?;
    let storage = resolving(reqwest::Client::builder())
        .user_agent(user_agent)
        .connect_timeout(settings.connect_timeout)
        .read_timeout(settings.download_read_timeout)
        .build()
        .map_err(cannot)?;
    Ok((api, storage))
}

/// The redirects the API's requests follow: to the API's own origin (scheme, host and port),
/// with 307 or 308, which keep the method and the body, at most 5 in a row. Any other is
/// answered as it came ([`Error::Redirected`]): another origin would be sent the request (a
/// create's prompt and files) even without the key, and 301, 302 and 303 turn a create into a
/// GET.
fn same_origin_only(attempt: reqwest::redirect::Attempt<'_>) -> reqwest::redirect::Action {
    let first = attempt.previous().first();
    let same_origin = first.is_some_and(|first| first.origin() == attempt.url().origin());
    let keeps_the_request = matches!(attempt.status().as_u16(), 307 | 308);
    if same_origin && keeps_the_request && attempt.previous().len() <= 5 {
        attempt.follow()
    } else {
        attempt.stop()
    }
}

/// An https URL, or http on a loopback address; without a trailing `/`.
fn check_base_url(text: &str) -> Result<String, Error> {
    let refuse = |why: &str| Error::Config(format!("the base URL {text:?} {why}"));
    let url = Url::parse(text).map_err(|error| refuse(&format!("is not a URL ({error})")))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(refuse(
                "must use https (plain http is only allowed on a loopback address)",
            ));
        }
        _ => return Err(refuse("must be an https URL")),
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse("must not have a query or fragment"));
    }
    Ok(text.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::check_base_url;

    #[test]
    fn https_anywhere_and_http_only_on_loopback() {
        for ok in [
            "https://www.anyfast.ai",
            "https://www.anyfast.ai/",
            "http://127.0.0.1:12111",
            "http://localhost:8080/",
            "http://[::1]:9000",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            check_base_url("https://www.anyfast.ai/").unwrap(),
            "https://www.anyfast.ai"
        );
        for bad in [
            "http://www.anyfast.ai",
            "http://10.0.0.1",
            "ftp://x",
            "www.anyfast.ai",
            "https://x/?a=1",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }
}
