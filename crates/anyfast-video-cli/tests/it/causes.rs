//! Errors say their cause, in one line and in `--json`, with a hint where one is known: a
//! closed port, and a TLS server whose certificate comes from a CA the test made (refused,
//! then trusted through SSL_CERT_FILE). No network beyond 127.0.0.1.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Output;
use std::sync::Arc;

use anyfast_mock::{MockServer, Timing};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types::PrivatePkcs8KeyDer};

use crate::common::*;

/// Runs the program with these variables and arguments (and the test key), without a journal.
async fn run_env(env: &[(&str, &Path)], args: &[&str]) -> Output {
    let mut command = command();
    command
        .env("ANYFAST_API_KEY", KEY)
        .env_remove("SSL_CERT_DIR")
        .env_remove("SSL_CERT_FILE")
        .arg("--no-journal")
        .args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// The one line of stderr that begins with `prefix`, without it (each must be there once).
fn line<'a>(output: &'a Output, prefix: &str) -> &'a str {
    let text = std::str::from_utf8(&output.stderr).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix(prefix))
        .collect();
    assert_eq!(lines.len(), 1, "one {prefix:?} line: {text}");
    lines[0]
}

/// What every error line must be: no clause twice, and never the key.
fn check_error(output: &Output, json: &Value) {
    let message = line(output, "error: ");
    let causes: Vec<&str> = json["error"]["cause"]
        .as_array()
        .unwrap()
        .iter()
        .map(|cause| cause.as_str().unwrap())
        .collect();
    assert_eq!(json["error"]["message"], message);
    for cause in &causes {
        assert_eq!(
            message.matches(cause).count(),
            1,
            "{cause:?} once in {message:?}"
        );
    }
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!all.contains(KEY), "{all}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_port_says_connection_refused_and_where_to_look() {
    // A port this test holds without listening on it: connections to it are refused, and no
    // other test's server can take it meanwhile (one given back to the system could be, by a
    // mock of a test running beside this one).
    let closed = tokio::net::TcpSocket::new_v4().unwrap();
    closed.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = closed.local_addr().unwrap().port();
    let base_url = format!("http://127.0.0.1:{port}");
    // A status, and a batch whose line fails so: each retries before it gives up, so the two
    // run side by side.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lines.jsonl");
    let line_json = r#"{"model": "seedance-fast", "content": [{"type": "text", "text": "a cat"}]}"#;
    std::fs::write(&file, format!("{line_json}\n")).unwrap();
    let out = dir.path().join("out");
    let status_args = ["--json", "--base-url", &base_url, "status", "cgt-closed"];
    let batch_args = [
        "--json",
        "--base-url",
        &base_url,
        "batch",
        file.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
    ];
    let (output, batch) = tokio::join!(run_env(&[], &status_args), run_env(&[], &batch_args));
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let json = json(&output);
    check_error(&output, &json);
    let message = line(&output, "error: ");
    assert!(
        message.starts_with(&format!(
            "get failed (task cgt-closed): error sending request for url ({base_url}/"
        )),
        "{message}"
    );
    assert!(
        message.ends_with("Connection refused (os error 111)"),
        "{message}"
    );
    assert_eq!(
        json["error"]["cause"].as_array().unwrap().last().unwrap(),
        "Connection refused (os error 111)"
    );
    let hint = line(&output, "hint: ");
    assert!(hint.contains("--base-url"), "{hint}");
    assert_eq!(json["error"]["hint"], hint);

    // The batch's line says why, too.
    assert_eq!(batch.status.code(), Some(4), "{batch:?}");
    let stdout = String::from_utf8_lossy(&batch.stdout);
    let first: Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    let error = first["error"].as_str().unwrap();
    assert!(
        error.starts_with("create failed: ")
            && error.ends_with("Connection refused (os error 111)"),
        "{error}"
    );
}

/// A certificate authority of the test's own, and a certificate for `localhost` it signed.
struct TestCa {
    /// The CA's certificate, PEM: what SSL_CERT_FILE names to trust it.
    pem: String,
    /// The server's certificate and key.
    server: (
        Vec<rustls::pki_types::CertificateDer<'static>>,
        PrivatePkcs8KeyDer<'static>,
    ),
}

fn test_ca() -> TestCa {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "anyfast-video test CA");
    let ca = rcgen::CertifiedIssuer::self_signed(ca, ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["localhost".into()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    TestCa {
        pem: ca.pem(),
        server: (
            vec![leaf.der().clone(), ca.der().clone()],
            PrivatePkcs8KeyDer::from(key.serialize_der()),
        ),
    }
}

/// An https front for `mock` on 127.0.0.1 with `ca`'s certificate for localhost: each
/// connection's TLS is ended here and its bytes passed on to the mock. Returns its address.
async fn https_front(mock: &MockServer, ca: &TestCa) -> SocketAddr {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let (chain, key) = (ca.server.0.clone(), ca.server.1.clone_key());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key.into())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let upstream = mock.api_address();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to pass on.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut mock = TcpStream::connect(upstream).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut mock).await;
            });
        }
    });
    address
}

#[tokio::test(flavor = "multi_thread")]
async fn an_untrusted_certificate_says_so_and_how_to_trust_it_and_ssl_cert_file_trusts_it() {
    let mock = mock(Timing::Instant).await;
    let ca = test_ca();
    let address = https_front(&mock, &ca).await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("test-ca.pem");
    std::fs::write(&ca_file, &ca.pem).unwrap();
    let base_url = format!("https://localhost:{}", address.port());
    let created = json(
        &run_env(
            &[],
            &["--json", "--base-url", &mock.base_url(), "create", "a cat"],
        )
        .await,
    );
    let id = created["id"].as_str().unwrap();

    // A trust store without the test's CA (one unrelated root): refused.
    let untrusted = run_env(
        &[("SSL_CERT_FILE", one_root_certificate())],
        &["--json", "--base-url", &base_url, "status", id],
    )
    .await;
    assert_eq!(untrusted.status.code(), Some(3), "{untrusted:?}");
    let json_error = json(&untrusted);
    check_error(&untrusted, &json_error);
    let message = line(&untrusted, "error: ");
    assert!(
        message.starts_with(&format!(
            "get failed (task {id}): error sending request for url ({base_url}/"
        )),
        "{message}"
    );
    assert!(
        message.ends_with("invalid peer certificate: UnknownIssuer"),
        "{message}"
    );
    assert!(
        json_error["error"]["cause"]
            .as_array()
            .unwrap()
            .iter()
            .any(|cause| cause == "invalid peer certificate: UnknownIssuer"),
        "{json_error}"
    );
    let hint = line(&untrusted, "hint: ");
    assert!(
        hint.contains("system's trust store") && hint.contains("SSL_CERT_FILE"),
        "{hint}"
    );
    assert_eq!(json_error["error"]["hint"], hint);

    // SSL_CERT_FILE naming the test's CA: trusted, and the status comes through it.
    let trusted = run_env(
        &[("SSL_CERT_FILE", &ca_file)],
        &["--json", "--base-url", &base_url, "status", id],
    )
    .await;
    assert!(trusted.status.success(), "{trusted:?}");
    let status = json(&trusted);
    assert_eq!(
        (status["id"].as_str(), status["status"].as_str()),
        (Some(id), Some("succeeded"))
    );
}
