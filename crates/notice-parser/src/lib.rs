//! Reads a notice out of the block model.
//!
//! The parser knows the elements of a Chinese official document (GB/T 9704-2012) and of a
//! "practical projects" notice — issuer, document number, title, addressees, numbered
//! items with their units notes, signature and date, 附注, attachments, 抄送, 印发 — and
//! nothing of file formats. It does no IO. It never fails on content: what it cannot
//! find is null or empty, and what looks inconsistent becomes a warning. It fails only
//! when a document passes its budgets ([`Limits`], in [`Settings`]).
//!
//! How: every body paragraph is normalized ([`normalize()`]), then paragraphs get roles
//! by pattern and position (see [`parse_with`]).
//!
//! ```
//! use docmodel::{BlockKind, Document, Format, Provenance};
//! let mut doc = Document::new(Format::Txt);
//! for (line, text) in ["关于为全市妇女儿童办实事的通知", "一、甲项。正文。（责任单位：市妇联、市教育局）",
//!                      "二、乙项。正文。（市卫健委负责）", "2025年3月23日"].into_iter().enumerate() {
//!     doc.push(BlockKind::Paragraph(text.into()), Provenance::line(line as u32 + 1));
//! }
//! let notice = notice_parser::parse(&doc)?;
//! assert_eq!(notice.items.len(), 2);
//! assert_eq!(notice.items[0].responsible_units, ["市妇联", "市教育局"]);
//! assert_eq!(notice.items[1].responsible_units, ["市卫健委"]);
//! assert_eq!(notice.date.as_deref(), Some("2025-03-23"));
//! # Ok::<(), notice_parser::ParseError>(())
//! ```

mod attachments;
mod canonical;
mod claims;
mod contacts;
mod doubts;
mod head;
mod items;
mod links;
mod metadata;
pub mod normalize;
pub mod notes;
mod outline;
pub mod patterns;
mod placement;
mod quantities;
mod radicals;
mod vocabulary;

use std::borrow::Cow;
use std::collections::HashSet;

use claims::{Claims, Role};
use docmodel::{BlockKind, CodedError, Document, ErrorCode, Table};
use noticepipe_output::{ItemField, Notice, Printed, Provenance, Warning, WarningCode};

pub use canonical::{UnitsTable, UnitsTableError};
pub use normalize::normalize;

/// What the parser reads with: its budgets and the canonical-names table. Not a `Limits`
/// itself, as every reader's is, because the table is no budget: the budgets are its
/// [`Limits`].
#[derive(Debug, Clone)]
pub struct Settings {
    /// Budgets for one document, checked before any work.
    pub limits: Limits,
    /// The rules of `canonical_units` (the built-in table, or it extended by a user's file).
    pub units: std::sync::Arc<UnitsTable>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            limits: Limits::default(),
            units: UnitsTable::builtin(),
        }
    }
}

/// Budgets for one document, checked before any work; beyond either the document is
/// refused with `too_large`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most blocks read (paragraphs, tables, furniture).
    pub max_blocks: usize,
    /// Most characters of body text (paragraphs and cells).
    pub max_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // A notice has ~60 blocks and ~10,000 characters; the budgets are 1,000× that.
        Limits {
            max_blocks: 100_000,
            max_chars: 16_000_000,
        }
    }
}

/// Why a document was not parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The document is beyond a [`Limits`] budget (`too_large`).
    #[error("{count} {what} is beyond the parser's budget of {limit}")]
    TooLarge {
        /// What was counted: "blocks" or "bytes of text".
        what: &'static str,
        /// How many the document has.
        count: usize,
        /// The budget it passed.
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
/// Roles are assigned in this order — the order of `claims::Step`, which debug builds hold
/// every claim to — each step claiming paragraphs no earlier one claimed (the `claims`
/// module: one claim per paragraph, saying what it was read as):
/// 1. items: the numbered outline's level that carries units notes (see the `outline` module), each
///    item running to the next; else the rows of a table that lists projects; else the
///    top-level list, flagged `items_uncertain` when the outline has deeper levels; then
///    the structural doubts about them (the `doubts` module);
/// 2. the head, before the first item: document number, title (from "关于…" to the
///    line ending in a document kind such as 通知), issuers (the letterhead's organization
///    lines before the title, or the organ opening the title line), addressees (the first
///    line ending in "：");
/// 3. signature and 成文日期, 附注, 抄送, 印发, attachment notes and sections, wherever
///    they stand;
/// 4. plan title (the title-like line just before the first item), preamble (between
///    the addressees and the items) and closing (after the items, up to the first
///    element of step 3);
/// 5. head fields the body lacks, from the file's metadata (the `metadata` module).
pub fn parse_with(doc: &Document, settings: &Settings) -> Result<Notice, ParseError> {
    let limits = &settings.limits;
    if doc.blocks.len() > limits.max_blocks {
        return Err(ParseError::TooLarge {
            what: "blocks",
            count: doc.blocks.len(),
            limit: limits.max_blocks,
        });
    }
    let chars = doc.body_text_len();
    if chars > limits.max_chars {
        return Err(ParseError::TooLarge {
            what: "bytes of text",
            count: chars,
            limit: limits.max_chars,
        });
    }
    let units = collect_units(doc);
    let mut notice = Notice::default();
    let mut claims = Claims::new(&units);

    let unit_notes = items::unit_notes(&units);
    let found = find_items(&units, &unit_notes, &mut notice.warnings);
    for draft in &found.drafts {
        claims.claim_range(draft.start..=draft.end, Role::Item);
    }
    // The category and section headings the items sit under are read into `category`.
    for &h in &found.headings {
        claims.claim(h, Role::ItemHeading);
    }
    if let Some(t) = found.table {
        claims.claim(t, Role::ListTable);
    }
    // Before any other step takes a paragraph: the notes between items that no item owns.
    doubts::orphan_notes(&units, &unit_notes, &claims, &mut notice.warnings);
    let first_item = found
        .drafts
        .first()
        .map(|d| d.start)
        .or(found.table)
        .unwrap_or(units.len());

    let head = head::read(&units, first_item, &mut claims);
    notice.doc_number = head.doc_number;
    notice.title = head.title;
    notice.addressees = head.addressees;
    notice.provenance = head.provenance;
    notice.issuers = head.issuers;

    read_tail(&units, &mut claims, head.issuers_from_title, &mut notice);
    notice.items = match found.table {
        Some(t) => attachments::table_items(
            units[t].table.expect("a table"),
            units[t].prov,
            &mut notice.warnings,
        ),
        None => {
            let mut lead_rule = None;
            found
                .drafts
                .iter()
                .map(|d| items::build(&units, &unit_notes, d, &mut lead_rule, &mut notice.warnings))
                .collect()
        }
    };
    let known_units: HashSet<String> = notice
        .items
        .iter()
        .flat_map(|i| i.lead_units.iter().chain(&i.responsible_units))
        .cloned()
        .collect();
    let found_attachments =
        attachments::read(&units, &mut claims, first_item, found.table, &known_units);
    notice.attachments = found_attachments.attachments;
    notice.provenance.attachments = found_attachments.provenance;

    read_around_items(&units, &mut claims, &found, first_item, &mut notice);
    if notice.plan_title.is_none()
        && let Some((title, prov)) = found_attachments.list_title
    {
        notice.plan_title = Some(title);
        notice.provenance.plan_title = Some(prov);
    }

    check(&mut notice, found.uncertain);
    doubts::count_mismatch(&mut notice);
    if let Some(page) = &doc.info.page {
        metadata::fill_head(&mut notice, &page.info);
    }
    links::attach_hrefs(&mut notice.attachments, &doc.info.links);
    item_semantics(&mut notice, &settings.units);
    Ok(notice)
}

/// Each item's amounts and canonical unit names, and the attachment rows' names.
fn item_semantics(notice: &mut Notice, units: &UnitsTable) {
    for item in &mut notice.items {
        let mut found = Vec::new();
        quantities::find(&item.title, ItemField::Title, &mut found);
        quantities::find(&item.body, ItemField::Body, &mut found);
        item.quantities = found;
        let names: Vec<&String> = item
            .lead_units
            .iter()
            .chain(&item.responsible_units)
            .collect();
        item.canonical_units = units.map(&names);
    }
    for row in notice.attachments.iter_mut().flat_map(|a| &mut a.rows) {
        let names: Vec<&String> = row
            .lead_units
            .iter()
            .chain(&row.responsible_units)
            .collect();
        row.canonical_units = units.map(&names);
    }
}

/// The elements after the body, wherever they stand: signature and 成文日期 (the first date
/// line no earlier step took; its signing organs stand in for issuers the head did not
/// name, and for the organ opening the title line, which is often a short form:
/// "市政府办公室关于…" signed 宿迁市人民政府办公室 in fixtures/real/
/// 2026-suqian-opc-shitiao-zhengce.html), 附注, 抄送 and 印发.
fn read_tail(units: &[Unit], claims: &mut Claims, issuers_from_title: bool, notice: &mut Notice) {
    // Signature and 成文日期: the first date line that is not the head's or an item's.
    if let Some((i, (signature, date))) = first_free(units, claims, patterns::date_line) {
        notice.date = Some(date);
        notice.provenance.date = Some(units[i].prov);
        claims.claim(i, Role::Date);
        let signers = head::signatures(units, claims, i, signature);
        if (notice.issuers.is_empty() || issuers_from_title) && !signers.is_empty() {
            notice.issuers = signers;
            notice.provenance.issuer = Some(units[i].prov);
        }
    }
    // A draft or a republished page may end with "X2026年5月25日发布": X issued it, but
    // the date is its publication, no 成文日期 (fixtures/real/
    // 2026-hangzhou-aiopc-xingdong-jihua-zqyj.html).
    if notice.issuers.is_empty()
        && let Some((i, organ)) = first_free(units, claims, patterns::published_by)
    {
        claims.claim(i, Role::Publisher);
        notice.issuers = vec![organ];
        notice.provenance.issuer = Some(units[i].prov);
    }
    notice.issuer = (!notice.issuers.is_empty()).then(|| notice.issuers.join("、"));
    if let Some((i, publicity)) = first_free(units, claims, patterns::publicity) {
        notice.publicity = Some(publicity.to_string());
        notice.provenance.publicity = Some(units[i].prov);
        claims.claim(i, Role::Publicity);
    }
    if let Some((i, list)) = first_free(units, claims, |t| t.strip_prefix("抄送：")) {
        notice.provenance.cc = Some(units[i].prov);
        claims.claim(i, Role::Cc);
        // A list cut mid-name by a layout ("…，区法" / "院，区检察院。") goes on in the
        // next paragraph until its full stop.
        let mut list = list.to_string();
        let mut next = i + 1;
        while !list.ends_with('。')
            && next < units.len()
            && claims.free(next)
            && units[next].text().chars().count() <= MAX_CC_CONTINUATION_CHARS
            && patterns::printed_line(units[next].text()).is_none()
            && units[next].text().ends_with('。')
        {
            list.push_str(units[next].text());
            claims.claim(next, Role::Cc);
            next += 1;
        }
        notice.cc = patterns::split_list(&list);
    }
    if let Some((i, (by, date))) = first_free(units, claims, patterns::printed_line) {
        let by = org_line_before(units, claims, i, by);
        notice.printed = Some(Printed { by, date });
        notice.provenance.printed = Some(units[i].prov);
        claims.claim(i, Role::Printed);
    }
}

/// What stands around the items: the plan title (title-like lines just before the first
/// item), the preamble (free paragraphs before the items), the closing (free paragraphs
/// after them, up to the first taken one) and the contacts in those two.
fn read_around_items(
    units: &[Unit],
    claims: &mut Claims,
    found: &FoundItems,
    first_item: usize,
    notice: &mut Notice,
) {
    // Plan title: title-like lines just before the first item.
    if let Some(first) = found.drafts.first() {
        let mut start = first.start;
        while start > 0
            && first.start - start < MAX_PLAN_TITLE_LINES
            && claims.free(start - 1)
            && is_title_like(units[start - 1].text())
            && patterns::any_marker(units[start - 1].text()).is_none()
        {
            start -= 1;
        }
        if start < first.start {
            notice.plan_title = Some(join_texts(&units[start..first.start]));
            notice.provenance.plan_title = Some(units[start].prov);
            claims.claim_range(start..first.start, Role::PlanTitle);
        }
    }
    // Preamble: untaken paragraphs before the first item. Closing: untaken paragraphs
    // after the last item, up to the first taken unit or table.
    let preamble: Vec<usize> = (0..first_item).filter(|&i| claims.free(i)).collect();
    let last_end = found.drafts.last().map(|d| d.end).or(found.table);
    let closing: Vec<usize> = match last_end {
        Some(end) => (end + 1..units.len())
            .take_while(|&i| claims.free(i))
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
    let around: Vec<usize> = preamble.iter().chain(&closing).copied().collect();
    let (contacts, first) = contacts::read(around.iter().map(|&i| (units[i].text(), units[i].raw)));
    notice.contacts = contacts;
    notice.provenance.contacts = first.map(|k| units[around[k]].prov);
}

/// Where the items are: drafts from the outline, or the table that lists them.
struct FoundItems {
    drafts: Vec<items::ItemDraft>,
    /// The unit of the table whose rows are the items.
    table: Option<usize>,
    /// Units of the headings the items sit under (categories, the section of a 方案).
    headings: Vec<usize>,
    uncertain: bool,
}

fn find_items(
    units: &[Unit],
    unit_notes: &[Vec<notes::Note>],
    warnings: &mut Vec<Warning>,
) -> FoundItems {
    let entries = outline::entries(units.iter().map(|u| u.text.as_deref()), |i| {
        i > 0
            && (attachments::heading_number(units[i].text()).is_some()
                || patterns::date_line(units[i - 1].text()).is_some())
    });
    let noted_units: Vec<bool> = unit_notes.iter().map(|n| !n.is_empty()).collect();
    let noted: Vec<bool> = (0..entries.len())
        .map(|e| items::own_extent(units, &entries, e).any(|i| noted_units[i]))
        .collect();
    let selection = outline::select(&entries, |e| noted[e]);
    let none = FoundItems {
        drafts: Vec::new(),
        table: None,
        headings: Vec::new(),
        uncertain: false,
    };
    if !noted.iter().any(|&n| n) {
        let table = units
            .iter()
            .position(|u| u.table.is_some_and(attachments::lists_projects));
        if table.is_some() {
            return FoundItems { table, ..none };
        }
    }
    let Some(selection) = selection else {
        return none;
    };
    let mut headings: Vec<usize> = Vec::new();
    for &e in &selection.entries {
        let mut parent = entries[e].parent;
        while let Some(p) = parent {
            if !headings.contains(&entries[p].unit) {
                headings.push(entries[p].unit);
            }
            parent = entries[p].parent;
        }
    }
    FoundItems {
        drafts: items::drafts(units, &noted_units, &entries, &selection, warnings),
        table: None,
        headings,
        uncertain: selection.uncertain,
    }
}

/// The first paragraph no earlier step has taken where `read` finds something.
fn first_free<'u, T>(
    units: &'u [Unit],
    claims: &Claims,
    read: impl Fn(&'u str) -> Option<T>,
) -> Option<(usize, T)> {
    (0..units.len()).find_map(|i| {
        let found = if claims.free(i) {
            read(units[i].text())
        } else {
            None
        };
        found.map(|value| (i, value))
    })
}

/// The organization that signs a line: named on the line itself (`inline`), or alone on
/// the paragraph before it (which is then taken).
fn org_line_before(units: &[Unit], claims: &mut Claims, i: usize, inline: &str) -> Option<String> {
    if !inline.is_empty() {
        return Some(inline.to_string());
    }
    let before = i
        .checked_sub(1)
        .filter(|&b| claims.free(b) && patterns::is_org_name(units[b].text()))?;
    claims.claim(before, Role::Printed);
    Some(units[before].text().to_string())
}

/// The body blocks as units. A table that holds only organization names (and 文件) is the
/// layout of a joint letterhead or signature block, not data: its cells become paragraphs,
/// column by column.
fn collect_units(doc: &Document) -> Vec<Unit<'_>> {
    let mut units = Vec::new();
    for block in doc.body() {
        let prov = Provenance {
            page: block.prov.page,
            line: block.prov.line,
            block: block.prov.index,
            row: None,
            // Hundredths of a point are finer than print; f64 so JSON round-trips exactly.
            bbox: block
                .prov
                .bbox
                .map(|b| b.map(|v| (f64::from(v) * 100.0).round() / 100.0)),
        };
        match &block.kind {
            BlockKind::Paragraph(raw) => units.extend(paragraph_unit(raw, prov)),
            BlockKind::Table(table) if is_organ_table(table) => {
                let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
                for col in 0..columns {
                    for row in &table.rows {
                        let cell = row.get(col).map_or(&[][..], |c| &c.paragraphs[..]);
                        units.extend(cell.iter().flat_map(|p| paragraph_unit(p, prov)));
                    }
                }
            }
            BlockKind::Table(table) => units.push(Unit {
                text: None,
                raw: "",
                table: Some(table),
                prov,
            }),
            BlockKind::Furniture { .. } => {}
        }
    }
    units
}

fn paragraph_unit(raw: &str, prov: Provenance) -> Option<Unit<'_>> {
    let text = normalize::normalize_cow(raw);
    (!text.is_empty()).then_some(Unit {
        text: Some(text),
        raw,
        table: None,
        prov,
    })
}

fn is_organ_table(table: &Table) -> bool {
    let mut texts = table
        .rows
        .iter()
        .flatten()
        .flat_map(|c| &c.paragraphs)
        .map(|p| normalize(p))
        .peekable();
    texts.peek().is_some() && texts.all(|t| t == "文件" || patterns::is_org_name(&t))
}

/// A heading's length in characters: shorter is a label, longer a sentence.
const TITLE_LIKE_CHARS: std::ops::RangeInclusive<usize> = 4..=80;
/// Most lines a plan title stands on above the first item ("…行动方案" / "（2025—2027年）").
const MAX_PLAN_TITLE_LINES: usize = 3;
/// Longest line that continues a 抄送 list cut mid-name, in characters.
const MAX_CC_CONTINUATION_CHARS: usize = 60;

/// A heading: short, no sentence punctuation, not a date, organization or marker line.
fn is_title_like(text: &str) -> bool {
    let len = text.chars().count();
    TITLE_LIKE_CHARS.contains(&len)
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

/// Paragraphs that come after a list: notes, signature, 附注, attachments, 抄送, 印发.
pub(crate) fn ends_list(text: &str) -> bool {
    text.starts_with("附件")
        || text.starts_with("抄送")
        || patterns::date_line(text).is_some()
        || patterns::publicity(text).is_some()
        || patterns::printed_line(text).is_some()
        || patterns::is_org_name(text)
}

/// Splits an item's text after its marker into the heading sentence (without its "。")
/// and the rest. The first "。" outside quotes and brackets ends the heading.
pub(crate) fn split_heading(text: &str) -> (&str, &str) {
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

/// Document-level warnings: date, items, and items against the attachment table.
fn check(notice: &mut Notice, uncertain: bool) {
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
    if uncertain {
        notice.warnings.push(Warning {
            code: WarningCode::ItemsUncertain,
            message: "no numbered list carries units notes and no table lists the projects: \
                      the top-level list was kept as items, though it may be the document's sections"
                .into(),
            item: None,
        });
    }
    if let Some(table) = notice.attachments.iter().find(|a| !a.rows.is_empty()) {
        attachments::fill_deadlines(&mut notice.items, table);
        let found = attachments::compare(&notice.items, table);
        notice.warnings.extend(found);
    }
}
