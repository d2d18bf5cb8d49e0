//! Attachments: the notes ("附件：…"), the sections ("附件" then a title and a table),
//! and the rows of their tables.

use std::collections::HashSet;
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
///
/// `known_units` are the units the items name; they settle line breaks in table cells
/// (see [`cell_units`]).
pub fn read(
    units: &[Unit],
    taken: &mut [bool],
    first_item: usize,
    known_units: &HashSet<String>,
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
            let rows = section
                .and_then(|s| s.2)
                .map(|t| rows(t, known_units))
                .unwrap_or_default();
            Some(Attachment {
                title,
                rows,
                href: None,
            })
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
pub fn rows(table: &Table, known_units: &HashSet<String>) -> Vec<AttachmentRow> {
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
            .map(|col| cell_units(&cell(row, col), known_units))
            .unwrap_or_default();
        Some(AttachmentRow {
            number: patterns::numeral_value(&number_text),
            name,
            responsible_units: units,
        })
    })
    .collect()
}

/// The units in a table cell. Paragraphs, white space and 、，； separate units; a line
/// break inside a paragraph does not say which it is — an extractor keeps one where a line
/// reached the cell's edge, which a wrapped name and a name that just fills the cell both
/// do. Each run of such lines is read as the longest joins that name units the items name;
/// lines that name none are read as one wrapped name.
fn cell_units(paragraphs: &[String], known: &HashSet<String>) -> Vec<String> {
    let mut units = Vec::new();
    for paragraph in paragraphs {
        let pieces = paragraph.split(|c: char| {
            matches!(c, '、' | '，' | ',' | '；' | ';' | '。') || (c.is_whitespace() && c != '\n')
        });
        for piece in pieces {
            let lines: Vec<String> = piece
                .split('\n')
                .map(normalize)
                .filter(|l| !l.is_empty())
                .collect();
            units.extend(resolve_wraps(&lines, known));
        }
    }
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
        let end = known_run(i).unwrap_or_else(|| {
            (i + 1..lines.len())
                .find(|&k| known_run(k).is_some())
                .unwrap_or(lines.len())
        });
        units.push(lines[i..end].concat());
        i = end;
    }
    units
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
