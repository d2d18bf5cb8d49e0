//! `noticepipe export`: the five tables from a folder of records, a folder of notices,
//! record files and notices together; the files of one notice give one row set; what
//! cannot be read is named and the rest still exported; nothing read is a failure.

mod common;

use common::{corpus, noticepipe, records_of_corpus, repo, stderr};

fn csv_rows(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with('\u{feff}'), "{}: a BOM", path.display());
    text.trim_end().split("\r\n").map(str::to_string).collect()
}

#[test]
fn tables_from_a_folder_of_records() {
    let dir = tempfile::tempdir().unwrap();
    let records = records_of_corpus(dir.path());
    let tables = dir.path().join("tables");
    let out = noticepipe(
        &[
            "export",
            records.to_str().unwrap(),
            "--out",
            tables.to_str().unwrap(),
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for name in noticepipe_runner::export::TABLES {
        assert!(tables.join(name).is_file(), "{name}");
    }
    // Fifteen records (the five notices in three formats; the run's report.jsonl beside
    // them is no record), five notices of ten items each, and the header.
    let items = csv_rows(&tables.join("items.csv"));
    assert_eq!(items.len(), 51);
    assert!(
        items[1].starts_with("corpus/2023-zibo.docx、corpus/2023-zibo.pdf、corpus/2023-zibo.txt,"),
        "the row names the notice's three files: {}",
        items[1]
    );
    assert!(
        stderr(&out).contains("exported 5 notices (15 files), 50 items"),
        "{}",
        stderr(&out)
    );
    // --keep-duplicates: every file's rows.
    let kept = dir.path().join("kept");
    let out = noticepipe(
        &[
            "export",
            records.to_str().unwrap(),
            "--out",
            kept.to_str().unwrap(),
            "--keep-duplicates",
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(csv_rows(&kept.join("items.csv")).len(), 151);
}

#[test]
fn tables_from_a_folder_of_notices() {
    // A new user's first try: the folder of notices itself (it exported nothing before).
    let dir = tempfile::tempdir().unwrap();
    let tables = dir.path().join("tables");
    let out = noticepipe(
        &["export", "corpus", "--out", tables.to_str().unwrap()],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("exported 5 notices (15 files), 50 items"),
        "{}",
        stderr(&out)
    );
    let quantities = csv_rows(&tables.join("quantities.csv"));
    assert!(quantities.len() > 5, "amounts found: {quantities:?}");
    assert!(
        quantities
            .iter()
            .any(|r| r.contains(",不低于3万元,30000,,元,>=,")),
        "2025-zibo item 2's grant"
    );
}

#[test]
fn nothing_read_is_a_failure_and_writes_no_table() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"not\": \"a record\"}").unwrap();
    for input in [&empty, &bad] {
        let tables = dir.path().join("tables");
        let out = noticepipe(
            &[
                "export",
                input.to_str().unwrap(),
                "--out",
                tables.to_str().unwrap(),
            ],
            &repo(),
        );
        assert_eq!(out.status.code(), Some(1), "{}", input.display());
        assert!(
            stderr(&out).contains("nothing to export"),
            "{}",
            stderr(&out)
        );
        assert!(!tables.exists(), "no tables written");
    }
}

#[test]
fn notices_and_record_files_together_and_a_bad_input_named() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("zibo.json");
    let out = noticepipe(
        &["parse", corpus("2025-zibo.txt").to_str().unwrap()],
        &repo(),
    );
    std::fs::write(&record, &out.stdout).unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"not\": \"a record\"}").unwrap();
    let tables = dir.path().join("tables");
    let out = noticepipe(
        &[
            "export",
            record.to_str().unwrap(),
            corpus("2024-zichuan.docx").to_str().unwrap(),
            bad.to_str().unwrap(),
            "--out",
            tables.to_str().unwrap(),
            "--in-process",
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(1), "a bad input fails the run");
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}: not a noticepipe record", bad.display())),
        "{err}"
    );
    let units = csv_rows(&tables.join("units.csv"));
    assert!(
        units.iter().any(|r| r.contains("川政办字〔2024〕13号")),
        "the notice parsed"
    );
    assert!(
        units.iter().any(|r| r.contains("淄政办字〔2025〕15号")),
        "the record read"
    );
}
