//! Each way a compound file can be refused gets its error code and a message that says why
//! (fixtures/bad/, written by `cargo run -p extract-doc --example make_bad`), the limits
//! hold, and damaged copies of a good file never panic or hang.

use std::path::PathBuf;

use docmodel::{CodedError, ErrorCode};
use extract_doc::{DocExtractor, Error, Limits};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn error_of(bytes: &[u8]) -> Error {
    match DocExtractor::default().extract_doc(bytes) {
        Ok(doc) => panic!("extracted {} blocks", doc.blocks.len()),
        Err(e) => e,
    }
}

#[test]
fn each_bad_file_gets_its_code_and_reason() {
    let cases: &[(&str, ErrorCode, &str)] = &[
        ("doc-truncated.doc", ErrorCode::CorruptDoc, "compound file"),
        (
            "doc-fat-cycle.doc",
            ErrorCode::CorruptDoc,
            "pointed to twice",
        ),
        (
            "doc-fat-loop.doc",
            ErrorCode::CorruptDoc,
            "duplicate sector",
        ),
        ("doc-encrypted.doc", ErrorCode::Encrypted, "fEncrypted"),
        (
            "doc-word95.doc",
            ErrorCode::UnsupportedFormat,
            "Word 6.0/95",
        ),
        (
            "doc-no-piece-table.doc",
            ErrorCode::CorruptDoc,
            "piece table",
        ),
        ("works.wps", ErrorCode::UnsupportedFormat, "Microsoft Works"),
        (
            "workbook.xls",
            ErrorCode::UnsupportedFormat,
            "Excel workbook",
        ),
        (
            "encrypted-package.docx",
            ErrorCode::Encrypted,
            "EncryptedPackage",
        ),
    ];
    let mut wrong = Vec::new();
    for (name, code, says) in cases {
        let e = error_of(&read(&format!("fixtures/bad/{name}")));
        let message = e.to_string();
        if e.code() != *code || !message.contains(says) {
            wrong.push(format!(
                "{name}: expected {code} saying {says:?}, got {}: {message}",
                e.code()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn empty_and_non_compound_input() {
    assert_eq!(error_of(b""), Error::Input(docmodel::InputError::Empty));
    assert_eq!(error_of(b"hello").code(), ErrorCode::CorruptDoc);
    let mut header_only = extract_doc::OLE2_MAGIC.to_vec();
    header_only.resize(512, 0);
    assert_eq!(error_of(&header_only).code(), ErrorCode::CorruptDoc);
}

#[test]
fn limits_are_enforced_with_too_large() {
    let good = read("fixtures/doc/2024-zichuan.doc");
    let refused = |limits: Limits| DocExtractor::new(limits).extract_doc(&good).unwrap_err();
    let d = Limits::DEFAULT;
    for (limits, says) in [
        (
            Limits {
                max_input_bytes: 1000,
                ..d
            },
            "beyond the 1000 bytes limit",
        ),
        (
            Limits {
                max_stream_bytes: 4096,
                ..d
            },
            "per-stream limit",
        ),
        (
            Limits {
                max_chars: 100,
                ..d
            },
            "characters",
        ),
        (
            Limits {
                max_paragraphs: 10,
                ..d
            },
            "paragraph",
        ),
        (Limits { max_pieces: 0, ..d }, "pieces"),
    ] {
        let e = refused(limits);
        assert_eq!(e.code(), ErrorCode::TooLarge, "{limits:?}: {e}");
        assert!(e.to_string().contains(says), "{says}: {e}");
    }
    assert!(DocExtractor::default().extract_doc(&good).is_ok());
}

/// Cuts and byte flips of good files: every one returns (a document or a typed error), none
/// panics; the limits bound the work, so the run is quick.
#[test]
fn damaged_copies_never_panic() {
    let mut tried = 0;
    for rel in [
        "fixtures/doc/2025-zibo-autonumbered.doc",
        "fixtures/genre/2025-songling-two-row-header.doc",
    ] {
        let good = read(rel);
        for cut in (0..good.len()).step_by(good.len() / 97 + 1) {
            let _ = DocExtractor::default().extract_doc(&good[..cut]);
            tried += 1;
        }
        // A deterministic walk over the bytes (xorshift): one byte changed per copy.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..600 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut bad = good.clone();
            let at = (x as usize) % bad.len();
            bad[at] ^= (x >> 32) as u8 | 1;
            let _ = DocExtractor::default().extract_doc(&bad);
            tried += 1;
        }
    }
    assert!(tried > 1000);
}
