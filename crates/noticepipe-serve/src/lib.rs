//! The noticepipe HTTP service: `POST /v1/parse` (a document in, its record out),
//! `POST /v1/export` (a document in, one of the export tables out), `POST /v1/report`
//! (documents in, `noticepipe report`'s HTML page about them out), `GET /healthz`,
//! `GET /openapi.json` (generated from the handlers by utoipa, the record and problem
//! schemas from schemars) and a page for people at `/`.
//!
//! Documents are parsed only through the supervised worker pool (`noticepipe_runner::worker`),
//! so a document that hangs, crashes or eats memory costs its own request only. The
//! service writes no files: request bodies stay in memory, within [`ServeSettings`].
//!
//! [`run`] must be called from the `noticepipe` binary: workers are that binary started
//! again with its hidden `__worker` argument.

mod api;
mod openapi;
mod page;
mod pool;
mod problem;
mod server;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use noticepipe::ErrorCode;
use noticepipe_runner::worker::Isolation;
use subtle::ConstantTimeEq;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use problem::{Problem, ProblemCode, ServiceCode, status_of};

/// The service's limits. `Default` gives the documented defaults (the guide, docs/src/limits.md).
#[derive(Debug, Clone)]
pub struct ServeSettings {
    /// Where to listen: loopback only unless asked.
    pub listen: SocketAddr,
    /// Requests to `/v1/*` must carry `Authorization: Bearer KEY` when set.
    pub api_key: Option<String>,
    /// Largest request body, in bytes (413 `too_large` past it; a `Content-Length` over it
    /// is refused before the body is read).
    pub max_body: u64,
    /// Documents parsed at once: parse threads and, so, worker processes.
    pub max_concurrent: usize,
    /// Requests that may wait for a parse slot; past them, 503 `busy` at once.
    pub max_waiting: usize,
    /// Wall-clock limit of a whole request, reading the body and waiting included
    /// (504 `timeout` past it). Also the longest a refused request's body is read and
    /// thrown away, and the longest a graceful shutdown waits for the requests under way.
    pub request_timeout: Duration,
    /// Time to receive a request's head, counted from the connection's start or from the
    /// end of the previous answer: so also how long a kept-alive connection may sit idle.
    /// Past it the connection is closed.
    pub header_timeout: Duration,
    /// Connections open at once; past them, new connections wait in the listen backlog
    /// until one closes.
    pub max_connections: usize,
    /// A worker that may hold the OCR engine (it was given a scan or a page image) is
    /// stopped after this long idle, giving back the engine's memory; the next document
    /// starts a fresh worker.
    pub ocr_worker_idle: Duration,
    /// The worker pool's limits (per-document timeout and memory), as for the CLI.
    pub isolation: Isolation,
}

impl Default for ServeSettings {
    fn default() -> Self {
        ServeSettings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            api_key: None,
            max_body: 32 << 20,
            max_concurrent: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_waiting: 64,
            request_timeout: Duration::from_secs(60),
            header_timeout: Duration::from_secs(30),
            max_connections: 512,
            ocr_worker_idle: Duration::from_secs(60),
            isolation: Isolation::default(),
        }
    }
}

/// What the handlers share.
pub(crate) struct App {
    settings: ServeSettings,
    pool: pool::ParsePool,
    openapi: String,
}

/// The most of an API key file that is read, in bytes.
pub const MAX_API_KEY_FILE: u64 = 4096;

/// The API key in `path`: its first line, which must not be empty. The file should be
/// readable by the service's user only; this does not check.
/// At most [`MAX_API_KEY_FILE`] bytes are read (a key file is a line, not `/dev/zero`).
pub fn read_api_key(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let cannot =
        |e: std::io::Error| format!("cannot read the API key file {}: {e}", path.display());
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_API_KEY_FILE + 1).read_to_end(&mut bytes))
        .map_err(cannot)?;
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
    if first_line.len() as u64 > MAX_API_KEY_FILE {
        return Err(format!(
            "the API key file {} has no line end in its first {MAX_API_KEY_FILE} bytes",
            path.display()
        ));
    }
    let text = std::str::from_utf8(first_line)
        .map_err(|_| format!("the API key file {} is not UTF-8", path.display()))?;
    let key = text.trim();
    if key.is_empty() {
        return Err(format!("the API key file {} is empty", path.display()));
    }
    Ok(key.to_string())
}

/// Binds, calls `on_listening` with the bound address, and serves until SIGINT or SIGTERM.
/// Then it stops accepting, lets the requests under way finish for at most
/// `request_timeout` and one second (a second signal abandons their documents, answers
/// them 503 `stopped` and closes every connection within a second) and stops the workers.
pub fn run(settings: ServeSettings, on_listening: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    noticepipe_runner::signals::install();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let app = Arc::new(App {
        pool: pool::ParsePool::new(
            settings.isolation.runner(),
            settings.max_concurrent.max(1),
            settings.max_waiting,
        )?,
        openapi: openapi::document(settings.api_key.is_some()),
        settings,
    });
    // Workers that ran OCR keep its engine (hundreds of MB) while idle: stop them after
    // `ocr_worker_idle`, looking a few times within that.
    let reaper = {
        let app = Arc::clone(&app);
        let idle_for = app.settings.ocr_worker_idle;
        let every = (idle_for / 4).clamp(Duration::from_millis(100), Duration::from_secs(5));
        runtime.spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let app = Arc::clone(&app);
                let _ =
                    tokio::task::spawn_blocking(move || app.pool.release_idle_ocr(idle_for)).await;
            }
        })
    };
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(app.settings.listen).await?;
        on_listening(listener.local_addr()?);
        server::serve(listener, router(Arc::clone(&app)), &app.settings).await;
        Ok(())
    });
    reaper.abort();
    // Requests cut short by a second signal may still hold the app in their tasks.
    runtime.shutdown_timeout(Duration::from_secs(1));
    drop(app);
    result
}

/// Resolves once `n` SIGINT or SIGTERM came (caught by `noticepipe_runner::signals`, the same
/// handler `convert` uses, so a second signal also abandons documents in flight).
pub(crate) async fn signals(n: usize) {
    let done = || match n {
        0 => true,
        1 => noticepipe_runner::signals::stop_requested(),
        _ => noticepipe_runner::signals::stop_at_once(),
    };
    while !done() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The documented routes: the router and the OpenAPI paths are read from the same handlers.
pub(crate) fn documented_routes() -> OpenApiRouter<Arc<App>> {
    OpenApiRouter::new()
        .routes(routes!(api::parse))
        .routes(routes!(api::export))
        .routes(routes!(api::report))
        .routes(routes!(api::healthz))
}

fn router(app: Arc<App>) -> Router {
    let (documented, _) = documented_routes().split_for_parts();
    documented
        .merge(page::routes())
        .route("/openapi.json", get(openapi_json))
        .layer(DefaultBodyLimit::max(
            usize::try_from(app.settings.max_body).unwrap_or(usize::MAX),
        ))
        .layer(middleware::from_fn_with_state(Arc::clone(&app), guard))
        .with_state(app)
}

async fn openapi_json(State(app): State<Arc<App>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        app.openapi.clone(),
    )
        .into_response()
}

/// Whether `/v1/*` may be used: no key is set, or the request carries it as
/// `Authorization: Bearer KEY`, compared in constant time (over SHA-256 digests, so the
/// key's length does not show either).
fn authorized(settings: &ServeSettings, request: &Request) -> bool {
    let Some(key) = &settings.api_key else {
        return true;
    };
    if !request.uri().path().starts_with("/v1/") {
        return true;
    }
    let sent = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| bearer_token(v.as_bytes()))
        .unwrap_or(b"");
    let matches = noticepipe::sha256_hex(sent)
        .as_bytes()
        .ct_eq(noticepipe::sha256_hex(key.as_bytes()).as_bytes());
    bool::from(matches)
}

/// The token of an `Authorization: Bearer TOKEN` value. The scheme is case-insensitive
/// (RFC 9110, 11.1) and may be followed by more than one space.
fn bearer_token(value: &[u8]) -> Option<&[u8]> {
    let space = value.iter().position(|&b| b == b' ')?;
    let (scheme, rest) = value.split_at(space);
    if !scheme.eq_ignore_ascii_case(b"bearer") {
        return None;
    }
    let start = rest.iter().position(|&b| b != b' ')?;
    Some(&rest[start..])
}

/// In front of every route: the API key, a `Content-Length` over the body limit refused
/// before the body is read, and the request timeout.
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let settings = &app.settings;
    if !authorized(settings, &request) {
        let problem = Problem::service(
            ServiceCode::Unauthorized,
            "send the API key as `Authorization: Bearer KEY`",
        );
        return refuse(request, problem, settings);
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > settings.max_body) {
        let problem = Problem::pipeline(
            ErrorCode::TooLarge,
            format!(
                "the body is larger than the service's limit of {}",
                docmodel::human_size(settings.max_body)
            ),
        );
        return refuse(request, problem, settings);
    }
    match tokio::time::timeout(settings.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => Problem::pipeline(
            ErrorCode::Timeout,
            format!(
                "the request took longer than {} s",
                settings.request_timeout.as_secs_f32()
            ),
        )
        .into_response(),
    }
}

/// Answers `problem` at once and reads the request's body on, throwing it away, as nginx's
/// lingering close does: a client still sending its body when the answer comes and the
/// connection closes would see a write error or a reset instead of the answer (Python's
/// `http.client` reads no answer before its body is sent). The reading stops at the body's
/// end, after `request_timeout`, or after [`REFUSED_BODY_FACTOR`] × `max_body` bytes,
/// whichever comes first; then the connection closes. Nothing is kept, so this costs no
/// memory.
pub(crate) fn refuse(request: Request, problem: Problem, settings: &ServeSettings) -> Response {
    use http_body_util::BodyExt;
    let mut body = request.into_body();
    let most = settings.max_body.saturating_mul(REFUSED_BODY_FACTOR);
    let limit = settings.request_timeout;
    tokio::spawn(async move {
        let drain = async {
            let mut read = 0u64;
            while read <= most {
                match body.frame().await {
                    Some(Ok(frame)) => read += frame.data_ref().map_or(0, |d| d.len() as u64),
                    _ => break,
                }
            }
        };
        let _ = tokio::time::timeout(limit, drain).await;
    });
    let mut response = problem.into_response();
    response.headers_mut().insert(
        header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
}

/// How much of a refused request's body is read and thrown away, in `max_body`s.
pub const REFUSED_BODY_FACTOR: u64 = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        assert_eq!(bearer_token(b"Bearer k"), Some(&b"k"[..]));
        assert_eq!(bearer_token(b"bearer k"), Some(&b"k"[..]));
        assert_eq!(bearer_token(b"BEARER  k"), Some(&b"k"[..]));
        assert_eq!(bearer_token(b"Basic k"), None);
        assert_eq!(bearer_token(b"Bearerk"), None);
        assert_eq!(bearer_token(b"Bearer "), None);
    }
}
