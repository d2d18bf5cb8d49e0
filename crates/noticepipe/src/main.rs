//! The `noticepipe` command line: a thin layer over the library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "noticepipe",
    version,
    about = "Turn Chinese government notices (TXT, DOCX, PDF) into normalized JSON records"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the record of one file as pretty JSON ("-" reads standard input).
    Parse {
        file: PathBuf,
        #[command(flatten)]
        isolation: noticepipe::batch::IsolationArgs,
    },
    /// Convert files and directories into one JSON record per document.
    Convert(noticepipe::batch::ConvertArgs),
    /// Write the tables people open — items.csv, units.csv (UTF-8 with BOM), items.xlsx and
    /// progress.xlsx (the quarterly progress form, a sheet per notice) — from records
    /// (.json, .jsonl, folders of records) or straight from notices.
    Export {
        /// Record files, folders of records (as `convert --out` writes them), or notices.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The folder the four tables are written to.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        isolation: noticepipe::batch::IsolationArgs,
    },
    /// Print the JSON Schema of the record.
    Schema,
    /// Serve extraction requests on stdin (started by `convert` and `parse`).
    #[command(name = "__worker", hide = true)]
    Worker,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse { file, isolation } => parse(&file, &isolation),
        Command::Convert(args) => noticepipe::batch::run(&args),
        Command::Export {
            inputs,
            out,
            isolation,
        } => export(&inputs, &out, &isolation),
        Command::Worker => match noticepipe::worker::serve() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("worker: {e}");
                ExitCode::from(3)
            }
        },
        Command::Schema => {
            let schema = noticepipe_output::record_schema();
            let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
            text.push('\n');
            print_out(&text)
        }
    }
}

/// `parse FILE`: the record on stdout, or `error[CODE]: FILE: reason` and exit status 1.
fn parse(file: &Path, isolation: &noticepipe::batch::IsolationArgs) -> ExitCode {
    let forms = noticepipe::worker::Forms {
        pretty: true,
        line: false,
    };
    let runner = isolation.runner();
    let result = if file == Path::new("-") {
        read_stdin().and_then(|bytes| runner.process_bytes("-", &bytes, forms))
    } else {
        runner.process(file, forms)
    };
    match result {
        Ok(processed) => print_out(&processed.pretty),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

/// `export`: gathers the records, writes the tables, names every input that failed
/// (`error[CODE]: PATH: reason`); exit status 1 when any did, the tables still written.
fn export(
    inputs: &[PathBuf],
    out: &Path,
    isolation: &noticepipe::batch::IsolationArgs,
) -> ExitCode {
    let (records, errors) = noticepipe::export::gather(inputs, &isolation.runner());
    for e in &errors {
        eprintln!("{e}");
    }
    match noticepipe::export::write_tables(&records, out) {
        Ok(written) => {
            let items: usize = records.iter().map(|r| r.notice.items.len()).sum();
            eprintln!(
                "exported {} notices, {items} items, to {}; failed {}",
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
            eprintln!("{e}");
            ExitCode::from(1)
        }
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
        .map_err(|e| fail(docmodel::ErrorCode::Io, e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(fail(
            docmodel::ErrorCode::TooLarge,
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
            eprintln!("error: cannot write to standard output: {e}");
            ExitCode::from(1)
        }
    }
}
