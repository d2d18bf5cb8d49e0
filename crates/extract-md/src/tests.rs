use super::*;

fn doc(md: &str) -> Document {
    MdExtractor::default()
        .extract_md(md.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn paragraphs(md: &str) -> Vec<String> {
    doc(md)
        .body()
        .filter_map(|b| match &b.kind {
            BlockKind::Paragraph(p) => Some(p.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn front_matter_goes_to_the_page_info_and_the_title() {
    let d = doc(
        "---\n标题: '关于办实事的通知'\n文号: \"淄政办字〔2025〕15号\"\n发文机关：淄博市人民政府办公室\n\
         url: https://www.zibo.gov.cn/a?b=1\ntags:\n  - 妇女\n# comment\n空:\n---\n\n正文。\n",
    );
    let info: Vec<(&str, &str)> = d
        .info
        .page
        .as_ref()
        .expect("page info")
        .info
        .iter()
        .map(|f| (f.label.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(
        info,
        [
            ("标题", "关于办实事的通知"),
            ("文号", "淄政办字〔2025〕15号"),
            ("发文机关", "淄博市人民政府办公室"),
            ("url", "https://www.zibo.gov.cn/a?b=1"),
        ]
    );
    assert_eq!(d.info.title.as_deref(), Some("关于办实事的通知"));
    assert_eq!(
        paragraphs_of(&d),
        ["正文。"],
        "front matter is no body text"
    );
    assert_eq!(d.blocks[0].prov.line, Some(12));
}

fn paragraphs_of(d: &Document) -> Vec<&str> {
    d.body()
        .filter_map(|b| match &b.kind {
            BlockKind::Paragraph(p) => Some(p.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn headings_quotes_and_emphasis_are_text() {
    let got = paragraphs(
        "# 关于**印发**方案的通知\n\n各区县：\n\n> 引用的*段落*。\n\n正文有`代码`与~~删除~~、[链接](http://a.cn/f.doc)。![图](x.png)\n\n标题二\n===\n",
    );
    assert_eq!(
        got,
        [
            "关于印发方案的通知",
            "各区县：",
            "引用的段落。",
            "正文有代码与删除、链接。",
            "标题二"
        ]
    );
    let d = doc("正文见[附件1](files/a.xls)和[本页](#top)。\n");
    assert_eq!(
        d.info.links,
        [Link {
            text: "附件1".into(),
            href: "files/a.xls".into()
        }]
    );
}

#[test]
fn an_ordered_list_keeps_its_numbers_and_a_bullet_list_drops_its_marks() {
    let got = paragraphs("1. 推进就业。\n2. 加强保障。\n\n- 甲\n- 乙\n\n3) 丙\n\n1. 甲\n1. 乙\n");
    assert_eq!(
        got,
        [
            "1. 推进就业。",
            "2. 加强保障。",
            "甲",
            "乙",
            "3) 丙",
            "1. 甲",
            "1. 乙"
        ]
    );
    // A loose list, an item of two paragraphs, a nested list.
    let got = paragraphs("1. 第一项。\n\n   补充说明。\n\n2. 第二项：\n   - 子项\n");
    assert_eq!(got, ["1. 第一项。", "补充说明。", "2. 第二项：", "子项"]);
}

#[test]
fn soft_breaks_are_decided_by_the_text() {
    // Chinese crawls: one logical paragraph per line, no blank lines.
    let got = paragraphs(
        "一、促进就业。（责任单位：市人社局）\n二、开展检查，\n覆盖全市。\n（一）细项\n附件：清单\n",
    );
    assert_eq!(
        got,
        [
            "一、促进就业。（责任单位：市人社局）",
            "二、开展检查，\n覆盖全市。",
            "（一）细项",
            "附件：清单"
        ]
    );
    // A heading keeps its lines (setext), a hard break always splits.
    let got = paragraphs("关于印发方案\n的通知\n==\n\n甲项，  \n乙项。\\\n丙项<br>丁项\n");
    assert_eq!(
        got,
        ["关于印发方案\n的通知", "甲项，", "乙项。", "丙项", "丁项"]
    );
}

#[test]
fn a_hard_wrapped_file_is_reflowed_like_a_text_dump() {
    let line = "一、促进巾帼就业创业。举办春风行动女性就业专场招聘活动开发岗位";
    let full = "活动开发妈妈岗灵活就业岗位提供政策咨询职业指导岗位供需对接服务";
    let md: String = (0..6)
        .map(|_| format!("{line}\n{full}\n结束了。\n\n"))
        .collect();
    let got = paragraphs(&md);
    assert_eq!(got.len(), 6, "{got:?}");
    assert_eq!(got[0], format!("{line}\n{full}\n结束了。"));
}

#[test]
fn a_pipe_table_is_a_table() {
    let d = doc(
        "附件\n\n| 序号 | 实事名称 | 责任单位 |\n|:--:|---|---|\n| 1 | **推进**就业 | 区人社局<br>区妇联 |\n| 2 | 乙 |\n",
    );
    let BlockKind::Table(t) = &d.blocks[1].kind else {
        panic!("{:?}", d.blocks)
    };
    assert_eq!(t.rows.len(), 3);
    assert_eq!(t.rows[0][1], Cell::new(["实事名称"]));
    assert_eq!(t.rows[1][1], Cell::new(["推进就业"]));
    assert_eq!(t.rows[1][2], Cell::new(["区人社局", "区妇联"]));
    assert_eq!(t.rows[2][2], Cell::default(), "a short row is padded");
    assert_eq!(d.blocks[1].prov.line, Some(3));
}

#[test]
fn html_blocks_and_inline_tags_are_reduced_to_text() {
    let d = doc(
        "正文<span style=\"x\">强调</span>。\n\n<table><tr><td>序号</td><td>名称</td></tr><tr><td>1</td><td>甲</td></tr></table>\n\n<div align=\"right\">淄博市人民政府办公室</div>\n\n<!-- page 2 -->\n",
    );
    assert_eq!(paragraphs_of(&d), ["正文强调。", "淄博市人民政府办公室"]);
    let tables: Vec<&Table> = d
        .body()
        .filter_map(|b| match &b.kind {
            BlockKind::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].rows[1][1], Cell::new(["甲"]));
}

#[test]
fn code_blocks_and_footnotes() {
    // Lines indented by four spaces are a code block: read as text lines.
    let d = doc("    一、甲项。\n    二、乙项，\n    续。\n\n正文[^1]。\n\n[^1]: 脚注内容。\n");
    assert_eq!(
        paragraphs_of(&d),
        ["一、甲项。", "二、乙项，\n续。", "正文。"]
    );
    assert!(d.blocks.iter().any(|b| matches!(
        &b.kind,
        BlockKind::Furniture { role: FurnitureRole::Footnote, text } if text == "脚注内容。"
    )));
}

#[test]
fn gb18030_is_decoded() {
    let gb = encoding_rs::GB18030.encode("# 通知\n\n一、甲项。\n").0;
    let d = MdExtractor::default().extract_md(&gb).unwrap();
    assert_eq!(d.info.encoding.as_deref(), Some("GB18030"));
    assert_eq!(paragraphs_of(&d), ["通知", "一、甲项。"]);
}

#[test]
fn limits_and_empty_files() {
    let small = MdExtractor {
        limits: Limits {
            max_input_bytes: 10,
            ..Limits::default()
        },
    };
    let err = small
        .extract_md("# 关于办实事的通知\n".as_bytes())
        .unwrap_err();
    assert!(
        matches!(err, MdError::Input(InputError::TooLarge { limit: 10, .. })),
        "{err}"
    );
    assert_eq!(ExtractError::from(err).code, ErrorCode::TooLarge);

    let few_cells = MdExtractor {
        limits: Limits {
            max_table_cells: 5,
            ..Limits::default()
        },
    };
    let wide = "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n";
    let err = few_cells.extract_md(wide.as_bytes()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::TooLarge);

    for empty in ["", "---\ntitle: x\n---\n", "![图](a.png)\n\n<!-- x -->\n"] {
        let err = MdExtractor::default()
            .extract_md(empty.as_bytes())
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Empty, "{empty:?}");
    }
    let err = MdExtractor::default()
        .extract_md(b"\x00\x01\x02\x03\xff\xfe\x00\x00")
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotText);
}

#[test]
fn markers_as_written() {
    assert_eq!(ordered_marker("12) 项"), Some("12)".into()));
    assert_eq!(ordered_marker("> 3. 项"), Some("3.".into()));
    assert_eq!(ordered_marker("- 项"), None);
}
