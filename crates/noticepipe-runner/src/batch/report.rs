//! The report: one line per input (`report.jsonl`), its JSON Schema, and the reasons and
//! errors it names.

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::Instant;

use noticepipe::ErrorCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::worker::RecordSummary;

/// One line of the report: what became of one input. Its JSON Schema is
/// `schema/report-line.schema.json` ([`report_line_schema`]).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ReportLine {
    /// The input's path (invalid UTF-8 replaced by U+FFFD).
    pub path: String,
    /// The path's bytes in hex when they are not UTF-8 (so that `a\xff.txt` and
    /// `a\xfe.txt`, both shown as `a�.txt`, stay apart); null for a UTF-8 path.
    #[schemars(regex(pattern = r"^([0-9a-f]{2})+$"))]
    pub path_bytes: Option<String>,
    /// `ok`: the record was made; `error`: it could not be; `skipped`: not tried, see `reason`.
    pub status: Status,
    /// Why a `skipped` input was not converted; null otherwise.
    pub reason: Option<SkipReason>,
    /// Why an `error` input has no record; null otherwise.
    pub error: Option<ReportError>,
    /// The record file of the input (written now, or kept when up to date); null when there
    /// is none or records are only streamed.
    pub record: Option<String>,
    /// SHA-256 of the input's bytes, lower-case hex; null when they were not read.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub sha256: Option<String>,
    /// How many warnings the record has.
    pub warnings: usize,
    /// The codes of the record's warnings, in the record's order.
    pub warning_codes: Vec<noticepipe_output::WarningCode>,
    /// Milliseconds spent on the input.
    pub ms: u64,
}

/// Why an input was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Its record exists, made from the same bytes by this schema and tool version.
    UpToDate,
    /// Ctrl-C or SIGTERM came before it was done.
    Interrupted,
    /// The reader of the JSONL stream went away.
    OutputClosed,
    /// Found in a folder, with an extension that names no document format.
    NotADocument,
    /// A hidden file or folder (its name starts with a dot).
    Hidden,
    /// A symbolic link to a folder (links to folders are not followed).
    LinkToFolder,
    /// Found in a folder, and no `--include` pattern matches it.
    NotIncluded,
    /// Found in a folder, and an `--exclude` pattern matches it.
    Excluded,
    /// The run's own `--jsonl` or `--report` file, found in an input folder (the same
    /// device and inode): never read as an input.
    RunOutput,
}

impl ReportLine {
    pub(super) fn new(path: &Path, status: Status) -> Self {
        let raw = path.as_os_str().as_bytes();
        ReportLine {
            path: path.display().to_string(),
            path_bytes: std::str::from_utf8(raw)
                .is_err()
                .then(|| noticepipe::hex(raw)),
            status,
            reason: None,
            error: None,
            record: None,
            sha256: None,
            warnings: 0,
            warning_codes: Vec::new(),
            ms: 0,
        }
    }
    pub(super) fn skipped(path: &Path, reason: SkipReason) -> Self {
        ReportLine {
            reason: Some(reason),
            ..ReportLine::new(path, Status::Skipped)
        }
    }
    pub(super) fn ok(path: &Path, summary: RecordSummary) -> Self {
        ReportLine {
            warnings: summary.warning_codes.len(),
            warning_codes: summary.warning_codes,
            sha256: Some(summary.sha256),
            ..ReportLine::new(path, Status::Ok)
        }
    }
    pub(super) fn error(path: &Path, code: ErrorCode, message: String) -> Self {
        ReportLine {
            error: Some(ReportError { code, message }),
            ..ReportLine::new(path, Status::Error)
        }
    }
    pub(super) fn with_ms(mut self, started: Instant) -> Self {
        self.ms = started.elapsed().as_millis() as u64;
        self
    }
}

/// The JSON Schema of a report line (`noticepipe schema --report`).
pub fn report_line_schema() -> serde_json::Value {
    noticepipe_output::strict_schema(
        schemars::schema_for!(ReportLine),
        "https://noticepipe.invalid/schema/report-line.schema.json",
    )
}

/// What became of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The record was made.
    Ok,
    /// It could not be made; the line's `error` says why.
    Error,
    /// Not tried; the line's `reason` says why.
    Skipped,
}

/// The error of an input that has no record.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ReportError {
    /// The typed error code (guide: docs/src/warnings-and-errors.md).
    pub code: ErrorCode,
    /// The reason, in words.
    pub message: String,
}
