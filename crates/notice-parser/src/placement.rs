//! Placing the cells of a table flattened one cell per line under their columns.
//!
//! A flattened table ([`docmodel::Table::unplaced`]) keeps each row's cells in reading
//! order and nothing else: a merged cell is printed once for the rows it spans, an empty
//! cell not at all, a cell naming three units may be three lines. Which column a line
//! belongs to is decided here by what the lines hold — a line naming units goes under a
//! units column, prose under a text column — with the fewest columns left empty, the
//! leftmost first (merged cells span the groups on the left). A name or units column a row
//! leaves empty was merged from the row above and takes its cell. Lines after the row's
//! last column are the next rows' group: a group row (二、…) or the merged cell of a column
//! before 序号; they become the category of the rows after them.
//!
//! Real: fixtures/real/2024-shanghai-jiaotong-zonghe-jiaotong-tixi.md (merged 内容 cells,
//! 配合部门 one unit per line, "—" for none), 2023-shanghai-jingan-zhuoyue-chengqu-gengxin.md
//! (merged 推进单位, 任务类型 before 序号, action rows between rows),
//! 2025-shanghai-jingan-tanfeng-zhongdian-gongzuo.md (group rows whose text is the merged
//! 重点任务 column), 2016-dazhu-xian-minsheng-shishi-duban.txt (units one per line).

use docmodel::Cell;

use crate::{normalize, vocabulary};

/// What a column holds, for placing lines under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// The row's name: one line at most.
    Name,
    /// Lead units: one line, more at a small cost.
    Lead,
    /// Other units: any number of lines.
    Units,
    /// A deadline: one line at most.
    Deadline,
    /// Any other text (内容, 年度任务, 备注): any number of lines.
    Text,
}

/// What a line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// Names of units, or a dash for none.
    Units,
    /// A short time (12月底前, 全年推进).
    Date,
    Text,
}

/// Longest unit name in a units line, in characters.
const MAX_UNIT_CHARS: usize = 30;
/// Longest line of placeholders alone read as units, in characters.
const MAX_PLACEHOLDER_CHARS: usize = 6;
/// Longest deadline line, in characters.
const MAX_DATE_CHARS: usize = 20;
/// Words of a deadline line.
const DATE_WORDS: [&str; 8] = ["月", "年底", "季度", "长期", "持续", "全年", "常态", "年内"];
/// Lines standing for an empty units cell.
const DASHES: [&str; 6] = ["—", "——", "-", "－", "/", "无"];

/// Costs of a placement: a units line read as text costs most (only where no units column
/// can take it), then a column left empty (more the further right), a line left over after
/// the last column, text read as a deadline, and a second lead line least.
const UNITS_AS_TEXT: u32 = 20;
/// A name that reads like units (新建区妇幼保健院) rather than a name column left empty.
const UNITS_AS_NAME: u32 = 5;
const EMPTY_COLUMN: u32 = 10;
const LEFT_OVER_LINE: u32 = 4;
const TEXT_AS_DEADLINE: u32 = 2;
const EXTRA_LEAD_LINE: u32 = 1;

/// A line standing for an empty units cell ("—").
pub(crate) fn is_dash(text: &str) -> bool {
    DASHES.contains(&text.trim())
}

fn line_kind(text: &str) -> Line {
    let text = text.trim();
    if is_dash(text) {
        return Line::Units;
    }
    if text.contains(['。', '：', ':']) {
        return Line::Text;
    }
    // A list closes with 等 or 负责 (发展改革委、…、科技经济委等).
    let pieces: Vec<&str> = text
        .split(vocabulary::is_list_separator)
        .map(crate::notes::strip_closing_words)
        .filter(|p| !p.is_empty())
        .collect();
    let named = |p: &&str| {
        // A second name in brackets after it: 建设管理委（交通委）.
        let p = match p.find('（') {
            Some(open) if open > 0 && p.ends_with('）') => &p[..open],
            _ => p,
        };
        // The names of a units column: organs, other bodies and townships (江宁路街道,
        // 彭浦镇: fixtures/real/2023-shanghai-jingan-zhuoyue-chengqu-gengxin.md,
        // 2025-shanghai-jingan-tanfeng-zhongdian-gongzuo.md).
        vocabulary::ends_with_column_unit_word(p)
    };
    // 各相关街镇, 有关单位: placeholders beside names.
    let placeholder = |p: &&str| {
        ["各", "有关", "相关", "其他"]
            .iter()
            .any(|w| p.starts_with(w))
    };
    let short = pieces.iter().all(|p| p.chars().count() <= MAX_UNIT_CHARS);
    let vouched = pieces.iter().filter(|p| named(p) || placeholder(p)).count();
    // Most pieces name units (a name the words miss may stand among them: 苏河湾功能区);
    // a short line of placeholders alone (各街镇) is a units cell too.
    let names_one = pieces.iter().any(named) || text.chars().count() <= MAX_PLACEHOLDER_CHARS;
    if short && names_one && vouched * 3 >= pieces.len() * 2 {
        return Line::Units;
    }
    if text.chars().count() <= MAX_DATE_CHARS
        && !text.contains(['，', ','])
        && DATE_WORDS.iter().any(|w| text.contains(w))
    {
        return Line::Date;
    }
    Line::Text
}

/// The cost of `line` under a column of `slot`; None where it cannot stand there.
fn line_cost(slot: Slot, line: Line) -> Option<u32> {
    match (slot, line) {
        (Slot::Lead | Slot::Units, Line::Units) => Some(0),
        (Slot::Lead | Slot::Units, _) => None,
        (Slot::Deadline, Line::Date) => Some(0),
        (Slot::Deadline, Line::Text) => Some(TEXT_AS_DEADLINE),
        (Slot::Deadline, Line::Units) => None,
        (Slot::Name, Line::Units) => Some(UNITS_AS_NAME),
        (Slot::Text, Line::Units) => Some(UNITS_AS_TEXT),
        (Slot::Name | Slot::Text, _) => Some(0),
    }
}

/// How many lines each slot takes, the fewest-cost way (the rest are left over).
fn assign(lines: &[Line], slots: &[Slot]) -> Vec<usize> {
    let (n, m) = (lines.len(), slots.len());
    // best[j][i]: least cost of placing lines[i..] under slots[j..].
    let mut best = vec![vec![u32::MAX; n + 1]; m + 1];
    let mut take = vec![vec![0usize; n + 1]; m + 1];
    for (i, cost) in best[m].iter_mut().enumerate() {
        *cost = (n - i) as u32 * LEFT_OVER_LINE;
    }
    for j in (0..m).rev() {
        let slot = slots[j];
        let most = match slot {
            Slot::Name | Slot::Deadline => 1,
            _ => n,
        };
        for i in 0..=n {
            let mut cost = EMPTY_COLUMN + j as u32 + best[j + 1][i];
            let mut taken = 0;
            let mut run = 0u32;
            for k in 1..=most.min(n - i) {
                let Some(c) = line_cost(slot, lines[i + k - 1]) else {
                    break;
                };
                run += c + if slot == Slot::Lead && k > 1 {
                    EXTRA_LEAD_LINE
                } else {
                    0
                };
                let total = run.saturating_add(best[j + 1][i + k]);
                if total < cost {
                    (cost, taken) = (total, k);
                }
            }
            best[j][i] = cost;
            take[j][i] = taken;
        }
    }
    let mut counts = Vec::with_capacity(m);
    let mut i = 0;
    for row in take.iter().take(m) {
        counts.push(row[i]);
        i += row[i];
    }
    counts
}

/// A flattened table's data rows placed under its columns: each row `[number, lines…]`
/// (or, before row 1, `["", group lines…]`) becomes a row of `width` cells with the number
/// under `number_column`, and the category each row falls under.
pub(crate) struct Placed {
    pub rows: Vec<Vec<Cell>>,
    pub categories: Vec<Option<String>>,
}

pub(crate) fn place(
    rows: &[Vec<Cell>],
    number_column: usize,
    slots: &[(usize, Slot)],
    width: usize,
) -> Placed {
    let mut placed = Placed {
        rows: Vec::with_capacity(rows.len()),
        categories: Vec::with_capacity(rows.len()),
    };
    let all_kinds = kinds(slots);
    let named_rows = rows
        .iter()
        .filter(|row| row.first().is_some_and(|n| !n.paragraphs.is_empty()))
        .map(|row| assign(&row_kinds(row), &all_kinds))
        .map(|counts| {
            slots
                .iter()
                .zip(counts)
                .any(|(&(_, s), n)| s == Slot::Name && n > 0)
        })
        .fold((0, 0), |(named, all), n| (named + usize::from(n), all + 1));
    // A name column empty in most rows is a group's merged cell (its text is the group
    // row's): the names are in the columns after it.
    let slots: Vec<(usize, Slot)> = if named_rows.0 * 2 < named_rows.1 {
        slots
            .iter()
            .copied()
            .filter(|&(_, s)| s != Slot::Name)
            .collect()
    } else {
        slots.to_vec()
    };
    let kinds = kinds(&slots);
    let mut category: Option<String> = None;
    let mut above: Vec<Cell> = vec![Cell::default(); width];
    for row in rows {
        let number = row.first().cloned().unwrap_or_default();
        let lines: Vec<&String> = row.iter().skip(1).flat_map(|c| &c.paragraphs).collect();
        if number.paragraphs.is_empty() {
            // Group lines before row 1.
            category = group_of(&lines).or(category);
            placed.rows.push(vec![Cell::default(); width]);
            placed.categories.push(None);
            continue;
        }
        let counts = assign(&row_kinds(row), &kinds);
        let mut cells = vec![Cell::default(); width];
        if let Some(c) = cells.get_mut(number_column) {
            *c = number;
        }
        let mut at = 0;
        for (&(column, slot), &count) in slots.iter().zip(&counts) {
            let Some(cell) = cells.get_mut(column) else {
                continue;
            };
            if count == 0 {
                if matches!(slot, Slot::Name | Slot::Lead | Slot::Units) {
                    // Merged from the row above.
                    *cell = above[column].clone();
                }
                continue;
            }
            *cell = Cell::new(lines[at..at + count].iter().map(|l| l.as_str()));
            at += count;
        }
        placed.categories.push(category.clone());
        category = group_of(&lines[at..]).or(category);
        above = cells.clone();
        placed.rows.push(cells);
    }
    placed
}

fn kinds(slots: &[(usize, Slot)]) -> Vec<Slot> {
    slots.iter().map(|&(_, s)| s).collect()
}

/// What each line of a row (after its number) holds.
fn row_kinds(row: &[Cell]) -> Vec<Line> {
    row.iter()
        .skip(1)
        .flat_map(|c| &c.paragraphs)
        .map(|l| line_kind(l))
        .collect()
}

/// The category that group lines set: the last that is more than a numeral (二 then
/// 加快转型; 行动三：… then 公共服务设施提升改造).
fn group_of(lines: &[&String]) -> Option<String> {
    lines
        .iter()
        .rev()
        .map(|l| normalize(l))
        .find(|l| !l.is_empty() && !l.chars().all(|c| "一二三四五六七八九十".contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Cell> {
        cells.iter().map(|c| Cell::new([*c])).collect()
    }

    fn texts(rows: &[Vec<Cell>]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.paragraphs.join("|")).collect())
            .collect()
    }

    #[test]
    fn lines_go_by_what_they_hold_and_merged_cells_come_from_above() {
        // 序号 内容 牵头部门 配合部门 2024 2025 备注, as in the 交通委 table.
        let slots = [
            (1, Slot::Name),
            (2, Slot::Lead),
            (3, Slot::Units),
            (4, Slot::Text),
            (5, Slot::Text),
            (6, Slot::Text),
        ];
        let rows = [
            row(&["2", "推进快速干线建设", "综合规划处", "—", "甲。", "乙。"]),
            row(&["3", "交通建设处", "设施养护处", "丙。", "丁。"]),
            row(&[
                "4",
                "推进慢行交通",
                "设施运行处",
                "综合规划处",
                "设施养护处",
                "戊。",
            ]),
        ];
        let placed = place(&rows, 0, &slots, 7);
        let t = texts(&placed.rows);
        assert_eq!(t[0][1..4], ["推进快速干线建设", "综合规划处", "—"]);
        assert_eq!(t[1][1..4], ["推进快速干线建设", "交通建设处", "设施养护处"]);
        assert_eq!(
            t[2][1..4],
            ["推进慢行交通", "设施运行处", "综合规划处|设施养护处"]
        );
    }

    #[test]
    fn lines_after_the_last_column_are_the_next_rows_group() {
        // 任务类型 序号 工作任务 推进单位, as in the 静安 卓越城区 table.
        let slots = [(2, Slot::Name), (3, Slot::Units)];
        let rows = [
            vec![Cell::default(), Cell::new(["行动一：再造发展新极行动"])],
            row(&["1", "推进甲。", "区规划资源局、区建设管理委", "旧区改造"]),
            row(&["2", "推进乙。"]),
        ];
        let placed = place(&rows, 1, &slots, 4);
        let t = texts(&placed.rows);
        assert_eq!(t[1], ["", "1", "推进甲。", "区规划资源局、区建设管理委"]);
        assert_eq!(t[2], ["", "2", "推进乙。", "区规划资源局、区建设管理委"]);
        assert_eq!(
            placed.categories,
            [
                None,
                Some("行动一：再造发展新极行动".into()),
                Some("旧区改造".into())
            ]
        );
    }

    #[test]
    fn what_a_line_holds() {
        assert_eq!(
            line_kind("区“两旧”专班、区房管局、区旧改总办、各相关街镇"),
            Line::Units
        );
        assert_eq!(line_kind("—"), Line::Units);
        assert_eq!(line_kind("发展改革委、商务委、科技经济委等"), Line::Units);
        assert_eq!(line_kind("各街镇"), Line::Units);
        assert_eq!(
            line_kind("推进碳普惠体系常态化运行，扩大减排场景"),
            Line::Text
        );
        assert_eq!(line_kind("12月底前"), Line::Date);
        assert_eq!(line_kind("加快推进各类旧住房更新改造。"), Line::Text);
        assert_eq!(line_kind("完成西藏南路隧道数字孪生平台试点"), Line::Text);
    }
}
