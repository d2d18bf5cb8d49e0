//! Font cases and error codes on the fixtures of fixtures/pdf/ (make_fixtures.py).

mod common;
use common::*;
use docmodel::{ErrorCode, Extractor};
use extract_pdf::{Limits, PdfExtractor};

const TITLE: &str = "关于印发2024年工作要点的通知";
const CONTACT: &str = "联系人：齐冬梅 朱滢榕";
const BODY: &str = "各单位：现将有关事项通知如下。";

#[test]
fn stsong_light_unigb_ucs2_h_non_embedded() {
    let doc = extract("fixtures/pdf/stsong_ucs2.pdf");
    assert_eq!(all_text(&doc), format!("{TITLE}\n{CONTACT}\n{BODY}"));
    // pdf-extract 0.12.1 (pinned) panics on this font ("unsupported encoding
    // UniGB-UCS2-H"); the guard turns the panic into a typed error.
    let e = extract_pdf::pdf_extract_text(&read("fixtures/pdf/stsong_ucs2.pdf")).unwrap_err();
    assert_eq!(
        docmodel::CodedError::code(&e),
        ErrorCode::ExtractPanic,
        "{e}"
    );
}

#[test]
fn gbk_euc_h_without_to_unicode() {
    assert_eq!(
        all_text(&extract("fixtures/pdf/gbk_euc.pdf")),
        format!("{TITLE}\n{BODY}")
    );
}

#[test]
fn identity_h_adobe_gb1_cids_without_to_unicode() {
    assert_eq!(
        all_text(&extract("fixtures/pdf/identity_gb1.pdf")),
        format!("{TITLE}\n{BODY}")
    );
    // pdf-extract returns nothing but newlines for it.
    let t = extract_pdf::pdf_extract_text(&read("fixtures/pdf/identity_gb1.pdf")).unwrap();
    assert!(t.trim().is_empty(), "{t:?}");
}

#[test]
fn one_tj_per_glyph_gives_no_spaces() {
    assert_eq!(all_text(&extract("fixtures/pdf/per_glyph.pdf")), TITLE);
}

#[test]
fn w_range_form_widths_and_split_tj() {
    assert_eq!(all_text(&extract("fixtures/pdf/w_range_tj.pdf")), TITLE);
}

#[test]
fn owner_password_only_converts() {
    assert_eq!(all_text(&extract("fixtures/pdf/owner_only.pdf")), TITLE);
}

#[test]
fn error_codes() {
    assert_eq!(error_code(b""), ErrorCode::Empty);
    assert_eq!(error_code(b" \n\t"), ErrorCode::Empty);
    assert_eq!(error_code(b"hello, not a pdf"), ErrorCode::CorruptPdf);
    assert_eq!(
        error_code(&read("fixtures/pdf/user_password.pdf")),
        ErrorCode::Encrypted
    );
    assert_eq!(
        error_code(&read("fixtures/pdf/truncated.pdf")),
        ErrorCode::CorruptPdf
    );
    assert_eq!(
        error_code(&read("fixtures/pdf/self_ref_pages.pdf")),
        ErrorCode::CorruptPdf
    );
    assert_eq!(
        error_code(&read("fixtures/pdf/unknown_cmap.pdf")),
        ErrorCode::NoTextLayer
    );
    let e = PdfExtractor::default()
        .extract(&read("fixtures/pdf/image_only.pdf"))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NoTextLayer);
    assert!(e.message.contains("OCR"), "{}", e.message);
}

#[test]
fn limits_give_too_large() {
    let pdf = read("corpus/2024-zichuan.pdf");
    let d = Limits::default();
    for limits in [
        Limits {
            max_input_bytes: 1000,
            ..d
        },
        Limits { max_pages: 2, ..d },
        Limits {
            max_glyphs: 100,
            ..d
        },
        Limits {
            max_operations: 100,
            ..d
        },
        Limits {
            max_stream_bytes: 1000,
            ..d
        },
    ] {
        let e = PdfExtractor {
            limits,
            ..Default::default()
        }
        .extract(&pdf)
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLarge, "{limits:?}: {}", e.message);
    }
    assert!(PdfExtractor::default().extract(&pdf).is_ok());
}

/// Byte-flipped copies of valid PDFs: every one gives a document or a typed error, and
/// none escapes as a panic (pdf-extract 0.12.1 panicked on 17 % of such copies).
#[test]
fn byte_flipped_copies_never_panic() {
    let sources = [
        read("corpus/2024-zichuan.pdf"),
        read("fixtures/pdf/stsong_ucs2.pdf"),
        read("fixtures/pdf/gbk_euc.pdf"),
    ];
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let ex = PdfExtractor::default();
    for i in 0..150 {
        let mut b = sources[i % sources.len()].clone();
        for _ in 0..(1 + rnd() % 8) {
            let at = (rnd() % b.len() as u64) as usize;
            b[at] ^= 1 << (rnd() % 8);
        }
        let r = std::panic::catch_unwind(|| ex.extract(&b));
        assert!(r.is_ok(), "copy {i}: a panic escaped the extractor");
    }
}

#[test]
fn layout_wraps_indents_marker_gap_and_page_break() {
    use docmodel::{BlockKind, FurnitureRole};
    let doc = extract("fixtures/pdf/layout.pdf");
    let paras: Vec<String> = paragraphs(&doc)
        .iter()
        .map(|b| para_text(b).replace('\n', ""))
        .collect();
    assert_eq!(
        paras,
        [
            "一、总体要求",
            "为进一步做好相关工作，经研究决定，现将有关事项通知如下，请各单位结合实际认真贯彻落实，确保各项任务按期完成。",
            "二、加强组织领导。各单位要高度重视，明确责任分工，细化工作措施，加强协调配合，形成工作合力，切实把各项工作落到实处，取得实效。",
        ]
    );
    // Wrapped lines are joined with '\n' (never with a space).
    assert!(para_text(paragraphs(&doc)[1]).contains("如\n下"));
    // The last paragraph starts on page 1 and continues on page 2.
    assert_eq!(paragraphs(&doc)[2].prov.page, Some(1));
    let furniture: Vec<(FurnitureRole, u32, String)> = doc
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Furniture { role, text } => {
                Some((*role, b.prov.page.unwrap(), text.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        furniture,
        [
            (FurnitureRole::Header, 1, "测试单位文件".into()),
            (FurnitureRole::PageNumber, 1, "— 1 —".into()),
            (FurnitureRole::Header, 2, "测试单位文件".into()),
            (FurnitureRole::PageNumber, 2, "— 2 —".into()),
        ]
    );
}

#[test]
fn table_continued_on_next_page_is_one_table() {
    let doc = extract("fixtures/pdf/table_2pages.pdf");
    assert_eq!(doc.info.pages, Some(2));
    let ts = tables(&doc);
    assert_eq!(ts.len(), 1);
    let t = ts[0];
    assert_eq!(t.rows.len(), 61, "header once + 60 rows");
    assert_eq!(t.rows[0][1].paragraphs, ["事项名称"]);
    for (i, row) in t.rows.iter().enumerate().skip(1) {
        assert_eq!(row.len(), 3);
        assert_eq!(row[0].paragraphs, [i.to_string()]);
        assert_eq!(row[1].paragraphs, [format!("第{i}项工作任务")]);
    }
}

/// Glyph names outside this crate's small table: the page is re-run through
/// pdf-extract's `OutputDev` (its full Adobe glyph list), which decodes them.
#[test]
fn pdf_extract_fallback_decodes_glyph_names() {
    assert_eq!(all_text(&extract("fixtures/pdf/glyph_names.pdf")), "Éçßé");
}
