//! The connections: accepted under a limit, served by hyper with a header-read (and so
//! keep-alive idle) timeout, and closed within a bound when the service stops.
//!
//! axum's own `serve` offers none of these settings, so the loop is ours:
//!
//! - At most `max_connections` are open; past them the loop stops accepting and new
//!   connections wait in the kernel's listen backlog until one closes.
//! - hyper's header read timeout runs from a connection's start and again from the end of
//!   each answer, so a client that sends half a head, or goes quiet after an answer, is
//!   closed after `header_timeout`.
//! - An accept error (descriptors exhausted: `EMFILE`) is printed on stderr, once a second
//!   at most, and the loop waits 100 ms before it accepts again instead of spinning.
//! - First signal: stop listening, ask every connection to close after its answer (an idle
//!   one closes at once), and close whatever is left after `request_timeout`. Second signal:
//!   requests under way are answered 503 `stopped` and every connection is closed within
//!   [`SECOND_SIGNAL_GRACE`].
//! - When the last connection of a burst closes, the allocator is asked to return its free
//!   memory to the system (`malloc_trim`): glibc otherwise keeps what thousands of
//!   connections used.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::{ServeSettings, signals};

/// After a second signal, how long the answers under way (503 `stopped`) get to be written
/// before every connection is closed.
pub const SECOND_SIGNAL_GRACE: Duration = Duration::from_secs(1);

/// How long the loop waits after an accept error before accepting again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `router` on `listener` until the first signal, then shuts down (see the module).
pub async fn serve(listener: TcpListener, router: Router, settings: &ServeSettings) {
    let limit = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let open = Arc::new(AtomicUsize::new(0));
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(settings.header_timeout)
        .keep_alive(true);
    let mut last_logged: Option<Instant> = None;
    let mut unlogged = 0u64;
    loop {
        // Finished connection tasks are reaped as they go, so the set stays small.
        while connections.try_join_next().is_some() {}
        let permit = tokio::select! {
            permit = Arc::clone(&limit).acquire_owned() => permit.expect("never closed"),
            () = signals(1) => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    unlogged += 1;
                    if last_logged.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
                        eprintln!(
                            "noticepipe serve: cannot accept a connection ({unlogged} failed): {e}"
                        );
                        last_logged = Some(Instant::now());
                        unlogged = 0;
                    }
                    drop(permit);
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = signals(1) => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let mut stopping = stopping.clone();
        let open = Arc::clone(&open);
        open.fetch_add(1, Ordering::SeqCst);
        connections.spawn(async move {
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.as_mut().await;
                }
            }
            drop(permit);
            if open.fetch_sub(1, Ordering::SeqCst) == 1 {
                release_free_memory();
            }
        });
    }
    // Stop listening at once: new connections are refused, not left in the backlog.
    drop(listener);
    let _ = stop.send(true);
    let all_closed = async { while connections.join_next().await.is_some() {} };
    tokio::select! {
        () = all_closed => return,
        () = tokio::time::sleep(settings.request_timeout) => {}
        () = async {
            signals(2).await;
            tokio::time::sleep(SECOND_SIGNAL_GRACE).await;
        } => {}
    }
    connections.shutdown().await;
}

/// Gives the allocator's free memory back to the system.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
