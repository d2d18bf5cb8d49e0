//! The arguments `parse`, `detect`, `convert` and `export` share, and `convert`'s own.

use std::path::PathBuf;

use noticepipe_runner::worker::Isolation;
use noticepipe_runner::worker::WorkerLimits;

/// `-q` / `-v`, for every command.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct Verbosity {
    /// Print nothing on stderr but usage errors (no progress, error lines or summary).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print a line for each converted or skipped file (with the reason it was skipped).
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(clap::Args, Debug, Clone)]
pub struct ConvertArgs {
    /// Files or directories to convert.
    #[arg(required_unless_present = "files_from")]
    pub inputs: Vec<PathBuf>,
    /// Also convert the files and folders listed in FILE, one per line ("-" for standard
    /// input); empty lines are ignored.
    #[arg(long, value_name = "FILE|-")]
    pub files_from: Option<PathBuf>,
    /// Directory for the records and report.jsonl (optional with --jsonl: then records are
    /// only streamed, and there is no resume).
    #[arg(long, required_unless_present = "jsonl")]
    pub out: Option<PathBuf>,
    /// Files converted at once, 1 to 1024 (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub jobs: Option<u16>,
    /// Also write every record as one JSON line to FILE ("-" for standard output).
    #[arg(long, value_name = "FILE|-")]
    pub jsonl: Option<String>,
    /// Write the report lines (one per input) to FILE ("-" for standard output) instead of
    /// OUT/report.jsonl.
    #[arg(long, value_name = "FILE|-")]
    pub report: Option<String>,
    /// In folders, convert only files whose path below the folder matches GLOB (repeatable;
    /// `*` stays within a folder, `**` crosses folders: `**/2024*/*.pdf`).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// In folders, leave out files whose path below the folder matches GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Convert inputs again even when their record is up to date.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub isolation: IsolationArgs,
}

/// How extraction is isolated; shared by every command that reads documents.
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
    /// Rules that extend the built-in canonical-names table of `canonical_units` (the guide,
    /// docs/src/record.md, "Canonical unit names"): a TAB-separated file of at most 64 KiB, checked line by line.
    #[arg(long, value_name = "FILE", value_parser = read_units_table)]
    pub units_table: Option<UnitsTableText>,
}

/// The text of a `--units-table` file, checked; kept for the whole run.
#[derive(Debug, Clone, Copy)]
pub struct UnitsTableText(pub &'static str);

/// Most bytes of a `--units-table` file: workers get it in one environment variable, and
/// Linux caps one at 128 KiB.
const MAX_UNITS_TABLE_BYTES: u64 = 64 << 10;

/// Reads and checks a `--units-table` file: its errors name the file and line.
fn read_units_table(path: &str) -> Result<UnitsTableText, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut text = String::new();
    file.take(MAX_UNITS_TABLE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("{path}: {e}"))?;
    if text.len() as u64 > MAX_UNITS_TABLE_BYTES {
        return Err(format!("{path}: larger than 64 KiB"));
    }
    noticepipe::UnitsTable::builtin()
        .extended(&text, path)
        .map_err(|e| e.to_string())?;
    // One table for the process's life (workers get it through their environment).
    Ok(UnitsTableText(Box::leak(text.into_boxed_str())))
}

impl IsolationArgs {
    pub fn isolation(&self) -> Isolation {
        Isolation {
            limits: WorkerLimits {
                timeout: std::time::Duration::from_secs_f64(self.timeout),
                max_memory: self.max_memory << 20,
                ocr: self.ocr_mode(),
                units_table: self.units_table.map(|t| t.0),
                ..WorkerLimits::default()
            },
            in_process: self.in_process,
        }
    }

    /// The OCR mode the flags ask for.
    pub fn ocr_mode(&self) -> noticepipe::OcrMode {
        match (self.no_ocr, self.ocr.as_deref()) {
            (true, _) => noticepipe::OcrMode::Off,
            (_, Some("always")) => noticepipe::OcrMode::Always,
            _ => noticepipe::OcrMode::Auto,
        }
    }

    pub fn runner(&self) -> noticepipe_runner::worker::Runner {
        self.isolation().runner()
    }
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

/// `serve`'s arguments; the defaults are `noticepipe_serve::ServeSettings::default()`'s.
#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: any free port; the address is printed).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Require `Authorization: Bearer KEY` on /v1/*, KEY being the first line of FILE.
    #[arg(long, value_name = "FILE")]
    pub api_key_file: Option<PathBuf>,
    /// Largest request body, in MiB, 1 to 1024 (413 past it).
    #[arg(long, value_name = "MIB", default_value_t = 32,
          value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub max_body: u64,
    /// Documents parsed at once (worker processes), 1 to 1024 (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub max_concurrent: Option<u16>,
    /// Requests that may wait for a parse slot, 0 to 65535; past them, 503 at once.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub max_waiting: u16,
    /// Wall-clock limit of a whole request, in seconds, above 0 and at most 86400 (504
    /// past it).
    #[arg(long, value_name = "SECS", default_value_t = 60.0, value_parser = parse_timeout)]
    pub request_timeout: f64,
    /// Time to receive a request's head, in seconds, from the connection's start or the end
    /// of the previous answer (so also how long an idle kept-alive connection stays open).
    #[arg(long, value_name = "SECS", default_value_t = 30.0, value_parser = parse_timeout)]
    pub header_timeout: f64,
    /// Connections open at once, 1 to 65535; past them, new connections wait until one
    /// closes. Keep it below the descriptor limit (`ulimit -n`) less the workers' pipes.
    #[arg(long, value_name = "N", default_value_t = 512,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub max_connections: u16,
    /// Seconds a worker that ran OCR may sit idle before it is stopped, giving back the
    /// engine's memory (hundreds of MB); the next document starts a fresh worker.
    #[arg(long, value_name = "SECS", default_value_t = 60.0, value_parser = parse_timeout)]
    pub ocr_worker_idle: f64,
    #[command(flatten)]
    pub isolation: IsolationArgs,
}
