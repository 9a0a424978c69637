//! Serving a router over TCP with bounds on connections (issue 19, item 3): a client that never
//! finishes its headers, or keeps a connection open without asking anything, is cut off after
//! `header_timeout`, and at most `max_connections` are open at once (more wait in the kernel's
//! backlog until one closes), so that half-sent requests cannot use up the open files and leave
//! `/healthz` unanswerable.
//!
//! `axum::serve` has no header timeout, so the connections are served here with hyper's HTTP/1
//! builder, whose header-read timer starts when a connection waits for a request: on opening and
//! again after each answer, so it bounds idle keep-alive connections too.

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long to wait before accepting again after `accept` failed (out of file descriptors,
/// typically), so that the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Bounds on the connections of a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Longest wait for a request's headers, counted from when the connection opens or its
    /// previous answer was sent; the connection is closed beyond.
    pub header_timeout: Duration,
    /// Most connections open at once.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            max_connections: 512,
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then lets the
/// requests in flight finish and closes idle connections.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let next = async {
            let permit = permits.clone().acquire_owned().await.ok()?;
            Some((accept(&listener).await, permit))
        };
        let (stream, permit) = tokio::select! {
            next = next => match next {
                Some(next) => next,
                None => break,
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(finish(connection, permit));
    }
    graceful.shutdown().await;
}

/// The next connection, waiting out the errors of `accept` (which come from the process, not
/// from the client: too many open files, say).
async fn accept(listener: &TcpListener) -> TcpStream {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                if let Err(e) = stream.set_nodelay(true) {
                    tracing::debug!("TCP_NODELAY: {e}");
                }
                return stream;
            }
            Err(e) => {
                tracing::warn!("accepting a connection: {e}");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
            }
        }
    }
}

/// Serves one connection to its end, then gives its place back.
async fn finish(connection: impl Future<Output = hyper::Result<()>>, permit: OwnedSemaphorePermit) {
    if let Err(e) = connection.await {
        tracing::debug!("connection: {e}");
    }
    drop(permit);
}
