//! The words and characters the parser recognizes organizations by, in one place: what
//! ends an organ's name, what ends the name of any other body a units note or a units
//! column may charge with a task, and what separates the names of a list. "Unit" here is
//! always an organization (责任单位), never a measure.
//!
//! Each entry says where it comes from: a document of fixtures/real (or of the State
//! Council set ../shared/real-gov, or the Zibo corpus ../shared/corpus) that needs it, or
//! GB/T 9704's organ names where it is the standard's.

/// Words that end the name of a government organ or public body: what a letterhead or a
/// signature line ends in, what lets "A和B" split into two names, and what ends a wrapped
/// name in a table cell.
pub const ORGAN_WORDS: [&str; 21] = [
    // Letterheads and signatures of every corpus (GB/T 9704 organs): 淄博市人民政府办公室,
    // 淄川区人民政府 (corpus/), 上海市静安区发展和改革委员会 (fixtures/real/*.md
    // front matter), 深圳市政府 (2026-guangdong-opc-xingdong-fangan.html).
    "办公室",
    "人民政府",
    "政府",
    "委员会",
    // 各开发区管委会 (2026-zhengzhou-opc-shequ-tuiguang.html).
    "管委会",
    // 上海海关 signs 2025-shanghai-wuliu-cangchu-xingdong-fangan.md.
    "海关",
    // The commonest ends of a note's units (2026-guangdong-opc-xingdong-fangan.html: 省政务和
    // 数据局, 省发展改革委, 省工业和信息化厅, 省委金融办, 省法院, 省委组织部).
    "局",
    "委",
    "厅",
    "办",
    "院",
    "部",
    // 申康医院发展中心 (2025-shanghai-gaoduan-yiliao-qixie-xingdong-fangan.md).
    "中心",
    // 上海市仓储与配送行业协会 (2025-shanghai-wuliu-cangchu-xingdong-fangan.md), 执委会.
    "会",
    // Divisions and groups: 综合规划处 (2024-shanghai-jiaotong-zonghe-jiaotong-tixi.md),
    // 上海市区域高质量发展领导小组
    // (2025-shanghai-xinxing-chengzhenhua-renwu-fengong.md), 科室; 海关总署 (../shared/real-gov).
    "室",
    "组",
    "处",
    "署",
    // People's organizations: 市妇联, 省工商联 (2026-guangdong-…), 团市委 (canonical table).
    "联",
    "团",
    // 政府 cut by a line break in a cell (…人民政 / 府) is joined to end in 府.
    "府",
];

/// Words that end the name of a body beyond the organs, which a note or a units column may
/// name. Banks by 银行/分行/支行 and the short 人行, never the bare 行, which ends prose in
/// every corpus (执行, 运行, 先行, 出行): 人民银行 (../shared/real-gov notes), 人行四川省分行
/// (2026-sichuan-opc-xingdong-fangan.html), 市人行 (2026-suqian-opc-shitiao-zhengce.html).
/// Companies and groups: 中国移动南充分公司 (2026-nanchong-opc-xingdong-jihua.html), 四川数据集团
/// (2026-sichuan-…). Teams: 区消防支队 (2019-shanghai-jingan-xiaofang-jiuyuan-sannian.md).
/// Task forces, parks and party schools: 区“两旧”专班 (2023-shanghai-jingan-zhuoyue-chengqu-
/// gengxin.md), 市北园区 and 区委党校 (2025-shanghai-jingan-tanfeng-zhongdian-gongzuo.md).
/// Institutes, stations, societies, museums (所, 站, 社, 馆) and 党中央 bodies (中央) are
/// kept from the first list, though no document here names one yet.
pub const OTHER_UNIT_WORDS: [&str; 15] = [
    "银行", "分行", "支行", "人行", "所", "站", "队", "社", "馆", "公司", "集团", "中央", "专班",
    "园区", "党校",
];

/// Places below a district whose name stands for their government or office in a units
/// column: 九亭镇, 泗泾镇 (2025-shanghai-songjiang-chengshi-gengxin-niandu.md), 江宁路街道
/// (2023-shanghai-jingan-zhuoyue-chengqu-gengxin.md). Places, not bodies: like 区 they are
/// no unit word elsewhere — in "九亭镇、车墩镇政府" the first is a bare place whose
/// government the list means (see `canonical`).
pub const TOWNSHIP_WORDS: [&str; 2] = ["镇", "街道"];

/// The last characters of the organ words: a name ending in none of them ends in no organ
/// word, which is the answer for most paragraphs (checked before the words themselves).
const ORGAN_LAST_CHARS: &str = "室府会关局委厅办院部心组处署联团";

/// Ends in an organ word.
pub fn ends_with_organ_word(name: &str) -> bool {
    name.chars()
        .next_back()
        .is_some_and(|c| ORGAN_LAST_CHARS.contains(c))
        && ORGAN_WORDS.iter().any(|w| name.ends_with(w))
}

/// Ends in a word that ends a unit's name: an organ word or another unit word.
pub fn ends_with_unit_word(name: &str) -> bool {
    ends_with_organ_word(name) || OTHER_UNIT_WORDS.iter().any(|w| name.ends_with(w))
}

/// Ends in a word that ends a name in a units column: a unit word or a township word.
pub fn ends_with_column_unit_word(name: &str) -> bool {
    ends_with_unit_word(name) || TOWNSHIP_WORDS.iter().any(|w| name.ends_with(w))
}

/// What separates the names of a list — a note's units, a table cell's, a 抄送 line: 、，；
/// (and their ASCII forms, which normalized text may still hold inside names' brackets),
/// 。 (a list's end: "抄送：…，区检察院。"), and white space (a PDF cell's names side by
/// side: "区人社局 区妇联", corpus/). A line break inside a table cell is the one
/// white space the caller may keep apart (see `attachments::cell_units`).
pub fn is_list_separator(c: char) -> bool {
    matches!(c, '、' | '，' | ',' | '；' | ';' | '。') || c.is_whitespace()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_characters_cover_every_organ_word() {
        for w in ORGAN_WORDS {
            let last = w.chars().next_back().unwrap();
            assert!(ORGAN_LAST_CHARS.contains(last), "{w}");
        }
    }

    #[test]
    fn banks_are_units_and_prose_ending_in_行_is_not() {
        for name in ["人民银行", "人行四川省分行", "市人行", "农商银行某支行"]
        {
            assert!(ends_with_unit_word(name), "{name}");
        }
        for prose in ["试点先行", "独立运行", "交通出行"] {
            assert!(!ends_with_column_unit_word(prose), "{prose}");
        }
        // A township is a column's unit but a bare place elsewhere.
        assert!(ends_with_column_unit_word("九亭镇") && !ends_with_unit_word("九亭镇"));
    }
}
