//! Attachments: the notes ("附件：…"), the sections ("附件" then a title and a table),
//! and the rows of their tables.

use std::sync::LazyLock;

use docmodel::Table;
use noticepipe_output::{Attachment, AttachmentRow, Item, Provenance, Warning, WarningCode};
use regex::Regex;

use crate::{Unit, join_texts, normalize, patterns};

/// A section heading: "附件", "附件1", "附件 2" alone on a line. Returns its number.
pub fn heading_number(text: &str) -> Option<u32> {
    let rest = text.strip_prefix("附件")?.trim();
    if rest.is_empty() {
        return Some(1);
    }
    rest.parse().ok().filter(|_| rest.len() <= 2)
}

/// An attachment note: "附件：title" or "附件：1.title". Returns the titles it lists.
fn note_titles(text: &str) -> Option<Vec<String>> {
    static NOTE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^附件\d*：\s*(.+)$").expect("valid regex"));
    let caps = NOTE.captures(text)?;
    Some(vec![strip_list_number(&caps[1]).to_string()])
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
/// first attachment's.
pub fn read(
    units: &[Unit],
    taken: &mut [bool],
    first_item: usize,
) -> (Vec<Attachment>, Option<Provenance>) {
    let para = |i: usize, taken: &[bool]| units[i].is_paragraph() && !taken[i];
    let mut titles: Vec<String> = Vec::new();
    let mut provenance = None;
    if let Some(i) =
        (0..units.len()).find(|&i| para(i, taken) && note_titles(units[i].text()).is_some())
    {
        titles = note_titles(units[i].text()).expect("matched above");
        provenance = Some(units[i].prov);
        taken[i] = true;
        // Further numbered titles on the following lines: "2.…".
        let mut j = i + 1;
        while j < units.len()
            && para(j, taken)
            && strip_list_number(units[j].text()).len() < units[j].text().len()
        {
            titles.push(strip_list_number(units[j].text()).to_string());
            taken[j] = true;
            j += 1;
        }
    }
    let mut sections: Vec<(u32, Option<String>, Option<&Table>)> = Vec::new();
    let headings: Vec<usize> = (0..units.len())
        .filter(|&i| para(i, taken) && heading_number(units[i].text()).is_some())
        .collect();
    for (k, &h) in headings.iter().enumerate() {
        let number = heading_number(units[h].text()).expect("a heading");
        taken[h] = true;
        provenance.get_or_insert(units[h].prov);
        let limit = headings.get(k + 1).copied().unwrap_or(units.len());
        let mut end = h + 1;
        while end < limit && end < h + 4 && para(end, taken) && is_section_title(units[end].text())
        {
            end += 1;
        }
        let title = (end > h + 1).then(|| join_texts(&units[h + 1..end]));
        taken[h + 1..end].fill(true);
        let table = (end..limit).map(|i| &units[i]).find_map(|u| u.table);
        sections.push((number, title, table));
    }
    if sections.is_empty()
        && let Some(table) = units[first_item.min(units.len())..]
            .iter()
            .find_map(|u| u.table)
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
            let rows = section.and_then(|s| s.2).map(rows).unwrap_or_default();
            Some(Attachment { title, rows })
        })
        .collect();
    (attachments, provenance)
}

fn is_section_title(text: &str) -> bool {
    !text.contains(['。', '：'])
        && !text.starts_with("抄送")
        && patterns::printed_line(text).is_none()
}

/// Columns of an attachment table, found from its header row.
struct Columns {
    number: usize,
    name: usize,
    units: Option<usize>,
}

/// Data rows of an attachment table: 序号, 实事名称, 责任单位.
pub fn rows(table: &Table) -> Vec<AttachmentRow> {
    let cell = |row: &[docmodel::Cell], col: usize| -> Vec<String> {
        row.get(col)
            .map(|c| c.paragraphs.clone())
            .unwrap_or_default()
    };
    let header_at = table.rows.iter().position(|row| {
        row.iter().any(|c| {
            let t = normalize(&c.paragraphs.join(""));
            t == "序号" || t.contains("名称") || t.contains("责任单位")
        })
    });
    let columns = match header_at {
        Some(h) => {
            let names: Vec<String> = table.rows[h]
                .iter()
                .map(|c| normalize(&c.paragraphs.join("")))
                .collect();
            let find = |pred: &dyn Fn(&str) -> bool| names.iter().position(|n| pred(n));
            Columns {
                number: find(&|n| n == "序号" || n == "编号").unwrap_or(0),
                name: find(&|n| {
                    n.contains("名称")
                        || n.contains("实事")
                        || n.contains("项目")
                        || n.contains("事项")
                })
                .unwrap_or(1),
                units: find(&|n| n.contains("单位") || n.contains("部门")),
            }
        }
        None => Columns {
            number: 0,
            name: 1,
            units: Some(2),
        },
    };
    let data = table.rows.iter().skip(header_at.map_or(0, |h| h + 1));
    data.filter_map(|row| {
        let number_text = normalize(&cell(row, columns.number).join(""));
        let name = normalize(&cell(row, columns.name).join("\n"));
        if name.is_empty() && number_text.is_empty() {
            return None;
        }
        let units = columns
            .units
            .map(|col| {
                cell(row, col)
                    .iter()
                    .flat_map(|p| patterns::split_units(p))
                    .map(|u| normalize(&u))
                    .collect()
            })
            .unwrap_or_default();
        Some(AttachmentRow {
            number: patterns::numeral_value(&number_text),
            name,
            responsible_units: units,
        })
    })
    .collect()
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
        let only_item: Vec<&str> = item_units
            .iter()
            .filter(|u| !row.responsible_units.contains(u))
            .map(|u| u.as_str())
            .collect();
        let only_row: Vec<&str> = row
            .responsible_units
            .iter()
            .filter(|u| !item_units.contains(u))
            .map(String::as_str)
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
