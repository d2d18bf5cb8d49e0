//! The amounts an item states (`items[].quantities`), by the contract in the README
//! (from `../shared/contracts/item-semantics.md`): every amount written with Arabic digits
//! and followed by a unit or measure word, in reading order, with 万/亿 multiplied out,
//! ranges, and the qualifier that governs it (以上, 不少于, 余, 约 …).
//!
//! Not quantities: Chinese numerals; years, months, days and times of day (2024年, 12月底,
//! 25日前, 9:00) — a duration is one (24小时, 3年); phone numbers; numbers inside quotation
//! marks, 《》 and 〔〕; numbers joined to Latin letters (G320, 5G); fractions (10/10万); 第N;
//! a number followed by no unit (list markers, 12355热线).
//!
//! A scanner over the characters, not a regex: the rules look left (第, 约, the clause's
//! qualifier) and right (万, 余, the unit, 以上) of each number.

use noticepipe_output::{Quantity, QuantityOp};

/// Units that end an amount, longest first where one starts another (人次 before 人). An
/// open list: what notices of the genre write.
const UNITS: [&str; 62] = [
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
];

/// Nouns that make one unit with a 个 before them (12个班次, 1个百分点, 3个月).
const NOUNS_AFTER_GE: [&str; 10] = [
    "百分点",
    "工作日",
    "班次",
    "批次",
    "场次",
    "课时",
    "学时",
    "小时",
    "季度",
    "月",
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

/// Qualifiers before the amount, anywhere in its clause (至少上门走访1次).
const LEADING: [(&str, QuantityOp); 9] = [
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
const CLAUSE_ENDS: &str = "，。；：！？,;:!?\n";

/// Digits of a phone number without a dash (a longer run is no amount).
const MIN_PHONE_DIGITS: usize = 7;

/// The year a four-digit number with 年 is, from this one on (2024年), not a duration.
const FIRST_YEAR: f64 = 1900.0;

/// A number in the text: its value, where it ends, and its digits.
struct Number {
    value: f64,
    end: usize,
    digits: usize,
}

fn number_at(chars: &[char], start: usize) -> Option<Number> {
    let mut at = start;
    let mut text = String::new();
    let mut digits = 0;
    while at < chars.len() {
        let c = chars[at];
        if c.is_ascii_digit() {
            text.push(c);
            digits += 1;
            at += 1;
        } else if c == ','
            && digits > 0
            && chars
                .get(at + 1..at + 4)
                .is_some_and(|g| g.iter().all(char::is_ascii_digit))
            && !chars.get(at + 4).is_some_and(char::is_ascii_digit)
        {
            // Thousands separators (1,000人).
            at += 1;
        } else {
            break;
        }
    }
    if chars.get(at) == Some(&'.') && chars.get(at + 1).is_some_and(char::is_ascii_digit) {
        text.push('.');
        at += 1;
        while at < chars.len() && chars[at].is_ascii_digit() {
            text.push(chars[at]);
            at += 1;
        }
    }
    (digits > 0).then(|| Number {
        value: text.parse().unwrap_or(0.0),
        end: at,
        digits,
    })
}

fn starts_with_at(chars: &[char], at: usize, word: &str) -> bool {
    (at..)
        .zip(word.chars())
        .all(|(k, w)| chars.get(k) == Some(&w))
}

fn ends_with_at(chars: &[char], end: usize, word: &str) -> bool {
    let n = word.chars().count();
    end >= n && starts_with_at(chars, end - n, word)
}

/// The unit at `at`, and where it ends.
fn unit_at(chars: &[char], at: usize) -> Option<(String, usize)> {
    if chars.get(at) == Some(&'个') {
        let with_noun = NOUNS_AFTER_GE
            .iter()
            .find(|n| starts_with_at(chars, at + 1, n));
        return Some(match with_noun {
            Some(n) => (format!("个{n}"), at + 1 + n.chars().count()),
            None => ("个".into(), at + 1),
        });
    }
    let unit = UNITS.iter().find(|u| starts_with_at(chars, at, u))?;
    Some((unit.to_string(), at + unit.chars().count()))
}

/// Which characters stand inside quotation marks, 《》 or 〔〕.
fn quoted(chars: &[char]) -> Vec<bool> {
    let mut depth = 0i32;
    chars
        .iter()
        .map(|&c| {
            match c {
                '“' | '‘' | '《' | '〔' | '「' => depth += 1,
                '”' | '’' | '》' | '〕' | '」' => depth = (depth - 1).max(0),
                _ => return depth > 0,
            }
            true
        })
        .collect()
}

/// The amounts of `text`, with character offsets into it.
pub fn find(text: &str) -> Vec<(Quantity, usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    if !chars.iter().any(char::is_ascii_digit) {
        return Vec::new();
    }
    let quoted = quoted(&chars);
    let mut found = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let starts_number = chars[at].is_ascii_digit()
            && !(at > 0 && (chars[at - 1].is_ascii_alphanumeric() || chars[at - 1] == '.'));
        if !starts_number {
            at += 1;
            continue;
        }
        match amount_at(&chars, &quoted, at) {
            Some((quantity, start, end)) => {
                found.push((quantity, start, end));
                at = end;
            }
            None => {
                // Past the whole digit run, so that its tail is not read as a number.
                at = number_at(&chars, at).map_or(at + 1, |n| n.end.max(at + 1));
            }
        }
    }
    found
}

/// The amount whose first number starts at `at`, and the characters its text covers.
fn amount_at(chars: &[char], quoted: &[bool], at: usize) -> Option<(Quantity, usize, usize)> {
    let first = number_at(chars, at)?;
    if quoted[at] || (at > 0 && chars[at - 1] == '第') {
        return None;
    }
    let next = chars.get(first.end).copied();
    // Joined to Latin letters (5G, G320), a fraction (10/10万), a time (9:00), a phone.
    if next.is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | ':' | '：'))
        || (at > 0 && chars[at - 1] == '/')
        || first.digits >= MIN_PHONE_DIGITS
        || (first.digits >= 3
            && chars[at] == '0'
            && next == Some('-')
            && chars.get(first.end + 1).is_some_and(char::is_ascii_digit))
    {
        return None;
    }
    // A range: the unit is the one after the upper bound.
    let mut upper = None;
    if next.is_some_and(|c| RANGE_DASHES.contains(&c) || c == '至')
        && chars.get(first.end + 1).is_some_and(char::is_ascii_digit)
        && let Some(second) = number_at(chars, first.end + 1)
    {
        upper = Some(second);
    }
    let last_end = upper.as_ref().map_or(first.end, |n| n.end);
    let mut after = last_end;
    let multiplier = match chars.get(after) {
        Some('万') => 1e4,
        Some('亿') => 1e8,
        _ => 1.0,
    };
    if multiplier > 1.0 {
        after += 1;
    }
    let more_than = chars.get(after) == Some(&'余');
    if more_than {
        after += 1;
    }
    let (unit, mut end) = unit_at(chars, after)?;
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
        if let Some((word, trailing)) = TRAILING.iter().find(|(w, _)| starts_with_at(chars, end, w))
        {
            op = *trailing;
            end += word.chars().count();
        } else if !more_than {
            let before = if start > 0 && chars[start - 1] == ' ' {
                start - 1
            } else {
                start
            };
            // A qualifier right before the amount is part of its text (不少于60人); the
            // verbs 达到 and 均达到 govern it without being part of it (达到93% → 93%).
            if let Some((word, adjacent)) = ADJACENT
                .iter()
                .chain(&LEADING)
                .filter(|(w, _)| !w.ends_with("达到") && ends_with_at(chars, before, w))
                .max_by_key(|(w, _)| w.chars().count())
            {
                op = *adjacent;
                start = before - word.chars().count();
            } else if let Some(leading) = clause_qualifier(chars, start) {
                op = leading;
            }
        }
    }
    let scale = |n: &Number| n.value * multiplier;
    let quantity = Quantity {
        text: chars[start..end].iter().collect(),
        value: scale(&first),
        max: upper.as_ref().map(scale),
        unit,
        op,
        span: None,
    };
    Some((quantity, start, end))
}

/// The leading qualifier nearest before `at` in its clause (the longest where two end
/// together: 不超过, not 超过).
fn clause_qualifier(chars: &[char], at: usize) -> Option<QuantityOp> {
    let clause_start = chars[..at]
        .iter()
        .rposition(|c| CLAUSE_ENDS.contains(*c))
        .map_or(0, |k| k + 1);
    (clause_start..at).rev().find_map(|end| {
        LEADING
            .iter()
            .filter(|(w, _)| {
                let n = w.chars().count();
                end + 1 >= clause_start + n && ends_with_at(chars, end + 1, w)
            })
            .max_by_key(|(w, _)| w.chars().count())
            .map(|(_, op)| *op)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, f64, Option<f64>, String, &'static str)> {
        find(text)
            .into_iter()
            .map(|(q, _, _)| (q.text, q.value, q.max, q.unit, q.op.as_str()))
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
