use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the record format. Minor: fields added; major: anything else.
pub const SCHEMA_VERSION: &str = "1.3";

/// One normalized notice. Everything but `source` and the provenance fields is the same
/// whichever format (TXT, DOCX, PDF) the notice arrived in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Record {
    /// "1.3". 1.1 added `issuers`, item `category`/`units_notes`/`deadline` and row
    /// `lead_units`/`deadline` to 1.0; 1.2 added the record and item `id`s, `bbox` and
    /// `row` in provenance, provenance for addressees, contacts and attachment rows, and
    /// `source.ocr`, the format "image" and the warning `ocr_low_confidence`; 1.3 added the
    /// format "markdown" and the warnings `count_mismatch`, `orphan_note`, `merged_row`,
    /// `field_from_metadata` and `metadata_mismatch`. A reader of an earlier 1.x ignores
    /// what was added.
    pub schema_version: String,
    /// The notice's stable key: "np-" and 16 hex digits of a SHA-256 over the issuer,
    /// document number, title and date (and, when the notice has neither a document number
    /// nor a date, the item titles). The same notice gives the same id in every format; two
    /// files of one notice share it (`source.sha256` tells files apart).
    #[schemars(regex(pattern = r"^np-[0-9a-f]{16}$"))]
    #[serde(default)] // absent before 1.2: see `stamp_ids`
    pub id: String,
    /// The file the record was made from.
    pub source: Source,
    /// The fields read from the notice text, written at the top level of the record.
    #[serde(flatten)]
    pub notice: Notice,
}

impl Record {
    /// The record of `notice` read from `source`: stamps the schema version and the record
    /// and item ids.
    pub fn new(source: Source, notice: Notice) -> Self {
        let mut record = Record {
            schema_version: SCHEMA_VERSION.to_string(),
            id: String::new(),
            source,
            notice,
        };
        record.stamp_ids();
        record
    }

    /// Sets the record and item ids from the notice (they are derived, never read): for
    /// a new record, and for one written before 1.2, which has none.
    pub fn stamp_ids(&mut self) {
        self.id = notice_id(&self.notice);
        for item in &mut self.notice.items {
            item.id = format!("{}-{}", self.id, item.number);
        }
    }
}

/// See [`Record::id`]. Fields are joined with U+001F (which no field holds), null as empty.
pub fn notice_id(notice: &Notice) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let doc_number = notice.doc_number.as_ref().map(|d| d.text.as_str());
    for field in [
        notice.issuer.as_deref().unwrap_or(""),
        doc_number.unwrap_or(""),
        notice.title.as_deref().unwrap_or(""),
        notice.date.as_deref().unwrap_or(""),
    ] {
        hasher.update(field.as_bytes());
        hasher.update([0x1f]);
    }
    if doc_number.is_none() && notice.date.is_none() {
        for item in &notice.items {
            hasher.update(item.title.as_bytes());
            hasher.update([0x1f]);
        }
    }
    let digest = hasher.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("np-{hex}")
}

/// What the parser reads out of a document: every field of the record but `source`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Notice {
    /// 发文机关, e.g. "淄博市人民政府办公室"; for a joint issuance the organs of `issuers`
    /// joined with "、"; null if the document names none.
    pub issuer: Option<String>,
    /// Every issuing organ, in letterhead order (one for most notices, several for a joint
    /// issuance, 联合发文); empty when the document names none.
    #[serde(default)] // absent before 1.1
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
    #[schemars(extend("format" = "date"), regex(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"))]
    pub date: Option<String>,
    /// 附注 without its brackets, e.g. "此件公开发布".
    pub publicity: Option<String>,
    /// Title of the list the notice issues, e.g. "2025年为全市妇女儿童办实事项目清单".
    pub plan_title: Option<String>,
    /// The numbered items, numbers strictly increasing.
    pub items: Vec<Item>,
    /// Paragraphs after the items, before the attachment note and signature.
    pub closing: Vec<String>,
    /// Telephone numbers, e-mail addresses and contact people the notice names (联系人,
    /// 联系电话).
    pub contacts: Contacts,
    /// The attachments the notice announces (附件：…), with their tables.
    pub attachments: Vec<Attachment>,
    /// 抄送 list.
    pub cc: Vec<String>,
    /// The 印发 line.
    pub printed: Option<Printed>,
    /// What looks inconsistent or could not be read with certainty; empty when nothing.
    pub warnings: Vec<Warning>,
    /// Where the top-level fields came from (null where the field is null).
    pub provenance: FieldProvenance,
}

/// A 发文字号 and its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DocNumber {
    /// "淄政办字〔2025〕15号".
    pub text: String,
    /// "淄政办字".
    pub prefix: String,
    /// 2025 for "〔2025〕".
    #[schemars(range(min = 1949, max = 2999))]
    pub year: u32,
    /// 15 for "15号".
    #[schemars(range(min = 1))]
    pub serial: u32,
}

/// One numbered item (one practical project) of the list the notice issues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Item {
    /// The item's stable key: the record `id`, "-" and `number` ("np-…-3").
    #[schemars(regex(pattern = r"^np-[0-9a-f]{16}-[1-9][0-9]*$"))]
    #[serde(default)] // absent before 1.2
    pub id: String,
    /// 1 for "一、"; items are numbered from 1, strictly increasing.
    #[schemars(range(min = 1))]
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
    #[serde(default)] // absent before 1.1
    pub lead_units: Vec<String>,
    /// Every other unit the item's notes name, whatever the label (责任单位, 配合单位, 协办单位,
    /// "X负责", "Y配合" …), in first-seen order, without duplicates or leads.
    pub responsible_units: Vec<String>,
    /// Each units note of the item as written (normalized), in order.
    #[serde(default)] // absent before 1.1
    pub units_notes: Vec<String>,
    /// 完成时限 as written, or null: from the item's own note (完成时限：…), from the list
    /// table's deadline column, or from the attachment-table row of the same number and
    /// name.
    pub deadline: Option<String>,
    /// Where the item's heading is in the source.
    pub provenance: Option<Provenance>,
    /// Every amount the item's title and body state, in reading order (guide: docs/src/record.md, "Quantities").
    #[serde(default)] // absent before 1.3
    pub quantities: Vec<Quantity>,
    /// Each lead and responsible unit as written → its canonical full name (guide:
    /// docs/src/record.md, "Canonical unit names"); a name already full maps to itself.
    #[serde(default)] // absent before 1.3
    pub canonical_units: std::collections::BTreeMap<String, String>,
}

/// One amount of an item: "不少于60人" → 60, "人", ">=".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Quantity {
    /// The amount as written, with a qualifier written right next to it (不少于60人, 800余人).
    pub text: String,
    /// The number, 万 and 亿 multiplied out (1.6万名 → 16000); a range's lower bound.
    #[serde(serialize_with = "whole_numbers_as_integers")]
    pub value: f64,
    /// A range's upper bound (35—64岁 → 64); null otherwise.
    #[serde(serialize_with = "optional_whole_numbers_as_integers")]
    pub max: Option<f64>,
    /// The unit as written after the number, without 万, 亿 or 余: 名, 人次, 个班次, %.
    // (Borrowed when it is one of the parser's own units, as nearly every one is.)
    pub unit: std::borrow::Cow<'static, str>,
    /// How the amount is meant: "=", ">=" (以上, 不少于, 达到 …), ">" (超过, 余), "<="
    /// (以下, 不超过 …), "≈" (约, 左右, 近) or "range".
    pub op: QuantityOp,
    /// Where `text` is: the item field and its character offsets.
    pub span: Option<QuantitySpan>,
}

/// The qualifier of an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum QuantityOp {
    /// As written ("=").
    #[serde(rename = "=")]
    Equal,
    /// At least: 以上, 不少于, 不低于, 至少, 达到 (">=").
    #[serde(rename = ">=")]
    AtLeast,
    /// More than: 超过, 多于, 余 (">").
    #[serde(rename = ">")]
    MoreThan,
    /// At most: 以下, 以内, 不超过, 不高于 ("<=").
    #[serde(rename = "<=")]
    AtMost,
    /// About: 约, 左右, 近 ("≈").
    #[serde(rename = "≈")]
    About,
    /// A range: `value` to `max` ("range").
    #[serde(rename = "range")]
    Range,
}

impl QuantityOp {
    /// The operator as the record writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            QuantityOp::Equal => "=",
            QuantityOp::AtLeast => ">=",
            QuantityOp::MoreThan => ">",
            QuantityOp::AtMost => "<=",
            QuantityOp::About => "≈",
            QuantityOp::Range => "range",
        }
    }
}

/// The characters of an item field an amount was read from: `field` is "title" or "body",
/// `start` and `end` count characters (not bytes) from the field's start, end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct QuantitySpan {
    /// "title" or "body".
    pub field: ItemField,
    /// The first character.
    pub start: usize,
    /// After the last character.
    pub end: usize,
}

/// The item field a span is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ItemField {
    /// `items[].title`.
    Title,
    /// `items[].body`.
    Body,
}

/// `v` as an integer when it is a whole number an f64 holds exactly (16000.0 → 16000).
pub fn as_whole_number(v: f64) -> Option<i64> {
    (v.fract() == 0.0 && v.abs() < 9.0e15).then_some(v as i64)
}

/// 16000.0 is written 16000: amounts are counts far more often than not.
fn whole_numbers_as_integers<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    match as_whole_number(*v) {
        Some(n) => s.serialize_i64(n),
        None => s.serialize_f64(*v),
    }
}

fn optional_whole_numbers_as_integers<S: serde::Serializer>(
    v: &Option<f64>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => whole_numbers_as_integers(v, s),
        None => s.serialize_none(),
    }
}

/// The contacts a notice names, each list in first-seen order without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Contacts {
    /// Telephone numbers as written ("0533-3182716").
    pub phones: Vec<String>,
    /// E-mail addresses.
    pub emails: Vec<String>,
    /// Contact people's names (联系人).
    pub people: Vec<String>,
}

/// One attachment the notice announces (附件).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Attachment {
    /// The attachment's title as the 附件 note gives it, without its number.
    pub title: String,
    /// Where the attachment can be fetched: the `href` of the link whose text names it,
    /// as the web page wrote it (relative or absolute); null when the document links none.
    pub href: Option<String>,
    /// Rows of the attachment's table; empty when the document carries no table.
    pub rows: Vec<AttachmentRow>,
}

/// One row of an attachment's table of projects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AttachmentRow {
    /// 序号; null when the cell holds no number.
    pub number: Option<u32>,
    /// 实事名称.
    pub name: String,
    /// Units of a 牵头单位 column; empty when the table has none.
    #[serde(default)] // absent before 1.1
    pub lead_units: Vec<String>,
    /// Units of the 责任单位 (or 配合单位, 责任部门) column.
    pub responsible_units: Vec<String>,
    /// The 完成时限 column as written, or null.
    pub deadline: Option<String>,
    /// The table and row the row was read from.
    #[serde(default)]
    pub provenance: Option<Provenance>,
    /// Each unit of the row as written → its canonical full name, as for items.
    #[serde(default)] // absent before 1.3
    pub canonical_units: std::collections::BTreeMap<String, String>,
}

/// The 印发 line at the foot of the notice: who printed it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Printed {
    /// 印发机关.
    pub by: Option<String>,
    /// 印发日期, "YYYY-MM-DD".
    #[schemars(extend("format" = "date"), regex(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"))]
    pub date: String,
}

/// Something in the notice that looks inconsistent or was read without certainty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Warning {
    /// What kind of inconsistency (guide: docs/src/warnings-and-errors.md).
    pub code: WarningCode,
    /// What was found, in words, naming the text concerned.
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
    /// The notice states how many items it lists (办好十件实事, 二十项, a category's （4件）)
    /// and the items found are another number.
    CountMismatch,
    /// A units note stands in the body where no item owns it: the items may be cut wrong.
    OrphanNote,
    /// A table row looks like two rows merged (two 序号, a name that is two names).
    MergedRow,
    /// A head field (发文字号, 成文日期, issuer) is printed nowhere in the body and was taken
    /// from the file's metadata (a site's info box, front matter, meta tags): the message
    /// names the label.
    FieldFromMetadata,
    /// The file's metadata gives a head field another value than the body, which wins.
    MetadataMismatch,
}

/// Where a value came from in the source file: the block (paragraph or table) that holds
/// it, and where that block is in the file's own terms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Provenance {
    /// 1-based page (PDF, OFD; TXT with form feeds); null where the format has no pages.
    #[schemars(range(min = 1))]
    pub page: Option<u32>,
    /// 1-based first line (TXT); null for other formats.
    #[schemars(range(min = 1))]
    pub line: Option<u32>,
    /// Index of the block in the extracted document's reading order (0-based; the same
    /// file always gives the same blocks).
    pub block: u32,
    /// 0-based row of the table block the value was read from; null for a paragraph.
    #[serde(default)] // absent before 1.2, as are the fields below
    pub row: Option<u32>,
    /// The block's bounding box on its page, `[x0, y0, x1, y1]` in points from the page's
    /// lower-left corner (PDF user space; OFD converted), for highlighting the source;
    /// null for formats without a page layout.
    #[serde(default)]
    pub bbox: Option<[f64; 4]>,
}

impl Provenance {
    /// The same table block, at its 0-based `row`.
    pub fn at_row(self, row: usize) -> Provenance {
        Provenance {
            row: Some(row as u32),
            ..self
        }
    }
}

/// Provenance of the top-level fields; null where the field is null or empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FieldProvenance {
    /// The paragraph (letterhead or signature) `issuer` was read from.
    pub issuer: Option<Provenance>,
    /// The paragraph holding the 发文字号.
    pub doc_number: Option<Provenance>,
    /// The title's first paragraph.
    pub title: Option<Provenance>,
    /// The paragraph holding the 成文日期.
    pub date: Option<Provenance>,
    /// The 附注 paragraph.
    pub publicity: Option<Provenance>,
    /// The paragraph holding the list's title.
    pub plan_title: Option<Provenance>,
    /// The 附件 note.
    pub attachments: Option<Provenance>,
    /// The 抄送 paragraph.
    pub cc: Option<Provenance>,
    /// The 印发 paragraph.
    pub printed: Option<Provenance>,
    /// The 主送机关 paragraph.
    #[serde(default)]
    pub addressees: Option<Provenance>,
    /// The first paragraph naming a contact (联系人, 联系电话).
    #[serde(default)]
    pub contacts: Option<Provenance>,
}

/// The file a record was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    /// The file's path as given to noticepipe (or the name given with the bytes).
    pub path: String,
    /// The format read from the file's bytes (not its name).
    pub format: SourceFormat,
    /// Hex SHA-256 of the file's bytes.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub sha256: String,
    /// The file's size in bytes.
    #[schemars(range(min = 1))]
    pub bytes: u64,
    /// The encoding a TXT file or web page was decoded from; null for other formats.
    pub encoding: Option<String>,
    /// Page count of a PDF, OFD or page image (TIFF frames); null for other formats.
    #[schemars(range(min = 1))]
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
    #[schemars(range(min = 0, max = 1))]
    pub mean_confidence: f64,
}

/// The input format, as `source.format` names it: the one [`docmodel::Format`].
pub use docmodel::Format as SourceFormat;

/// A web page's meta tags and info box (`source.metadata.page`): the one type the HTML and
/// Markdown readers fill in.
pub use docmodel::{InfoField, PageMetadata};

/// What the file says about itself, apart from the notice text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Metadata {
    /// DOCX/PDF title property; a web page's `<title>`, else its `ArticleTitle` meta tag.
    pub title: Option<String>,
    /// The author property (DOCX, PDF, DOC) or `<meta name="author">`.
    pub author: Option<String>,
    /// When the file says it was created, ISO 8601 where it could be converted, else as
    /// written.
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
