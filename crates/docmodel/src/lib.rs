//! The block model: what every extractor produces and the notice parser reads.
//!
//! A [`Document`] is a flat sequence of [`Block`]s in reading order. A block is a body
//! paragraph, a table, or furniture (text outside the body flow: running headers,
//! page numbers, footnotes, text boxes). Every block carries [`Provenance`], so a record
//! field can say where it came from.
//!
//! Invariants an extractor upholds (the parser relies on them):
//! - paragraphs and cell paragraphs are never empty or whitespace-only;
//! - a paragraph is one logical paragraph: line wraps the extractor could recognise are
//!   joined; a line break it kept is a `'\n'` inside the text;
//! - furniture never appears as a paragraph, and the parser never reads furniture;
//! - `Provenance::index` is the block's position in `Document::blocks`.
//!
//! This crate knows nothing of notices and does no IO.
//!
//! ```
//! use docmodel::{BlockKind, Document, Format, Provenance};
//! let mut doc = Document::new(Format::Txt);
//! doc.push(BlockKind::Paragraph("   ".into()), Provenance::line(1)); // dropped: empty
//! doc.push(BlockKind::Paragraph("一、甲项。".into()), Provenance::line(2));
//! assert_eq!(doc.blocks.len(), 1);
//! assert_eq!(doc.blocks[0].prov.index, 0);
//! assert!(doc.has_text());
//! ```

pub mod cjk;
mod error;
pub mod front_matter;

pub use cjk::{is_cjk_text, is_han};
pub use error::{
    CodedError, ErrorCode, ExtractError, InputError, check_input, human_size, panic_message,
};

use serde::{Deserialize, Serialize};

/// The input formats noticepipe reads, named as records write them (`source.format`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Format {
    /// Plain text: UTF-8, UTF-16 or GB18030, including dumps of converted documents.
    Txt,
    /// Word 2007+ (Office Open XML).
    Docx,
    /// PDF with a text layer.
    Pdf,
    /// A web page (HTML, XHTML, or the HTML part of an MHTML "single file" save).
    Html,
    /// OFD (GB/T 33190-2016), China's fixed-layout format for official documents.
    Ofd,
    /// A Word 97–2003 binary document (`.doc`, and Kingsoft WPS's `.wps`, the same format).
    Doc,
    /// A page image (PNG, JPEG, TIFF incl. multi-page), read by OCR.
    Image,
    /// Markdown (CommonMark with pipe tables and YAML front matter): crawl archives and
    /// the output of document converters (MinerU, Docling, marker).
    Markdown,
}

impl Format {
    /// The format's name in records and messages: `"pdf"`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An extracted document: blocks in reading order plus what the container says about itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// The format the document was read from.
    pub format: Format,
    /// Paragraphs, tables and furniture in reading order; see the crate invariants.
    pub blocks: Vec<Block>,
    /// What the container says about itself (encoding, pages, properties, links).
    pub info: DocInfo,
}

impl Document {
    /// An empty document of `format`, with no blocks and no info.
    pub fn new(format: Format) -> Self {
        Document {
            format,
            blocks: Vec::new(),
            info: DocInfo::default(),
        }
    }

    /// Appends a block, stamping its `index`. Empty paragraphs are dropped and empty
    /// cell paragraphs removed, so extractors need not check (see the crate invariants).
    pub fn push(&mut self, kind: BlockKind, mut prov: Provenance) {
        let kind = match kind {
            BlockKind::Paragraph(text) if text.trim().is_empty() => return,
            BlockKind::Furniture { text, .. } if text.trim().is_empty() => return,
            BlockKind::Table(mut table) => {
                for cell in table.rows.iter_mut().flatten() {
                    cell.paragraphs.retain(|p| !p.trim().is_empty());
                }
                BlockKind::Table(table)
            }
            other => other,
        };
        prov.index = self.blocks.len() as u32;
        self.blocks.push(Block { kind, prov });
    }

    /// Body paragraphs and tables, in order: what the parser reads.
    pub fn body(&self) -> impl Iterator<Item = &Block> {
        self.blocks
            .iter()
            .filter(|b| !matches!(b.kind, BlockKind::Furniture { .. }))
    }

    /// All body text, paragraphs and cells, as one string; used to tell a document with
    /// a text layer from one without.
    pub fn body_text_len(&self) -> usize {
        self.body()
            .map(|b| match &b.kind {
                BlockKind::Paragraph(t) => t.trim().len(),
                BlockKind::Table(t) => t
                    .rows
                    .iter()
                    .flatten()
                    .flat_map(|c| &c.paragraphs)
                    .map(|p| p.len())
                    .sum(),
                BlockKind::Furniture { .. } => 0,
            })
            .sum()
    }
}

impl Document {
    /// Whether the body holds any letter, digit or ideograph (not only punctuation,
    /// replacement characters or white space): what tells a fixed-layout document with a
    /// text layer from a scan.
    pub fn has_text(&self) -> bool {
        self.body().any(|b| match &b.kind {
            BlockKind::Paragraph(t) => t.chars().any(|c| c.is_alphanumeric()),
            BlockKind::Table(t) => t
                .rows
                .iter()
                .flatten()
                .flat_map(|c| &c.paragraphs)
                .any(|p| p.chars().any(|c| c.is_alphanumeric())),
            BlockKind::Furniture { .. } => false,
        })
    }
}

/// What the container says about itself, where it says it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DocInfo {
    /// The text encoding a TXT file or a web page was decoded from ("UTF-8", "UTF-16LE",
    /// "GB18030" …).
    pub encoding: Option<String>,
    /// Page count of a PDF or OFD.
    pub pages: Option<u32>,
    /// Document properties (DOCX core properties, PDF Info dictionary).
    pub title: Option<String>,
    /// The author the document properties name, as written (often an office, not a person).
    pub author: Option<String>,
    /// Creation time as the container states it, ISO 8601 where it can be converted.
    pub created: Option<String>,
    /// What a web page says about itself (HTML): its meta tags and info box; a Markdown
    /// file's front matter goes to its `info`.
    pub page: Option<PageMetadata>,
    /// Hyperlinks in the body text, in order (HTML, Markdown): a reader may fetch what they
    /// point to.
    pub links: Vec<Link>,
    /// Digital signatures (electronic seals) the container lists (OFD `Signatures.xml`);
    /// None where the format or reader has no notion of them. Signatures are not text.
    pub signatures: Option<u32>,
    /// What OCR read, when some page's text came from OCR (scanned PDF pages, images).
    pub ocr: Option<OcrInfo>,
}

/// The OCR of a document: which engine, which pages, and every line it read with its
/// confidence (for `source.ocr` and low-confidence warnings).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OcrInfo {
    /// Engine name and version, e.g. "PP-OCRv6 small (rapidocr 3.10.0), ONNX Runtime 1.32.0".
    pub engine: String,
    /// The 1-based pages whose text is OCR's.
    pub pages: Vec<u32>,
    /// Every line read, in the engine's order per page.
    pub lines: Vec<OcrLine>,
}

/// One line OCR read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OcrLine {
    /// 1-based page.
    pub page: u32,
    /// The line's text, spaces between Han characters removed.
    pub text: String,
    /// Mean character confidence, 0–1.
    pub confidence: f32,
}

impl OcrInfo {
    /// Mean confidence over all lines' characters (weighted by line length); 1 when empty.
    pub fn mean_confidence(&self) -> f32 {
        let n: usize = self.lines.iter().map(|l| l.text.chars().count()).sum();
        if n == 0 {
            return 1.0;
        }
        self.lines
            .iter()
            .map(|l| l.confidence * l.text.chars().count() as f32)
            .sum::<f32>()
            / n as f32
    }
}

// Defined once for both sides: the HTML and Markdown readers fill it in (`DocInfo::page`)
// and the record carries it unchanged (`source.metadata.page`, re-exported by
// `noticepipe-output`). Its doc comments are the record schema's descriptions.

/// A web page's meta tags and info box, as written on the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PageMetadata {
    /// `<meta name="SiteName">`, e.g. "淄博市人民政府".
    pub site_name: Option<String>,
    /// `<meta name="ColumnName">`: the site section, e.g. "通知公告".
    pub column: Option<String>,
    /// `<meta name="Keywords">`.
    pub keywords: Option<String>,
    /// `<meta name="PubDate">`: when the site published the page (not the 成文日期).
    pub pub_date: Option<String>,
    /// `<meta name="ContentSource">`.
    pub content_source: Option<String>,
    /// `<meta name="ArticleTitle">`.
    pub article_title: Option<String>,
    /// The info box printed around the article (索引号, 发文机关, 发文字号, 成文日期,
    /// 发布日期 …), in page order, label without its colon and value as written.
    pub info: Vec<InfoField>,
}

/// One "label：value" entry of a web page's info box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InfoField {
    /// The label as written, without its colon ("信息来源").
    pub label: String,
    /// The value as written.
    pub value: String,
}

/// The readers' name for [`PageMetadata`] (the same type).
pub type PageInfo = PageMetadata;

/// The readers' name for [`InfoField`] (the same type): a "label：value" pair, both as
/// written.
pub type LabelValue = InfoField;

/// A hyperlink: its text and its `href`, both as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The link's visible text.
    pub text: String,
    /// The `href` attribute, unresolved.
    pub href: String,
}

/// One unit of a document in reading order: what it is and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// Paragraph, table or furniture, with its text.
    pub kind: BlockKind,
    /// Where in the source the block was found.
    pub prov: Provenance,
}

/// What a block is: body text, a table, or furniture the parser skips.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum BlockKind {
    /// A body paragraph, raw as extracted (the parser normalizes).
    Paragraph(String),
    /// A table; merged cells appear once (in their first row and column).
    Table(Table),
    /// Text outside the body flow. The parser never reads it.
    Furniture {
        /// What kind of furniture: header, footnote, text box …
        role: FurnitureRole,
        /// Its text, raw as extracted.
        text: String,
    },
}

/// Where a piece of furniture sat outside the body flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FurnitureRole {
    /// Running header (e.g. "淄川区人民政府办公室文件" on every page).
    Header,
    /// Running footer other than a page number.
    Footer,
    /// A page number, e.g. "— 3 —".
    PageNumber,
    /// A footnote's text (DOCX, DOC).
    Footnote,
    /// An endnote's text (DOCX, DOC).
    Endnote,
    /// Text in a text box or shape, outside the body flow.
    TextBox,
    /// A reviewer's comment (DOCX, DOC).
    Comment,
}

/// A table as rows of cells.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Table {
    /// Rows top to bottom, cells left to right; a merged cell appears once, so rows may
    /// differ in length.
    pub rows: Vec<Vec<Cell>>,
    /// The rows after the header hold their cells in reading order, not under the
    /// header's columns: a table flattened one cell per line keeps no trace of its empty
    /// and merged cells, so the reader that knows what cells hold places them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unplaced: bool,
}

impl Table {
    /// A table whose cells stand under their columns.
    pub fn new(rows: Vec<Vec<Cell>>) -> Self {
        Table {
            rows,
            unplaced: false,
        }
    }
}

/// A table cell: its paragraphs in order (a cell listing units one per line has one
/// paragraph per unit).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The cell's paragraphs in order, raw as extracted; none is empty after `Document::push`.
    pub paragraphs: Vec<String>,
}

impl Cell {
    /// A cell holding `paragraphs`, in order.
    pub fn new<S: Into<String>>(paragraphs: impl IntoIterator<Item = S>) -> Self {
        Cell {
            paragraphs: paragraphs.into_iter().map(Into::into).collect(),
        }
    }
}

/// Where a block came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Provenance {
    /// 1-based page (PDF, OFD); None where the format has no pages.
    pub page: Option<u32>,
    /// 1-based first line in the source text (TXT).
    pub line: Option<u32>,
    /// Position of the block in `Document::blocks` (stamped by `Document::push`).
    pub index: u32,
    /// Bounding box on the page in points, y up, `[x0, y0, x1, y1]` (PDF, OFD).
    pub bbox: Option<[f32; 4]>,
}

impl Provenance {
    /// Provenance on 1-based `page`, nothing else known.
    pub fn page(page: u32) -> Self {
        Provenance {
            page: Some(page),
            ..Default::default()
        }
    }

    /// Provenance at 1-based source `line`, nothing else known.
    pub fn line(line: u32) -> Self {
        Provenance {
            line: Some(line),
            ..Default::default()
        }
    }
}

/// One input format's extractor: bytes in, block model out. Implementations document their
/// size, time and memory limits (one `Limits` type per reader, `max_input_bytes` its input
/// cap) and refuse input beyond them with `ErrorCode::TooLarge`; they open with
/// [`check_input`] (empty or too large, in one wording) and return their own typed error,
/// a [`CodedError`], which converts into [`ExtractError`] by itself (`Ok(self.read(bytes)?)`).
/// They must not panic on any input; the pipeline still catches panics as a last resort.
///
/// A format is registered by its extractor alone: it names its [`Format`], the file
/// extensions it owns and the bytes it recognizes, and the pipeline lists it once
/// (`Pipeline::extractors`).
pub trait Extractor: Send + Sync {
    /// The format this extractor reads.
    fn format(&self) -> Format;
    /// File extensions (lower case, no dot) the format is saved under: a folder walk picks
    /// these files up, and a file whose extension belongs to another format than its
    /// content gets an `extension_mismatch` warning.
    fn extensions(&self) -> &'static [&'static str];
    /// Whether `bytes` are this format, judged from the content only (magic numbers,
    /// container entries), never from a name; cheap, and reading at most what it must.
    /// The pipeline asks its extractors in order and the first that says yes reads the
    /// file.
    fn recognizes(&self, bytes: &[u8]) -> bool;
    /// The document in `bytes`, or a typed error saying why not.
    fn extract(&self, bytes: &[u8]) -> Result<Document, ExtractError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_stamps_indexes_and_drops_empty_text() {
        let mut doc = Document::new(Format::Txt);
        doc.push(BlockKind::Paragraph("  \n".into()), Provenance::line(1));
        doc.push(BlockKind::Paragraph("正文".into()), Provenance::line(2));
        let table = Table {
            unplaced: false,
            rows: vec![vec![Cell::new(["", "区妇联"])]],
        };
        doc.push(BlockKind::Table(table), Provenance::line(3));
        assert_eq!(doc.blocks.len(), 2);
        assert_eq!((doc.blocks[0].prov.index, doc.blocks[1].prov.index), (0, 1));
        let BlockKind::Table(t) = &doc.blocks[1].kind else {
            panic!()
        };
        assert_eq!(t.rows[0][0], Cell::new(["区妇联"]));
    }

    #[test]
    fn every_block_kind_serializes() {
        let mut doc = Document::new(Format::Pdf);
        doc.push(BlockKind::Paragraph("正文".into()), Provenance::page(1));
        doc.push(
            BlockKind::Table(Table {
                unplaced: false,
                rows: vec![vec![Cell::new(["1"])]],
            }),
            Provenance::page(1),
        );
        doc.push(
            BlockKind::Furniture {
                role: FurnitureRole::PageNumber,
                text: "— 1 —".into(),
            },
            Provenance::page(1),
        );
        let json = serde_json::to_value(&doc).expect("serializes");
        assert_eq!(
            json["blocks"][0]["kind"],
            serde_json::json!({"type": "paragraph", "value": "正文"})
        );
        assert_eq!(json["blocks"][2]["kind"]["value"]["role"], "page_number");
    }
}
