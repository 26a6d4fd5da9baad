//! The accept loop: HTTP/1.1 connections served by an axum router, each of which a handler can
//! drop on purpose (the "dropped connection" fault).

use std::sync::Arc;

use axum::{Extension, Router};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

/// Lets a handler close its own connection without answering.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    /// Closes the connection; the future never completes.
    pub async fn drop_connection(&self) -> axum::response::Response {
        self.0.notify_one();
        std::future::pending().await
    }
}

/// Serves `router` on `listener` until `shutdown` turns true.
pub(crate) async fn serve(listener: TcpListener, router: Router, shutdown: watch::Receiver<bool>) {
    let mut stop = shutdown.clone();
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(_) => continue,
            },
            _ = stop.wait_for(|stopped| *stopped) => return,
        };
        let kill = ConnectionKill::default();
        let service = TowerToHyperService::new(router.clone().layer(Extension(kill.clone())));
        let mut stop_connection = shutdown.clone();
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = kill.0.notified() => {}
                _ = stop_connection.wait_for(|stopped| *stopped) => {}
            }
        });
    }
}
