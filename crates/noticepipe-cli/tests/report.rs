//! What `convert` says about each input: report lines (their fields and their committed
//! JSON Schema), `--report`, error lines on stderr, `-q`/`-v`, re-streamed up-to-date
//! records, `--files-from`, `--include`/`--exclude`; and `completions` and `man`.

mod common;

use std::path::Path;

use common::{corpus, noticepipe, repo, report, stderr};
use serde_json::Value;

/// A folder with two corpus notices, a broken PDF, a note that is not a document and a
/// hidden file.
fn mixed_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(inputs.join("2024")).unwrap();
    std::fs::copy(corpus("2025-zibo.txt"), inputs.join("2025-zibo.txt")).unwrap();
    std::fs::copy(
        corpus("2024-zichuan.docx"),
        inputs.join("2024/zichuan.docx"),
    )
    .unwrap();
    std::fs::write(inputs.join("broken.pdf"), b"%PDF-1.7\nnot really").unwrap();
    std::fs::write(inputs.join("notes.rst"), b"# notes").unwrap();
    std::fs::write(inputs.join(".hidden.txt"), b"x").unwrap();
    dir
}

fn lines(text: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(text)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn report_lines_name_the_record_hash_warnings_and_reasons() {
    let dir = mixed_folder();
    let run = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let lines = report(&dir.path().join("out"));
    let ok = &lines["2025-zibo.txt"];
    assert_eq!(ok["status"], "ok");
    assert!(ok["reason"].is_null() && ok["error"].is_null());
    let record_path = ok["record"].as_str().expect("a record path");
    assert!(
        record_path.ends_with("out/2025-zibo.txt.json"),
        "{record_path}"
    );
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(record_path).unwrap()).unwrap();
    assert_eq!(ok["sha256"], record["source"]["sha256"]);
    let codes: Vec<&Value> = record["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| &w["code"])
        .collect();
    assert_eq!(
        ok["warning_codes"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        codes
    );
    assert_eq!(ok["warnings"].as_u64().unwrap() as usize, codes.len());

    let broken = &lines["broken.pdf"];
    assert_eq!(broken["status"], "error");
    assert_eq!(broken["error"]["code"], "corrupt_pdf");
    assert!(broken["record"].is_null());
    assert_eq!(broken["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(lines["notes.rst"]["reason"], "not_a_document");
    assert_eq!(lines[".hidden.txt"]["reason"], "hidden");

    // The second run keeps the records: skipped as up to date, still naming record and hash.
    let again = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(again.status.code(), Some(1));
    let lines = report(&dir.path().join("out"));
    assert_eq!(lines["2025-zibo.txt"]["status"], "skipped");
    assert_eq!(lines["2025-zibo.txt"]["reason"], "up_to_date");
    assert_eq!(lines["2025-zibo.txt"]["record"], record_path);
    assert_eq!(lines["2025-zibo.txt"]["sha256"], ok["sha256"]);
    assert_eq!(lines["broken.pdf"]["status"], "error");
}

#[test]
fn report_lines_follow_the_committed_schema() {
    let path = repo().join("schema/report-line.schema.json");
    let generated = noticepipe(&["schema", "--report"], &repo());
    assert!(generated.status.success());
    if std::env::var_os("NOTICEPIPE_BLESS").is_some() {
        std::fs::write(&path, &generated.stdout).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == generated.stdout,
        "schema/report-line.schema.json is stale: run `noticepipe schema --report > schema/report-line.schema.json`"
    );
    let schema: Value = serde_json::from_slice(&committed).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let dir = mixed_folder();
    let run = noticepipe(&["convert", "in", "--out", "out"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    let lines = report(&dir.path().join("out"));
    assert_eq!(lines.len(), 5);
    for (name, line) in &lines {
        let errors: Vec<String> = validator.iter_errors(line).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
    // And it refuses what is not a report line.
    let mut bad = lines["2025-zibo.txt"].clone();
    bad["status"] = "done".into();
    assert!(!validator.is_valid(&bad));
    let mut bad = lines["2025-zibo.txt"].clone();
    bad["sha256"] = "xyz".into();
    assert!(!validator.is_valid(&bad));
    let mut bad = lines["2025-zibo.txt"].clone();
    bad.as_object_mut().unwrap().remove("record");
    assert!(!validator.is_valid(&bad));
}

#[test]
fn streaming_shows_errors_on_stderr_and_the_report_where_asked() {
    let dir = mixed_folder();
    let run = noticepipe(
        &["convert", "in", "--jsonl", "-", "--report", "report.jsonl"],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(
        err.lines()
            .any(|l| l.starts_with("error[corrupt_pdf]: in/broken.pdf: ")),
        "{err}"
    );
    let records = lines(&run.stdout);
    assert_eq!(records.len(), 2);
    let report = lines(&std::fs::read(dir.path().join("report.jsonl")).unwrap());
    assert_eq!(report.len(), 5);
    assert!(
        report.iter().all(|l| l["record"].is_null()),
        "nothing is written to disk"
    );

    // --report - with records to a file.
    let run = noticepipe(
        &["convert", "in", "--jsonl", "records.jsonl", "--report", "-"],
        dir.path(),
    );
    assert_eq!(lines(&run.stdout).len(), 5);
    // One stream cannot take both.
    let both = noticepipe(
        &["convert", "in", "--jsonl", "-", "--report", "-"],
        dir.path(),
    );
    assert_eq!(both.status.code(), Some(2));
    assert!(stderr(&both).contains("cannot share"), "{}", stderr(&both));
}

#[test]
fn quiet_and_verbose() {
    let dir = mixed_folder();
    let quiet = noticepipe(&["convert", "-q", "in", "--jsonl", "/dev/null"], dir.path());
    assert_eq!(quiet.status.code(), Some(1));
    assert_eq!(stderr(&quiet), "");
    let verbose = noticepipe(&["-v", "convert", "in", "--jsonl", "/dev/null"], dir.path());
    let err = stderr(&verbose);
    assert!(err.contains("ok: in/2025-zibo.txt"), "{err}");
    assert!(
        err.contains("skipped: in/notes.rst: not_a_document"),
        "{err}"
    );
    assert!(err.contains("error[corrupt_pdf]: in/broken.pdf"), "{err}");
    assert!(
        err.lines()
            .last()
            .unwrap()
            .starts_with("converted 2, skipped 2, failed 1"),
        "{err}"
    );
}

#[test]
fn up_to_date_records_are_streamed_again() {
    let dir = mixed_folder();
    let first = noticepipe(
        &["convert", "in", "--out", "out", "--jsonl", "-"],
        dir.path(),
    );
    let second = noticepipe(
        &["convert", "in", "--out", "out", "--jsonl", "-"],
        dir.path(),
    );
    let sorted = |out: &[u8]| {
        let mut l: Vec<String> = String::from_utf8_lossy(out)
            .lines()
            .map(String::from)
            .collect();
        l.sort();
        l
    };
    assert_eq!(sorted(&first.stdout).len(), 2);
    assert_eq!(sorted(&first.stdout), sorted(&second.stdout));
    assert_eq!(
        report(&dir.path().join("out"))["2025-zibo.txt"]["reason"],
        "up_to_date"
    );
}

#[test]
fn files_from_and_globs_choose_the_inputs() {
    let dir = mixed_folder();
    std::fs::write(
        dir.path().join("list.txt"),
        "in/2025-zibo.txt\r\n\nin/broken.pdf\n",
    )
    .unwrap();
    let run = noticepipe(
        &[
            "convert",
            "--files-from",
            "list.txt",
            "--jsonl",
            "/dev/null",
            "--report",
            "-",
        ],
        dir.path(),
    );
    let report = lines(&run.stdout);
    let paths: Vec<&str> = report.iter().map(|l| l["path"].as_str().unwrap()).collect();
    assert_eq!(report.len(), 2, "{paths:?}");
    assert!(paths.contains(&"in/2025-zibo.txt") && paths.contains(&"in/broken.pdf"));

    let globbed = |extra: &[&str]| {
        let mut args = vec!["convert", "in", "--jsonl", "/dev/null", "--report", "-"];
        args.extend(extra);
        let run = noticepipe(&args, dir.path());
        lines(&run.stdout)
            .into_iter()
            .map(|l| {
                let name = Path::new(l["path"].as_str().unwrap())
                    .strip_prefix("in")
                    .unwrap()
                    .display()
                    .to_string();
                (
                    name,
                    l["status"].as_str().unwrap().to_string(),
                    l["reason"].as_str().map(String::from),
                )
            })
            .collect::<std::collections::BTreeSet<_>>()
    };
    let included = globbed(&["--include", "**/*.docx"]);
    assert!(
        included.contains(&("2024/zichuan.docx".into(), "ok".into(), None)),
        "{included:?}"
    );
    assert!(included.contains(&(
        "2025-zibo.txt".into(),
        "skipped".into(),
        Some("not_included".into())
    )));
    let excluded = globbed(&["--exclude", "2024/**", "--exclude", "*.pdf"]);
    assert!(
        excluded.contains(&(
            "2024/zichuan.docx".into(),
            "skipped".into(),
            Some("excluded".into())
        )),
        "{excluded:?}"
    );
    assert!(excluded.contains(&(
        "broken.pdf".into(),
        "skipped".into(),
        Some("excluded".into())
    )));
    assert!(excluded.contains(&("2025-zibo.txt".into(), "ok".into(), None)));
    // `*` stays within a folder.
    let shallow = globbed(&["--include", "*.docx"]);
    assert!(shallow.contains(&(
        "2024/zichuan.docx".into(),
        "skipped".into(),
        Some("not_included".into())
    )));
    let bad = noticepipe(
        &["convert", "in", "--jsonl", "-", "--include", "a[b"],
        dir.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("not a glob pattern"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn completions_and_manual_page() {
    let bash = noticepipe(&["completions", "bash"], &repo());
    assert!(bash.status.success());
    let script = String::from_utf8_lossy(&bash.stdout);
    assert!(
        script.contains("complete") && script.contains("--files-from"),
        "{script:.200}"
    );
    let fish = noticepipe(&["completions", "fish"], &repo());
    assert!(String::from_utf8_lossy(&fish.stdout).contains("complete -c noticepipe"));
    let man = noticepipe(&["man"], &repo());
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH noticepipe"),
        "{page:.200}"
    );
    assert!(page.contains("convert"));
}
