//! Attachments: the notes ("附件：…"), the sections ("附件" then a title and a table),
//! and the rows of their tables.

use std::collections::HashSet;
use std::sync::LazyLock;

use docmodel::{Cell, Table};
use noticepipe_output::{Attachment, AttachmentRow, Item, Provenance, Warning, WarningCode};
use regex::Regex;

use crate::claims::{Claims, Role};
use crate::placement::{self, Slot};
use crate::{Unit, join_texts, normalize, patterns};

/// Most lines an attachment section's title stands on under its 附件 heading.
const MAX_SECTION_TITLE_LINES: usize = 3;
/// Longest cell of a second header row (责任分工 over 牵头单位 / 责任单位), in characters.
const MAX_SUB_HEADER_CHARS: usize = 12;

/// Longest numeral after 附件 in a section heading, in characters ("附件12", "附件十二").
const MAX_ATTACHMENT_NUMERAL_CHARS: usize = 3;

/// A section heading: "附件", "附件1", "附件 2", "附件一", or 附表 likewise (a plan's attached
/// table: fixtures/real/2025-shanghai-jingan-tanfeng-zhongdian-gongzuo.md), alone on a
/// line. Returns its number.
pub fn heading_number(text: &str) -> Option<u32> {
    let rest = text
        .strip_prefix("附件")
        .or_else(|| text.strip_prefix("附表"))?
        .trim();
    if rest.is_empty() {
        return Some(1);
    }
    if rest.chars().count() > MAX_ATTACHMENT_NUMERAL_CHARS {
        return None;
    }
    rest.parse().ok().or_else(|| patterns::numeral_value(rest))
}

/// An attachment note: "附件：title" or "附件：1.title" (附表 likewise). Returns the titles it
/// lists.
fn note_titles(text: &str) -> Option<Vec<String>> {
    static NOTE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^附[件表]\d*：\s*(.+)$").expect("valid regex"));
    // Most paragraphs are no note: asked before the regex's captures.
    if !(text.starts_with("附件") || text.starts_with("附表")) {
        return None;
    }
    let caps = NOTE.captures(text)?;
    Some(vec![note_title(&caps[1])])
}

/// A title as a note lists it: without its list number, and without a file extension where
/// the note names the attached file ("清单.docx", as web pages link it).
fn note_title(text: &str) -> String {
    let title = strip_list_number(text);
    let lower = title.to_ascii_lowercase();
    const EXTENSIONS: [&str; 10] = [
        ".docx", ".doc", ".wps", ".pdf", ".ofd", ".xlsx", ".xls", ".et", ".zip", ".rar",
    ];
    match EXTENSIONS.iter().find(|e| lower.ends_with(*e)) {
        Some(e) => title[..title.len() - e.len()].to_string(),
        None => title.to_string(),
    }
}

fn strip_list_number(text: &str) -> &str {
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d{1,2}[.．、]\s*").expect("valid regex"));
    match NUMBER.find(text) {
        Some(m) => &text[m.end()..],
        None => text,
    }
}

/// Reads the attachments and marks their paragraphs taken. Titles come from each
/// section's own title where the document has the section, else from the note; rows
/// from the section's first table. A lone table after the items with no section is the
/// first attachment's. The table the items were read from (`list_table`) gives no rows: its
/// attachment is the list itself.
///
/// `known_units` are the units the items name; they settle line breaks in table cells
/// (see [`cell_units`]).
pub fn read(
    units: &[Unit],
    claims: &mut Claims,
    first_item: usize,
    list_table: Option<usize>,
    known_units: &HashSet<String>,
) -> Attachments {
    let mut titles: Vec<String> = Vec::new();
    let mut provenance = None;
    if let Some(i) =
        (0..units.len()).find(|&i| claims.free(i) && note_titles(units[i].text()).is_some())
    {
        titles = note_titles(units[i].text()).expect("matched above");
        provenance = Some(units[i].prov);
        claims.claim(i, Role::Attachment);
        // Further numbered titles on the following lines: "2.…".
        let mut j = i + 1;
        while j < units.len()
            && claims.free(j)
            && strip_list_number(units[j].text()).len() < units[j].text().len()
        {
            titles.push(note_title(units[j].text()));
            claims.claim(j, Role::Attachment);
            j += 1;
        }
    }
    // (number, title, the section's table and where it is)
    let mut sections: Vec<(u32, Option<String>, Option<PlacedTable>)> = Vec::new();
    let headings: Vec<usize> = (0..units.len())
        .filter(|&i| claims.free(i) && heading_number(units[i].text()).is_some())
        .collect();
    let mut list_title = None;
    for (k, &h) in headings.iter().enumerate() {
        let number = heading_number(units[h].text()).expect("a heading");
        claims.claim(h, Role::Attachment);
        provenance.get_or_insert(units[h].prov);
        let limit = headings.get(k + 1).copied().unwrap_or(units.len());
        let holds_items = (h..limit).contains(&first_item);
        let mut end = h + 1;
        while end < limit
            && end <= h + MAX_SECTION_TITLE_LINES
            && claims.free(end)
            && is_section_title(units[end].text())
        {
            end += 1;
            // A line that ends the title (…联系表, …方案) ends it: the next short lines are
            // a flattened table's header (fixtures/real/2024-shanghai-jidongche-qingxi-yiye-yizheng.md).
            if ends_title(units[end - 1].text()) {
                break;
            }
        }
        let title = (end > h + 1).then(|| join_texts(&units[h + 1..end]));
        if holds_items && let Some(t) = &title {
            list_title = Some((t.clone(), units[h + 1].prov));
        }
        claims.claim_range(h + 1..end, Role::Attachment);
        let table = (end..limit)
            .find(|&i| units[i].table.is_some())
            .filter(|&i| Some(i) != list_table)
            .and_then(|i| Some((units[i].table?, units[i].prov)));
        sections.push((number, title, table));
    }
    if sections.is_empty()
        && let Some(table) = (first_item.min(units.len())..units.len())
            .filter(|&i| Some(i) != list_table)
            .find_map(|i| Some((units[i].table?, units[i].prov)))
    {
        sections.push((1, None, Some(table)));
    }
    let count = titles
        .len()
        .max(sections.iter().map(|s| s.0 as usize).max().unwrap_or(0));
    let attachments = (1..=count as u32)
        .filter_map(|n| {
            let section = sections.iter().find(|s| s.0 == n);
            let title = section
                .and_then(|s| s.1.clone())
                .or_else(|| titles.get(n as usize - 1).cloned())?;
            let rows = section
                .and_then(|s| s.2)
                .map(|(t, prov)| rows(t, prov, known_units))
                .unwrap_or_default();
            Some(Attachment {
                title,
                rows,
                href: None,
            })
        })
        .collect();
    Attachments {
        attachments,
        provenance,
        list_title,
    }
}

/// What [`read`] finds.
pub struct Attachments {
    pub attachments: Vec<Attachment>,
    pub provenance: Option<Provenance>,
    /// The title of the attachment section that holds the items (the list the notice
    /// issues), with where it stands.
    pub list_title: Option<(String, Provenance)>,
}

/// The last line of an attachment's title: a document kind, or a table, chart or list.
fn ends_title(text: &str) -> bool {
    patterns::ends_with_doc_kind(text)
        || text.ends_with(['表', '图'])
        || text.ends_with("名单")
        || text.ends_with("目录")
}

fn is_section_title(text: &str) -> bool {
    !text.contains(['。', '：'])
        && patterns::any_marker(text).is_none()
        && !text.starts_with("抄送")
        && patterns::printed_line(text).is_none()
}

/// Columns of a table of projects, found from its header: one row, or two where a
/// heading spans sub-columns (责任分工 over 牵头单位 and 责任单位).
#[derive(Debug)]
struct Columns {
    number: usize,
    name: usize,
    content: Option<usize>,
    lead: Option<usize>,
    units: Option<usize>,
    deadline: Option<usize>,
    /// Index of the first data row.
    data: usize,
    /// Columns of the header row.
    width: usize,
}

fn cell_text(row: &[Cell], col: usize) -> String {
    row.get(col)
        .map(|c| normalize(&c.paragraphs.join("")))
        .unwrap_or_default()
}

fn is_header_cell(t: &str) -> bool {
    t == "序号" || t.contains("名称") || t.contains("责任单位") || t.contains("牵头单位")
}

fn columns(table: &Table) -> Option<Columns> {
    let h = table
        .rows
        .iter()
        .position(|row| (0..row.len()).any(|c| is_header_cell(&cell_text(row, c))))?;
    let width = table.rows[h].len();
    let mut names: Vec<String> = (0..width).map(|c| cell_text(&table.rows[h], c)).collect();
    let mut data = h + 1;
    // A second header row: it names sub-columns where the first is blank or spans, and
    // has no number in the number column.
    if let Some(next) = table.rows.get(h + 1) {
        let sub: Vec<String> = (0..width).map(|c| cell_text(next, c)).collect();
        let names_units = sub.iter().any(|t| t.contains("单位") || t.contains("部门"));
        let numbered = sub
            .first()
            .is_some_and(|t| patterns::numeral_value(t).is_some());
        if names_units
            && !numbered
            && sub
                .iter()
                .all(|t| t.chars().count() <= MAX_SUB_HEADER_CHARS)
        {
            for (name, extra) in names.iter_mut().zip(&sub) {
                name.push_str(extra);
            }
            data += 1;
        }
    }
    let find = |pred: &dyn Fn(&str) -> bool| names.iter().position(|n| pred(n));
    let number = find(&|n| n == "序号" || n == "编号").unwrap_or(0);
    let name = find(&|n| n.contains("名称"))
        .or_else(|| {
            find(&|n| {
                (n.contains("实事") || n.contains("项目") || n.contains("事项"))
                    && !n.contains("内容")
            })
        })
        // The column after 序号 (任务类型 | 序号 | 工作任务 …: fixtures/real/2023-shanghai-
        // jingan-zhuoyue-chengqu-gengxin.md).
        .unwrap_or(number + 1);
    let lead = find(&|n| n.contains("牵头") || n.contains("主责"));
    Some(Columns {
        number,
        name,
        content: find(&|n| n.contains("内容")).filter(|&c| c != name),
        lead,
        units: names.iter().enumerate().position(|(c, n)| {
            Some(c) != lead
                && (n.contains("责任")
                    || n.contains("配合")
                    || n.contains("协办")
                    || n.contains("单位")
                    || n.contains("部门"))
        }),
        deadline: find(&|n| n.contains("时限") || n.contains("完成时间") || n.contains("时间节点")),
        data,
        width,
    })
}

/// A table listing projects: a header naming the projects and their units, and rows.
pub fn lists_projects(table: &Table) -> bool {
    columns(table)
        .is_some_and(|c| (c.units.is_some() || c.lead.is_some()) && table.rows.len() > c.data)
}

/// A table block and its provenance.
type PlacedTable<'d> = (&'d Table, Provenance);

/// One data row of a project table.
struct Row {
    /// 0-based index of the row in its table.
    index: usize,
    number: Option<u32>,
    /// How many numbers the 序号 cell holds: more than one is two rows merged.
    numbers_in_cell: usize,
    /// The group row above it (一、推进…), in a table of grouped rows.
    category: Option<String>,
    name: String,
    content: String,
    lead: Vec<String>,
    units: Vec<String>,
    deadline: Option<String>,
}

/// Data rows: a row with neither number nor name is skipped.
fn data_rows(table: &Table, known_units: &HashSet<String>) -> Vec<Row> {
    let Some(columns) = columns(table) else {
        // No header: 序号, 名称, 单位.
        let columns = Columns {
            number: 0,
            name: 1,
            content: None,
            lead: None,
            units: Some(2),
            deadline: None,
            data: 0,
            width: 3,
        };
        return read_rows(table, &columns, known_units);
    };
    read_rows(table, &columns, known_units)
}

/// A group row of a table numbered 1, 2 … within groups 一, 二 …: its 序号 cell is a Chinese
/// numeral and it names no unit (fixtures/real/2025-shanghai-jingan-tanfeng-zhongdian-gongzuo.md).
fn is_group_row(row: &[Cell], columns: &Columns) -> bool {
    let number = cell_text(row, columns.number);
    let no_units = [columns.units, columns.lead]
        .iter()
        .flatten()
        .all(|&c| cell_text(row, c).is_empty());
    !number.is_empty() && number.chars().all(|c| "一二三四五六七八九十".contains(c)) && no_units
}

fn read_rows(table: &Table, columns: &Columns, known_units: &HashSet<String>) -> Vec<Row> {
    let units_of = |row: &[Cell], col: Option<usize>| -> Vec<String> {
        col.and_then(|c| row.get(c))
            .map(|c| cell_units(&c.paragraphs, known_units))
            .unwrap_or_default()
    };
    let first = columns.data.min(table.rows.len());
    let placed = table
        .unplaced
        .then(|| place_flattened(&table.rows[first..], columns));
    let data = placed
        .as_ref()
        .map_or(&table.rows[first..], |p| &p.rows[..]);
    let group_rows: Vec<bool> = data.iter().map(|r| is_group_row(r, columns)).collect();
    // Where the name column is a group's merged cell, empty in every data row, the names
    // are in the next column that holds text.
    let filled = |c: usize| {
        data.iter().zip(&group_rows).any(|(r, &group)| {
            !group
                && r.get(c)
                    .is_some_and(|cell| cell.paragraphs.iter().any(|p| !p.trim().is_empty()))
        })
    };
    let taken = [
        Some(columns.number),
        columns.lead,
        columns.units,
        columns.deadline,
    ];
    let name_col = if filled(columns.name) {
        columns.name
    } else {
        (columns.name + 1..data.iter().map(Vec::len).max().unwrap_or(0))
            .find(|&c| !taken.contains(&Some(c)) && filled(c))
            .unwrap_or(columns.name)
    };
    let mut category: Option<String> = None;
    data.iter()
        .enumerate()
        .filter_map(|(k, row)| {
            if group_rows[k] {
                category = Some(cell_text(row, columns.name)).filter(|c| !c.is_empty());
                return None;
            }
            if let Some(p) = &placed {
                category = p.categories[k].clone();
            }
            let number_text = cell_text(row, columns.number);
            // Two 序号 in one cell ("3" and "4" on two lines, or "3 4"): two rows merged.
            let numbers: Vec<u32> = row
                .get(columns.number)
                .map(|c| {
                    c.paragraphs
                        .iter()
                        .flat_map(|p| p.split_whitespace())
                        .filter_map(patterns::numeral_value)
                        .collect()
                })
                .unwrap_or_default();
            let name = row
                .get(name_col)
                .map(|c| normalize(&c.paragraphs.join("\n")))
                .unwrap_or_default();
            if name.is_empty() && number_text.is_empty() {
                return None;
            }
            let lead = units_of(row, columns.lead);
            let mut units = units_of(row, columns.units);
            units.retain(|u| !lead.contains(u));
            Some(Row {
                index: first + k,
                number: numbers
                    .first()
                    .copied()
                    .or_else(|| patterns::numeral_value(&number_text)),
                numbers_in_cell: numbers.len(),
                category: category.clone(),
                name,
                content: columns
                    .content
                    .and_then(|c| row.get(c))
                    .map(|c| normalize(&c.paragraphs.join("\n")))
                    .unwrap_or_default(),
                lead,
                units,
                deadline: columns
                    .deadline
                    .map(|c| cell_text(row, c))
                    .filter(|d| !d.is_empty()),
            })
        })
        .collect()
}

/// A flattened table's rows placed under `columns` (see [`placement`]).
fn place_flattened(rows: &[Vec<Cell>], columns: &Columns) -> placement::Placed {
    let width = columns.width;
    let slots: Vec<(usize, Slot)> = (columns.number + 1..width)
        .map(|c| {
            let slot = if Some(c) == columns.lead {
                Slot::Lead
            } else if Some(c) == columns.units {
                Slot::Units
            } else if Some(c) == columns.deadline {
                Slot::Deadline
            } else if c == columns.name {
                Slot::Name
            } else {
                Slot::Text
            };
            (c, slot)
        })
        .collect();
    placement::place(rows, columns.number, &slots, width)
}

/// Data rows of an attachment table: 序号, 实事名称, 牵头单位, 责任单位.
pub fn rows(table: &Table, prov: Provenance, known_units: &HashSet<String>) -> Vec<AttachmentRow> {
    data_rows(table, known_units)
        .into_iter()
        .map(|r| AttachmentRow {
            provenance: Some(prov.at_row(r.index)),
            number: r.number,
            name: r.name,
            lead_units: r.lead,
            responsible_units: r.units,
            deadline: r.deadline,
            canonical_units: Default::default(),
        })
        .collect()
}

/// The items of a notice whose list is a table: title = 项目名称 (its heading sentence; the
/// rest goes to the body), body = 主要内容, units from the unit columns, deadline = 完成时限,
/// category = the group row above (一、…); numbered by 序号, or by position where the column
/// holds no number. A units cell holding a date is the sign of two rows merged (fixtures/real/2016-dazhu-xian-minsheng-shishi-duban.txt, row 5):
/// the date and what follows it are left out and the row gets `merged_row`.
pub fn table_items(table: &Table, prov: Provenance, warnings: &mut Vec<Warning>) -> Vec<Item> {
    let mut previous = 0;
    data_rows(table, &HashSet::new())
        .into_iter()
        .enumerate()
        .map(|(k, r)| {
            let number = r.number.unwrap_or(k as u32 + 1);
            if r.numbers_in_cell > 1 {
                warnings.push(Warning {
                    code: WarningCode::MergedRow,
                    message: format!(
                        "row {number}'s 序号 cell holds {} numbers: the row may be rows merged",
                        r.numbers_in_cell
                    ),
                    item: Some(number),
                });
            } else if number != previous + 1 {
                // Rows read from a scan or a layout may be merged or lost.
                warnings.push(Warning {
                    code: WarningCode::NumberingGap,
                    message: format!("table row {number} follows row {previous}"),
                    item: Some(number),
                });
            }
            previous = number;
            let (title, rest) = crate::split_heading(&r.name);
            let body: Vec<&str> = [rest, r.content.as_str()]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect();
            // A date among the units (5月底前动工) starts the merged second row.
            let mut units = r.units;
            let strays = units
                .iter()
                .position(|u| u.bytes().any(|b| b.is_ascii_digit()))
                .map_or_else(Vec::new, |at| units.split_off(at));
            if !strays.is_empty() {
                warnings.push(Warning {
                    code: WarningCode::MergedRow,
                    message: format!(
                        "row {number}'s units cell also holds {}, from a date on: the row may be two rows merged",
                        strays.join("、")
                    ),
                    item: Some(number),
                });
            }
            Item {
                id: String::new(),
                provenance: Some(prov.at_row(r.index)),
                number,
                marker: r.number.map_or_else(String::new, |n| n.to_string()),
                title: title.trim_end_matches(['。', '：']).to_string(),
                body: body.join("\n"),
                category: r.category,
                lead_units: r.lead,
                responsible_units: units,
                units_notes: Vec::new(),
                deadline: r.deadline,
                quantities: Vec::new(),
                canonical_units: Default::default(),
            }
        })
        .collect()
}

/// The units in a table cell. Paragraphs, white space and 、，； separate units; a line
/// break inside a paragraph does not say which it is — an extractor keeps one where a line
/// reached the cell's edge, which a wrapped name and a name that just fills the cell both
/// do. Each run of such lines is read as the longest joins that name units the items name;
/// lines that name none are read as one wrapped name, ended where the lines so far end in
/// an organization word.
fn cell_units(paragraphs: &[String], known: &HashSet<String>) -> Vec<String> {
    let mut units = Vec::new();
    for paragraph in paragraphs {
        // A line break is no separator here: it is read against the known units below.
        let pieces =
            paragraph.split(|c: char| c != '\n' && crate::vocabulary::is_list_separator(c));
        for piece in pieces {
            let lines: Vec<String> = piece
                .split('\n')
                .map(normalize)
                .filter(|l| !l.is_empty())
                .collect();
            units.extend(
                resolve_wraps(&lines, known)
                    .into_iter()
                    .filter(|u| !placement::is_dash(u))
                    .filter_map(|u| crate::notes::clean_unit(&u).map(str::to_string)),
            );
        }
    }
    units.dedup();
    units
}

fn resolve_wraps(lines: &[String], known: &HashSet<String>) -> Vec<String> {
    let known_run = |start: usize| {
        (start + 1..=lines.len())
            .rev()
            .find(|&end| known.contains(&lines[start..end].concat()))
    };
    let mut units = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        // Unknown lines join up to a line that starts a known name, or up to where they
        // already make an organization's name ("区卫生健康局" / "区教育局": two units).
        let end = known_run(i).unwrap_or_else(|| {
            (i + 1..lines.len())
                .find(|&k| {
                    known_run(k).is_some()
                        || crate::vocabulary::ends_with_organ_word(&lines[i..k].concat())
                })
                .unwrap_or(lines.len())
        });
        units.push(lines[i..end].concat());
        i = end;
    }
    units
}

/// Items without a deadline of their own take the 完成时限 of the attachment row that has
/// their number and their name (a row that disagrees gives nothing).
pub fn fill_deadlines(items: &mut [Item], attachment: &Attachment) {
    for item in items.iter_mut().filter(|i| i.deadline.is_none()) {
        item.deadline = attachment
            .rows
            .iter()
            .find(|r| r.number == Some(item.number) && r.name == item.title)
            .and_then(|r| r.deadline.clone());
    }
}

/// Warnings where items and the attachment table disagree.
pub fn compare(items: &[Item], attachment: &Attachment) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for item in items {
        let Some(row) = attachment
            .rows
            .iter()
            .find(|r| r.number == Some(item.number))
        else {
            warnings.push(Warning {
                code: WarningCode::NameMismatch,
                message: format!(
                    "item {} has no row in the attachment table \"{}\"",
                    item.number, attachment.title
                ),
                item: Some(item.number),
            });
            continue;
        };
        if row.name != item.title {
            warnings.push(Warning {
                code: WarningCode::NameMismatch,
                message: format!(
                    "item {} is titled \"{}\" where attachment row {} names \"{}\"",
                    item.number, item.title, item.number, row.name
                ),
                item: Some(item.number),
            });
        }
        let item_units: Vec<&String> = item
            .lead_units
            .iter()
            .chain(&item.responsible_units)
            .collect();
        let row_units: Vec<&String> = row
            .lead_units
            .iter()
            .chain(&row.responsible_units)
            .collect();
        let only_item: Vec<&str> = item_units
            .iter()
            .filter(|u| !row_units.contains(u))
            .map(|u| u.as_str())
            .collect();
        let only_row: Vec<&str> = row_units
            .iter()
            .filter(|u| !item_units.contains(u))
            .map(|u| u.as_str())
            .collect();
        if !only_item.is_empty() || !only_row.is_empty() {
            warnings.push(Warning {
                code: WarningCode::UnitsMismatch,
                message: format!(
                    "item {} names {} where attachment row {} names {}",
                    item.number,
                    list_or_none(&only_item),
                    item.number,
                    list_or_none(&only_row)
                ),
                item: Some(item.number),
            });
        }
    }
    for row in &attachment.rows {
        if !row
            .number
            .is_some_and(|n| items.iter().any(|i| i.number == n))
        {
            warnings.push(Warning {
                code: WarningCode::NameMismatch,
                message: format!(
                    "attachment row \"{}\" ({}) has no matching item",
                    row.name,
                    row.number.map_or("no number".into(), |n| n.to_string())
                ),
                item: None,
            });
        }
    }
    warnings
}

fn list_or_none(units: &[&str]) -> String {
    if units.is_empty() {
        "no other unit".to_string()
    } else {
        units.join("、")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(units: &[&str]) -> HashSet<String> {
        units.iter().map(|u| u.to_string()).collect()
    }

    fn paragraphs(ps: &[&str]) -> Vec<String> {
        ps.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_note_naming_the_file_gives_its_title() {
        assert_eq!(
            note_titles("附件：1.2025年项目清单.docx"),
            Some(vec!["2025年项目清单".to_string()])
        );
        assert_eq!(note_title("推进情况表.XLS"), "推进情况表");
        assert_eq!(note_title("2025年项目清单"), "2025年项目清单");
    }

    #[test]
    fn line_breaks_in_cells_are_read_against_the_items_units() {
        let k = known(&["高新区公安分局", "高新区检察院", "教育和体育事业中心"]);
        let cell = paragraphs(&["高新区公安分\n局\n高新区检察院\n教育和体育事\n业中心"]);
        assert_eq!(
            cell_units(&cell, &k),
            vec!["高新区公安分局", "高新区检察院", "教育和体育事业中心"]
        );
    }

    #[test]
    fn unknown_lines_read_as_one_wrapped_name() {
        let k = known(&["区妇联"]);
        assert_eq!(
            cell_units(&paragraphs(&["区教育和体\n育局\n区妇联"]), &k),
            vec!["区教育和体育局", "区妇联"]
        );
        assert_eq!(
            cell_units(&paragraphs(&["甲乙\n丙丁"]), &known(&[])),
            vec!["甲乙丙丁"]
        );
    }

    #[test]
    fn unknown_lines_that_already_name_an_organ_end_it() {
        assert_eq!(
            cell_units(
                &paragraphs(&["区卫生健康局\n区教育局\n区住房和城乡\n建设局"]),
                &known(&[])
            ),
            vec!["区卫生健康局", "区教育局", "区住房和城乡建设局"]
        );
    }

    #[test]
    fn spaces_commas_and_paragraphs_always_separate() {
        let k = known(&[]);
        assert_eq!(
            cell_units(&paragraphs(&["区人社局 区妇联"]), &k),
            vec!["区人社局", "区妇联"]
        );
        assert_eq!(
            cell_units(&paragraphs(&["区人社局、区妇联", "区科协"]), &k),
            vec!["区人社局", "区妇联", "区科协"]
        );
    }
}
