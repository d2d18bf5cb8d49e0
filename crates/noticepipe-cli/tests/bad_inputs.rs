//! Every file in fixtures/bad/ gets its exact outcome: a typed error, or a record with the
//! right warnings. Files too big to commit are made here at run time.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{command, repo};
use noticepipe_tests::without_source_and_provenance;

use serde_json::Value;

fn parse(path: &Path) -> Output {
    command().arg("parse").arg(path).output().expect("runs")
}

/// The error code `parse` reports, or "ok".
fn outcome(path: &Path) -> (String, String) {
    let out = parse(path);
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    match out.status.code() {
        Some(0) => (
            "ok".into(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        ),
        Some(1) => {
            let code = stderr
                .strip_prefix("error[")
                .and_then(|s| s.split(']').next())
                .unwrap_or("?")
                .to_string();
            assert!(
                stderr.contains(&path.display().to_string()),
                "the message names the file: {stderr}"
            );
            (code, stderr)
        }
        other => panic!("{}: exit {other:?}: {stderr}", path.display()),
    }
}

fn bad(name: &str) -> PathBuf {
    repo().join("fixtures/bad").join(name)
}

#[test]
fn each_bad_file_gets_its_exact_error_code() {
    let expected = [
        ("zero-bytes.txt", "empty"),
        ("zero-bytes.docx", "empty"),
        ("zero-bytes.pdf", "empty"),
        ("random-bytes.txt", "not_text"),
        ("random-bytes.docx", "not_text"),
        ("random-bytes.pdf", "not_text"),
        ("docx-cut-in-half.docx", "corrupt_zip"),
        ("pdf-cut-in-half.pdf", "corrupt_pdf"),
        ("zip-not-docx.docx", "unsupported_format"),
        ("zip-bomb.docx", "too_large"),
        ("nested-tables.docx", "too_large"),
        ("image-only.pdf", "no_text_layer"),
        ("pages-loop.pdf", "corrupt_pdf"),
        ("user-password.pdf", "encrypted"),
        ("doc-truncated.doc", "corrupt_doc"),
        ("doc-fat-cycle.doc", "corrupt_doc"),
        ("doc-fat-loop.doc", "corrupt_doc"),
        ("doc-no-piece-table.doc", "corrupt_doc"),
        ("doc-encrypted.doc", "encrypted"),
        ("doc-word95.doc", "unsupported_format"),
        ("works.wps", "unsupported_format"),
        ("workbook.xls", "unsupported_format"),
        ("encrypted-package.docx", "encrypted"),
    ];
    let mut wrong = Vec::new();
    for (name, code) in expected {
        let (got, message) = outcome(&bad(name));
        if got != code {
            wrong.push(format!(
                "{name}: expected {code}, got {got}: {}",
                &message[..message.len().min(300)]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let (_, message) = outcome(&bad("image-only.pdf"));
    assert!(message.contains("OCR"), "{message}");
}

fn warning_codes(record: &Value) -> Vec<String> {
    record["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap().to_string())
        .collect()
}

fn record_of(path: &Path) -> Value {
    let (code, stdout) = outcome(path);
    assert_eq!(code, "ok", "{}: {stdout}", path.display());
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn a_text_file_named_docx_is_read_as_text() {
    let record = record_of(&bad("text-named.docx"));
    assert_eq!(record["source"]["format"], "txt");
    assert_eq!(
        warning_codes(&record),
        vec!["missing_date", "no_items", "extension_mismatch"]
    );
}

#[test]
fn a_good_notice_with_the_wrong_extension_converts_with_a_warning() {
    let record = record_of(&bad("2025-zibo-docx-named.pdf"));
    assert_eq!(record["source"]["format"], "docx");
    assert_eq!(warning_codes(&record), vec!["extension_mismatch"]);
    let mut expected =
        without_source_and_provenance(record_of(&repo().join("corpus/2025-zibo.txt")));
    let mut got = without_source_and_provenance(record);
    expected.as_object_mut().unwrap().remove("warnings");
    got.as_object_mut().unwrap().remove("warnings");
    assert_eq!(got, expected);
}

#[test]
fn an_owner_password_only_pdf_converts_normally() {
    let record = record_of(&bad("owner-password-only.pdf"));
    let expected = record_of(&repo().join("corpus/2024-zichuan.txt"));
    assert_eq!(
        without_source_and_provenance(record),
        without_source_and_provenance(expected)
    );
}

#[test]
fn fifty_megabyte_texts_are_refused_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let line = "为进一步推动全区妇女儿童事业健康发展，经区政府研究决定，现将有关事项通知如下。\n";
    let lines = dir.path().join("lines.txt");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&lines).unwrap());
    while f.get_ref().metadata().unwrap().len() < 50 << 20 {
        for _ in 0..10_000 {
            f.write_all(line.as_bytes()).unwrap();
        }
        f.flush().unwrap();
    }
    drop(f);
    let single = dir.path().join("single-line.txt");
    std::fs::write(&single, line.trim_end().repeat((50 << 20) / line.len() + 1)).unwrap();
    for path in [&lines, &single] {
        let (code, message) = outcome(path);
        assert_eq!(code, "too_large", "{message}");
        assert!(message.contains("limit"), "{message}");
    }
}

/// A zip whose document.xml honestly declares and really inflates to 3 GiB of zeros,
/// written from one repeated deflate block (~3 MB on disk).
#[test]
fn a_multi_gigabyte_zip_bomb_is_refused_early() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.docx");
    std::fs::write(&path, honest_zip_bomb(3 << 10)).unwrap();
    let (code, message) = outcome(&path);
    assert_eq!(code, "too_large", "{message}");
    assert!(
        message.contains("word/document.xml") && message.contains("limit"),
        "{message}"
    );
}

fn honest_zip_bomb(inflated_mib: u32) -> Vec<u8> {
    // A non-final fixed-Huffman block for 1 MiB of zeros, ending byte-aligned: a literal 0,
    // then length-258 matches at distance 1, then an empty stored block (sync flush).
    let mut bits = BitWriter::default();
    bits.put(0, 1); // BFINAL = 0
    bits.put(1, 2); // BTYPE = fixed Huffman
    bits.put_huffman(0b00110000, 8); // literal 0
    let mut left = (1u32 << 20) - 1;
    while left >= 258 {
        bits.put_huffman(0b11000101, 8); // length code 285 = 258
        bits.put_huffman(0, 5); // distance code 0 = 1
        left -= 258;
    }
    for _ in 0..left {
        bits.put_huffman(0b00110000, 8);
    }
    bits.put_huffman(0, 7); // end of block (256)
    bits.put(0, 1);
    bits.put(0, 2); // stored block
    let mut block = bits.finish();
    block.extend([0x00, 0x00, 0xFF, 0xFF]);
    let mut data = Vec::with_capacity(block.len() * inflated_mib as usize + 2);
    for _ in 0..inflated_mib {
        data.extend(&block);
    }
    data.extend([0x03, 0x00]); // final empty fixed block
    let size = (inflated_mib as u64) << 20;
    let name = b"word/document.xml";
    let mut zip = Vec::new();
    let header = |sig: u32, central: bool| {
        let mut h = Vec::new();
        h.extend(sig.to_le_bytes());
        if central {
            h.extend(20u16.to_le_bytes());
        }
        h.extend(20u16.to_le_bytes());
        h.extend(0u16.to_le_bytes());
        h.extend(8u16.to_le_bytes());
        h.extend(0u32.to_le_bytes()); // time, date
        h.extend(0u32.to_le_bytes()); // crc (never reached)
        h.extend((data.len() as u32).to_le_bytes());
        h.extend((size as u32).to_le_bytes());
        h.extend((name.len() as u16).to_le_bytes());
        h.extend(0u16.to_le_bytes());
        if central {
            // comment length, disk, internal and external attributes, local header offset 0
            h.extend([0u8; 14]);
        }
        h.extend(name);
        h
    };
    zip.extend(header(0x04034B50, false));
    zip.extend(&data);
    let central_at = zip.len();
    let central = header(0x02014B50, true);
    zip.extend(&central);
    zip.extend(0x06054B50u32.to_le_bytes());
    zip.extend([0u8; 4]);
    zip.extend(1u16.to_le_bytes());
    zip.extend(1u16.to_le_bytes());
    zip.extend((central.len() as u32).to_le_bytes());
    zip.extend((central_at as u32).to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    zip
}

#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    fn put(&mut self, value: u64, bits: u32) {
        self.acc |= value << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// Huffman codes go most significant bit first.
    fn put_huffman(&mut self, code: u64, bits: u32) {
        let reversed = (0..bits).fold(0, |r, i| r | (((code >> i) & 1) << (bits - 1 - i)));
        self.put(reversed, bits);
    }
    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

#[test]
fn a_batch_over_bad_files_and_the_corpus_writes_every_good_record() {
    let dir = tempfile::tempdir().unwrap();
    let out = command()
        .args(["convert"])
        .arg(repo().join("fixtures/bad"))
        .arg(repo().join("corpus"))
        .args(["--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Vec<Value> = std::fs::read_to_string(dir.path().join("report.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let inputs = std::fs::read_dir(repo().join("fixtures/bad"))
        .unwrap()
        .count()
        + std::fs::read_dir(repo().join("corpus")).unwrap().count();
    assert_eq!(report.len(), inputs, "one line per input");
    for line in &report {
        let path = line["path"].as_str().unwrap();
        if path.contains("/corpus/") {
            assert_eq!(line["status"], "ok", "{line}");
            let name = Path::new(path).file_name().unwrap().to_string_lossy();
            assert!(dir.path().join(format!("{name}.json")).is_file(), "{name}");
        }
    }
    let errors = report.iter().filter(|l| l["status"] == "error").count();
    // 14 of other formats and 8 compound files (workbook.xls is skipped by the walk: .xls is
    // not a document extension).
    assert_eq!(errors, 22, "the bad files fail, each with its code");
}
