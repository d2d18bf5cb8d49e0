//! Soak: a batch interrupted again and again — `kill -9`, SIGTERM, Ctrl-C to the process
//! group, a double Ctrl-C — and resumed until it is done. In the end every input has been
//! converted exactly once (no input has two `ok` lines over all the runs, and each has its
//! record, made from its bytes), every report line of every run was valid JSON, the reports
//! of runs stopped by a signal are complete, no worker outlives its run and no temporary
//! file is left.
//!
//! `soak_small` runs with the other tests (600 files, 6 interruptions). The full soak:
//!
//! ```sh
//! NOTICEPIPE_SOAK_FILES=20000 NOTICEPIPE_SOAK_INTERRUPTIONS=40 \
//!     cargo test -p noticepipe-cli --test soak -- --ignored --nocapture
//! ```
//!
//! (`NOTICEPIPE_SOAK_SEED` repeats a run's choices; the seed is printed.)

mod common;

use std::collections::HashMap;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{command, corpus, files_under, report_lines, signal, wait_bounded, wait_for};
use serde_json::Value;

/// A small xorshift: the test needs repeatable choices, not good randomness.
struct Choices(u64);

impl Choices {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Interruption {
    Kill,
    Term,
    CtrlC,
    DoubleCtrlC,
}

const KINDS: [Interruption; 4] = [
    Interruption::Kill,
    Interruption::Term,
    Interruption::CtrlC,
    Interruption::DoubleCtrlC,
];

/// The inputs: the corpus notices (TXT mostly, some DOCX and PDF) copied `files` times
/// into folders of 100.
fn inputs(dir: &Path, files: usize) -> Vec<PathBuf> {
    let sources: Vec<Vec<u8>> = [
        "2023-zibo.txt",
        "2024-zichuan.txt",
        "2025-zibo.txt",
        "2026-linzi.txt",
        "2024-gaoxin.docx",
        "2025-zibo.pdf",
    ]
    .iter()
    .map(|name| std::fs::read(corpus(name)).unwrap())
    .collect();
    let extensions = ["txt", "txt", "txt", "txt", "docx", "pdf"];
    (0..files)
        .map(|n| {
            let which = if n % 10 == 9 { 4 + n / 10 % 2 } else { n % 4 };
            let path = dir.join(format!("in/d{:03}/f{n:05}.{}", n / 100, extensions[which]));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &sources[which]).unwrap();
            path
        })
        .collect()
}

/// Processes whose working directory is `dir`: the runs of this soak and their workers.
fn processes_in(dir: &Path) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| std::fs::read_link(format!("/proc/{pid}/cwd")).is_ok_and(|cwd| cwd == dir))
        .filter(|&pid| common::is_alive(pid))
        .collect()
}

/// The lines in report.jsonl, once it is not the report of run `before` (its inode).
fn report_len(out: &Path, before: Option<u64>) -> usize {
    use std::os::unix::fs::MetadataExt;
    let path = out.join("report.jsonl");
    if std::fs::metadata(&path).ok().map(|m| m.ino()) == before {
        return 0;
    }
    std::fs::read(path).map_or(0, |r| r.iter().filter(|&&b| b == b'\n').count())
}

fn report_inode(out: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(out.join("report.jsonl"))
        .ok()
        .map(|m| m.ino())
}

struct Figures {
    runs: usize,
    interruptions: HashMap<&'static str, usize>,
    seconds: f64,
}

/// Converts `files` inputs, interrupted `interruptions` times at random (`seed`), and checks
/// what they left. Long because it is the soak: a loop of runs (a run, its interruption, the
/// checks on its report), then the checks over all of them (each input converted once, no
/// temporary file left).
fn soak(files: usize, interruptions: usize, seed: u64) -> Figures {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let dir_path = dir.path().canonicalize().unwrap();
    let inputs = inputs(&dir_path, files);
    let out = dir_path.join("out");
    let mut choices = Choices(seed | 1);
    let mut ok_lines: HashMap<String, usize> = HashMap::new();
    let mut figures = Figures {
        runs: 0,
        interruptions: HashMap::new(),
        seconds: 0.0,
    };
    let mut left = interruptions;
    loop {
        figures.runs += 1;
        let last_report = report_inode(&out);
        let child = command()
            .args(["convert", "in", "--out", "out", "--jobs", "2"])
            .current_dir(&dir_path)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap();
        let pid = child.id();
        let interruption = (left > 0).then(|| KINDS[choices.below(4) as usize]);
        if let Some(kind) = interruption {
            // Somewhere in this run's share of the batch.
            let share = files / (left + 1);
            let target = 1 + choices.below(share as u64) as usize;
            wait_for(Duration::from_secs(600), || {
                report_len(&out, last_report) >= target
            });
            match kind {
                Interruption::Kill => signal(pid, libc::SIGKILL),
                Interruption::Term => signal(pid, libc::SIGTERM),
                Interruption::CtrlC | Interruption::DoubleCtrlC => {
                    // SAFETY: kill(2) on the process group this test started.
                    unsafe { libc::kill(-(pid as libc::pid_t), libc::SIGINT) };
                    if kind == Interruption::DoubleCtrlC {
                        std::thread::sleep(Duration::from_millis(50));
                        // SAFETY: as above.
                        unsafe { libc::kill(-(pid as libc::pid_t), libc::SIGINT) };
                    }
                }
            }
            left -= 1;
            *figures
                .interruptions
                .entry(match kind {
                    Interruption::Kill => "kill -9",
                    Interruption::Term => "SIGTERM",
                    Interruption::CtrlC => "Ctrl-C",
                    Interruption::DoubleCtrlC => "double Ctrl-C",
                })
                .or_default() += 1;
        }
        let run = wait_bounded(child, Duration::from_secs(3600));
        let said = String::from_utf8_lossy(&run.stderr);
        // Every line of every report is valid JSON (report_lines checks), whatever stopped it.
        let lines = report_lines(&out);
        for line in &lines {
            if line["status"] == "ok" {
                *ok_lines
                    .entry(line["path"].as_str().unwrap().to_string())
                    .or_default() += 1;
            }
        }
        assert!(
            wait_for(Duration::from_secs(20), || processes_in(&dir_path)
                .is_empty()),
            "processes left after run {}: {:?}",
            figures.runs,
            processes_in(&dir_path)
        );
        match (interruption, run.status.code()) {
            (None, code) => {
                assert_eq!(code, Some(0), "{said}");
                assert_eq!(lines.len(), files);
                break;
            }
            // Killed, or done before the signal came.
            (Some(Interruption::Kill), code) => assert!(code.is_none() || code == Some(0)),
            (Some(kind), code) => {
                // Stopped by a signal (or done before it came): the report is complete.
                let expected = if kind == Interruption::Term { 143 } else { 130 };
                assert!(
                    code == Some(expected) || code == Some(0),
                    "{kind:?}: {said}"
                );
                assert_eq!(lines.len(), files, "{kind:?}: {said}");
                assert!(said.contains("converted "), "the summary: {said}");
                let errors: Vec<&Value> = lines.iter().filter(|l| l["status"] == "error").collect();
                assert!(errors.is_empty(), "{errors:?}");
            }
        }
    }
    for input in &inputs {
        let rel = input.strip_prefix(&dir_path).unwrap();
        let shown = rel.to_str().unwrap();
        assert!(
            ok_lines.get(shown).copied().unwrap_or(0) <= 1,
            "{shown} was converted {} times",
            ok_lines[shown]
        );
        let record = out.join(format!(
            "{}.json",
            rel.strip_prefix("in").unwrap().display()
        ));
        let record: Value = serde_json::from_slice(&std::fs::read(&record).unwrap()).unwrap();
        let bytes = std::fs::read(input).unwrap();
        assert_eq!(
            record["source"]["sha256"].as_str().unwrap(),
            noticepipe::sha256_hex(&bytes)
        );
    }
    let leftovers: Vec<PathBuf> = files_under(&out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    figures.seconds = started.elapsed().as_secs_f64();
    figures
}

fn seed() -> u64 {
    std::env::var("NOTICEPIPE_SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        })
}

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

#[test]
fn soak_small() {
    let seed = seed();
    eprintln!("NOTICEPIPE_SOAK_SEED={seed}");
    soak(600, 6, seed);
}

#[test]
#[ignore = "minutes to hours: run with --ignored (see the top of this file)"]
fn soak_large() {
    let seed = seed();
    let files = env_count("NOTICEPIPE_SOAK_FILES", 20_000);
    let interruptions = env_count("NOTICEPIPE_SOAK_INTERRUPTIONS", 40);
    eprintln!("NOTICEPIPE_SOAK_SEED={seed}");
    let figures = soak(files, interruptions, seed);
    eprintln!(
        "soak: {files} files, {} runs, interruptions {:?}, {:.0} s: every input converted exactly once",
        figures.runs, figures.interruptions, figures.seconds
    );
}
