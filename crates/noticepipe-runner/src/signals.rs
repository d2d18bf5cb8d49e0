//! SIGINT (Ctrl-C) and SIGTERM during `convert`: the first stops starting new files and
//! lets those under way finish; a second stops at once (the files in flight are reported
//! `skipped`). The exit status is 128 + the signal's number (130, 143).
//!
//! Workers run in a process group of their own, so the SIGINT a terminal sends to its
//! foreground group reaches only the supervisor, which decides what the workers do.

use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

static RECEIVED: AtomicUsize = AtomicUsize::new(0);
static LAST: AtomicI32 = AtomicI32::new(0);

/// Only atomic stores: nothing else is safe in a signal handler.
extern "C" fn on_signal(signal: libc::c_int) {
    LAST.store(signal, Ordering::SeqCst);
    RECEIVED.fetch_add(1, Ordering::SeqCst);
}

/// Catches SIGINT and SIGTERM from now on (idempotent).
pub fn install() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        for signal in [libc::SIGINT, libc::SIGTERM] {
            // SAFETY: a zeroed sigaction with a handler that only touches atomics.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as *const () as libc::sighandler_t;
                action.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
    });
}

/// A first signal came: start no new file.
pub fn stop_requested() -> bool {
    RECEIVED.load(Ordering::SeqCst) >= 1
}

/// A second signal came: abandon the files in flight too.
pub fn stop_at_once() -> bool {
    RECEIVED.load(Ordering::SeqCst) >= 2
}

/// 128 + the last signal's number, once one came.
pub fn exit_status() -> Option<u8> {
    stop_requested().then(|| 128 + LAST.load(Ordering::SeqCst) as u8)
}
