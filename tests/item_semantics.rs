//! `items[].quantities` and `items[].canonical_units` (the guide, docs/src/record.md,
//! "Quantities" and "Canonical unit names") on whole notices, in each of their formats: the
//! expectations below were written by reading each notice item by item against the contract
//! (corpus/2025-zibo; fixtures/genre/2025-hexi-minsheng; the real
//! fixtures/real/2026-nanchong-opc-xingdong-jihua.html and
//! 2025-shanghai-jichu-yanjiu-ruogan-cuoshi, Markdown and crawl dump), not from the program's
//! output.

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

/// Every amount of fixtures/genre/2025-hexi-minsheng, in reading order. 增加到 and 提高到
/// are no qualifiers (the contract's list): 200项, 55%, 120元 are "=". Item 3's 100% follows
/// its first note, still in its body.
const HEXI_2025: &[Amount<&str>] = &[
    (1, "20家", 20.0, None, "家", "="),
    (1, "20种以上", 20.0, None, "种", ">="),
    (2, "1.5万人", 15000.0, None, "人", "="),
    (2, "5.5%以内", 5.5, None, "%", "<="),
    (2, "2万人次", 20000.0, None, "人次", "="),
    (3, "8所", 8.0, None, "所", "="),
    (3, "6所", 6.0, None, "所", "="),
    (3, "9000个", 9000.0, None, "个", "="),
    (3, "100%", 100.0, None, "%", ">="),
    (4, "15个", 15.0, None, "个", "="),
    (4, "200项", 200.0, None, "项", "="),
    (4, "55%", 55.0, None, "%", "="),
    (5, "10个", 10.0, None, "个", "="),
    (5, "30个", 30.0, None, "个", "="),
    (5, "1000户", 1000.0, None, "户", "="),
    (5, "60个", 60.0, None, "个", "="),
    // 2000年底前 is a date.
    (6, "42个", 42.0, None, "个", "="),
    (6, "1.1万户", 11000.0, None, "户", "="),
    (6, "50部", 50.0, None, "部", "="),
    (7, "10条", 10.0, None, "条", "="),
    (7, "80辆", 80.0, None, "辆", "="),
    (7, "3000个", 3000.0, None, "个", "="),
    (7, "40处", 40.0, None, "处", "="),
    (8, "120元", 120.0, None, "元", "="),
    (8, "140元", 140.0, None, "元", "="),
    (8, "2.3万人", 23000.0, None, "人", "="),
    (9, "25个", 25.0, None, "个", "="),
    (9, "8万批次", 80000.0, None, "批次", "="),
    (9, "98%以上", 98.0, None, "%", ">="),
    (10, "18个", 18.0, None, "个", "="),
    (10, "96%", 96.0, None, "%", ">="),
    (10, "12万人", 120_000.0, None, "人", "="),
    (11, "4个", 4.0, None, "个", "="),
    (11, "30个", 30.0, None, "个", "="),
    (11, "50公里", 50.0, None, "公里", "="),
    (11, "40所", 40.0, None, "所", "="),
    (12, "35—64岁", 35.0, Some(64.0), "岁", "range"),
    (12, "5万人", 50000.0, None, "人", "="),
    (12, "13—14岁", 13.0, Some(14.0), "岁", "range"),
    (12, "90%以上", 90.0, None, "%", ">="),
];

/// Every unit of 2025-hexi-minsheng and its canonical name.
const HEXI_2025_NAMES: &[(&str, &str)] = &[
    ("市发展改革委", "市发展和改革委员会"),
    ("市财政局", "市财政局"),
    ("市人力资源社会保障局", "市人力资源和社会保障局"),
    ("市教育局", "市教育局"),
    ("市住房城乡建设局", "市住房和城乡建设局"),
    ("市市场监管局", "市市场监督管理局"),
    ("市卫生健康委", "市卫生健康委员会"),
    ("市医保局", "市医疗保障局"),
    ("市民政局", "市民政局"),
    ("市自然资源和规划局", "市自然资源和规划局"),
    ("市交通运输局", "市交通运输局"),
    ("市公安局", "市公安局"),
    ("市城市管理局", "市城市管理局"),
    ("市残联", "市残疾人联合会"),
    ("市农业农村局", "市农业农村局"),
    ("市水利局", "市水利局"),
    ("市体育局", "市体育局"),
    ("市妇联", "市妇女联合会"),
];

/// Every amount of fixtures/real/2026-nanchong-opc-xingdong-jihua.html, in reading order.
/// 最高 and 内 are no qualifiers (最高100% is "=", 5年内 is 5年 "="); a qualifier governs
/// the amounts listed after it in its clause (最高不超过25万元、10万元、3万元 are all "<=") but
/// not one after a bracket it stands in (500万元（达到A类）、200万元: "="); 6、18个月以上
/// names a unit only after 18; 5G and “1+3” are no amounts.
const NANCHONG_2026: &[Amount<&str>] = &[
    (1, "60%", 60.0, None, "%", "<="),
    (1, "不超过500万元", 5_000_000.0, None, "元", "<="),
    (4, "不超过50万元", 500_000.0, None, "元", "<="),
    (4, "200万元", 2_000_000.0, None, "元", "<="),
    (6, "500万元", 5_000_000.0, None, "元", "="),
    (6, "200万元", 2_000_000.0, None, "元", "="),
    (6, "60万元", 600_000.0, None, "元", "="),
    (6, "不少于5年", 5.0, None, "年", ">="),
    (7, "不超过2万元", 20000.0, None, "元", "<="),
    (7, "5年", 5.0, None, "年", "="),
    (7, "18个月以上", 18.0, None, "个月", ">="),
    (7, "5000元", 5000.0, None, "元", "="),
    (7, "1万元", 10000.0, None, "元", "="),
    (9, "2年", 2.0, None, "年", "="),
    (10, "不超过50%", 50.0, None, "%", "<="),
    (10, "不超过50万元", 500_000.0, None, "元", "<="),
    (10, "20%", 20.0, None, "%", "<="),
    (10, "不超过100万元", 1_000_000.0, None, "元", "<="),
    (11, "不超过10个", 10.0, None, "个", "<="),
    (11, "30%", 30.0, None, "%", "<="),
    (11, "不超过100万元", 1_000_000.0, None, "元", "<="),
    (11, "不超过25万元", 250_000.0, None, "元", "<="),
    (11, "10万元", 100_000.0, None, "元", "<="),
    (11, "3万元", 30000.0, None, "元", "<="),
    (11, "不超过10万元", 100_000.0, None, "元", "<="),
    (11, "3万元", 30000.0, None, "元", "<="),
    (11, "1万元", 10000.0, None, "元", "<="),
    (13, "10%", 10.0, None, "%", "<="),
    (13, "不超过100万元", 1_000_000.0, None, "元", "<="),
    (13, "100%", 100.0, None, "%", "="),
    (13, "不超过10万元", 100_000.0, None, "元", "<="),
    (13, "不超过200万元", 2_000_000.0, None, "元", "<="),
];

/// Every unit of 2026-nanchong-opc-xingdong-jihua and its canonical name. Abbreviations no
/// rule of the contract covers (科技局, 经信局, 网信办, 文广旅局, 政管局, 房管局) stay as written.
const NANCHONG_2026_NAMES: &[(&str, &str)] = &[
    ("市科技局", "市科技局"),
    ("市数据局", "市数据局"),
    ("市委网信办", "市委网信办"),
    ("中国移动南充分公司", "中国移动南充分公司"),
    ("中国电信南充分公司", "中国电信南充分公司"),
    ("中国联通南充分公司", "中国联通南充分公司"),
    ("市经信局", "市经信局"),
    ("市教育体育局", "市教育和体育局"),
    ("市商务局", "市商务局"),
    ("各县（市、区）政府", "各县（市、区）政府"),
    ("市司法局", "市司法局"),
    ("市市场监管局", "市市场监督管理局"),
    ("市政管局", "市政管局"),
    ("市税务局", "市税务局"),
    ("市委组织部", "市委组织部"),
    ("市人社局", "市人力资源和社会保障局"),
    ("市财政局", "市财政局"),
    ("市总工会机关", "市总工会机关"),
    ("团市委机关", "共青团市委员会机关"),
    ("市就业局", "市就业局"),
    ("市房管局", "市房管局"),
    ("市发改委", "市发展和改革委员会"),
    ("市国资委", "市国有资产监督管理委员会"),
    ("市文广旅局", "市文广旅局"),
    ("人行南充市分行", "人行南充市分行"),
    ("市经济合作外事局", "市经济合作外事局"),
];

/// Every amount of fixtures/real/2025-shanghai-jichu-yanjiu-ruogan-cuoshi, in reading order.
/// 1∶1 is a ratio (no unit); 5000万元（含）至1亿元（不含） is two amounts (a range is written
/// with a dash); 达到或超过 is one qualifier, ">="; 最高补助100万元 is "=".
const JICHU_2025: &[Amount<&str>] = &[
    (4, "达到或超过1亿元", 100_000_000.0, None, "元", ">="),
    (4, "1000万元", 10_000_000.0, None, "元", "="),
    (4, "5000万元", 50_000_000.0, None, "元", "="),
    (4, "1亿元", 100_000_000.0, None, "元", "="),
    (4, "500万元", 5_000_000.0, None, "元", "="),
    (4, "1000万元", 10_000_000.0, None, "元", "="),
    (4, "5000万元", 50_000_000.0, None, "元", "="),
    (4, "200万元", 2_000_000.0, None, "元", "="),
    (5, "50%", 50.0, None, "%", "="),
    (6, "50%", 50.0, None, "%", "="),
    (6, "100万元", 1_000_000.0, None, "元", "="),
    (7, "100%", 100.0, None, "%", "="),
    (8, "不低于10%", 10.0, None, "%", ">="),
];

/// Every unit of 2025-shanghai-jichu-yanjiu-ruogan-cuoshi and its canonical name. 浦东新区
/// shares the trailing 政府 of 浦东新区等相关区政府; collectives (各区政府, 相关区政府) stay.
const JICHU_2025_NAMES: &[(&str, &str)] = &[
    ("市科委", "市科学技术委员会"),
    ("市教委", "市教育委员会"),
    ("市经济信息化委", "市经济和信息化委员会"),
    ("市财政局", "市财政局"),
    ("各区政府", "各区政府"),
    ("市民政局", "市民政局"),
    ("市国资委", "市国有资产监督管理委员会"),
    ("临港新片区管委会", "临港新片区管理委员会"),
    ("浦东新区", "浦东新区人民政府"),
    ("相关区政府", "相关区政府"),
    ("市税务局", "市税务局"),
    ("市统计局", "市统计局"),
];

/// What a notice's items should carry.
struct Expected {
    amounts: &'static [Amount<&'static str>],
    /// Written → canonical. With `every_name`, all the notice's units (each must occur);
    /// else only those expanded (a unit not listed stays as written).
    names: &'static [(&'static str, &'static str)],
    every_name: bool,
}

fn check(record: &Record, file: &str, expected: &Expected) {
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
    let want: Vec<Amount<String>> = expected
        .amounts
        .iter()
        .map(|&(n, t, v, m, u, o)| (n, t.to_string(), v, m, u.to_string(), o))
        .collect();
    assert_eq!(got, want, "{file}");
    let mut seen = std::collections::BTreeSet::new();
    let mut wrong = Vec::new();
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
            let listed = expected.names.iter().find(|(w, _)| w == unit);
            let want = listed.map_or(unit.as_str(), |(_, f)| f);
            if listed.is_none() && expected.every_name {
                wrong.push(format!("item {} names {unit}, not expected", item.number));
            } else if full != want {
                wrong.push(format!("{unit} → {full}, not {want}"));
            }
            seen.insert(unit.as_str());
        }
    }
    if expected.every_name {
        for (written, _) in expected.names {
            if !seen.contains(written) {
                wrong.push(format!("no item names {written}"));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "{file}:\n{}", wrong.join("\n"));
}

#[test]
fn quantities_and_canonical_names_of_a_notice_in_every_format() {
    let expected = Expected {
        amounts: ZIBO_2025,
        names: ZIBO_2025_EXPANDED,
        every_name: false,
    };
    for ext in ["txt", "docx", "pdf"] {
        let file = format!("corpus/2025-zibo.{ext}");
        check(&record_of(&file), &file, &expected);
    }
}

#[test]
fn quantities_and_canonical_names_of_a_genre_notice_in_every_format() {
    let expected = Expected {
        amounts: HEXI_2025,
        names: HEXI_2025_NAMES,
        every_name: true,
    };
    for ext in ["txt", "docx", "pdf", "doc"] {
        let file = format!("fixtures/genre/2025-hexi-minsheng.{ext}");
        check(&record_of(&file), &file, &expected);
    }
}

#[test]
fn quantities_and_canonical_names_of_a_real_web_page() {
    let file = "fixtures/real/2026-nanchong-opc-xingdong-jihua.html";
    let expected = Expected {
        amounts: NANCHONG_2026,
        names: NANCHONG_2026_NAMES,
        every_name: true,
    };
    check(&record_of(file), file, &expected);
}

#[test]
fn quantities_and_canonical_names_of_a_real_notice_as_markdown_and_crawl_dump() {
    let expected = Expected {
        amounts: JICHU_2025,
        names: JICHU_2025_NAMES,
        every_name: true,
    };
    for ext in ["md", "dump.txt"] {
        let file = format!("fixtures/real/2025-shanghai-jichu-yanjiu-ruogan-cuoshi.{ext}");
        check(&record_of(&file), &file, &expected);
    }
}
