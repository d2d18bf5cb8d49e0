use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the record format. Minor: fields added; major: anything else.
pub const SCHEMA_VERSION: &str = "1.1";

/// One normalized notice. Everything but `source` and the provenance fields is the same
/// whichever format (TXT, DOCX, PDF) the notice arrived in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Record {
    /// "1.1" (1.1 added `issuers`, item `category`/`units_notes`/`deadline` and row
    /// `lead_units`/`deadline` to 1.0; a 1.0 reader ignores them).
    pub schema_version: String,
    /// The file the record was made from.
    pub source: Source,
    #[serde(flatten)]
    pub notice: Notice,
}

impl Record {
    pub fn new(source: Source, notice: Notice) -> Self {
        Record {
            schema_version: SCHEMA_VERSION.to_string(),
            source,
            notice,
        }
    }
}

/// What the parser reads out of a document: every field of the record but `source`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Notice {
    /// 发文机关, e.g. "淄博市人民政府办公室"; for a joint issuance the organs of `issuers`
    /// joined with "、"; null if the document names none.
    pub issuer: Option<String>,
    /// Every issuing organ, in letterhead order (one for most notices, several for a joint
    /// issuance, 联合发文); empty when the document names none.
    pub issuers: Vec<String>,
    /// 发文字号, normalized ("【2024】" → "〔2024〕", spaces removed).
    pub doc_number: Option<DocNumber>,
    /// The notice title on one line.
    pub title: Option<String>,
    /// 主送机关, split at "，".
    pub addressees: Vec<String>,
    /// Body paragraphs between the addressees and the items (the notice's own text when
    /// it issues a list).
    pub preamble: Vec<String>,
    /// 成文日期 as "YYYY-MM-DD"; null if absent.
    pub date: Option<String>,
    /// 附注 without its brackets, e.g. "此件公开发布".
    pub publicity: Option<String>,
    /// Title of the list the notice issues, e.g. "2025年为全市妇女儿童办实事项目清单".
    pub plan_title: Option<String>,
    /// The numbered items, numbers strictly increasing.
    pub items: Vec<Item>,
    /// Paragraphs after the items, before the attachment note and signature.
    pub closing: Vec<String>,
    pub contacts: Contacts,
    pub attachments: Vec<Attachment>,
    /// 抄送 list.
    pub cc: Vec<String>,
    /// The 印发 line.
    pub printed: Option<Printed>,
    pub warnings: Vec<Warning>,
    /// Where the top-level fields came from (null where the field is null).
    pub provenance: FieldProvenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DocNumber {
    /// "淄政办字〔2025〕15号".
    pub text: String,
    /// "淄政办字".
    pub prefix: String,
    pub year: u32,
    pub serial: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Item {
    /// 1 for "一、".
    pub number: u32,
    /// The marker's numeral as written: "一".
    pub marker: String,
    /// The heading sentence without its "。".
    pub title: String,
    /// The rest of the item up to the units note.
    pub body: String,
    /// The category heading the item sits under in a two-level list ("健康保障类" for
    /// "一、健康保障类（4件）"); null in a one-level list.
    pub category: Option<String>,
    /// Lead units (牵头单位, 牵头部门, 主责单位, "X牵头", or the first unit where the document
    /// says 列第一位者为牵头单位), as written.
    pub lead_units: Vec<String>,
    /// Every other unit the item's notes name, whatever the label (责任单位, 配合单位, 协办单位,
    /// "X负责", "Y配合" …), in first-seen order, without duplicates or leads.
    pub responsible_units: Vec<String>,
    /// Each units note of the item as written (normalized), in order.
    pub units_notes: Vec<String>,
    /// 完成时限 as written, or null: from the item's own note (完成时限：…), from the list
    /// table's deadline column, or from the attachment-table row of the same number and
    /// name.
    pub deadline: Option<String>,
    pub provenance: Option<Provenance>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Contacts {
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub people: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Attachment {
    pub title: String,
    /// Where the attachment can be fetched: the `href` of the link whose text names it,
    /// as the web page wrote it (relative or absolute); null when the document links none.
    pub href: Option<String>,
    /// Rows of the attachment's table; empty when the document carries no table.
    pub rows: Vec<AttachmentRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AttachmentRow {
    /// 序号; null when the cell holds no number.
    pub number: Option<u32>,
    /// 实事名称.
    pub name: String,
    /// Units of a 牵头单位 column; empty when the table has none.
    pub lead_units: Vec<String>,
    /// Units of the 责任单位 (or 配合单位, 责任部门) column.
    pub responsible_units: Vec<String>,
    /// The 完成时限 column as written, or null.
    pub deadline: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Printed {
    /// 印发机关.
    pub by: Option<String>,
    /// 印发日期, "YYYY-MM-DD".
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
    /// The item the warning is about.
    pub item: Option<u32>,
}

/// Warning codes. Part of the contract: add, never rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// An item's units differ from its attachment-table row's.
    UnitsMismatch,
    /// An item's title differs from its attachment-table row's name, or one has no partner.
    NameMismatch,
    /// Item numbers skip or do not start at one.
    NumberingGap,
    /// An item number repeats or goes backwards; the paragraph stays in the previous item.
    NumberingDuplicate,
    /// An item has no units note, or its note names no organ (only 有关部门 …).
    MissingUnits,
    /// The document has no 成文日期.
    MissingDate,
    /// No numbered items were found.
    NoItems,
    /// The file's extension names another format than its content.
    ExtensionMismatch,
    /// The numbered lists carry no units notes and no table lists the projects, so the
    /// items could not be told apart from the document's sections: the top-level list was
    /// kept as items.
    ItemsUncertain,
    /// A field's text comes from a line OCR read with low confidence: check it against the
    /// scan.
    OcrLowConfidence,
}

/// Where a value came from in the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Provenance {
    /// 1-based page (PDF; TXT with form feeds).
    pub page: Option<u32>,
    /// 1-based line (TXT).
    pub line: Option<u32>,
    /// Index of the block in the extracted document.
    pub block: u32,
}

/// Provenance of the top-level fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FieldProvenance {
    pub issuer: Option<Provenance>,
    pub doc_number: Option<Provenance>,
    pub title: Option<Provenance>,
    pub date: Option<Provenance>,
    pub publicity: Option<Provenance>,
    pub plan_title: Option<Provenance>,
    pub attachments: Option<Provenance>,
    pub cc: Option<Provenance>,
    pub printed: Option<Provenance>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    pub path: String,
    pub format: SourceFormat,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub bytes: u64,
    /// The encoding a TXT file or web page was decoded from; null for other formats.
    pub encoding: Option<String>,
    /// Page count of a PDF or OFD; null for other formats.
    pub pages: Option<u32>,
    /// Document properties (DOCX core properties, PDF Info, a web page's title and meta
    /// tags) when present.
    pub metadata: Option<Metadata>,
    /// How OCR read the document (scanned PDF pages, page images); null when no text came
    /// from OCR.
    #[serde(default)]
    pub ocr: Option<OcrSource>,
}

/// The OCR of a record's source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OcrSource {
    /// Engine, models and runtime with their versions.
    pub engine: String,
    /// The 1-based pages whose text OCR read (for a PDF with text pages, only the scanned
    /// ones).
    pub pages: Vec<u32>,
    /// Mean confidence of the characters read, 0–1 (three decimals).
    pub mean_confidence: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Txt,
    Docx,
    Pdf,
    /// HTML, XHTML, or the page inside an MHTML save.
    Html,
    /// OFD (GB/T 33190-2016).
    Ofd,
    /// A Word 97–2003 binary document: `.doc`, or Kingsoft WPS's `.wps` (the same format).
    Doc,
    /// A page image (PNG, JPEG, TIFF), read by OCR.
    Image,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Metadata {
    /// DOCX/PDF title property; a web page's `<title>`, else its `ArticleTitle` meta tag.
    pub title: Option<String>,
    pub author: Option<String>,
    pub created: Option<String>,
    /// What a web page says about itself; null for other formats. Never used for the
    /// record's own fields, which come from the notice text.
    pub page: Option<PageMetadata>,
    /// How many digital signatures (electronic seals) the file carries — an OFD's
    /// `Signatures.xml` entries, 0 for an unsigned OFD; null for formats whose signatures
    /// are not read. Signatures are not text and feed no other field.
    #[serde(default)]
    pub signatures: Option<u32>,
}

/// A web page's meta tags and info box, as written on the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InfoField {
    pub label: String,
    pub value: String,
}
