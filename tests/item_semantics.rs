//! `items[].quantities` and `items[].canonical_units` (the guide, docs/src/record.md,
//! "Quantities" and "Canonical unit names") on a whole notice, in each of its formats: the expectations below were
//! written by reading corpus/2025-zibo.txt item by item against the contract, not from the
//! program's output.

use noticepipe_output::{ItemField, Record};
use noticepipe_tests::record_of;

/// An amount as the test compares it: (item, text, value, max, unit, op).
type Amount<S> = (u32, S, f64, Option<f64>, S, &'static str);

/// Every amount of 2025-zibo, in reading order.
const ZIBO_2025: &[Amount<&str>] = &[
    (1, "3000人以上", 3000.0, None, "人", ">="),
    (1, "5000人次以上", 5000.0, None, "人次", ">="),
    (2, "35—64岁", 35.0, Some(64.0), "岁", "range"),
    (2, "90%以上", 90.0, None, "%", ">="),
    (2, "约8000名", 8000.0, None, "名", "≈"),
    (2, "35—64岁", 35.0, Some(64.0), "岁", "range"),
    (2, "不低于3万元", 30000.0, None, "元", ">="),
    (3, "3岁以下", 3.0, None, "岁", "<="),
    (3, "4.7个", 4.7, None, "个", ">="),
    (3, "2—3岁", 2.0, Some(3.0), "岁", "range"),
    (4, "1000场以上", 1000.0, None, "场", ">="),
    (5, "30处", 30.0, None, "处", "="),
    (5, "100场", 100.0, None, "场", "="),
    (5, "30场", 30.0, None, "场", "="),
    (5, "40场", 40.0, None, "场", "="),
    (5, "不少于3000人", 3000.0, None, "人", ">="),
    (5, "不少于500名", 500.0, None, "名", ">="),
    (6, "22个", 22.0, None, "个", "="),
    (6, "10处", 10.0, None, "处", "="),
    (6, "5条", 5.0, None, "条", "="),
    (6, "30批", 30.0, None, "批", "="),
    (7, "300场", 300.0, None, "场", "="),
    (7, "180场", 180.0, None, "场", "="),
    (7, "50个班次", 50.0, None, "个班次", "="),
    // Item 8 names 12355 only inside quotation marks; item 9's 12338 likewise.
    (9, "10个", 10.0, None, "个", "="),
    (10, "0—17周岁", 0.0, Some(17.0), "周岁", "range"),
    (10, "100%", 100.0, None, "%", "="),
];

/// Units of 2025-zibo whose canonical name differs from the written one.
const ZIBO_2025_EXPANDED: &[(&str, &str)] = &[
    ("市人力资源社会保障局", "市人力资源和社会保障局"),
    ("市妇联", "市妇女联合会"),
    ("市卫生健康委", "市卫生健康委员会"),
    ("市科协", "市科学技术协会"),
    ("市住房城乡建设局", "市住房和城乡建设局"),
    ("市市场监管局", "市市场监督管理局"),
    ("团市委", "共青团市委员会"),
    ("市检察院", "市人民检察院"),
    ("市法院", "市人民法院"),
    ("市残联", "市残疾人联合会"),
];

fn check(record: &Record, file: &str) {
    let got: Vec<Amount<String>> = record
        .notice
        .items
        .iter()
        .flat_map(|item| {
            item.quantities.iter().map(|q| {
                (
                    item.number,
                    q.text.clone(),
                    q.value,
                    q.max,
                    q.unit.to_string(),
                    q.op.as_str(),
                )
            })
        })
        .collect();
    let want: Vec<Amount<String>> = ZIBO_2025
        .iter()
        .map(|&(n, t, v, m, u, o)| (n, t.to_string(), v, m, u.to_string(), o))
        .collect();
    assert_eq!(got, want, "{file}");
    for item in &record.notice.items {
        for q in &item.quantities {
            let span = q.span.as_ref().expect("every quantity says where it is");
            let field = if span.field == ItemField::Title {
                &item.title
            } else {
                &item.body
            };
            let text: String = field
                .chars()
                .skip(span.start)
                .take(span.end - span.start)
                .collect();
            assert_eq!(text, q.text, "{file}: item {} span", item.number);
        }
        for unit in item.lead_units.iter().chain(&item.responsible_units) {
            let full = &item.canonical_units[unit];
            let expanded = ZIBO_2025_EXPANDED.iter().find(|(w, _)| w == unit);
            assert_eq!(
                full,
                expanded.map_or(unit.as_str(), |(_, f)| f),
                "{file}: {unit}"
            );
        }
    }
}

#[test]
fn quantities_and_canonical_names_of_a_notice_in_every_format() {
    for ext in ["txt", "docx", "pdf"] {
        let file = format!("corpus/2025-zibo.{ext}");
        let record = record_of(&file);
        check(&record, &file);
    }
}
