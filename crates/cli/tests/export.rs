//! `noticepipe export`: the four tables from a folder of records, from record files and
//! straight from notices; what cannot be read is named and the rest still exported.

mod common;

use common::{corpus, noticepipe, repo, stderr};

fn csv_rows(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with('\u{feff}'), "{}: a BOM", path.display());
    text.trim_end().split("\r\n").map(str::to_string).collect()
}

#[test]
fn tables_from_a_folder_of_records() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records");
    let out = noticepipe(
        &["convert", "corpus", "--out", records.to_str().unwrap()],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
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
    for name in ["items.csv", "units.csv", "items.xlsx", "progress.xlsx"] {
        assert!(tables.join(name).is_file(), "{name}");
    }
    // Fifteen records of ten items each, and the header.
    assert_eq!(csv_rows(&tables.join("items.csv")).len(), 151);
    assert!(
        stderr(&out).contains("exported 15 notices, 150 items"),
        "{}",
        stderr(&out)
    );
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
