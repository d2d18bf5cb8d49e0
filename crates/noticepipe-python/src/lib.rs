//! `noticepipe._native`: the pipeline called from Python. The package around it
//! (`python/noticepipe/__init__.py`) turns the record's JSON into a dict and defines
//! `NoticeError`, which the functions here raise for every typed error.
//!
//! `parse_bytes_json` / `parse_path_json` parse in the calling process with the GIL
//! released, so threads of one Python process parse in parallel. A panic is caught here and
//! becomes `NoticeError` with code `extract_panic` (PyO3 would raise `PanicException`,
//! which `except Exception` misses), and prints nothing: see `quiet_panics`.
//!
//! `Isolated` is the isolated mode (`noticepipe.Parser(isolated=True)`): the CLI's
//! [`Supervisor`] and its worker processes, the worker executable shipped in the wheel.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use noticepipe::ErrorCode;
use noticepipe::{PipelineError, Record};
use noticepipe_runner::worker::{Forms, Supervisor, WorkerLimits};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;

/// The record of `data` (bytes or bytearray) as a JSON string; `name` stands for the file
/// in the record's `source.path` and in errors.
#[pyfunction]
fn parse_bytes_json(py: Python<'_>, data: PyBackedBytes, name: &str) -> PyResult<String> {
    let name = name.to_string();
    let result = py.detach(|| guarded(&name, || noticepipe::parse_bytes(&name, &data)));
    to_python(py, result)
}

/// The record of the file at `path` (str or os.PathLike) as a JSON string.
#[pyfunction]
fn parse_path_json(py: Python<'_>, path: PathBuf) -> PyResult<String> {
    let shown = path.display().to_string();
    let result = py.detach(|| guarded(&shown, || noticepipe::parse_path(&path)));
    to_python(py, result)
}

/// Runs `parse` turning a panic into `extract_panic`, so that Python sees a `NoticeError`.
/// (The extractors already catch their own panics; this covers the parser and the rest.)
/// Panics on this thread meanwhile print nothing ([`quiet_panics`]).
fn guarded(
    path: &str,
    parse: impl FnOnce() -> Result<Record, PipelineError>,
) -> Result<String, PipelineError> {
    let outer = QUIET.replace(true);
    let result = catch_unwind(AssertUnwindSafe(|| {
        parse().map(|record| noticepipe_output::to_json_line(&record))
    }))
    .unwrap_or_else(|payload| {
        Err(PipelineError {
            path: path.to_string(),
            code: ErrorCode::ExtractPanic,
            message: format!("panicked: {}", docmodel::panic_message(&*payload)),
        })
    });
    QUIET.set(outer);
    result
}

thread_local! {
    /// This thread runs code whose panics are caught and reported as `extract_panic`.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Panics caught on their way to Python print nothing on stderr, as in the CLI's workers:
/// the pipeline catches an extractor's panic (`extract_panic`, its message in the error),
/// but Rust's default hook would first have printed the message and, with RUST_BACKTRACE
/// set, a backtrace into the Python process's stderr (a Spark executor's log, a notebook).
/// The hook is process-wide but this library's own (every Rust extension module has its
/// own), and silent only on threads inside [`guarded`] or supervising workers; any other
/// panic reaches the hook that was there before.
fn quiet_panics() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // `try_with`: a thread being torn down has no thread-locals left.
            if !QUIET.try_with(Cell::get).unwrap_or(false) {
                previous(info);
            }
        }));
    });
}

/// The record's JSON, or `noticepipe.NoticeError(code, path, message)` raised.
fn to_python(py: Python<'_>, result: Result<String, PipelineError>) -> PyResult<String> {
    result.or_else(|e| {
        let class = py.import("noticepipe")?.getattr("NoticeError")?;
        let error = class.call1((e.code.to_string(), e.path, e.message))?;
        Err(PyErr::from_value(error))
    })
}

// ---------------------------------------------------------------------------------------
// The isolated mode.

/// The CLI's `--timeout` bounds, in seconds: above 0, at most a day.
const MAX_TIMEOUT_SECS: f64 = 86_400.0;
/// The CLI's `--max-memory` bounds (128 MiB to 1 TiB), in bytes.
const MEMORY_BOUNDS: (u64, u64) = (128 << 20, 1 << 40);

/// A file's work for a lane: runs on the lane's thread with the supervisor.
type Job = Box<dyn FnOnce(&Supervisor) + Send>;

/// Worker processes under the CLI's [`Supervisor`] (`noticepipe.Parser(isolated=True)`):
/// each file goes to a worker process that answers its record or a typed error, and a file
/// that hangs, crashes or runs out of memory costs that worker (`timeout`, `extract_crash`,
/// `too_large`), never this process.
///
/// The supervisor's calls run on threads of its own ("lanes", one per file being parsed at
/// once, kept for the parser's life): a worker gets `PR_SET_PDEATHSIG` from the thread
/// that started it, so a worker started from a Python thread that then ends (a
/// `ThreadPoolExecutor`'s, say) would be killed idle in the pool and the next file would
/// find it dead.
#[pyclass(frozen, module = "noticepipe._native")]
struct Isolated {
    supervisor: Arc<Supervisor>,
    /// Idle lanes; a call takes one (or starts one) and puts it back.
    lanes: Mutex<Vec<Lane>>,
    /// The process that made it: a forked child's copy must not touch the workers.
    pid: u32,
}

struct Lane {
    jobs: mpsc::Sender<Job>,
    thread: JoinHandle<()>,
}

impl Lane {
    fn start(supervisor: Arc<Supervisor>) -> std::io::Result<Lane> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("noticepipe-supervisor".into())
            .spawn(move || {
                // A job catches its panics (they are `extract_panic`): print nothing.
                QUIET.set(true);
                for job in queue {
                    job(&supervisor);
                }
            })?;
        Ok(Lane { jobs, thread })
    }
}

#[pymethods]
impl Isolated {
    /// Workers run `exe __worker`, each file within `timeout` seconds and each worker
    /// within `max_memory` bytes of address space: the CLI's `--timeout` and `--max-memory`
    /// (their bounds and the rest of its limits).
    #[new]
    fn new(exe: PathBuf, timeout: f64, max_memory: u64) -> PyResult<Self> {
        if !(timeout.is_finite() && timeout > 0.0 && timeout <= MAX_TIMEOUT_SECS) {
            return Err(PyValueError::new_err(format!(
                "timeout={timeout} is not a timeout: give seconds above 0, at most {MAX_TIMEOUT_SECS}"
            )));
        }
        let (least, most) = MEMORY_BOUNDS;
        if !(least..=most).contains(&max_memory) {
            return Err(PyValueError::new_err(format!(
                "max_memory={max_memory} is not a memory limit: give bytes from {least} (128 MiB) to {most} (1 TiB)"
            )));
        }
        let limits = WorkerLimits {
            timeout: Duration::from_secs_f64(timeout),
            max_memory,
            ..WorkerLimits::default()
        };
        Ok(Isolated {
            supervisor: Arc::new(Supervisor::new(exe, limits)),
            lanes: Mutex::new(Vec::new()),
            pid: std::process::id(),
        })
    }

    /// The record of `data` as a JSON string, from a worker.
    fn parse_bytes_json(
        &self,
        py: Python<'_>,
        data: PyBackedBytes,
        name: &str,
    ) -> PyResult<String> {
        let name = name.to_string();
        let result = py.detach(|| self.process(name, data));
        to_python(py, result)
    }

    /// The record of the file at `path` as a JSON string: the file is read here (a regular
    /// file of at most 256 MiB, as in process) and its bytes go to a worker.
    fn parse_path_json(&self, py: Python<'_>, path: PathBuf) -> PyResult<String> {
        let shown = path.display().to_string();
        let result = py.detach(|| {
            noticepipe::read_input(&path, noticepipe::MAX_FILE_BYTES)
                .and_then(|bytes| self.process(shown, bytes))
        });
        to_python(py, result)
    }
}

impl Isolated {
    /// Processes `bytes` in a worker through a lane; `path` names them.
    fn process(
        &self,
        path: String,
        bytes: impl AsRef<[u8]> + Send + 'static,
    ) -> Result<String, PipelineError> {
        let fail = |code, message: String| PipelineError {
            path: path.clone(),
            code,
            message,
        };
        if std::process::id() != self.pid {
            return Err(fail(
                ErrorCode::Io,
                "the worker processes belong to the process that started them, not to this forked child".into(),
            ));
        }
        let idle = self
            .lanes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let lane = match idle {
            Some(lane) => lane,
            None => Lane::start(Arc::clone(&self.supervisor)).map_err(|e| {
                fail(
                    ErrorCode::Io,
                    format!("cannot start a supervising thread: {e}"),
                )
            })?,
        };
        let (answer, answered) = mpsc::sync_channel(1);
        let shown = path.clone();
        let job: Job = Box::new(move |supervisor: &Supervisor| {
            let line = Forms {
                pretty: false,
                line: true,
            };
            let result = catch_unwind(AssertUnwindSafe(|| {
                supervisor.process(&shown, bytes.as_ref(), line)
            }))
            .unwrap_or_else(|payload| {
                Err(PipelineError {
                    path: shown.clone(),
                    code: ErrorCode::ExtractPanic,
                    message: format!(
                        "the supervisor panicked: {}",
                        docmodel::panic_message(&*payload)
                    ),
                })
            });
            let _ = answer.send(result.map(|processed| processed.line));
        });
        if lane.jobs.send(job).is_err() {
            return Err(fail(ErrorCode::Io, "the supervising thread is gone".into()));
        }
        let result = answered
            .recv()
            .map_err(|_| fail(ErrorCode::Io, "the supervising thread is gone".into()))?;
        self.lanes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(lane);
        result
    }
}

impl Drop for Isolated {
    fn drop(&mut self) {
        let lanes = std::mem::take(self.lanes.get_mut().unwrap_or_else(PoisonError::into_inner));
        if std::process::id() != self.pid {
            // A forked child's copy: the threads are not in this process and the workers
            // are the parent's (dropping the supervisor would kill them). Leave both.
            std::mem::forget(lanes);
            std::mem::forget(Arc::clone(&self.supervisor));
            return;
        }
        // Closing a lane's queue ends its thread; the supervisor, dropped after, stops the
        // idle workers.
        for Lane { jobs, thread } in lanes {
            drop(jobs);
            let _ = thread.join();
        }
    }
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    quiet_panics();
    module.add_function(wrap_pyfunction!(parse_bytes_json, module)?)?;
    module.add_function(wrap_pyfunction!(parse_path_json, module)?)?;
    module.add_class::<Isolated>()?;
    module.add("SCHEMA_VERSION", noticepipe::SCHEMA_VERSION)?;
    let limits = WorkerLimits::default();
    module.add("WORKER_TIMEOUT", limits.timeout.as_secs_f64())?;
    module.add("WORKER_MAX_MEMORY", limits.max_memory)?;
    module.add("WORKER_ARG", noticepipe_runner::worker::WORKER_ARG)?;
    Ok(())
}
