//! Items: their extents in the outline, their text split into heading, body and units
//! notes, and the numbering warnings.

use std::borrow::Cow;

use noticepipe_output::{Item, Warning, WarningCode};

use crate::notes::Note;
use crate::outline::{Entry, Selection};
use crate::{Unit, ends_list, normalize, notes, patterns, split_heading};

/// Most paragraphs after an item's heading searched for its units note when nothing in
/// the outline closes the item (the last item before the closing text).
const NOTE_REACH: usize = 8;

/// An item before its text is split: paragraphs `start..=end`.
pub struct ItemDraft {
    pub number: u32,
    pub marker: String,
    pub start: usize,
    pub end: usize,
    pub category: Option<String>,
}

/// The paragraphs an entry's own text spans: its paragraph and those up to the next
/// entry, a table, an attachment heading or the end of its region.
pub fn own_extent(units: &[Unit], entries: &[Entry], e: usize) -> std::ops::Range<usize> {
    let start = entries[e].unit;
    let next = entries.get(e + 1).map_or(units.len(), |n| n.unit);
    let end = (start + 1..next)
        .find(|&i| {
            !units[i].is_paragraph()
                || crate::attachments::heading_number(units[i].text()).is_some()
        })
        .unwrap_or(next);
    start..end
}

/// The units notes of every unit, read once: for the outline's choices and the items.
pub fn unit_notes(units: &[Unit]) -> Vec<Vec<Note>> {
    units.iter().map(|u| notes::find(u.text())).collect()
}

/// The selected entries checked for their numbering: those that stay items, and those
/// merged into the item before (a number not above the previous one); a duplicate number or
/// a gap is a warning. A pass of its own: the extents need the whole list of kept items.
fn numbered(
    entries: &[Entry],
    selection: &Selection,
    warnings: &mut Vec<Warning>,
) -> (Vec<usize>, Vec<usize>) {
    let mut kept: Vec<usize> = Vec::new();
    let mut merged: Vec<usize> = Vec::new();
    // In a list numbered by position, an entry whose number follows the entry before it
    // under the same parent, item or not, skips nothing: （二）（五） are items beside
    // （三）（四） that hold numbered measures (fixtures/real/
    // 2023-shanghai-shijianju-ranqi-zhuanxiang-zhengzhi.md).
    let sibling_before = |e: usize| {
        let entry = &entries[e];
        selection.by_position
            && entries[..e]
                .iter()
                .rev()
                .find(|x| {
                    (x.region, x.parent, x.style) == (entry.region, entry.parent, entry.style)
                })
                .is_some_and(|x| x.number + 1 == entry.number)
    };
    for &e in &selection.entries {
        let entry = &entries[e];
        // In a list numbered by position, numbers are checked within each parent's list.
        let prev = kept
            .last()
            .filter(|&&p| !selection.by_position || entries[p].parent == entry.parent)
            .map(|&p| &entries[p]);
        if let Some(prev) = prev {
            if entry.number <= prev.number {
                warnings.push(Warning {
                    code: WarningCode::NumberingDuplicate,
                    message: format!(
                        "item number {} ({}) comes after item {}; its paragraph stays in item {}",
                        entry.number, entry.numeral, prev.number, prev.number
                    ),
                    item: Some(prev.number),
                });
                merged.push(e);
                continue;
            }
            if entry.number > prev.number + 1 && !sibling_before(e) {
                warnings.push(Warning {
                    code: WarningCode::NumberingGap,
                    message: format!(
                        "item {} follows item {}: {} to {} are missing",
                        entry.number,
                        prev.number,
                        prev.number + 1,
                        entry.number - 1
                    ),
                    item: Some(entry.number),
                });
            }
        } else if entry.number != 1
            && (selection.by_position || kept.is_empty())
            && !sibling_before(e)
        {
            warnings.push(Warning {
                code: WarningCode::NumberingGap,
                message: format!("items start at {}, not 1", entry.number),
                item: Some(entry.number),
            });
        }
        kept.push(e);
    }
    (kept, merged)
}

/// The selected entries as drafts, with their extents, numbers and categories, and the
/// numbering warnings.
pub fn drafts(
    units: &[Unit],
    noted: &[bool],
    entries: &[Entry],
    selection: &Selection,
    warnings: &mut Vec<Warning>,
) -> Vec<ItemDraft> {
    let (kept, merged) = numbered(entries, selection, warnings);
    let starts: Vec<usize> = kept.iter().map(|&e| entries[e].unit).collect();
    kept.iter()
        .enumerate()
        .map(|(k, &e)| {
            let entry = &entries[e];
            let (end, closed) = extent_end(units, entries, e, &merged, starts.get(k + 1).copied());
            let end = if closed {
                end
            } else {
                note_end(units, noted, entry.unit, end)
            };
            ItemDraft {
                number: if selection.by_position {
                    k as u32 + 1
                } else {
                    entry.number
                },
                marker: entry.numeral.clone(),
                start: entry.unit,
                end,
                category: selection
                    .categories
                    .then(|| {
                        entry
                            .parent
                            .map(|p| category(units[entries[p].unit].text()))
                    })
                    .flatten(),
            }
        })
        .collect()
}

/// The last paragraph of entry `e`'s item, and whether an outline entry closes it: the
/// item runs to the next kept item, or the next entry as shallow as itself, or a table,
/// an attachment heading or its region's end. Entries `merged` into the item before them
/// (repeated numbers) do not close it.
fn extent_end(
    units: &[Unit],
    entries: &[Entry],
    e: usize,
    merged: &[usize],
    next_item: Option<usize>,
) -> (usize, bool) {
    let entry = &entries[e];
    let closing_entry = (e + 1..entries.len())
        .filter(|n| !merged.contains(n))
        .map(|n| &entries[n])
        .find(|n| n.region != entry.region || n.depth <= entry.depth)
        .filter(|n| n.region == entry.region)
        .map(|n| n.unit);
    let limit = match (closing_entry, next_item) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let region_end = entries[e + 1..]
        .iter()
        .find(|n| n.region != entry.region)
        .map_or(units.len(), |n| n.unit);
    let bound = limit.unwrap_or(units.len()).min(region_end);
    let mut end = entry.unit;
    while end + 1 < bound
        && units[end + 1].is_paragraph()
        && crate::attachments::heading_number(units[end + 1].text()).is_none()
    {
        end += 1;
    }
    let closed = limit.is_some_and(|l| end + 1 == l);
    (end, closed)
}

/// An item nothing in the outline closes runs through its last paragraph holding a units
/// note (at most [`NOTE_REACH`] on, before anything that ends a list); without one it is
/// its own paragraph.
fn note_end(units: &[Unit], noted: &[bool], start: usize, max_end: usize) -> usize {
    let mut end = start;
    let last = max_end.min(start + NOTE_REACH);
    for (i, unit) in units.iter().enumerate().take(last + 1).skip(start) {
        let text = unit.text();
        if i > start && ends_list(text) && !notes::starts_with_label(text) {
            break;
        }
        if noted[i] {
            end = i;
        }
    }
    end
}

/// "一、健康保障类（4件）" → "健康保障类".
fn category(heading: &str) -> String {
    let (title, _) = split_heading(after_marker(heading));
    let title = title.trim_end_matches(['：', '。']);
    strip_count(title).to_string()
}

/// Drops a trailing count such as "（4件）" or "（3项）".
fn strip_count(title: &str) -> &str {
    if let Some(open) = title.rfind('（')
        && title.ends_with('）')
    {
        let inner = &title[open + '（'.len_utf8()..title.len() - '）'.len_utf8()];
        let counted = inner.strip_suffix(['件', '项', '个']).is_some_and(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        });
        if counted {
            return &title[..open];
        }
    }
    title
}

/// The item of a draft. `lead_rule` carries the document's 列第一位者为牵头单位 rule (declared
/// with 下同) from note to note.
pub fn build(
    units: &[Unit],
    unit_notes: &[Vec<Note>],
    draft: &ItemDraft,
    lead_rule: &mut Option<notes::LeadRule>,
    warnings: &mut Vec<Warning>,
) -> Item {
    let paragraphs = joined_paragraphs(units, draft.start, draft.end);
    let mut lead: Vec<String> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    let mut written = Vec::new();
    let mut deadline = None;
    let mut stripped: Vec<String> = Vec::with_capacity(paragraphs.len());
    for (k, (paragraph, unit)) in paragraphs.iter().enumerate() {
        let text: &str = if k == 0 {
            after_item_marker(paragraph, &draft.marker)
        } else {
            paragraph
        };
        // The notes read for the outline, moved past the marker; a joined paragraph is
        // read anew.
        let skipped = text.as_ptr().addr() - paragraph.as_ptr().addr();
        let fresh;
        let found: &[Note] = match unit {
            Some(i) => &unit_notes[*i],
            None => {
                fresh = notes::find(text);
                &fresh
            }
        };
        let shift = if unit.is_some() { skipped } else { 0 };
        let mut kept = String::with_capacity(text.len());
        let mut at = 0;
        for note in found.iter().filter(|n| n.range.start >= shift) {
            let range = note.range.start - shift..note.range.end - shift;
            kept.push_str(&text[at..range.start]);
            at = range.end;
            written.push(text[range].to_string());
            let (l, o) = note.roles(*lead_rule);
            if note.carries_on {
                *lead_rule = note.lead_rule;
            }
            push_new(&mut lead, l);
            push_new(&mut others, o);
            deadline = deadline.or_else(|| note.deadline.clone());
        }
        kept.push_str(&text[at..]);
        stripped.push(kept.trim().to_string());
    }
    others.retain(|u| !lead.contains(u));
    let (title, first_body) = split_heading(&stripped[0]);
    let title = title.trim_end_matches(['：', '。', ':']).to_string();
    let first_body = first_body.to_string();
    let body: Vec<&str> = std::iter::once(first_body.as_str())
        .chain(stripped[1..].iter().map(String::as_str))
        .filter(|t| !t.is_empty())
        .collect();
    if lead.is_empty() && others.is_empty() {
        let message = if written.is_empty() {
            format!("item {} has no units note (责任单位)", draft.number)
        } else {
            format!(
                "item {}'s units note names no organ: {}",
                draft.number,
                written.join("")
            )
        };
        warnings.push(Warning {
            code: WarningCode::MissingUnits,
            message,
            item: Some(draft.number),
        });
    }
    Item {
        id: String::new(), // stamped by the record
        number: draft.number,
        marker: draft.marker.clone(),
        title,
        body: body.join("\n"),
        category: draft.category.clone(),
        lead_units: lead,
        responsible_units: others,
        units_notes: written,
        deadline,
        provenance: Some(units[draft.start].prov),
        quantities: Vec::new(), // read once the items are final
        canonical_units: Default::default(),
    }
}

/// The text after an item's marker: any marker style, or the Arabic numeral `marker` the
/// outline read where a number follows its dot ("11.121人才梯队项目").
fn after_item_marker<'t>(text: &'t str, marker: &str) -> &'t str {
    if let Some((_, (_, _, rest))) = patterns::any_marker(text) {
        return rest.trim();
    }
    text.strip_prefix(marker)
        .and_then(|r| r.strip_prefix(['.', '．']))
        .map_or(text, str::trim)
}

/// The text after an item's marker.
fn after_marker(text: &str) -> &str {
    patterns::any_marker(text).map_or(text, |(_, (_, _, rest))| rest.trim())
}

/// Appends the units not yet in `list`.
fn push_new(list: &mut Vec<String>, units: Vec<String>) {
    for unit in units {
        if !list.contains(&unit) {
            list.push(unit);
        }
    }
}

/// The item's paragraphs, with a units note broken across paragraphs put back together:
/// a paragraph with a bracket left open, or a label note ending on 、 or ，, goes on in the
/// next one.
/// Each with the unit it is, or None for paragraphs joined.
fn joined_paragraphs<'u>(
    units: &'u [Unit],
    start: usize,
    end: usize,
) -> Vec<(Cow<'u, str>, Option<usize>)> {
    let mut out: Vec<(Cow<str>, Option<usize>)> = Vec::new();
    let mut open = false;
    for (i, unit) in units.iter().enumerate().take(end + 1).skip(start) {
        let text = unit.text();
        match out.last_mut() {
            Some(last) if open => {
                let joined = normalize(&format!("{}{text}", last.0));
                *last = (Cow::Owned(joined), None);
            }
            _ => out.push((Cow::Borrowed(text), Some(i))),
        }
        let last = &out.last().expect("pushed above").0;
        open = i < end && continues_note(last);
    }
    out
}

/// A paragraph never ends inside brackets: one that does was broken, as DOCX and PDF
/// paragraphs of a note split over two lines are.
fn continues_note(text: &str) -> bool {
    if text.matches('（').count() > text.matches('）').count() {
        return true;
    }
    let last_line_note = text
        .rfind('。')
        .map_or(text, |at| &text[at + '。'.len_utf8()..]);
    notes::starts_with_label(last_line_note) && text.ends_with(['、', '，'])
}
