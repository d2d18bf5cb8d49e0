//! `render` on records built in code: the counts, the unit ranking by canonical name, the
//! recurring projects (and titles that must not match), the charts, the warning links and
//! the escaping of hostile text; and on the golden records of the bundled corpus.

use std::collections::BTreeMap;

use noticepipe_output::{
    DocNumber, Item, Notice, Quantity, QuantityOp, Record, Source, SourceFormat, Warning,
    WarningCode,
};
use noticepipe_report::{ReportOptions, render};

fn item(number: u32, title: &str) -> Item {
    Item {
        id: String::new(),
        number,
        marker: number.to_string(),
        title: title.into(),
        body: String::new(),
        category: None,
        lead_units: vec![],
        responsible_units: vec![],
        units_notes: vec![],
        deadline: None,
        provenance: None,
        quantities: vec![],
        canonical_units: BTreeMap::new(),
    }
}

fn amount(text: &str, value: f64, unit: &str, op: QuantityOp) -> Quantity {
    Quantity {
        text: text.into(),
        value,
        max: None,
        unit: unit.to_string().into(),
        op,
        span: None,
    }
}

fn record(path: &str, issuer: &str, year: u32, title: &str, items: Vec<Item>) -> Record {
    let notice = Notice {
        issuer: Some(issuer.into()),
        issuers: vec![issuer.into()],
        doc_number: Some(DocNumber {
            text: format!("测政办字〔{year}〕1号"),
            prefix: "测政办字".into(),
            year,
            serial: 1,
        }),
        title: Some(title.into()),
        items,
        ..Notice::default()
    };
    let source = Source {
        path: path.into(),
        format: SourceFormat::Txt,
        sha256: "0".repeat(64),
        bytes: 1,
        encoding: Some("UTF-8".into()),
        pages: None,
        metadata: None,
        ocr: None,
    };
    Record::new(source, notice)
}

fn page(records: &[Record]) -> String {
    render(records, &ReportOptions::default())
}

/// The rows of the table of class `class` (between its `<tbody>` and `</tbody>`).
fn rows<'a>(page: &'a str, class: &str) -> Vec<&'a str> {
    let start = page
        .find(&format!("<table class=\"{class}\">"))
        .unwrap_or_else(|| panic!("a {class} table"));
    let body = &page[start..];
    let body = &body[body.find("<tbody>").unwrap() + 7..body.find("</tbody>").unwrap()];
    body.split("</tr>").filter(|r| r.contains("<tr")).collect()
}

#[test]
fn notices_are_counted_once_per_id_by_year_issuer_and_category() {
    let mut with_category = item(1, "托育服务");
    with_category.category = Some("健康保障类".into());
    let a = record(
        "a.txt",
        "甲区人民政府办公室",
        2023,
        "通知一",
        vec![item(1, "招聘会")],
    );
    let mut a_pdf = a.clone();
    a_pdf.source.path = "a.pdf".into();
    let b = record(
        "b.txt",
        "甲区人民政府办公室",
        2024,
        "通知二",
        vec![item(1, "招聘会"), with_category],
    );
    let c = record(
        "c.txt",
        "乙县人民政府办公室",
        2024,
        "通知三",
        vec![item(1, "读书")],
    );
    let html = page(&[a, a_pdf, b, c]);
    assert!(html.contains("data-notices=\"3\""), "three notices");
    assert!(html.contains("data-files=\"4\""), "four files");
    assert!(
        html.contains("<b>4</b> 个项目"),
        "items of the notices, not of the files"
    );
    // Years: one column for 2023 (1), one for 2024 (2).
    assert!(html.contains("<title>2023：1</title>") && html.contains("<title>2024：2</title>"));
    let issuers = rows(&html, "issuers");
    assert!(issuers[0].contains("甲区人民政府办公室") && issuers[0].contains(">2<"));
    assert!(issuers[1].contains("乙县人民政府办公室") && issuers[1].contains(">1<"));
    let categories = rows(&html, "categories");
    assert!(categories[0].contains("（未分类）") && categories[0].contains(">3<"));
    assert!(categories[1].contains("健康保障类") && categories[1].contains(">1<"));
    // The notice list names both files of the first notice.
    let notices = rows(&html, "notices");
    assert_eq!(notices.len(), 3);
    assert!(notices[0].contains("href=\"a.pdf\"") && notices[0].contains("href=\"a.txt\""));
}

#[test]
fn units_rank_by_canonical_name_with_the_names_seen() {
    let mut one = item(1, "两癌筛查");
    one.lead_units = vec!["区卫健局".into()];
    one.responsible_units = vec!["区妇联".into()];
    one.canonical_units = BTreeMap::from([
        ("区卫健局".into(), "区卫生健康局".into()),
        ("区妇联".into(), "区妇女联合会".into()),
    ]);
    let mut two = item(2, "孕前检查");
    two.responsible_units = vec!["区卫生健康局".into(), "区卫健局".into()];
    two.canonical_units = BTreeMap::from([
        ("区卫生健康局".into(), "区卫生健康局".into()),
        ("区卫健局".into(), "区卫生健康局".into()),
    ]);
    let mut three = item(3, "家庭教育");
    three.responsible_units = vec!["区妇联".into()]; // no canonical entry: counted as written
    let html = page(&[record(
        "x.txt",
        "区政府办公室",
        2024,
        "通知",
        vec![one, two, three],
    )]);
    let units = rows(&html, "units");
    assert_eq!(units.len(), 3, "{units:?}");
    // 区卫生健康局 leads one project and carries another (named twice there: counted once).
    assert!(
        units[0].contains("<td class=\"unit\">区卫生健康局</td>"),
        "{}",
        units[0]
    );
    assert!(
        units[0].contains("<td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">2</td>")
    );
    assert!(
        units[0].contains("区卫健局（2）、区卫生健康局（1）"),
        "{}",
        units[0]
    );
    // The ties rank by leads, then by name.
    assert!(units[1].contains("区妇女联合会") || units[1].contains(">区妇联<"));
    assert!(
        !html.contains("<td class=\"unit\">区卫健局</td>"),
        "no unit by its short name"
    );
}

#[test]
fn recurring_projects_are_matched_shown_and_charted_and_unlike_titles_are_not() {
    let mut screening_2023 = item(1, "实施适龄妇女“两癌”免费筛查和救助行动");
    screening_2023.quantities = vec![
        amount("35—64岁", 35.0, "岁", QuantityOp::Range),
        amount("19万人", 190000.0, "人", QuantityOp::Equal),
    ];
    let mut screening_2025 = item(1, "开展适龄妇女“两癌”免费检查和救助");
    screening_2025.quantities = vec![amount("约8000名", 8000.0, "名", QuantityOp::About)];
    let reading_2023 = item(2, "实施“文润童心”品质提升行动");
    let family_2024 = item(1, "实施家庭品质提升工程");
    let html = page(&[
        record(
            "2023.txt",
            "淄博市人民政府办公室",
            2023,
            "2023年通知",
            vec![screening_2023, reading_2023],
        ),
        record(
            "2024.txt",
            "淄博市人民政府办公室",
            2024,
            "2024年通知",
            vec![family_2024],
        ),
        record(
            "2025.txt",
            "淄博市人民政府办公室",
            2025,
            "2025年通知",
            vec![screening_2025],
        ),
    ]);
    let recurring =
        &html[html.find("id=\"recurring\"").unwrap()..html.find("id=\"notices\"").unwrap()];
    assert_eq!(
        recurring.matches("<article class=\"group\">").count(),
        1,
        "{recurring}"
    );
    // The match shown: both titles as written, with their years.
    assert!(recurring.contains("<td>实施适龄妇女“两癌”免费筛查和救助行动</td><td>2023</td>"));
    assert!(recurring.contains("<td>开展适龄妇女“两癌”免费检查和救助</td><td>2025</td>"));
    assert!(
        !recurring.contains("品质提升"),
        "0.5 similar titles are not one project"
    );
    // One chart: 人 and 名 on one line of two points, the age range left out.
    assert_eq!(recurring.matches("<svg").count(), 1);
    assert_eq!(recurring.matches("<circle").count(), 2);
    assert_eq!(recurring.matches("<polyline").count(), 1);
    assert!(recurring.contains("2023 淄博市人民政府办公室：19万人"));
    assert!(recurring.contains("单位：人（名）"));
    assert!(recurring.contains("2023: 19万，2025: 8000"));
}

#[test]
fn a_title_recurring_within_one_year_only_is_not_shown() {
    let html = page(&[
        record(
            "a.txt",
            "甲区",
            2024,
            "通知甲",
            vec![item(1, "推进儿童友好城市建设")],
        ),
        record(
            "b.txt",
            "乙区",
            2024,
            "通知乙",
            vec![item(1, "深化儿童友好城市建设")],
        ),
    ]);
    assert!(!html.contains("<article class=\"group\">"));
    assert!(html.contains("没有在两个及以上年份出现的项目"));
}

#[test]
fn every_warning_links_to_its_file() {
    let mut a = record(
        "corpus/2024 川.txt",
        "区政府",
        2024,
        "通知",
        vec![item(1, "招聘会")],
    );
    a.notice.warnings = vec![
        Warning {
            code: WarningCode::UnitsMismatch,
            message: "item 1 names 区教育局 where attachment row 1 names 区教体局".into(),
            item: Some(1),
        },
        Warning {
            code: WarningCode::MissingDate,
            message: "no date".into(),
            item: None,
        },
    ];
    let mut b = a.clone();
    b.source.path = "/data/2024.pdf".into();
    b.notice.warnings.truncate(1);
    let html = page(&[a.clone(), b.clone()]);
    let warnings = rows(&html, "warnings");
    assert_eq!(
        warnings.len(),
        3,
        "every file's warnings, though one notice"
    );
    assert!(
        warnings[0].contains("<a class=\"file\" href=\"file:///data/2024.pdf\">/data/2024.pdf</a>")
    );
    assert!(
        warnings[1].contains(
            "<a class=\"file\" href=\"corpus/2024%20%E5%B7%9D.txt\">corpus/2024 川.txt</a>"
        )
    );
    assert!(
        warnings[1].contains("单位与附件表不一致")
            && warnings[1].contains("<code>units_mismatch</code>")
    );
    assert!(warnings[2].contains("<code>missing_date</code>"));
    // The caller decides where links go (the CLI: relative to the page's folder).
    let prefix = |path: &str| format!("../{}", noticepipe_report::path_href(path));
    let html = render(
        &[a, b],
        &ReportOptions {
            href: Some(&prefix),
            ..ReportOptions::default()
        },
    );
    assert!(html.contains("href=\"../corpus/2024%20%E5%B7%9D.txt\""));
}

#[test]
fn hostile_text_from_records_is_escaped_everywhere() {
    const HOSTILE: &str = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&";
    let mut first = item(1, &format!("实施两癌筛查{HOSTILE}"));
    first.category = Some(HOSTILE.into());
    first.responsible_units = vec![HOSTILE.into()];
    first.canonical_units = BTreeMap::from([(HOSTILE.into(), format!("{HOSTILE}局"))]);
    first.quantities = vec![amount(HOSTILE, 10.0, HOSTILE, QuantityOp::Equal)];
    let second = first.clone();
    let mut a = record(
        &format!("{HOSTILE}.txt"),
        HOSTILE,
        2023,
        HOSTILE,
        vec![first],
    );
    a.notice.warnings = vec![Warning {
        code: WarningCode::NameMismatch,
        message: HOSTILE.into(),
        item: Some(1),
    }];
    let b = record("b.txt", HOSTILE, 2024, "b", vec![second]);
    let title = format!("报告{HOSTILE}");
    let html = render(
        &[a, b],
        &ReportOptions {
            title: &title,
            ..ReportOptions::default()
        },
    );
    assert!(!html.contains("<script"), "no script element");
    assert!(!html.contains("<img"), "no injected element");
    assert!(
        html.contains("&quot;&gt;&lt;img src=x"),
        "no attribute broken out of"
    );
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    // The hostile items still recur and are charted (escaped inside the SVG too).
    assert!(html.contains("<article class=\"group\">") && html.contains("<circle"));
}

#[test]
fn the_page_is_the_same_whatever_the_order_of_the_records() {
    let records = vec![
        record(
            "b.txt",
            "乙",
            2024,
            "二",
            vec![item(1, "招聘会"), item(2, "读书")],
        ),
        record("a.txt", "甲", 2023, "一", vec![item(1, "招聘会")]),
        record("c.txt", "丙", 2025, "三", vec![item(1, "招聘会活动")]),
    ];
    let mut reversed = records.clone();
    reversed.reverse();
    assert_eq!(page(&records), page(&reversed));
    assert!(page(&[]).contains("没有通知"));
}

#[test]
fn the_corpus_golden_records_give_five_notices_and_the_screening_series() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/golden");
    let mut records = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            records.push(serde_json::from_str::<Record>(&text).unwrap());
        }
    }
    assert_eq!(records.len(), 15);
    let html = page(&records);
    assert!(html.contains("data-notices=\"5\"") && html.contains("data-files=\"15\""));
    // The 两癌 screening: 2023, 2024 (two issuers) and 2025 titles in one project, with a
    // chart of the head counts.
    let start = html.find("两癌").unwrap();
    assert!(html[start..].contains("<svg"));
    for title in [
        "实施适龄妇女“两癌”免费筛查和救助行动",
        "实施适龄妇女“两癌”免费检查和救助行动",
        "开展适龄妇女“两癌”免费检查和救助",
    ] {
        assert!(html.contains(&format!("<td>{title}</td>")), "{title}");
    }
    // The one units_mismatch of 2024-zichuan, in each of its three files.
    assert_eq!(html.matches("<code>units_mismatch</code>").count(), 3 + 1);
}
