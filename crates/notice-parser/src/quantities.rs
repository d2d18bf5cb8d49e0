//! The amounts an item states (`items[].quantities`), by the contract in the guide
//! (docs/src/record.md, from the project's item-semantics contract): every amount written
//! with Arabic digits and followed by a unit or measure word, in reading order, with 万/亿
//! multiplied out, ranges, and the qualifier that governs it (以上, 不少于, 余, 约 …).
//!
//! Not quantities: Chinese numerals; years, months, days and times of day (2024年, 12月底,
//! 25日前, 9:00) — a duration is one (24小时, 3年); phone numbers; numbers inside quotation
//! marks, 《》 and 〔〕; numbers joined to Latin letters (G320, 5G); fractions (10/10万); 第N;
//! a number followed by no unit (list markers, 12355热线).
//!
//! A scanner over the characters, not a regex: the rules look left (第, 约, the clause's
//! qualifier) and right (万, 余, the unit, 以上) of each number, on the text in place (no
//! copy of it: this runs on every item of every record).

use std::sync::LazyLock;

use noticepipe_output::{ItemField, Quantity, QuantityOp, QuantitySpan};

/// Units that end an amount, longest first where one starts another (人次 before 人). An
/// open list: what notices of the genre write.
const UNITS: [&str; 65] = [
    "平方公里",
    "平方米",
    "立方米",
    "百分点",
    "千瓦时",
    "人次",
    "场次",
    "批次",
    "班次",
    "户次",
    "车次",
    "周岁",
    "课时",
    "学时",
    "小时",
    "分钟",
    "工作日",
    "公里",
    "公顷",
    "千米",
    "千瓦",
    "兆瓦",
    "公斤",
    "千克",
    "床位",
    "张床",
    "部门",
    "%",
    "名",
    "人",
    "场",
    "个",
    "所",
    "处",
    "家",
    "条",
    "批",
    "户",
    "期",
    "次",
    "元",
    "岁",
    "座",
    "项",
    "件",
    "台",
    "份",
    "套",
    "辆",
    "张",
    "间",
    "本",
    "册",
    "篇",
    "门",
    "节",
    "届",
    "天",
    "周",
    "年",
    "亩",
    "吨",
    "位",
    "种",
    "部",
];

/// Nouns that make one unit with a 个 before them (12个班次, 1个百分点, 3个月), written with
/// their 个.
const NOUNS_AFTER_GE: [&str; 10] = [
    "个百分点",
    "个工作日",
    "个班次",
    "个批次",
    "个场次",
    "个课时",
    "个学时",
    "个小时",
    "个季度",
    "个月",
];

/// Dashes of a range (35—64岁, 30-40个).
const RANGE_DASHES: [char; 6] = ['—', '-', '－', '–', '~', '～'];

/// Qualifiers written right after the unit.
const TRAILING: [(&str, QuantityOp); 4] = [
    ("以上", QuantityOp::AtLeast),
    ("以下", QuantityOp::AtMost),
    ("以内", QuantityOp::AtMost),
    ("左右", QuantityOp::About),
];

/// Qualifiers before the amount, anywhere in its clause (至少上门走访1次). 达到或超过 is one
/// (">=", its text joined like 超过's), not 超过 (">").
const LEADING: [(&str, QuantityOp); 11] = [
    ("达到或超过", QuantityOp::AtLeast),
    ("达到或者超过", QuantityOp::AtLeast),
    ("不少于", QuantityOp::AtLeast),
    ("不低于", QuantityOp::AtLeast),
    ("至少", QuantityOp::AtLeast),
    ("均达到", QuantityOp::AtLeast),
    ("达到", QuantityOp::AtLeast),
    ("超过", QuantityOp::MoreThan),
    ("多于", QuantityOp::MoreThan),
    ("不超过", QuantityOp::AtMost),
    ("不高于", QuantityOp::AtMost),
];

/// Qualifiers only right before the number (约5000人; 近 also means "recent" elsewhere).
const ADJACENT: [(&str, QuantityOp); 2] = [("约", QuantityOp::About), ("近", QuantityOp::About)];

/// Characters that end a clause for a leading qualifier.
fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '；' | '：' | '！' | '？' | ',' | ';' | ':' | '!' | '?' | '\n'
    )
}

/// Digits of a phone number without a dash (a longer run is no amount).
const MIN_PHONE_DIGITS: usize = 7;

/// The year a four-digit number with 年 is, from this one on (2024年), not a duration.
const FIRST_YEAR: f64 = 1900.0;

/// A number in the text: its value, where it ends (a byte offset), and its digits.
struct Number {
    value: f64,
    end: usize,
    digits: usize,
}

/// The number whose first digit is at byte `start` of `text`.
fn number_at(text: &str, start: usize) -> Option<Number> {
    let bytes = text.as_bytes();
    let digit = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_digit);
    let mut at = start;
    let mut value = 0.0f64;
    let mut digits = 0;
    loop {
        if digit(at) {
            value = value * 10.0 + f64::from(bytes[at] - b'0');
            digits += 1;
            at += 1;
        } else if bytes.get(at) == Some(&b',')
            && digits > 0
            && (1..=3).all(|k| digit(at + k))
            && !digit(at + 4)
        {
            // Thousands separators (1,000人).
            at += 1;
        } else {
            break;
        }
    }
    if bytes.get(at) == Some(&b'.') && digit(at + 1) {
        at += 1;
        let mut scale = 0.1;
        while digit(at) {
            value += f64::from(bytes[at] - b'0') * scale;
            scale /= 10.0;
            at += 1;
        }
        // Decimal digits summed as above drift (4.7 → 4.7000000000000002): round to them.
        value = (value * 1e6).round() / 1e6;
    }
    (digits > 0).then_some(Number {
        value,
        end: at,
        digits,
    })
}

/// [`UNITS`] by their first character, longest first within one character: the unit after
/// a number is looked up among the few starting with the character there, not all of them.
static UNITS_BY_FIRST: LazyLock<Vec<(char, &'static str)>> = LazyLock::new(|| {
    let mut units: Vec<(char, &'static str)> = UNITS
        .iter()
        .map(|u| (u.chars().next().expect("no empty unit"), *u))
        .collect();
    units.sort_by_key(|(first, u)| (*first, std::cmp::Reverse(u.len())));
    units
});

/// A set of characters as 64 bits (bit `c % 64`): a first look that turns away most
/// characters that start no unit (月, 日, 号 after dates) before the table is searched.
fn char_bits(chars: impl Iterator<Item = char>) -> u64 {
    chars.fold(0, |bits, c| bits | (1 << (u32::from(c) % 64)))
}

static UNIT_FIRST_BITS: LazyLock<u64> =
    LazyLock::new(|| char_bits(UNITS_BY_FIRST.iter().map(|(c, _)| *c).chain(['个'])));

/// The unit at byte `at`, and where it ends.
fn unit_at(text: &str, at: usize) -> Option<(&'static str, usize)> {
    let rest = &text[at..];
    let first = rest.chars().next()?;
    if *UNIT_FIRST_BITS & (1 << (u32::from(first) % 64)) == 0 {
        return None;
    }
    if first == '个' {
        let unit = NOUNS_AFTER_GE
            .iter()
            .find(|n| rest.starts_with(*n))
            .unwrap_or(&"个");
        return Some((unit, at + unit.len()));
    }
    let units = &*UNITS_BY_FIRST;
    let from = units.partition_point(|(c, _)| *c < first);
    let (_, unit) = units[from..]
        .iter()
        .take_while(|(c, _)| *c == first)
        .find(|(_, u)| rest.starts_with(*u))?;
    Some((unit, at + unit.len()))
}

/// The quotation depth after `bytes`, from `depth`. Only “”, ‘’, 《》, 〔〕 and 「」 move it;
/// each is three bytes led by E2 or E3, which no Han character (E4–E9) starts with, so only
/// those lead bytes are looked at.
fn quote_depth(mut depth: i32, bytes: &[u8]) -> i32 {
    for k in memchr::memchr2_iter(0xE2, 0xE3, bytes) {
        let step = match bytes.get(k..k + 3) {
            Some([0xE2, 0x80, 0x9C | 0x98] | [0xE3, 0x80, 0x8A | 0x94 | 0x8C]) => 1,
            Some([0xE2, 0x80, 0x9D | 0x99] | [0xE3, 0x80, 0x8B | 0x95 | 0x8D]) => -1,
            _ => 0,
        };
        depth = (depth + step).max(0);
    }
    depth
}

/// The first ASCII digit of `bytes` at or after `from`.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    crate::normalize::find_byte(bytes, from, |b| b.is_ascii_digit())
}

/// The amounts of `text` (the item's `field`), appended to `found` with their spans (character
/// offsets into `text`). Driven by the digits: an item is
/// mostly Han text with a few numbers, so the bytes before each digit are only counted (the
/// quotation depth; the characters, by `chars().count()`, a word at a time), and each digit
/// that starts a number is read in place.
pub fn find(text: &str, field: ItemField, found: &mut Vec<Quantity>) {
    let bytes = text.as_bytes();
    // Depth and characters are counted up to `counted`; the search goes on from `at`.
    let (mut depth, mut chars, mut counted, mut at) = (0i32, 0usize, 0usize, 0usize);
    while let Some(start) = next_digit(bytes, at) {
        depth = quote_depth(depth, &bytes[counted..start]);
        chars += text[counted..start].chars().count();
        counted = start;
        let prev = text[..start].chars().next_back();
        let read = if prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == '.') {
            None
        } else {
            amount_at(text, start, prev, depth > 0)
        };
        match read {
            Some((mut quantity, from, to)) => {
                // Character offsets: the amount's start may reach back over its
                // qualifier (不少于60人).
                let start = chars - text[from..start].chars().count();
                let end = start + text[from..to].chars().count();
                quantity.span = Some(QuantitySpan { field, start, end });
                found.push(quantity);
                at = to;
            }
            // Past the whole digit run, so that its tail is not read as a number.
            None => at = number_at(text, start).map_or(start + 1, |n| n.end),
        }
    }
}

/// The amount whose first number starts at byte `at` (after `prev`), and the bytes its
/// text covers. Long because it reads the amount left to right — number, range, 万/亿, 余,
/// unit, then the qualifier after or before — each step starting where the last ended.
fn amount_at(
    text: &str,
    at: usize,
    prev: Option<char>,
    quoted: bool,
) -> Option<(Quantity, usize, usize)> {
    let first = number_at(text, at)?;
    if quoted || prev == Some('第') {
        return None;
    }
    let next = text[first.end..].chars().next();
    let digit_after = |k: usize| text.as_bytes().get(k).is_some_and(u8::is_ascii_digit);
    // Joined to Latin letters (5G, G320), a fraction (10/10万), a time (9:00), a phone.
    if next.is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | ':' | '：'))
        || prev == Some('/')
        || first.digits >= MIN_PHONE_DIGITS
        || (first.digits >= 3
            && text.as_bytes()[at] == b'0'
            && next == Some('-')
            && digit_after(first.end + 1))
    {
        return None;
    }
    // A range: the unit is the one after the upper bound.
    let mut upper = None;
    if let Some(dash) = next.filter(|c| RANGE_DASHES.contains(c) || *c == '至')
        && digit_after(first.end + dash.len_utf8())
    {
        upper = number_at(text, first.end + dash.len_utf8());
    }
    let mut after = upper.as_ref().map_or(first.end, |n| n.end);
    let rest = &text[after..];
    let multiplier = if rest.starts_with('万') {
        1e4
    } else if rest.starts_with('亿') {
        1e8
    } else {
        1.0
    };
    if multiplier > 1.0 {
        after += '万'.len_utf8();
    }
    let more_than = text[after..].starts_with('余');
    if more_than {
        after += '余'.len_utf8();
    }
    let (unit, mut end) = unit_at(text, after)?;
    // Dates and times of day: 2024年, 12月底, 25日前 (月 and 日 are no units here).
    // (2024—2026年 is a period, no range of amounts.)
    if unit == "年" && first.digits == 4 && first.value >= FIRST_YEAR {
        return None;
    }
    let mut start = at;
    let mut op = if upper.is_some() {
        QuantityOp::Range
    } else if more_than {
        QuantityOp::MoreThan
    } else {
        QuantityOp::Equal
    };
    if upper.is_none() {
        if let Some((word, trailing)) = TRAILING.iter().find(|(w, _)| text[end..].starts_with(w)) {
            op = *trailing;
            end += word.len();
        } else if !more_than {
            let before = if text[..start].ends_with(' ') {
                start - 1
            } else {
                start
            };
            // A qualifier right before the amount is part of its text (不少于60人); the
            // verbs 达到 and 均达到 govern it without being part of it (达到93% → 93%).
            let head = &text[..before];
            // (Most amounts follow none of the words' last characters: asked first.)
            let may_adjoin = head
                .chars()
                .next_back()
                .is_some_and(|c| matches!(c, '约' | '近' | '于' | '少' | '过'));
            if let Some((word, adjacent)) = ADJACENT
                .iter()
                .chain(&LEADING)
                .filter(|(w, _)| may_adjoin && !w.ends_with("达到") && head.ends_with(w))
                .max_by_key(|(w, _)| w.len())
            {
                op = *adjacent;
                start = before - word.len();
            } else if let Some(leading) = clause_qualifier(&text[..start]) {
                op = leading;
            }
        }
    }
    let scale = |n: &Number| n.value * multiplier;
    let quantity = Quantity {
        text: text[start..end].to_string(),
        value: scale(&first),
        max: upper.as_ref().map(scale),
        unit: unit.into(),
        op,
        span: None,
    };
    Some((quantity, start, end))
}

/// The leading qualifier nearest the end of `head` (the text before an amount) within its
/// last clause (the longest where two end together: 不超过, not 超过). Read backwards from
/// the amount, character by character: a substring search per word (its searcher built
/// for each call) made this the costliest step of the record.
///
/// A bracketed remark closed before the amount is passed over whole: a qualifier in it
/// governs what it says, not the amount after it (500万元（达到A类）、200万元 → 200万元 "=");
/// one opened before the amount and not closed holds it (不少于3场（每场50人）: 50人 "="), so
/// its opening bracket ends the clause.
fn clause_qualifier(head: &str) -> Option<QuantityOp> {
    let mut closed = 0u32;
    for (i, c) in head.char_indices().rev() {
        match c {
            '）' | ')' => {
                closed += 1;
                continue;
            }
            '（' | '(' if closed > 0 => {
                closed -= 1;
                continue;
            }
            _ if closed > 0 => continue,
            '（' | '(' => return None,
            _ => {}
        }
        if ends_clause(c) {
            return None;
        }
        // The last characters of the LEADING words.
        if matches!(c, '于' | '少' | '到' | '过') {
            let upto = &head[..i + c.len_utf8()];
            if let Some((_, op)) = LEADING
                .iter()
                .filter(|(w, _)| upto.ends_with(w))
                .max_by_key(|(w, _)| w.len())
            {
                return Some(*op);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<Quantity> {
        let mut found = Vec::new();
        find(text, ItemField::Body, &mut found);
        found
    }

    fn read(text: &str) -> Vec<(String, f64, Option<f64>, String, &'static str)> {
        found(text)
            .into_iter()
            .map(|q| (q.text, q.value, q.max, q.unit.into_owned(), q.op.as_str()))
            .collect()
    }

    fn one(
        text: &str,
        value: f64,
        unit: &str,
        op: &'static str,
    ) -> (String, f64, Option<f64>, String, &'static str) {
        (text.into(), value, None, unit.into(), op)
    }

    #[test]
    fn the_contracts_examples() {
        assert_eq!(read("培训1.6万名"), [one("1.6万名", 16000.0, "名", "=")]);
        assert_eq!(
            read("投入3000万元"),
            [one("3000万元", 30_000_000.0, "元", "=")]
        );
        assert_eq!(read("补助1万元"), [one("1万元", 10000.0, "元", "=")]);
        assert_eq!(read("不少于60人"), [one("不少于60人", 60.0, "人", ">=")]);
        assert_eq!(read("开设12个班次"), [one("12个班次", 12.0, "个班次", "=")]);
        assert_eq!(
            read("提高1个百分点"),
            [one("1个百分点", 1.0, "个百分点", "=")]
        );
        assert_eq!(
            read("建设280个2—3岁托位"),
            [
                one("280个", 280.0, "个", "="),
                ("2—3岁".into(), 2.0, Some(3.0), "岁".into(), "range")
            ]
        );
        assert_eq!(
            read("为35—64岁妇女"),
            [("35—64岁".into(), 35.0, Some(64.0), "岁".into(), "range")]
        );
        assert_eq!(
            read("13—14周岁女孩、30-40个"),
            [
                ("13—14周岁".into(), 13.0, Some(14.0), "周岁".into(), "range"),
                ("30-40个".into(), 30.0, Some(40.0), "个".into(), "range")
            ]
        );
        assert_eq!(read("服务800余人"), [one("800余人", 800.0, "人", ">")]);
        assert_eq!(read("3岁以下婴幼儿"), [one("3岁以下", 3.0, "岁", "<=")]);
        assert_eq!(read("约5000人"), [one("约5000人", 5000.0, "人", "≈")]);
        assert_eq!(read("至少上门走访1次"), [one("1次", 1.0, "次", ">=")]);
        assert_eq!(
            read("分别达到93%和92%以上"),
            [one("93%", 93.0, "%", ">="), one("92%以上", 92.0, "%", ">=")]
        );
        assert_eq!(read("已建成14个公园"), [one("14个", 14.0, "个", "=")]);
        assert_eq!(read("24小时服务"), [one("24小时", 24.0, "小时", "=")]);
        assert_eq!(
            read("每周开放不少于10小时"),
            [one("不少于10小时", 10.0, "小时", ">=")]
        );
        assert_eq!(read("不超过5家"), [one("不超过5家", 5.0, "家", "<=")]);
        assert_eq!(read("覆盖率达到90%"), [one("90%", 90.0, "%", ">=")]);
        // fixtures/real/2025-shanghai-jichu-yanjiu-ruogan-cuoshi, item 4.
        assert_eq!(
            read("投入达到或超过1亿元/年的企业"),
            [one("达到或超过1亿元", 1e8, "元", ">=")]
        );
    }

    #[test]
    fn measure_words_of_the_open_list() {
        // fixtures/genre/2025-hexi-minsheng: 种 and 部 (and 部门, so that 12部门 is not 12部).
        assert_eq!(
            read("保持20种以上基本蔬菜品种，加装电梯50部，12部门联合"),
            [
                one("20种以上", 20.0, "种", ">="),
                one("50部", 50.0, "部", "="),
                one("12部门", 12.0, "部门", "=")
            ]
        );
    }

    #[test]
    fn every_unit_is_read_past_the_first_look() {
        for unit in UNITS.iter().chain(&NOUNS_AFTER_GE) {
            let text = format!("5{unit}");
            assert_eq!(unit_at(&text, 1), Some((*unit, text.len())), "{unit}");
        }
        assert_eq!(unit_at("5月", 1), None);
    }

    #[test]
    fn every_adjacent_qualifier_joins_the_amounts_text() {
        for (word, op) in ADJACENT.iter().chain(&LEADING) {
            if word.ends_with("达到") {
                continue;
            }
            let got = found(&format!("甲{word}5人"));
            assert_eq!(got[0].op, *op, "{word}");
            assert!(got[0].text.starts_with(word), "{word}");
        }
    }

    #[test]
    fn every_leading_qualifier_governs_its_clause() {
        for (word, op) in LEADING {
            assert_eq!(
                clause_qualifier(&format!("甲，{word}走访")),
                Some(op),
                "{word}"
            );
        }
        assert_eq!(clause_qualifier("不少于，走访"), None);
        // fixtures/real/2026-nanchong-opc-xingdong-jihua, item 6: 达到 in a closed remark.
        assert_eq!(clause_qualifier("给予500万元（达到A类）、"), None);
        assert_eq!(clause_qualifier("不超过（含）"), Some(QuantityOp::AtMost));
        assert_eq!(clause_qualifier("不少于3场（每场"), None);
        assert_eq!(clause_qualifier("至少上门走访"), Some(QuantityOp::AtLeast));
        assert_eq!(clause_qualifier("不超过"), Some(QuantityOp::AtMost));
    }

    #[test]
    fn a_bracketed_remark_is_its_own_clause() {
        assert_eq!(
            read("分别给予总额500万元（达到A类）、200万元（达到B类）资助"),
            [
                one("500万元", 5e6, "元", "="),
                one("200万元", 2e6, "元", "=")
            ]
        );
        assert_eq!(
            read("开展不少于3场（每场50人）"),
            [
                one("不少于3场", 3.0, "场", ">="),
                one("50人", 50.0, "人", "=")
            ]
        );
    }

    #[test]
    fn what_is_no_quantity() {
        for text in [
            "办好十件实事，开展百场活动",
            "2024年12月底前，25日前完成，2021年上半年",
            "咨询电话：0533-3182716，12355青少年心理服务台",
            "“5+2”类，“4个100%”，《2025年计划》，淄政办字〔2025〕15号",
            "1．推进就业（3）第2批",
            "发病率控制在10/10万以下",
            "9:00开放，G320国道，5G基站，三年行动（2024—2026年）",
        ] {
            assert_eq!(read(text), [], "{text}");
        }
    }
}
