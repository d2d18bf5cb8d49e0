//! What a batch run is asked to do: inputs, output folder, streams, and how files are
//! isolated.

use std::path::PathBuf;

use super::WalkFilter;
use crate::worker::Isolation;

/// What a batch run is asked to do; the command line's `convert` fills it in.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Files or folders to convert (folders are walked).
    pub inputs: Vec<PathBuf>,
    /// Folder for the records and (unless `report` says otherwise) report.jsonl; `None`
    /// when records are only streamed.
    pub out: Option<PathBuf>,
    /// Files converted at once (`None`: all cores).
    pub jobs: Option<usize>,
    /// Every record as one JSON line to this sink.
    pub jsonl: Option<SinkSpec>,
    /// Where report lines go; `None` is `OUT/report.jsonl` when there is an output folder,
    /// else nowhere.
    pub report: Option<SinkSpec>,
    /// Convert inputs again even when their record is up to date.
    pub force: bool,
    /// Which files a folder walk picks up.
    pub filter: WalkFilter,
    /// Worker isolation and its limits.
    pub isolation: Isolation,
}

/// A file or standard output, for a stream of JSON lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkSpec {
    /// Standard output.
    Stdout,
    /// The file at this path.
    File(PathBuf),
}

impl SinkSpec {
    /// `-` is standard output, anything else a file.
    pub fn parse(text: &str) -> SinkSpec {
        match text {
            "-" => SinkSpec::Stdout,
            file => SinkSpec::File(PathBuf::from(file)),
        }
    }
}
