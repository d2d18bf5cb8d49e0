//! `serve`: the HTTP service of `noticepipe-serve`, with its settings from the arguments.

use std::process::ExitCode;
use std::time::Duration;

use crate::args::ServeArgs;
use crate::escape::say;

pub fn run(args: &ServeArgs) -> ExitCode {
    // The service gives memory back after a burst of connections: freed pages are purged at
    // once, not 10 ms later on the owning thread's next call (which an idle thread never
    // makes). The batch keeps mimalloc's default: it frees and allocates all the time.
    // SAFETY: sets one mimalloc option; any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(crate::MI_OPTION_PURGE_DELAY, 0) };
    let api_key = match args
        .api_key_file
        .as_deref()
        .map(noticepipe_serve::read_api_key)
    {
        None => None,
        Some(Ok(key)) => Some(key),
        Some(Err(e)) => {
            say!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let defaults = noticepipe_serve::ServeSettings::default();
    let settings = noticepipe_serve::ServeSettings {
        listen: args.listen,
        api_key,
        max_body: args.max_body << 20,
        max_concurrent: args
            .max_concurrent
            .map_or(defaults.max_concurrent, usize::from),
        max_waiting: usize::from(args.max_waiting),
        request_timeout: Duration::from_secs_f64(args.request_timeout),
        header_timeout: Duration::from_secs_f64(args.header_timeout),
        max_connections: usize::from(args.max_connections),
        ocr_worker_idle: Duration::from_secs_f64(args.ocr_worker_idle),
        isolation: args.isolation.isolation(),
    };
    // Tests and scripts read the address from this line (with --listen 127.0.0.1:0).
    let announce = |addr| say!("noticepipe serve: listening on http://{addr}");
    match noticepipe_serve::run(settings, announce) {
        Ok(()) => {
            say!("noticepipe serve: stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            say!("error: cannot serve on {}: {e}", args.listen);
            ExitCode::from(1)
        }
    }
}
