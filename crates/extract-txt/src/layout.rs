//! Lines of decoded text → blocks.
//!
//! 1. Lines split at CR, LF or CRLF; a form feed (pdftotext's page break) starts a new
//!    page and sets `Provenance::page`. Converter artifacts such as Tika's
//!    `[bookmark: _GoBack]` are removed.
//! 2. Tables dumped as text become [`Table`] blocks (see `find_tables`).
//! 3. Page furniture of a dump — page-number lines ("— 2 —", "第2页") and a running header
//!    repeated at the top of pages — becomes furniture, and a paragraph broken by it goes on
//!    after it (see `furniture_lines`).
//! 4. The remaining lines become paragraphs. A line continues into the next non-blank line
//!    when it ends inside a sentence (see [`continues`]); blank lines carry no meaning
//!    because dumps put them between every line or between random ones.
//!
//! Whitespace inside a paragraph (the spaces a text layer puts around digits, the line
//! breaks kept as `'\n'`) is left for the parser's normalizer, which treats every format
//! alike.

use std::sync::LazyLock;

use docmodel::{BlockKind, Cell, Document, FurnitureRole, Provenance, Table};
use regex::Regex;
use unicode_width::UnicodeWidthChar;

/// A physical line of the input.
#[derive(Debug, Clone)]
struct Line<'a> {
    text: &'a str,
    /// 1-based line number.
    number: u32,
    /// 1-based page, when the text has form feeds.
    page: Option<u32>,
    /// A piece of a crawl dump's line: a paragraph of its own, never joined.
    whole: bool,
}

impl Line<'_> {
    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
    fn prov(&self) -> Provenance {
        Provenance {
            page: self.page,
            line: Some(self.number),
            ..Default::default()
        }
    }
}

static ARTIFACT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[bookmark: [^\]\n]*\]").expect("valid regex"));

/// Lays out `text` into `doc`.
pub fn build(text: &str, doc: &mut Document) {
    let cleaned = ARTIFACT.replace_all(text, "");
    let lines = split_lines(&cleaned);
    let full_width = hard_wrap_width(&lines);
    let furniture = furniture_lines(&lines);
    let mut paragraph: Vec<&Line> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some(role) = furniture[i] {
            let text = lines[i].text.trim().to_string();
            doc.push(BlockKind::Furniture { role, text }, lines[i].prov());
            i += 1;
            continue;
        }
        if let Some((table, end)) = find_tables(&lines, i) {
            flush(&mut paragraph, doc);
            doc.push(BlockKind::Table(table), lines[i].prov());
            i = end.max(i + 1); // a table always consumes its first line
            continue;
        }
        let line = &lines[i];
        i += 1;
        if line.is_blank() {
            continue;
        }
        if line.whole
            || paragraph
                .last()
                .is_some_and(|last| last.whole || !continues(last.text, line.text, full_width))
        {
            flush(&mut paragraph, doc);
        }
        paragraph.push(line);
    }
    flush(&mut paragraph, doc);
    if lines.iter().any(|l| l.page.is_some_and(|p| p > 1)) {
        doc.info.pages = lines.last().and_then(|l| l.page);
    }
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut page = 1u32;
    // Whole-text searches by the memchr crate's vector code (str's char searches go a word
    // at a time): page breaks and a crawl dump's ||| lines are rare.
    let bytes = text.as_bytes();
    let has_pages = memchr::memchr(0x0c, bytes).is_some();
    let has_dump_lines = memchr::memmem::find(bytes, b"|||").is_some();
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    let mut start = 0;
    for (n, end) in ends.enumerate() {
        let raw = &text[start..end];
        start = end + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // A lone CR also ends a line (old Mac files).
        let mut rest = Some(raw);
        while let Some(remaining) = rest {
            let mut part = match memchr::memchr(b'\r', remaining.as_bytes()) {
                Some(cr) => {
                    rest = Some(&remaining[cr + 1..]);
                    &remaining[..cr]
                }
                None => {
                    rest = None;
                    remaining
                }
            };
            while let Some(rest) = part.strip_prefix('\x0c') {
                page += 1;
                part = rest;
            }
            let part = part.trim_end_matches('\x0c');
            let line = |text, whole| Line {
                text,
                number: n as u32 + 1,
                page: has_pages.then_some(page),
                whole,
            };
            if has_dump_lines && part.contains("|||") {
                lines.extend(dump_pieces(part).into_iter().map(|p| line(p, true)));
            } else {
                lines.push(line(part, false));
            }
        }
    }
    lines
}

/// A crawl dump's line (a page flattened onto one line, its navigation as runs of `|||`:
/// fixtures/real/*.dump.txt) cut back into lines: at the `|||` runs, after each sentence
/// (。！？ outside brackets), after a 发文字号 (〔2025〕5号) or a date (2025年1月10日) that
/// ends a short stretch, and before a list marker that follows a closing bracket or
/// stands after a heading ((一) …, 二、…).
fn dump_pieces(line: &str) -> Vec<&str> {
    static BREAK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"〔\d{4}〕\d{1,5}号",
            r"|\d{4}年\d{1,2}月\d{1,2}日",
            r"|[(（][一二三四五六七八九十]{1,3}[)）]",
            r"|[一二三四五六七八九十]{1,3}、",
            r"|\d{1,3}[.．、](?:\p{Han})",
        ))
        .expect("valid regex")
    });
    /// A number or date ends a piece only after this many characters at most.
    const MAX_HEAD_CHARS: usize = 40;
    let mut out = Vec::new();
    for chunk in line.split("|||") {
        let chunk = chunk.trim_matches(|c: char| c == '|' || c.is_whitespace());
        if chunk.is_empty() {
            continue;
        }
        let mut cuts: Vec<usize> = Vec::new();
        let mut depth = 0i32;
        let mut previous: Option<char> = None;
        for (at, c) in chunk.char_indices() {
            match c {
                '(' | '（' => depth += 1,
                ')' | '）' => depth -= 1,
                '。' | '！' | '？' if depth <= 0 => cuts.push(at + c.len_utf8()),
                // Chinese text takes no spaces: one between paragraphs is where a scraper
                // ran them together (county pages: "…的通知 费政办字〔2024〕6号 各乡镇…").
                ' ' | '\u{3000}' if depth <= 0 => {
                    let next = chunk[at + c.len_utf8()..].chars().next();
                    let ascii = |x: Option<char>| x.is_some_and(|x| x.is_ascii_alphanumeric());
                    if !(ascii(previous) && ascii(next)) {
                        cuts.push(at + c.len_utf8());
                    }
                }
                _ => {}
            }
            previous = Some(c);
        }
        for m in BREAK.find_iter(chunk) {
            let text = m.as_str();
            let before = chunk[..m.start()].chars().next_back();
            let piece_start = cuts
                .iter()
                .copied()
                .filter(|&c| c <= m.start())
                .max()
                .unwrap_or(0);
            let head_chars = chunk[piece_start..m.start()].chars().count();
            if text.ends_with('号') || text.ends_with('日') {
                // The number or date ends a heading or a signature.
                if head_chars <= MAX_HEAD_CHARS && m.end() < chunk.len() {
                    cuts.push(m.end());
                }
            } else if text.starts_with(['(', '（']) || text.ends_with('、') {
                // A marker: not inside a numeral run (一、二类) or after 第.
                let numeral = |c: char| "一二三四五六七八九十第".contains(c);
                if m.start() > 0 && before.is_some_and(|c| !numeral(c) && c != '、') {
                    cuts.push(m.start());
                }
            } else if before.is_some_and(|c| matches!(c, ')' | '）'))
                || heading_marker(&chunk[piece_start..m.start()])
            {
                // "1." after a note, or after a heading it opens the list under
                // ("二、加速脑机接口产品化1.支持…").
                cuts.push(m.start());
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut from = 0;
        for cut in cuts.into_iter().chain([chunk.len()]) {
            let piece = chunk[from..cut].trim();
            if !piece.is_empty() {
                out.push(piece);
            }
            from = cut;
        }
    }
    out
}

/// A piece opening with a heading's marker (二、 or （一）) and holding no sentence.
fn heading_marker(piece: &str) -> bool {
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    let after = piece
        .strip_prefix(['(', '（'])
        .map(|r| r.trim_start_matches(numeral))
        .and_then(|r| r.strip_prefix([')', '）']))
        .or_else(|| piece.trim_start_matches(numeral).strip_prefix('、'));
    after.is_some() && !piece.contains(['。', '，', ','])
}

fn flush(paragraph: &mut Vec<&Line>, doc: &mut Document) {
    let Some(first) = paragraph.first() else {
        return;
    };
    let text: Vec<&str> = paragraph.iter().map(|l| l.text.trim()).collect();
    doc.push(BlockKind::Paragraph(text.join("\n")), first.prov());
    paragraph.clear();
}

/// Page furniture in a dump: page-number lines, and the running header — the text that
/// stands at the top of two or more pages (or of one, when it also stands elsewhere as a
/// line of its own, as a header repeating the letterhead does). A page's top is its first
/// non-blank line after a form feed or after a page-number line.
/// Longest page-number line the pattern matches ("第 1234 页，共 1234 页" with spaces).
const MAX_PAGE_NUMBER_BYTES: usize = 48;

fn furniture_lines(lines: &[Line]) -> Vec<Option<FurnitureRole>> {
    static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[—–\-－]+\s*\d{1,4}\s*[—–\-－]+|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$")
            .expect("valid regex")
    });
    let mut roles: Vec<Option<FurnitureRole>> = lines
        .iter()
        .map(|l| {
            // Short and holding a digit, before the regex: most lines are neither.
            let t = l.text.trim();
            (t.len() <= MAX_PAGE_NUMBER_BYTES
                && t.bytes().any(|b| b.is_ascii_digit())
                && PAGE_NUMBER.is_match(t))
            .then_some(FurnitureRole::PageNumber)
        })
        .collect();
    let mut tops: Vec<usize> = Vec::new();
    let mut at_top = false;
    for (i, line) in lines.iter().enumerate() {
        let new_page = i > 0 && line.page != lines[i - 1].page;
        if new_page || roles[i].is_some() {
            at_top = true;
            if roles[i].is_some() {
                continue;
            }
        }
        if at_top && !line.is_blank() {
            tops.push(i);
            at_top = false;
        }
    }
    let short_heading = |t: &str| t.chars().count() <= 40 && !t.contains(['。', '，', '；']);
    let header = tops
        .iter()
        .map(|&i| lines[i].text.trim())
        .filter(|t| short_heading(t))
        .max_by_key(|t| tops.iter().filter(|&&i| lines[i].text.trim() == *t).count());
    if let Some(header) = header {
        let at_tops = tops
            .iter()
            .filter(|&&i| lines[i].text.trim() == header)
            .count();
        let anywhere = lines.iter().filter(|l| l.text.trim() == header).count();
        if at_tops >= 2 || anywhere > at_tops {
            for &i in &tops {
                if lines[i].text.trim() == header {
                    roles[i] = Some(FurnitureRole::Header);
                }
            }
        }
    }
    roles
}

/// Display width of a line, not counting white space (a text layer's spaces vary).
///
/// Read on the UTF-8 bytes: the common cases — ASCII, and CJK ideographs U+4E00–U+9FFF
/// (lead bytes E4 B8… to E9) — without decoding a character or a table lookup.
fn width(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut at, mut total) = (0, 0);
    while at < bytes.len() {
        let b = bytes[at];
        if b < 0x80 {
            // Printable ASCII is 1 wide; spaces and controls count nothing.
            total += usize::from((0x21..=0x7E).contains(&b));
            at += 1;
        } else if (0xE5..=0xE9).contains(&b) || (b == 0xE4 && bytes[at + 1] >= 0xB8) {
            total += 2;
            at += 3;
        } else {
            let c = text[at..].chars().next().unwrap_or_default();
            if !c.is_whitespace() {
                total += c.width().unwrap_or(0);
            }
            at += c.len_utf8();
        }
    }
    total
}

/// The width of a full line when the text is a hard-wrapped dump, else None.
///
/// A dump of a printed page has lines no wider than the page (≤ 160 columns, i.e. 80 CJK
/// characters) and most of its long lines are about as wide as the widest ones. A text
/// with one paragraph per line has widths spread over hundreds of columns.
fn hard_wrap_width(lines: &[Line]) -> Option<usize> {
    wrap_width(lines.iter().map(|l| l.text))
}

/// The width of a full line when `lines` (a text's physical lines, blank ones included or
/// not) are a hard-wrapped dump, else None: the `full_width` [`continues`] takes. Other
/// readers whose text may be hard-wrapped (Markdown's soft line breaks) ask it too.
pub fn wrap_width<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<usize> {
    let mut widths: Vec<usize> = lines
        .into_iter()
        .filter(|l| !l.contains('\t'))
        .map(width)
        .filter(|&w| w >= 8)
        .collect();
    if widths.len() < 8 {
        return None;
    }
    widths.sort_unstable();
    let p90 = widths[widths.len() * 9 / 10];
    let near_full = widths.iter().filter(|&&w| w * 100 >= p90 * 85).count();
    (p90 <= 160 && near_full * 10 >= widths.len() * 4).then_some(p90)
}

/// Whether the paragraph ending with `prev` goes on in `next`.
///
/// It does when `next` does not open a new unit (a list marker, an attachment note) and
/// `prev` ends inside a sentence: on a comma or enumeration comma; or, in a hard-wrapped
/// dump, on a full-width line that does not end a sentence (or ends on "；"); or, in any text, on a line
/// that already holds a finished sentence but stops mid-word (a line broken by a copy
/// across pages, as in "…检查。为全区备孕夫妇" / "进行免费…").
pub fn continues(prev: &str, next: &str, full_width: Option<usize>) -> bool {
    let prev = prev.trim();
    let next = next.trim();
    let Some(last) = prev.chars().last() else {
        return false;
    };
    if starts_unit(next) {
        return false;
    }
    if matches!(last, '，' | '、' | ',') {
        return true;
    }
    let at_full_width = full_width.is_some_and(|w| width(prev) * 100 >= w * 85);
    if ends_sentence(last) {
        // A full line of a dump ending on "；" is mid-paragraph: enumerations separated by
        // semicolons run on, and a new item would open with a marker.
        return at_full_width && matches!(last, '；' | ';');
    }
    if at_full_width {
        return true;
    }
    let holds_sentence = prev.contains('。');
    holds_sentence && (docmodel::is_han(last) || last.is_ascii_digit())
}

/// Sentence-final or closing punctuation: after it a line break is a paragraph break.
fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '。' | '！'
            | '？'
            | '；'
            | '：'
            | '）'
            | ')'
            | '」'
            | '』'
            | '!'
            | '?'
            | ';'
            | ':'
            | '”'
            | '》'
            | '】'
            | '〕'
    )
}

/// A line that opens a unit of its own: a list marker (一、 （一） 1. 1、 (1), but not a
/// decimal such as "1.5万" wrapped to the start of a line) or an attachment, copy-to or
/// contact label.
fn starts_unit(line: &str) -> bool {
    static UNIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、](?:\D|$)|[（(]\d+[）)]|附件|抄送|联系人|联系电话)",
        )
        .expect("valid regex")
    });
    UNIT.is_match(line)
}

/// A table dumped as text starting at `lines[start]`, and the index after it.
///
/// Two dump styles are recognised:
/// - tab-separated rows: two or more consecutive lines with at least two tabs each;
/// - one cell per line: each cell opens with a line starting with a tab; lines without a
///   leading tab right after it are further paragraphs of that cell; the header row is
///   the cells before the first blank line and fixes the column count; blank lines
///   elsewhere are ignored (dumps put them inside rows too). The run ends at a line
///   without a leading tab that follows a blank line.
///
/// A run that does not look like a table (one column, long cells: indented paragraphs)
/// is left to the paragraph rules.
fn find_tables(lines: &[Line], start: usize) -> Option<(Table, usize)> {
    tab_separated(lines, start)
        .or_else(|| cell_per_line(lines, start))
        .or_else(|| serial_rows(lines, start))
}

/// A table flattened to one cell per line without tabs, its rows told by the 序号 column
/// (see [`crate::flattened`]); blank lines between cells are skipped.
fn serial_rows(lines: &[Line], start: usize) -> Option<(Table, usize)> {
    if lines[start].is_blank() {
        return None;
    }
    let filled = (start..lines.len()).filter(|&i| !lines[i].is_blank());
    if !crate::flattened::may_open(filled.clone().map(|i| lines[i].text.trim())) {
        return None;
    }
    let filled: Vec<usize> = filled.collect();
    let cells: Vec<&str> = filled.iter().map(|&i| lines[i].text.trim()).collect();
    let (table, used) = crate::flattened::serial_table(&cells)?;
    Some((table, filled[used - 1] + 1))
}

/// Tab-separated rows. The first row opens with a cell; later rows may open with an empty
/// one (a merged cell continued from above) when they have the first row's column count.
fn tab_separated(lines: &[Line], start: usize) -> Option<(Table, usize)> {
    let tabs = |l: &Line| l.text.matches('\t').count();
    let first = &lines[start];
    if tabs(first) < 2 || first.text.starts_with('\t') {
        return None;
    }
    let is_row = |l: &Line| tabs(l) >= 2 && (!l.text.starts_with('\t') || tabs(l) == tabs(first));
    let end = start + lines[start..].iter().take_while(|l| is_row(l)).count();
    if end - start < 2 {
        return None;
    }
    let rows = lines[start..end]
        .iter()
        .map(|l| {
            l.text
                .split('\t')
                .map(|cell| Cell::new([cell.trim()]))
                .collect()
        })
        .collect();
    Some((Table::new(rows), end))
}

/// Cells longer than this on average are indented paragraphs, not a table.
const MAX_MEAN_CELL_CHARS: usize = 60;

fn cell_per_line(lines: &[Line], start: usize) -> Option<(Table, usize)> {
    if !lines[start].text.starts_with('\t') {
        return None;
    }
    // Collect cells as (paragraphs, blank line seen before this cell).
    let mut cells: Vec<(Vec<&str>, bool)> = Vec::new();
    let mut blank_before = false;
    let mut in_cell = false;
    let mut end = start;
    for (i, line) in lines.iter().enumerate().skip(start) {
        if let Some(rest) = line.text.strip_prefix('\t') {
            cells.push((vec![rest.trim()], blank_before));
            blank_before = false;
            in_cell = true;
        } else if line.is_blank() {
            blank_before = true;
            in_cell = false;
        } else if in_cell {
            cells
                .last_mut()
                .expect("in a cell")
                .0
                .push(line.text.trim());
        } else {
            break;
        }
        end = i + 1;
    }
    let columns = cells
        .iter()
        .skip(1)
        .position(|(_, blank)| *blank)
        .map(|p| p + 1)?;
    let chars: usize = cells
        .iter()
        .flat_map(|(p, _)| p)
        .map(|p| p.chars().count())
        .sum();
    if columns < 2 || cells.len() < columns * 2 || chars / cells.len() > MAX_MEAN_CELL_CHARS {
        return None;
    }
    // Trailing blank lines belong to what follows; a line holding only a tab is an
    // empty cell, not a blank line.
    while end > start
        && lines[end - 1]
            .text
            .trim_matches([' ', '\u{3000}'])
            .is_empty()
    {
        end -= 1;
    }
    let rows = cells
        .chunks(columns)
        .map(|row| {
            row.iter()
                .map(|(paragraphs, _)| Cell::new(paragraphs.iter().copied()))
                .collect()
        })
        .collect();
    Some((Table::new(rows), end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use docmodel::Format;

    fn blocks(text: &str) -> Vec<BlockKind> {
        let mut doc = Document::new(Format::Txt);
        build(text, &mut doc);
        doc.blocks.into_iter().map(|b| b.kind).collect()
    }

    fn para(s: &str) -> BlockKind {
        BlockKind::Paragraph(s.to_string())
    }

    #[test]
    fn one_paragraph_per_line_with_random_blank_lines() {
        let got = blocks(
            "淄博市人民政府办公室\n\n关于2023年为全市妇女儿童办实事的通知\n\n\n各区县人民政府：\n",
        );
        assert_eq!(
            got,
            vec![
                para("淄博市人民政府办公室"),
                para("关于2023年为全市妇女儿童办实事的通知"),
                para("各区县人民政府：")
            ]
        );
    }

    #[test]
    fn a_line_cut_mid_sentence_joins_across_a_blank_line() {
        let got = blocks(
            "六、免费实施检查。为全区备孕夫妇\n\n进行免费孕前优生健康检查。\n\n七、推进建设。\n",
        );
        assert_eq!(
            got,
            vec![
                para("六、免费实施检查。为全区备孕夫妇\n进行免费孕前优生健康检查。"),
                para("七、推进建设。")
            ]
        );
    }

    #[test]
    fn headings_without_punctuation_stay_apart() {
        let got = blocks("淄川区人民政府办公室\n关于2024年为全区妇女儿童办好十件实事的\n通知\n");
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn labels_and_markers_start_new_paragraphs() {
        let got = blocks("联系电话：7220365，电子邮箱：a@b.cn\n\n附件:2026年进展情况表\n");
        assert_eq!(
            got,
            vec![
                para("联系电话：7220365，电子邮箱：a@b.cn"),
                para("附件:2026年进展情况表")
            ]
        );
        let got = blocks("抄送：区委办公室，区法院，\n区检察院。\n");
        assert_eq!(got, vec![para("抄送：区委办公室，区法院，\n区检察院。")]);
    }

    #[test]
    fn hard_wrapped_dump_is_reflowed() {
        let line = "一、促进巾帼就业创业。举办春风行动女性就业专场招聘活动开发岗位";
        let full = "活动，开发妈妈岗灵活就业岗位，提供政策咨询、职业指导、岗位供需对接";
        let mut text = String::new();
        for _ in 0..6 {
            text += &format!("{line}\n\n{full}\n\n 结束了。\n\n");
        }
        let got = blocks(&text);
        assert_eq!(got.len(), 6, "{got:?}");
        assert_eq!(got[0], para(&format!("{line}\n{full}\n结束了。")));
    }

    #[test]
    fn a_second_header_row_may_open_with_a_merged_cell() {
        let got =
            blocks("序号\t名称\t责任分工\t\n\t\t牵头单位\t责任单位\n1\t甲\t市妇联\t市教育局\n");
        let BlockKind::Table(t) = &got[0] else {
            panic!("{got:?}")
        };
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[1][2], Cell::new(["牵头单位"]));
    }

    #[test]
    fn page_furniture_of_a_dump_leaves_the_paragraph_whole() {
        let text = "东浦区人民政府办公室\n一、甲项。正文（责任单位：区人民检\n— 2 —\n\x0c东浦区人民政府办公室\n察院）\n二、乙项。正文。\n— 3 —\n\x0c东浦区人民政府办公室\n三、丙项。\n";
        let got = blocks(text);
        let paragraphs: Vec<&BlockKind> = got
            .iter()
            .filter(|b| matches!(b, BlockKind::Paragraph(_)))
            .collect();
        assert_eq!(
            paragraphs,
            vec![
                &para("东浦区人民政府办公室"),
                &para("一、甲项。正文（责任单位：区人民检\n察院）"),
                &para("二、乙项。正文。"),
                &para("三、丙项。"),
            ],
            "the letterhead stays, the running header and page numbers go"
        );
        let furniture = got
            .iter()
            .filter(|b| matches!(b, BlockKind::Furniture { .. }))
            .count();
        assert_eq!(furniture, 4);
    }

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr_and_count_form_feed_pages() {
        let lines = split_lines("甲\r乙\r\n丙\n\x0c丁\n");
        let got: Vec<(&str, u32, Option<u32>)> =
            lines.iter().map(|l| (l.text, l.number, l.page)).collect();
        assert_eq!(
            got,
            [
                ("甲", 1, Some(1)),
                ("乙", 1, Some(1)),
                ("丙", 2, Some(1)),
                ("丁", 3, Some(2)),
                ("", 4, Some(2))
            ]
        );
    }

    #[test]
    fn width_read_on_the_bytes_is_the_display_width() {
        for text in ["一、推进 就业（A）", "ａｂ　c\t·§\u{7f}", "龥丂㐀𠀀䷀", ""]
        {
            let by_chars: usize = text
                .chars()
                .map(|c| {
                    if c.is_whitespace() {
                        0
                    } else {
                        c.width().unwrap_or(0)
                    }
                })
                .sum();
            assert_eq!(width(text), by_chars, "{text}");
        }
    }

    #[test]
    fn a_decimal_wrapped_to_the_start_of_a_line_is_not_a_marker() {
        assert!(!starts_unit("1.5万批次，实现全覆盖。"));
        assert!(starts_unit("1.推进就业"));
    }

    #[test]
    fn tab_separated_table() {
        let got = blocks(
            "附件\n序号\t实事名称\t责任单位\t完成 时限\n1\t推进就业\t区人社局 区妇联\t\n抄送：区委。\n",
        );
        let BlockKind::Table(t) = &got[1] else {
            panic!("{got:?}")
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1][2], Cell::new(["区人社局 区妇联"]));
        assert_eq!(t.rows[1][3], Cell::default());
        assert_eq!(got[2], para("抄送：区委。"));
    }

    #[test]
    fn cell_per_line_table_with_multi_paragraph_cells_and_stray_blank_lines() {
        // Row 1 has a blank line inside it, as 2026-linzi.txt does.
        let text = "附件\n\n\t序号\n\t名称\n\t单位\n\t本季度措施\n及进度\n\n\t1\n\t保护健康\n\t区卫健局\n区妇联\n\n\t\n\n\t2\n\t推进教育\n\t区教体局\n\t\n\n\n正文段落。\n";
        let got = blocks(text);
        let BlockKind::Table(t) = &got[1] else {
            panic!("{got:?}")
        };
        assert_eq!(t.rows.len(), 3, "{t:?}");
        assert_eq!(t.rows[0][3], Cell::new(["本季度措施", "及进度"]));
        assert_eq!(t.rows[1][2], Cell::new(["区卫健局", "区妇联"]));
        assert_eq!(t.rows[1][3], Cell::default());
        assert_eq!(t.rows[2][1], Cell::new(["推进教育"]));
        assert_eq!(got[2], para("正文段落。"));
    }

    #[test]
    fn a_crawl_dump_line_is_cut_back_into_paragraphs() {
        let dump = "首页|||政务公开|||关于印发X的通知|||沪科〔2025〕5号各有关单位:现将方案印发给你们。\
                    上海市科学技术委员会2025年1月10日一、总体要求(一)指导思想。二、任务1.甲项。正文(责任单位:A局)2.乙项。|||上一篇";
        let got = blocks(dump);
        let want: Vec<BlockKind> = [
            "首页",
            "政务公开",
            "关于印发X的通知",
            "沪科〔2025〕5号",
            "各有关单位:现将方案印发给你们。",
            "上海市科学技术委员会2025年1月10日",
            "一、总体要求",
            "(一)指导思想。",
            "二、任务",
            "1.甲项。",
            "正文(责任单位:A局)",
            "2.乙项。",
            "上一篇",
        ]
        .into_iter()
        .map(para)
        .collect();
        assert_eq!(got, want);
    }

    /// A county site's page as a crawl archive holds it (the form of
    /// http://feixian.gov.cn/info/7927/161487.htm): paragraphs one space apart.
    #[test]
    fn a_dump_with_paragraphs_one_space_apart() {
        let dump = "费县人民政府办公室 关于印发费县2024年关爱妇女儿童十件实事工作方案的通知 费政办字〔2024〕6号 \
                    各乡镇(街道)人民政府(办事处),县政府各部门: 现将方案印发给你们,请认真组织实施。 \
                    费县人民政府办公室 2024年4月29日 (此件公开发布) 一、开展0-6岁儿童孤独症筛查。\
                    为3万名儿童开展筛查。(牵头单位:县卫生健康局,责任单位:各乡镇人民政府) | ||||||||";
        let got = blocks(dump);
        let want: Vec<BlockKind> = [
            "费县人民政府办公室",
            "关于印发费县2024年关爱妇女儿童十件实事工作方案的通知",
            "费政办字〔2024〕6号",
            "各乡镇(街道)人民政府(办事处),县政府各部门:",
            "现将方案印发给你们,请认真组织实施。",
            "费县人民政府办公室",
            "2024年4月29日",
            "(此件公开发布)",
            "一、开展0-6岁儿童孤独症筛查。",
            "为3万名儿童开展筛查。",
            "(牵头单位:县卫生健康局,责任单位:各乡镇人民政府)",
        ]
        .into_iter()
        .map(para)
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn tab_indented_paragraphs_are_not_a_table() {
        let long = "为进一步推动全区妇女儿童事业健康发展，经区政府研究决定，现将有关事项通知如下，请认真贯彻落实并及时报告进展情况。";
        let text = format!("\t{long}\n\n\t{long}\n\n\t{long}\n");
        let got = blocks(&text);
        assert!(
            got.iter().all(|b| matches!(b, BlockKind::Paragraph(_))),
            "{got:?}"
        );
    }

    #[test]
    fn empty_cells_and_carriage_returns_do_not_stall_the_layout() {
        // Found by fuzzing: lines holding only a tab, between runs of bare CRs.
        let fuzzed = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/fuzz/txt/timeout-d7a938ac4af9a1589ac603fa936d6f206940ac2b.txt"
        ))
        .unwrap();
        let text = String::from_utf8_lossy(&fuzzed);
        let got = blocks(&text);
        assert!(got.len() < 10, "{got:?}");
        let got = blocks("\t1\n\t2\n\n\t\n\t\n\n\n");
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn artifacts_removed_and_form_feeds_count_pages() {
        let mut doc = Document::new(Format::Txt);
        build("[bookmark: _GoBack]第一页。\n\x0c第二页。\n", &mut doc);
        assert_eq!(doc.blocks[0].kind, para("第一页。"));
        assert_eq!(
            (doc.blocks[1].prov.page, doc.blocks[1].prov.line),
            (Some(2), Some(2))
        );
        assert_eq!(doc.info.pages, Some(2));
    }
}
