//! `noticepipe convert`: the library's batch run, with a progress bar, error lines and the
//! summary on stderr, and the exit status.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use noticepipe_runner::batch::{
    BatchOptions, Observer, ReportLine, SinkSpec, Status, Summary, WalkFilter,
};

use crate::args::{ConvertArgs, Verbosity};
use crate::escape::say;

pub fn run(args: &ConvertArgs, verbosity: Verbosity) -> ExitCode {
    noticepipe_runner::signals::install();
    let result = options(args).and_then(|options| {
        let observer = Progress::new(verbosity);
        let summary = noticepipe_runner::batch::run(&options, &observer)?;
        observer.bar.finish_and_clear();
        Ok(summary)
    });
    match result {
        Ok(summary) => {
            if !verbosity.quiet {
                say!("{}", summary_line(&summary));
            }
            match summary.interrupted {
                Some(status) => ExitCode::from(status),
                None if summary.failed_total() > 0 || !summary.streams_whole => ExitCode::from(1),
                None => ExitCode::SUCCESS,
            }
        }
        Err(message) => {
            say!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn options(args: &ConvertArgs) -> Result<BatchOptions, String> {
    let mut inputs = args.inputs.clone();
    if let Some(list) = &args.files_from {
        inputs.extend(read_list(list)?);
    }
    Ok(BatchOptions {
        inputs,
        out: args.out.clone(),
        jobs: args.jobs.map(usize::from),
        jsonl: args.jsonl.as_deref().map(SinkSpec::parse),
        report: args.report.as_deref().map(SinkSpec::parse),
        force: args.force,
        filter: WalkFilter::new(&args.include, &args.exclude)?,
        isolation: args.isolation.isolation(),
    })
}

/// The paths listed in `--files-from FILE`, one per line; "-" reads standard input.
fn read_list(list: &PathBuf) -> Result<Vec<PathBuf>, String> {
    let reader: Box<dyn BufRead> = if list.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(list)
            .map_err(|e| format!("cannot read --files-from {}: {e}", list.display()))?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut paths = Vec::new();
    for line in reader.split(b'\n') {
        let line = line.map_err(|e| format!("cannot read --files-from {}: {e}", list.display()))?;
        let line = line.strip_suffix(b"\r").unwrap_or(&line);
        if !line.is_empty() {
            use std::os::unix::ffi::OsStrExt;
            paths.push(PathBuf::from(std::ffi::OsStr::from_bytes(line)));
        }
    }
    Ok(paths)
}

/// The progress bar (on a terminal) and the per-file lines on stderr: errors by default,
/// every file with `-v`, nothing with `-q`.
struct Progress {
    bar: ProgressBar,
    verbosity: Verbosity,
    failed: std::sync::atomic::AtomicUsize,
}

impl Progress {
    fn new(verbosity: Verbosity) -> Self {
        let bar = if verbosity.quiet || !std::io::stderr().is_terminal() {
            ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden())
        } else {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} files, {per_sec}, {msg} [{elapsed_precise}]",
                )
                .expect("valid template"),
            );
            bar.set_message("0 failed");
            bar
        };
        Progress {
            bar,
            verbosity,
            failed: Default::default(),
        }
    }
}

impl Observer for Progress {
    fn planned(&self, inputs: usize) {
        self.bar.set_length(inputs as u64);
    }

    fn finished(&self, line: &ReportLine) {
        use std::sync::atomic::Ordering;
        let text = match (&line.status, &line.error, line.reason) {
            (Status::Error, Some(e), _) => {
                let failed = self.failed.fetch_add(1, Ordering::Relaxed) + 1;
                self.bar.set_message(format!("{failed} failed"));
                (!self.verbosity.quiet)
                    .then(|| format!("error[{}]: {}: {}", e.code, line.path, e.message))
            }
            (Status::Skipped, _, Some(reason)) if self.verbosity.verbose => {
                let reason = serde_json::to_value(reason).expect("a reason serializes");
                Some(format!(
                    "skipped: {}: {}",
                    line.path,
                    reason.as_str().unwrap_or("")
                ))
            }
            (Status::Ok, _, _) if self.verbosity.verbose => Some(format!(
                "ok: {}{}",
                line.path,
                match line.warnings {
                    0 => String::new(),
                    n => format!(" ({n} warnings)"),
                }
            )),
            _ => None,
        };
        if let Some(text) = text {
            self.bar.suspend(|| say!("{text}"));
        }
        self.bar.inc(1);
    }
}

fn summary_line(summary: &Summary) -> String {
    let failed_total = summary.failed_total();
    let elapsed = summary.elapsed.as_secs_f64();
    let by_code: Vec<String> = summary
        .failed
        .iter()
        .map(|(code, n)| format!("{code}: {n}"))
        .collect();
    format!(
        "converted {}, skipped {}, failed {failed_total}{}; {elapsed:.2} s, {:.1} files/s{}{}",
        summary.converted,
        summary.skipped,
        if by_code.is_empty() {
            String::new()
        } else {
            format!(" ({})", by_code.join(", "))
        },
        (summary.converted + failed_total) as f64 / elapsed.max(1e-9),
        if summary.interrupted.is_some() {
            "; interrupted"
        } else {
            ""
        },
        if summary.output_closed {
            "; the output was closed"
        } else {
            ""
        },
    )
}
