#![allow(dead_code)]
use docmodel::{Block, BlockKind, Document, ErrorCode, Extractor, Table};
use extract_pdf::PdfExtractor;
use std::io::Write;
use std::path::PathBuf;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn extract(rel: &str) -> Document {
    PdfExtractor::default()
        .extract(&read(rel))
        .unwrap_or_else(|e| panic!("{rel}: {} {}", e.code, e.message))
}

pub fn error_code(bytes: &[u8]) -> ErrorCode {
    match PdfExtractor::default().extract(bytes) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.code,
    }
}

/// Whitespace next to a non-ASCII character removed, line breaks removed (as the parser
/// and tests/data/gen_expected.py normalize).
pub fn norm(s: &str) -> String {
    let chars: Vec<char> = s.replace('\n', "").chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if prev.is_none_or(|p| !p.is_ascii()) || next.is_none_or(|n| !n.is_ascii()) {
                continue;
            }
        }
        out.push(c);
    }
    out.trim().to_string()
}

pub fn paragraphs(doc: &Document) -> Vec<&Block> {
    doc.blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Paragraph(_)))
        .collect()
}

pub fn para_text(b: &Block) -> &str {
    match &b.kind {
        BlockKind::Paragraph(t) => t,
        _ => "",
    }
}

pub fn tables(doc: &Document) -> Vec<&Table> {
    doc.blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// All paragraph text, paragraphs separated by '\n'.
pub fn all_text(doc: &Document) -> String {
    paragraphs(doc)
        .iter()
        .map(|b| para_text(b))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A PDF of `objects` (object n+1 is `objects[n]`; object 1 is the catalog), with its xref.
pub fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (n, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", n + 1).unwrap();
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for offset in offsets {
        writeln!(out, "{offset:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}
