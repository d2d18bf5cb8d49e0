//! The output folder around the records: its lock, the report written as the run goes,
//! temporary files, the resume check, awkward names and file kinds, a full disk.

mod common;

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::{
    command, corpus, files_under, noticepipe, notices, report_lines, signal, stderr, wait_bounded,
    wait_for,
};
use serde_json::Value;

const MINUTE: Duration = Duration::from_secs(60);

fn hang_file(input: &Path, name: &str) {
    std::fs::write(input.join(name), "NOTICEPIPE-FAULT:hang").unwrap();
}

fn temporaries(out: &Path) -> Vec<std::path::PathBuf> {
    files_under(out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect()
}

#[test]
fn a_second_run_into_the_same_folder_is_refused_naming_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let input = notices(dir.path(), 3);
    hang_file(&input, "zz-hang.txt");
    let first = command()
        .args([
            "convert",
            "in",
            "--out",
            "out",
            "--jobs",
            "1",
            "--timeout",
            "300",
        ])
        .env("NOTICEPIPE_FAULT_INJECTION", "1")
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first run is under way once it has written a record.
    assert!(wait_for(MINUTE, || dir
        .path()
        .join("out/n000.txt.json")
        .exists()));
    let second = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    let message = stderr(&second);
    assert!(
        message.contains(&format!("pid {}", first.id())) && message.contains("out"),
        "{message}"
    );
    // The refused run touched nothing: the first one's report stays valid.
    // Two signals (apart: a pending signal is not queued twice) stop it at once.
    signal(first.id(), libc::SIGTERM);
    std::thread::sleep(Duration::from_millis(300));
    signal(first.id(), libc::SIGTERM);
    let first = wait_bounded(first, MINUTE);
    assert_eq!(first.status.code(), Some(143), "{}", stderr(&first));
    let lines = report_lines(&dir.path().join("out"));
    assert_eq!(lines.len(), 4, "{lines:?}");
}

#[test]
fn planted_links_in_the_output_folder_are_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 2);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    for name in [".report.jsonl.tmp", "n000.txt.json", "report.jsonl"] {
        std::os::unix::fs::symlink(&victim, out.join(name)).unwrap();
    }
    let run = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    for name in ["n000.txt.json", "report.jsonl"] {
        let meta = std::fs::symlink_metadata(out.join(name)).unwrap();
        assert!(meta.file_type().is_file(), "{name} is a file of its own");
    }
}

#[test]
fn the_report_is_written_as_the_run_goes() {
    let dir = tempfile::tempdir().unwrap();
    let input = notices(dir.path(), 6);
    hang_file(&input, "zz-hang.txt");
    let child = command()
        .args([
            "convert",
            "in",
            "--out",
            "out",
            "--jobs",
            "1",
            "--timeout",
            "300",
        ])
        .env("NOTICEPIPE_FAULT_INJECTION", "1")
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = dir.path().join("out");
    // The six notices come before the hanging file in name order: once they are done,
    // their lines must be on disk, whatever happens to the run.
    assert!(wait_for(MINUTE, || {
        std::fs::read_to_string(out.join("report.jsonl")).is_ok_and(|r| r.lines().count() == 6)
    }));
    signal(child.id(), libc::SIGKILL);
    wait_bounded(child, MINUTE);
    let lines = report_lines(&out);
    assert_eq!(lines.len(), 6);
    assert!(lines.iter().all(|l| l["status"] == "ok"), "{lines:?}");
}

#[test]
fn a_closed_jsonl_pipe_ends_the_run_quietly_and_no_input_counts_as_done() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 20);
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let run = command()
        .args([
            "convert", "in", "--out", "out", "--jsonl", "-", "--jobs", "2",
        ])
        .current_dir(dir.path())
        .stdout(writer)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!stderr(&run).contains("error"), "{}", stderr(&run));
    let out = dir.path().join("out");
    let lines = report_lines(&out);
    assert_eq!(lines.len(), 20);
    // Nothing reached the stream, so nothing is done: no record, and a resume converts all.
    assert!(lines.iter().all(|l| l["status"] == "skipped"), "{lines:?}");
    let records: Vec<_> = files_under(&out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".txt.json"))
        .collect();
    assert!(records.is_empty(), "{records:?}");
    let resumed = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(resumed.status.code(), Some(0));
    assert!(report_lines(&out).iter().all(|l| l["status"] == "ok"));
}

#[test]
fn an_unwritable_jsonl_file_fails_each_input_and_keeps_no_record() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 4);
    let run = noticepipe(
        &["convert", "in", "--out", "out", "--jsonl", "/dev/full"],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let out = dir.path().join("out");
    let lines = report_lines(&out);
    assert_eq!(lines.len(), 4);
    for line in &lines {
        assert_eq!(line["error"]["code"], "io", "{line}");
        let message = line["error"]["message"].as_str().unwrap();
        assert!(message.contains("/dev/full"), "{message}");
    }
    assert!(!out.join("n000.txt.json").exists());
    assert!(stderr(&run).contains("converted 0, skipped 0, failed 4 (io: 4)"));
}

/// Runs `script` as root in a private mount namespace with a `size` tmpfs on `mnt`;
/// None where that is not allowed (not root, no unshare), after `Material::missing` (a
/// visible skip, or a failure where `NOTICEPIPE_REQUIRE` lists `namespaces`).
fn on_a_small_disk(dir: &Path, size: &str, script: &str) -> Option<std::process::Output> {
    use noticepipe_tests::Material;
    let mnt = dir.join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let full = format!(
        "mount -t tmpfs -o size={size} none {} && {script}",
        mnt.display()
    );
    let run = match std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", &full])
        .env("NP", env!("CARGO_BIN_EXE_noticepipe"))
        .current_dir(dir)
        .output()
    {
        Ok(run) => run,
        Err(e) => {
            Material::Namespaces.missing(&format_args!("unshare does not run: {e}"));
            return None;
        }
    };
    if run.status.code() == Some(97) || String::from_utf8_lossy(&run.stderr).contains("unshare") {
        Material::Namespaces.missing(&format_args!(
            "no private tmpfs here: {}",
            String::from_utf8_lossy(&run.stderr).trim()
        ));
        return None;
    }
    Some(run)
}

#[test]
fn a_full_disk_fails_each_file_with_an_io_line_and_keeps_outputs_in_step() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 80);
    // The disk holds a few records and JSON lines, not eighty; the results are copied out
    // before the namespace (and its tmpfs) goes.
    let Some(run) = on_a_small_disk(
        dir.path(),
        "160k",
        "\"$NP\" convert in --out mnt/out --jsonl mnt/all.jsonl --jobs 2 2>stderr; \
         echo $? > status; cp -r mnt/out copied; cp mnt/all.jsonl copied.jsonl",
    ) else {
        return;
    };
    assert!(run.status.success(), "{}", stderr(&run));
    let status = std::fs::read_to_string(dir.path().join("status")).unwrap();
    let summary = std::fs::read_to_string(dir.path().join("stderr")).unwrap();
    assert_eq!(status.trim(), "1", "{summary}");
    assert!(summary.contains("converted "), "{summary}");
    let copied = dir.path().join("copied");
    let lines = report_lines(&copied);
    assert_eq!(lines.len(), 80, "every input has its line");
    let jsonl = std::fs::read_to_string(dir.path().join("copied.jsonl")).unwrap();
    let streamed: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("no torn JSON line"))
        .collect();
    let mut ok = 0;
    for line in &lines {
        let name = Path::new(line["path"].as_str().unwrap())
            .file_name()
            .unwrap();
        let record = copied.join(format!("{}.json", name.to_string_lossy()));
        if line["status"] == "ok" {
            ok += 1;
            let text = std::fs::read_to_string(&record).unwrap();
            serde_json::from_str::<Value>(&text).unwrap();
        } else {
            assert_eq!(line["error"]["code"], "io", "{line}");
            let message = line["error"]["message"].as_str().unwrap();
            assert!(
                message.contains("mnt/") && message.contains("No space left"),
                "{message}"
            );
            assert!(
                !record.exists(),
                "a failed input has no record to resume from"
            );
        }
    }
    assert!((1..80).contains(&ok), "{ok} converted");
    assert_eq!(streamed.len(), ok, "one JSON line per converted input");
    assert!(temporaries(&copied).is_empty());
}

#[test]
fn resume_reads_only_regular_files_and_redoes_records_of_another_schema() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 4);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // A FIFO and a link to an endless device where records should be.
    let fifo = std::ffi::CString::new(out.join("n000.txt.json").as_os_str().as_bytes()).unwrap();
    // SAFETY: mkfifo on a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink("/dev/zero", out.join("n001.txt.json")).unwrap();
    let child = command()
        .args(["convert", "in", "--out", "out"])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let run = wait_bounded(child, MINUTE);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    for n in 0..4 {
        let record = out.join(format!("n{n:03}.txt.json"));
        assert!(std::fs::symlink_metadata(&record).unwrap().is_file());
    }
    // A record of another schema version is not up to date, whatever its sha256.
    let path = out.join("n002.txt.json");
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    record["schema_version"] = "1.0".into();
    std::fs::write(&path, serde_json::to_string(&record).unwrap()).unwrap();
    let run = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(run.status.code(), Some(0));
    let lines = report_lines(&out);
    let redone: Vec<&str> = lines
        .iter()
        .filter(|l| l["status"] == "ok")
        .map(|l| l["path"].as_str().unwrap())
        .collect();
    assert_eq!(redone, vec!["in/n002.txt"]);
}

#[test]
fn records_made_by_another_version_of_the_tool_are_redone() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 3);
    let out = dir.path().join("out");
    assert_eq!(
        noticepipe(&["convert", "in", "--out", "out"], dir.path())
            .status
            .code(),
        Some(0)
    );
    let stamp = out.join(".noticepipe-version");
    let ours = std::fs::read_to_string(&stamp).expect("the folder names the version");
    assert!(ours.contains(env!("CARGO_PKG_VERSION")), "{ours}");
    std::fs::write(&stamp, ours.replace(env!("CARGO_PKG_VERSION"), "0.0.1")).unwrap();
    assert_eq!(
        noticepipe(&["convert", "in", "--out", "out"], dir.path())
            .status
            .code(),
        Some(0)
    );
    assert!(report_lines(&out).iter().all(|l| l["status"] == "ok"));
    assert_eq!(std::fs::read_to_string(&stamp).unwrap(), ours);
    // Once the upgrade is done, records are up to date again.
    assert_eq!(
        noticepipe(&["convert", "in", "--out", "out"], dir.path())
            .status
            .code(),
        Some(0)
    );
    assert!(report_lines(&out).iter().all(|l| l["status"] == "skipped"));
}

#[test]
fn leftover_temporaries_of_a_killed_run_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 1);
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("sub")).unwrap();
    for name in [
        ".noticepipe-a1b2c3.tmp",
        "sub/.noticepipe-zzzzzz.tmp",
        ".report.jsonl.tmp",
        "sub/.x.txt.json.4242.tmp",
    ] {
        std::fs::write(out.join(name), "torn").unwrap();
    }
    std::fs::write(out.join("sub/keep.tmp"), "not ours").unwrap();
    let run = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(temporaries(&out), vec![out.join("sub/keep.tmp")]);
}

#[test]
fn names_up_to_the_file_system_limit_convert() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let notice = std::fs::read(corpus("2023-zibo.txt")).unwrap();
    for len in [240, 250, 255] {
        // ASCII and CJK names: the limit is in bytes.
        std::fs::write(input.join(format!("{}.txt", "a".repeat(len - 4))), &notice).unwrap();
    }
    let cjk = format!("{}.txt", "通".repeat(83)); // 249 + 4 = 253 bytes
    std::fs::write(input.join(&cjk), &notice).unwrap();
    let run = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let out = dir.path().join("out");
    let lines = report_lines(&out);
    assert_eq!(lines.len(), 4);
    assert!(lines.iter().all(|l| l["status"] == "ok"), "{lines:?}");
    let records = files_under(&out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".json"))
        .count();
    assert_eq!(records, 4);
    // And they are found again by the resume check.
    let again = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(again.status.code(), Some(0));
    assert!(report_lines(&out).iter().all(|l| l["status"] == "skipped"));
}

#[test]
fn non_utf8_names_are_reported_losslessly() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let notice = std::fs::read(corpus("2023-zibo.txt")).unwrap();
    for raw in [&b"a\xff.txt"[..], &b"a\xfe.txt"[..]] {
        let name = std::ffi::OsStr::from_bytes(raw);
        std::fs::write(input.join(name), &notice).unwrap();
    }
    let run = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let lines = report_lines(&dir.path().join("out"));
    let mut raw: Vec<String> = lines
        .iter()
        .map(|l| l["path_bytes"].as_str().expect("path_bytes").to_string())
        .collect();
    raw.sort();
    // "in/a\xfe.txt" and "in/a\xff.txt", in hex.
    assert_eq!(raw, vec!["696e2f61fe2e747874", "696e2f61ff2e747874"]);
    assert!(lines.iter().all(|l| l["path"] == "in/a\u{fffd}.txt"));
}

#[test]
fn every_entry_of_a_walked_folder_gets_a_line_and_devices_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = notices(dir.path(), 1);
    let fifo = std::ffi::CString::new(input.join("pipe.txt").as_os_str().as_bytes()).unwrap();
    // SAFETY: mkfifo on a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink("/nowhere/at/all.txt", input.join("broken.txt")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", input.join("zero.txt")).unwrap();
    let child = command()
        .args([
            "convert",
            "in",
            "/dev/zero",
            "--out",
            "out",
            "--timeout",
            "20",
        ])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let run = wait_bounded(child, MINUTE);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let lines = report_lines(&dir.path().join("out"));
    let by_path = |p: &str| {
        lines
            .iter()
            .find(|l| l["path"] == p)
            .unwrap_or_else(|| panic!("no line for {p}: {lines:?}"))
    };
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(by_path("in/n000.txt")["status"], "ok");
    for path in ["in/pipe.txt", "in/broken.txt", "in/zero.txt", "/dev/zero"] {
        let line = by_path(path);
        assert_eq!(line["error"]["code"], "io", "{line}");
        let message = line["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("not a regular file") || message.contains("broken"),
            "{line}"
        );
    }
}

#[test]
fn errors_about_the_output_the_stream_and_inputs_name_the_path() {
    let dir = tempfile::tempdir().unwrap();
    notices(dir.path(), 1);
    std::fs::write(dir.path().join("afile"), "").unwrap();
    for (args, path) in [
        (vec!["convert", "in", "--out", "afile/out"], "afile/out"),
        (
            vec!["convert", "in", "--jsonl", "nodir/x.jsonl"],
            "nodir/x.jsonl",
        ),
        (
            vec!["convert", "missing.txt", "--out", "out"],
            "missing.txt",
        ),
    ] {
        let run = noticepipe(&args, dir.path());
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        assert!(stderr(&run).contains(path), "{args:?}: {}", stderr(&run));
    }
}
