//! Every refusal is a typed error with a reason, never a panic, a hang or an OOM.
//! Bad inputs are built here at run time (or come from fixtures/docx/make_fixtures.py when
//! they are awkward to build in Rust, like the zip bombs).

use std::io::{Cursor, Read, Write};

use docmodel::{CodedError, ErrorCode, ExtractError, Extractor};
use extract_docx::{DocxExtractor, Error, Limits};

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/docx/",
            $name
        ))
    };
}

const ZICHUAN: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../corpus/2024-zichuan.docx"
));

fn err(bytes: &[u8]) -> ExtractError {
    err_with(Limits::DEFAULT, bytes)
}

fn err_with(limits: Limits, bytes: &[u8]) -> ExtractError {
    match DocxExtractor::new(limits).extract(bytes) {
        Ok(doc) => panic!("expected an error, got {} blocks", doc.blocks.len()),
        Err(e) => e,
    }
}

fn assert_err(e: &ExtractError, code: ErrorCode, needle: &str) {
    assert_eq!(e.code, code, "{}", e.message);
    assert!(
        e.message.contains(needle),
        "{:?} should mention {needle:?}",
        e.message
    );
}

/// The parts of a ZIP, in order.
fn parts(zip_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(zip_bytes)).expect("a valid zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut v = Vec::new();
            f.read_to_end(&mut v).expect("readable entry");
            (f.name().to_owned(), v)
        })
        .collect()
}

/// A new ZIP (stored, uncompressed) from parts.
fn zip_of(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        w.start_file(name.as_str(), opts).expect("start entry");
        w.write_all(data).expect("write entry");
    }
    w.finish().expect("finish zip").into_inner()
}

/// `src` with part `name` replaced by `data`.
fn with_part(src: &[u8], name: &str, data: &[u8]) -> Vec<u8> {
    let mut ps = parts(src);
    let slot = ps
        .iter_mut()
        .find(|(n, _)| n == name)
        .expect("the part exists");
    slot.1 = data.to_vec();
    zip_of(&ps)
}

#[test]
fn empty() {
    assert_err(&err(b""), ErrorCode::Empty, "empty");
}

#[test]
fn random_bytes_are_corrupt_zip() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    assert_err(&err(&bytes), ErrorCode::CorruptZip, "ZIP");
    // a ZIP signature in front does not make it one
    let mut pk = b"PK\x03\x04".to_vec();
    pk.extend_from_slice(&bytes);
    assert_eq!(err(&pk).code, ErrorCode::CorruptZip);
}

#[test]
fn truncated_corpus_file_is_corrupt_zip() {
    for len in [10, ZICHUAN.len() / 2, ZICHUAN.len() - 30] {
        assert_err(&err(&ZICHUAN[..len]), ErrorCode::CorruptZip, "ZIP");
    }
}

#[test]
fn damaged_compressed_data_is_corrupt_zip() {
    let mut z = zip::ZipArchive::new(Cursor::new(ZICHUAN)).unwrap();
    let f = z.by_name("word/document.xml").unwrap();
    let (start, len) = (
        f.data_start().unwrap() as usize,
        f.compressed_size() as usize,
    );
    drop(f);
    let mut bytes = ZICHUAN.to_vec();
    for b in &mut bytes[start + len / 2..start + len / 2 + 64] {
        *b = !*b;
    }
    assert_err(&err(&bytes), ErrorCode::CorruptZip, "word/document.xml");
}

#[test]
fn zip_without_a_word_document_is_unsupported() {
    assert_err(
        &err(fixture!("plain.zip")),
        ErrorCode::UnsupportedFormat,
        "word/document.xml",
    );
    // an .xlsx: its main part is a workbook
    assert_err(
        &err(fixture!("workbook.xlsx")),
        ErrorCode::UnsupportedFormat,
        "<workbook>",
    );
    // the corpus file with its document part removed
    let ps: Vec<_> = parts(ZICHUAN)
        .into_iter()
        .filter(|(n, _)| n != "word/document.xml")
        .collect();
    assert_err(
        &err(&zip_of(&ps)),
        ErrorCode::UnsupportedFormat,
        "word/document.xml",
    );
}

#[test]
fn malformed_document_xml_is_corrupt_docx() {
    for bytes in [
        &fixture!("document-truncated.docx")[..],
        fixture!("document-mismatched.docx"),
        fixture!("document-not-xml.docx"),
    ] {
        assert_err(
            &err(bytes),
            ErrorCode::CorruptDocx,
            "word/document.xml is not well-formed XML",
        );
    }
}

#[test]
fn malformed_header_is_corrupt_docx() {
    let bytes = with_part(
        ZICHUAN,
        "word/header1.xml",
        b"<w:hdr><w:p><w:r><w:t>x</w:t></w:r>",
    );
    assert_err(&err(&bytes), ErrorCode::CorruptDocx, "word/header1.xml");
}

#[test]
fn truncated_numbering_never_reaches_docx_rs() {
    // docx-rs loops forever on this; the well-formedness pass refuses it first.
    assert_err(
        &err(fixture!("numbering-truncated.docx")),
        ErrorCode::CorruptDocx,
        "word/numbering.xml is not well-formed XML",
    );
}

#[test]
fn every_truncation_of_the_xml_parts_is_refused() {
    // The docx-rs failure mode measured on damaged copies (38 of 300 hung): XML cut short.
    // A twin that reads numbering.xml, header and footer; each part cut at 60 points.
    let src = &fixture!("2025-zibo-autonumbered.docx")[..];
    let all = parts(src);
    for part in [
        "word/document.xml",
        "word/numbering.xml",
        "word/header1.xml",
        "word/footer1.xml",
    ] {
        let whole = &all.iter().find(|(n, _)| n == part).unwrap().1;
        let end = whole.iter().rposition(|&b| b == b'>').unwrap();
        for i in 1..60 {
            let cut = end * i / 60;
            let bytes = with_part(src, part, &whole[..cut]);
            let e = err(&bytes);
            assert_eq!(
                e.code,
                ErrorCode::CorruptDocx,
                "{part} cut at {cut}: {}",
                e.message
            );
            assert!(e.message.starts_with(part), "{}", e.message);
        }
    }
}

#[test]
fn docx_rs_panic_is_caught() {
    // well-formed numbering.xml with a <w:numFmt/> lacking w:val: docx-rs indexes attributes[0]
    assert_err(
        &err(fixture!("numbering-panic.docx")),
        ErrorCode::ExtractPanic,
        "docx-rs panicked reading word/numbering.xml",
    );
}

#[test]
fn zip_bomb_with_honest_header_is_refused_unread() {
    // word/document.xml: 100 MiB of zeros, ~100 KB on disk
    assert_err(
        &err(fixture!("bomb-declared.docx")),
        ErrorCode::TooLarge,
        "word/document.xml declares 104857600 bytes inflated, beyond the 64 MiB per-part limit",
    );
}

#[test]
fn zip_bomb_with_lying_header_is_cut_off() {
    // the same part claiming 1,000 bytes: the capped read stops at the limit
    let limits = Limits {
        max_part_bytes: 4 * 1024 * 1024,
        ..Limits::DEFAULT
    };
    assert_err(
        &err_with(limits, fixture!("bomb-lying.docx")),
        ErrorCode::TooLarge,
        "word/document.xml inflates beyond the 4 MiB per-part limit (it declares 1000 bytes)",
    );
    assert_err(
        &err(fixture!("bomb-lying.docx")),
        ErrorCode::TooLarge,
        "inflates beyond the 64 MiB",
    );
}

#[test]
fn other_limits() {
    let few_entries = Limits {
        max_entries: 5,
        ..Limits::DEFAULT
    };
    assert_err(
        &err_with(few_entries, ZICHUAN),
        ErrorCode::TooLarge,
        "19 entries",
    );

    let small_input = Limits {
        max_input_bytes: 1024,
        ..Limits::DEFAULT
    };
    assert_err(
        &err_with(small_input, ZICHUAN),
        ErrorCode::TooLarge,
        "beyond the 1 KiB limit",
    );

    let small_part = Limits {
        max_part_bytes: 16 * 1024,
        ..Limits::DEFAULT
    };
    assert_err(
        &err_with(small_part, ZICHUAN),
        ErrorCode::TooLarge,
        "word/document.xml declares",
    );

    let small_total = Limits {
        max_total_bytes: 20 * 1024,
        ..Limits::DEFAULT
    };
    assert_err(
        &err_with(small_total, ZICHUAN),
        ErrorCode::TooLarge,
        "20 KiB total limit",
    );

    // the defaults, as documented
    assert_eq!(Limits::default(), Limits::DEFAULT);
    assert_eq!(Limits::DEFAULT.max_input_bytes, 64 << 20);
    assert_eq!(Limits::DEFAULT.max_entries, 10_000);
    assert_eq!(Limits::DEFAULT.max_part_bytes, 64 << 20);
    assert_eq!(Limits::DEFAULT.max_total_bytes, 256 << 20);
    assert_eq!(Limits::DEFAULT.max_table_depth, 16);
}

#[test]
fn typed_errors_map_to_codes() {
    let x = DocxExtractor::default();
    assert_eq!(
        x.extract_docx(b"").unwrap_err(),
        Error::Input(docmodel::InputError::Empty)
    );
    assert_eq!(x.extract_docx(b"").unwrap_err().code(), ErrorCode::Empty);
    let e = x
        .extract_docx(fixture!("numbering-panic.docx"))
        .unwrap_err();
    assert!(matches!(e, Error::Panic { .. }));
    let e = x
        .extract_docx(fixture!("document-truncated.docx"))
        .unwrap_err();
    assert!(matches!(e, Error::MalformedXml { ref part, .. } if part == "word/document.xml"));
    assert_eq!(e.code(), ErrorCode::CorruptDocx);
    assert_eq!(x.format(), docmodel::Format::Docx);
}

#[test]
fn damaged_copies_never_panic() {
    // 300 copies of a corpus file, each with 4 bytes flipped somewhere (headers, compressed
    // data, central directory): each one extracts or is refused with a typed error.
    let mut refused = 0;
    for i in 0..300 {
        let mut bytes = ZICHUAN.to_vec();
        let at = (i * 7919 + 13) % (bytes.len() - 4);
        for b in &mut bytes[at..at + 4] {
            *b ^= 0x5A;
        }
        match DocxExtractor::default().extract(&bytes) {
            Ok(doc) => assert!(!doc.blocks.is_empty()),
            Err(e) => {
                refused += 1;
                assert!(
                    matches!(
                        e.code,
                        ErrorCode::CorruptZip
                            | ErrorCode::CorruptDocx
                            | ErrorCode::UnsupportedFormat
                    ),
                    "copy {i}: {e:?}"
                );
                assert!(!e.message.is_empty());
            }
        }
    }
    // most flips land in compressed data the extractor reads or in the central directory
    assert!(refused > 0);
}

#[test]
fn entry_count_claim_is_checked_before_the_zip_reader_trusts_it() {
    // The end-of-central-directory record claims 50,000 entries; the zip crate would reserve
    // memory for that many before finding out.
    let mut bytes = ZICHUAN.to_vec();
    let eocd = bytes.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    bytes[eocd + 8..eocd + 10].copy_from_slice(&50_000u16.to_le_bytes());
    bytes[eocd + 10..eocd + 12].copy_from_slice(&50_000u16.to_le_bytes());
    assert_err(
        &err(&bytes),
        ErrorCode::TooLarge,
        "the ZIP lists 50000 entries, beyond the limit of 10000",
    );
}

#[test]
fn list_labels_are_capped() {
    // A level whose lvlText repeats %1 five thousand times, on ten thousand numbered
    // paragraphs: the labels alone would be half a gigabyte.
    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let numbering = format!(
        "<?xml version=\"1.0\"?><w:numbering {W}><w:abstractNum w:abstractNumId=\"0\">\
         <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>\
         <w:lvlText w:val=\"{}\"/></w:lvl></w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>",
        "%1".repeat(5_000)
    );
    let paragraph = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>\
                     </w:pPr><w:r><w:t>x</w:t></w:r></w:p>";
    let document = format!(
        "<?xml version=\"1.0\"?><w:document {W}><w:body>{}</w:body></w:document>",
        paragraph.repeat(10_000)
    );
    let src = fixture!("numbering-decimal.docx");
    let docx = with_part(
        &with_part(src, "word/numbering.xml", numbering.as_bytes()),
        "word/document.xml",
        document.as_bytes(),
    );
    let doc = DocxExtractor::default().extract(&docx).expect("extracts");
    let longest = doc
        .body()
        .filter_map(|b| match &b.kind {
            docmodel::BlockKind::Paragraph(t) => Some(t.chars().count()),
            _ => None,
        })
        .max()
        .unwrap();
    assert!(
        longest <= extract_docx::MAX_LABEL_CHARS + 2,
        "{longest} characters"
    );
}
