//! `noticepipe convert`: many inputs, in parallel, resumable, one report line per input.
//!
//! - Inputs are files or directories (walked recursively; hidden entries and files that
//!   are not .txt/.docx/.pdf/.html/.htm/.shtml/.xhtml/.mht/.mhtml/.ofd/.doc/.wps are skipped and counted;
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
//! - `OUT/report.jsonl` gets one line per input, in completion order, written as each
//!   input finishes; after Ctrl-C or SIGTERM the inputs not started are `skipped`.
//! - Records are written as they are made and then dropped: memory stays flat in the
//!   number of files.

use std::fs::File;
use std::io::{IsTerminal, Seek, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use docmodel::ErrorCode;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use crate::worker::{Forms, Processed, Runner, WorkerLimits};
use crate::{FollowLinks, MAX_FILE_BYTES, signals};

#[derive(clap::Args, Debug, Clone)]
pub struct ConvertArgs {
    /// Files or directories to convert.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Directory for the records and report.jsonl (optional with --jsonl: then records are
    /// only streamed, and there is no report and no resume).
    #[arg(long, required_unless_present = "jsonl")]
    pub out: Option<PathBuf>,
    /// Files converted at once, 1 to 1024 (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub jobs: Option<u16>,
    /// Also write every record as one JSON line to FILE ("-" for standard output).
    #[arg(long, value_name = "FILE|-")]
    pub jsonl: Option<String>,
    /// Convert inputs again even when their record is up to date.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub isolation: IsolationArgs,
}

/// How extraction is isolated; shared by `parse` and `convert`.
#[derive(clap::Args, Debug, Clone)]
pub struct IsolationArgs {
    /// Wall-clock limit for one file, in seconds, above 0 and at most 86400 (`timeout`
    /// past it).
    #[arg(long, value_name = "SECS", default_value_t = 30.0, value_parser = parse_timeout)]
    pub timeout: f64,
    /// Memory limit of one extraction worker, in MiB, 128 to 1048576 (`too_large` past it).
    #[arg(long, value_name = "MIB", default_value_t = 2048,
          value_parser = clap::value_parser!(u64).range(128..=1_048_576))]
    pub max_memory: u64,
    /// Extract in this process instead of in worker processes: no timeout, memory limit or
    /// crash protection (for debugging and profiling).
    #[arg(long)]
    pub in_process: bool,
    /// Do not OCR: scanned PDF pages and page images are `no_text_layer`.
    #[arg(long, conflicts_with = "ocr")]
    pub no_ocr: bool,
    /// When to OCR: `auto` (page images, and PDF pages without text that draw an image) or
    /// `always` (also PDF pages with a text layer that draw an image: for garbage text).
    #[arg(long, value_name = "auto|always", value_parser = ["auto", "always"])]
    pub ocr: Option<String>,
}

/// The longest `--timeout`: a day. Longer is a mistake, and `inf` or 1e19 do not fit a
/// `Duration`.
const MAX_TIMEOUT_SECS: f64 = 86_400.0;

fn parse_timeout(text: &str) -> Result<f64, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if secs.is_finite() && secs > 0.0 && secs <= MAX_TIMEOUT_SECS {
        Ok(secs)
    } else {
        Err(format!(
            "{text} is not a timeout: give seconds above 0, at most {MAX_TIMEOUT_SECS}"
        ))
    }
}

impl IsolationArgs {
    pub fn runner(&self) -> Runner {
        let limits = WorkerLimits {
            timeout: std::time::Duration::from_secs_f64(self.timeout),
            max_memory: self.max_memory << 20,
            ocr: self.ocr_mode(),
            ..WorkerLimits::default()
        };
        Runner::new(self.in_process, limits)
    }

    /// The OCR mode the flags ask for.
    pub fn ocr_mode(&self) -> extract_ocr::OcrMode {
        match (self.no_ocr, self.ocr.as_deref()) {
            (true, _) => extract_ocr::OcrMode::Off,
            (_, Some("always")) => extract_ocr::OcrMode::Always,
            _ => extract_ocr::OcrMode::Auto,
        }
    }
}

/// Extensions of the documents a directory walk picks up.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    "txt", "docx", "pdf", "html", "htm", "shtml", "xhtml", "mht", "mhtml", "ofd", "doc", "wps",
    "png", "jpg", "jpeg", "tif", "tiff",
];

/// One file to convert and where its record goes (nowhere when only streaming).
#[derive(Debug, Clone)]
pub struct Job {
    pub input: PathBuf,
    pub output: Option<PathBuf>,
}

/// One line of report.jsonl.
#[derive(Debug, Serialize)]
pub struct ReportLine {
    /// The input's path (invalid UTF-8 replaced by U+FFFD).
    pub path: String,
    /// The path's bytes in hex, only when they are not UTF-8 (so that `a\xff.txt` and
    /// `a\xfe.txt`, both shown as `a�.txt`, stay apart).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<String>,
    pub status: Status,
    pub error: Option<ReportError>,
    pub warnings: usize,
    pub ms: u64,
}

impl ReportLine {
    fn new(
        path: &Path,
        status: Status,
        error: Option<ReportError>,
        warnings: usize,
        ms: u64,
    ) -> Self {
        let raw = path.as_os_str().as_bytes();
        ReportLine {
            path: path.display().to_string(),
            path_bytes: std::str::from_utf8(raw).is_err().then(|| crate::hex(raw)),
            status,
            error,
            warnings,
            ms,
        }
    }
    fn skipped(path: &Path, ms: u64) -> Self {
        ReportLine::new(path, Status::Skipped, None, 0, ms)
    }
    fn ok(path: &Path, warnings: usize, ms: u64) -> Self {
        ReportLine::new(path, Status::Ok, None, warnings, ms)
    }
    fn error(path: &Path, code: ErrorCode, message: String, ms: u64) -> Self {
        let error = Some(ReportError { code, message });
        ReportLine::new(path, Status::Error, error, 0, ms)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Error,
    Skipped,
}

#[derive(Debug, Serialize)]
pub struct ReportError {
    pub code: ErrorCode,
    pub message: String,
}

/// What the walk found: jobs, and inputs skipped with the reason.
pub struct Plan {
    pub jobs: Vec<Job>,
    pub skipped: Vec<(PathBuf, &'static str)>,
    /// Inputs that fail before conversion, with the reason, reported as `io` errors: folders
    /// or entries that cannot be listed, FIFOs, devices and broken links found in a folder,
    /// and inputs whose record path another input already takes (the same relative name
    /// under two input roots; never overwritten).
    pub failed: Vec<(PathBuf, String)>,
}

/// Walks the inputs. Directory entries are visited in name order, so runs are repeatable.
/// An input that does not exist is an error naming it.
pub fn plan(inputs: &[PathBuf], out: Option<&Path>) -> Result<Plan, String> {
    let mut plan = Plan {
        jobs: Vec::new(),
        skipped: Vec::new(),
        failed: Vec::new(),
    };
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| format!("{}: {e}", input.display()))?;
        if meta.is_dir() {
            walk(input, input, out, &mut plan);
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
fn walk(root: &Path, dir: &Path, out: Option<&Path>, plan: &mut Plan) {
    let listed = std::fs::read_dir(dir).and_then(|entries| entries.collect::<Result<Vec<_>, _>>());
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
            plan.skipped.push((path, "hidden"));
        } else if kind.is_dir() {
            walk(root, &path, out, plan);
        } else if kind.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(target) if target.is_dir() => plan
                    .skipped
                    .push((path, "a link to a folder (not followed)")),
                // A link to a file counts as that file; to a FIFO or device, it is refused
                // when read.
                Ok(_) => add_document(root, path, out, plan),
                Err(e) => plan
                    .failed
                    .push((path, format!("a broken symbolic link: {e}"))),
            }
        } else if kind.is_file() {
            add_document(root, path, out, plan);
        } else {
            let what = crate::kind_name(kind);
            plan.failed
                .push((path, format!("not a regular file ({what})")));
        }
    }
}

/// A file found by the walk: a job if its extension names a document, else skipped.
fn add_document(root: &Path, path: PathBuf, out: Option<&Path>, plan: &mut Plan) {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if ext.is_some_and(|e| DOCUMENT_EXTENSIONS.contains(&e.as_str())) {
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        plan.jobs.push(Job {
            output: out.map(|o| record_path(o, &rel)),
            input: path,
        });
    } else {
        plan.skipped.push((path, "not a document"));
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

/// Whether `job`'s record exists, is a regular file (never a link, a FIFO or a device),
/// and was made from `input` (its sha256) by this schema version.
fn up_to_date(job: &Job, input: &[u8]) -> bool {
    let Some(output) = &job.output else {
        return false;
    };
    let Ok(existing) = crate::read_regular_file(output, MAX_RECORD_BYTES, FollowLinks::No) else {
        return false;
    };
    let Ok(record) = serde_json::from_slice::<serde_json::Value>(&existing) else {
        return false;
    };
    let schema = record.get("schema_version").and_then(|v| v.as_str());
    let recorded = record.pointer("/source/sha256").and_then(|v| v.as_str());
    schema == Some(noticepipe_output::SCHEMA_VERSION)
        && recorded.is_some_and(|sha| sha == crate::sha256_hex(input))
}

/// Counters for the summary.
#[derive(Default)]
struct Tally {
    converted: AtomicUsize,
    skipped: AtomicUsize,
    failed: Mutex<std::collections::BTreeMap<ErrorCode, usize>>,
}

impl Tally {
    /// Counts a report line: every line passes here once, on its way to the report.
    fn count(&self, line: &ReportLine) {
        match (&line.status, &line.error) {
            (Status::Ok, _) => {
                self.converted.fetch_add(1, Ordering::Relaxed);
            }
            (Status::Skipped, _) => {
                self.skipped.fetch_add(1, Ordering::Relaxed);
            }
            (Status::Error, error) => {
                let code = error.as_ref().map_or(ErrorCode::Io, |e| e.code);
                *self.failed.lock().expect("lock").entry(code).or_default() += 1;
            }
        }
    }

    fn failed_total(&self) -> usize {
        self.failed.lock().expect("lock").values().sum()
    }
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

/// report.jsonl, written as the run goes: one write per line as its input finishes, so a
/// run killed at any moment leaves every finished line whole on disk.
struct Report {
    path: PathBuf,
    file: File,
    len: u64,
    /// Set at the first line that could not be written (said once on stderr).
    failed: bool,
}

/// Space reserved for each line of the report at the start of the run, so that the report
/// can still be written when the records have filled the disk.
const REPORT_BYTES_PER_LINE: u64 = 512;

impl Report {
    /// A new, empty report.jsonl in `out`, replacing the last run's: created under a
    /// temporary name (exclusively, never through a link) and renamed at once. Space for
    /// `lines` lines is reserved past its end (fallocate KEEP_SIZE; where the file system
    /// cannot, nothing is reserved).
    fn create(out: &Path, lines: usize) -> Result<Report, String> {
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
        Ok(Report {
            path,
            file,
            len: 0,
            failed: false,
        })
    }

    fn append(&mut self, line: &ReportLine) {
        let mut text = serde_json::to_vec(line).expect("a report line serializes");
        text.push(b'\n');
        if let Err(e) = append_whole(&mut self.file, &mut self.len, &text) {
            if !self.failed {
                eprintln!("error: cannot write {}: {e}", self.path.display());
            }
            self.failed = true;
        }
    }

    /// Gives back the space reserved past the end.
    fn finish(self) -> bool {
        let _ = self.file.set_len(self.len);
        !self.failed
    }
}

/// Where `--jsonl` goes. Each record's line is written with one write whole or not at all.
struct Jsonl {
    /// The file's path, or "standard output", for messages.
    name: String,
    target: JsonlTarget,
    len: u64,
}

enum JsonlTarget {
    Stdout,
    File(File),
}

impl Jsonl {
    fn open(spec: &str) -> Result<Jsonl, String> {
        let target = match spec {
            "-" => JsonlTarget::Stdout,
            file => JsonlTarget::File(
                File::create(file).map_err(|e| format!("cannot create {file}: {e}"))?,
            ),
        };
        let name = match spec {
            "-" => "standard output".to_string(),
            file => file.to_string(),
        };
        Ok(Jsonl {
            name,
            target,
            len: 0,
        })
    }

    fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        match &mut self.target {
            JsonlTarget::Stdout => {
                let mut stdout = std::io::stdout().lock();
                stdout.write_all(line).and_then(|()| stdout.flush())
            }
            JsonlTarget::File(file) => append_whole(file, &mut self.len, line),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The run.

/// What every file's conversion shares.
struct Run {
    runner: Runner,
    jsonl: Option<Mutex<Jsonl>>,
    /// `--force`, or records made by another version of noticepipe: convert every input.
    redo_all: bool,
    /// Records made by another version: an input that fails loses its old record too.
    stale_records: bool,
    /// The reader of `--jsonl -` (or of a JSONL pipe) went away: stop like Ctrl-C.
    output_closed: AtomicBool,
}

pub fn run(args: &ConvertArgs) -> ExitCode {
    signals::install();
    match run_inner(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The run; an `Err` is a usage error (exit status 2) and names the path it is about.
fn run_inner(args: &ConvertArgs) -> Result<ExitCode, String> {
    let started = Instant::now();
    let folder = args.out.as_deref().map(OutputFolder::open).transpose()?;
    let jsonl = args.jsonl.as_deref().map(Jsonl::open).transpose()?;
    let mut records_current = true;
    if let Some(folder) = &folder {
        folder.remove_temporaries();
        records_current = folder.records_are_current();
        if records_current {
            folder.stamp_version()?;
        }
    }
    let out = folder.as_ref().map(|f| f.path.as_path());
    let plan = plan(&args.inputs, out)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, usize::from))
        .build()
        .map_err(|e| format!("cannot start the threads: {e}"))?;
    let lines = plan.jobs.len() + plan.skipped.len() + plan.failed.len();
    let report = out
        .map(|out| Report::create(out, lines))
        .transpose()?
        .map(Mutex::new);
    let tally = Tally::default();
    // Every line is counted and written here, once.
    let write_report = |line: ReportLine| {
        tally.count(&line);
        if let Some(report) = &report {
            report.lock().expect("report lock").append(&line);
        }
    };
    for (path, _why) in &plan.skipped {
        write_report(ReportLine::skipped(path, 0));
    }
    for (path, why) in &plan.failed {
        write_report(ReportLine::error(path, ErrorCode::Io, why.clone(), 0));
    }

    let run = Run {
        runner: args.isolation.runner(),
        jsonl: jsonl.map(Mutex::new),
        redo_all: args.force || !records_current,
        stale_records: !records_current,
        output_closed: AtomicBool::new(false),
    };
    let bar = progress_bar(plan.jobs.len() as u64);
    pool.install(|| {
        plan.jobs.par_iter().for_each(|job| {
            // After Ctrl-C, SIGTERM or a closed output no new file starts; it is skipped.
            let line = if signals::stop_requested() || run.output_closed.load(Ordering::SeqCst) {
                ReportLine::skipped(&job.input, 0)
            } else {
                convert_one(&run, job)
            };
            if line.status == Status::Error {
                bar.set_message(format!("{} failed", tally.failed_total() + 1));
            }
            write_report(line);
            bar.inc(1);
        });
    });
    bar.finish_and_clear();
    drop(run.runner);
    let report_whole = report.is_none_or(|r| r.into_inner().expect("lock").finish());
    let stopped = signals::exit_status();
    let output_closed = run.output_closed.load(Ordering::SeqCst);
    if let Some(folder) = &folder
        && !records_current
        && stopped.is_none()
        && !output_closed
    {
        // Every input of this run was converted by this version: its records are current.
        folder.stamp_version()?;
    }
    print_summary(&tally, started, stopped.is_some(), output_closed);
    let failed = tally.failed_total() > 0 || !report_whole;
    Ok(match stopped {
        Some(status) => ExitCode::from(status),
        None if failed => ExitCode::from(1),
        None => ExitCode::SUCCESS,
    })
}

fn print_summary(tally: &Tally, started: Instant, stopped: bool, output_closed: bool) {
    let converted = tally.converted.load(Ordering::Relaxed);
    let skipped = tally.skipped.load(Ordering::Relaxed);
    let failed = tally.failed.lock().expect("lock");
    let failed_total: usize = failed.values().sum();
    let elapsed = started.elapsed().as_secs_f64();
    let by_code: Vec<String> = failed
        .iter()
        .map(|(code, n)| format!("{code}: {n}"))
        .collect();
    eprintln!(
        "converted {converted}, skipped {skipped}, failed {failed_total}{}; {elapsed:.2} s, {:.1} files/s{}{}",
        if by_code.is_empty() {
            String::new()
        } else {
            format!(" ({})", by_code.join(", "))
        },
        (converted + failed_total) as f64 / elapsed.max(1e-9),
        if stopped { "; interrupted" } else { "" },
        if output_closed {
            "; the output was closed"
        } else {
            ""
        },
    );
}

/// Converts one input and writes its outputs. Its report line says what happened.
fn convert_one(run: &Run, job: &Job) -> ReportLine {
    let started = Instant::now();
    let ms = || started.elapsed().as_millis() as u64;
    let io_error = |message: String| ReportLine::error(&job.input, ErrorCode::Io, message, ms());
    // Read here, once: for the resume check and for the worker.
    let bytes = match crate::read_input(&job.input, MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) => return ReportLine::error(&job.input, e.code, e.message, ms()),
    };
    if !run.redo_all && up_to_date(job, &bytes) {
        return ReportLine::skipped(&job.input, ms());
    }
    let forms = Forms {
        pretty: job.output.is_some(),
        line: run.jsonl.is_some(),
    };
    let shown = job.input.display().to_string();
    let processed: Processed = match run.runner.process_bytes(&shown, &bytes, forms) {
        Ok(processed) => processed,
        // A second Ctrl-C stopped the worker: the file is not done, and not at fault.
        Err(_) if signals::stop_at_once() => return ReportLine::skipped(&job.input, ms()),
        Err(e) => {
            if run.stale_records
                && let Some(output) = &job.output
            {
                let _ = std::fs::remove_file(output);
            }
            return ReportLine::error(&job.input, e.code, e.message, ms());
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
    if let Some(jsonl) = &run.jsonl {
        let mut jsonl = jsonl.lock().expect("jsonl lock");
        match jsonl.append(processed.line.as_bytes()) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                run.output_closed.store(true, Ordering::SeqCst);
                return ReportLine::skipped(&job.input, ms());
            }
            Err(e) => return io_error(format!("cannot write {}: {e}", jsonl.name)),
        }
    }
    if let (Some(staged), Some(output)) = (staged, &job.output)
        && let Err(e) = staged.commit()
    {
        return io_error(format!("cannot write {}: {e}", output.display()));
    }
    ReportLine::ok(&job.input, processed.warnings, ms())
}

fn progress_bar(total: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} files, {per_sec}, {msg} [{elapsed_precise}]",
        )
        .expect("valid template"),
    );
    bar.set_message("0 failed");
    bar
}
