//! The small fixtures of fixtures/docx (written by fixtures/docx/make_fixtures.py): each
//! test asserts the exact blocks the extractor must produce.

use docmodel::{BlockKind, Cell, Document, Extractor, FurnitureRole, Table};
use extract_docx::{DocxExtractor, Limits};

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/docx/",
            $name
        ))
    };
}

fn extract(bytes: &[u8]) -> Document {
    DocxExtractor::default()
        .extract(bytes)
        .expect("the fixture extracts")
}

fn kinds(doc: &Document) -> Vec<BlockKind> {
    doc.blocks.iter().map(|b| b.kind.clone()).collect()
}

fn para(s: &str) -> BlockKind {
    BlockKind::Paragraph(s.to_owned())
}

fn furniture(role: FurnitureRole, s: &str) -> BlockKind {
    BlockKind::Furniture {
        role,
        text: s.to_owned(),
    }
}

fn table(rows: &[&[&[&str]]]) -> BlockKind {
    BlockKind::Table(Table {
        unplaced: false,
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| Cell::new(c.iter().copied())).collect())
            .collect(),
    })
}

fn paragraphs(doc: &Document) -> Vec<String> {
    extract_docx::paragraphs(doc).map(str::to_owned).collect()
}

#[test]
fn chinese_automatic_numbering() {
    // chineseCounting "%1、" linked to a style (numId in the style, level from the abstract
    // level's pStyle), "（%2）" through basedOn, decimal "%3.", lower levels restarting,
    // numId 0 removing the style's numbering, startOverride 9 on chineseCountingThousand,
    // ideographTraditional.
    let doc = extract(fixture!("numbering-chinese.docx"));
    assert_eq!(
        kinds(&doc),
        vec![
            para("关于做好2025年有关工作的通知"),
            para("一、总体要求"),
            para("（一）指导思想"),
            para("（二）工作目标"),
            para("1.年内完成。"),
            para("2.按季调度。"),
            para("二、重点任务"),
            para("（一）强化保障"),
            para("1.落实责任。"),
            para("附则"),
            para("三、组织实施"),
            para("九、第九项"),
            para("十、第十项"),
            para("十一、第十一项"),
            para("甲．甲项"),
            para("乙．乙项"),
        ]
    );
}

#[test]
fn decimal_multilevel_numbering() {
    // default suffix is a tab, "%1.%2" with a space, enclosed circles, lvlRestart 0 (never),
    // bullets without a label, two nums sharing an abstract continue, startOverride restarts.
    let doc = extract(fixture!("numbering-decimal.docx"));
    assert_eq!(
        kinds(&doc),
        vec![
            para("1.\t总则"),
            para("1.1 适用范围"),
            para("1.2 基本原则"),
            para("①第一点"),
            para("2.\t职责"),
            para("2.1 牵头单位"),
            para("第1章 概述"),
            para("1)甲"),
            para("第2章 细则"),
            para("2)乙"),
            para("要点"),
            para("(1)甲方"),
            para("(2)乙方"),
            para("(1)丙方"),
        ]
    );
}

#[test]
fn split_runs_join_into_one_paragraph() {
    let doc = extract(fixture!("split-runs.docx"));
    assert_eq!(
        kinds(&doc),
        vec![
            para("关于做好安全生产工作的通知"), // bold runs and plain runs
            para("一、加强领导。各单位要高度重视。"), // one run per character, bookmarks between
            para("开展“安全生产月”活动。"),     // quoted phrase in its own run
            para("第一行\n第二行\t末尾"),       // w:br, w:tab
            para("可见文字"),                   // w:vanish run dropped
            para("详见网站。"),                 // runs inside w:hyperlink
            para("填写控件文字"),               // content control, w:sdtPr skipped
            para("A&B <C> "),                   // entities
            para("淄博"),                       // ruby text (w:rt) dropped
            // the empty paragraph, the blank one and the page-break-only one are dropped
            para("第二页"),
        ]
    );
    // An explicit page break alone does not tell the page a reader sees: no page.
    assert_eq!(doc.blocks[0].prov.page, None);
    assert_eq!(doc.blocks.last().map(|b| b.prov.page), Some(None));
    // index stamped by Document::push
    assert!(
        doc.blocks
            .iter()
            .enumerate()
            .all(|(i, b)| b.prov.index as usize == i)
    );
}

#[test]
fn merged_and_nested_cells() {
    let doc = extract(fixture!("merged-cells.docx"));
    assert_eq!(
        kinds(&doc),
        vec![
            para("表前文字"),
            table(&[
                &[&["序号"], &["事项"], &["责任单位"]],
                // vMerge restart: a two-paragraph cell, kept as two paragraphs
                &[&["1"], &["事项甲"], &["区人社局", "区妇联"]],
                // vMerge continue: the merged text is not repeated
                &[&["2"], &["事项乙"], &[]],
                // gridSpan 2: text once, the covered grid column empty
                &[&["合计"], &[], &["全部"]],
            ]),
            para("表后文字"),
            // a table nested in a cell: its cell paragraphs are flattened in order
            table(&[&[&["外层"], &["前", "内1", "内2", "后"]]]),
        ]
    );
}

#[test]
fn tracked_changes_show_the_final_text() {
    let doc = extract(fixture!("tracked-changes.docx"));
    assert_eq!(
        kinds(&doc),
        vec![
            para("本通知自2025年1月1日起施行。"), // w:ins kept, w:del/w:delText dropped
            para("甲新位置乙"),                   // w:moveTo kept, w:moveFrom dropped
            para("第一段第二段"),                 // deleted paragraph mark joins paragraphs
            para("不应编号"),                     // numPr only in w:pPrChange (the old state)
            para("一、有编号"),
            para("新增段落"),
            // a paragraph whose only text is deleted is empty and dropped
        ]
    );
}

#[test]
fn fields_show_results_and_page_numbers_are_furniture() {
    let doc = extract(fixture!("fields.docx"));
    assert_eq!(
        kinds(&doc),
        vec![
            furniture(FurnitureRole::Header, "淄博市人民政府办公室文件"),
            para("依据第三条执行。"), // REF field: result, not code
            para("共5页"),            // fldSimple: its runs
            para("前后"),             // field without a result shows nothing
            para("结果：是"),         // nested field inside a field code
            para("链接文字"),         // HYPERLINK field
            furniture(FurnitureRole::PageNumber, "— 1 —"), // complex PAGE field
            furniture(FurnitureRole::PageNumber, "2"), // fldSimple PAGE
            furniture(FurnitureRole::Footer, "内部资料"),
            furniture(FurnitureRole::PageNumber, "第页"), // legacy w:pgNum
        ]
    );
    // No rendered page breaks in this file: no block claims a page.
    assert!(doc.blocks.iter().all(|b| b.prov.page.is_none()));
}

#[test]
fn notes_text_boxes_comments_and_core_properties() {
    let doc = extract(fixture!("notes-textbox.docx"));
    assert_eq!(
        kinds(&doc),
        vec![
            para("正文第一段。"),
            para("前文后文"),
            // once, although both mc:Choice and mc:Fallback hold it
            furniture(FurnitureRole::TextBox, "文本框内容"),
            para("需要核实的内容"),
            para("结尾。"),
            furniture(FurnitureRole::Footnote, "脚注内容。"), // separators skipped
            furniture(FurnitureRole::Endnote, "尾注内容。"),
            furniture(FurnitureRole::Comment, "请核实。"),
        ]
    );
    assert_eq!(doc.info.title.as_deref(), Some("测试通知 & 附件"));
    assert_eq!(doc.info.author.as_deref(), Some("测试单位"));
    assert_eq!(doc.info.created.as_deref(), Some("2025-03-23T08:00:00Z"));
    assert_eq!(doc.info.encoding, None);
    assert_eq!(doc.format, docmodel::Format::Docx);
}

#[test]
fn nested_tables_within_the_limit_flatten() {
    let doc = extract(fixture!("nested-tables.docx"));
    assert_eq!(kinds(&doc), vec![para("开头"), table(&[&[&["深处"]]])]);
}

#[test]
fn nesting_limit_is_configurable() {
    let bytes = fixture!("nested-too-deep.docx"); // 40 levels
    let err = DocxExtractor::default().extract(bytes).unwrap_err();
    assert_eq!(err.code, docmodel::ErrorCode::TooLarge);
    assert!(
        err.message.contains("nested deeper than 16"),
        "{}",
        err.message
    );

    let deep = DocxExtractor::new(Limits {
        max_table_depth: 40,
        ..Limits::DEFAULT
    });
    let doc = deep.extract(bytes).expect("40 levels allowed");
    assert_eq!(kinds(&doc), vec![para("开头"), table(&[&[&["深处"]]])]);
}

#[test]
fn deep_element_nesting_does_not_recurse() {
    // 100,000 nested content controls: the parser keeps no recursion per element
    let doc = extract(fixture!("deep-elements.docx"));
    assert_eq!(kinds(&doc), vec![para("深层内容")]);
}

#[test]
fn automatic_numbering_reproduces_typed_numbers() {
    // The corpus notice with "一、"… removed from the text and drawn by numbering.xml instead.
    let original = extract(include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpus/2025-zibo.docx"
    )));
    let twin = extract(fixture!("2025-zibo-autonumbered.docx"));
    assert_eq!(paragraphs(&twin), paragraphs(&original));
    assert_eq!(kinds(&twin), kinds(&original));

    // Same with the default suffix: a tab after the label, as Word lays it out.
    let tab = extract(fixture!("2025-zibo-autonumbered-tab.docx"));
    let expected: Vec<String> = paragraphs(&original)
        .into_iter()
        .map(|p| match p.char_indices().find(|&(_, c)| c == '、') {
            Some((i, _)) if p[..i].chars().all(|c| "一二三四五六七八九十".contains(c)) && i > 0 =>
            {
                format!(
                    "{}\t{}",
                    &p[..i + '、'.len_utf8()],
                    &p[i + '、'.len_utf8()..]
                )
            }
            _ => p,
        })
        .collect();
    assert_eq!(paragraphs(&tab), expected);
    assert_eq!(expected.iter().filter(|p| p.contains("、\t")).count(), 10);
}

#[test]
fn page_estimate_from_rendered_page_breaks() {
    // With w:lastRenderedPageBreak present, those count and explicit breaks do not (Word
    // writes both for one page turn); a paragraph's page is where its text starts.
    let doc = extract(fixture!("rendered-pages.docx"));
    let pages: Vec<(String, Option<u32>)> = doc
        .blocks
        .iter()
        .map(|b| match &b.kind {
            BlockKind::Paragraph(t) => (t.clone(), b.prov.page),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let expected = [("第一页", 1), ("第二页", 2), ("跨页段落", 2), ("第三页", 3)];
    assert_eq!(
        pages,
        expected.map(|(t, p)| (t.to_owned(), Some(p))).to_vec()
    );
}
