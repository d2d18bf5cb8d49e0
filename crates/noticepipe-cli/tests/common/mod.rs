//! Helpers shared by the CLI tests: the binary, the repository's files, the report.
#![allow(dead_code)] // each test file uses its own subset

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The `noticepipe` binary under test: the one cargo built, or the one
/// NOTICEPIPE_TEST_BINARY names (to show that a test fails on an older build).
pub fn command() -> Command {
    match std::env::var_os("NOTICEPIPE_TEST_BINARY") {
        Some(binary) => Command::new(binary),
        None => Command::new(env!("CARGO_BIN_EXE_noticepipe")),
    }
}

/// Runs `noticepipe ARGS` in `cwd`.
pub fn noticepipe(args: &[&str], cwd: &Path) -> Output {
    command()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("noticepipe runs")
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository")
}

pub fn corpus(name: &str) -> PathBuf {
    repo().join("corpus").join(name)
}

/// The records of the bundled corpus, converted into `dir/records` (which is returned).
pub fn records_of_corpus(dir: &Path) -> PathBuf {
    let records = dir.join("records");
    let out = noticepipe(
        &["convert", "corpus", "--out", records.to_str().unwrap()],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    records
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// report.jsonl of an output folder, by the file name of each input.
pub fn report(out: &Path) -> BTreeMap<String, Value> {
    std::fs::read_to_string(out.join("report.jsonl"))
        .expect("report.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .map(|v| {
            let name = Path::new(v["path"].as_str().expect("a path"))
                .file_name()
                .expect("a name");
            (name.to_string_lossy().into_owned(), v)
        })
        .collect()
}

/// The pids of the live processes whose parent is `parent` (from /proc).
pub fn children_of(parent: u32) -> Vec<u32> {
    let mut children = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return children;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if ppid_of(pid) == Some(parent) && is_alive(pid) {
            children.push(pid);
        }
    }
    children
}

/// The parent of `pid`, from /proc/PID/stat (the field after the parenthesized name).
pub fn ppid_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    after_name.split(' ').nth(1)?.parse().ok()
}

/// Whether `pid` runs (a zombie is dead: it only waits to be reaped).
pub fn is_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let after_name = stat[stat.rfind(')')? + 2..].to_string();
            after_name.chars().next()
        })
        .is_some_and(|state| state != 'Z' && state != 'X')
}

/// Waits up to `limit` for `done`, checking every 20 ms; whether it came true.
pub fn wait_for(limit: std::time::Duration, mut done: impl FnMut() -> bool) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    done()
}

/// Waits up to `limit` for `child` to exit; kills it and panics if it does not.
pub fn wait_bounded(mut child: std::process::Child, limit: std::time::Duration) -> Output {
    let exited = wait_for(limit, || child.try_wait().ok().flatten().is_some());
    if !exited {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the process did not exit within {limit:?}");
    }
    child.wait_with_output().expect("output")
}

/// Sends `signal` to `pid` (a process this test started).
pub fn signal(pid: u32, signal: i32) {
    // SAFETY: kill(2) on a pid this test owns.
    unsafe { libc::kill(pid as libc::pid_t, signal) };
}

/// report.jsonl as a list of lines, each checked to be valid JSON.
pub fn report_lines(out: &Path) -> Vec<Value> {
    std::fs::read_to_string(out.join("report.jsonl"))
        .expect("report.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect()
}

/// Every file under `dir` (links not followed).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            out.extend(files_under(&p))
        } else {
            out.push(p)
        }
    }
    out
}

/// A folder `in` under `dir` with `n` copies of a corpus notice (`n000.txt` …).
pub fn notices(dir: &Path, n: usize) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let notice = std::fs::read(corpus("2024-zichuan.txt")).unwrap();
    for i in 0..n {
        std::fs::write(input.join(format!("n{i:03}.txt")), &notice).unwrap();
    }
    input
}
