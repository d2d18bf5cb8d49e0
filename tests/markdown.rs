//! A notice as a converter writes it in Markdown (fixtures/md, made by make_md.py from the
//! TXT) gives the record of its DOCX, and its front matter lands in `source.metadata`.

use noticepipe_tests::{
    differences, differences_from_twin, format_independent, record_of, record_of_bytes, repo_root,
};

const MD: &str = "fixtures/md/2025-zibo.md";
const DOCX: &str = "corpus/2025-zibo.docx";

#[test]
fn the_markdown_notice_gives_the_docx_record() {
    let diffs = differences_from_twin(MD, DOCX);
    assert!(
        diffs.is_empty(),
        "{MD} differs from {DOCX}:\n  {}",
        diffs.join("\n  ")
    );
}

/// Crawls separate paragraphs by a single newline: the same file with its blank lines
/// removed is one Markdown paragraph per section, and the soft-break rule splits it back.
#[test]
fn without_blank_lines_the_soft_breaks_give_the_same_record() {
    let text = std::fs::read_to_string(repo_root().join(MD)).unwrap();
    let (front, body) = text.split_at(text.find("\n---\n").unwrap() + 5);
    let crawled = format!("{front}{}", body.replace("\n\n", "\n"));
    assert!(!body.trim().replace("\n\n", "\n").contains("\n\n"));
    let record = record_of_bytes("crawled.md", crawled.as_bytes());
    let reference = format_independent(&record_of(DOCX));
    let diffs = differences(&reference, &format_independent(&record));
    assert!(diffs.is_empty(), "{}", diffs.join("\n  "));
}

#[test]
fn front_matter_is_the_source_metadata() {
    let record = record_of(MD);
    let json = serde_json::to_value(&record.source).unwrap();
    assert_eq!(json["format"], "markdown");
    assert_eq!(json["encoding"], "UTF-8");
    let metadata = &json["metadata"];
    assert_eq!(
        metadata["title"],
        "关于印发2025年为全市妇女儿童办实事项目清单的通知"
    );
    let info = metadata["page"]["info"].as_array().unwrap();
    assert_eq!(info[0]["label"], "文号");
    assert_eq!(info[0]["value"], "淄政办字〔2025〕15号");
    assert_eq!(info[1]["label"], "发文机关");
    assert!(
        record.notice.warnings.is_empty(),
        "{:?}",
        record.notice.warnings
    );
}
