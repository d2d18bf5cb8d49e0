//! Extraction in worker processes, so that a file that hangs, crashes or eats memory costs
//! that file only (in the spirit of Apache Tika Pipes).
//!
//! The batch runner owns a pool of workers — this same binary started as
//! `noticepipe __worker` — and sends each one file at a time over its stdin (its name and its
//! bytes, read by the supervisor: a worker never opens a path, so `/dev/stdin` or a FIFO
//! cannot make it read its own request pipe); the worker runs the whole [`Pipeline`] and
//! answers with the finished record (or a typed error) on stdout. The supervisor waits at most [`WorkerLimits::timeout`] for an answer. Then:
//!
//! | what happened | reported as | and |
//! |---|---|---|
//! | an answer | the record, or the pipeline's own error (panics caught as `extract_panic`) | the worker takes the next file |
//! | no answer in time | `timeout` | the worker is killed and replaced |
//! | the worker ran out of its address-space limit | `too_large` | replaced |
//! | the worker died otherwise (abort, stack overflow, signal) | `extract_crash` | replaced |
//!
//! Workers are started lazily and reused, so the cost of a process start is paid once per
//! worker, not per file. They die with the supervisor (`PR_SET_PDEATHSIG`), and run in a
//! process group of their own, out of reach of the terminal's Ctrl-C.
//!
//! Frames on both pipes are a little-endian u32 length and that many bytes. A request is
//! one byte of [`Forms`] bits, the path's length (u32), the path as shown, and the file's
//! bytes; an answer is `O` + summary length (u32) + pretty length (u32) + the [`RecordSummary`] as
//! JSON + pretty JSON + JSON line, or
//! `E` + code length (u8) + code + message.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use noticepipe::ErrorCode;

use noticepipe::{MAX_FILE_BYTES, OcrMode, OcrSettings, Pipeline, PipelineError, UnitsTable};

/// The size asked for the pipes to and from a worker: a whole request (a file up to 1 MiB)
/// fits without the two processes taking turns.
const PIPE_BYTES: libc::c_int = 1 << 20;

/// The hidden subcommand that runs a worker.
pub const WORKER_ARG: &str = "__worker";

/// Which serialized forms of a record the caller writes; the others are not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forms {
    /// Pretty JSON, for a record file or `parse`.
    pub pretty: bool,
    /// One JSON line, for `--jsonl`.
    pub line: bool,
}

impl Forms {
    fn to_bits(self) -> u8 {
        u8::from(self.pretty) | (u8::from(self.line) << 1)
    }
    fn from_bits(bits: u8) -> Self {
        Forms {
            pretty: bits & 1 != 0,
            line: bits & 2 != 0,
        }
    }
}

/// A finished record, serialized for the writers (an unwanted form is empty), with what
/// a batch report says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Processed {
    /// The record as pretty JSON with a final newline; empty unless [`Forms::pretty`].
    pub pretty: String,
    /// The record as one JSON line with its newline; empty unless [`Forms::line`].
    pub line: String,
    /// What the batch report says of the record.
    pub summary: RecordSummary,
}

/// What a report line says of a record: its input's sha256 and its warnings' codes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordSummary {
    /// Hex SHA-256 of the input file (`source.sha256`).
    pub sha256: String,
    /// The codes of the record's warnings, in the record's order.
    pub warning_codes: Vec<noticepipe_output::WarningCode>,
}

impl RecordSummary {
    /// The summary of `record`.
    pub fn of(record: &noticepipe_output::Record) -> Self {
        RecordSummary {
            sha256: record.source.sha256.clone(),
            warning_codes: record.notice.warnings.iter().map(|w| w.code).collect(),
        }
    }
}

impl Processed {
    /// `record` serialized in the `forms` asked for, with its summary.
    pub fn from_record(record: &noticepipe_output::Record, forms: Forms) -> Self {
        Processed {
            pretty: if forms.pretty {
                noticepipe_output::to_pretty_json(record)
            } else {
                String::new()
            },
            line: if forms.line {
                noticepipe_output::to_json_line(record)
            } else {
                String::new()
            },
            summary: RecordSummary::of(record),
        }
    }
}

/// Budgets for one worker, and the settings it runs with (OCR mode, units table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerLimits {
    /// Wall-clock time for one file. A notice takes milliseconds; 30 s is for huge or
    /// pathological files.
    pub timeout: Duration,
    /// Time added to `timeout` for each page OCR may have to read (the frames of a page
    /// image, the images of a PDF): OCR takes seconds a page (BENCHMARKS.md).
    pub ocr_page_timeout: Duration,
    /// Address-space limit of a worker process (RLIMIT_AS), in bytes.
    pub max_memory: u64,
    /// When the workers OCR (`--no-ocr`, `--ocr always`).
    pub ocr: OcrMode,
    /// Rules that extend the built-in canonical-names table (`--units-table`), as text
    /// already checked by [`UnitsTable::extended`]; read once for the run.
    pub units_table: Option<&'static str>,
}

impl Default for WorkerLimits {
    fn default() -> Self {
        WorkerLimits {
            timeout: Duration::from_secs(30),
            ocr_page_timeout: Duration::from_secs(30),
            max_memory: 2 << 30,
            ocr: OcrMode::Auto,
            units_table: None,
        }
    }
}

impl WorkerLimits {
    /// The time budget for `bytes`: `timeout`, plus `ocr_page_timeout` for each page OCR
    /// may read when OCR is on and the input is a PDF or a page image.
    pub fn timeout_for(&self, bytes: &[u8]) -> Duration {
        self.timeout + self.ocr_page_timeout * self.ocr_pages(bytes)
    }

    /// The pages OCR may read in `bytes` under these limits (none with OCR off).
    fn ocr_pages(&self, bytes: &[u8]) -> u32 {
        if self.ocr == OcrMode::Off {
            return 0;
        }
        noticepipe::ocr_pages_to_read(bytes)
    }
}

/// The environment variable that tells a worker its OCR mode.
const WORKER_OCR_ENV: &str = "NOTICEPIPE_WORKER_OCR";
/// The worker's units-table rules (their text), when the run has any.
const WORKER_UNITS_ENV: &str = "NOTICEPIPE_WORKER_UNITS_TABLE";

/// The pipeline a process runs with OCR `mode` and the units-table rules `units_table`
/// (checked by the caller; rules that fail here leave the built-in table).
fn pipeline_with(mode: OcrMode, units_table: Option<&str>) -> Pipeline {
    let mut pipeline = Pipeline::default();
    if mode != OcrMode::Auto {
        pipeline.set_ocr(OcrSettings {
            mode,
            ..Default::default()
        });
    }
    if let Some(text) = units_table
        && let Ok(table) = UnitsTable::builtin().extended(text, "--units-table")
    {
        pipeline.parser.units = Arc::new(table);
    }
    pipeline
}

// ---------------------------------------------------------------------------------------
// The worker side.

/// The worker loop: read a path, process it, answer; exit on end of input.
pub fn serve() -> std::io::Result<()> {
    // Panics are answered as `extract_panic`; their default report would only add noise.
    std::panic::set_hook(Box::new(|_| {}));
    let mode = std::env::var(WORKER_OCR_ENV)
        .ok()
        .and_then(|m| OcrMode::parse(&m))
        .unwrap_or_default();
    let units_table = std::env::var(WORKER_UNITS_ENV).ok();
    let pipeline = pipeline_with(mode, units_table.as_deref());
    let mut input = std::io::stdin().lock();
    // Buffered: stdout's own LineWriter would write at every newline of a pretty record.
    let mut output = std::io::BufWriter::with_capacity(64 << 10, std::io::stdout().lock());
    // One request buffer for the worker's life: a file's bytes in a fresh allocation each
    // time were mapped and unmapped per file (glibc maps blocks over 128 KiB).
    let mut request = Vec::new();
    while read_frame_into(&mut input, &mut request)? {
        let Some((forms, path, bytes)) = decode_request(&request) else {
            continue;
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            inject_fault(bytes);
            pipeline.process_bytes(&path, bytes)
        }))
        .unwrap_or_else(|_| {
            Err(PipelineError {
                path: path.clone(),
                code: ErrorCode::ExtractPanic,
                message: "the pipeline panicked".into(),
            })
        });
        match result {
            Ok(record) => write_ok(&mut output, &Processed::from_record(&record, forms))?,
            Err(e) => write_frame(&mut output, &encode_err(e.code, &e.message))?,
        }
        output.flush()?;
    }
    Ok(())
}

/// With NOTICEPIPE_FAULT_INJECTION=1, a file whose bytes start with `NOTICEPIPE-FAULT:`
/// makes the worker misbehave on purpose, so the supervision can be tested end to end:
/// `hang`, `abort`, `overflow` (the stack), `alloc` (past the memory limit), `alloc-deep`
/// (one allocation past it, 200 calls deep), `panic`.
fn inject_fault(bytes: &[u8]) {
    // Only `1` turns it on: `0`, empty or anything else leaves it off. Read once per worker,
    // not per file (an environment lookup takes a lock and walks the environment).
    static ON: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| {
        std::env::var_os("NOTICEPIPE_FAULT_INJECTION").as_deref() == Some(std::ffi::OsStr::new("1"))
    });
    if !*ON {
        return;
    }
    let Some(fault) = bytes.strip_prefix(b"NOTICEPIPE-FAULT:") else {
        return;
    };
    match fault.trim_ascii() {
        b"hang" => loop {
            std::thread::sleep(Duration::from_secs(1));
        },
        b"abort" => std::process::abort(),
        b"overflow" => {
            fn recurse(depth: u64) -> u64 {
                if depth == u64::MAX {
                    return 0;
                }
                let pad = [depth; 64];
                std::hint::black_box(&pad);
                recurse(depth + 1) + pad[0]
            }
            std::hint::black_box(recurse(0));
        }
        b"alloc" => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(vec![1u8; 64 << 20]);
                std::hint::black_box(&hoard);
            }
        }
        b"panic" => panic!("injected fault"),
        b"alloc-deep" => {
            // One impossible allocation deep in the stack: the failure leaves memory to
            // print a long backtrace when RUST_BACKTRACE is set.
            fn deep(depth: u32) -> usize {
                if depth == 0 {
                    return std::hint::black_box(vec![1u8; 1 << 40]).len();
                }
                deep(std::hint::black_box(depth - 1)) + 1
            }
            std::hint::black_box(deep(200));
        }
        _ => {}
    }
}

/// A request as a whole frame (its length first), so it goes to the worker in one write.
fn encode_request(forms: Forms, path: &str, bytes: &[u8]) -> Vec<u8> {
    let len = 5 + path.len() + bytes.len();
    let mut out = Vec::with_capacity(4 + len);
    out.extend((len as u32).to_le_bytes());
    out.push(forms.to_bits());
    out.extend((path.len() as u32).to_le_bytes());
    out.extend(path.as_bytes());
    out.extend(bytes);
    out
}

fn decode_request(request: &[u8]) -> Option<(Forms, String, &[u8])> {
    let (&bits, rest) = request.split_first()?;
    let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    let path = std::str::from_utf8(rest.get(4..4 + len)?).ok()?;
    Some((
        Forms::from_bits(bits),
        path.to_string(),
        rest.get(4 + len..)?,
    ))
}

/// The frame of an answer with a record, written in its parts (the record is not copied
/// into a frame first): `O`, the summary's and the pretty form's lengths, the summary, the
/// pretty form, the line form.
fn write_ok(w: &mut impl Write, p: &Processed) -> std::io::Result<()> {
    let summary = serde_json::to_vec(&p.summary).expect("a summary serializes");
    let len = 9 + summary.len() + p.pretty.len() + p.line.len();
    w.write_all(&(len as u32).to_le_bytes())?;
    w.write_all(b"O")?;
    w.write_all(&(summary.len() as u32).to_le_bytes())?;
    w.write_all(&(p.pretty.len() as u32).to_le_bytes())?;
    w.write_all(&summary)?;
    w.write_all(p.pretty.as_bytes())?;
    w.write_all(p.line.as_bytes())
}

/// [`write_ok`]'s frame body.
#[cfg(test)]
fn encode_ok(p: &Processed) -> Vec<u8> {
    let mut frame = Vec::new();
    write_ok(&mut frame, p).expect("a Vec takes every write");
    frame.split_off(4)
}

fn encode_err(code: ErrorCode, message: &str) -> Vec<u8> {
    let code = code.as_str().as_bytes();
    let mut out = vec![b'E', code.len() as u8];
    out.extend(code);
    out.extend(message.as_bytes());
    out
}

fn decode_answer(bytes: &[u8]) -> Option<Result<Processed, (ErrorCode, String)>> {
    match bytes.split_first()? {
        (b'O', rest) if rest.len() >= 8 => {
            let summary_len = u32::from_le_bytes(rest[..4].try_into().ok()?) as usize;
            let pretty_len = u32::from_le_bytes(rest[4..8].try_into().ok()?) as usize;
            let (summary, body) = rest.get(8..)?.split_at_checked(summary_len)?;
            let (pretty, line) = body.split_at_checked(pretty_len)?;
            // Checked, not trusted (a worker's answer is bytes from another process), with
            // the SIMD validator: the answer holds the whole record, once or twice.
            let text = |b: &[u8]| simdutf8::basic::from_utf8(b).ok().map(str::to_owned);
            Some(Ok(Processed {
                pretty: text(pretty)?,
                line: text(line)?,
                summary: serde_json::from_slice(summary).ok()?,
            }))
        }
        (b'E', rest) => {
            let (&len, rest) = rest.split_first()?;
            let code = ErrorCode::parse(std::str::from_utf8(rest.get(..len as usize)?).ok()?)?;
            Some(Err((
                code,
                String::from_utf8_lossy(rest.get(len as usize..)?).into_owned(),
            )))
        }
        _ => None,
    }
}

/// Reads the next frame into `buf` (its allocation kept); false at the end of input.
fn read_frame_into(r: &mut impl Read, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    buf.clear();
    buf.resize(u32::from_le_bytes(len) as usize, 0);
    r.read_exact(buf)?;
    Ok(true)
}

fn write_frame(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    w.write_all(&(bytes.len() as u32).to_le_bytes())?;
    w.write_all(bytes)
}

// ---------------------------------------------------------------------------------------
// The supervisor side.

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

/// Where files are processed: in this process (fast to start, no protection from hangs
/// and crashes), or in supervised workers.
pub enum Runner {
    /// In this process, with this pipeline.
    InProcess(Box<Pipeline>), // boxed: the extractors make it large beside a supervisor
    /// In worker processes under a [`Supervisor`].
    Workers(Supervisor),
}

impl Runner {
    /// Workers running this binary, or in-process when asked or when this binary cannot
    /// be found.
    pub fn new(in_process: bool, limits: WorkerLimits) -> Self {
        match std::env::current_exe() {
            Ok(exe) if !in_process => Runner::Workers(Supervisor::new(exe, limits)),
            _ => Runner::InProcess(Box::new(pipeline_with(limits.ocr, limits.units_table))),
        }
    }

    /// Reads the file at `path` here (a regular file within [`MAX_FILE_BYTES`]) and
    /// processes it.
    pub fn process(&self, path: &Path, forms: Forms) -> Result<Processed, PipelineError> {
        let bytes = noticepipe::read_input(path, MAX_FILE_BYTES)?;
        self.process_bytes(&path.display().to_string(), &bytes, forms)
    }

    /// Stops idle workers that may hold the OCR engine after `idle_for` without work
    /// ([`Supervisor::release_idle_ocr`]); nothing in process.
    pub fn release_idle_ocr(&self, idle_for: Duration) -> usize {
        match self {
            Runner::InProcess(_) => 0,
            Runner::Workers(supervisor) => supervisor.release_idle_ocr(idle_for),
        }
    }

    /// Processes `bytes`; `path` names them in the record and in errors.
    pub fn process_bytes(
        &self,
        path: &str,
        bytes: &[u8],
        forms: Forms,
    ) -> Result<Processed, PipelineError> {
        match self {
            Runner::InProcess(pipeline) => pipeline
                .process_bytes(path, bytes)
                .map(|r| Processed::from_record(&r, forms)),
            Runner::Workers(supervisor) => supervisor.process(path, bytes, forms),
        }
    }
}

/// A pool of workers; any thread may call [`Supervisor::process`].
pub struct Supervisor {
    exe: PathBuf,
    limits: WorkerLimits,
    idle: Mutex<Vec<Worker>>,
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
    stderr: Arc<Mutex<StderrKept>>,
    /// It was given a file OCR may have read, so it may hold the OCR engine (its models
    /// and ONNX Runtime: hundreds of MB that stay once loaded).
    may_hold_ocr: bool,
    /// When it was last put back in the pool.
    idle_since: Instant,
    /// Its answers are read into this buffer, kept for its life (a fresh zeroed one per
    /// answer cost page faults).
    answer: Vec<u8>,
}

/// What a worker printed on stderr, to say why it died: the first lines and the last.
/// Both are needed: an allocation failure prints "memory allocation of N bytes failed"
/// first, and with RUST_BACKTRACE set a long backtrace follows it.
#[derive(Default)]
struct StderrKept {
    head: String,
    tail: String,
}

impl StderrKept {
    const HEAD_BYTES: usize = 4096;
    const TAIL_BYTES: usize = 4096;

    fn push_line(&mut self, line: &str) {
        if self.head.len() < Self::HEAD_BYTES {
            self.head.push_str(line);
            self.head.push('\n');
            return;
        }
        if self.tail.len() > Self::TAIL_BYTES {
            self.tail.clear();
        }
        self.tail.push_str(line);
        self.tail.push('\n');
    }

    fn text(&self) -> String {
        format!("{}{}", self.head, self.tail)
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing stdin ends the worker's loop; kill in case it is stuck.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

enum Outcome {
    /// The answer frame's body is `answer[range]` of the worker.
    Answer(std::ops::Range<usize>),
    TimedOut,
    Died(Option<ExitStatus>, String),
    /// A second Ctrl-C or SIGTERM: the worker was stopped.
    Abandoned,
}

impl Supervisor {
    /// Workers run `exe __worker` (normally this very binary: `std::env::current_exe()`).
    pub fn new(exe: PathBuf, limits: WorkerLimits) -> Self {
        Supervisor {
            exe,
            limits,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Processes one file's bytes in a worker; `path` names them.
    pub fn process(
        &self,
        path: &str,
        bytes: &[u8],
        forms: Forms,
    ) -> Result<Processed, PipelineError> {
        let fail = |code, message: String| PipelineError {
            path: path.to_string(),
            code,
            message,
        };
        let taken = self.idle.lock().expect("pool lock").pop();
        let mut worker = match taken {
            Some(w) => w,
            None => self
                .spawn()
                .map_err(|e| fail(ErrorCode::Io, format!("cannot start a worker: {e}")))?,
        };
        let request = encode_request(forms, path, bytes);
        // Counted once: it scans the whole file.
        let ocr_pages = self.limits.ocr_pages(bytes);
        let timeout = self.limits.timeout + self.limits.ocr_page_timeout * ocr_pages;
        worker.may_hold_ocr |= ocr_pages > 0;
        match worker.ask(&request, timeout) {
            Outcome::Answer(range) => {
                let decoded = decode_answer(&worker.answer[range]);
                // A huge record's buffer is not kept for the worker's life.
                if worker.answer.len() > 4 * FIRST_ANSWER_READ {
                    worker.answer.truncate(FIRST_ANSWER_READ);
                    worker.answer.shrink_to_fit();
                }
                worker.idle_since = Instant::now();
                self.idle.lock().expect("pool lock").push(worker);
                match decoded {
                    Some(Ok(processed)) => Ok(processed),
                    Some(Err((code, message))) => Err(fail(code, message)),
                    None => Err(fail(
                        ErrorCode::ExtractCrash,
                        "the worker sent an unreadable answer".into(),
                    )),
                }
            }
            Outcome::TimedOut => Err(fail(
                ErrorCode::Timeout,
                format!(
                    "no result within {} s; the worker was stopped",
                    timeout.as_secs_f32()
                ),
            )),
            Outcome::Died(status, stderr) => {
                Err(died(status, &stderr, self.limits.max_memory, fail))
            }
            Outcome::Abandoned => Err(fail(
                ErrorCode::Io,
                "stopped by a second interrupt; the worker was stopped".into(),
            )),
        }
    }

    fn spawn(&self) -> std::io::Result<Worker> {
        let mut command = Command::new(&self.exe);
        command
            .arg(WORKER_ARG)
            .env(WORKER_OCR_ENV, self.limits.ocr.as_str())
            .env(WORKER_UNITS_ENV, self.limits.units_table.unwrap_or(""))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        confine(&mut command, self.limits.max_memory);
        let mut child = command.spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        // A request holds the whole file (a notice's PDF is 100–200 KB): with the default
        // 64 KiB pipe the two processes take turns filling and draining it on one core.
        for fd in [stdin.as_raw_fd(), stdout.as_raw_fd()] {
            // SAFETY: F_SETPIPE_SZ on a pipe descriptor this process owns; a failure (an
            // older kernel, the per-user pipe quota) only leaves the default size.
            unsafe { libc::fcntl(fd, libc::F_SETPIPE_SZ, PIPE_BYTES) };
        }
        let stderr = child.stderr.take().expect("piped stderr");
        let kept = Arc::new(Mutex::new(StderrKept::default()));
        let kept_by_reader = Arc::clone(&kept);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                kept_by_reader.lock().expect("stderr lock").push_line(&line);
            }
        });
        Ok(Worker {
            child,
            stdin,
            stdout,
            stderr: kept,
            may_hold_ocr: false,
            idle_since: Instant::now(),
            answer: vec![0; FIRST_ANSWER_READ],
        })
    }

    /// Stops the idle workers that may hold the OCR engine and have been idle for
    /// `idle_for` or longer; the next file starts a fresh, small worker. Returns how many
    /// were stopped.
    pub fn release_idle_ocr(&self, idle_for: Duration) -> usize {
        let stale: Vec<Worker> = {
            let mut idle = self.idle.lock().expect("pool lock");
            let (stale, keep) = std::mem::take(&mut *idle)
                .into_iter()
                .partition(|w| w.may_hold_ocr && w.idle_since.elapsed() >= idle_for);
            *idle = keep;
            stale
        };
        stale.len() // dropped here: each one killed and waited for, outside the lock
    }
}

impl Worker {
    /// Sends a request and waits for the answer until `timeout`, reading the pipe
    /// directly (poll, then read) so an answer costs no hand-over between threads.
    fn ask(&mut self, frame: &[u8], timeout: Duration) -> Outcome {
        if self.stdin.write_all(frame).is_err() {
            return self.died();
        }
        let deadline = Instant::now() + timeout;
        match read_frame_until(&mut self.stdout, &mut self.answer, deadline) {
            Ok(range) => Outcome::Answer(range),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                // More than the one frame asked for: not a worker we can trust.
                let _ = self.child.kill();
                self.died()
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                let _ = self.child.kill();
                Outcome::TimedOut
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
                let _ = self.child.kill();
                Outcome::Abandoned
            }
            Err(_) => self.died(),
        }
    }

    fn died(&mut self) -> Outcome {
        let status = self.child.wait().ok();
        // Let the stderr reader catch the last words.
        std::thread::sleep(Duration::from_millis(20));
        Outcome::Died(status, self.stderr.lock().expect("stderr lock").text())
    }
}

/// How often a wait for a worker looks whether a second interrupt came.
const ABANDON_CHECK: Duration = Duration::from_millis(100);

/// Bytes asked of the pipe by the first read of an answer: a record's frame usually
/// arrives whole in one read (the worker writes it with one call), so one poll and one read
/// take it, length and all.
const FIRST_ANSWER_READ: usize = 32 << 10;

/// Reads the one frame a worker answers with into `buf` (kept at least
/// [`FIRST_ANSWER_READ`] long, grown for longer frames) by [`read_exact_until`]'s rules, and
/// says where its body is; bytes beyond the frame are `InvalidData` (a worker answers one
/// frame per request and then waits).
#[cfg(unix)]
fn read_frame_until(
    pipe: &mut ChildStdout,
    buf: &mut Vec<u8>,
    deadline: Instant,
) -> std::io::Result<std::ops::Range<usize>> {
    if buf.len() < FIRST_ANSWER_READ {
        buf.resize(FIRST_ANSWER_READ, 0);
    }
    let mut filled = read_some_until(pipe, &mut buf[..FIRST_ANSWER_READ], deadline)?;
    while filled < 4 {
        filled += read_some_until(pipe, &mut buf[filled..FIRST_ANSWER_READ], deadline)?;
    }
    let len = u32::from_le_bytes(buf[..4].try_into().expect("four bytes")) as usize;
    if filled > 4 + len {
        return Err(std::io::ErrorKind::InvalidData.into());
    }
    if buf.len() < 4 + len {
        buf.resize(4 + len, 0);
    }
    read_exact_until(pipe, &mut buf[filled..4 + len], deadline)?;
    Ok(4..4 + len)
}

/// Fills `buf` from `pipe`, waiting at most until `deadline` (`TimedOut`); end of file
/// before it is full is `UnexpectedEof`; a second interrupt while waiting is `Interrupted`
/// (the wait looks at it every [`ABANDON_CHECK`]).
#[cfg(unix)]
fn read_exact_until(
    pipe: &mut ChildStdout,
    buf: &mut [u8],
    deadline: Instant,
) -> std::io::Result<()> {
    let mut filled = 0;
    while filled < buf.len() {
        filled += read_some_until(pipe, &mut buf[filled..], deadline)?;
    }
    Ok(())
}

/// One read of at least a byte into `buf` (not empty), by [`read_exact_until`]'s rules.
#[cfg(unix)]
fn read_some_until(
    pipe: &mut ChildStdout,
    buf: &mut [u8],
    deadline: Instant,
) -> std::io::Result<usize> {
    loop {
        if crate::signals::stop_at_once() {
            return Err(std::io::ErrorKind::Interrupted.into());
        }
        let left = deadline
            .saturating_duration_since(Instant::now())
            .min(ABANDON_CHECK);
        let mut fd = libc::pollfd {
            fd: pipe.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let millis = left.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd for the duration of the call.
        let ready = unsafe { libc::poll(&mut fd, 1, millis) };
        if ready < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if ready == 0 {
            if Instant::now() >= deadline {
                return Err(std::io::ErrorKind::TimedOut.into());
            }
            continue;
        }
        match pipe.read(buf) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn died(
    status: Option<ExitStatus>,
    stderr: &str,
    max_memory: u64,
    fail: impl Fn(ErrorCode, String) -> PipelineError,
) -> PipelineError {
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    // Searched from the start as well as the end: see StderrKept.
    if stderr.contains("memory allocation of") || stderr.contains("out of memory") {
        return fail(
            ErrorCode::TooLarge,
            format!(
                "the worker ran past its memory limit of {} MiB",
                max_memory >> 20
            ),
        );
    }
    let how = match status {
        Some(s) => describe_status(s),
        None => "ended".to_string(),
    };
    let why = if last.is_empty() {
        String::new()
    } else {
        format!(": {last}")
    };
    fail(ErrorCode::ExtractCrash, format!("the worker {how}{why}"))
}

#[cfg(unix)]
fn describe_status(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (_, Some(6)) => "aborted (SIGABRT)".into(),
        (_, Some(9)) => "was killed (SIGKILL)".into(),
        (_, Some(11)) => "crashed (SIGSEGV)".into(),
        (_, Some(sig)) => format!("died of signal {sig}"),
        (Some(code), None) => format!("exited with status {code}"),
        (None, None) => "ended".into(),
    }
}

/// Sets up a worker between fork and exec: its address-space limit (RLIMIT_AS); death
/// with the supervisor (`PR_SET_PDEATHSIG` SIGKILL, so a worker stuck on a file never
/// outlives a supervisor killed by `kill -9`; the kernel sends it when the *thread* that
/// started the worker ends, and workers are started by the pool's threads, which live as
/// long as the run); and a process group of its own, so that a terminal's Ctrl-C, sent to
/// the foreground group, reaches the supervisor only.
#[cfg(unix)]
fn confine(command: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    let supervisor = std::process::id() as libc::pid_t;
    command.process_group(0);
    // SAFETY: setrlimit, prctl and getppid are async-signal-safe; nothing else runs
    // between fork and exec.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The supervisor may have died before the line above: then nobody would tell.
            if libc::getppid() != supervisor {
                return Err(std::io::Error::other("the supervisor is gone"));
            }
            Ok(())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip() {
        let p = Processed {
            pretty: "{\n}\n".into(),
            line: "{}\n".into(),
            summary: RecordSummary {
                sha256: "ab".repeat(32),
                warning_codes: vec![noticepipe_output::WarningCode::UnitsMismatch],
            },
        };
        assert_eq!(decode_answer(&encode_ok(&p)), Some(Ok(p)));
        assert_eq!(
            decode_answer(&encode_err(ErrorCode::NotText, "NUL byte at offset 4")),
            Some(Err((
                ErrorCode::NotText,
                "NUL byte at offset 4".to_string()
            )))
        );
        assert_eq!(decode_answer(b"X"), None);
        assert_eq!(decode_answer(b"O\x01"), None);
    }

    #[test]
    fn a_request_is_one_frame_the_worker_reads_back() {
        let frame = encode_request(Forms::from_bits(1), "a/通知.txt", b"bytes");
        let mut r = &frame[..];
        let mut buf = Vec::new();
        assert!(read_frame_into(&mut r, &mut buf).unwrap());
        let (forms, path, bytes) = decode_request(&buf).unwrap();
        assert_eq!(
            (forms.to_bits(), path.as_str(), bytes),
            (1, "a/通知.txt", &b"bytes"[..])
        );
        assert!(r.is_empty());
    }

    #[test]
    fn frames_round_trip_and_end_cleanly() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"corpus/a.txt").unwrap();
        let mut r = &buf[..];
        let mut buf = Vec::new();
        assert!(read_frame_into(&mut r, &mut buf).unwrap());
        assert_eq!(buf, b"corpus/a.txt");
        assert!(!read_frame_into(&mut r, &mut buf).unwrap());
    }
}
