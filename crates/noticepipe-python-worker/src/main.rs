//! `noticepipe-worker`: the worker processes of the Python package's isolated mode
//! (`noticepipe.Parser(isolated=True)`), shipped in the wheel next to the module.
//!
//! A supervisor in the Python process (`noticepipe_runner::worker::Supervisor`) starts it as
//! `noticepipe-worker __worker` under a memory limit and sends it one file at a time over
//! stdin; it is what `noticepipe __worker` is for the CLI, without the rest of the command
//! line.

use std::process::ExitCode;

use noticepipe_runner::worker::WORKER_ARG;

/// The CLI's allocator (crates/noticepipe-cli/src/main.rs): workers behave as the CLI's do.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    if args.len() != 1 || args[0] != WORKER_ARG {
        eprintln!(
            "noticepipe-worker: the worker of noticepipe.Parser(isolated=True), started by the \
             Python package as `noticepipe-worker {WORKER_ARG}`; it reads framed requests on \
             stdin and is not meant to be run by hand"
        );
        return ExitCode::from(2);
    }
    match noticepipe_runner::worker::serve() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("worker: {e}");
            ExitCode::from(3)
        }
    }
}
