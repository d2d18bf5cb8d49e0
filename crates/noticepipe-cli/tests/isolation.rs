//! Extraction runs in supervised worker processes: a file that hangs, crashes, overflows
//! its stack, runs out of memory or panics costs that file only, and the batch goes on.
//! The faults are injected (NOTICEPIPE_FAULT_INJECTION, see worker.rs).

mod common;

use std::path::Path;
use std::process::Output;

use common::{command, report};

use serde_json::Value;

fn convert(dir: &Path, extra: &[&str]) -> Output {
    command()
        .args([
            "convert",
            "in",
            "--out",
            "out",
            "--timeout",
            "2",
            "--max-memory",
            "512",
        ])
        .args(extra)
        .env("NOTICEPIPE_FAULT_INJECTION", "1")
        .current_dir(dir)
        .output()
        .expect("runs")
}

#[test]
fn every_kind_of_worker_failure_is_contained_and_typed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let notice =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/2024-zichuan.txt"))
            .unwrap();
    for fault in ["hang", "abort", "overflow", "alloc", "panic"] {
        std::fs::write(
            input.join(format!("{fault}.txt")),
            format!("NOTICEPIPE-FAULT:{fault}"),
        )
        .unwrap();
    }
    for n in 0..6 {
        std::fs::write(input.join(format!("good{n}.txt")), &notice).unwrap();
    }
    let out = convert(dir.path(), &["--jobs", "2"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report(&dir.path().join("out"));
    let code = |name: &str| {
        r[name]["error"]["code"]
            .as_str()
            .unwrap_or("none")
            .to_string()
    };
    assert_eq!(code("hang.txt"), "timeout");
    assert_eq!(code("abort.txt"), "extract_crash");
    assert!(
        r["abort.txt"]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("SIGABRT"),
        "{:?}",
        r["abort.txt"]
    );
    assert_eq!(code("overflow.txt"), "extract_crash");
    assert!(
        r["overflow.txt"]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("overflow"),
        "{:?}",
        r["overflow.txt"]
    );
    assert_eq!(code("alloc.txt"), "too_large");
    assert_eq!(code("panic.txt"), "extract_panic");
    for n in 0..6 {
        assert_eq!(
            r[&format!("good{n}.txt")]["status"],
            "ok",
            "good files convert around the failures"
        );
        assert!(dir.path().join(format!("out/good{n}.txt.json")).is_file());
    }
    assert!(r["hang.txt"]["ms"].as_u64().unwrap() >= 2000);
}

#[test]
fn parse_is_protected_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("abort.txt"), "NOTICEPIPE-FAULT:abort").unwrap();
    let out = command()
        .args(["parse", "abort.txt"])
        .env("NOTICEPIPE_FAULT_INJECTION", "1")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error[extract_crash]: abort.txt: the worker aborted"),
        "{stderr}"
    );
}

#[test]
fn without_the_variable_fault_markers_are_ordinary_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("abort.txt"), "NOTICEPIPE-FAULT:abort").unwrap();
    // Unset, `0`, empty or `true`: only `1` turns fault injection on.
    for value in [None, Some("0"), Some(""), Some("true")] {
        let mut parse = command();
        parse.args(["parse", "abort.txt"]).current_dir(dir.path());
        match value {
            None => parse.env_remove("NOTICEPIPE_FAULT_INJECTION"),
            Some(v) => parse.env("NOTICEPIPE_FAULT_INJECTION", v),
        };
        let out = parse.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "NOTICEPIPE_FAULT_INJECTION={value:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let record: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(record["warnings"][0]["code"], "missing_date");
    }
}

#[test]
fn running_out_of_memory_is_too_large_even_with_a_backtrace() {
    // With RUST_BACKTRACE set, the "memory allocation of N bytes failed" line is followed
    // by a backtrace of several KB: the first line must still be seen.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("alloc.txt"), "NOTICEPIPE-FAULT:alloc-deep").unwrap();
    let out = command()
        .args(["convert", "in", "--out", "out", "--max-memory", "512"])
        .env("NOTICEPIPE_FAULT_INJECTION", "1")
        .env("RUST_BACKTRACE", "full")
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let r = report(&dir.path().join("out"));
    assert_eq!(
        r["alloc.txt"]["error"]["code"], "too_large",
        "{:?}",
        r["alloc.txt"]
    );
}
