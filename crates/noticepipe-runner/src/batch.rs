//! Batch conversion (`noticepipe convert`): many inputs, in parallel, resumable, one report
//! line per input. [`run`] takes [`BatchOptions`] and an [`Observer`]; it prints nothing
//! (the command line draws progress and error lines from the observer).
//!//!
//! One job a file: [`options`](BatchOptions) in; the walk with its globs ([`plan`]); the
//! resume check; the output folder's lock; the report lines and their schema
//! ([`ReportLine`]); the streams they and the JSONL records go to; and the run loop here.
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

mod folder;
mod options;
mod report;
mod resume;
mod sink;
mod walk;

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use noticepipe::{ErrorCode, MAX_FILE_BYTES};
use rayon::prelude::*;

pub use options::{BatchOptions, SinkSpec};
pub use report::{ReportError, ReportLine, SkipReason, Status, report_line_schema};
pub use walk::{Job, Plan, WalkFilter, plan};

use crate::signals;
use crate::worker::{Forms, Processed, RecordSummary, Runner};
use folder::OutputFolder;
use resume::up_to_date;
use sink::{LineSink, SinkTarget};
use walk::{FileId, file_id, plan_without};

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
///
/// Long because it is a run's order, written once: the output folder and streams, the plan,
/// the lines of what is skipped or failed, the jobs on the pool, then the streams closed and
/// the summary.
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
    let bytes = match noticepipe::read_input(input, MAX_FILE_BYTES) {
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
                sha256: Some(noticepipe::sha256_hex(&bytes)),
                ..ReportLine::error(input, e.code, e.message)
            };
        }
    };
    // An input is done when all its outputs are written: the record is staged, the JSON
    // line written, and only then the record renamed into place, so that the next run
    // never skips an input whose line is missing.
    let staged = match &job.output {
        Some(output) => match crate::write::stage(output, processed.pretty.as_bytes()) {
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
