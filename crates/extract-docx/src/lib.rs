//! DOCX → block model.
//!
//! [`DocxExtractor`] turns the bytes of a `.docx` (WordprocessingML in a ZIP container) into a
//! [`docmodel::Document`]: body paragraphs and tables in document order, and everything outside
//! the body flow (headers, footers, page numbers, footnotes, endnotes, comments, text boxes) as
//! [`BlockKind::Furniture`].
//!
//! How the work is split (numbers and reasons in the crate README):
//! - the ZIP container is opened with the `zip` crate and every part is read through the
//!   capped reader of the shared `zip-container` crate ([`Limits`]): declared sizes are
//!   checked, actual inflation is cut off with `take()`;
//! - `word/document.xml`, headers, footers, notes, comments, `docProps/core.xml` and the style
//!   table are streamed with `quick-xml` (one pass, no tree); a part that is not well-formed XML
//!   is a typed error;
//! - `word/numbering.xml` is parsed by docx-rs (`Numberings::from_xml`) once it has passed a
//!   quick-xml well-formedness check (truncated XML makes docx-rs loop forever); docx-rs does not
//!   render list labels, so the counters and number formats are computed here (module `numbering`).
//!
//! The extractor knows nothing of notices.
//!
//! ```
//! use docmodel::Extractor;
//! let bytes = std::fs::read("../../corpus/2025-zibo.docx")?;
//! let doc = extract_docx::DocxExtractor::default().extract(&bytes)?;
//! assert_eq!(doc.format, docmodel::Format::Docx);
//! assert!(doc.body().count() > 10, "paragraphs and tables of the notice");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod numbering;
mod props;
mod story;
mod styles;
mod xml;

use std::panic::{AssertUnwindSafe, catch_unwind};

use docmodel::{
    Block, BlockKind, Cell, CodedError, Document, ErrorCode, ExtractError, Extractor, Format,
    FurnitureRole, InputError, Provenance, Table,
};

use numbering::{Counters, NumDefs};
use story::{Node, PageMode, Para, Story, StoryKind, TableNode, VMerge};
use styles::StyleTable;
pub use word_lists::MAX_LABEL_CHARS;
use zip_container::Package;

const MIB: u64 = 1024 * 1024;

/// Resource limits of [`DocxExtractor`]. Input beyond any of them is refused with
/// [`ErrorCode::TooLarge`] before the work (or the allocation) happens.
///
/// | field | default | what it bounds |
/// |---|---|---|
/// | `max_input_bytes` | 64 MiB | size of the `.docx` file itself |
/// | `max_entries` | 10,000 | entries in the ZIP central directory |
/// | `max_part_bytes` | 64 MiB | inflated size of any one part we read (declared and actual) |
/// | `max_total_bytes` | 256 MiB | inflated size of all parts we read, summed |
/// | `max_table_depth` | 16 | tables nested inside table cells |
///
/// A fixed bound: a rendered list label is cut at [`MAX_LABEL_CHARS`] (64) characters, so a
/// `lvlText` of thousands of `%1` costs no more than a real one.
///
/// Only the parts the extractor needs are ever inflated (document, its relationships, headers,
/// footers, notes, comments, numbering, core properties, and the style table when a numbered
/// style is in play); images and other media are never read, whatever their size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest `.docx` accepted, in bytes. Default 64 MiB.
    pub max_input_bytes: u64,
    /// Most entries the ZIP may list (checked on the end-of-central-directory record's claim
    /// before the ZIP reader allocates for it). Default 10,000.
    pub max_entries: usize,
    /// Largest inflated size of one part, in bytes. A part declaring more is refused
    /// unread; a part inflating past it (a lying header) is cut off and refused. Default 64 MiB.
    pub max_part_bytes: u64,
    /// Largest inflated size of all parts read, summed. Default 256 MiB.
    pub max_total_bytes: u64,
    /// Deepest nesting of tables (a table in a cell of a table is depth 2). Default 16.
    pub max_table_depth: usize,
}

impl Limits {
    /// The documented defaults (see the table on [`Limits`]).
    pub const DEFAULT: Limits = Limits {
        max_input_bytes: 64 * MIB,
        max_entries: 10_000,
        max_part_bytes: 64 * MIB,
        max_total_bytes: 256 * MIB,
        max_table_depth: 16,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

impl Limits {
    /// The ZIP reader's share of these limits.
    fn zip(&self) -> zip_container::Limits {
        zip_container::Limits {
            max_entries: self.max_entries,
            max_part_bytes: self.max_part_bytes,
            max_total_bytes: self.max_total_bytes,
        }
    }
}

impl From<zip_container::Error> for Error {
    fn from(e: zip_container::Error) -> Self {
        match e {
            zip_container::Error::Corrupt(m) => Error::CorruptZip(m),
            zip_container::Error::TooLarge(m) => Error::TooLarge(m),
        }
    }
}

/// Why a DOCX was refused. Each variant maps to one [`ErrorCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Zero bytes or only white space, or beyond [`Limits::max_input_bytes`]: refused
    /// unread ([`docmodel::check_input`]).
    #[error(transparent)]
    Input(#[from] InputError),
    /// Not a readable ZIP archive (truncated, bad central directory, unreadable entry).
    #[error("not a readable ZIP archive: {0}")]
    CorruptZip(String),
    /// A ZIP that is not a Word document (no main document part).
    #[error("not a Word document: {0}")]
    Unsupported(String),
    /// A part that is not well-formed XML.
    #[error("{part} is not well-formed XML: {reason}")]
    MalformedXml {
        /// The part's path in the ZIP ("word/document.xml").
        part: String,
        /// What the XML reader found wrong.
        reason: String,
    },
    /// A part docx-rs refused.
    #[error("{part} was refused by docx-rs: {reason}")]
    Refused {
        /// The part's path in the ZIP ("word/document.xml").
        part: String,
        /// docx-rs's error, in its words.
        reason: String,
    },
    /// Beyond a [`Limits`] bound; the message says which.
    #[error("{0}")]
    TooLarge(String),
    /// docx-rs panicked; caught.
    #[error("docx-rs panicked reading {part}: {reason}")]
    Panic {
        /// The part's path in the ZIP ("word/document.xml").
        part: String,
        /// The panic's message.
        reason: String,
    },
}

impl CodedError for Error {
    fn code(&self) -> ErrorCode {
        match self {
            Error::Input(e) => e.code(),
            Error::CorruptZip(_) => ErrorCode::CorruptZip,
            Error::Unsupported(_) => ErrorCode::UnsupportedFormat,
            Error::MalformedXml { .. } | Error::Refused { .. } => ErrorCode::CorruptDocx,
            Error::TooLarge(_) => ErrorCode::TooLarge,
            Error::Panic { .. } => ErrorCode::ExtractPanic,
        }
    }
}

/// The DOCX extractor. `DocxExtractor::default()` uses [`Limits::DEFAULT`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocxExtractor {
    /// The resource limits it reads under.
    pub limits: Limits,
}

impl DocxExtractor {
    /// An extractor reading under `limits`.
    pub fn new(limits: Limits) -> Self {
        DocxExtractor { limits }
    }

    /// Like [`Extractor::extract`] but with this crate's typed error.
    pub fn extract_docx(&self, bytes: &[u8]) -> Result<Document, Error> {
        extract(bytes, &self.limits)
    }
}

impl Extractor for DocxExtractor {
    fn format(&self) -> Format {
        Format::Docx
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["docx"]
    }

    /// A ZIP holding `word/document.xml`, or an Office package with a `word/` folder (whose
    /// main part the reader finds through its relationships) — or a ZIP that cannot be
    /// opened at all, which this reader then explains (`corrupt_zip`, `too_large`).
    fn recognizes(&self, bytes: &[u8]) -> bool {
        if !zip_container::has_zip_magic(bytes) {
            return false;
        }
        match zip_container::peek(bytes) {
            Err(_) => true,
            Ok(pkg) => {
                !pkg.contains("OFD.xml")
                    && (pkg.contains("word/document.xml")
                        || (pkg.contains("[Content_Types].xml")
                            && pkg.names().any(|n| n.starts_with("word/"))))
            }
        }
    }

    fn extract(&self, bytes: &[u8]) -> Result<Document, ExtractError> {
        Ok(self.extract_docx(bytes)?)
    }
}

const REL_OFFICE_DOCUMENT: &str = "officeDocument";
const REL_CORE_PROPERTIES: &str = "core-properties";

/// The document of a DOCX's `bytes`: the package's parts read in the order a reader meets
/// them. Long because it is that order, written once: relationships, the main part, numbering
/// and styles when a paragraph can be numbered, core properties, headers, body, footers, notes.
fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    docmodel::check_input(bytes, limits.max_input_bytes)?;
    let mut pkg = Package::open(bytes, &limits.zip())?;

    // Package relationships: where the main document and the core properties live.
    let pkg_rels = match pkg.read("_rels/.rels")? {
        Some(x) => xml::parse_rels("_rels/.rels", "", &x)?,
        None => Vec::new(),
    };
    let main = pkg_rels
        .iter()
        .find(|r| r.kind == REL_OFFICE_DOCUMENT && pkg.contains(&r.target))
        .map(|r| r.target.clone())
        .unwrap_or_else(|| "word/document.xml".to_owned());
    let Some(doc_xml) = pkg.read(&main)? else {
        return Err(Error::Unsupported(format!(
            "the ZIP has no {main} (a Word document's main part)"
        )));
    };

    // Pages are reported only where Word recorded its layout (lastRenderedPageBreak).
    // Explicit breaks alone give a lower bound, not the page a reader sees: no page then.
    let page_mode = if memchr::memmem::find(&doc_xml, b"lastRenderedPageBreak").is_some() {
        PageMode::Rendered
    } else {
        PageMode::Explicit
    };
    let body = story::parse(&main, &doc_xml, StoryKind::Body, page_mode, limits)?;
    if body.root != "document" {
        return Err(Error::Unsupported(format!(
            "{main} has root element <{}>, not a WordprocessingML <w:document>",
            body.root
        )));
    }
    drop(doc_xml);

    let rels_path = xml::rels_path_for(&main);
    let doc_rels = match pkg.read(&rels_path)? {
        Some(x) => xml::parse_rels(&rels_path, zip_container::dir_of(&main), &x)?,
        None => Vec::new(),
    };
    let target_of = |kind: &str| -> Vec<String> {
        let mut v: Vec<String> = doc_rels
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.target.clone())
            .collect();
        v.sort_by_key(|a| natural_key(a));
        v.dedup();
        v
    };

    // Automatic numbering: only read numbering.xml (and styles.xml) when a body paragraph
    // can be numbered at all.
    let mut want_styles = false;
    let mut want_numbering = false;
    body.for_each_para(&mut |p| {
        want_numbering |= p.num_id.is_some() || p.style.is_some();
        want_styles |= p.style.is_some();
    });
    let mut defs = None;
    if want_numbering
        && let Some(path) = target_of("numbering").into_iter().next()
        && let Some(x) = pkg.read(&path)?
    {
        defs = Some(read_numbering(&path, &x)?);
    }
    let mut style_table = StyleTable::default();
    if want_styles
        && defs.is_some()
        && let Some(path) = target_of("styles").into_iter().next()
        && let Some(x) = pkg.read(&path)?
    {
        style_table = styles::parse(&path, &x)?;
    }

    let mut doc = Document::new(Format::Docx);

    // Core properties.
    let core = pkg_rels
        .iter()
        .find(|r| r.kind == REL_CORE_PROPERTIES)
        .map(|r| r.target.clone())
        .unwrap_or_else(|| "docProps/core.xml".to_owned());
    if let Some(x) = pkg.read(&core)? {
        let p = props::parse(&core, &x)?;
        doc.info.title = p.title;
        doc.info.author = p.author;
        doc.info.created = p.created;
    }

    // Headers first (they open every page), then the body, then footers and notes.
    for path in target_of("header") {
        if let Some(x) = pkg.read(&path)? {
            let s = story::parse(&path, &x, StoryKind::HeaderFooter, PageMode::None, limits)?;
            push_page_furniture(&mut doc, &s, FurnitureRole::Header);
        }
    }

    let mut counters = Counters::new(defs.as_ref(), &style_table);
    let mut boxes = body.text_boxes.iter().peekable();
    for (i, node) in body.nodes.iter().enumerate() {
        match node {
            Node::Para(p) => {
                let text = counters.render(p);
                doc.push(BlockKind::Paragraph(text), page_prov(page_mode, p.page));
            }
            Node::Table(t) => {
                let page = t.first_page().unwrap_or(1);
                let table = render_table(t, &mut counters);
                doc.push(BlockKind::Table(table), page_prov(page_mode, page));
            }
        }
        // A text box anchored in this paragraph (or before the next) follows it.
        while let Some((_, text)) = boxes.next_if(|(at, _)| *at <= i) {
            push_furniture(&mut doc, FurnitureRole::TextBox, text.clone());
        }
    }
    for (_, text) in boxes {
        push_furniture(&mut doc, FurnitureRole::TextBox, text.clone());
    }

    for path in target_of("footer") {
        if let Some(x) = pkg.read(&path)? {
            let s = story::parse(&path, &x, StoryKind::HeaderFooter, PageMode::None, limits)?;
            push_page_furniture(&mut doc, &s, FurnitureRole::Footer);
        }
    }
    for (kind, role) in [
        ("footnotes", FurnitureRole::Footnote),
        ("endnotes", FurnitureRole::Endnote),
        ("comments", FurnitureRole::Comment),
    ] {
        for path in target_of(kind) {
            if let Some(x) = pkg.read(&path)? {
                let s = story::parse(&path, &x, StoryKind::Notes, PageMode::None, limits)?;
                for group in s.groups() {
                    let mut lines = Vec::new();
                    story::flatten(group, &mut |p| lines.push(p.text.clone()));
                    push_furniture(&mut doc, role, lines.join("\n"));
                }
                for (_, text) in &s.text_boxes {
                    push_furniture(&mut doc, FurnitureRole::TextBox, text.clone());
                }
            }
        }
    }
    Ok(doc)
}

/// Parses numbering.xml with docx-rs, after a well-formedness pass (docx-rs loops forever on
/// truncated XML) and under `catch_unwind` (docx-rs indexes attributes without checking).
fn read_numbering(path: &str, x: &[u8]) -> Result<NumDefs, Error> {
    xml::check_well_formed(path, x)?;
    use docx_rs::FromXML;
    let parsed = catch_unwind(AssertUnwindSafe(|| docx_rs::Numberings::from_xml(x)));
    match parsed {
        Ok(Ok(n)) => Ok(numbering::from_docx_rs(&n)),
        Ok(Err(e)) => Err(Error::Refused {
            part: path.to_owned(),
            reason: e.to_string(),
        }),
        Err(panic) => Err(Error::Panic {
            part: path.to_owned(),
            reason: docmodel::panic_message(&*panic),
        }),
    }
}

/// Furniture text is trimmed (a footnote's text follows its reference mark and a space).
fn push_furniture(doc: &mut Document, role: FurnitureRole, text: String) {
    let text = text.trim().to_owned();
    doc.push(BlockKind::Furniture { role, text }, Provenance::default());
}

/// Header/footer paragraphs: one furniture block each; a paragraph holding a PAGE-type field
/// is a page number.
fn push_page_furniture(doc: &mut Document, s: &Story, role: FurnitureRole) {
    let mut paras: Vec<(bool, String)> = Vec::new();
    for node in &s.nodes {
        story::flatten(std::slice::from_ref(node), &mut |p| {
            paras.push((p.page_field, p.text.clone()))
        });
    }
    for (page_field, text) in paras {
        let role = if page_field {
            FurnitureRole::PageNumber
        } else {
            role
        };
        push_furniture(doc, role, text);
    }
    for (_, text) in &s.text_boxes {
        push_furniture(doc, FurnitureRole::TextBox, text.clone());
    }
}

/// A table node → the block model's table: one `Cell` per grid column, so columns line up;
/// a merged cell's text is in its first row and column, the cells it covers are empty.
fn render_table(t: &TableNode, counters: &mut Counters) -> Table {
    let mut rows = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let mut cells = Vec::with_capacity(row.len());
        for c in row {
            let mut cell = Cell::default();
            if c.vmerge != VMerge::Continue && !c.hcontinue {
                story::flatten(&c.content, &mut |p: &Para| {
                    cell.paragraphs.push(counters.render(p))
                });
            }
            cells.push(cell);
            for _ in 1..c.span.max(1) {
                cells.push(Cell::default());
            }
        }
        rows.push(cells);
    }
    Table::new(rows)
}

/// Sort key putting "header10.xml" after "header2.xml": the name without its last run of
/// digits, and that number.
fn natural_key(s: &str) -> (String, u64) {
    let end = s.rfind(|c: char| c.is_ascii_digit()).map_or(0, |i| i + 1);
    let start = s[..end]
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .len();
    let n = s[start..end].parse().unwrap_or(0);
    (format!("{}{}", &s[..start], &s[end..]), n)
}

/// Blocks of one kind, for tests and callers that want them.
pub fn paragraphs(doc: &Document) -> impl Iterator<Item = &str> {
    doc.blocks.iter().filter_map(|b: &Block| match &b.kind {
        BlockKind::Paragraph(t) => Some(t.as_str()),
        _ => None,
    })
}

/// A body block's provenance: its page where Word's rendered page breaks tell it.
fn page_prov(mode: PageMode, page: u32) -> Provenance {
    match mode {
        PageMode::Rendered => Provenance::page(page),
        PageMode::Explicit | PageMode::None => Provenance::default(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn natural_key_orders_numbered_parts() {
        let mut v = vec![
            "word/页眉2.xml",
            "word/页眉1.xml",
            "word/header10.xml",
            "word/header2.xml",
            "word/header.xml",
            "word/header1.xml",
        ];
        v.sort_by_key(|s| super::natural_key(s));
        assert_eq!(
            v,
            [
                "word/header.xml",
                "word/header1.xml",
                "word/header2.xml",
                "word/header10.xml",
                "word/页眉1.xml",
                "word/页眉2.xml",
            ]
        );
    }
}
