//! `noticepipe convert`: many inputs, in parallel, resumable, one report line per input.
//!
//! - Inputs are files or directories (walked recursively; hidden entries and files that
//!   are not .txt/.docx/.pdf/.html/.htm/.shtml/.xhtml/.mht/.mhtml are skipped and counted). Files named on the command line
//!   are converted whatever their extension.
//! - `a/b/x.pdf` under an input root goes to `OUT/a/b/x.pdf.json`, written to a
//!   temporary name and renamed, so a record on disk is always whole.
//! - An input whose record exists with the same sha256 is skipped unless `--force`.
//! - `OUT/report.jsonl` gets one line per input, in completion order; after Ctrl-C the
//!   inputs not started are `skipped`.
//! - Records are written as they are made and then dropped: memory stays flat in the
//!   number of files.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use docmodel::ErrorCode;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use crate::PipelineError;
use crate::worker::{Forms, Processed, Runner, WorkerLimits};

#[derive(clap::Args, Debug, Clone)]
pub struct ConvertArgs {
    /// Files or directories to convert.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Directory for the records and report.jsonl (optional with --jsonl: then records are
    /// only streamed, and there is no report and no resume).
    #[arg(long, required_unless_present = "jsonl")]
    pub out: Option<PathBuf>,
    /// Files converted at once (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
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
    /// Wall-clock limit for one file, in seconds (`timeout` past it).
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Memory limit of one extraction worker, in MiB (`too_large` past it).
    #[arg(long, value_name = "MIB", default_value_t = 2048)]
    pub max_memory: u64,
    /// Extract in this process instead of in worker processes: no timeout, memory limit or
    /// crash protection (for debugging and profiling).
    #[arg(long)]
    pub in_process: bool,
}

impl IsolationArgs {
    pub fn runner(&self) -> Runner {
        let limits = WorkerLimits {
            timeout: std::time::Duration::from_secs_f64(self.timeout.max(0.001)),
            max_memory: self.max_memory.saturating_mul(1 << 20),
        };
        Runner::new(self.in_process, limits)
    }
}

/// Extensions of the documents a directory walk picks up.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    "txt", "docx", "pdf", "html", "htm", "shtml", "xhtml", "mht", "mhtml",
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
    pub path: String,
    pub status: Status,
    pub error: Option<ReportError>,
    pub warnings: usize,
    pub ms: u64,
}

impl ReportLine {
    fn skipped(path: &Path, ms: u64) -> Self {
        ReportLine {
            path: path.display().to_string(),
            status: Status::Skipped,
            error: None,
            warnings: 0,
            ms,
        }
    }
    fn ok(path: &Path, warnings: usize, ms: u64) -> Self {
        ReportLine {
            path: path.display().to_string(),
            status: Status::Ok,
            error: None,
            warnings,
            ms,
        }
    }
    fn error(path: &Path, code: ErrorCode, message: String, ms: u64) -> Self {
        ReportLine {
            path: path.display().to_string(),
            status: Status::Error,
            error: Some(ReportError { code, message }),
            warnings: 0,
            ms,
        }
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
    /// or entries that cannot be listed, and inputs whose record path another input already
    /// takes (the same relative name under two input roots; never overwritten).
    pub failed: Vec<(PathBuf, String)>,
}

/// Walks the inputs. Directory entries are visited in name order, so runs are repeatable.
pub fn plan(inputs: &[PathBuf], out: Option<&Path>) -> std::io::Result<Plan> {
    let mut plan = Plan {
        jobs: Vec::new(),
        skipped: Vec::new(),
        failed: Vec::new(),
    };
    for input in inputs {
        let meta = std::fs::metadata(input)?;
        if meta.is_dir() {
            walk(input, input, out, &mut plan)?;
        } else {
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
/// walk goes on: one bad folder does not stop a batch.
fn walk(root: &Path, dir: &Path, out: Option<&Path>, plan: &mut Plan) -> std::io::Result<()> {
    let listed = std::fs::read_dir(dir).and_then(|entries| entries.collect::<Result<Vec<_>, _>>());
    let mut entries = match listed {
        Ok(entries) => entries,
        Err(e) => {
            plan.failed
                .push((dir.to_path_buf(), format!("cannot list the folder: {e}")));
            return Ok(());
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
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
            walk(root, &path, out, plan)?;
        } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
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
    }
    Ok(())
}

/// `OUT/a/b/x.pdf` + ".json".
fn record_path(out: &Path, rel: &Path) -> PathBuf {
    let mut name = rel.as_os_str().to_owned();
    name.push(".json");
    out.join(name)
}

/// Whether `job`'s record exists and was made from the same bytes.
fn up_to_date(job: &Job) -> bool {
    let Some(Ok(existing)) = job.output.as_ref().map(std::fs::read) else {
        return false;
    };
    let Ok(record) = serde_json::from_slice::<serde_json::Value>(&existing) else {
        return false;
    };
    let Some(recorded) = record.pointer("/source/sha256").and_then(|v| v.as_str()) else {
        return false;
    };
    std::fs::read(&job.input).is_ok_and(|bytes| crate::sha256_hex(&bytes) == recorded)
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
}

pub fn run(args: &ConvertArgs) -> ExitCode {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_inner(args: &ConvertArgs) -> std::io::Result<ExitCode> {
    let started = Instant::now();
    let out = match &args.out {
        Some(out) => {
            std::fs::create_dir_all(out)?;
            Some(out.canonicalize()?)
        }
        None => None,
    };
    let plan = plan(&args.inputs, out.as_deref())?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(std::io::Error::other)?;
    // The report is written under a temporary name and renamed when the run ends.
    let report_paths = out
        .as_ref()
        .map(|o| (o.join("report.jsonl"), o.join(".report.jsonl.tmp")));
    let report = match &report_paths {
        Some((_, tmp)) => Some(Mutex::new(std::io::BufWriter::new(std::fs::File::create(
            tmp,
        )?))),
        None => None,
    };
    let jsonl: Option<Mutex<Box<dyn Write + Send>>> = match args.jsonl.as_deref() {
        None => None,
        Some("-") => Some(Mutex::new(Box::new(std::io::BufWriter::new(
            std::io::stdout(),
        )))),
        Some(file) => Some(Mutex::new(Box::new(std::io::BufWriter::new(
            std::fs::File::create(file)?,
        )))),
    };
    let tally = Tally::default();
    // Every line is counted and written here, once.
    let write_report = |line: ReportLine| {
        tally.count(&line);
        let Some(report) = &report else { return Ok(()) };
        let mut text = serde_json::to_string(&line).expect("a report line serializes");
        text.push('\n');
        report
            .lock()
            .expect("report lock")
            .write_all(text.as_bytes())
    };
    for (path, _why) in &plan.skipped {
        write_report(ReportLine::skipped(path, 0))?;
    }
    for (path, why) in &plan.failed {
        write_report(ReportLine::error(path, ErrorCode::Io, why.clone(), 0))?;
    }

    let bar = progress_bar(plan.jobs.len() as u64);
    let interrupted = interrupt_flag();
    let runner = args.isolation.runner();
    let failures = AtomicUsize::new(0);
    let io_error: Mutex<Option<std::io::Error>> = Mutex::new(None);
    pool.install(|| {
        plan.jobs.par_iter().for_each(|job| {
            // After Ctrl-C no new file starts; it is reported as skipped.
            let line = if interrupted.load(Ordering::Relaxed) {
                ReportLine::skipped(&job.input, 0)
            } else {
                convert_one(&runner, job, args.force, jsonl.as_ref())
            };
            if line.status == Status::Error {
                failures.fetch_add(1, Ordering::Relaxed);
                bar.set_message(format!("{} failed", failures.load(Ordering::Relaxed)));
            }
            if let Err(e) = write_report(line) {
                io_error.lock().expect("lock").get_or_insert(e);
            }
            bar.inc(1);
        });
    });
    bar.finish_and_clear();
    if let Some(e) = io_error.into_inner().expect("lock") {
        return Err(e);
    }
    if let Some(jsonl) = jsonl {
        jsonl.into_inner().expect("lock").flush()?;
    }
    if let (Some(report), Some((path, tmp))) = (report, &report_paths) {
        report
            .into_inner()
            .expect("lock")
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()?;
        std::fs::rename(tmp, path)?;
    }

    let converted = tally.converted.load(Ordering::Relaxed);
    let skipped = tally.skipped.load(Ordering::Relaxed);
    let failed = tally.failed.into_inner().expect("lock");
    let failed_total: usize = failed.values().sum();
    let elapsed = started.elapsed().as_secs_f64();
    let by_code: Vec<String> = failed
        .iter()
        .map(|(code, n)| format!("{code}: {n}"))
        .collect();
    eprintln!(
        "converted {converted}, skipped {skipped}, failed {failed_total}{}; {elapsed:.2} s, {:.1} files/s{}",
        if by_code.is_empty() {
            String::new()
        } else {
            format!(" ({})", by_code.join(", "))
        },
        (converted + failed_total) as f64 / elapsed.max(1e-9),
        if interrupted.load(Ordering::Relaxed) {
            "; interrupted"
        } else {
            ""
        },
    );
    Ok(if interrupted.load(Ordering::Relaxed) {
        ExitCode::from(130)
    } else if failed_total > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn convert_one(
    runner: &Runner,
    job: &Job,
    force: bool,
    jsonl: Option<&Mutex<Box<dyn Write + Send>>>,
) -> ReportLine {
    let started = Instant::now();
    let ms = || started.elapsed().as_millis() as u64;
    if !force && up_to_date(job) {
        return ReportLine::skipped(&job.input, ms());
    }
    let io_error = |message: String| PipelineError {
        path: job.input.display().to_string(),
        code: ErrorCode::Io,
        message,
    };
    let forms = Forms {
        pretty: job.output.is_some(),
        line: jsonl.is_some(),
    };
    let result = runner
        .process(&job.input, forms)
        .and_then(|processed: Processed| {
            if let Some(output) = &job.output {
                noticepipe_output::write_atomic(output, processed.pretty.as_bytes())
                    .map_err(|e| io_error(format!("cannot write {}: {e}", output.display())))?;
            }
            if let Some(jsonl) = jsonl {
                jsonl
                    .lock()
                    .expect("jsonl lock")
                    .write_all(processed.line.as_bytes())
                    .map_err(|e| io_error(format!("cannot write the JSONL stream: {e}")))?;
            }
            Ok(processed.warnings)
        });
    match result {
        Ok(warnings) => ReportLine::ok(&job.input, warnings, ms()),
        Err(e) => ReportLine::error(&job.input, e.code, e.message, ms()),
    }
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

/// Set on Ctrl-C: no new file starts; those under way finish and are written whole.
fn interrupt_flag() -> &'static AtomicBool {
    static FLAG: AtomicBool = AtomicBool::new(false);
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| FLAG.store(true, Ordering::SeqCst));
    });
    &FLAG
}
