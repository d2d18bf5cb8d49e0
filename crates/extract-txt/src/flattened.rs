//! Tables flattened to one cell per line (or per paragraph), told apart by their 序号
//! column: text dumps and Markdown crawls of a page's table lose the grid and keep the
//! cells in reading order — "序号", the other header cells, then "1", the first row's
//! cells, "2" … Real: fixtures/real/2016-dazhu-xian-minsheng-shishi-duban.txt (TXT, four
//! columns, several units one per line) and 2025-shanghai-jingan-tanfeng-zhongdian-gongzuo.md
//! (Markdown, group rows 一 二 … whose merged cell spans a column).
//!
//! The rows are found by the serial numbers alone (1, 2, 3 … in order), never by what the
//! cells say, and are handed on unplaced ([`Table::unplaced`]): a flattened table keeps no
//! trace of its empty and merged cells — a merged 内容 cell is printed once for several
//! rows, an empty 备注 not at all, a cell of three units is three lines — so which column a
//! line belongs to is for the parser, which knows what a unit is, to decide. Real:
//! fixtures/real/2024-shanghai-jiaotong-zonghe-jiaotong-tixi.md (merged 内容, units one per
//! line) and 2023-shanghai-jingan-zhuoyue-chengqu-gengxin.md (a merged 任务类型 column
//! before 序号, action rows 行动一：… between the rows, merged 推进单位).
//!
//! The table: the header (short labels, 序号 among the first three), the cells before row
//! 1 as a row without a number (group headings), then each row from its number to the
//! next row's — cells between two rows that belong to neither (a group row 二、…, the next
//! merged cell of a column before 序号) stay at the end of the row before.

use docmodel::{Cell, Table};

/// Header cells are short labels.
const MAX_HEADER_CHARS: usize = 16;
/// A table has at most this many columns.
const MAX_COLUMNS: usize = 12;
/// 序号 is at most this many cells into the header (任务类型 | 序号 | …).
const MAX_CELLS_BEFORE_SERIAL: usize = 2;
/// At most this many cells (group headings) stand between the header and row 1.
const MAX_CELLS_BEFORE_FIRST_ROW: usize = 4;
/// The last row takes extra cells only while they are short, with no sentence in them.
const MAX_TRAILING_EXTRA_CHARS: usize = 20;

fn arabic(text: &str) -> Option<u32> {
    (!text.is_empty() && text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// "一" or "一、…": a group row's numeral, which ends the header.
fn is_group_numeral(text: &str) -> bool {
    const DIGITS: &str = "一二三四五六七八九十";
    let numeral_len: usize = text
        .chars()
        .take_while(|c| DIGITS.contains(*c))
        .map(char::len_utf8)
        .sum();
    numeral_len > 0 && {
        let rest = &text[numeral_len..];
        rest.is_empty() || rest.starts_with('、')
    }
}

/// A header label: short, no number, no sentence, and not what stands above a table (附件
/// 2, a title ending in 表 or 清单).
fn is_label(text: &str) -> bool {
    text.chars().count() <= MAX_HEADER_CHARS
        && arabic(text).is_none()
        && !is_group_numeral(text)
        && !text.contains(['。', '；', '：', ':'])
        && !text.starts_with("附件")
        && !text.starts_with("附表")
        && !text.ends_with('表')
        && !text.ends_with("清单")
}

/// Whether a flattened table may open at the first of `first_cells` (the next few
/// non-blank lines): 序号 is among the first three, after labels. Cheap, for callers to
/// ask of every line before they gather the cells.
pub fn may_open<'a>(first_cells: impl IntoIterator<Item = &'a str>) -> bool {
    first_cells
        .into_iter()
        .take(MAX_CELLS_BEFORE_SERIAL + 1)
        .take_while(|c| is_label(c))
        .any(|c| c == "序号")
}

/// A flattened table at the start of `cells` (each a trimmed line or paragraph, blanks
/// left out), and how many cells it takes; None where `cells` do not open with a header
/// holding 序号 followed by rows numbered from 1.
pub fn serial_table(cells: &[&str]) -> Option<(Table, usize)> {
    if !may_open(cells.iter().copied()) {
        return None;
    }
    let header_len = cells.iter().take_while(|c| is_label(c)).count();
    if !(3..=MAX_COLUMNS).contains(&header_len) {
        return None;
    }
    let first_row = (header_len..cells.len())
        .take(MAX_CELLS_BEFORE_FIRST_ROW + 1)
        .find(|&k| arabic(cells[k]) == Some(1))?;
    let columns = header_len;
    let one = |c: &str| Cell::new([c]);
    let mut rows: Vec<Vec<Cell>> = vec![cells[..header_len].iter().map(|h| one(h)).collect()];
    if first_row > header_len {
        let mut before = vec![Cell::default()];
        before.extend(cells[header_len..first_row].iter().map(|c| one(c)));
        rows.push(before);
    }
    let mut next_row = 1u32;
    let mut at = first_row;
    while at < cells.len() && arabic(cells[at]) == Some(next_row) {
        // The row's cells run to the next row's number.
        let from = at + 1;
        let mut to = (from..cells.len())
            .find(|&k| arabic(cells[k]) == Some(next_row + 1))
            .unwrap_or(cells.len());
        if to == cells.len() {
            // The last row: its columns, then only short extra cells.
            let mut end = (from + columns - 1).min(cells.len());
            while end < cells.len()
                && cells[end].chars().count() <= MAX_TRAILING_EXTRA_CHARS
                && !cells[end].contains(['。', '；', '：', ':'])
            {
                end += 1;
            }
            to = end;
        }
        rows.push(cells[at..to].iter().map(|c| one(c)).collect());
        next_row += 1;
        at = to;
    }
    (next_row > 2).then_some((
        Table {
            rows,
            unplaced: true,
        },
        at,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &Table) -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|r| r.iter().map(|c| c.paragraphs.join("|")).collect())
            .collect()
    }

    #[test]
    fn rows_by_their_serial_numbers_cells_in_reading_order() {
        let cells = [
            "序号",
            "民生实事",
            "责任单位",
            "完成时限",
            "1",
            "甲。",
            "县水务局",
            "县住建局",
            "12月底前",
            "2",
            "乙。",
            "县住建局",
            "9月",
            "3",
            "丙。",
            "县残联",
            "5月底前",
            "抄送：县委。",
        ];
        let (table, used) = serial_table(&cells).unwrap();
        assert_eq!(used, 17);
        assert!(table.unplaced);
        let t = texts(&table);
        assert_eq!(t[0], ["序号", "民生实事", "责任单位", "完成时限"]);
        assert_eq!(t[1], ["1", "甲。", "县水务局", "县住建局", "12月底前"]);
        assert_eq!(t[3], ["3", "丙。", "县残联", "5月底前"]);
    }

    #[test]
    fn group_rows_before_row_one_and_between_rows() {
        let cells = [
            "序号",
            "重点任务",
            "具体工作",
            "责任部门",
            "一",
            "推进综合管理",
            "1",
            "甲",
            "发展改革委",
            "2",
            "乙",
            "生态环境局",
            "二",
            "加快转型",
            "3",
            "丙",
            "建设管理委",
        ];
        let (table, used) = serial_table(&cells).unwrap();
        assert_eq!(used, cells.len());
        let t = texts(&table);
        assert_eq!(t[1], ["", "一", "推进综合管理"]);
        assert_eq!(t[3], ["2", "乙", "生态环境局", "二", "加快转型"]);
        assert_eq!(t[4], ["3", "丙", "建设管理委"]);
    }

    #[test]
    fn a_column_before_the_serial_number() {
        let cells = [
            "任务类型",
            "序号",
            "工作任务",
            "推进单位",
            "行动一：再造发展新极行动",
            "1",
            "甲",
            "区规划资源局",
            "旧区改造",
            "2",
            "乙",
        ];
        assert!(may_open(cells));
        let (table, _) = serial_table(&cells).unwrap();
        let t = texts(&table);
        assert_eq!(t[0], ["任务类型", "序号", "工作任务", "推进单位"]);
        assert_eq!(t[1], ["", "行动一：再造发展新极行动"]);
        assert_eq!(t[2], ["1", "甲", "区规划资源局", "旧区改造"]);
        assert_eq!(t[3], ["2", "乙"]);
    }

    #[test]
    fn no_serial_header_no_table() {
        assert!(serial_table(&["序号", "名称"]).is_none());
        assert!(serial_table(&["一、总体要求", "1", "甲"]).is_none());
        // 序号 too deep into the labels, or an attachment heading above it.
        assert!(!may_open(["甲", "乙", "丙", "序号"]));
        assert!(!may_open(["附件", "序号", "名称"]));
        // One row is no table.
        assert!(serial_table(&["序号", "名称", "单位", "1", "甲", "局"]).is_none());
    }
}
