//! Throughput of the full pipeline (`noticepipe convert`, release build), per format, with
//! one job and with all cores, and peak RSS. Run: `cargo bench -p noticepipe-cli --bench throughput`.
//!
//! It replicates `corpus/` into a temporary folder (NOTICEPIPE_BENCH_COPIES copies of each
//! notice, default 200: 1,000 files per format) and times `convert --jobs 1` and
//! `convert --jobs N` over each format's files, in two modes: `records` writes one record file
//! per input into the temporary folder (`--out`, `--force`: as users run it), `stream` sends
//! every record to /dev/null as JSONL (`--jsonl`, no `--out`), leaving the file system out.
//! Then it converts a mixed tree of NOTICEPIPE_BENCH_RSS_FILES files (default 10,000) with all
//! cores and reports the peak RSS of the largest process (the supervisor or a worker;
//! `wait4`'s ru_maxrss covers the child and the descendants it reaped).
//! Results are printed as a Markdown table for BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

/// Copies every corpus file of `ext` into `dir`, `copies` times each; returns total bytes.
fn replicate(dir: &Path, exts: &[&str], files_per_ext: usize) -> u64 {
    std::fs::create_dir_all(dir).unwrap();
    let mut sources: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| exts.iter().any(|x| e == *x)))
        .collect();
    sources.sort();
    let mut bytes = 0;
    for ext in exts {
        let of_ext: Vec<&PathBuf> = sources
            .iter()
            .filter(|p| p.extension().unwrap() == *ext)
            .collect();
        for n in 0..files_per_ext {
            let src = of_ext[n % of_ext.len()];
            let sub = dir.join(format!("{:03}", n / 1000));
            std::fs::create_dir_all(&sub).unwrap();
            let name = format!("{}-{n}.{ext}", src.file_stem().unwrap().to_string_lossy());
            bytes += std::fs::copy(src, sub.join(name)).unwrap();
        }
    }
    bytes
}

struct Run {
    seconds: f64,
    max_rss_kib: i64,
}

/// Runs `noticepipe convert` (records into `out`, or streamed to /dev/null when None) and
/// waits with wait4 for its resource usage.
#[allow(clippy::zombie_processes)] // the child is reaped by wait4, which std does not see
fn convert(input: &Path, out: Option<&Path>, jobs: usize) -> Run {
    let started = Instant::now();
    let mut command = Command::new(env!("CARGO_BIN_EXE_noticepipe"));
    command
        .arg("convert")
        .arg(input)
        .args(["--jobs", &jobs.to_string()]);
    match out {
        Some(out) => command.arg("--out").arg(out).arg("--force"),
        None => command.args(["--jsonl", "/dev/null"]),
    };
    let child = command
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("noticepipe runs");
    let mut status = 0;
    // SAFETY: plain FFI call with valid pointers to locals.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4");
    let seconds = started.elapsed().as_secs_f64();
    let exited_ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    assert!(
        exited_ok,
        "convert failed on {} (status {status})",
        input.display()
    );
    Run {
        seconds,
        max_rss_kib: usage.ru_maxrss,
    }
}

/// Flushes the copies just made, so their write-back does not compete with the runs.
fn settle() {
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc::sync() };
}

fn row(
    format: &str,
    mode: &str,
    files: usize,
    mb: f64,
    jobs: usize,
    run: &Run,
    speedup: Option<f64>,
) {
    let fps = files as f64 / run.seconds;
    let speedup = speedup.map_or(String::new(), |s| format!(" ({s:.2}× one job)"));
    println!(
        "| {format} | {mode} | {files} | {mb:.1} | {jobs} | {:.2} | {fps:.0}{speedup} | {:.1} | {:.1} |",
        run.seconds,
        mb / run.seconds,
        run.max_rss_kib as f64 / 1024.0
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing: only run on --bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let copies = env_usize("NOTICEPIPE_BENCH_COPIES", 200);
    let rss_files = env_usize("NOTICEPIPE_BENCH_RSS_FILES", 10_000);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let tmp = std::env::temp_dir().join(format!("noticepipe-bench-{}", std::process::id()));
    let files = copies * 5;
    println!("| format | mode | files | MB | jobs | seconds | files/s | MB/s | peak RSS (MiB) |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for ext in ["txt", "docx", "pdf"] {
        let input = tmp.join(ext);
        let mb = replicate(&input, &[ext], files) as f64 / 1e6;
        settle();
        for mode in ["records", "stream"] {
            let out = tmp.join(format!("out-{ext}"));
            let records = (mode == "records").then_some(out.as_path());
            let one = convert(&input, records, 1);
            row(ext, mode, files, mb, 1, &one, None);
            let _ = std::fs::remove_dir_all(&out);
            let all = convert(&input, records, cores);
            row(
                ext,
                mode,
                files,
                mb,
                cores,
                &all,
                Some(one.seconds / all.seconds),
            );
            let _ = std::fs::remove_dir_all(&out);
        }
    }
    let mixed = tmp.join("mixed");
    let per_format = rss_files.div_ceil(3);
    let mb = replicate(&mixed, &["txt", "docx", "pdf"], per_format) as f64 / 1e6;
    settle();
    let run = convert(&mixed, Some(&tmp.join("out-mixed")), cores);
    row("mixed", "records", per_format * 3, mb, cores, &run, None);
    let _ = std::fs::remove_dir_all(&tmp);
}
