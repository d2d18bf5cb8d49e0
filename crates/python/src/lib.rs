//! `noticepipe._native`: the pipeline called from Python. The package around it
//! (`python/noticepipe/__init__.py`) turns the record's JSON into a dict and defines
//! `NoticeError`, which the functions here raise for every typed error.
//!
//! Parsing runs in the calling process with the GIL released, so threads of one Python
//! process parse in parallel. A panic is caught here and becomes `NoticeError` with code
//! `extract_panic`: PyO3 would raise `PanicException`, which `except Exception` misses.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use docmodel::ErrorCode;
use noticepipe::{PipelineError, Record};
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
fn guarded(
    path: &str,
    parse: impl FnOnce() -> Result<Record, PipelineError>,
) -> Result<String, PipelineError> {
    catch_unwind(AssertUnwindSafe(|| {
        parse().map(|record| noticepipe_output::to_json_line(&record))
    }))
    .unwrap_or_else(|payload| {
        Err(PipelineError {
            path: path.to_string(),
            code: ErrorCode::ExtractPanic,
            message: format!("panicked: {}", docmodel::panic_message(&*payload)),
        })
    })
}

/// The record's JSON, or `noticepipe.NoticeError(code, path, message)` raised.
fn to_python(py: Python<'_>, result: Result<String, PipelineError>) -> PyResult<String> {
    result.or_else(|e| {
        let class = py.import("noticepipe")?.getattr("NoticeError")?;
        let error = class.call1((e.code.to_string(), e.path, e.message))?;
        Err(PyErr::from_value(error))
    })
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(parse_bytes_json, module)?)?;
    module.add_function(wrap_pyfunction!(parse_path_json, module)?)?;
    module.add("SCHEMA_VERSION", noticepipe::SCHEMA_VERSION)?;
    Ok(())
}
