//! The parser on small synthetic documents, one form at a time.

use docmodel::{BlockKind, Cell, Document, Format, FurnitureRole, Provenance, Table};
use notice_parser::{ParseError, Settings, parse, parse_with};
use noticepipe_output::{Notice, WarningCode};

fn doc(paragraphs: &[&str]) -> Document {
    let mut doc = Document::new(Format::Txt);
    for (n, p) in paragraphs.iter().enumerate() {
        doc.push(
            BlockKind::Paragraph(p.to_string()),
            Provenance::line(n as u32 + 1),
        );
    }
    doc
}

const HEAD: [&str; 4] = [
    "淄博市人民政府办公室",
    "淄政办字〔2025〕15号",
    "关于2025年为全市妇女儿童办实事的通知",
    "各区县人民政府，市政府各部门：",
];

fn notice(body: &[&str]) -> Notice {
    let paragraphs: Vec<&str> = HEAD.iter().chain(body).copied().collect();
    parse(&doc(&paragraphs)).unwrap()
}

fn codes(n: &Notice) -> Vec<WarningCode> {
    n.warnings.iter().map(|w| w.code).collect()
}

#[test]
fn units_note_forms() {
    let n = notice(&[
        "一、甲项。正文。（责任单位：市妇联、市教育局）",
        "二、乙项。正文。(责任单位:市卫生健康委、市教育局)",
        "三、丙项。正文。（牵头单位：市妇联，责任单位：市教育局、市民政局）",
        "四、丁项。正文。",
        "（责任单位：区人社局、区妇联）",
        "五、戊项。正文（责任单位：市人力资源社\n会保障局、市妇联）",
        "二〇二五年三月二十三日",
    ]);
    let units: Vec<(Vec<String>, Vec<String>)> = n
        .items
        .iter()
        .map(|i| (i.lead_units.clone(), i.responsible_units.clone()))
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(units[0], (vec![], s(&["市妇联", "市教育局"])));
    assert_eq!(units[1], (vec![], s(&["市卫生健康委", "市教育局"])));
    assert_eq!(units[2], (s(&["市妇联"]), s(&["市教育局", "市民政局"])));
    assert_eq!(
        units[3],
        (vec![], s(&["区人社局", "区妇联"])),
        "a note in its own paragraph"
    );
    assert_eq!(
        units[4],
        (vec![], s(&["市人力资源社会保障局", "市妇联"])),
        "a note broken across lines"
    );
    assert_eq!(n.items[3].body, "正文。");
    assert_eq!(n.items[4].title, "戊项");
    assert_eq!(n.date.as_deref(), Some("2025-03-23"));
    assert!(n.warnings.is_empty(), "{:?}", n.warnings);
}

#[test]
fn heading_sentence_ends_at_the_first_full_stop_outside_quotes() {
    let n = notice(&["一、实施“心希望。”健康行动。正文第一句。正文第二句。（责任单位：市教育局）"]);
    assert_eq!(n.items[0].title, "实施“心希望。”健康行动");
    assert_eq!(n.items[0].body, "正文第一句。正文第二句。");
}

#[test]
fn head_fields() {
    let n = notice(&["一、甲。（责任单位：甲）"]);
    assert_eq!(n.issuer.as_deref(), Some("淄博市人民政府办公室"));
    assert_eq!(
        n.doc_number.as_ref().map(|d| d.text.as_str()),
        Some("淄政办字〔2025〕15号")
    );
    assert_eq!(
        n.title.as_deref(),
        Some("关于2025年为全市妇女儿童办实事的通知")
    );
    assert_eq!(n.addressees, vec!["各区县人民政府", "市政府各部门"]);
    assert_eq!(codes(&n), vec![WarningCode::MissingDate]);
}

#[test]
fn title_over_lines_and_issuer_inside_the_title() {
    let n = parse(&doc(&[
        "川政办字〔2024〕13号",
        "淄川区人民政府办公室关于2024年为全区妇",
        "女儿童办好十件实事的通知",
        "一、甲。（责任单位：甲）",
    ]))
    .unwrap();
    assert_eq!(n.issuer.as_deref(), Some("淄川区人民政府办公室"));
    assert_eq!(
        n.title.as_deref(),
        Some("关于2024年为全区妇女儿童办好十件实事的通知")
    );
}

#[test]
fn a_letterhead_names_the_issuer_without_文件() {
    let n = parse(&doc(&[
        "淄川区人民政府办公室文件",
        "关于做好妇女儿童工作的通知",
        "一、甲。（责任单位：甲）",
    ]))
    .unwrap();
    assert_eq!(n.issuer.as_deref(), Some("淄川区人民政府办公室"));
}

#[test]
fn numbering_gap_duplicate_and_missing_units() {
    let n = notice(&[
        "一、甲。（责任单位：甲）",
        "三、丙。（责任单位：丙）",
        "三、又丙。正文。",
        "四、丁。正文。",
        "2025年3月23日",
    ]);
    let numbers: Vec<u32> = n.items.iter().map(|i| i.number).collect();
    assert_eq!(numbers, vec![1, 3, 4]);
    assert_eq!(
        codes(&n),
        vec![
            WarningCode::NumberingGap,
            WarningCode::NumberingDuplicate,
            WarningCode::MissingUnits
        ]
    );
    assert!(
        n.items[1].body.contains("又丙"),
        "the repeated paragraph stays in item 3: {:?}",
        n.items[1]
    );
    assert_eq!(n.warnings[2].item, Some(4));
}

#[test]
fn no_items() {
    let n = notice(&["正文一段。", "2025年3月23日"]);
    assert!(n.items.is_empty());
    assert_eq!(codes(&n), vec![WarningCode::NoItems]);
}

#[test]
fn other_marker_styles_when_there_is_no_一() {
    let n = notice(&[
        "（一）甲项。（责任单位：甲）",
        "（二）乙项。（责任单位：乙）",
        "2025年3月23日",
    ]);
    assert_eq!(
        n.items
            .iter()
            .map(|i| (i.number, i.marker.as_str()))
            .collect::<Vec<_>>(),
        vec![(1, "一"), (2, "二")]
    );
    let n = notice(&[
        "1.甲项。（责任单位：甲）",
        "2、乙项。（责任单位：乙）",
        "2025年3月23日",
    ]);
    assert_eq!(n.items.len(), 2);
}

#[test]
fn signature_date_publicity_cc_printed_and_closing() {
    let n = notice(&[
        "一、甲。（责任单位：甲）",
        "各单位要高度重视。",
        "联系人：齐冬梅 朱滢榕 联系电话：5181763",
        "附件：2024年进展情况报表",
        "淄川区人民政府办公室",
        "2024年3月28日",
        "（此件公开发布）",
        "抄送：区委办公室，区法院，\n区检察院。",
        "淄川区人民政府办公室　　2024年3月28日印发",
    ]);
    assert_eq!(n.date.as_deref(), Some("2024-03-28"));
    assert_eq!(n.publicity.as_deref(), Some("此件公开发布"));
    assert_eq!(n.closing.len(), 2);
    assert_eq!(n.contacts.people, vec!["齐冬梅", "朱滢榕"]);
    assert_eq!(n.cc, vec!["区委办公室", "区法院", "区检察院"]);
    let printed = n.printed.unwrap();
    assert_eq!(
        (printed.by.as_deref(), printed.date.as_str()),
        (Some("淄川区人民政府办公室"), "2024-03-28")
    );
    assert_eq!(n.attachments.len(), 1);
    assert_eq!(n.attachments[0].title, "2024年进展情况报表");
    assert!(n.attachments[0].rows.is_empty());
}

fn table(rows: &[&[&[&str]]]) -> Table {
    Table {
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| Cell::new(c.iter().copied())).collect())
            .collect(),
    }
}

#[test]
fn attachment_table_rows_and_mismatch_warnings() {
    let mut d = doc(&[
        HEAD[0],
        HEAD[2],
        "一、推进就业。（责任单位：区人社局、区妇联）",
        "二、关爱行动。（责任单位：区教育局）",
        "2024年3月28日",
        "附件",
        "进展情况报表",
    ]);
    d.push(
        BlockKind::Table(table(&[
            &[&["序号"], &["实事名称"], &["责任单位"], &["完成 时限"]],
            &[&["1"], &["推进", "就业"], &["区人社局 区妇联"], &[]],
            &[&["2"], &["关爱活动"], &["区教体局"], &[]],
            &[&["3"], &["多出一行"], &["区妇联"], &[]],
        ])),
        Provenance::default(),
    );
    let n = parse(&d).unwrap();
    let a = &n.attachments[0];
    assert_eq!(a.title, "进展情况报表");
    assert_eq!(a.rows[0].name, "推进就业");
    assert_eq!(a.rows[0].responsible_units, vec!["区人社局", "区妇联"]);
    assert_eq!(
        codes(&n),
        vec![
            WarningCode::NameMismatch,
            WarningCode::UnitsMismatch,
            WarningCode::NameMismatch
        ],
        "{:?}",
        n.warnings
    );
    assert!(
        n.warnings[1].message.contains("区教育局") && n.warnings[1].message.contains("区教体局")
    );
}

#[test]
fn furniture_never_reaches_the_record() {
    let mut d = doc(&[HEAD[0], HEAD[2], "一、甲项。正文", "继续。（责任单位：甲）"]);
    // A page break inside item 1: header and page number between its two halves.
    let body = d.blocks.pop().unwrap();
    d.push(
        BlockKind::Furniture {
            role: FurnitureRole::PageNumber,
            text: "— 1 —".into(),
        },
        Provenance::page(1),
    );
    d.push(
        BlockKind::Furniture {
            role: FurnitureRole::Header,
            text: "淄博市人民政府办公室文件".into(),
        },
        Provenance::page(2),
    );
    d.push(body.kind, Provenance::page(2));
    let n = parse(&d).unwrap();
    let json = serde_json::to_string(&n).unwrap();
    assert!(!json.contains("— 1 —") && !json.contains("文件"), "{json}");
    assert_eq!(n.items[0].body, "正文\n继续。");
    assert_eq!(n.items[0].responsible_units, vec!["甲"]);
}

#[test]
fn budgets_are_enforced() {
    let d = doc(&["一、甲。", "二、乙。", "三、丙。"]);
    let tight = Settings {
        max_blocks: 2,
        ..Settings::default()
    };
    assert!(matches!(
        parse_with(&d, &tight),
        Err(ParseError::TooLarge { what: "blocks", .. })
    ));
    let tight = Settings {
        max_chars: 10,
        ..Settings::default()
    };
    assert!(matches!(
        parse_with(&d, &tight),
        Err(ParseError::TooLarge { .. })
    ));
}

#[test]
fn several_attachments_from_the_note_and_their_sections() {
    let mut d = doc(&[
        HEAD[0],
        HEAD[2],
        "一、推进就业。（责任单位：区人社局）",
        "附件：1.2025年项目清单",
        "2.2025年工作进展情况报表",
        "淄博市人民政府办公室",
        "二〇二五年三月二十三日",
        "附件1",
        "2025年项目清单",
        "附件2",
        "2025年工作进展",
        "情况报表",
    ]);
    d.push(
        BlockKind::Table(table(&[
            &[&["序号"], &["实事名称"], &["责任单位"]],
            &[&["1"], &["推进就业"], &["区人社局"]],
        ])),
        Provenance::default(),
    );
    let n = parse(&d).unwrap();
    let titles: Vec<&str> = n.attachments.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, vec!["2025年项目清单", "2025年工作进展情况报表"]);
    assert!(n.attachments[0].rows.is_empty());
    assert_eq!(
        n.attachments[1].rows.len(),
        1,
        "the table belongs to the section it follows"
    );
    assert_eq!(n.date.as_deref(), Some("2025-03-23"));
    assert_eq!(n.issuer.as_deref(), Some("淄博市人民政府办公室"));
    assert!(n.warnings.is_empty(), "{:?}", n.warnings);
}
