//! Tables flattened to one cell per line (or per paragraph), told apart by their 序号
//! column: text dumps and Markdown crawls of a page's table lose the grid and keep the
//! cells in reading order — "序号", the other header cells, then "1", the first row's
//! cells, "2" … Real: fixtures/real/2016-dazhu-xian-minsheng-shishi-duban.txt (TXT, four
//! columns, several units one per line) and 2025-shanghai-jingan-tanfeng-zhongdian-gongzuo.md
//! (Markdown, group rows 一 二 … whose merged cell spans a column).
//!
//! The rows are found by the serial numbers alone (1, 2, 3 … in order; 一, 二 … for group
//! rows), never by what the cells say. Where a row has more cells than the header has
//! columns, the first goes to the second column, the last to the last, and the middle
//! ones, as paragraphs, to the columns between (the parser, which knows what a unit is,
//! reads them); a row one cell short under group rows leaves the group's merged column
//! empty.

use docmodel::{Cell, Table};

/// Header cells are short labels.
const MAX_HEADER_CHARS: usize = 16;
/// A table has at most this many columns.
const MAX_COLUMNS: usize = 12;
/// The last row takes extra cells only while they are short, with no sentence in them.
const MAX_TRAILING_EXTRA_CHARS: usize = 20;

fn arabic(text: &str) -> Option<u32> {
    (!text.is_empty() && text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// "一" or "一、…" (a group row's numeral, perhaps with its text in the same cell).
fn group_numeral(text: &str) -> Option<(u32, &str)> {
    const DIGITS: &str = "一二三四五六七八九十";
    let numeral_len: usize = text
        .chars()
        .take_while(|c| DIGITS.contains(*c))
        .map(char::len_utf8)
        .sum();
    if numeral_len == 0 || numeral_len > 3 * 3 {
        return None;
    }
    let (numeral, rest) = text.split_at(numeral_len);
    let rest = match rest.strip_prefix('、') {
        Some(r) => r.trim(),
        None if rest.is_empty() => "",
        None => return None,
    };
    let value = numeral.chars().try_fold(0u32, |acc, c| {
        let d = DIGITS.chars().position(|x| x == c)? as u32 + 1;
        Some(match (d, acc) {
            (10, 0) => 10,
            (10, a) => a * 10,
            (d, a) => a + d,
        })
    })?;
    Some((value, rest))
}

/// A flattened table at the start of `cells` (each a trimmed line or paragraph, blanks
/// left out), and how many cells it takes; None where `cells[0]` is not "序号" followed by
/// header cells and rows numbered from 1 (or group rows from 一).
pub fn serial_table(cells: &[&str]) -> Option<(Table, usize)> {
    if cells.first() != Some(&"序号") {
        return None;
    }
    let header_len = cells
        .iter()
        .position(|c| arabic(c) == Some(1) || group_numeral(c).is_some_and(|(n, _)| n == 1))?;
    let header = &cells[..header_len];
    if !(3..=MAX_COLUMNS).contains(&header_len)
        || header
            .iter()
            .any(|h| h.chars().count() > MAX_HEADER_CHARS || arabic(h).is_some())
    {
        return None;
    }
    let columns = header_len;
    let mut rows: Vec<Vec<Cell>> = vec![header.iter().map(|h| Cell::new([*h])).collect()];
    let (mut next_row, mut next_group, mut grouped) = (1u32, 1u32, false);
    let mut at = header_len;
    let starts_row = |c: &str, row: u32, group: u32| {
        arabic(c) == Some(row) || group_numeral(c).is_some_and(|(n, _)| n == group)
    };
    while at < cells.len() {
        let cell = cells[at];
        if let Some((n, text)) = group_numeral(cell).filter(|(n, _)| *n == next_group) {
            // A group row: its numeral, and its text in the same cell or the next.
            let (text, used) = if text.is_empty() {
                (cells.get(at + 1).copied().unwrap_or(""), 2)
            } else {
                (text, 1)
            };
            let mut row = vec![Cell::new([cell_numeral(cell)]), Cell::new([text])];
            row.resize_with(columns, Cell::default);
            rows.push(row);
            next_group = n + 1;
            grouped = true;
            at += used;
            continue;
        }
        if arabic(cell) != Some(next_row) {
            break;
        }
        // The row's cells run to the next row's (or group's) number.
        let from = at + 1;
        let mut to = (from..cells.len())
            .find(|&k| starts_row(cells[k], next_row + 1, next_group))
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
        rows.push(place(cell, &cells[from..to], columns, grouped));
        next_row += 1;
        at = to;
    }
    (next_row > 2).then_some((Table { rows }, at))
}

/// The numeral of a group cell ("一、科学编制…" → "一").
fn cell_numeral(cell: &str) -> &str {
    cell.split('、').next().unwrap_or(cell)
}

/// A data row's cells on the grid: see the module docs.
fn place(number: &str, contents: &[&str], columns: usize, grouped: bool) -> Vec<Cell> {
    let mut row: Vec<Cell> = Vec::with_capacity(columns);
    row.push(Cell::new([number]));
    let slots = columns - 1;
    if grouped && contents.len() + 1 == slots {
        // The group's merged cell is the first column after the number.
        row.push(Cell::default());
        row.extend(contents.iter().map(|c| Cell::new([*c])));
    } else if contents.len() <= slots {
        row.extend(contents.iter().map(|c| Cell::new([*c])));
    } else {
        let middle = &contents[1..contents.len() - (slots - 2).min(contents.len() - 1)];
        row.push(Cell::new([contents[0]]));
        row.push(Cell::new(middle.iter().copied()));
        row.extend(contents[1 + middle.len()..].iter().map(|c| Cell::new([*c])));
    }
    row.resize_with(columns, Cell::default);
    row
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
    fn rows_by_their_serial_numbers_with_extra_cells_in_the_middle() {
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
        assert_eq!(
            texts(&table)[1],
            ["1", "甲。", "县水务局|县住建局", "12月底前"]
        );
        assert_eq!(texts(&table)[3], ["3", "丙。", "县残联", "5月底前"]);
    }

    #[test]
    fn group_rows_leave_their_merged_column_empty() {
        let cells = [
            "序号",
            "重点任务",
            "具体工作",
            "时间进度",
            "责任部门",
            "一",
            "推进综合管理",
            "1",
            "甲",
            "全年推进",
            "发展改革委",
            "2",
            "乙",
            "全年推进",
            "生态环境局",
            "二",
            "加快转型",
            "3",
            "丙",
            "年底前",
            "建设管理委",
        ];
        let (table, used) = serial_table(&cells).unwrap();
        assert_eq!(used, cells.len());
        let t = texts(&table);
        assert_eq!(t[1], ["一", "推进综合管理", "", "", ""]);
        assert_eq!(t[2], ["1", "", "甲", "全年推进", "发展改革委"]);
        assert_eq!(t[5], ["3", "", "丙", "年底前", "建设管理委"]);
    }

    #[test]
    fn no_serial_header_no_table() {
        assert!(serial_table(&["序号", "名称"]).is_none());
        assert!(serial_table(&["一、总体要求", "1", "甲"]).is_none());
        // One row is no table.
        assert!(serial_table(&["序号", "名称", "单位", "1", "甲", "局"]).is_none());
    }
}
