//! OFD (GB/T 33190-2016): the OFD twin of every test notice (fixtures/ofd, written by
//! `crates/extract-pdf/examples/to_ofd.rs` from the notice's PDF) gives the record its DOCX
//! gives; the real OFD files of `../shared/formats` convert or fail with a typed error that
//! says why; broken packages get their error codes.

use std::path::PathBuf;

use noticepipe::Pipeline;
use noticepipe_output::{Record, SourceFormat};
use noticepipe_tests::{differences_between_twins, names_with_expectations, record_of, repo_root};

fn genre_notices() -> Vec<String> {
    names_with_expectations("fixtures/genre/expected")
}

#[test]
fn the_ofd_of_each_sample_gives_its_docx_record() {
    let names = noticepipe_tests::notices();
    let failures = differences_between_twins(&names, "corpus/{}.docx", "fixtures/ofd/{}.ofd");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_ofd_of_each_genre_notice_gives_its_docx_record() {
    let names = genre_notices();
    assert!(names.len() >= 14, "{names:?}");
    let failures =
        differences_between_twins(&names, "fixtures/genre/{}.docx", "fixtures/ofd/{}.ofd");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_ofd_record_says_format_pages_and_signatures() {
    let record = record_of("fixtures/ofd/2024-zichuan.ofd");
    assert_eq!(record.source.format, SourceFormat::Ofd);
    assert!(record.source.pages.is_some_and(|p| p >= 2));
    let meta = record.source.metadata.expect("metadata");
    assert_eq!(
        meta.signatures,
        Some(1),
        "2024-zichuan.ofd lists a signature"
    );
    let unsigned = record_of("fixtures/ofd/2025-zibo.ofd");
    assert_eq!(
        unsigned.source.metadata.expect("metadata").signatures,
        Some(0)
    );
    assert!(record.notice.items.iter().all(|i| i.provenance.is_some()));
}

fn shared_formats() -> Option<PathBuf> {
    noticepipe_tests::shared_material(noticepipe_tests::Material::Formats)
}

fn real(dir: &std::path::Path, name: &str) -> Record {
    let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    Pipeline::default()
        .process_bytes(name, &bytes)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The red-header 公文 (iOFD 2.1.1, signed): issuer, document number, title, date. Its
/// organ names are written 测试符路桥区卫生局 (the file's own text, letterhead and
/// signature alike: a test prefix of whoever published the sample), and the record keeps
/// what is written.
#[test]
fn the_real_gongwen_gives_issuer_number_title_and_date() {
    let Some(dir) = shared_formats() else { return };
    let r = real(&dir, "ofdrw_n_luqiao_weifa_2011_76.ofd");
    let n = &r.notice;
    assert_eq!(n.issuer.as_deref(), Some("测试符路桥区卫生局"));
    assert!(
        n.issuer
            .as_deref()
            .is_some_and(|i| i.ends_with("路桥区卫生局"))
    );
    let number = n.doc_number.as_ref().expect("a document number");
    assert_eq!(number.text, "路卫发〔2011〕76号");
    assert_eq!((number.year, number.serial), (2011, 76));
    assert_eq!(n.title.as_deref(), Some("关于同意张阿三同志辞职的批复"));
    assert_eq!(n.date.as_deref(), Some("2011-03-10"));
    assert_eq!(n.addressees, vec!["区中医院".to_string()]);
    assert_eq!(r.source.pages, Some(2));
    let meta = r.source.metadata.expect("metadata");
    assert_eq!(meta.signatures, Some(1), "the file carries one seal");
    assert_eq!(meta.created.as_deref(), Some("2020-01-25"));
}

/// The other real files are not notices: each converts (its text read, its tables found),
/// and the record says what little of a notice it has.
#[test]
fn the_other_real_ofd_files_convert() {
    let Some(dir) = shared_formats() else { return };
    let body = |r: &Record| serde_json::to_string(&r.notice).expect("serializes");
    // A 数电 e-invoice (Suwell, a template page with the form's labels and rulings).
    let invoice = real(&dir, "ofdrw_20240531141733_fapiao.ofd");
    assert_eq!(invoice.source.format, SourceFormat::Ofd);
    assert!(invoice.notice.items.is_empty() && invoice.notice.issuer.is_none());
    let doc = extract("ofdrw_20240531141733_fapiao.ofd", &dir);
    let text = doc_text(&doc);
    for needle in [
        "电子发票（增值税专用发票）",
        "海南麒麟云服科技有限公司",
        "北京互联三六五科技有限公司",
        "¥4449.00",
        "开票人：于俪",
    ] {
        assert!(text.contains(needle), "invoice: no {needle} in {text}");
    }
    // A 收文处理单 (a ruled form, CTM-scaled text objects): one table with its fields.
    let doc = extract("ofdrw_signout_shouwen_chulidan.ofd", &dir);
    let tables = doc
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, docmodel::BlockKind::Table(_)))
        .count();
    assert_eq!(tables, 1);
    let text = doc_text(&doc);
    for needle in [
        "府办专督〔2020〕",
        "市委主要领导同志调研后续落实事项的通知",
        "市人民政府办公室",
    ] {
        assert!(text.contains(needle), "signout: no {needle}");
    }
    assert!(
        real(&dir, "ofdrw_signout_shouwen_chulidan.ofd")
            .notice
            .items
            .is_empty()
    );
    // A page of the OFD standard (4 pages, the older namespace, a ruled table).
    let spec = real(&dir, "ofdrw_z_suwell_ziti_bianhuan.ofd");
    assert_eq!(spec.source.pages, Some(4));
    assert_eq!(
        spec.source.metadata.expect("metadata").title.as_deref(),
        Some("11.4 字型变换")
    );
    let text = doc_text(&extract("ofdrw_z_suwell_ziti_bianhuan.ofd", &dir));
    assert!(
        text.contains("CodePosition") && text.contains("字型变换"),
        "{text}"
    );
    // The cover of a standard converted from PDF (PDF2OFD; fonts embedded).
    let cover = real(&dir, "ofdrw_pattern_leixing_mipingyaoqiu.ofd");
    assert!(body(&cover).contains("中国密码学会密评联委会"));
    let text = doc_text(&extract("ofdrw_pattern_leixing_mipingyaoqiu.ofd", &dir));
    assert!(text.contains("信息系统密码应用测评要求"), "{text}");
}

fn extract(name: &str, dir: &std::path::Path) -> docmodel::Document {
    let bytes = std::fs::read(dir.join(name)).expect("readable");
    extract_ofd_text(&bytes).unwrap_or_else(|e| panic!("{name}: {}", e.message))
}

fn extract_ofd_text(bytes: &[u8]) -> Result<docmodel::Document, docmodel::ExtractError> {
    Pipeline::default().extract(docmodel::Format::Ofd, bytes)
}

/// Every paragraph and cell, one per line.
fn doc_text(doc: &docmodel::Document) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        match &b.kind {
            docmodel::BlockKind::Paragraph(t) | docmodel::BlockKind::Furniture { text: t, .. } => {
                out.push_str(t);
                out.push('\n');
            }
            docmodel::BlockKind::Table(t) => {
                for p in t.rows.iter().flatten().flat_map(|c| &c.paragraphs) {
                    out.push_str(p);
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// Broken packages (fixtures/ofd/bad, made by make_bad.py) get their error codes; a template
/// page that draws itself is read once.
#[test]
fn broken_ofd_packages_get_their_error_codes() {
    let expected = [
        ("ofd-cut-in-half.ofd", "corrupt_zip"),
        ("ofd-no-document.ofd", "corrupt_ofd"),
        ("ofd-no-docroot.ofd", "corrupt_ofd"),
        ("ofd-truncated-content.ofd", "corrupt_ofd"),
        ("ofd-deep-pageblocks.ofd", "too_large"),
        ("ofd-oversized-content.ofd", "too_large"),
        ("ofd-image-only.ofd", "no_text_layer"),
        ("minimal.ofd", "ok"),
        ("ofd-template-loop.ofd", "ok"),
    ];
    let mut wrong = Vec::new();
    for (name, code) in expected {
        let rel = format!("fixtures/ofd/bad/{name}");
        let bytes = std::fs::read(repo_root().join(&rel)).expect("readable");
        let got = match Pipeline::default().process_bytes(&rel, &bytes) {
            Ok(_) => "ok".to_string(),
            Err(e) => e.code.as_str().to_string(),
        };
        if got != code {
            wrong.push(format!("{name}: expected {code}, got {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
