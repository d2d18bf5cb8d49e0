//! OCR of scanned notices: the scans in fixtures/scans (made from corpus/*.pdf by
//! fixtures/scans/make_scans.py: 300 dpi skewed 0.4–1.5°, scanner noise, one 200-dpi
//! JPEG-compressed, two with a red seal over the date, two bilevel CCITT G4) give the
//! records of the born-digital PDFs, the text layer of those PDFs being the truth.
//!
//! Needs the OCR engine (`scripts/install-ocr.sh`). Without it the tests that read scans
//! print `SKIPPED` and pass, except where `NOTICEPIPE_REQUIRE` lists `ocr` (scripts/test.sh,
//! so CI, sets it after installing the engine), where they fail.

use docmodel::{BlockKind, Document, ErrorCode, Format};
use extract_ocr::{OcrMode, OcrSettings, RedInk};
use noticepipe::Pipeline;
use noticepipe_tests::{Material, key_fields, notices, repo_root, to_value};
use serde_json::Value;

/// Whether the engine is installed; if not, the test says it skips, or fails where the
/// engine is required (`Material::missing`).
fn engine_installed() -> bool {
    match extract_ocr::Ocr::default().engine() {
        Ok(_) => true,
        Err(e) => {
            Material::OcrEngine.missing(&e);
            false
        }
    }
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(repo_root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn pipeline(settings: OcrSettings) -> Pipeline {
    let mut p = Pipeline::default();
    p.set_ocr(settings);
    p
}

/// All text of a document, white space removed, in the layout's order.
fn doc_text(doc: &Document) -> Vec<char> {
    let mut out = String::new();
    for b in &doc.blocks {
        match &b.kind {
            BlockKind::Paragraph(t) | BlockKind::Furniture { text: t, .. } => out.push_str(t),
            BlockKind::Table(t) => {
                for p in t.rows.iter().flatten().flat_map(|c| &c.paragraphs) {
                    out.push_str(p);
                }
            }
        }
    }
    out.chars().filter(|c| !c.is_whitespace()).collect()
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1)
                .min(cur[j] + 1)
                .min(prev[j] + usize::from(x != y));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// (right, total) over the leaves of the hand-checked fields: strings, numbers and unit
/// lists (a list is one field), items and rows compared by position.
fn fields_right(expected: &Value, actual: &Value) -> (usize, usize) {
    match expected {
        Value::Object(m) => m.iter().fold((0, 0), |acc, (k, v)| {
            let (r, t) = fields_right(v, actual.get(k).unwrap_or(&Value::Null));
            (acc.0 + r, acc.1 + t)
        }),
        Value::Array(a) if a.iter().any(Value::is_object) => {
            a.iter().enumerate().fold((0, 0), |acc, (i, v)| {
                let (r, t) = fields_right(v, actual.get(i).unwrap_or(&Value::Null));
                (acc.0 + r, acc.1 + t)
            })
        }
        _ => (usize::from(expected == actual), 1),
    }
}

/// CER of a scan against its born-digital PDF (errors, characters), its key fields right /
/// total, and its record.
fn measure(p: &Pipeline, name: &str) -> (usize, usize, usize, usize, Value) {
    let truth = doc_text(
        &p.extract(Format::Pdf, &read(&format!("corpus/{name}.pdf")))
            .unwrap(),
    );
    let scan_rel = format!("fixtures/scans/{name}.scan.pdf");
    let bytes = read(&scan_rel);
    let doc = p
        .extract(Format::Pdf, &bytes)
        .unwrap_or_else(|e| panic!("{scan_rel}: {e}"));
    let errors = edit_distance(&truth, &doc_text(&doc));
    let record = p
        .record_of_document(&scan_rel, &bytes, &doc)
        .unwrap_or_else(|e| panic!("{e}"));
    let expected: Value =
        serde_json::from_slice(&read(&format!("fixtures/expected/{name}.json"))).unwrap();
    let record = to_value(&record);
    let (right, total) = fields_right(&expected, &key_fields(&record));
    (errors, truth.len(), right, total, record)
}

#[test]
fn scans_of_the_five_samples_give_their_records() {
    if !engine_installed() {
        return;
    }
    let p = Pipeline::default();
    let (mut errors, mut chars, mut right, mut total) = (0, 0, 0, 0);
    let mut report = Vec::new();
    for name in notices() {
        let (e, n, r, t, record) = measure(&p, &name);
        if name == "2024-zichuan" {
            // source.ocr, and the date under the red seal.
            let ocr = &record["source"]["ocr"];
            assert!(ocr["engine"].as_str().unwrap().contains("PP-OCR"), "{ocr}");
            assert_eq!(ocr["pages"], serde_json::json!([1, 2, 3, 4, 5]));
            assert!(ocr["mean_confidence"].as_f64().unwrap() > 0.9, "{ocr}");
            assert_eq!(record["date"], "2024-03-28");
        }
        report.push(format!(
            "{name}: CER {:.2} % ({e}/{n}), key fields {r}/{t}",
            100.0 * e as f64 / n as f64
        ));
        (errors, chars, right, total) = (errors + e, chars + n, right + r, total + t);
    }
    let cer = errors as f64 / chars as f64;
    let accuracy = right as f64 / total as f64;
    eprintln!(
        "{}\nall: CER {:.2} %, key fields {:.1} %",
        report.join("\n"),
        100.0 * cer,
        100.0 * accuracy
    );
    assert!(
        cer < 0.01,
        "CER {:.2} %:\n{}",
        100.0 * cer,
        report.join("\n")
    );
    assert!(
        accuracy >= 0.95,
        "key fields {:.1} %:\n{}",
        100.0 * accuracy,
        report.join("\n")
    );
}

#[test]
fn page_images_parse() {
    if !engine_installed() {
        return;
    }
    let p = Pipeline::default();
    let expected = |name: &str| -> Value {
        serde_json::from_slice(&read(&format!("fixtures/expected/{name}.json"))).unwrap()
    };

    // A PNG of the first page: the head of the notice.
    let rel = "fixtures/scans/2024-zichuan-p1.png";
    let png = to_value(&p.process_bytes(rel, &read(rel)).unwrap());
    let want = expected("2024-zichuan");
    for field in ["issuer", "title", "doc_number"] {
        assert_eq!(png[field], want[field], "{rel}: {field}");
    }
    assert_eq!(png["source"]["format"], "image");
    assert_eq!(png["source"]["ocr"]["pages"], serde_json::json!([1]));

    // A JPEG of a page from the middle: its items are items of the notice.
    let rel = "fixtures/scans/2025-zibo-p2.jpg";
    let jpeg = to_value(&p.process_bytes(rel, &read(rel)).unwrap());
    let zibo = expected("2025-zibo");
    let titles: Vec<&Value> = want_titles(&zibo);
    let items = jpeg["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{rel}: no items");
    for item in items {
        assert!(
            titles.contains(&&item["title"]),
            "{rel}: {} is not an item of the notice",
            item["title"]
        );
    }

    // A two-page bilevel TIFF.
    let rel = "fixtures/scans/2026-linzi-p1-2.tif";
    let tiff = to_value(&p.process_bytes(rel, &read(rel)).unwrap());
    assert_eq!(tiff["source"]["pages"], 2);
    assert_eq!(tiff["source"]["ocr"]["pages"], serde_json::json!([1, 2]));
    let want = expected("2026-linzi");
    for field in ["issuer", "title", "doc_number"] {
        assert_eq!(tiff[field], want[field], "{rel}: {field}");
    }
}

fn want_titles(expected: &Value) -> Vec<&Value> {
    expected["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["title"])
        .collect()
}

#[test]
fn a_pdf_with_one_scanned_page_ocrs_that_page_only() {
    if !engine_installed() {
        return;
    }
    let rel = "fixtures/scans/2024-zichuan.mixed.pdf";
    let record = to_value(&Pipeline::default().process_bytes(rel, &read(rel)).unwrap());
    assert_eq!(record["source"]["ocr"]["pages"], serde_json::json!([2]));
    let expected: Value =
        serde_json::from_slice(&read("fixtures/expected/2024-zichuan.json")).unwrap();
    let (right, total) = fields_right(&expected, &key_fields(&record));
    assert_eq!(
        (right, total),
        (total, total),
        "{}",
        noticepipe_tests::differences(&expected, &key_fields(&record)).join("\n")
    );

    // Without OCR the scanned page's items are missing: the record is not the notice's.
    let off = pipeline(OcrSettings {
        mode: OcrMode::Off,
        ..Default::default()
    });
    let record = to_value(&off.process_bytes(rel, &read(rel)).unwrap());
    assert_eq!(record["source"]["ocr"], Value::Null);
    assert_ne!(fields_right(&expected, &key_fields(&record)).0, total);
}

#[test]
fn born_digital_pdfs_are_not_ocrd_even_with_ocr_always() {
    // No page of the corpus PDFs draws an image: nothing to OCR, engine or not.
    let always = pipeline(OcrSettings {
        mode: OcrMode::Always,
        ..Default::default()
    });
    let rel = "corpus/2024-zichuan.pdf";
    let record = to_value(&always.process_bytes(rel, &read(rel)).unwrap());
    assert_eq!(record["source"]["ocr"], Value::Null);
    assert_eq!(record["date"], "2024-03-28");
}

#[test]
fn without_the_engine_scans_fail_saying_how_to_install_it() {
    let empty = tempfile::tempdir().unwrap();
    let p = pipeline(OcrSettings {
        dir: empty.path().to_path_buf(),
        ..Default::default()
    });
    for rel in [
        "fixtures/scans/2023-zibo.scan.pdf",
        "fixtures/scans/2024-zichuan-p1.png",
        "fixtures/scans/2026-linzi-p1-2.tif",
    ] {
        let e = p.process_bytes(rel, &read(rel)).unwrap_err();
        assert_eq!(e.code, ErrorCode::NoTextLayer, "{rel}: {e}");
        assert!(e.message.contains("scripts/install-ocr.sh"), "{rel}: {e}");
    }
    // Everything else works without it, a PDF with one scanned page among text pages too.
    assert!(
        p.process_bytes("x.pdf", &read("corpus/2025-zibo.pdf"))
            .is_ok()
    );
    let mixed = p
        .process_bytes("m.pdf", &read("fixtures/scans/2024-zichuan.mixed.pdf"))
        .unwrap();
    assert!(mixed.source.ocr.is_none());

    let off = pipeline(OcrSettings {
        mode: OcrMode::Off,
        ..Default::default()
    });
    let e = off
        .process_bytes("p.png", &read("fixtures/scans/2024-zichuan-p1.png"))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NoTextLayer);
    assert!(e.message.contains("--no-ocr"), "{e}");
}

#[test]
fn a_broken_image_is_corrupt_image() {
    let mut png = read("fixtures/scans/2024-zichuan-p1.png");
    png.truncate(4000);
    let e = Pipeline::default()
        .process_bytes("cut.png", &png)
        .unwrap_err();
    // Without the engine the image is never decoded: it fails for that first.
    assert!(
        matches!(e.code, ErrorCode::CorruptImage | ErrorCode::NoTextLayer),
        "{e}"
    );
    if engine_installed() {
        assert_eq!(e.code, ErrorCode::CorruptImage, "{e}");
    }
}

/// The colour step, measured: CER and key fields of the two sealed scans when red ink is
/// kept, dropped in seals only, or dropped everywhere. For BENCHMARKS.md:
/// `cargo test --release --test ocr -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement for BENCHMARKS.md, minutes: run with --ignored (needs the OCR engine)"]
fn measure_red_ink_steps() {
    if !engine_installed() {
        return;
    }
    for red_ink in [RedInk::Keep, RedInk::Seals, RedInk::All] {
        let p = pipeline(OcrSettings {
            red_ink,
            ..Default::default()
        });
        for name in ["2023-zibo", "2024-zichuan"] {
            let (e, n, r, t, record) = measure(&p, name);
            eprintln!(
                "{red_ink:?} {name}: CER {:.2} % ({e}/{n}), key fields {r}/{t}, issuer {}, date {}",
                100.0 * e as f64 / n as f64,
                record["issuer"],
                record["date"]
            );
        }
    }
}

#[test]
fn fields_read_with_low_confidence_are_warned_about() {
    if !engine_installed() {
        return;
    }
    let rel = "fixtures/scans/2024-zichuan-p1.png";
    let warned = |threshold: f32| -> Vec<Value> {
        let p = pipeline(OcrSettings {
            low_confidence: threshold,
            ..Default::default()
        });
        let record = to_value(&p.process_bytes(rel, &read(rel)).unwrap());
        record["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["code"] == "ocr_low_confidence")
            .cloned()
            .collect()
    };
    // The clean page: no line under the default 0.8 carries a field.
    assert_eq!(warned(0.8), Vec::<Value>::new());
    // Every line counts as doubtful: the head fields are named, with page and line.
    let all = warned(1.01);
    for field in ["issuer", "doc_number", "title"] {
        assert!(
            all.iter().any(|w| w["message"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{field} comes from a line"))),
            "{field}: {all:?}"
        );
    }
    assert!(all.iter().any(|w| w["item"] == 1), "{all:?}");
}
