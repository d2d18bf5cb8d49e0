//! The small grammars of a Chinese official document, each on normalized text.

use std::sync::LazyLock;

use noticepipe_output::DocNumber;
use regex::Regex;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

/// Most Arabic digits read as one numeral: a serial or a count, never an amount (six
/// digits also keep the value far inside u32).
const MAX_ARABIC_NUMERAL_DIGITS: usize = 6;

/// Value of a Chinese numeral up to 999 ("十" 10, "二十八" 28, "一百零二" 102) or of
/// Arabic digits.
pub fn numeral_value(s: &str) -> Option<u32> {
    if s.chars().all(|c| c.is_ascii_digit()) {
        // ASCII digits: bytes are characters.
        return s
            .parse()
            .ok()
            .filter(|_| s.len() <= MAX_ARABIC_NUMERAL_DIGITS);
    }
    let mut total = 0u32;
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        match c {
            '十' => {
                total += digit.take().unwrap_or(1) * 10;
            }
            '百' => {
                total += digit.take()? * 100;
            }
            c => {
                // Two digits in a row ("二三") are not a numeral; 零 only holds a place.
                if digit.is_some_and(|d| d != 0) {
                    return None;
                }
                digit = Some(cn_digit(c)?);
            }
        }
    }
    let value = total + digit.unwrap_or(0);
    (value > 0 || s == "零" || s == "〇").then_some(value)
}

fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' | 'Ｏ' | 'O' | '0' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

const CN_DATE: &str =
    r"[〇零○Ｏ一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日";
const ARABIC_DATE: &str = r"\d{4}年\d{1,2}月\d{1,2}日";

/// A date written out in full ("2024年3月28日", "二〇二四年三月二十八日") as "YYYY-MM-DD";
/// None for an impossible date.
pub fn parse_date(s: &str) -> Option<String> {
    // Split by hand at 年, 月 and 日 (a regex's captures cost more than the rest of the
    // line's reading): four characters of year, one to three of month and of day.
    let (year, rest) = s.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let day = rest.strip_suffix('日')?;
    let chars =
        |t: &str, range: std::ops::RangeInclusive<usize>| range.contains(&t.chars().count());
    if !chars(year, 4..=4) || !chars(month, 1..=3) || !chars(day, 1..=3) {
        return None;
    }
    let year: u32 = if year.chars().all(|c| c.is_ascii_digit()) {
        year.parse().ok()?
    } else {
        year.chars()
            .try_fold(0, |acc, c| Some(acc * 10 + cn_digit(c)?))?
    };
    let month = numeral_value(month)?;
    let day = numeral_value(day)?;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => return None,
    };
    ((1900..=2200).contains(&year) && (1..=days_in_month).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Longest signature before a date on its line, in characters: a joint signature of two
/// long organ names (淄博高新技术产业开发区管理委员会办公室 is 19).
const MAX_SIGNATURE_CHARS: usize = 40;
/// Longest date written out, in characters: 二〇二五年十二月三十一日.
const MAX_DATE_CHARS: usize = 12;
/// A bound in UTF-8 bytes (four at most per character) that no line within the character
/// limits passes — signature, date and 印发: lines longer than this are left before the
/// regex counts characters. It only saves work; the limits are the characters above.
const MAX_SIGNED_LINE_BYTES: usize = (MAX_SIGNATURE_CHARS + MAX_DATE_CHARS + 2) * 4;

/// A paragraph that is a 成文日期 line: an optional signature, then a date, nothing else.
/// Returns (signature or "", ISO date).
pub fn date_line(text: &str) -> Option<(&str, String)> {
    static LINE: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(
            r"^.{{0,{MAX_SIGNATURE_CHARS}}}(?:{ARABIC_DATE}|{CN_DATE})$"
        ))
    });
    // Cheap tests first: the parser asks this of every paragraph.
    if !text.ends_with('日') || text.len() > MAX_SIGNED_LINE_BYTES || !LINE.is_match(text) {
        return None;
    }
    let (signature, date) = split_signed_date(text)?;
    if !signature.is_empty() && !is_org_name(signature) {
        return None;
    }
    Some((signature, parse_date(date)?))
}

/// The 印发 line: "淄川区人民政府办公室2024年3月28日印发". Returns (printer or "", date).
pub fn printed_line(text: &str) -> Option<(&str, String)> {
    static LINE: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(
            r"^.{{0,{MAX_SIGNATURE_CHARS}}}(?:{ARABIC_DATE}|{CN_DATE})印发$"
        ))
    });
    if !text.ends_with("印发") || text.len() > MAX_SIGNED_LINE_BYTES || !LINE.is_match(text) {
        return None;
    }
    let (printer, date) = split_signed_date(text.strip_suffix("印发")?)?;
    Some((printer, parse_date(date)?))
}

/// A line the signed-date regex matched, cut into its signature and its date: the date
/// opens four characters before the last 年 (a signature may hold a 年; the date holds
/// one, at the end). Cut by hand: the regex's captures take its backtracker, which cost
/// more than all the rest of reading the line.
fn split_signed_date(text: &str) -> Option<(&str, &str)> {
    let year_end = text.rfind('年')?;
    let date_start = text[..year_end].char_indices().rev().nth(3)?.0;
    Some((&text[..date_start], &text[date_start..]))
}

/// Longest 发文字号 prefix (the organ's abbreviation and 发/办/字 …), in characters.
const MAX_DOC_NUMBER_PREFIX_CHARS: usize = 20;
/// Longest line that can be a 发文字号: a 20-character prefix, the year and the serial in
/// brackets, spaces between; a longer line is prose that mentions one.
const MAX_DOC_NUMBER_CHARS: usize = 48;

/// The brackets offices put a 发文字号's year in (〔2025〕, and the look-alikes).
const DOC_NUMBER_OPEN: [char; 7] = ['〔', '【', '[', '［', '(', '（', '〈'];
const DOC_NUMBER_CLOSE: [char; 7] = ['〕', '】', ']', '］', ')', '）', '〉'];

/// A paragraph that is only a 发文字号, with any of the brackets offices use.
pub fn doc_number(text: &str) -> Option<DocNumber> {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(
            r"^[\p{{Han}}]{{1,{MAX_DOC_NUMBER_PREFIX_CHARS}}}?\s*[〔【\[［(（〈]\s*\d{{4}}\s*[〕】\]］)）〉]\s*第?\d{{1,{MAX_ARABIC_NUMERAL_DIGITS}}}\s*号$"
        ))
    });
    let text = text.trim();
    if !text.ends_with('号')
        || text.chars().count() > MAX_DOC_NUMBER_CHARS
        || !NUMBER.is_match(text)
    {
        return None;
    }
    // Cut by hand once the regex matched (its captures cost more than the rest): the
    // prefix is Han characters, so the first bracket opens the year.
    let open = text.find(DOC_NUMBER_OPEN)?;
    let prefix = text[..open].trim_end();
    let after_open = text[open..].strip_prefix(DOC_NUMBER_OPEN)?;
    let close = after_open.find(DOC_NUMBER_CLOSE)?;
    let year = after_open[..close].trim().parse().ok()?;
    let serial = after_open[close..]
        .trim_start_matches(DOC_NUMBER_CLOSE)
        .trim_start()
        .trim_start_matches('第')
        .strip_suffix('号')?
        .trim_end()
        .parse()
        .ok()?;
    Some(DocNumber {
        text: format!("{prefix}〔{year}〕{serial}号"),
        prefix: prefix.to_string(),
        year,
        serial,
    })
}

/// The organs a line names: one organ, organs joined with 、 (a letterhead or a title line
/// of a joint issuance: "市绿化市容局、市水务局关于…", fixtures/real/
/// 2024-shanghai-jidongche-qingxi-yiye-yizheng.md), or two run together with no separator
/// where the second repeats the first's place ("成都市经济和信息化局成都市科学技术局":
/// 2026-chengdu-opc-xingdong-jihua.html). None when any part is no organ's name.
pub fn organs(text: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for part in text.split('、') {
        if !is_org_name(part) {
            return None;
        }
        out.extend(split_run_together(part));
    }
    Some(out)
}

/// Two organ names run together, the second opening with the first's first two
/// characters (its place), or with its level prefix (市教育局市民政局: a signature printing
/// two organs a line); else the name whole.
fn split_run_together(name: &str) -> Vec<String> {
    let level_prefix = name.starts_with(['市', '区', '县', '省']);
    let place: String = name
        .chars()
        .take(if level_prefix { 1 } else { 2 })
        .collect();
    let split = name
        .match_indices(place.as_str())
        .map(|(at, _)| at)
        .filter(|&at| at > 0)
        .find(|&at| {
            let (a, b) = name.split_at(at);
            b.chars().count() >= if level_prefix { 3 } else { 5 }
                && a.chars().count() >= 3
                && crate::vocabulary::ends_with_organ_word(a)
                && is_org_name(a)
                && is_org_name(b)
        });
    match split {
        Some(at) => {
            let (a, b) = name.split_at(at);
            let mut out = vec![a.to_string()];
            out.extend(split_run_together(b));
            out
        }
        None => vec![name.to_string()],
    }
}

/// "X2026年5月25日发布" (perhaps followed by more: "，征求意见截止…"): the organ X that
/// published the text; the date is a publication date, no 成文日期.
pub fn published_by(text: &str) -> Option<String> {
    let (before, after) = text.split_once("发布")?;
    if !(after.is_empty() || after.starts_with(['，', '。'])) {
        return None;
    }
    let (organ, _) = date_line(before)?;
    (!organ.is_empty()).then(|| organ.to_string())
}

/// The name of an organization, as on a letterhead or signature: short, no sentence
/// punctuation, ending in an organization word.
pub fn is_org_name(text: &str) -> bool {
    // Checked by hand from the end: most paragraphs fail at once, and a regex over
    // Unicode classes costs more to build than a short run spends matching.
    let text = text.strip_suffix("文件").unwrap_or(text);
    // A second name in brackets after the organ's (四川省科学技术厅（四川省人工智能产业链链长
    // 办公室）: fixtures/real/2026-sichuan-opc-xingdong-fangan.html).
    let core = match text.rfind('（') {
        Some(open) if text.ends_with('）') => {
            let inner = &text[open + '（'.len_utf8()..text.len() - '）'.len_utf8()];
            let name_like = |c: char| docmodel::is_han(c) || c.is_ascii_alphanumeric();
            let n = inner.chars().count();
            let second_name =
                (2..=MAX_SECOND_NAME_CHARS).contains(&n) && inner.chars().all(name_like);
            let before = &text[..open];
            if second_name && crate::vocabulary::ends_with_organ_word(before) {
                before
            } else {
                text
            }
        }
        _ => text,
    };
    let allowed = |c: char| {
        docmodel::is_han(c) || c.is_ascii_alphanumeric() || matches!(c, '（' | '）' | '“' | '”')
    };
    crate::vocabulary::ends_with_organ_word(core)
        && crate::vocabulary::ORGAN_WORDS.iter().any(|word| {
            core.strip_suffix(word).is_some_and(|name| {
                (2..=MAX_ORG_PREFIX_CHARS).contains(&name.chars().count())
                    && name.chars().all(allowed)
            })
        })
}

/// Longest name before an organ word, in characters (a long 中共…委员会…办公室 is ~30).
const MAX_ORG_PREFIX_CHARS: usize = 40;
/// Longest second name in brackets after an organ's name, in characters.
const MAX_SECOND_NAME_CHARS: usize = 30;

/// Longest 附注 after its 此件, in characters (此件公开发布, 此件主动公开 …).
const MAX_PUBLICITY_CHARS: usize = 20;
/// A bound in UTF-8 bytes that no 附注 within [`MAX_PUBLICITY_CHARS`] passes (brackets and
/// 此件 counted): it only saves the regex a longer line.
const MAX_PUBLICITY_BYTES: usize = (MAX_PUBLICITY_CHARS + 4) * 4;

/// 附注: "（此件公开发布）" → "此件公开发布".
pub fn publicity(text: &str) -> Option<&str> {
    static NOTE: LazyLock<Regex> =
        LazyLock::new(|| re(&format!(r"^（(此件[^（）]{{1,{MAX_PUBLICITY_CHARS}}})）$")));
    if !(text.starts_with('（') && text.ends_with('）')) || text.len() > MAX_PUBLICITY_BYTES {
        return None;
    }
    NOTE.captures(text)
        .map(|c| c.get(1).expect("group 1").as_str())
}

/// A trailing remark in brackets that may follow a title's 文种: （征求意见稿）, （试行）, a
/// period （2026—2028年）. Real: fixtures/real/2026-hangzhou-aiopc-xingdong-jihua-zqyj.html
/// ("…行动计划（2026—2028年）（征求意见稿）").
fn strip_title_remarks(mut text: &str) -> &str {
    while let Some(open) = text.rfind('（')
        && text.ends_with('）')
    {
        let inner = &text[open + '（'.len_utf8()..text.len() - '）'.len_utf8()];
        let remark = ["征求意见稿", "试行", "暂行", "草案", "送审稿", "修订"]
            .iter()
            .any(|r| inner.contains(r))
            || (inner.ends_with('年') && inner.chars().filter(char::is_ascii_digit).count() >= 4);
        if !remark || open == 0 {
            break;
        }
        text = &text[..open];
    }
    text
}

/// Ends with a 文种 (kind of document), perhaps followed by remarks in brackets: the last
/// line of a title.
pub fn ends_with_doc_kind(text: &str) -> bool {
    // 措施 / 举措 / 计划 / 要点: the 若干措施 and 行动计划 the genre issues on their own
    // (fixtures/real/2026-cangnan-opc-ruogan-jucuo-zqyj.html, 2026-shenzhen-luohu-…).
    const KINDS: [&str; 24] = [
        "通知", "通报", "决定", "意见", "报告", "请示", "批复", "函", "公告", "通告", "决议",
        "命令", "议案", "纪要", "方案", "办法", "规定", "清单", "公报", "措施", "举措", "计划",
        "要点", "细则",
    ];
    let text = strip_title_remarks(text);
    KINDS.iter().any(|k| text.ends_with(k))
}

/// Item marker styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerStyle {
    /// 一、
    CnComma,
    /// （一）
    CnParen,
    /// 1. or 1． or 1、
    Arabic,
    /// （1）
    ArabicParen,
    /// 第一条: the articles of a 若干措施 written as rules (fixtures/real/
    /// 2026-shenzhen-luohu-opc-ruogan-cuoshi.html).
    Article,
}

/// A paragraph opening with an item marker of any style: the style and what
/// [`item_marker`] returns. Only the styles the first character allows are tried (the
/// parser asks this of every paragraph).
pub fn any_marker(text: &str) -> Option<(MarkerStyle, (u32, &str, &str))> {
    let first = text.chars().next()?;
    let styles: &[MarkerStyle] = match first {
        '（' => &[MarkerStyle::CnParen, MarkerStyle::ArabicParen],
        '0'..='9' => &[MarkerStyle::Arabic],
        c if "一二三四五六七八九十百零〇".contains(c) => &[MarkerStyle::CnComma],
        '第' => &[MarkerStyle::Article],
        _ => return None,
    };
    styles
        .iter()
        .find_map(|&s| item_marker(text, s).map(|m| (s, m)))
}

/// Longest Chinese numeral of a list marker, in characters (一百零二、).
const MAX_CN_MARKER_CHARS: usize = 4;
/// Most digits of an Arabic list marker (a list of 999 measures; "2024." opens a year).
const MAX_ARABIC_MARKER_DIGITS: usize = 3;

/// A paragraph opening with an item marker of `style`: (number, numeral as written, rest).
/// Matched by hand: the parser asks this of every paragraph.
pub fn item_marker(text: &str, style: MarkerStyle) -> Option<(u32, &str, &str)> {
    let is_cn = |c: char| "一二三四五六七八九十百零〇".contains(c);
    let is_digit = |c: char| c.is_ascii_digit();
    let (cn, arabic) = (MAX_CN_MARKER_CHARS, MAX_ARABIC_MARKER_DIGITS);
    let (open, digit, max, close): (Option<char>, &dyn Fn(char) -> bool, usize, &[char]) =
        match style {
            MarkerStyle::CnComma => (None, &is_cn, cn, &['、']),
            MarkerStyle::CnParen => (Some('（'), &is_cn, cn, &['）']),
            MarkerStyle::Arabic => (None, &is_digit, arabic, &['.', '．', '、']),
            MarkerStyle::ArabicParen => (Some('（'), &is_digit, arabic, &['）']),
            MarkerStyle::Article => (Some('第'), &is_cn, cn, &['条']),
        };
    let after_open = match open {
        Some(c) => text.strip_prefix(c)?,
        None => text,
    };
    let numeral_len: usize = after_open
        .chars()
        .take_while(|&c| digit(c))
        .take(max + 1)
        .map(char::len_utf8)
        .sum();
    let numeral = &after_open[..numeral_len];
    if numeral.is_empty() || numeral.chars().count() > max {
        return None;
    }
    let rest = after_open[numeral_len..].strip_prefix(close)?;
    if style == MarkerStyle::Arabic && (rest.is_empty() || rest.starts_with(is_digit)) {
        return None; // "1.9万" is a number, not a marker
    }
    // "第一条" alone, or followed by a separator: the article's heading follows it.
    let rest = if style == MarkerStyle::Article {
        rest.trim_start_matches([' ', '、', '：'])
    } else {
        rest
    };
    Some((numeral_value(numeral).filter(|&n| n > 0)?, numeral, rest))
}

/// "11.121人才梯队项目" as the Arabic marker numbered `expected` (fixtures/real/
/// 2012-guangzhou-rencai-jiju-shishi-yijian.html): the number is the one the list expects
/// next, and the digits after the dot are no decimal of an amount (three or more of them,
/// or no unit after them).
pub fn arabic_marker_before_digits(
    text: &str,
    expected: u32,
) -> Option<(MarkerStyle, (u32, &str, &str))> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let numeral = &text[..digits];
    let rest = text[digits..].strip_prefix(['.', '．'])?;
    let after = rest.bytes().take_while(u8::is_ascii_digit).count();
    if numeral.parse::<u32>().ok()? != expected || after == 0 {
        return None;
    }
    let unit = rest[after..].chars().next();
    let amount =
        after < 3 && unit.is_none_or(|c| "万亿%‰元个人次家所项件名年月日天倍米吨户条".contains(c));
    (!amount).then_some((MarkerStyle::Arabic, (expected, numeral, rest)))
}

/// A list as written (抄送 organs), split at the vocabulary's list separators (、，；。 and
/// white space).
pub fn split_list(text: &str) -> Vec<String> {
    text.split(crate::vocabulary::is_list_separator)
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joint_organ_lines() {
        let got = |t: &str| organs(t);
        assert_eq!(
            got("成都市经济和信息化局成都市科学技术局").unwrap(),
            ["成都市经济和信息化局", "成都市科学技术局"]
        );
        assert_eq!(got("市教育局市民政局").unwrap(), ["市教育局", "市民政局"]);
        assert_eq!(
            got("市绿化市容局、市水务局").unwrap(),
            ["市绿化市容局", "市水务局"]
        );
        // One organ stays whole.
        assert_eq!(got("市市场监督管理局").unwrap(), ["市市场监督管理局"]);
        assert_eq!(got("市住房和城乡建设局").unwrap(), ["市住房和城乡建设局"]);
        assert_eq!(
            got("淄博市人民政府办公室").unwrap(),
            ["淄博市人民政府办公室"]
        );
        assert!(got("为深入贯彻落实").is_none());
    }

    #[test]
    fn chinese_numerals() {
        let cases = [
            ("一", 1),
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("二十八", 28),
            ("三十一", 31),
            ("一百零二", 102),
            ("12", 12),
        ];
        for (s, n) in cases {
            assert_eq!(numeral_value(s), Some(n), "{s}");
        }
        assert_eq!(numeral_value("二三"), None);
        assert_eq!(numeral_value("甲"), None);
    }

    #[test]
    fn dates_in_digits_and_in_chinese_numerals() {
        assert_eq!(parse_date("2024年3月28日").as_deref(), Some("2024-03-28"));
        assert_eq!(
            parse_date("二〇二四年三月二十八日").as_deref(),
            Some("2024-03-28")
        );
        assert_eq!(
            parse_date("二○二五年十二月三十一日").as_deref(),
            Some("2025-12-31")
        );
        assert_eq!(parse_date("2024年2月30日"), None);
        assert_eq!(parse_date("2024年13月1日"), None);
    }

    #[test]
    fn the_byte_bounds_pass_every_line_within_the_character_limits() {
        // Four bytes per signature character (CJK Extension B names exist), the longest date.
        let longest = MAX_SIGNATURE_CHARS * 4 + "二〇二五年十二月三十一日印发".len();
        assert!(longest <= MAX_SIGNED_LINE_BYTES);
        assert!((MAX_PUBLICITY_CHARS + "（此件）".chars().count()) * 4 <= MAX_PUBLICITY_BYTES);
        let signed = format!("{}2025年3月23日", "局".repeat(MAX_SIGNATURE_CHARS));
        assert!(date_line(&signed).is_some());
    }

    #[test]
    fn date_lines_with_and_without_signature() {
        assert_eq!(date_line("2025年3月23日"), Some(("", "2025-03-23".into())));
        assert_eq!(
            date_line("淄博高新技术产业开发区管理委员会办公室2024年5月17日"),
            Some((
                "淄博高新技术产业开发区管理委员会办公室",
                "2024-05-17".into()
            ))
        );
        assert_eq!(date_line("确保十件实事在2024年3月28日"), None);
        assert_eq!(date_line("2024年3月28日印发"), None);
        assert_eq!(
            printed_line("淄川区人民政府办公室2024年3月28日印发"),
            Some(("淄川区人民政府办公室", "2024-03-28".into()))
        );
    }

    #[test]
    fn doc_numbers_in_every_bracket() {
        for text in [
            "淄高新管办字【2024】7号",
            "淄高新管办字[2024]7号",
            "淄高新管办字〔2024〕7号",
            "淄高新管办字 〔2024〕 7 号",
        ] {
            let n = doc_number(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(
                (n.text.as_str(), n.prefix.as_str(), n.year, n.serial),
                ("淄高新管办字〔2024〕7号", "淄高新管办字", 2024, 7)
            );
        }
        assert_eq!(doc_number("关于2024年为全区妇女儿童办实事的通知"), None);
    }

    #[test]
    fn item_markers() {
        assert_eq!(
            item_marker("十、实施优质教育", MarkerStyle::CnComma),
            Some((10, "十", "实施优质教育"))
        );
        assert_eq!(
            item_marker("（三）加强", MarkerStyle::CnParen),
            Some((3, "三", "加强"))
        );
        assert_eq!(
            item_marker("2.推进", MarkerStyle::Arabic),
            Some((2, "2", "推进"))
        );
        assert_eq!(item_marker("1.9万名妇女", MarkerStyle::Arabic), None);
        assert_eq!(item_marker("2024年为全区", MarkerStyle::Arabic), None);
    }

    #[test]
    fn organization_names() {
        assert!(is_org_name("淄川区人民政府办公室"));
        assert!(is_org_name("淄博高新技术产业开发区管理委员会办公室"));
        assert!(is_org_name("淄川区人民政府办公室文件"));
        assert!(!is_org_name("关于2024年为全区妇女儿童办好十件实事的通知"));
        assert!(!is_org_name("各镇人民政府，各街道办事处"));
    }
}
