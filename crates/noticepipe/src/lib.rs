//! The pipeline: file → format (by content) → extractor → block model → parser → record.
//!
//! [`Pipeline::process_file`] is the one entry point; the CLI and the batch runner call it.

pub mod batch;
pub mod sniff;
pub mod worker;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use docmodel::{CodedError, Document, ErrorCode, ExtractError, Extractor, Format};
use noticepipe_output::{
    InfoField, Metadata, PageMetadata, Record, Source, SourceFormat, Warning, WarningCode,
};
use sha2::{Digest, Sha256};

pub use sniff::{Sniffed, sniff};

/// A document that could not be turned into a record: which file, which code, why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("error[{code}]: {path}: {message}")]
pub struct PipelineError {
    pub path: String,
    pub code: ErrorCode,
    pub message: String,
}

impl CodedError for PipelineError {
    fn code(&self) -> ErrorCode {
        self.code
    }
}

/// The extractors and the parser's settings. `Default` gives the documented limits.
pub struct Pipeline {
    pub txt: extract_txt::TxtExtractor,
    pub docx: extract_docx::DocxExtractor,
    pub pdf: extract_pdf::PdfExtractor,
    pub html: extract_html::HtmlExtractor,
    pub parser: notice_parser::Settings,
    /// Files larger than this are refused before they are read (`too_large`).
    pub max_file_bytes: u64,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline {
            txt: extract_txt::TxtExtractor::default(),
            docx: extract_docx::DocxExtractor::default(),
            pdf: extract_pdf::PdfExtractor::default(),
            html: extract_html::HtmlExtractor::default(),
            parser: notice_parser::Settings::default(),
            max_file_bytes: 64 << 20,
        }
    }
}

impl Pipeline {
    /// Reads, extracts and parses one file.
    pub fn process_file(&self, path: &Path) -> Result<Record, PipelineError> {
        let shown = path.display().to_string();
        let fail = |code, message: String| PipelineError {
            path: shown.clone(),
            code,
            message,
        };
        let size = std::fs::metadata(path)
            .map_err(|e| fail(ErrorCode::Io, e.to_string()))?
            .len();
        if size > self.max_file_bytes {
            return Err(fail(
                ErrorCode::TooLarge,
                format!(
                    "{size} bytes is beyond the file limit of {} bytes",
                    self.max_file_bytes
                ),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| fail(ErrorCode::Io, e.to_string()))?;
        self.process_bytes(&shown, &bytes)
    }

    /// Extracts and parses `bytes`; `path` names them in the record and in errors, and its
    /// extension is checked against the content.
    pub fn process_bytes(&self, path: &str, bytes: &[u8]) -> Result<Record, PipelineError> {
        let fail = |e: ExtractError| PipelineError {
            path: path.to_string(),
            code: e.code,
            message: e.message,
        };
        let format = match sniff(bytes) {
            Sniffed::Format(format) => format,
            Sniffed::Empty => {
                return Err(fail(ExtractError::new(
                    ErrorCode::Empty,
                    "the file has zero bytes",
                )));
            }
            Sniffed::Unsupported(what) => {
                return Err(fail(ExtractError::new(
                    ErrorCode::UnsupportedFormat,
                    format!("{what} is not a format noticepipe reads"),
                )));
            }
        };
        let doc = self.extract(format, bytes).map_err(fail)?;
        let mut notice = notice_parser::parse_with(&doc, &self.parser)
            .map_err(|e| fail(ExtractError::new(e.code(), e.to_string())))?;
        if let Some(warning) = extension_mismatch(path, format) {
            notice.warnings.push(warning);
        }
        Ok(Record::new(source(path, bytes, &doc), notice))
    }

    /// Runs the extractor for `format`, turning a panic inside it into `extract_panic`.
    pub fn extract(&self, format: Format, bytes: &[u8]) -> Result<Document, ExtractError> {
        let extractor: &dyn Extractor = match format {
            Format::Txt => &self.txt,
            Format::Docx => &self.docx,
            Format::Pdf => &self.pdf,
            Format::Html => &self.html,
        };
        catch_unwind(AssertUnwindSafe(|| extractor.extract(bytes))).unwrap_or_else(|payload| {
            let what = docmodel::panic_message(&*payload);
            Err(ExtractError::new(
                ErrorCode::ExtractPanic,
                format!("the {format} extractor panicked: {what}"),
            ))
        })
    }
}

fn source(path: &str, bytes: &[u8], doc: &Document) -> Source {
    let info = &doc.info;
    let page = info.page.as_ref().map(page_metadata);
    let metadata =
        (info.title.is_some() || info.author.is_some() || info.created.is_some() || page.is_some())
            .then(|| Metadata {
                title: info.title.clone(),
                author: info.author.clone(),
                created: info.created.clone(),
                page,
            });
    Source {
        path: path.to_string(),
        format: match doc.format {
            Format::Txt => SourceFormat::Txt,
            Format::Docx => SourceFormat::Docx,
            Format::Pdf => SourceFormat::Pdf,
            Format::Html => SourceFormat::Html,
        },
        sha256: sha256_hex(bytes),
        bytes: bytes.len() as u64,
        encoding: info.encoding.clone(),
        pages: info.pages.filter(|_| doc.format == Format::Pdf),
        metadata,
    }
}

fn page_metadata(page: &docmodel::PageInfo) -> PageMetadata {
    PageMetadata {
        site_name: page.site_name.clone(),
        column: page.column.clone(),
        keywords: page.keywords.clone(),
        pub_date: page.pub_date.clone(),
        content_source: page.content_source.clone(),
        article_title: page.article_title.clone(),
        info: page
            .info
            .iter()
            .map(|f| InfoField {
                label: f.label.clone(),
                value: f.value.clone(),
            })
            .collect(),
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A warning when the file's extension names another format than its content. Files
/// without an extension claim nothing.
fn extension_mismatch(path: &str, format: Format) -> Option<Warning> {
    let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    let claimed = match ext.as_str() {
        "txt" | "text" => Format::Txt,
        "docx" => Format::Docx,
        "pdf" => Format::Pdf,
        "html" | "htm" | "shtml" | "xhtml" | "mht" | "mhtml" => Format::Html,
        _ => return None,
    };
    (claimed != format).then(|| Warning {
        code: WarningCode::ExtensionMismatch,
        message: format!("the file is named .{ext} but its content is {format}; read as {format}"),
        item: None,
    })
}
