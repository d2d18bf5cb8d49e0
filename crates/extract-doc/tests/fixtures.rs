//! Blocks of small fixtures, exactly.

use docmodel::{BlockKind, Extractor};
use extract_doc::DocExtractor;

fn paragraphs(rel: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let doc = DocExtractor::default().extract(&bytes).expect("extracts");
    doc.blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Paragraph(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// fixtures/docx/tracked-changes.docx through LibreOffice: deletions are revision marks
/// in the .doc. Word shows the final text, and so do we — the DOCX reader's paragraphs.
#[test]
fn tracked_changes_show_the_final_text() {
    assert_eq!(
        paragraphs("fixtures/doc/tracked-changes.doc"),
        [
            "本通知自2025年1月1日起施行。",
            "甲新位置乙",
            "第一段第二段", // a deleted paragraph mark joins the paragraphs
            "不应编号",
            "一、有编号",
            "新增段落",
        ]
    );
}

/// A list drawn from the list tables: the labels of the auto-numbered corpus notice.
#[test]
fn automatic_numbering_is_drawn() {
    let paras = paragraphs("fixtures/doc/2025-zibo-autonumbered.doc");
    let labelled: Vec<&String> = paras.iter().filter(|p| p.contains("（责任单位")).collect();
    let firsts: Vec<String> = labelled
        .iter()
        .map(|p| p.chars().take_while(|c| *c != '、').collect())
        .collect();
    assert_eq!(
        firsts,
        ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    );
}
