//! `noticepipe convert` over mixed trees: broken files, resume, atomic output, JSONL.

mod common;

use std::path::{Path, PathBuf};

use common::{corpus, noticepipe, report};

use serde_json::Value;

/// A tree: good notices in nested folders, broken files, a hidden file, a non-document.
fn mixed_tree(root: &Path) {
    let put = |rel: &str, bytes: &[u8]| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    put(
        "a/b/2024-zichuan.txt",
        &std::fs::read(corpus("2024-zichuan.txt")).unwrap(),
    );
    put(
        "a/2023-zibo.txt",
        &std::fs::read(corpus("2023-zibo.txt")).unwrap(),
    );
    put("zero.txt", b"");
    put("noise.txt", b"\x00\xff\x00\xfe binary");
    put("image.pdf", b"\x89PNG\r\n\x1a\n not a pdf");
    put(".hidden.txt", b"secret");
    put("notes.rst", b"# not a document");
}

#[test]
fn a_mixed_tree_converts_good_files_and_reports_every_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    mixed_tree(&input);
    let out = noticepipe(
        &["convert", "in", "--out", "out", "--jobs", "2"],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "some inputs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outdir = dir.path().join("out");
    let record: Value = serde_json::from_str(
        &std::fs::read_to_string(outdir.join("a/b/2024-zichuan.txt.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        record["title"],
        "关于2024年为全区妇女儿童办好十件实事的通知"
    );
    assert!(outdir.join("a/2023-zibo.txt.json").is_file());
    let r = report(&outdir);
    assert_eq!(r.len(), 7, "{r:?}");
    assert_eq!(
        (
            r["2024-zichuan.txt"]["status"].as_str(),
            r["2024-zichuan.txt"]["warnings"].as_u64()
        ),
        (Some("ok"), Some(1))
    );
    assert_eq!(r["zero.txt"]["error"]["code"], "empty");
    assert_eq!(r["noise.txt"]["error"]["code"], "not_text");
    // PNG bytes are a page image (read by OCR) whatever the name; these do not decode.
    assert_eq!(r["image.pdf"]["error"]["code"], "corrupt_image");
    assert_eq!(r[".hidden.txt"]["status"], "skipped");
    assert_eq!(r["notes.rst"]["status"], "skipped");
    for line in r.values() {
        assert!(line["ms"].is_u64());
    }
    // No record for a failed input, and no temporary files anywhere.
    assert!(!outdir.join("zero.txt.json").exists());
    let leftovers: Vec<_> = walk(&outdir)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary
            .contains("converted 2, skipped 2, failed 3 (empty: 1, not_text: 1, corrupt_image: 1)"),
        "{summary}"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p))
        } else {
            out.push(p)
        }
    }
    out
}

#[test]
fn a_rerun_skips_unchanged_inputs_and_redoes_changed_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    for name in ["2024-zichuan.txt", "2025-zibo.txt"] {
        std::fs::copy(corpus(name), dir.path().join("in").join(name)).unwrap();
    }
    assert_eq!(
        noticepipe(&["convert", "in", "--out", "out"], dir.path())
            .status
            .code(),
        Some(0)
    );
    let first = report(&dir.path().join("out"));
    assert!(first.values().all(|l| l["status"] == "ok"));
    // Change one input: the same notice saved as UTF-16.
    let text = std::fs::read_to_string(corpus("2025-zibo.txt")).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("in/2025-zibo.txt"), utf16).unwrap();
    assert_eq!(
        noticepipe(&["convert", "in", "--out", "out"], dir.path())
            .status
            .code(),
        Some(0)
    );
    let second = report(&dir.path().join("out"));
    assert_eq!(second["2024-zichuan.txt"]["status"], "skipped");
    assert_eq!(second["2025-zibo.txt"]["status"], "ok");
    let record: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/2025-zibo.txt.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["source"]["encoding"], "UTF-16LE");
    // --force redoes everything.
    assert_eq!(
        noticepipe(&["convert", "in", "--out", "out", "--force"], dir.path())
            .status
            .code(),
        Some(0)
    );
    assert!(
        report(&dir.path().join("out"))
            .values()
            .all(|l| l["status"] == "ok")
    );
}

#[test]
fn jsonl_to_stdout_gives_one_record_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = noticepipe(
        &[
            "convert",
            corpus("2024-zichuan.txt").to_str().unwrap(),
            corpus("2026-linzi.txt").to_str().unwrap(),
            "--out",
            "out",
            "--jsonl",
            "-",
            "--jobs",
            "1",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let records: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["doc_number"]["text"], "川政办字〔2024〕13号");
    assert_eq!(records[1]["doc_number"]["text"], "临政办字〔2026〕2号");
    // Files named on the command line go to OUT/<file name>.json.
    assert!(dir.path().join("out/2026-linzi.txt.json").is_file());
}

#[test]
fn a_record_on_disk_is_whole_or_absent() {
    // The writer renames a complete temporary file over the record; a record that
    // exists is always valid JSON, and an unreadable old record is simply redone.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/2024-zichuan.txt.json"), b"{\"half\": ").unwrap();
    let out = noticepipe(
        &[
            "convert",
            corpus("2024-zichuan.txt").to_str().unwrap(),
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("out/2024-zichuan.txt.json")).unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_ok());
    assert_eq!(
        report(&dir.path().join("out"))["2024-zichuan.txt"]["status"],
        "ok"
    );
}

#[test]
fn jsonl_without_out_only_streams() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    for name in ["2023-zibo.txt", "2024-gaoxin.docx", "2025-zibo.pdf"] {
        std::fs::copy(corpus(name), dir.path().join("in").join(name)).unwrap();
    }
    let out = noticepipe(&["convert", "in", "--jsonl", "-"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let titles: std::collections::BTreeSet<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["source"]["format"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        titles,
        ["docx", "pdf", "txt"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        entries,
        vec![std::ffi::OsString::from("in")],
        "no record files, no report"
    );
    assert_eq!(
        noticepipe(&["convert", "in"], dir.path()).status.code(),
        Some(2),
        "--out or --jsonl is required"
    );
}

#[test]
fn an_interrupted_run_leaves_only_whole_records_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let pdf = std::fs::read(corpus("2024-zichuan.pdf")).unwrap();
    for n in 0..400 {
        std::fs::write(input.join(format!("n{n:03}.pdf")), &pdf).unwrap();
    }
    let child = common::command()
        .args(["convert", "in", "--out", "out", "--jobs", "1"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first records, then press Ctrl-C.
    let out = dir.path().join("out");
    let started = std::time::Instant::now();
    while std::fs::read_dir(&out).map_or(0, |d| d.count()) < 5 && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let result = child.wait_with_output().unwrap();
    assert_eq!(
        result.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let written: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let records: Vec<&PathBuf> = written
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".pdf.json"))
        .collect();
    assert!(
        !records.is_empty() && records.len() < 400,
        "stopped part-way: {} records",
        records.len()
    );
    for path in &records {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            serde_json::from_str::<Value>(&text).is_ok(),
            "{} is whole",
            path.display()
        );
    }
    assert!(
        written
            .iter()
            .all(|p| !p.to_string_lossy().ends_with(".tmp")),
        "{written:?}"
    );
    // Every input has its line: converted, or skipped because the run stopped.
    let first = report(&out);
    assert_eq!(first.len(), 400);
    assert_eq!(
        first.values().filter(|l| l["status"] == "ok").count(),
        records.len()
    );
    // A second run does the rest and skips what is done.
    assert_eq!(
        noticepipe(&["convert", "in", "--out", "out"], dir.path())
            .status
            .code(),
        Some(0)
    );
    let second = report(&out);
    assert_eq!(second.len(), 400);
    assert_eq!(
        second.values().filter(|l| l["status"] == "skipped").count(),
        records.len()
    );
}

#[test]
fn two_inputs_with_the_same_record_path_never_overwrite_each_other() {
    let dir = tempfile::tempdir().unwrap();
    for root in ["a", "b"] {
        std::fs::create_dir(dir.path().join(root)).unwrap();
    }
    std::fs::copy(corpus("2024-zichuan.txt"), dir.path().join("a/x.txt")).unwrap();
    std::fs::copy(corpus("2025-zibo.txt"), dir.path().join("b/x.txt")).unwrap();
    let out = noticepipe(
        &["convert", "a", "b", "--out", "out", "--jobs", "1"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/x.txt.json")).unwrap())
            .unwrap();
    assert_eq!(
        record["source"]["path"], "a/x.txt",
        "the first input keeps its record"
    );
    let lines: Vec<Value> = std::fs::read_to_string(dir.path().join("out/report.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let clash = lines.iter().find(|l| l["path"] == "b/x.txt").unwrap();
    assert_eq!(clash["error"]["code"], "io");
    assert!(
        clash["error"]["message"]
            .as_str()
            .unwrap()
            .contains("a/x.txt"),
        "{clash}"
    );
}

#[test]
fn an_output_folder_inside_the_input_is_not_walked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::copy(corpus("2023-zibo.txt"), dir.path().join("in/2023-zibo.txt")).unwrap();
    for _ in 0..2 {
        assert_eq!(
            noticepipe(&["convert", "in", "--out", "in/out"], dir.path())
                .status
                .code(),
            Some(0)
        );
    }
    let second = report(&dir.path().join("in/out"));
    assert_eq!(
        second.keys().collect::<Vec<_>>(),
        vec!["2023-zibo.txt"],
        "{second:?}"
    );
}

#[test]
fn a_folder_that_cannot_be_listed_is_reported_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::copy(corpus("2023-zibo.txt"), dir.path().join("in/2023-zibo.txt")).unwrap();
    // Folders nested past PATH_MAX (4,096 bytes) cannot be listed by their full path, even by
    // root; mkdirat/openat on folder descriptors make them.
    let name = std::ffi::CString::new("d".repeat(200)).unwrap();
    let top = std::ffi::CString::new(dir.path().join("in").to_str().unwrap()).unwrap();
    // SAFETY: plain FFI calls on NUL-terminated names and descriptors this test owns.
    unsafe {
        let mut fd = libc::open(top.as_ptr(), libc::O_DIRECTORY | libc::O_RDONLY);
        for _ in 0..25 {
            assert_eq!(libc::mkdirat(fd, name.as_ptr(), 0o755), 0);
            let next = libc::openat(fd, name.as_ptr(), libc::O_DIRECTORY | libc::O_RDONLY);
            assert!(next >= 0);
            libc::close(fd);
            fd = next;
        }
        libc::close(fd);
    }
    let out = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let lines: Vec<Value> = std::fs::read_to_string(dir.path().join("out/report.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let failed: Vec<&Value> = lines.iter().filter(|l| l["status"] == "error").collect();
    assert_eq!(failed.len(), 1, "{lines:?}");
    assert_eq!(failed[0]["error"]["code"], "io");
    assert!(
        failed[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot list the folder")
    );
    assert!(
        dir.path().join("out/2023-zibo.txt.json").is_file(),
        "the good file is converted"
    );
}

#[test]
fn a_walk_picks_up_web_pages_and_saved_pages() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/html");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    for (from, to) in [
        ("samples/2025-zibo.html", "2025-zibo.html"),
        ("charset/2025-zibo.gbk-http-equiv.htm", "2025-zibo.htm"),
        (
            "charset/2025-zibo.undeclared-gb18030.shtml",
            "2025-zibo.shtml",
        ),
        ("charset/2025-zibo.xhtml", "2025-zibo.xhtml"),
        ("mhtml/2023-zibo.ie-base64.mht", "2023-zibo.mht"),
        ("mhtml/2024-zichuan.blink-qp.mhtml", "2024-zichuan.mhtml"),
        ("nocontent/404.html", "404.HTML"),
    ] {
        std::fs::copy(fixtures.join(from), input.join(to)).unwrap();
    }
    let out = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(out.status.code(), Some(1), "the 404 page fails");
    let r = report(&dir.path().join("out"));
    assert_eq!(r.len(), 7, "{r:?}");
    assert_eq!(r["404.HTML"]["error"]["code"], "no_content");
    let ok = r.values().filter(|l| l["status"] == "ok").count();
    assert_eq!(ok, 6, "{r:?}");
    let record: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/2023-zibo.mht.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["source"]["format"], "html");
    assert_eq!(record["source"]["encoding"], "GB18030");
}

#[test]
fn the_runs_own_jsonl_and_report_in_the_input_folder_are_not_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(corpus("2023-zibo.txt"), input.join("2023-zibo.txt")).unwrap();
    // Outputs with extensions the walk picks up, inside the input folder; the report left
    // by a previous run, and a link to the JSONL file under another name.
    std::fs::write(input.join("report.md"), "old report\n").unwrap();
    std::fs::write(input.join("records.txt"), "").unwrap();
    std::os::unix::fs::symlink("records.txt", input.join("also-records.txt")).unwrap();
    let out = noticepipe(
        &[
            "convert",
            "in",
            "--out",
            "out",
            "--jsonl",
            "in/records.txt",
            "--report",
            "in/report.md",
        ],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines: Vec<Value> = std::fs::read_to_string(input.join("report.md"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let line = |name: &str| {
        lines
            .iter()
            .find(|l| l["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no line for {name}: {lines:?}"))
            .clone()
    };
    assert_eq!(line("/2023-zibo.txt")["status"], "ok");
    for own in ["/records.txt", "/also-records.txt", "/report.md"] {
        let l = line(own);
        assert_eq!(
            (l["status"].as_str(), l["reason"].as_str()),
            (Some("skipped"), Some("run_output")),
            "{own}: {l}"
        );
    }
    assert!(!dir.path().join("out/records.txt.json").exists());
    let records = std::fs::read_to_string(input.join("records.txt")).unwrap();
    assert_eq!(records.lines().count(), 1, "one record: the notice's");
}

#[test]
fn control_characters_in_file_names_are_escaped_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    // An empty file (an error line) whose name forges a second error line and colours the
    // terminal.
    let name = "a\nerror[forged]: b\u{1b}[31m.txt";
    std::fs::write(input.join(name), b"").unwrap();
    std::fs::write(
        input.join("ok\tname.txt"),
        std::fs::read(corpus("2023-zibo.txt")).unwrap(),
    )
    .unwrap();
    for args in [
        &["convert", "in", "--out", "out", "-v"][..],
        &["parse", &format!("in/{name}")][..],
        &["detect", &format!("in/{name}")][..],
    ] {
        let out = noticepipe(args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.lines().any(|l| l.starts_with("error[forged]")),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains('\u{1b}'), "{args:?}: {stderr:?}");
        assert!(
            stderr.contains("a\\nerror[forged]: b\\u{1b}[31m.txt"),
            "{args:?}: {stderr}"
        );
        if args[0] == "convert" {
            assert!(stderr.contains("ok: in/ok\\tname.txt"), "{stderr}");
        }
    }
}
