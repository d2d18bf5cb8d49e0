//! Legacy Word binary (.doc, and Kingsoft WPS's .wps, which is the same format) → block model.
//!
//! [`DocExtractor`] reads a Word 97–2003 document out of its compound file (OLE2/CFB, opened
//! with the `cfb` crate): the FIB at the start of the `WordDocument` stream, the piece table
//! (CLX) in the `0Table`/`1Table` stream, the text of each piece (8-bit cp1252 or UTF-16LE),
//! paragraph properties from the PAPX bin table and its FKP pages, deleted and hidden runs
//! from the CHPX pages (tracked changes show their final text), the style sheet, and the
//! list tables. Body paragraphs and tables come out in document order; headers, footers,
//! footnotes, endnotes, comments and text boxes (their own CP ranges) as furniture.
//! Automatic list numbering is drawn by the `word-lists` crate, the same code as for DOCX.
//!
//! Other compound files are refused with what they are: Word 6/95 (older FIB), Microsoft
//! Works (`CONTENTS`, the other `.wps`), Excel, PowerPoint, an encrypted OOXML file.
//!
//! The extractor knows nothing of notices.
//!
//! ```
//! use docmodel::Extractor;
//! let bytes = std::fs::read("../../fixtures/doc/2025-zibo.wps")?;
//! let doc = extract_doc::DocExtractor::default().extract(&bytes)?;
//! assert_eq!(doc.format, docmodel::Format::Doc);
//! assert!(doc.body().count() > 10, "paragraphs and tables of the notice");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bytes;
mod chars;
mod container;
mod fib;
mod lists;
mod props;
mod story;
mod summary;
mod table;
mod text;

use docmodel::{
    BlockKind, CodedError, Document, ErrorCode, ExtractError, Extractor, Format, FurnitureRole,
    InputError, Provenance,
};

use container::{Container, Kind};
use fib::{Fib, StoryKind, pair};
use props::{Papx, Styles};
use story::Para;
use text::Text;

const MIB: u64 = 1024 * 1024;

/// The compound-file signature.
pub const OLE2_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Resource limits of [`DocExtractor`]. Input beyond any of them is refused with
/// [`ErrorCode::TooLarge`] before the work (or the allocation) happens.
///
/// | field | default | what it bounds |
/// |---|---|---|
/// | `max_input_bytes` | 64 MiB | size of the file |
/// | `max_stream_bytes` | 64 MiB | one stream read from the compound file (declared and actual) |
/// | `max_pieces` | 100,000 | pieces in the piece table |
/// | `max_chars` | 16 Mi | characters (CPs) of all stories together |
/// | `max_paragraphs` | 1,000,000 | paragraphs (and paragraph property runs) |
///
/// Everything else the reader does is one pass over these, so they bound its time too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_input_bytes: u64,
    /// Largest stream read from the compound file, in bytes (declared and actual).
    pub max_stream_bytes: u64,
    /// Most pieces in the piece table.
    pub max_pieces: usize,
    /// Most characters (CPs) of all stories together.
    pub max_chars: usize,
    /// Most paragraphs (and paragraph property runs).
    pub max_paragraphs: usize,
}

impl Limits {
    /// The documented defaults (see the table on [`Limits`]).
    pub const DEFAULT: Limits = Limits {
        max_input_bytes: 64 * MIB,
        max_stream_bytes: 64 * MIB,
        max_pieces: 100_000,
        max_chars: 16 << 20,
        max_paragraphs: 1_000_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Why a `.doc` was refused. Each variant maps to one [`ErrorCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Zero bytes or only white space, or beyond [`Limits::max_input_bytes`]: refused
    /// unread ([`docmodel::check_input`]).
    #[error(transparent)]
    Input(#[from] InputError),
    /// Not a compound file, or one `cfb` cannot read (truncated, bad FAT, cyclic chain).
    #[error("not a readable OLE2 compound file: {0}")]
    CorruptOle(String),
    /// A compound file holding something other than a Word 97–2003 document; names it.
    #[error("{what} is not a format noticepipe reads{hint}")]
    Unsupported {
        /// What the file is, in words ("an Excel workbook (.xls)").
        what: String,
        /// What to do about it, appended to the message (": save it as …"), or "".
        hint: &'static str,
    },
    /// Encrypted or obfuscated with a password.
    #[error("{0}")]
    Encrypted(String),
    /// A Word document whose structures cannot be read (FIB, piece table, table stream).
    #[error("{0}")]
    Corrupt(String),
    /// Beyond a [`Limits`] bound; the message says which.
    #[error("{0}")]
    TooLarge(String),
    /// `cfb` panicked; caught.
    #[error("{0}")]
    Panic(String),
}

impl CodedError for Error {
    fn code(&self) -> ErrorCode {
        match self {
            Error::Input(e) => e.code(),
            Error::CorruptOle(_) | Error::Corrupt(_) => ErrorCode::CorruptDoc,
            Error::Unsupported { .. } => ErrorCode::UnsupportedFormat,
            Error::Encrypted(_) => ErrorCode::Encrypted,
            Error::TooLarge(_) => ErrorCode::TooLarge,
            Error::Panic(_) => ErrorCode::ExtractPanic,
        }
    }
}

/// The DOC extractor. `DocExtractor::default()` uses [`Limits::DEFAULT`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocExtractor {
    /// The resource limits it reads under.
    pub limits: Limits,
}

impl DocExtractor {
    /// An extractor reading under `limits`.
    pub fn new(limits: Limits) -> Self {
        DocExtractor { limits }
    }

    /// Like [`Extractor::extract`] but with this crate's typed error.
    pub fn extract_doc(&self, bytes: &[u8]) -> Result<Document, Error> {
        extract(bytes, &self.limits)
    }
}

impl Extractor for DocExtractor {
    fn format(&self) -> Format {
        Format::Doc
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["doc", "wps"]
    }

    /// An OLE2 compound file. The reader decides what it holds: a Word 97–2003 document is
    /// read; Word 6/95, Works, Excel, PowerPoint are `unsupported_format` naming what they
    /// are, an encrypted Office file `encrypted`. Kingsoft WPS saves `.wps` in this format.
    fn recognizes(&self, bytes: &[u8]) -> bool {
        bytes.starts_with(OLE2_MAGIC)
    }

    fn extract(&self, bytes: &[u8]) -> Result<Document, ExtractError> {
        Ok(self.extract_doc(bytes)?)
    }
}

/// What the reader needs of an opened document.
struct Parts {
    fib: Fib,
    text: Text,
    papx: Papx,
    unshown: chars::Unshown,
    styles: Styles,
    lists: word_lists::ListDefs,
    table: Vec<u8>,
}

impl Parts {
    fn story_source(&self) -> story::Source<'_> {
        story::Source {
            text: &self.text,
            papx: &self.papx,
            unshown: &self.unshown,
        }
    }
}

fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    docmodel::check_input(bytes, limits.max_input_bytes)?;
    if !bytes.starts_with(OLE2_MAGIC) {
        return Err(Error::CorruptOle(
            "the file does not start with the OLE2 signature".to_owned(),
        ));
    }
    let mut cf = Container::open(bytes)?;
    let word = match cf.kind() {
        Kind::Word => cf
            .read("WordDocument", limits)?
            .ok_or_else(|| Error::Corrupt("no WordDocument stream".to_owned()))?,
        other => return Err(refuse(other)),
    };
    let parts = open_word(&mut cf, &word, limits)?;
    let mut doc = Document::new(Format::Doc);
    // Document properties are a nicety: a set that cannot be read is left out.
    if let Ok(Some(set)) = cf.read("\u{5}SummaryInformation", limits) {
        summary::read(&set, &mut doc.info);
    }
    build(&mut doc, &parts, limits)?;
    Ok(doc)
}

/// The error for a compound file that is not a Word document, naming what it is.
fn refuse(kind: Kind) -> Error {
    match kind {
        // Not called for Word (the caller reads it); kept total rather than panicking.
        Kind::Word => Error::Corrupt("a Word document refused".to_owned()),
        Kind::Works => unsupported(
            "a Microsoft Works word-processor document (a .wps with a CONTENTS stream, not \
             Kingsoft WPS's Word format)"
                .to_owned(),
            "",
        ),
        Kind::Excel => unsupported("an Excel workbook (.xls)".to_owned(), ""),
        Kind::PowerPoint => unsupported("a PowerPoint presentation (.ppt)".to_owned(), ""),
        Kind::EncryptedOoxml => Error::Encrypted(
            "an Office document encrypted with a password (an OOXML file in an \
             EncryptedPackage stream): open it in Word or WPS and save it without a password"
                .to_owned(),
        ),
        Kind::Other(names) => unsupported(
            format!(
                "an OLE2 compound file that is not a Word document (streams: {})",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            ),
            "",
        ),
    }
}

fn unsupported(what: String, hint: &'static str) -> Error {
    Error::Unsupported { what, hint }
}

/// The FIB (version, encryption), the table stream and what the reader takes from it.
fn open_word(cf: &mut Container, word: &[u8], limits: &Limits) -> Result<Parts, Error> {
    let (ident, n_fib) = fib::version(word)?;
    if !fib::is_word_ident(ident) {
        return Err(Error::Corrupt(format!(
            "the WordDocument stream does not start with a Word FIB (wIdent 0x{ident:04X})"
        )));
    }
    if n_fib < fib::NFIB_WORD97 {
        let what = if n_fib >= 101 {
            "a Word 6.0/95 document"
        } else {
            "a Word document older than Word 97"
        };
        return Err(unsupported(
            format!("{what} (FIB version nFib {n_fib}; Word 97–2003 is 193 and later)"),
            ": save it as Word 97-2003 .doc or as .docx",
        ));
    }
    let fib = Fib::parse(word)?;
    if fib.encrypted || fib.obfuscated {
        return Err(Error::Encrypted(format!(
            "the document is {} with a password (fEncrypted): open it in Word or WPS and \
             save it without one",
            if fib.obfuscated {
                "XOR-obfuscated"
            } else {
                "encrypted"
            }
        )));
    }
    let table_name = if fib.table_1 { "1Table" } else { "0Table" };
    let table = cf.read(table_name, limits)?.ok_or_else(|| {
        Error::Corrupt(format!(
            "the FIB names the {table_name} stream, which is missing"
        ))
    })?;
    let clx = bytes::region(&table, fib.pair(pair::CLX)).ok_or_else(|| {
        Error::Corrupt(format!(
            "the piece table (CLX) is outside the {table_name} stream"
        ))
    })?;
    let cp_total = fib.ccp.iter().fold(0u32, |a, c| a.saturating_add(*c));
    // A document with any story besides the main text ends with one more paragraph mark.
    let cp_total = cp_total.saturating_add(u32::from(cp_total > fib.ccp[0]));
    let text = Text::read(word, clx, cp_total, limits)?;
    let mut papx = Papx::read(
        word,
        bytes::region(&table, fib.pair(pair::PLCF_BTE_PAPX)),
        limits,
    )?;
    // The Data stream holds pictures too: read only when properties are kept there.
    if papx.needs_data()
        && let Some(data) = cf.read("Data", limits)?
    {
        papx.resolve_huge(&data);
    }
    let unshown = chars::Unshown::read(
        word,
        bytes::region(&table, fib.pair(pair::PLCF_BTE_CHPX)),
        limits,
    )?;
    let styles = Styles::read(&table, fib.pair(pair::STSHF));
    let lists = lists::read(&table, fib.pair(pair::PLF_LST), fib.pair(pair::PLF_LFO));
    Ok(Parts {
        fib,
        text,
        papx,
        unshown,
        styles,
        lists,
        table,
    })
}

/// Headers, the body, text boxes, footers, then notes and comments (the DOCX reader's order).
fn build(doc: &mut Document, p: &Parts, limits: &Limits) -> Result<(), Error> {
    let mut count = 0usize;
    let story = |kind: StoryKind, count: &mut usize| {
        story::paragraphs(p.story_source(), p.fib.story(kind), limits, count)
    };
    let headers = story(StoryKind::Headers, &mut count)?;
    let (hdr_start, _) = p.fib.story(StoryKind::Headers);
    let hdd = header_stories(&p.table, p.fib.pair(pair::PLCF_HDD), hdr_start);
    push_header_footer(doc, p, &hdd, limits, true, &mut count)?;
    let main = story(StoryKind::Main, &mut count)?;
    let mut counters = word_lists::Counters::new(&p.lists);
    push_body(doc, main, p, &mut counters);
    for kind in [StoryKind::TextBoxes, StoryKind::HeaderTextBoxes] {
        for para in story(kind, &mut count)? {
            push_furniture(doc, FurnitureRole::TextBox, para.text);
        }
    }
    if hdd.is_empty() {
        for para in headers {
            push_furniture(doc, role_of(&para, FurnitureRole::Header), para.text);
        }
    } else {
        push_header_footer(doc, p, &hdd, limits, false, &mut count)?;
    }
    for (kind, plc, role) in [
        (
            StoryKind::Footnotes,
            pair::PLCFFND_TXT,
            FurnitureRole::Footnote,
        ),
        (
            StoryKind::Endnotes,
            pair::PLCFEND_TXT,
            FurnitureRole::Endnote,
        ),
        (
            StoryKind::Comments,
            pair::PLCFAND_TXT,
            FurnitureRole::Comment,
        ),
    ] {
        let (start, end) = p.fib.story(kind);
        let cps = bytes::region(&p.table, p.fib.pair(plc))
            .map(|plc| bytes::plc_cps(plc, 0))
            .unwrap_or_default();
        for (a, b) in note_ranges(&cps, start, end) {
            let paras = story::paragraphs(p.story_source(), (a, b), limits, &mut count)?;
            let text: Vec<String> = paras.into_iter().map(|p| p.text).collect();
            push_furniture(doc, role, text.join("\n"));
        }
    }
    Ok(())
}

/// One CP range per note: the PLC's CPs are relative to the story; without a PLC, the
/// whole story is one note.
fn note_ranges(cps: &[u32], start: u32, end: u32) -> Vec<(u32, u32)> {
    if start >= end {
        return Vec::new();
    }
    if cps.len() < 2 {
        return vec![(start, end)];
    }
    cps.windows(2)
        .map(|w| {
            (
                start.saturating_add(w[0]),
                start.saturating_add(w[1]).min(end),
            )
        })
        .filter(|(a, b)| a < b)
        .collect()
}

/// The header story's sub-stories from PlcfHdd: six separators (skipped), then per
/// section even/odd/first headers and footers. `(start, end, is_header)`.
fn header_stories(table: &[u8], plcf_hdd: (u32, u32), base: u32) -> Vec<(u32, u32, bool)> {
    let Some(plc) = bytes::region(table, plcf_hdd) else {
        return Vec::new();
    };
    // PlcfHdd has no data elements: every 4 bytes is a CP.
    let cps = bytes::plc_cps(plc, 0);
    cps.windows(2)
        .enumerate()
        .skip(6)
        .filter(|(_, w)| w[0] < w[1])
        .map(|(i, w)| {
            // 0 even header, 1 odd header, 2 even footer, 3 odd footer, 4 first header,
            // 5 first footer.
            let k = (i - 6) % 6;
            (
                base.saturating_add(w[0]),
                base.saturating_add(w[1]),
                matches!(k, 0 | 1 | 4),
            )
        })
        .collect()
}

fn push_header_footer(
    doc: &mut Document,
    p: &Parts,
    hdd: &[(u32, u32, bool)],
    limits: &Limits,
    headers: bool,
    count: &mut usize,
) -> Result<(), Error> {
    let role = if headers {
        FurnitureRole::Header
    } else {
        FurnitureRole::Footer
    };
    for &(a, b, _) in hdd.iter().filter(|h| h.2 == headers) {
        for para in story::paragraphs(p.story_source(), (a, b), limits, count)? {
            push_furniture(doc, role_of(&para, role), para.text);
        }
    }
    Ok(())
}

fn role_of(para: &Para, role: FurnitureRole) -> FurnitureRole {
    if para.page_field {
        FurnitureRole::PageNumber
    } else {
        role
    }
}

/// Body paragraphs and tables, labels drawn in front of numbered paragraphs.
fn push_body(doc: &mut Document, main: Vec<Para>, p: &Parts, counters: &mut word_lists::Counters) {
    let mut rows: Vec<table::Row> = Vec::new();
    let mut cells: Vec<Vec<String>> = Vec::new();
    let mut cell: Vec<String> = Vec::new();
    for para in main {
        let text = render(&para, p, counters);
        let in_table = para.props.in_table || para.props.itap > 0;
        if !in_table && (!rows.is_empty() || !cells.is_empty() || !cell.is_empty()) {
            end_table(doc, &mut rows, &mut cells, &mut cell);
        }
        // Nested tables (itap > 1) are flattened into their cell, as the DOCX reader does.
        let top = para.props.itap <= 1;
        if !in_table {
            doc.push(BlockKind::Paragraph(text), Provenance::default());
        } else if top && para.cell_end && para.props.ttp {
            if !cell.is_empty() {
                cells.push(std::mem::take(&mut cell));
            }
            rows.push(table::Row {
                cells: std::mem::take(&mut cells),
                def: para.props.row,
            });
        } else if top && para.cell_end {
            cell.push(text);
            cells.push(std::mem::take(&mut cell));
        } else {
            cell.push(text);
        }
    }
    end_table(doc, &mut rows, &mut cells, &mut cell);
}

fn end_table(
    doc: &mut Document,
    rows: &mut Vec<table::Row>,
    cells: &mut Vec<Vec<String>>,
    cell: &mut Vec<String>,
) {
    if !cell.is_empty() {
        cells.push(std::mem::take(cell));
    }
    if !cells.is_empty() {
        rows.push(table::Row {
            cells: std::mem::take(cells),
            def: None,
        });
    }
    if !rows.is_empty() {
        let t = table::render(std::mem::take(rows));
        doc.push(BlockKind::Table(t), Provenance::default());
    }
}

/// The paragraph's text with its list label in front: its own ilfo/ilvl, else its style's.
fn render(para: &Para, p: &Parts, counters: &mut word_lists::Counters) -> String {
    let (style_lfo, style_lvl) = p.styles.numbering(para.props.istd);
    let ilfo = para.props.ilfo.or(style_lfo).unwrap_or(0);
    let label = match p.lists.nums.get(&(ilfo as u32)) {
        Some(num) if ilfo != 0 => {
            let ilvl = para.props.ilvl.or(style_lvl).unwrap_or(0) as usize;
            counters.label(ilfo as u32, num.abstract_id, ilvl)
        }
        _ => None,
    };
    match label {
        Some(l) => l + &para.text,
        None => para.text.clone(),
    }
}

/// Furniture text is trimmed (a footnote's text follows its reference mark and a space).
fn push_furniture(doc: &mut Document, role: FurnitureRole, text: String) {
    let text = text.trim().to_owned();
    doc.push(BlockKind::Furniture { role, text }, Provenance::default());
}

pub(crate) use docmodel::human_size as human;
