//! Processes and signals, with real processes: workers die with their parent, SIGTERM and
//! Ctrl-C (to the whole process group, as a terminal sends it) stop a run cleanly, standard
//! input, a closed standard output, and the arguments' ranges.

mod common;

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use common::{
    children_of, command, corpus, is_alive, noticepipe, notices, report_lines, signal, stderr,
    wait_bounded, wait_for,
};

const MINUTE: Duration = Duration::from_secs(60);

/// `convert in --out out ARGS` in `dir`, in a process group of its own (as a shell's job),
/// with fault injection on.
fn start_convert(dir: &Path, args: &[&str]) -> Child {
    command()
        .args(["convert", "in", "--out", "out"])
        .args(args)
        .env("NOTICEPIPE_FAULT_INJECTION", "1")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap()
}

/// The worker processes of `parent` once `n` of them run.
fn workers(parent: u32, n: usize) -> Vec<u32> {
    let mut found = Vec::new();
    assert!(
        wait_for(MINUTE, || {
            found = children_of(parent);
            found.len() >= n
        }),
        "{n} workers of {parent} did not start"
    );
    found
}

fn pdfs(dir: &Path, n: usize) {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let pdf = std::fs::read(corpus("2024-zichuan.pdf")).unwrap();
    for i in 0..n {
        std::fs::write(input.join(format!("n{i:03}.pdf")), &pdf).unwrap();
    }
}

fn records_in(out: &Path) -> usize {
    std::fs::read_dir(out).map_or(0, |d| {
        d.flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".pdf.json"))
            .count()
    })
}

#[test]
fn workers_die_with_a_killed_parent() {
    let dir = tempfile::tempdir().unwrap();
    let input = notices(dir.path(), 0);
    std::fs::write(input.join("hang.txt"), "NOTICEPIPE-FAULT:hang").unwrap();
    let child = start_convert(dir.path(), &["--timeout", "600", "--jobs", "1"]);
    let pids = workers(child.id(), 1);
    signal(child.id(), libc::SIGKILL);
    wait_bounded(child, MINUTE);
    assert!(
        wait_for(Duration::from_secs(20), || !pids
            .iter()
            .any(|&p| is_alive(p))),
        "workers {pids:?} outlived their parent"
    );
}

#[test]
fn sigterm_stops_like_ctrl_c_with_a_complete_report() {
    let dir = tempfile::tempdir().unwrap();
    pdfs(dir.path(), 300);
    let child = start_convert(dir.path(), &["--jobs", "2"]);
    let out = dir.path().join("out");
    assert!(wait_for(MINUTE, || records_in(&out) >= 5));
    let pid = child.id();
    signal(pid, libc::SIGTERM);
    let run = wait_bounded(child, MINUTE);
    assert_eq!(run.status.code(), Some(143), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("converted "),
        "the summary is printed"
    );
    let lines = report_lines(&out);
    assert_eq!(lines.len(), 300);
    let ok = lines.iter().filter(|l| l["status"] == "ok").count();
    assert!((5..300).contains(&ok), "{ok}");
    assert!(lines.iter().all(|l| l["status"] != "error"), "{lines:?}");
    assert!(children_of(pid).is_empty());
}

#[test]
fn ctrl_c_in_a_terminal_lets_the_files_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    pdfs(dir.path(), 300);
    let child = start_convert(dir.path(), &["--jobs", "2"]);
    let out = dir.path().join("out");
    assert!(wait_for(MINUTE, || records_in(&out) >= 5));
    // A terminal sends SIGINT to the whole foreground process group.
    // SAFETY: kill(2) on the process group this test started.
    unsafe { libc::kill(-(child.id() as libc::pid_t), libc::SIGINT) };
    let run = wait_bounded(child, MINUTE);
    assert_eq!(run.status.code(), Some(130), "{}", stderr(&run));
    let lines = report_lines(&out);
    assert_eq!(lines.len(), 300);
    let errors: Vec<_> = lines.iter().filter(|l| l["status"] == "error").collect();
    assert!(errors.is_empty(), "files in flight finish: {errors:?}");
}

#[test]
fn a_second_ctrl_c_stops_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let input = notices(dir.path(), 0);
    for n in 0..3 {
        std::fs::write(input.join(format!("hang{n}.txt")), "NOTICEPIPE-FAULT:hang").unwrap();
    }
    let child = start_convert(dir.path(), &["--timeout", "600", "--jobs", "2"]);
    let pid = child.id();
    let pids = workers(pid, 2);
    // SAFETY: kill(2) on the process group this test started.
    unsafe { libc::kill(-(pid as libc::pid_t), libc::SIGINT) };
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        pids.iter().all(|&p| is_alive(p)),
        "one Ctrl-C lets files finish"
    );
    // SAFETY: as above.
    unsafe { libc::kill(-(pid as libc::pid_t), libc::SIGINT) };
    let run = wait_bounded(child, Duration::from_secs(20));
    assert_eq!(run.status.code(), Some(130), "{}", stderr(&run));
    let lines = report_lines(&dir.path().join("out"));
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l["status"] == "skipped"), "{lines:?}");
    assert!(wait_for(Duration::from_secs(10), || !pids
        .iter()
        .any(|&p| is_alive(p))));
}

#[test]
fn parse_dash_reads_standard_input() {
    let notice = std::fs::read(corpus("2024-zichuan.txt")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut child = command()
        .args(["parse", "-"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&notice).unwrap();
    let run = wait_bounded(child, MINUTE);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let record: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        record["title"],
        "关于2024年为全区妇女儿童办好十件实事的通知"
    );
    assert_eq!(record["source"]["path"], "-");
}

#[test]
fn dev_stdin_is_read_when_a_file_and_refused_when_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    // Redirected from a file: /dev/stdin is that file.
    let child = command()
        .args(["parse", "/dev/stdin", "--timeout", "20"])
        .stdin(std::fs::File::open(corpus("2024-zichuan.txt")).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let run = wait_bounded(child, MINUTE);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    // A pipe: not a regular file (use `parse -`), at once rather than at the timeout.
    let child = command()
        .args(["convert", "/dev/fd/0", "--out", "out", "--timeout", "20"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let run = wait_bounded(child, MINUTE);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let lines = report_lines(&dir.path().join("out"));
    let message = lines[0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("not a regular file"), "{message}");
}

#[test]
fn arguments_out_of_range_are_usage_errors() {
    let repo = common::repo();
    for bad in [
        &["--timeout", "inf"][..],
        &["--timeout", "1e19"],
        &["--timeout", "0"],
        &["--timeout", "NaN"],
        &["--timeout", "-1"],
        &["--max-memory", "0"],
        &["--jobs", "100000"],
        &["--jobs", "0"],
    ] {
        let mut args = vec!["convert", "corpus/2024-zichuan.txt", "--jsonl", "-"];
        args.extend(bad);
        let run = noticepipe(&args, &repo);
        assert_eq!(run.status.code(), Some(2), "{bad:?}: {}", stderr(&run));
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn a_closed_standard_output_ends_quietly() {
    let repo = common::repo();
    for args in [
        &["parse", "corpus/2024-zichuan.txt"][..],
        &["convert", "corpus", "--jsonl", "-", "--jobs", "2"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let run = command()
            .args(args)
            .current_dir(&repo)
            .stdout(writer)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "{args:?}: {}", stderr(&run));
        let said = stderr(&run);
        assert!(
            !said.contains("panicked") && !said.contains("error"),
            "{args:?}: {said}"
        );
    }
}
