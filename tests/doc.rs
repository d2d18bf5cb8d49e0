//! Word 97–2003 binary documents (.doc) and Kingsoft WPS files (.wps, the same format): each
//! gives the record its DOCX twin gives; real files from other producers convert or fail with
//! a typed error that says why.
//!
//! - `fixtures/doc/NAME.doc`: the corpus notices and the two auto-numbered DOCX, converted by
//!   LibreOffice (`fixtures/doc/make_doc.sh`), and the DOCX with tracked changes; `NAME.wps`
//!   copies of two of them.
//! - `fixtures/genre/NAME.doc`: the genre notices, converted by LibreOffice
//!   (`fixtures/genre/make_genre.py`).
//! - `../shared/formats/*.doc`: real files saved by Word and by WPS (skipped when absent).

use std::path::PathBuf;

use noticepipe_tests::{differences_from_twin, names_with_expectations, record_of, repo_root};

/// The .doc/.wps files of a fixture folder with their DOCX twin.
fn twins(dir: &str, twin_dir: &dyn Fn(&str) -> String) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(repo_root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "doc" || e == "wps"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (format!("{dir}/{name}"), twin_dir(&stem))
        })
        .collect();
    out.sort();
    out
}

fn check(pairs: &[(String, String)]) {
    let mut failures = Vec::new();
    for (rel, twin) in pairs {
        let diffs = differences_from_twin(rel, twin);
        if !diffs.is_empty() {
            failures.push(format!(
                "{rel} differs from {twin}:\n  {}",
                diffs.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sample_notices_as_doc_and_wps_give_their_docx_record() {
    // The corpus notices' twins are in corpus/, the others' (auto-numbered, tracked
    // changes) in fixtures/docx/.
    let pairs = twins("fixtures/doc", &|stem| {
        let corpus = format!("corpus/{stem}.docx");
        if repo_root().join(&corpus).is_file() {
            corpus
        } else {
            format!("fixtures/docx/{stem}.docx")
        }
    });
    assert!(pairs.len() >= 9, "{pairs:?}");
    assert!(pairs.iter().any(|(p, _)| p.ends_with(".wps")));
    check(&pairs);
}

#[test]
fn genre_notices_as_doc_give_their_docx_record() {
    let pairs = twins("fixtures/genre", &|stem| {
        format!("fixtures/genre/{stem}.docx")
    });
    assert_eq!(
        pairs.len(),
        names_with_expectations("fixtures/genre/expected").len(),
        "a genre notice without its .doc: run fixtures/genre/make_genre.py"
    );
    check(&pairs);
}

/// `source.format` is "doc" for .doc and .wps alike, with no extension_mismatch, and the
/// SummaryInformation properties are the DOCX core properties LibreOffice carried over.
#[test]
fn doc_records_name_their_format_and_properties() {
    let docx = serde_json::to_value(record_of("corpus/2025-zibo.docx")).unwrap();
    for rel in ["fixtures/doc/2025-zibo.doc", "fixtures/doc/2025-zibo.wps"] {
        let record = record_of(rel);
        let value = serde_json::to_value(&record).unwrap();
        assert_eq!(value["source"]["format"], "doc", "{rel}");
        let (ours, theirs) = (&value["source"]["metadata"], &docx["source"]["metadata"]);
        assert_eq!(ours["title"], theirs["title"], "{rel}");
        assert_eq!(ours["author"], theirs["author"], "{rel}");
        assert!(
            ours["created"].as_str().is_some_and(|c| c.ends_with('Z')),
            "{rel}: {ours}"
        );
        let warnings = value["warnings"].as_array().unwrap();
        assert!(
            warnings.iter().all(|w| w["code"] != "extension_mismatch"),
            "{rel}: {warnings:?}"
        );
    }
}

fn shared_formats() -> Option<PathBuf> {
    noticepipe_tests::shared_material(noticepipe_tests::Material::Formats)
}

/// Body text of a document: paragraphs and cell paragraphs, in order.
fn body_lines(doc: &docmodel::Document) -> Vec<String> {
    let mut out = Vec::new();
    for b in doc.body() {
        match &b.kind {
            docmodel::BlockKind::Paragraph(t) => out.push(t.clone()),
            docmodel::BlockKind::Table(t) => {
                for c in t.rows.iter().flatten() {
                    out.extend(c.paragraphs.iter().cloned());
                }
            }
            docmodel::BlockKind::Furniture { .. } => {}
        }
    }
    out
}

/// Real files saved by Word 97 (Apache POI's test file) and by Kingsoft WPS (Chatchat's
/// standards drafts): each converts, its title phrase is in the text and its automatic
/// numbering is drawn.
#[test]
fn real_word_and_wps_files_convert_with_their_numbering() {
    let Some(dir) = shared_formats() else { return };
    // (file, phrases that must be body lines or in them, lines that must be exactly there)
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "poi_61490.doc",
            &["居中的大标题", "章节1的内容"],
            &["1.\t章节1", "1.1.\t章节1.1", "1.2.\t章节1.2"],
        ),
        (
            "chatchat_bianzhishuoming_p12_sheji.doc",
            &["第12部分：设计", "能源20210675"],
            &["一、\t任务来源及计划要求", "1、征求意见稿"],
        ),
        (
            "chatchat_bianzhishuoming_p1_tongyong.doc",
            &["第1部分：通用要求"],
            &["一、\t任务来源及计划要求", "3、报批稿"],
        ),
        (
            "chatchat_bianzhishuoming_p6_shiji_zhuangtai.doc",
            &["第6部分：构筑"],
            &["一、\t任务来源及计划要求", "2、送审稿"],
        ),
        (
            "chatchat_hedian_pingjia_p7_jingyanfankui_zqyj.doc",
            &["核电厂定期安全评价", "第7部分：经验反馈"],
            // Chapter and clause numbers drawn through the heading styles' lists.
            &["1\u{3000}范围", "3\u{3000}术语和定义", "3.1\u{3000}"],
        ),
    ];
    let pipeline = noticepipe::Pipeline::default();
    let mut failures = Vec::new();
    for (name, phrases, lines) in cases {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc = match pipeline.extract(docmodel::Format::Doc, &bytes) {
            Ok(doc) => doc,
            Err(e) => {
                failures.push(format!("{name}: error[{}] {}", e.code, e.message));
                continue;
            }
        };
        let body = body_lines(&doc);
        for phrase in *phrases {
            if !body.iter().any(|l| l.contains(phrase)) {
                failures.push(format!("{name}: no line holds {phrase:?}"));
            }
        }
        for line in *lines {
            if !body.iter().any(|l| l == line) {
                failures.push(format!("{name}: no line {line:?}"));
            }
        }
        // The whole pipeline gives a record (these are not notices: mostly empty fields).
        if let Err(e) = pipeline.process_bytes(name, &bytes) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
