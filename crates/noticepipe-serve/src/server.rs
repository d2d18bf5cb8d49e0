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
//!   one closes at once), and close whatever is left after `request_timeout` and
//!   [`SECOND_SIGNAL_GRACE`] (a request under way ends within `request_timeout`; the grace is
//!   for writing its answer). Second signal: requests under way are answered 503 `stopped`
//!   and every connection is closed within [`SECOND_SIGNAL_GRACE`].
//! - A quarter of a second after the last connection of a burst closed, the allocator is
//!   asked to return its free memory to the system (`malloc_trim`): glibc otherwise keeps
//!   what thousands of connections used. (The `noticepipe` binary allocates with mimalloc,
//!   whose purge delay its `serve` command sets to 0 instead; the call is for embedders that
//!   keep glibc's allocator.)

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};

use crate::{ServeSettings, signals};

/// After a second signal, how long the answers under way (503 `stopped`) get to be written
/// before every connection is closed.
pub const SECOND_SIGNAL_GRACE: Duration = Duration::from_secs(1);

/// How long the loop waits after an accept error before accepting again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// What the connections are told: serve, finish (graceful shutdown), or close now.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Serve,
    Finish,
    Close,
}

/// The open connections: counted, so that the shutdown knows when the last has closed and
/// the memory can be given back then. Connection tasks are detached (not kept in a
/// `JoinSet`, whose finished tasks would hold their memory until reaped).
struct Open {
    count: AtomicUsize,
    none_left: Notify,
}

impl Open {
    async fn all_closed(&self) {
        loop {
            let notified = self.none_left.notified();
            if self.count.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }
}

/// Serves `router` on `listener` until the first signal, then shuts down (see the module).
pub async fn serve(listener: TcpListener, router: Router, settings: &ServeSettings) {
    let limit = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let open = Arc::new(Open {
        count: AtomicUsize::new(0),
        none_left: Notify::new(),
    });
    let (phase, phases) = watch::channel(Phase::Serve);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(settings.header_timeout)
        .keep_alive(true);
    let mut last_logged: Option<Instant> = None;
    let mut unlogged = 0u64;
    loop {
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
        let mut phases = phases.clone();
        let open = Arc::clone(&open);
        open.count.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let mut finishing = false;
            loop {
                tokio::select! {
                    _ = connection.as_mut() => break,
                    changed = phases.changed() => {
                        let now = *phases.borrow_and_update();
                        if changed.is_err() || now == Phase::Close {
                            break; // dropping the connection closes it
                        }
                        if now == Phase::Finish && !finishing {
                            finishing = true;
                            connection.as_mut().graceful_shutdown();
                        }
                    }
                }
            }
            drop(permit);
            if open.count.fetch_sub(1, Ordering::SeqCst) == 1 {
                open.none_left.notify_waiters();
                // A moment later: the other connections' tasks, ended on other threads,
                // are freed by then.
                tokio::spawn(async {
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    release_free_memory();
                });
            }
        });
    }
    // Stop listening at once: new connections are refused, not left in the backlog.
    drop(listener);
    let _ = phase.send(Phase::Finish);
    tokio::select! {
        () = open.all_closed() => return,
        () = tokio::time::sleep(settings.request_timeout + SECOND_SIGNAL_GRACE) => {}
        () = async {
            signals(2).await;
            tokio::time::sleep(SECOND_SIGNAL_GRACE).await;
        } => {}
    }
    let _ = phase.send(Phase::Close);
    let _ = tokio::time::timeout(Duration::from_secs(1), open.all_closed()).await;
}

/// Gives the allocator's free memory back to the system.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
