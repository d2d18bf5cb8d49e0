//! The `noticepipe` command line: a thin layer over the library. Argument parsing, the
//! progress bar, error lines and exit statuses live here; the library has none of them.

mod args;
mod convert;
mod escape;
mod serve;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use args::IsolationArgs;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use escape::say;

/// mimalloc for the CLI, its workers and the service (one binary): see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "noticepipe",
    about = "Turn Chinese government notices (TXT, DOCX, DOC/WPS, PDF, OFD, web pages) into normalized JSON records"
)]
struct Cli {
    #[command(flatten)]
    verbosity: args::Verbosity,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the record of one file ("-" reads standard input).
    Parse {
        file: PathBuf,
        /// `json`: pretty JSON; `jsonl`: the record on one line.
        #[arg(long, value_enum, default_value_t = RecordForm::Json)]
        format: RecordForm,
        #[command(flatten)]
        isolation: IsolationArgs,
    },
    /// Say what each file is, as the pipeline sees it: one JSON line per file with its
    /// format (from the bytes), encoding, page count, size and document properties.
    Detect {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        isolation: IsolationArgs,
    },
    /// Convert files and directories into one JSON record per document.
    Convert(args::ConvertArgs),
    /// Write the tables people open — items.csv, units.csv, quantities.csv (UTF-8 with BOM),
    /// items.xlsx and progress.xlsx (the quarterly progress form, a sheet per notice) —
    /// from records or straight from notices. The files of one notice (same record id: its
    /// DOCX, PDF, web page) give one row set naming them all.
    Export {
        /// Record files (.json, .jsonl), notices, or folders of either or both (each file
        /// read for what it is).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The folder the five tables are written to.
        #[arg(long)]
        out: PathBuf,
        /// Keep each file's rows even when files hold the same notice.
        #[arg(long)]
        keep_duplicates: bool,
        #[command(flatten)]
        isolation: IsolationArgs,
    },
    /// Write one self-contained HTML page about the notices (in Chinese): notices per year
    /// and issuer, items per category, units ranked by canonical name, projects that recur
    /// across years with their amounts charted, and every warning linked to its file.
    Report {
        /// Record files, folders of records (as `convert --out` writes them), or notices.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The page to write (whole or not at all), e.g. report.html.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        isolation: IsolationArgs,
    },
    /// Serve /v1/parse, /v1/export, /healthz, /openapi.json and a page for people at /
    /// over HTTP (127.0.0.1:8080 unless --listen says otherwise).
    Serve(args::ServeArgs),
    /// Print the JSON Schema of the record (or, with --report, of a report line).
    Schema {
        /// The schema of `convert`'s report lines instead of the record's.
        #[arg(long)]
        report: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `noticepipe man > noticepipe.1`.
    Man,
    /// Serve extraction requests on stdin (started by `convert` and `parse`).
    #[command(name = "__worker", hide = true)]
    Worker,
}

/// How `parse` prints the record.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RecordForm {
    Json,
    Jsonl,
}

/// mimalloc's `mi_option_purge_delay` (mimalloc.h, v3, the version libmimalloc-sys builds):
/// the Rust bindings do not name it. serve_soak's burst test fails if it is wrong.
pub(crate) const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory waits before mimalloc gives it back, for every command but
/// `serve`: a batch frees and allocates all the time, and memory given back and asked for
/// again is zeroed by the kernel page by page (mimalloc's 10 ms made that 5 % of a TXT run).
const BATCH_PURGE_DELAY_MS: std::ffi::c_long = 1000;

fn main() -> ExitCode {
    // SAFETY: sets one mimalloc option; any value is valid.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, BATCH_PURGE_DELAY_MS) };
    // `--version` names the record schema too: consumers pin to it.
    let version = format!(
        "{} (record schema {})",
        env!("CARGO_PKG_VERSION"),
        noticepipe::SCHEMA_VERSION
    );
    let version: &'static str = Box::leak(version.into_boxed_str());
    let matches = Cli::command().version(version).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match cli.command {
        Command::Parse {
            file,
            format,
            isolation,
        } => parse(&file, format, &isolation),
        Command::Detect { files, isolation } => detect(&files, &isolation),
        Command::Convert(args) => convert::run(&args, cli.verbosity),
        Command::Export {
            inputs,
            out,
            keep_duplicates,
            isolation,
        } => export(&inputs, &out, keep_duplicates, &isolation),
        Command::Report {
            inputs,
            out,
            isolation,
        } => report(&inputs, &out, &isolation),
        Command::Serve(args) => serve::run(&args),
        Command::Worker => match noticepipe_runner::worker::serve() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                say!("worker: {e}");
                ExitCode::from(3)
            }
        },
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "noticepipe", &mut out);
            print_out(&String::from_utf8_lossy(&out))
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => print_out(&String::from_utf8_lossy(&out)),
                Err(e) => {
                    say!("error: cannot render the manual page: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Schema { report } => {
            let schema = if report {
                noticepipe_runner::batch::report_line_schema()
            } else {
                noticepipe_output::record_schema()
            };
            let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
            text.push('\n');
            print_out(&text)
        }
    }
}

/// `parse FILE`: the record on stdout, or `error[CODE]: FILE: reason` and exit status 1.
fn parse(file: &Path, form: RecordForm, isolation: &IsolationArgs) -> ExitCode {
    let forms = noticepipe_runner::worker::Forms {
        pretty: form == RecordForm::Json,
        line: form == RecordForm::Jsonl,
    };
    let runner = isolation.runner();
    let result = if file == Path::new("-") {
        read_stdin().and_then(|bytes| runner.process_bytes("-", &bytes, forms))
    } else {
        runner.process(file, forms)
    };
    match result {
        Ok(processed) if form == RecordForm::Json => print_out(&processed.pretty),
        Ok(processed) => print_out(&processed.line), // a JSON line ends with its newline
        Err(e) => {
            say!("{e}");
            ExitCode::from(1)
        }
    }
}

/// `detect`: each file's `source` as its record would have it (format, encoding, pages,
/// bytes, metadata), one JSON line each; a file that cannot be read is an error line on
/// stderr and exit status 1.
fn detect(files: &[PathBuf], isolation: &IsolationArgs) -> ExitCode {
    let runner = isolation.runner();
    let forms = noticepipe_runner::worker::Forms {
        pretty: false,
        line: true,
    };
    let mut failed = false;
    let mut out = String::new();
    for file in files {
        match runner.process(file, forms) {
            Ok(processed) => {
                let record: serde_json::Value =
                    serde_json::from_str(&processed.line).expect("a record is JSON");
                let mut source = record["source"].clone();
                source.as_object_mut().map(|o| o.remove("sha256"));
                out.push_str(&source.to_string());
                out.push('\n');
            }
            Err(e) => {
                say!("{e}");
                failed = true;
            }
        }
    }
    match print_out(&out) {
        code if failed && code == ExitCode::SUCCESS => ExitCode::from(1),
        code => code,
    }
}

/// `export`: gathers the records, writes the tables, names every input that failed
/// (`error[CODE]: PATH: reason`); exit status 1 when any did (the tables still written),
/// and when the inputs gave no record at all (no tables written).
fn export(
    inputs: &[PathBuf],
    out: &Path,
    keep_duplicates: bool,
    isolation: &IsolationArgs,
) -> ExitCode {
    let (records, errors) = noticepipe_runner::export::gather(inputs, &isolation.runner());
    for e in &errors {
        say!("{e}");
    }
    if records.is_empty() {
        say!(
            "nothing to export: no notice or record was read from {} (failed {})",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            errors.len()
        );
        return ExitCode::from(1);
    }
    let notices = noticepipe_output::by_notice(&records, keep_duplicates);
    match noticepipe_runner::export::write_tables(&notices, out) {
        Ok(written) => {
            let items: usize = notices.iter().map(|n| n.record.notice.items.len()).sum();
            say!(
                "exported {} notices ({} files), {items} items, to {}; failed {}",
                notices.len(),
                records.len(),
                written
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                errors.len()
            );
            if errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            say!("{e}");
            ExitCode::from(1)
        }
    }
}

/// `report`: gathers the records as `export` does, writes the page (whole or not at all)
/// and names every input that failed; exit status 1 when any did (the page still written)
/// or when nothing could be read (no page written).
fn report(inputs: &[PathBuf], out: &Path, isolation: &IsolationArgs) -> ExitCode {
    let (records, errors) = noticepipe_runner::export::gather(inputs, &isolation.runner());
    for e in &errors {
        say!("{e}");
    }
    if records.is_empty() {
        say!(
            "error: no records or notices could be read from the inputs; {} not written",
            out.display()
        );
        return ExitCode::from(1);
    }
    // Links to the files, relative to the page's folder: the page and an archive move
    // together. A record's path is as it was given, relative to where it was converted,
    // taken here as the current folder.
    let absolute = |p: &Path| std::fs::canonicalize(p).or_else(|_| std::path::absolute(p));
    let page_dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let page_dir = absolute(page_dir).ok();
    let href = |path: &str| match (&page_dir, absolute(Path::new(path))) {
        (Some(dir), Ok(file)) => noticepipe_report::relative_href(&file, dir),
        _ => noticepipe_report::path_href(path),
    };
    let page = noticepipe_report::render(
        &records,
        &noticepipe_report::ReportOptions {
            href: Some(&href),
            ..Default::default()
        },
    );
    if let Err(e) = noticepipe_runner::write::write_atomic(out, page.as_bytes()) {
        say!("error[io]: {}: {e}", out.display());
        return ExitCode::from(1);
    }
    let ids: std::collections::HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    say!(
        "reported {} notices ({} files) to {}; failed {}",
        ids.len(),
        records.len(),
        out.display(),
        errors.len()
    );
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Standard input, read here (the worker's own stdin is its request pipe), up to the file
/// limit.
fn read_stdin() -> Result<Vec<u8>, noticepipe::PipelineError> {
    use std::io::Read;
    let limit = noticepipe::MAX_FILE_BYTES;
    let fail = |code, message: String| noticepipe::PipelineError {
        path: "-".into(),
        code,
        message,
    };
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(noticepipe::ErrorCode::Io, e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(fail(
            noticepipe::ErrorCode::TooLarge,
            format!("standard input is beyond the file limit of {limit} bytes"),
        ));
    }
    Ok(bytes)
}

/// Prints `text` on stdout. A reader that went away (`| head`) ends the command quietly,
/// as ripgrep does; another write error is said, with exit status 1.
fn print_out(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            say!("error: cannot write to standard output: {e}");
            ExitCode::from(1)
        }
    }
}
