//! Runs the pipeline ([`noticepipe::Pipeline`]) on many files, safely: supervised worker
//! processes ([`worker`]: timeouts, memory limits, crash isolation), SIGINT and SIGTERM
//! ([`signals`]), batch conversion ([`batch`]: walk, resume, output folder lock, report,
//! streams), `export` ([`export`]: records gathered and their tables written), and files
//! written whole or not at all ([`write`](mod@write)).
//!
//! The command line and the service run documents through here; the pipeline itself
//! (`noticepipe`) knows nothing of processes, folders or signals. No argument parsing,
//! progress bars or printing: batch progress goes to a [`batch::Observer`].

pub mod batch;
pub mod export;
pub mod signals;
pub mod worker;
pub mod write;
