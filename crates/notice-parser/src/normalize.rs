//! Text normalization, the same for every format.
//!
//! - White space (spaces, tabs, line breaks, U+3000, NBSP) is removed between two CJK
//!   characters, between CJK and digits, Latin letters or "%", next to CJK punctuation,
//!   and between a digit and "%"; elsewhere a run becomes one space. Text layers and
//!   office suites put such gaps in ("2025 年", "国产二价 HPV 疫苗").
//! - Full-width digits, letters and "％" become ASCII.
//! - Half-width ( ) : , ; next to Chinese text become （ ）：，；.
//! - Quotes “” ‘’ and 《》 stay as written.

use std::borrow::Cow;

use docmodel::is_cjk_text;

/// Normalizes one paragraph or cell.
pub fn normalize(raw: &str) -> String {
    normalize_cow(raw).into_owned()
}

/// [`normalize`], borrowing `raw` when it needs no change (most paragraphs of DOCX and TXT
/// input: one cheap pass says so).
pub fn normalize_cow(raw: &str) -> Cow<'_, str> {
    if !needs_normalizing(raw) {
        return Cow::Borrowed(raw);
    }
    let joined = collapse_whitespace(raw);
    // Most paragraphs have no half-width punctuation left to convert: one byte scan.
    if !joined
        .bytes()
        .any(|b| matches!(b, b'(' | b')' | b':' | b',' | b';'))
    {
        return Cow::Owned(joined);
    }
    Cow::Owned(to_full_width_punctuation(&joined))
}

/// Whether [`normalize`] changes `raw`: white space, a character that folds, or half-width
/// punctuation in it. Read on the UTF-8 bytes, since this runs on every paragraph many
/// times: ASCII by its byte, ideographs U+4000–U+9FFF (lead bytes E4–E9, none white space
/// or folding) skipped whole, and only the other characters decoded. (Skipping sixteen
/// bytes at a time, as `find_byte` does, measured slower here: CJK punctuation, which
/// must be decoded, comes every few characters.)
fn needs_normalizing(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\t'..=b'\r' | b' ' => return true,
            b if is_half_width_cjk_punct(char::from(b)) => return true,
            0..=0x7F => at += 1,
            0xE4..=0xE9 => at += 3,
            _ => {
                let c = raw[at..].chars().next().unwrap_or_default();
                if c.is_whitespace() || fold_width(c) != c {
                    return true;
                }
                at += c.len_utf8();
            }
        }
    }
    false
}

/// ASCII white space (TAB, LF, VT, FF, CR, space), branch-free.
fn is_ascii_space(b: u8) -> bool {
    (b.wrapping_sub(b'\t') < 5) | (b == b' ')
}

/// The characters of `raw` folded as [`normalize`] folds them (full-width forms, radicals),
/// white space kept: for readers that need the spaces a normalized text loses.
pub fn fold_chars(raw: &str) -> Cow<'_, str> {
    if raw.chars().all(|c| fold_width(c) == c) {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(raw.chars().map(fold_width).collect())
}

/// Full-width ASCII digits and letters, and ％, to ASCII; white-space look-alikes to ' ';
/// CJK radicals standing for ideographs to the ideographs.
fn fold_width(c: char) -> char {
    match c {
        '\u{2e80}'..='\u{2fdf}' => crate::radicals::fold_radical(c),
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '％' => {
            char::from_u32(c as u32 - 0xFEE0).expect("in the ASCII range")
        }
        '\u{3000}' | '\u{a0}' | '\u{2002}'..='\u{200b}' | '\u{feff}' => ' ',
        c => c,
    }
}

fn glues_to_cjk(c: char) -> bool {
    is_cjk_text(c) || c.is_ascii_alphanumeric() || c == '%' || is_half_width_cjk_punct(c)
}

fn is_half_width_cjk_punct(c: char) -> bool {
    matches!(c, '(' | ')' | ':' | ',' | ';')
}

/// The first byte of `bytes` at or after `from` that is `wanted`. Sixteen bytes at a time
/// by a test without early exit, which the compiler turns into vector instructions: the
/// bytes looked for (digits, white space, lead bytes other than Han) are sparse in Chinese
/// text.
pub(crate) fn find_byte(bytes: &[u8], from: usize, wanted: impl Fn(u8) -> bool) -> Option<usize> {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 16) {
        if chunk.iter().fold(false, |any, &b| any | wanted(b)) {
            break;
        }
        at += 16;
    }
    bytes[at..].iter().position(|&b| wanted(b)).map(|k| at + k)
}

/// Whether a byte may start a character that folds or is white space: ASCII white space,
/// and the lead bytes of U+0080–U+00FF (NBSP, U+0085), U+1000–U+1FFF (U+1680), U+2000–U+2FFF
/// (the spaces and radicals), U+3000–U+3FFF (U+3000) and U+F000–U+FFFF (full-width forms,
/// U+FEFF). Every other byte — other ASCII, the Han lead bytes E4–E9, continuation bytes —
/// stands for itself in [`collapse_whitespace`].
fn may_fold_or_space(b: u8) -> bool {
    // Written with `|` on plain compares, no branches, so that `find_byte` vectorizes it.
    is_ascii_space(b) | (b == 0xC2) | (b.wrapping_sub(0xE1) < 3) | (b == 0xEF)
}

/// `raw`'s characters folded ([`fold_width`]), each white-space run dropped or made one
/// space by its neighbours. The runs between bytes that [`may_fold_or_space`] are copied
/// whole: a paragraph is mostly Han text, which neither folds nor spaces.
fn collapse_whitespace(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut at = 0;
    while at < bytes.len() {
        // Never inside a character: the bytes looked for are ASCII or lead bytes.
        let stop = find_byte(bytes, at, may_fold_or_space).unwrap_or(bytes.len());
        out.push_str(&raw[at..stop]);
        at = stop;
        let Some(c) = raw[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        let c = fold_width(c);
        if !c.is_whitespace() {
            out.push(c);
            continue;
        }
        // A white-space run: skipped; the character after it decides with the one before
        // whether one space stays. (`after` is read again at the loop's top.)
        let next = raw[at..]
            .char_indices()
            .map(|(k, w)| (at + k, fold_width(w)))
            .find(|(_, w)| !w.is_whitespace());
        let Some((after_at, after)) = next else {
            break; // trailing white space
        };
        at = after_at;
        let Some(before) = out.chars().next_back() else {
            continue; // leading white space
        };
        let drop = (is_cjk_text(before) && glues_to_cjk(after))
            || (is_cjk_text(after) && glues_to_cjk(before))
            || (before.is_ascii_digit() && (after == '%' || after == '.'))
            || (before == '.' && after.is_ascii_digit());
        if !drop {
            out.push(' ');
        }
    }
    out
}

/// Half-width ( ) : , ; become full-width where a neighbour is Chinese. A ")" closing a
/// converted "(" is converted too.
fn to_full_width_punctuation(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut open_converted: Vec<bool> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev_cjk = i > 0 && is_cjk_text(chars[i - 1]);
        let next_cjk = chars.get(i + 1).is_some_and(|&n| is_cjk_text(n));
        let near_cjk = prev_cjk || next_cjk;
        let mapped = match c {
            '(' => {
                open_converted.push(near_cjk);
                if near_cjk { '（' } else { '(' }
            }
            ')' => {
                let opened = open_converted.pop().unwrap_or(false);
                if opened || near_cjk { '）' } else { ')' }
            }
            ':' if near_cjk => '：',
            ',' if near_cjk => '，',
            ';' if near_cjk => '；',
            c => c,
        };
        out.push(mapped);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fold_width, is_half_width_cjk_punct, needs_normalizing, normalize};

    #[test]
    fn the_byte_check_agrees_with_the_characters_for_every_character() {
        for c in (0..=0x3_FFFF).filter_map(char::from_u32) {
            let changes = c.is_whitespace() || fold_width(c) != c || is_half_width_cjk_punct(c);
            let text = format!("甲{c}乙");
            assert_eq!(needs_normalizing(&text), changes, "U+{:04X}", c as u32);
        }
    }

    /// The character-by-character collapse `collapse_whitespace` replaced: the reference.
    fn collapse_by_chars(raw: &str) -> String {
        let mut out = String::new();
        let mut chars = raw.chars().map(fold_width).peekable();
        let mut before: Option<char> = None;
        while let Some(c) = chars.next() {
            if !c.is_whitespace() {
                out.push(c);
                before = Some(c);
                continue;
            }
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            let (Some(before), Some(&after)) = (before, chars.peek()) else {
                continue;
            };
            let drop = (super::is_cjk_text(before) && super::glues_to_cjk(after))
                || (super::is_cjk_text(after) && super::glues_to_cjk(before))
                || (before.is_ascii_digit() && (after == '%' || after == '.'))
                || (before == '.' && after.is_ascii_digit());
            if !drop {
                out.push(' ');
            }
        }
        out
    }

    #[test]
    fn the_run_copying_collapse_agrees_with_the_characters_for_every_character() {
        for c in (0..=0x3_FFFF).filter_map(char::from_u32) {
            for text in [
                format!("甲{c}乙"),
                format!("{c} 甲 \u{3000}{c}"),
                format!("a {c}\n{c}"),
            ] {
                assert_eq!(
                    super::collapse_whitespace(&text),
                    collapse_by_chars(&text),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn spaces_between_cjk_and_digits_latin_percent_are_removed() {
        assert_eq!(normalize("关于印发 2025 年为全市"), "关于印发2025年为全市");
        assert_eq!(normalize("国产二价 HPV 疫苗"), "国产二价HPV疫苗");
        assert_eq!(normalize("覆盖率达到 90%\n以上"), "覆盖率达到90%以上");
        assert_eq!(normalize("达到 100 %"), "达到100%");
        assert_eq!(normalize("托位数达到 4 .7 个"), "托位数达到4.7个");
    }

    #[test]
    fn line_breaks_inside_a_paragraph_vanish_between_cjk() {
        assert_eq!(
            normalize("（责任单位：市人力资源社\n会保障局）"),
            "（责任单位：市人力资源社会保障局）"
        );
        assert_eq!(
            normalize("淄川区人民政府办公室\u{3000}\u{3000}2024年3月28日印发"),
            "淄川区人民政府办公室2024年3月28日印发"
        );
    }

    #[test]
    fn spaces_between_latin_words_stay_single() {
        assert_eq!(
            normalize("  Microsoft   Word\tdocument "),
            "Microsoft Word document"
        );
        assert_eq!(normalize("lzqfl@zb.shandong.cn"), "lzqfl@zb.shandong.cn");
    }

    #[test]
    fn full_width_digits_letters_and_percent_become_ascii() {
        assert_eq!(normalize("建成率达到４３％，ＨＰＶ"), "建成率达到43%，HPV");
    }

    #[test]
    fn half_width_punctuation_in_chinese_becomes_full_width() {
        assert_eq!(
            normalize("(责任单位:市卫生健康委、市教育局)"),
            "（责任单位：市卫生健康委、市教育局）"
        );
        assert_eq!(normalize("(此件公开发布)"), "（此件公开发布）");
        assert_eq!(normalize("项目,为符合条件的"), "项目，为符合条件的");
        assert_eq!(normalize("附件:2026年"), "附件：2026年");
        assert_eq!(normalize("see (a) 10:30, b; c"), "see (a) 10:30, b; c");
    }

    #[test]
    fn quotes_and_book_marks_are_kept() {
        assert_eq!(
            normalize("“春风行动” 《山东省家庭教育促进条例》"),
            "“春风行动”《山东省家庭教育促进条例》"
        );
    }
}
