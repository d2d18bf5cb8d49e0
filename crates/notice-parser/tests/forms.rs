//! The parser on small synthetic documents, one form at a time.

use docmodel::{BlockKind, Cell, Document, Format, FurnitureRole, Provenance, Table};
use notice_parser::{Limits, ParseError, Settings, parse, parse_with};
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
        unplaced: false,
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
        limits: Limits {
            max_blocks: 2,
            ..Limits::default()
        },
        ..Settings::default()
    };
    assert!(matches!(
        parse_with(&d, &tight),
        Err(ParseError::TooLarge { what: "blocks", .. })
    ));
    let tight = Settings {
        limits: Limits {
            max_chars: 10,
            ..Limits::default()
        },
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

/// Section headings numbered in Chinese numerals: "附件一" alone on a line. Counted in
/// bytes, the numeral 一 (three bytes of UTF-8) once failed the "at most two digits" test
/// and the heading became preamble (the count is in characters since be6b4a6).
#[test]
fn attachment_headings_numbered_in_chinese_numerals() {
    let mut d = doc(&[
        HEAD[0],
        HEAD[2],
        "一、推进就业。（责任单位：区人社局）",
        "淄博市人民政府办公室",
        "二〇二五年三月二十三日",
        "附件一",
        "2025年项目清单",
        "附件二",
        "2025年工作进展情况报表",
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
    assert_eq!(n.attachments[1].rows.len(), 1);
    assert!(n.closing.is_empty(), "{:?}", n.closing);
}

fn units_of(n: &Notice) -> Vec<(Vec<String>, Vec<String>)> {
    n.items
        .iter()
        .map(|i| (i.lead_units.clone(), i.responsible_units.clone()))
        .collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn notes_on_their_own_line_first_or_last_and_verb_notes() {
    let n = notice(&[
        "一、甲项",
        "牵头单位：市妇联；配合单位：市教育局、",
        "市民政局",
        "正文甲。",
        "二、乙项：",
        "正文乙。",
        "责任单位：市卫生健康委。",
        "三、丙项。正文（市总工会牵头，市人社局参与）；又一句（市人社局、各有关部门负责）。",
        "2025年3月23日",
    ]);
    assert_eq!(
        units_of(&n),
        vec![
            (strings(&["市妇联"]), strings(&["市教育局", "市民政局"])),
            (vec![], strings(&["市卫生健康委"])),
            (strings(&["市总工会"]), strings(&["市人社局"])),
        ]
    );
    assert_eq!(n.items[0].body, "正文甲。");
    assert_eq!(n.items[1].title, "乙项", "the heading loses its colon");
    assert_eq!(n.items[2].units_notes.len(), 2);
    assert!(n.warnings.is_empty(), "{:?}", n.warnings);
}

#[test]
fn the_projects_of_a_plan_are_its_noted_sublist() {
    let n = notice(&[
        "现将《工作方案》印发给你们。",
        "2025年3月23日",
        "附件",
        "2025年为妇女儿童办实事工作方案",
        "一、总体要求",
        "以习近平新时代中国特色社会主义思想为指导。",
        "二、主要任务",
        "（一）甲项。正文。（责任单位：市妇联）",
        "（二）乙项。正文。（责任单位：市教育局）",
        "三、保障措施",
        "（一）加强组织领导。各单位要高度重视。",
        "（二）强化督导考核。定期通报。",
    ]);
    let titles: Vec<&str> = n.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, vec!["甲项", "乙项"]);
    assert_eq!(
        n.plan_title.as_deref(),
        Some("2025年为妇女儿童办实事工作方案"),
        "the title of the attachment that holds the items"
    );
    assert_eq!(n.date.as_deref(), Some("2025-03-23"));
    assert!(n.items.iter().all(|i| i.category.is_none()));
    assert!(n.warnings.is_empty(), "{:?}", n.warnings);
}

#[test]
fn two_level_lists_give_categories_and_restarts_are_numbered_by_position() {
    let run_on = notice(&[
        "一、健康保障类（2件）",
        "1．甲项。正文。（责任单位：市卫生健康委）",
        "2．乙项。正文。（责任单位：市妇联）",
        "二、教育成长类（1件）",
        "3．丙项。正文。（责任单位：市教育局）",
        "2025年3月23日",
    ]);
    let got: Vec<(u32, Option<&str>)> = run_on
        .items
        .iter()
        .map(|i| (i.number, i.category.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, Some("健康保障类")),
            (2, Some("健康保障类")),
            (3, Some("教育成长类"))
        ]
    );
    let restart = notice(&[
        "一、促进就业",
        "1.甲项。正文。（责任单位：市人社局）",
        "二、守护健康",
        "1.乙项。正文。（责任单位：市卫生健康委）",
        "2.丙项。正文。（责任单位：市医保局）",
        "2025年3月23日",
    ]);
    let got: Vec<(u32, &str, Option<&str>)> = restart
        .items
        .iter()
        .map(|i| (i.number, i.marker.as_str(), i.category.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "1", Some("促进就业")),
            (2, "1", Some("守护健康")),
            (3, "2", Some("守护健康"))
        ]
    );
    assert!(restart.warnings.is_empty(), "{:?}", restart.warnings);
}

#[test]
fn a_list_that_is_only_a_table() {
    let mut d = doc(&[
        "淄博市人民政府办公室",
        "关于2025年为全市妇女儿童办实事的通知",
        "各区县人民政府：",
        "现将项目公布如下：",
    ]);
    let cell = |t: &str| Cell::new([t]);
    let table = Table {
        unplaced: false,
        rows: vec![
            ["序号", "项目名称", "主要内容", "责任分工", "", "完成时限"]
                .map(cell)
                .to_vec(),
            ["", "", "", "牵头单位", "责任单位", ""].map(cell).to_vec(),
            [
                "1",
                "甲项",
                "内容甲。",
                "市妇联",
                "市教育局、市民政局",
                "2025年底",
            ]
            .map(cell)
            .to_vec(),
            [
                "2",
                "乙项",
                "内容乙。",
                "市卫生健康委",
                "市妇联",
                "2025年6月底",
            ]
            .map(cell)
            .to_vec(),
        ],
    };
    d.push(BlockKind::Table(table), Provenance::line(5));
    for (k, p) in [
        "一、提高思想认识。各单位要高度重视。",
        "二、加强督促检查。",
        "2025年3月23日",
    ]
    .iter()
    .enumerate()
    {
        d.push(
            BlockKind::Paragraph(p.to_string()),
            Provenance::line(6 + k as u32),
        );
    }
    let n = parse(&d).unwrap();
    let got: Vec<(&str, &str, Option<&str>)> = n
        .items
        .iter()
        .map(|i| (i.title.as_str(), i.body.as_str(), i.deadline.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("甲项", "内容甲。", Some("2025年底")),
            ("乙项", "内容乙。", Some("2025年6月底"))
        ]
    );
    assert_eq!(
        units_of(&n),
        vec![
            (strings(&["市妇联"]), strings(&["市教育局", "市民政局"])),
            (strings(&["市卫生健康委"]), strings(&["市妇联"])),
        ]
    );
    assert!(n.attachments.is_empty(), "the list is not an attachment");
    assert!(n.warnings.is_empty(), "{:?}", n.warnings);
}

#[test]
fn sections_without_any_notes_are_kept_and_flagged() {
    let n = notice(&[
        "一、总体要求",
        "（一）指导思想。正文。",
        "二、主要任务",
        "（一）甲。正文。",
        "2025年3月23日",
    ]);
    assert_eq!(n.items.len(), 2);
    assert!(
        codes(&n).contains(&WarningCode::ItemsUncertain),
        "{:?}",
        n.warnings
    );
}

#[test]
fn joint_letterhead_and_signatures() {
    let n = parse(&doc(&[
        "枫桥县妇女儿童工作委员会办公室",
        "枫桥县妇女联合会 文件",
        "枫妇儿办发〔2024〕2号",
        "关于印发2024年枫桥县为妇女儿童办实事项目的通知",
        "各乡镇人民政府：",
        "一、甲项。正文。（责任单位：县妇联）",
        "枫桥县妇女儿童工作委员会办公室        枫桥县妇女联合会",
        "2024年3月5日",
    ]))
    .unwrap();
    assert_eq!(
        n.issuers,
        strings(&["枫桥县妇女儿童工作委员会办公室", "枫桥县妇女联合会"])
    );
    assert_eq!(
        n.issuer.as_deref(),
        Some("枫桥县妇女儿童工作委员会办公室、枫桥县妇女联合会")
    );
    assert!(
        n.closing.is_empty(),
        "the signatures are taken: {:?}",
        n.closing
    );
    let unsigned_head = parse(&doc(&[
        "关于印发2024年枫桥县为妇女儿童办实事项目的通知",
        "一、甲项。正文。（责任单位：县妇联）",
        "枫桥县妇女儿童工作委员会办公室        枫桥县妇女联合会",
        "2024年3月5日",
    ]))
    .unwrap();
    assert_eq!(unsigned_head.issuers, n.issuers, "side-by-side signatures");
}

/// A table list whose rows were merged (as OCR of a scanned table without ruling lines can
/// merge them): a 序号 cell with two numbers, a units cell holding the next row's date, and
/// the numbers that skip are all said.
#[test]
fn merged_table_rows_are_warned() {
    let mut d = doc(&["关于2025年为全市妇女儿童办实事的通知", "各区县人民政府："]);
    let row = |cells: [&[&str]; 4]| cells.map(|c| Cell::new(c.iter().copied())).to_vec();
    let table = Table {
        unplaced: false,
        rows: vec![
            row([&["序号"], &["项目名称"], &["责任单位"], &["完成时限"]]),
            row([&["1"], &["甲项"], &["市妇联"], &["6月底"]]),
            row([&["2", "3"], &["乙项", "丙项"], &["市教育局"], &["9月底"]]),
            row([
                &["4"],
                &["丁项"],
                &["市民政局", "12月底前", "戊项"],
                &["年底"],
            ]),
            row([&["6"], &["己项"], &["市卫生健康委"], &["年底"]]),
        ],
    };
    d.push(BlockKind::Table(table), Provenance::line(3));
    d.push(
        BlockKind::Paragraph("2025年3月23日".into()),
        Provenance::line(4),
    );
    let n = parse(&d).unwrap();
    assert_eq!(n.items.len(), 4);
    assert_eq!(n.items[2].responsible_units, ["市民政局"]);
    let warned: Vec<(WarningCode, Option<u32>)> =
        n.warnings.iter().map(|w| (w.code, w.item)).collect();
    assert!(
        warned.contains(&(WarningCode::MergedRow, Some(2))),
        "{warned:?}"
    );
    assert!(
        warned.contains(&(WarningCode::MergedRow, Some(4))),
        "{warned:?}"
    );
    assert!(
        warned.contains(&(WarningCode::NumberingGap, Some(6))),
        "{warned:?}"
    );
}
