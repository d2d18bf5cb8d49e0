//! Batch conversion (`noticepipe convert`): many inputs, in parallel, resumable, one report
//! line per input. [`run`] takes [`BatchOptions`] and an [`Observer`]; it prints nothing
//! (the command line draws progress and error lines from the observer).
//!
//! - Inputs are files or directories (walked recursively; hidden entries and files whose
//!   extension no extractor owns (`Extractor::extensions`) are skipped and counted;
//!   FIFOs, devices and broken links are reported as errors). Files named on the command
//!   line are converted whatever their extension.
//! - `a/b/x.pdf` under an input root goes to `OUT/a/b/x.pdf.json`, written to a
//!   temporary file and renamed, so a record on disk is always whole.
//! - One run at a time writes into an output folder: it holds `OUT/.noticepipe.lock`
//!   (flock) and names its pid there; a second run is refused.
//! - An input is done when all its outputs are written: its record is staged, its JSON line
//!   (with `--jsonl`) written, and only then the record renamed into place. A record that
//!   exists with the same sha256, schema version and tool version is skipped unless
//!   `--force`.
//! - `OUT/report.jsonl` (or the `report` sink) gets one [`ReportLine`] per input, in
//!   completion order, written as each input finishes: the record's path, the input's
//!   sha256 and the warnings' codes, or the error, or why it was skipped (`up_to_date`,
//!   `interrupted`, `not_a_document` …). After Ctrl-C or SIGTERM the inputs not started are
//!   `skipped`. An up-to-date record is still streamed to the JSONL sink, so a re-run
//!   streams the same records.
//! - Records are written as they are made and then dropped: memory stays flat in the
//!   number of files.

use std::fs::File;
use std::io::{Seek, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use docmodel::ErrorCode;
use noticepipe_output::Record;
use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::worker::{Forms, Processed, RecordSummary, Runner, WorkerLimits};
use crate::{FollowLinks, MAX_FILE_BYTES, signals};

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

/// How extraction is isolated: supervised worker processes with these limits, or in the
/// calling process (no timeout, memory limit or crash protection; for debugging).
#[derive(Debug, Clone, Copy, Default)]
pub struct Isolation {
    /// The workers' limits (time, memory, count); unused in process.
    pub limits: WorkerLimits,
    /// Extract in the calling process instead of in workers.
    pub in_process: bool,
}

impl Isolation {
    /// The runner these settings ask for (see [`Runner::new`]).
    pub fn runner(&self) -> Runner {
        Runner::new(self.in_process, self.limits)
    }
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

/// Which files a folder walk picks up, besides the document extensions: glob patterns
/// (`**/2024/*.pdf`) matched against the path below the input folder. Files named as
/// inputs are always taken.
#[derive(Debug, Clone, Default)]
pub struct WalkFilter {
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

impl WalkFilter {
    /// A filter from `--include` and `--exclude` patterns; an empty list does not filter.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self, String> {
        fn set(patterns: &[String]) -> Result<Option<globset::GlobSet>, String> {
            if patterns.is_empty() {
                return Ok(None);
            }
            let mut builder = globset::GlobSetBuilder::new();
            for pattern in patterns {
                let glob = globset::GlobBuilder::new(pattern)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| format!("{pattern:?} is not a glob pattern: {e}"))?;
                builder.add(glob);
            }
            builder.build().map(Some).map_err(|e| e.to_string())
        }
        Ok(WalkFilter {
            include: set(include)?,
            exclude: set(exclude)?,
        })
    }

    /// Why a file at `rel` (relative to its input folder) is left out, if it is.
    fn rejects(&self, rel: &Path) -> Option<SkipReason> {
        if self.include.as_ref().is_some_and(|g| !g.is_match(rel)) {
            return Some(SkipReason::NotIncluded);
        }
        if self.exclude.as_ref().is_some_and(|g| g.is_match(rel)) {
            return Some(SkipReason::Excluded);
        }
        None
    }
}

/// Sees a run as it goes: the command line draws its progress bar and prints error lines
/// from here.
pub trait Observer: Sync {
    /// The walk is done: `inputs` report lines are to come (files to convert, and those the
    /// walk skipped or could not read).
    fn planned(&self, _inputs: usize) {}
    /// An input is finished (converted, failed or skipped): its report line.
    fn finished(&self, _line: &ReportLine) {}
}

/// An observer that sees nothing.
impl Observer for () {}

/// How a run went.
#[derive(Debug, Default)]
pub struct Summary {
    /// Inputs whose record was made (report status `ok`).
    pub converted: usize,
    /// Inputs not converted (report status `skipped`).
    pub skipped: usize,
    /// Failed inputs by error code.
    pub failed: std::collections::BTreeMap<ErrorCode, usize>,
    /// Wall-clock time of the whole run.
    pub elapsed: std::time::Duration,
    /// A signal stopped the run: the exit status it asks for (130 after Ctrl-C, 143 after
    /// SIGTERM).
    pub interrupted: Option<u8>,
    /// The reader of the JSONL stream went away; the files after it were skipped.
    pub output_closed: bool,
    /// Every report line and every JSONL record line was written (a full disk or a broken
    /// file makes this false; a reader that went away is `output_closed`).
    pub streams_whole: bool,
}

impl Summary {
    /// Failed inputs, all codes together.
    pub fn failed_total(&self) -> usize {
        self.failed.values().sum()
    }

    /// Counts a report line: every line passes here once, on its way to the report.
    fn count(&mut self, line: &ReportLine) {
        match (&line.status, &line.error) {
            (Status::Ok, _) => self.converted += 1,
            (Status::Skipped, _) => self.skipped += 1,
            (Status::Error, error) => {
                let code = error.as_ref().map_or(ErrorCode::Io, |e| e.code);
                *self.failed.entry(code).or_default() += 1;
            }
        }
    }
}

/// One file to convert and where its record goes (nowhere when only streaming).
#[derive(Debug, Clone)]
pub struct Job {
    /// The file to convert.
    pub input: PathBuf,
    /// The record file to write; None when records are only streamed.
    pub output: Option<PathBuf>,
}

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
    fn new(path: &Path, status: Status) -> Self {
        let raw = path.as_os_str().as_bytes();
        ReportLine {
            path: path.display().to_string(),
            path_bytes: std::str::from_utf8(raw).is_err().then(|| crate::hex(raw)),
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
    fn skipped(path: &Path, reason: SkipReason) -> Self {
        ReportLine {
            reason: Some(reason),
            ..ReportLine::new(path, Status::Skipped)
        }
    }
    fn ok(path: &Path, summary: RecordSummary) -> Self {
        ReportLine {
            warnings: summary.warning_codes.len(),
            warning_codes: summary.warning_codes,
            sha256: Some(summary.sha256),
            ..ReportLine::new(path, Status::Ok)
        }
    }
    fn error(path: &Path, code: ErrorCode, message: String) -> Self {
        ReportLine {
            error: Some(ReportError { code, message }),
            ..ReportLine::new(path, Status::Error)
        }
    }
    fn with_ms(mut self, started: Instant) -> Self {
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

/// What the walk found: jobs, and inputs skipped with the reason.
pub struct Plan {
    /// The files to convert, in walk order.
    pub jobs: Vec<Job>,
    /// Inputs not to convert, with the reason.
    pub skipped: Vec<(PathBuf, SkipReason)>,
    /// Inputs that fail before conversion, with the reason, reported as `io` errors: folders
    /// or entries that cannot be listed, FIFOs, devices and broken links found in a folder,
    /// and inputs whose record path another input already takes (the same relative name
    /// under two input roots; never overwritten).
    pub failed: Vec<(PathBuf, String)>,
}

/// Walks the inputs. Directory entries are visited in name order, so runs are repeatable.
/// An input that does not exist is an error naming it.
pub fn plan(inputs: &[PathBuf], out: Option<&Path>, filter: &WalkFilter) -> Result<Plan, String> {
    plan_without(inputs, out, filter, &[])
}

/// A file's identity: device and inode.
type FileId = (u64, u64);

fn file_id(meta: &std::fs::Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// [`plan`], with the files `own` names (the run's own outputs) skipped wherever they are
/// found, under any name or link.
fn plan_without(
    inputs: &[PathBuf],
    out: Option<&Path>,
    filter: &WalkFilter,
    own: &[FileId],
) -> Result<Plan, String> {
    let walker = Walker {
        out,
        filter,
        formats: crate::Pipeline::default(),
        own,
    };
    let mut plan = Plan {
        jobs: Vec::new(),
        skipped: Vec::new(),
        failed: Vec::new(),
    };
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| format!("{}: {e}", input.display()))?;
        if meta.is_dir() {
            walker.walk(input, input, &mut plan);
        } else if own.contains(&file_id(&meta)) {
            plan.skipped.push((input.clone(), SkipReason::RunOutput));
        } else {
            // Whatever it is: a FIFO or a device named here is refused when it is read.
            let name = input
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_else(|| input.clone());
            plan.jobs.push(Job {
                input: input.clone(),
                output: out.map(|o| record_path(o, &name)),
            });
        }
    }
    let mut taken: std::collections::HashMap<PathBuf, PathBuf> = std::collections::HashMap::new();
    let jobs = std::mem::take(&mut plan.jobs);
    for job in jobs {
        match job.output.as_ref().and_then(|o| taken.get(o)) {
            Some(first) => plan.failed.push((
                job.input,
                format!(
                    "its record would overwrite the record of {} (the same name under another input); convert them into separate folders",
                    first.display()
                ),
            )),
            None => {
                if let Some(output) = &job.output {
                    taken.insert(output.clone(), job.input.clone());
                }
                plan.jobs.push(job);
            }
        }
    }
    Ok(plan)
}

/// Walks `dir`. A folder that cannot be listed is recorded in `plan.failed` and the
/// walk goes on: one bad folder does not stop a batch. Every entry gets a place in the
/// plan, so every one gets a report line.
/// What a folder walk needs besides the folder: where records go (never walked into), the
/// include/exclude filter, and the extractors that say which extensions are documents.
struct Walker<'a> {
    out: Option<&'a Path>,
    filter: &'a WalkFilter,
    formats: crate::Pipeline,
    /// The run's own output files, never inputs.
    own: &'a [FileId],
}

impl Walker<'_> {
    fn walk(&self, root: &Path, dir: &Path, plan: &mut Plan) {
        let out = self.out;
        let listed =
            std::fs::read_dir(dir).and_then(|entries| entries.collect::<Result<Vec<_>, _>>());
        let mut entries = match listed {
            Ok(entries) => entries,
            Err(e) => {
                plan.failed
                    .push((dir.to_path_buf(), format!("cannot list the folder: {e}")));
                return;
            }
        };
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let hidden = entry.file_name().as_bytes().starts_with(b".");
            let kind = match entry.file_type() {
                Ok(kind) => kind,
                Err(e) => {
                    plan.failed
                        .push((path, format!("cannot read the entry: {e}")));
                    continue;
                }
            };
            // Never descend into the output directory when it sits inside an input (`out` is
            // canonical; directories are few, so canonicalizing them is cheap).
            if kind.is_dir() && out.is_some() && path.canonicalize().ok().as_deref() == out {
                continue;
            }
            if hidden {
                plan.skipped.push((path, SkipReason::Hidden));
            } else if kind.is_dir() {
                self.walk(root, &path, plan);
            } else if kind.is_symlink() {
                match std::fs::metadata(&path) {
                    Ok(target) if target.is_dir() => {
                        plan.skipped.push((path, SkipReason::LinkToFolder))
                    }
                    // A link to a file counts as that file; to a FIFO or device, it is refused
                    // when read.
                    Ok(_) => self.add_document(root, path, plan),
                    Err(e) => plan
                        .failed
                        .push((path, format!("a broken symbolic link: {e}"))),
                }
            } else if kind.is_file() {
                self.add_document(root, path, plan);
            } else {
                let what = crate::kind_name(kind);
                plan.failed
                    .push((path, format!("not a regular file ({what})")));
            }
        }
    }

    /// A file found by the walk: a job if its extension names a document, else skipped.
    fn add_document(&self, root: &Path, path: PathBuf, plan: &mut Plan) {
        let (out, filter) = (self.out, self.filter);
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        // One stat a file, and only when the run writes a stream into a file.
        let own = !self.own.is_empty()
            && std::fs::metadata(&path).is_ok_and(|m| self.own.contains(&file_id(&m)));
        if own {
            plan.skipped.push((path, SkipReason::RunOutput));
        } else if let Some(reason) = filter.rejects(&rel) {
            plan.skipped.push((path, reason));
        } else if ext.is_some_and(|e| self.formats.format_of_extension(&e).is_some()) {
            plan.jobs.push(Job {
                output: out.map(|o| record_path(o, &rel)),
                input: path,
            });
        } else {
            plan.skipped.push((path, SkipReason::NotADocument));
        }
    }
}

/// The longest file name Linux file systems take, in bytes.
const NAME_MAX: usize = 255;

/// `OUT/a/b/x.pdf` + ".json". A name that ".json" would push past [`NAME_MAX`] bytes is cut
/// to 233 bytes (at a character boundary) and given `~` and 16 hex digits of its sha256, so
/// that it stays unique and the resume check finds it again.
fn record_path(out: &Path, rel: &Path) -> PathBuf {
    let name = rel.file_name().unwrap_or(rel.as_os_str()).as_bytes();
    let mut record_name = name.to_vec();
    if name.len() + ".json".len() > NAME_MAX {
        let digest = crate::sha256_hex(name);
        let mut keep = NAME_MAX - ".json".len() - 1 - 16;
        if std::str::from_utf8(name).is_ok() {
            while std::str::from_utf8(&name[..keep]).is_err() {
                keep -= 1;
            }
        }
        record_name = name[..keep].to_vec();
        record_name.push(b'~');
        record_name.extend(&digest.as_bytes()[..16]);
    }
    record_name.extend(b".json");
    let record_name = std::ffi::OsStr::from_bytes(&record_name);
    match rel.parent() {
        Some(parent) => out.join(parent).join(record_name),
        None => out.join(record_name),
    }
}

/// A record is at most this big for the resume check (records are tens of KB; a larger
/// file at a record path is not ours and is converted over).
const MAX_RECORD_BYTES: u64 = 64 << 20;

/// `job`'s record, when it exists, is a regular file (never a link, a FIFO or a device),
/// and was made from `input` (its sha256) by this schema version.
fn up_to_date(job: &Job, input: &[u8]) -> Option<Record> {
    let output = job.output.as_ref()?;
    let existing = crate::read_regular_file(output, MAX_RECORD_BYTES, FollowLinks::No).ok()?;
    let record: Record = serde_json::from_slice(&existing).ok()?;
    (record.schema_version == noticepipe_output::SCHEMA_VERSION
        && record.source.sha256 == crate::sha256_hex(input))
    .then_some(record)
}

// ---------------------------------------------------------------------------------------
// The output folder: its lock, leftover temporaries, the version that made its records.

/// The lock file: flock'ed for the whole run (the kernel releases it however the run
/// ends), holding the pid of the run.
const LOCK_FILE: &str = ".noticepipe.lock";

/// Names the version that made the records in the folder.
const VERSION_FILE: &str = ".noticepipe-version";

/// The output folder of a run, locked for it.
struct OutputFolder {
    path: PathBuf,
    _lock: File,
}

impl OutputFolder {
    /// Creates and locks `out`; an error names the folder (and the pid of the run that
    /// holds it).
    fn open(out: &Path) -> Result<Self, String> {
        let shown = out.display();
        std::fs::create_dir_all(out)
            .map_err(|e| format!("cannot create the output folder {shown}: {e}"))?;
        let path = out
            .canonicalize()
            .map_err(|e| format!("cannot open the output folder {shown}: {e}"))?;
        let lock = lock_folder(&path).map_err(|e| format!("{shown}: {e}"))?;
        Ok(OutputFolder { path, _lock: lock })
    }

    /// Removes the temporary files a killed run left behind (ours only, by name; no other
    /// run can be writing them: we hold the lock). Links are not followed.
    fn remove_temporaries(&self) {
        fn sweep(dir: &Path) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() {
                    sweep(&entry.path());
                } else if noticepipe_output::is_temporary(&entry.file_name()) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        sweep(&self.path);
    }

    /// Whether the records here were made by this version of noticepipe: the version file
    /// says so, or the folder is new (no version file and no report).
    fn records_are_current(&self) -> bool {
        let stamp = self.path.join(VERSION_FILE);
        match crate::read_regular_file(&stamp, 4096, FollowLinks::No) {
            Ok(text) => text == made_by().as_bytes(),
            Err(_) => std::fs::symlink_metadata(self.path.join(REPORT_FILE)).is_err(),
        }
    }

    fn stamp_version(&self) -> Result<(), String> {
        let stamp = self.path.join(VERSION_FILE);
        noticepipe_output::write_atomic(&stamp, made_by().as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", stamp.display()))
    }
}

fn made_by() -> String {
    format!(
        "noticepipe {} (record schema {})\n",
        env!("CARGO_PKG_VERSION"),
        noticepipe_output::SCHEMA_VERSION
    )
}

/// Takes the folder's lock, or says which run holds it.
fn lock_folder(out: &Path) -> Result<File, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let path = out.join(LOCK_FILE);
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(libc::O_NOFOLLOW)
        .mode(0o644)
        .open(&path)
        .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = (&mut file).take(64).read_to_string(&mut holder);
            let holder = match holder.trim() {
                "" => "unknown".to_string(),
                pid => pid.to_string(),
            };
            return Err(format!(
                "the folder is in use by another noticepipe convert (pid {holder}); wait for it to end or choose another --out"
            ));
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(format!("cannot lock {}: {e}", path.display()));
        }
    }
    file.set_len(0)
        .and_then(|()| file.write_all(format!("{}\n", std::process::id()).as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(file)
}

// ---------------------------------------------------------------------------------------
// The streams written as the run goes: report.jsonl and the JSONL records.

const REPORT_FILE: &str = "report.jsonl";

/// Appends `bytes` to `file` (at `*len`) whole or not at all: after a failed write (a full
/// disk) the file is cut back to `*len`, so no torn line is left for the next to follow.
/// Files that cannot be cut (a pipe, a device) are left as they are.
fn append_whole(file: &mut File, len: &mut u64, bytes: &[u8]) -> std::io::Result<()> {
    match file.write_all(bytes) {
        Ok(()) => {
            *len += bytes.len() as u64;
            Ok(())
        }
        Err(e) => {
            if file.metadata().is_ok_and(|m| m.is_file()) {
                let _ = file.set_len(*len);
                let _ = file.seek(std::io::SeekFrom::Start(*len));
            }
            Err(e)
        }
    }
}

/// A stream of JSON lines written as the run goes (report lines, records): one write per
/// line, whole or not at all, so a run killed at any moment leaves every finished line
/// whole. A failed write is said once on stderr; later lines are still tried.
struct LineSink {
    /// The file's path, or "standard output", for messages.
    name: String,
    target: SinkTarget,
    len: u64,
    /// Set at the first line that could not be written.
    failed: bool,
}

enum SinkTarget {
    Stdout,
    File(File),
}

/// Space reserved for each line of the report at the start of the run, so that the report
/// can still be written when the records have filled the disk.
const REPORT_BYTES_PER_LINE: u64 = 512;

impl LineSink {
    fn open(spec: &SinkSpec) -> Result<LineSink, String> {
        Ok(match spec {
            SinkSpec::Stdout => LineSink::new("standard output".into(), SinkTarget::Stdout),
            SinkSpec::File(path) => {
                let file = File::create(path)
                    .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
                LineSink::new(path.display().to_string(), SinkTarget::File(file))
            }
        })
    }

    fn new(name: String, target: SinkTarget) -> Self {
        LineSink {
            name,
            target,
            len: 0,
            failed: false,
        }
    }

    /// A new, empty report.jsonl in `out`, replacing the last run's: created under a
    /// temporary name (exclusively, never through a link) and renamed at once. Space for
    /// `lines` lines is reserved past its end (fallocate KEEP_SIZE; where the file system
    /// cannot, nothing is reserved).
    fn report_in(out: &Path, lines: usize) -> Result<LineSink, String> {
        let path = out.join(REPORT_FILE);
        let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        let file = noticepipe_output::temporary_file_in(out)
            .map_err(fail)?
            .persist(&path)
            .map_err(|e| fail(e.error))?;
        let reserve = (lines as u64).saturating_mul(REPORT_BYTES_PER_LINE);
        if reserve > 0 {
            use std::os::fd::AsRawFd;
            // SAFETY: fallocate on an open descriptor; failure only means no reservation.
            unsafe {
                libc::fallocate(
                    file.as_raw_fd(),
                    libc::FALLOC_FL_KEEP_SIZE,
                    0,
                    reserve as libc::off_t,
                );
            }
        }
        Ok(LineSink::new(
            path.display().to_string(),
            SinkTarget::File(file),
        ))
    }

    fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        let result = match &mut self.target {
            SinkTarget::Stdout => {
                let mut stdout = std::io::stdout().lock();
                stdout.write_all(line).and_then(|()| stdout.flush())
            }
            SinkTarget::File(file) => append_whole(file, &mut self.len, line),
        };
        if let Err(e) = &result
            && e.kind() != std::io::ErrorKind::BrokenPipe
            && !self.failed
        {
            eprintln!("error: cannot write {}: {e}", self.name);
            self.failed = true;
        }
        result
    }

    /// Gives back the space reserved past the end; whether every line was written.
    fn finish(self) -> bool {
        if let SinkTarget::File(file) = &self.target {
            let _ = file.set_len(self.len);
        }
        !self.failed
    }
}

// ---------------------------------------------------------------------------------------
// The run.

/// What every file's conversion shares.
struct Run {
    runner: Runner,
    jsonl: Option<Mutex<LineSink>>,
    /// `--force`, or records made by another version of noticepipe: convert every input.
    redo_all: bool,
    /// Records made by another version: an input that fails loses its old record too.
    stale_records: bool,
    /// The reader of `--jsonl -` (or of a JSONL pipe) went away: stop like Ctrl-C.
    output_closed: AtomicBool,
}

/// Converts the inputs, writing records, report lines and JSONL as it goes; `observer`
/// sees every report line. An `Err` is a usage error that stopped the run before it
/// started (an input that does not exist, an output folder in use), naming the path.
///
/// Ctrl-C and SIGTERM are honoured once [`signals::install`] has been called (the command
/// line does): no new file starts, and the rest are skipped.
pub fn run(options: &BatchOptions, observer: &dyn Observer) -> Result<Summary, String> {
    let started = Instant::now();
    let folder = options.out.as_deref().map(OutputFolder::open).transpose()?;
    if options.report.is_some() && options.report == options.jsonl {
        return Err("--report and --jsonl cannot share one stream".into());
    }
    let jsonl = options.jsonl.as_ref().map(LineSink::open).transpose()?;
    let mut records_current = true;
    if let Some(folder) = &folder {
        folder.remove_temporaries();
        records_current = folder.records_are_current();
        if records_current {
            folder.stamp_version()?;
        }
    }
    let out = folder.as_ref().map(|f| f.path.as_path());
    // The run's own streams are never its inputs: the JSONL file (open, so its inode is
    // known) and the report file when it exists already (created again, it keeps its
    // inode; one that does not exist yet cannot be walked).
    let mut own: Vec<FileId> = Vec::new();
    if let Some(LineSink {
        target: SinkTarget::File(file),
        ..
    }) = &jsonl
        && let Ok(meta) = file.metadata()
    {
        own.push(file_id(&meta));
    }
    if let Some(SinkSpec::File(path)) = &options.report
        && let Ok(meta) = std::fs::metadata(path)
    {
        own.push(file_id(&meta));
    }
    let plan = plan_without(&options.inputs, out, &options.filter, &own)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| format!("cannot start the threads: {e}"))?;
    let lines = plan.jobs.len() + plan.skipped.len() + plan.failed.len();
    let report = match (&options.report, out) {
        (Some(spec), _) => Some(LineSink::open(spec)?),
        (None, Some(out)) => Some(LineSink::report_in(out, lines)?),
        (None, None) => None,
    }
    .map(Mutex::new);
    let summary = Mutex::new(Summary::default());
    // Every line is counted, written and shown here, once.
    let write_report = |line: ReportLine| {
        summary.lock().expect("summary lock").count(&line);
        if let Some(report) = &report {
            let mut text = serde_json::to_vec(&line).expect("a report line serializes");
            text.push(b'\n');
            let _ = report.lock().expect("report lock").append(&text);
        }
        observer.finished(&line);
    };
    observer.planned(lines);
    for (path, reason) in &plan.skipped {
        write_report(ReportLine::skipped(path, *reason));
    }
    for (path, why) in &plan.failed {
        write_report(ReportLine::error(path, ErrorCode::Io, why.clone()));
    }

    let run = Run {
        runner: options.isolation.runner(),
        jsonl: jsonl.map(Mutex::new),
        redo_all: options.force || !records_current,
        stale_records: !records_current,
        output_closed: AtomicBool::new(false),
    };
    pool.install(|| {
        plan.jobs.par_iter().for_each(|job| {
            // After Ctrl-C, SIGTERM or a closed output no new file starts; it is skipped.
            let line = if signals::stop_requested() {
                ReportLine::skipped(&job.input, SkipReason::Interrupted)
            } else if run.output_closed.load(Ordering::SeqCst) {
                ReportLine::skipped(&job.input, SkipReason::OutputClosed)
            } else {
                convert_one(&run, job)
            };
            write_report(line);
        });
    });
    drop(run.runner);
    let report_whole = report.is_none_or(|r| r.into_inner().expect("lock").finish());
    let jsonl_whole = run
        .jsonl
        .is_none_or(|j| j.into_inner().expect("lock").finish());
    let mut summary = summary.into_inner().expect("lock");
    summary.interrupted = signals::exit_status();
    summary.output_closed = run.output_closed.load(Ordering::SeqCst);
    summary.streams_whole = report_whole && jsonl_whole;
    if let Some(folder) = &folder
        && !records_current
        && summary.interrupted.is_none()
        && !summary.output_closed
    {
        // Every input of this run was converted by this version: its records are current.
        folder.stamp_version()?;
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Converts one input and writes its outputs. Its report line says what happened.
fn convert_one(run: &Run, job: &Job) -> ReportLine {
    let started = Instant::now();
    let line = convert_job(run, job);
    line.with_ms(started)
}

fn convert_job(run: &Run, job: &Job) -> ReportLine {
    let input = job.input.as_path();
    let io_error = |message: String| ReportLine::error(input, ErrorCode::Io, message);
    let record_path = || job.output.as_ref().map(|o| o.display().to_string());
    // Read here, once: for the resume check and for the worker.
    let bytes = match crate::read_input(input, MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) => return ReportLine::error(input, e.code, e.message),
    };
    if !run.redo_all
        && let Some(existing) = up_to_date(job, &bytes)
    {
        // The record is kept; a JSONL stream still gets it, so a re-run streams the same.
        if let Some(jsonl) = &run.jsonl
            && let Err(line) = stream(
                run,
                jsonl,
                noticepipe_output::to_json_line(&existing).as_bytes(),
                input,
            )
        {
            return *line;
        }
        let summary = RecordSummary::of(&existing);
        return ReportLine {
            record: record_path(),
            sha256: Some(summary.sha256),
            warnings: summary.warning_codes.len(),
            warning_codes: summary.warning_codes,
            ..ReportLine::skipped(input, SkipReason::UpToDate)
        };
    }
    let forms = Forms {
        pretty: job.output.is_some(),
        line: run.jsonl.is_some(),
    };
    let shown = input.display().to_string();
    let processed: Processed = match run.runner.process_bytes(&shown, &bytes, forms) {
        Ok(processed) => processed,
        // A second Ctrl-C stopped the worker: the file is not done, and not at fault.
        Err(_) if signals::stop_at_once() => {
            return ReportLine::skipped(input, SkipReason::Interrupted);
        }
        Err(e) => {
            if run.stale_records
                && let Some(output) = &job.output
            {
                let _ = std::fs::remove_file(output);
            }
            return ReportLine {
                sha256: Some(crate::sha256_hex(&bytes)),
                ..ReportLine::error(input, e.code, e.message)
            };
        }
    };
    // An input is done when all its outputs are written: the record is staged, the JSON
    // line written, and only then the record renamed into place, so that the next run
    // never skips an input whose line is missing.
    let staged = match &job.output {
        Some(output) => match noticepipe_output::stage(output, processed.pretty.as_bytes()) {
            Ok(staged) => Some(staged),
            Err(e) => return io_error(format!("cannot write {}: {e}", output.display())),
        },
        None => None,
    };
    if let Some(jsonl) = &run.jsonl
        && let Err(line) = stream(run, jsonl, processed.line.as_bytes(), input)
    {
        return *line;
    }
    if let (Some(staged), Some(output)) = (staged, &job.output)
        && let Err(e) = staged.commit()
    {
        return io_error(format!("cannot write {}: {e}", output.display()));
    }
    ReportLine {
        record: record_path(),
        ..ReportLine::ok(input, processed.summary)
    }
}

/// Writes a record's JSON line; a closed reader stops the run like Ctrl-C. An `Err` is the
/// input's report line when the line could not be written.
fn stream(
    run: &Run,
    jsonl: &Mutex<LineSink>,
    line: &[u8],
    input: &Path,
) -> Result<(), Box<ReportLine>> {
    let mut jsonl = jsonl.lock().expect("jsonl lock");
    match jsonl.append(line) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            run.output_closed.store(true, Ordering::SeqCst);
            Err(Box::new(ReportLine::skipped(
                input,
                SkipReason::OutputClosed,
            )))
        }
        Err(e) => Err(Box::new(ReportLine::error(
            input,
            ErrorCode::Io,
            format!("cannot write {}: {e}", jsonl.name),
        ))),
    }
}
