//! Reads a notice out of the block model.
//!
//! The parser knows the elements of a Chinese official document (GB/T 9704-2012) and of a
//! "practical projects" notice — issuer, document number, title, addressees, numbered
//! items with their units notes, signature and date, 附注, attachments, 抄送, 印发 — and
//! nothing of file formats. It does no IO. It never fails on content: what it cannot
//! find is null or empty, and what looks inconsistent becomes a warning. It fails only
//! when a document passes the budgets in [`Settings`].
//!
//! How: every body paragraph is normalized ([`normalize`]), then paragraphs get roles
//! by pattern and position (see [`parse_with`]).

mod attachments;
mod contacts;
mod links;
pub mod normalize;
pub mod patterns;

use std::borrow::Cow;
use std::collections::HashSet;

use docmodel::{BlockKind, CodedError, Document, ErrorCode, Table};
use noticepipe_output::{FieldProvenance, Item, Notice, Printed, Provenance, Warning, WarningCode};

pub use normalize::normalize;
use patterns::MarkerStyle;

/// Budgets for one document, checked before any work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Most blocks read (paragraphs, tables, furniture).
    pub max_blocks: usize,
    /// Most characters of body text (paragraphs and cells).
    pub max_chars: usize,
}

impl Default for Settings {
    fn default() -> Self {
        // A notice has ~60 blocks and ~10,000 characters; the budgets are 1,000× that.
        Settings {
            max_blocks: 100_000,
            max_chars: 16_000_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{count} {what} is beyond the parser's budget of {limit}")]
    TooLarge {
        what: &'static str,
        count: usize,
        limit: usize,
    },
}

impl CodedError for ParseError {
    fn code(&self) -> ErrorCode {
        ErrorCode::TooLarge
    }
}

/// Parses with the default [`Settings`].
pub fn parse(doc: &Document) -> Result<Notice, ParseError> {
    parse_with(doc, &Settings::default())
}

/// A body block with its normalized text.
struct Unit<'d> {
    /// Normalized paragraph text; None for a table.
    text: Option<Cow<'d, str>>,
    /// The paragraph as extracted (white space kept: "齐冬梅 朱滢榕").
    raw: &'d str,
    table: Option<&'d Table>,
    prov: Provenance,
}

impl Unit<'_> {
    fn text(&self) -> &str {
        self.text.as_deref().unwrap_or("")
    }
    fn is_paragraph(&self) -> bool {
        self.text.is_some()
    }
}

/// Parses a document.
///
/// Roles are assigned in this order, each step seeing what earlier ones took:
/// 1. items: paragraphs opening with the top-level marker style (一、 before （一） before
///    1.), each running to the next item; the last runs through its units note;
/// 2. the head, before the first item: document number, title (from "关于…" to the
///    line ending in a document kind such as 通知), issuer (the organization line before
///    the title), addressees (the first line ending in "：");
/// 3. signature and 成文日期, 附注, 抄送, 印发, attachment notes and sections, wherever
///    they stand;
/// 4. plan title (the title-like line just before the first item), preamble (between
///    the addressees and the items) and closing (after the items, up to the first
///    element of step 3).
pub fn parse_with(doc: &Document, settings: &Settings) -> Result<Notice, ParseError> {
    if doc.blocks.len() > settings.max_blocks {
        return Err(ParseError::TooLarge {
            what: "blocks",
            count: doc.blocks.len(),
            limit: settings.max_blocks,
        });
    }
    let chars = doc.body_text_len();
    if chars > settings.max_chars {
        return Err(ParseError::TooLarge {
            what: "bytes of text",
            count: chars,
            limit: settings.max_chars,
        });
    }
    let units = collect_units(doc);
    let mut notice = Notice::default();
    let mut taken = vec![false; units.len()];

    let (items, warnings) = find_items(&units, &mut taken);
    notice.warnings.extend(warnings);
    let first_item = items.first().map_or(units.len(), |i| i.start);

    let head = read_head(&units, first_item, &mut taken);
    notice.issuer = head.issuer;
    notice.doc_number = head.doc_number;
    notice.title = head.title;
    notice.addressees = head.addressees;
    notice.provenance = head.provenance;

    // Signature and 成文日期: the first date line that is not the head's or an item's.
    if let Some((i, (signature, date))) = first_free(&units, &taken, patterns::date_line) {
        notice.date = Some(date);
        notice.provenance.date = Some(units[i].prov);
        taken[i] = true;
        let signature = org_line_before(&units, &mut taken, i, signature);
        if notice.issuer.is_none() {
            notice.issuer = signature.map(|s| strip_letterhead(&s));
            notice.provenance.issuer = notice.issuer.as_ref().map(|_| units[i].prov);
        }
    }
    if let Some((i, publicity)) = first_free(&units, &taken, patterns::publicity) {
        notice.publicity = Some(publicity.to_string());
        notice.provenance.publicity = Some(units[i].prov);
        taken[i] = true;
    }
    if let Some((i, list)) = first_free(&units, &taken, |t| t.strip_prefix("抄送：")) {
        notice.cc = patterns::split_units(list);
        notice.provenance.cc = Some(units[i].prov);
        taken[i] = true;
    }
    if let Some((i, (by, date))) = first_free(&units, &taken, patterns::printed_line) {
        let by = org_line_before(&units, &mut taken, i, by);
        notice.printed = Some(Printed { by, date });
        notice.provenance.printed = Some(units[i].prov);
        taken[i] = true;
    }
    notice.items = items
        .iter()
        .map(|draft| build_item(&units, draft, &mut notice.warnings))
        .collect();
    let known_units: HashSet<String> = notice
        .items
        .iter()
        .flat_map(|i| i.lead_units.iter().chain(&i.responsible_units))
        .cloned()
        .collect();
    let (found_attachments, attachments_prov) =
        attachments::read(&units, &mut taken, first_item, &known_units);
    notice.attachments = found_attachments;
    notice.provenance.attachments = attachments_prov;

    // Plan title: title-like lines just before the first item.
    if let Some(first) = items.first() {
        let mut start = first.start;
        while start > 0
            && first.start - start < 3
            && free(&units, &taken, start - 1)
            && is_title_like(units[start - 1].text())
        {
            start -= 1;
        }
        if start < first.start {
            notice.plan_title = Some(join_texts(&units[start..first.start]));
            notice.provenance.plan_title = Some(units[start].prov);
            taken[start..first.start].fill(true);
        }
    }
    // Preamble: untaken paragraphs before the first item. Closing: untaken paragraphs
    // after the last item, up to the first taken unit or table.
    let preamble: Vec<usize> = (0..first_item)
        .filter(|&i| free(&units, &taken, i))
        .collect();
    let closing: Vec<usize> = match items.last() {
        Some(last) => (last.end + 1..units.len())
            .take_while(|&i| free(&units, &taken, i))
            .collect(),
        None => Vec::new(),
    };
    notice.preamble = preamble
        .iter()
        .map(|&i| units[i].text().to_string())
        .collect();
    notice.closing = closing
        .iter()
        .map(|&i| units[i].text().to_string())
        .collect();
    notice.contacts = contacts::read(
        preamble
            .iter()
            .chain(&closing)
            .map(|&i| (units[i].text(), units[i].raw)),
    );

    check(&mut notice);
    links::attach_hrefs(&mut notice.attachments, &doc.info.links);
    Ok(notice)
}

/// The first paragraph no earlier step has taken where `read` finds something.
fn first_free<'u, T>(
    units: &'u [Unit],
    taken: &[bool],
    read: impl Fn(&'u str) -> Option<T>,
) -> Option<(usize, T)> {
    (0..units.len()).find_map(|i| {
        let found = if free(units, taken, i) {
            read(units[i].text())
        } else {
            None
        };
        found.map(|value| (i, value))
    })
}

/// The organization that signs a line: named on the line itself (`inline`), or alone on
/// the paragraph before it (which is then taken).
fn org_line_before(units: &[Unit], taken: &mut [bool], i: usize, inline: &str) -> Option<String> {
    if !inline.is_empty() {
        return Some(inline.to_string());
    }
    let before = i
        .checked_sub(1)
        .filter(|&b| free(units, taken, b) && patterns::is_org_name(units[b].text()))?;
    taken[before] = true;
    Some(units[before].text().to_string())
}

/// A paragraph no earlier step has taken.
fn free(units: &[Unit], taken: &[bool], i: usize) -> bool {
    units[i].is_paragraph() && !taken[i]
}

fn collect_units(doc: &Document) -> Vec<Unit<'_>> {
    doc.body()
        .filter_map(|block| {
            let prov = Provenance {
                page: block.prov.page,
                line: block.prov.line,
                block: block.prov.index,
            };
            match &block.kind {
                BlockKind::Paragraph(raw) => {
                    let text = normalize::normalize_cow(raw);
                    (!text.is_empty()).then_some(Unit {
                        text: Some(text),
                        raw,
                        table: None,
                        prov,
                    })
                }
                BlockKind::Table(table) => Some(Unit {
                    text: None,
                    raw: "",
                    table: Some(table),
                    prov,
                }),
                BlockKind::Furniture { .. } => None,
            }
        })
        .collect()
}

/// "淄川区人民政府办公室文件" (a letterhead) names "淄川区人民政府办公室".
fn strip_letterhead(name: &str) -> String {
    name.strip_suffix("文件").unwrap_or(name).to_string()
}

/// A heading: short, no sentence punctuation, not a date, organization or marker line.
fn is_title_like(text: &str) -> bool {
    let len = text.chars().count();
    (4..=80).contains(&len)
        && !text.contains(['。', '，', '；', '：', '！', '？'])
        && patterns::date_line(text).is_none()
        && patterns::publicity(text).is_none()
        && patterns::doc_number(text).is_none()
        && !patterns::is_org_name(text)
        && !text.starts_with("附件")
}

fn join_texts(units: &[Unit]) -> String {
    normalize(&units.iter().map(Unit::text).collect::<Vec<_>>().join("\n"))
}

/// An item before its text is split: paragraphs `start..=end`.
struct ItemDraft {
    number: u32,
    marker: String,
    start: usize,
    end: usize,
}

/// Finds the items: their extents, and numbering warnings. Marks their paragraphs taken.
fn find_items(units: &[Unit], taken: &mut [bool]) -> (Vec<ItemDraft>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let Some(style) = patterns::MARKER_STYLES.into_iter().find(|&style| {
        units
            .iter()
            .any(|u| patterns::item_marker(u.text(), style).is_some())
    }) else {
        return (Vec::new(), warnings);
    };
    // A numbered list inside an attachment section belongs to the attachment, unless
    // the list is the attachment (no items before the section).
    let first_section = units
        .iter()
        .position(|u| attachments::heading_number(u.text()).is_some());
    let markers: Vec<usize> = (0..units.len())
        .filter(|&i| patterns::item_marker(units[i].text(), style).is_some())
        .collect();
    let markers: Vec<usize> = match first_section {
        Some(s) if markers.first().is_some_and(|&m| m < s) => {
            markers.into_iter().filter(|&m| m < s).collect()
        }
        _ => markers,
    };
    let mut drafts: Vec<ItemDraft> = Vec::new();
    for &i in &markers {
        let (number, numeral, _) = patterns::item_marker(units[i].text(), style).expect("a marker");
        if let Some(prev) = drafts.last() {
            if number <= prev.number {
                warnings.push(Warning {
                    code: WarningCode::NumberingDuplicate,
                    message: format!(
                        "item number {number} ({numeral}) comes after item {}; its paragraph stays in item {}",
                        prev.number, prev.number
                    ),
                    item: Some(prev.number),
                });
                continue;
            }
            if number > prev.number + 1 {
                warnings.push(Warning {
                    code: WarningCode::NumberingGap,
                    message: format!(
                        "item {number} follows item {}: {} to {} are missing",
                        prev.number,
                        prev.number + 1,
                        number - 1
                    ),
                    item: Some(number),
                });
            }
        } else if number != 1 {
            warnings.push(Warning {
                code: WarningCode::NumberingGap,
                message: format!("items start at {number}, not 1"),
                item: Some(number),
            });
        }
        drafts.push(ItemDraft {
            number,
            marker: numeral.to_string(),
            start: i,
            end: i,
        });
    }
    // Each item runs up to the next paragraph that opens an item (tables end it too).
    for k in 0..drafts.len() {
        let limit = drafts.get(k + 1).map_or(units.len(), |next| next.start);
        let mut end = drafts[k].start;
        while end + 1 < limit && units[end + 1].is_paragraph() {
            end += 1;
        }
        if k + 1 == drafts.len() {
            end = last_item_end(units, drafts[k].start, end);
        }
        drafts[k].end = end;
        taken[drafts[k].start..=end].fill(true);
    }
    (drafts, warnings)
}

/// The last item runs through the first paragraph (at most three on) that ends with a
/// units note — a note set apart, or an item broken across paragraphs — provided nothing
/// that ends the list comes first. Without such a note it is its own paragraph.
fn last_item_end(units: &[Unit], start: usize, max_end: usize) -> usize {
    if patterns::split_units_note(units[start].text()).is_some() {
        return start;
    }
    for (i, unit) in units
        .iter()
        .enumerate()
        .take(max_end.min(start + 3) + 1)
        .skip(start + 1)
    {
        let text = unit.text();
        if ends_list(text) {
            break;
        }
        if patterns::split_units_note(text).is_some() {
            return i;
        }
    }
    start
}

/// Paragraphs that come after a list: notes, signature, 附注, attachments, 抄送, 印发.
fn ends_list(text: &str) -> bool {
    text.starts_with("附件")
        || text.starts_with("抄送")
        || patterns::date_line(text).is_some()
        || patterns::publicity(text).is_some()
        || patterns::printed_line(text).is_some()
        || patterns::is_org_name(text)
}

fn build_item(units: &[Unit], draft: &ItemDraft, warnings: &mut Vec<Warning>) -> Item {
    let mut texts: Vec<&str> = (draft.start..=draft.end).map(|i| units[i].text()).collect();
    // The units note is the last one in the item; it leaves the text.
    let mut note = patterns::UnitsNote::default();
    let last_note = texts
        .iter()
        .enumerate()
        .rev()
        .find_map(|(k, p)| patterns::split_units_note(p).map(|n| (k, n)));
    if let Some((k, (before, found))) = last_note {
        texts[k] = before;
        note = found;
    }
    let (_, _, first_rest) =
        patterns::item_marker(texts[0], marker_style_of(texts[0])).expect("an item");
    let (title, first_body) = split_heading(first_rest.trim());
    let body: Vec<&str> = std::iter::once(first_body)
        .chain(texts[1..].iter().map(|t| t.trim()))
        .filter(|t| !t.is_empty())
        .collect();
    if note.lead.is_empty() && note.responsible.is_empty() {
        warnings.push(Warning {
            code: WarningCode::MissingUnits,
            message: format!("item {} has no units note (责任单位)", draft.number),
            item: Some(draft.number),
        });
    }
    Item {
        number: draft.number,
        marker: draft.marker.clone(),
        title: title.to_string(),
        body: body.join("\n"),
        lead_units: note.lead,
        responsible_units: note.responsible,
        provenance: Some(units[draft.start].prov),
    }
}

fn marker_style_of(text: &str) -> MarkerStyle {
    patterns::MARKER_STYLES
        .into_iter()
        .find(|&s| patterns::item_marker(text, s).is_some())
        .unwrap_or(MarkerStyle::CnComma)
}

/// Splits an item's text after its marker into the heading sentence (without its "。")
/// and the rest. The first "。" outside quotes and brackets ends the heading.
fn split_heading(text: &str) -> (&str, &str) {
    let mut depth = 0i32;
    for (pos, c) in text.char_indices() {
        match c {
            '“' | '‘' | '《' | '（' | '「' | '【' => depth += 1,
            '”' | '’' | '》' | '）' | '」' | '】' => depth -= 1,
            '。' if depth <= 0 => return (&text[..pos], text[pos + c.len_utf8()..].trim()),
            _ => {}
        }
    }
    (text, "")
}

struct Head {
    issuer: Option<String>,
    doc_number: Option<noticepipe_output::DocNumber>,
    title: Option<String>,
    addressees: Vec<String>,
    provenance: FieldProvenance,
}

/// Reads the head: everything before `end` (the first item).
fn read_head(units: &[Unit], end: usize, taken: &mut [bool]) -> Head {
    let mut provenance = FieldProvenance::default();
    let doc_number_at = (0..end)
        .find(|&i| free(units, taken, i) && patterns::doc_number(units[i].text()).is_some());
    let doc_number = doc_number_at.and_then(|i| {
        taken[i] = true;
        provenance.doc_number = Some(units[i].prov);
        patterns::doc_number(units[i].text())
    });
    // The title runs from "关于…" (perhaps after the issuer's name) to the line ending
    // in a document kind, over at most four lines.
    let title_start = (0..end)
        .find(|&i| free(units, taken, i) && title_opening(units[i].text()).is_some())
        .or_else(|| {
            (0..end).find(|&i| {
                let t = units[i].text();
                free(units, taken, i) && patterns::ends_with_doc_kind(t) && is_title_like(t)
            })
        });
    let mut title = None;
    let mut issuer_in_title = None;
    let mut title_end = None;
    if let Some(start) = title_start {
        let mut stop = start;
        for i in start..end.min(start + 4) {
            if !free(units, taken, i) {
                break;
            }
            if patterns::ends_with_doc_kind(&join_texts(&units[start..=i])) {
                stop = i;
                break;
            }
        }
        let text = join_texts(&units[start..=stop]);
        let (issuer, rest) = title_opening(&text).unwrap_or(("", &text));
        issuer_in_title = (!issuer.is_empty()).then(|| issuer.to_string());
        title = Some(rest.to_string());
        provenance.title = Some(units[start].prov);
        taken[start..=stop].fill(true);
        title_end = Some(stop);
    }
    // The issuer: the last organization line before the title; else named in the title.
    let before_title = title_start.unwrap_or(end);
    let issuer = match (0..before_title)
        .rev()
        .find(|&i| free(units, taken, i) && patterns::is_org_name(units[i].text()))
    {
        Some(i) => {
            taken[i] = true;
            provenance.issuer = Some(units[i].prov);
            Some(strip_letterhead(units[i].text()))
        }
        None => {
            provenance.issuer = issuer_in_title.as_ref().and(provenance.title);
            issuer_in_title
        }
    };
    // Other organization lines before the title are letterheads: leave them out of the
    // preamble.
    for i in 0..before_title {
        if free(units, taken, i) && patterns::is_org_name(units[i].text()) {
            taken[i] = true;
        }
    }
    let after_title = title_end.map_or(0, |t| t + 1);
    let mut addressees = Vec::new();
    if let Some(i) = (after_title..end).find(|&i| {
        let t = units[i].text();
        free(units, taken, i)
            && t.ends_with('：')
            && !t.contains('。')
            && !t.starts_with("附件")
            && !t.starts_with("联系")
    }) {
        let text = units[i].text().trim_end_matches('：');
        addressees = text
            .split('，')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        taken[i] = true;
    }
    Head {
        issuer,
        doc_number,
        title,
        addressees,
        provenance,
    }
}

/// A title's first line: "关于…", or an organization name then "关于…". Returns the
/// organization ("" if none) and the title from "关于".
fn title_opening(text: &str) -> Option<(&str, &str)> {
    if text.starts_with("关于") {
        return Some(("", text));
    }
    let at = text.find("关于")?;
    let org = &text[..at];
    patterns::is_org_name(org).then(|| (org, &text[at..]))
}

/// Document-level warnings: date, items, and items against the attachment table.
fn check(notice: &mut Notice) {
    if notice.date.is_none() {
        notice.warnings.push(Warning {
            code: WarningCode::MissingDate,
            message: "no 成文日期 (a line holding only a date, after the signature) was found"
                .into(),
            item: None,
        });
    }
    if notice.items.is_empty() {
        notice.warnings.push(Warning {
            code: WarningCode::NoItems,
            message: "no numbered items (一、二、… or （一）… or 1. 2. …) were found".into(),
            item: None,
        });
    }
    if let Some(table) = notice.attachments.iter().find(|a| !a.rows.is_empty()) {
        let found = attachments::compare(&notice.items, table);
        notice.warnings.extend(found);
    }
}
