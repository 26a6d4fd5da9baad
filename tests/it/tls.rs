//! https works: the crate enables a TLS backend for reqwest (progenitor-client turns reqwest's
//! default features, and with them TLS, off).

use std::net::SocketAddr;
use std::sync::Arc;

use anyfast_video_api::{Client, ClientInfo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types::PrivatePkcs8KeyDer};

/// A one-request https server on 127.0.0.1 with a certificate for `localhost`. Returns its
/// address, the certificate, and a handle that yields the request's head.
async fn https_server(
    body: String,
) -> (
    SocketAddr,
    reqwest::Certificate,
    tokio::task::JoinHandle<String>,
) {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let certificate = certified.cert.der().clone();
    let key = PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certificate.clone()], key.into())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut stream = acceptor.accept(tcp).await.unwrap();
        let mut head = Vec::new();
        let mut buffer = [0; 1024];
        while !head.windows(4).any(|window| window == b"\r\n\r\n") {
            let read = stream.read(&mut buffer).await.unwrap();
            assert!(read > 0, "the client closed before sending a request");
            head.extend_from_slice(&buffer[..read]);
        }
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(response.as_bytes()).await.unwrap();
        stream.shutdown().await.unwrap();
        String::from_utf8(head).unwrap()
    });
    let certificate = reqwest::Certificate::from_der(&certificate).unwrap();
    (address, certificate, server)
}

#[tokio::test]
async fn an_https_base_url_works() {
    let answer = crate::common::named_example(crate::common::GET_200, "succeeded");
    let (address, certificate, server) = https_server(answer.to_string()).await;
    let http = reqwest::Client::builder()
        .tls_certs_only([certificate])
        .resolve("localhost", address)
        .build()
        .unwrap();
    let client = Client::new_with_client(&format!("https://localhost:{}", address.port()), http);

    let response = client
        .get_video_generation()
        .id("cgt-1")
        .send()
        .await
        .unwrap();

    let head = server.await.unwrap();
    assert!(
        head.starts_with("GET /v1/video/generations/cgt-1 HTTP/1.1\r\n"),
        "{head}"
    );
    assert_eq!(
        response.into_inner().data.unwrap().status.as_deref(),
        Some("SUCCESS")
    );
}

#[tokio::test]
async fn an_https_client_refuses_a_certificate_it_does_not_trust() {
    let (address, _certificate, _server) = https_server("{}".into()).await;
    let http = reqwest::Client::builder()
        .resolve("localhost", address)
        .build()
        .unwrap();
    let client = Client::new_with_client(&format!("https://localhost:{}", address.port()), http);

    let error = client
        .get_video_generation()
        .id("cgt-1")
        .send()
        .await
        .unwrap_err();

    assert!(
        matches!(error, anyfast_video_api::Error::CommunicationError(_)),
        "{error:?}"
    );
}

#[test]
fn the_generated_constructor_builds_an_https_client_without_panicking() {
    let client = Client::new("https://www.anyfast.ai");
    assert_eq!(client.baseurl(), "https://www.anyfast.ai");
}
