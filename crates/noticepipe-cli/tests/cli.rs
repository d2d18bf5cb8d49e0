//! The command line as a user runs it: `parse`, `convert`, `schema`.

mod common;

use common::{noticepipe, repo, stderr};

#[test]
fn parse_prints_the_record_as_pretty_json() {
    let out = noticepipe(&["parse", "corpus/2024-zichuan.txt"], &repo());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["schema_version"], noticepipe_output::SCHEMA_VERSION);
    assert_eq!(record["source"]["path"], "corpus/2024-zichuan.txt");
    assert_eq!(record["doc_number"]["text"], "川政办字〔2024〕13号");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("{\n  \"schema_version\""));
}

#[test]
fn parse_errors_name_the_code_and_the_file_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.pdf"), b"").unwrap();
    std::fs::write(dir.path().join("binary.txt"), b"\x00\x01\x02\x03binary\x00").unwrap();
    let out = noticepipe(&["parse", "empty.pdf"], dir.path());
    assert_eq!(
        (out.status.code(), stderr(&out).trim()),
        (Some(1), "error[empty]: empty.pdf: the file has zero bytes")
    );
    assert!(out.stdout.is_empty());
    let out = noticepipe(&["parse", "binary.txt"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error[not_text]: binary.txt: "),
        "{}",
        stderr(&out)
    );
    let out = noticepipe(&["parse", "missing.txt"], dir.path());
    assert!(
        stderr(&out).starts_with("error[io]: missing.txt: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(noticepipe(&["parse"], &repo()).status.code(), Some(2));
    assert_eq!(noticepipe(&["frobnicate"], &repo()).status.code(), Some(2));
    assert_eq!(
        noticepipe(&["convert", "corpus"], &repo()).status.code(),
        Some(2),
        "--out is required"
    );
}

#[test]
fn a_good_notice_with_the_wrong_extension_converts_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("corpus/2025-zibo.txt"),
        dir.path().join("notice.pdf"),
    )
    .unwrap();
    let out = noticepipe(&["parse", "notice.pdf"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["source"]["format"], "txt");
    let codes: Vec<&str> = record["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["extension_mismatch"]);
    assert_eq!(record["items"].as_array().unwrap().len(), 10);
}

#[test]
fn schema_prints_the_committed_schema() {
    let out = noticepipe(&["schema"], &repo());
    let committed = std::fs::read_to_string(repo().join("schema/record.schema.json")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), committed);
}

#[test]
fn parse_prints_one_json_line_when_asked() {
    let out = noticepipe(
        &["parse", "--format", "jsonl", "corpus/2025-zibo.txt"],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    let record: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(record["doc_number"]["text"], "淄政办字〔2025〕15号");
}

#[test]
fn version_names_the_record_schema() {
    let out = noticepipe(&["--version"], &repo());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!(
            "record schema {}",
            noticepipe_output::SCHEMA_VERSION
        )),
        "{text}"
    );
}

#[test]
fn detect_says_what_each_file_is_and_names_the_ones_it_cannot_read() {
    let out = noticepipe(
        &[
            "detect",
            "corpus/2025-zibo.pdf",
            "corpus/2024-zichuan.txt",
            "fixtures/bad/zero-bytes.pdf",
        ],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(1), "one file cannot be read");
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (lines[0]["format"].as_str(), lines[0]["pages"].as_u64()),
        (Some("pdf"), Some(5))
    );
    assert_eq!(lines[1]["encoding"], "UTF-8");
    assert!(
        stderr(&out).contains("error[empty]: fixtures/bad/zero-bytes.pdf"),
        "{}",
        stderr(&out)
    );
}

/// `--units-table FILE` extends the canonical names, in workers and in process alike; a
/// bad file is refused before any work, naming the file and the line.
#[test]
fn a_units_table_extends_the_canonical_names_and_its_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("units.tsv");
    std::fs::write(&table, "# 淄博的写法\n市妇联\t淄博市妇女联合会\n").unwrap();
    let sample = repo().join("corpus/2025-zibo.txt");
    for mode in [None, Some("--in-process")] {
        let mut args = vec![
            "convert",
            sample.to_str().unwrap(),
            "--jsonl",
            "-",
            "--units-table",
            table.to_str().unwrap(),
        ];
        args.extend(mode);
        let out = noticepipe(&args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let units = &record["items"][0]["canonical_units"];
        assert_eq!(units["市妇联"], "淄博市妇女联合会", "{mode:?}");
        assert_eq!(
            units["市人力资源社会保障局"], "市人力资源和社会保障局",
            "{mode:?}"
        );
    }
    std::fs::write(&table, "市妇联\t淄博市妇女联合会\n市妇联\n").unwrap();
    let out = noticepipe(
        &[
            "convert",
            sample.to_str().unwrap(),
            "--jsonl",
            "-",
            "--units-table",
            table.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("{}:2: ", table.display())),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}
