//! The pipeline: file → format (by content) → extractor → block model → parser → record.
//!
//! One call gives the record of a notice in any format (TXT, DOCX, DOC/WPS, PDF, OFD, HTML,
//! Markdown):
//!
//! ```
//! let record = noticepipe::parse_path("../../corpus/2025-zibo.docx")?;
//! assert_eq!(record.notice.doc_number.unwrap().text, "淄政办字〔2025〕15号");
//! println!("{} items, the first by {:?}", record.notice.items.len(), record.notice.items[0].responsible_units);
//! # Ok::<(), noticepipe::PipelineError>(())
//! ```
//!
//! [`parse_bytes`] does the same for bytes already in memory. Both run in the calling
//! process; `noticepipe-runner` runs extraction in supervised worker processes (timeouts,
//! memory limits, crash isolation), as the command line does, and converts batches.
//! [`Pipeline`] holds the extractors' and the parser's settings for callers who change a
//! limit.

pub mod sniff;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use docmodel::{CodedError, Document, ExtractError, Extractor, Format};

/// The typed error code of every failure (`error.code` in reports and responses), so that
/// callers need not depend on the block model for it.
pub use docmodel::ErrorCode;
use noticepipe_output::{Metadata, OcrSource, Source};

/// The pages OCR may have to read in a file's bytes (for a worker's time budget).
pub use extract_ocr::pages_to_read as ocr_pages_to_read;
/// OCR's settings, for [`Pipeline::set_ocr`] and the command line's `--no-ocr` / `--ocr`.
pub use extract_ocr::{OcrMode, OcrSettings};
pub use notice_parser::{UnitsTable, UnitsTableError};
use sha2::{Digest, Sha256};

pub use noticepipe_output::{
    Attachment, AttachmentRow, Contacts, DocNumber, Item, Notice, Record, SCHEMA_VERSION, Warning,
    WarningCode,
};
pub use sniff::{Sniffed, sniff};

/// The record of the file at `path`, with the default limits, in this process.
pub fn parse_path(path: impl AsRef<Path>) -> Result<Record, PipelineError> {
    Pipeline::default().process_file(path.as_ref())
}

/// The record of a file's `bytes`; `name` stands for the file in the record's
/// `source.path` and in errors (its extension is checked against the content).
///
/// ```
/// let text = "关于为全市妇女儿童办实事的通知\n一、甲项。正文。（责任单位：市妇联）\n2025年3月23日\n";
/// let record = noticepipe::parse_bytes("notice.txt", text.as_bytes())?;
/// assert_eq!(record.notice.items[0].responsible_units, ["市妇联"]);
/// assert_eq!(record.notice.date.as_deref(), Some("2025-03-23"));
/// # Ok::<(), noticepipe::PipelineError>(())
/// ```
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<Record, PipelineError> {
    Pipeline::default().process_bytes(name, bytes)
}

/// A document that could not be turned into a record: which file, which code, why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("error[{code}]: {path}: {message}")]
pub struct PipelineError {
    /// The file's path as given (or the name given with its bytes).
    pub path: String,
    /// What kind of failure, as reports name it.
    pub code: ErrorCode,
    /// The reason in words.
    pub message: String,
}

impl CodedError for PipelineError {
    fn code(&self) -> ErrorCode {
        self.code
    }
}

/// Files larger than this are refused before they are read (`too_large`): 256 MiB, room
/// for a scanned PDF (a 30-page 300-dpi colour scan is tens of MB).
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// The extractors and the parser's settings. `Default` gives the documented limits.
pub struct Pipeline {
    /// Plain text (TXT).
    pub txt: extract_txt::TxtExtractor,
    /// Word 2007+ (DOCX).
    pub docx: extract_docx::DocxExtractor,
    /// PDF with a text layer.
    pub pdf: extract_pdf::PdfExtractor,
    /// Web pages (HTML, MHTML).
    pub html: extract_html::HtmlExtractor,
    /// Markdown (crawl archives, converter output).
    pub markdown: extract_md::MdExtractor,
    /// OFD.
    pub ofd: extract_ofd::OfdExtractor,
    /// Word 97–2003 and Kingsoft WPS (DOC, WPS).
    pub doc: extract_doc::DocExtractor,
    /// Page images (PNG, JPEG, TIFF) through OCR; scanned PDF pages use `pdf.ocr` (see
    /// [`Pipeline::set_ocr`]).
    pub image: extract_ocr::ImageExtractor,
    /// The parser's budgets.
    pub parser: notice_parser::Settings,
    /// Files larger than this are refused before they are read (`too_large`).
    pub max_file_bytes: u64,
}

impl Default for Pipeline {
    fn default() -> Self {
        let mut pipeline = Pipeline {
            txt: extract_txt::TxtExtractor::default(),
            docx: extract_docx::DocxExtractor::default(),
            pdf: extract_pdf::PdfExtractor::default(),
            html: extract_html::HtmlExtractor::default(),
            markdown: extract_md::MdExtractor::default(),
            ofd: extract_ofd::OfdExtractor::default(),
            doc: extract_doc::DocExtractor::default(),
            image: extract_ocr::ImageExtractor::default(),
            parser: notice_parser::Settings::default(),
            max_file_bytes: MAX_FILE_BYTES,
        };
        pipeline.set_ocr(OcrSettings::default());
        pipeline
    }
}

impl Pipeline {
    /// OCR for page images and scanned PDF pages: on by default (`OcrMode::Auto`), off, or
    /// forced on every PDF page that draws an image (`OcrMode::Always`).
    pub fn set_ocr(&mut self, settings: OcrSettings) {
        self.pdf.ocr_always = settings.mode == OcrMode::Always;
        let ocr = extract_ocr::Ocr::new(settings);
        self.pdf.ocr = (ocr.settings.mode != OcrMode::Off)
            .then(|| std::sync::Arc::new(ocr.clone()) as std::sync::Arc<dyn extract_pdf::PageOcr>);
        self.image.ocr = ocr;
    }

    /// Reads, extracts and parses one file.
    pub fn process_file(&self, path: &Path) -> Result<Record, PipelineError> {
        let shown = path.display().to_string();
        let bytes = read_input(path, self.max_file_bytes)?;
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
        let format = match self.sniff(bytes) {
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
        self.record_of_document(path, bytes, &doc)
    }

    /// The record of a document [`Pipeline::extract`] gave for `bytes` (parse, then
    /// `source` and the warnings about the file).
    pub fn record_of_document(
        &self,
        path: &str,
        bytes: &[u8],
        doc: &Document,
    ) -> Result<Record, PipelineError> {
        let fail = |e: ExtractError| PipelineError {
            path: path.to_string(),
            code: e.code,
            message: e.message,
        };
        let mut notice = notice_parser::parse_with(doc, &self.parser)
            .map_err(|e| fail(ExtractError::new(e.code(), e.to_string())))?;
        if let Some(warning) = self.extension_mismatch(path, doc.format) {
            notice.warnings.push(warning);
        }
        if let Some(ocr) = &doc.info.ocr {
            let threshold = self.image.ocr.settings.low_confidence;
            notice
                .warnings
                .extend(ocr_warnings(&notice, ocr, threshold));
        }
        Ok(Record::new(source(path, bytes, doc), notice))
    }

    /// The registered extractors, in the order they are asked whether they recognize a file
    /// (the last, TXT, takes whatever no other does). Adding a format is a field above and
    /// one entry here: the sniffer, the folder walk's extensions and the extension check
    /// all read this list.
    pub fn extractors(&self) -> [&dyn Extractor; 8] {
        [
            &self.pdf,
            &self.ofd,
            &self.docx,
            &self.doc,
            &self.image,
            // Before HTML: a converter's Markdown may open with a tag. Markdown leaves a page
            // source with front matter (Jekyll, Hugo: a tag after it) to the HTML reader.
            &self.markdown,
            &self.html,
            &self.txt,
        ]
    }

    /// What `bytes` are, by content (see [`sniff::sniff_with`]).
    pub fn sniff(&self, bytes: &[u8]) -> Sniffed {
        sniff::sniff_with(&self.extractors(), bytes)
    }

    /// The format whose extractor owns the file extension `ext` (any case), if any.
    pub fn format_of_extension(&self, ext: &str) -> Option<Format> {
        let ext = ext.to_ascii_lowercase();
        self.extractors()
            .into_iter()
            .find(|e| e.extensions().contains(&ext.as_str()))
            .map(|e| e.format())
    }

    /// Runs the extractor for `format`, turning a panic inside it into `extract_panic`.
    pub fn extract(&self, format: Format, bytes: &[u8]) -> Result<Document, ExtractError> {
        let Some(extractor) = self.extractors().into_iter().find(|e| e.format() == format) else {
            return Err(ExtractError::new(
                ErrorCode::UnsupportedFormat,
                format!("no extractor is registered for {format}"),
            ));
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
    let page = info.page.clone();
    let metadata = (info.title.is_some()
        || info.author.is_some()
        || info.created.is_some()
        || page.is_some()
        || info.signatures.is_some())
    .then(|| Metadata {
        title: info.title.clone(),
        author: info.author.clone(),
        created: info.created.clone(),
        page,
        signatures: info.signatures,
    });
    Source {
        path: path.to_string(),
        format: doc.format,
        sha256: sha256_hex(bytes),
        bytes: bytes.len() as u64,
        encoding: info.encoding.clone(),
        pages: info
            .pages
            .filter(|_| matches!(doc.format, Format::Pdf | Format::Ofd | Format::Image)),
        metadata,
        ocr: info.ocr.as_ref().map(|o| OcrSource {
            engine: o.engine.clone(),
            pages: o.pages.clone(),
            mean_confidence: (o.mean_confidence() as f64 * 1000.0).round() / 1000.0,
        }),
    }
}

/// `ocr_low_confidence` for each field whose text shares a run of three or more characters
/// with a line OCR read with less than `threshold` confidence.
fn ocr_warnings(notice: &Notice, ocr: &docmodel::OcrInfo, threshold: f32) -> Vec<Warning> {
    let low: Vec<&docmodel::OcrLine> = ocr
        .lines
        .iter()
        .filter(|l| l.confidence < threshold)
        .collect();
    if low.is_empty() {
        return Vec::new();
    }
    let squeeze = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<Vec<char>>()
    };
    let mut fields: Vec<(String, String, Option<u32>)> = Vec::new();
    let mut add = |name: String, text: Option<&str>, item: Option<u32>| {
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            fields.push((name, t.to_string(), item));
        }
    };
    add("issuer".into(), notice.issuer.as_deref(), None);
    add(
        "doc_number".into(),
        notice.doc_number.as_ref().map(|d| d.text.as_str()),
        None,
    );
    add("title".into(), notice.title.as_deref(), None);
    add("date".into(), notice.date.as_deref(), None);
    for item in &notice.items {
        let n = item.number;
        add(format!("items[{n}].title"), Some(&item.title), Some(n));
        for (k, note) in item.units_notes.iter().enumerate() {
            add(format!("items[{n}].units_notes[{k}]"), Some(note), Some(n));
        }
    }
    let mut out = Vec::new();
    for line in low {
        let l = squeeze(&line.text);
        for (name, text, item) in &fields {
            let t = squeeze(text);
            if l.len() >= 3 && t.windows(3).any(|w| l.windows(3).any(|x| x == w)) {
                out.push(Warning {
                    code: WarningCode::OcrLowConfidence,
                    message: format!(
                        "{name} comes from a line OCR read with confidence {:.2} on page {}: \"{}\"",
                        line.confidence, line.page, line.text
                    ),
                    item: *item,
                });
            }
        }
    }
    out
}

/// Reads an input file for the pipeline: a regular file (links followed) of at most
/// `max_bytes`, else `io` ("not a regular file (a FIFO)") or `too_large`.
pub fn read_input(path: &Path, max_bytes: u64) -> Result<Vec<u8>, PipelineError> {
    let fail = |code, message: String| PipelineError {
        path: path.display().to_string(),
        code,
        message,
    };
    read_regular_file(path, max_bytes, FollowLinks::Yes).map_err(|e| match e {
        ReadError::TooLarge(size) => fail(
            ErrorCode::TooLarge,
            format!("{size} bytes is beyond the file limit of {max_bytes} bytes"),
        ),
        other => fail(ErrorCode::Io, other.to_string()),
    })
}

/// Whether [`read_regular_file`] follows a symbolic link at the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowLinks {
    /// Read what the link points to.
    Yes,
    /// Refuse a link (`O_NOFOLLOW`): [`ReadError::NotRegular`].
    No,
}

/// Why [`read_regular_file`] read nothing.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Opening or reading failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Not a regular file; says what it is ([`kind_name`], or "a link").
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    /// The file's size in bytes, past `max_bytes` (on the open file or while reading).
    #[error("{0} bytes is beyond the limit")]
    TooLarge(u64),
}

/// Reads the regular file at `path`, of at most `max_bytes`, in the calling process.
///
/// It is opened non-blocking (opening a FIFO with no writer would wait forever) and its
/// kind and size are checked on the open descriptor, so a FIFO, a device (`/dev/zero`) or a
/// file that grows after the check can neither hang the caller nor fill its memory.
pub fn read_regular_file(
    path: &Path,
    max_bytes: u64,
    follow: FollowLinks,
) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let mut flags = libc::O_NONBLOCK;
    if follow == FollowLinks::No {
        flags |= libc::O_NOFOLLOW;
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) if follow == FollowLinks::No => ReadError::NotRegular("a link"),
            _ => ReadError::Io(e),
        })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_name(meta.file_type())));
    }
    if meta.len() > max_bytes {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What a file system entry is, in words for messages ("a FIFO").
pub fn kind_name(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_file() {
        "a regular file"
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "not a file"
    }
}

/// Lower-case hex SHA-256 of `bytes` (`source.sha256`).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(2 * bytes.len()), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

impl Pipeline {
    /// A warning when the file's extension names another format than its content. Files
    /// without an extension, or with one no extractor owns, claim nothing.
    fn extension_mismatch(&self, path: &str, format: Format) -> Option<Warning> {
        let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
        let claimed = self.format_of_extension(&ext)?;
        (claimed != format).then(|| Warning {
            code: WarningCode::ExtensionMismatch,
            message: format!(
                "the file is named .{ext} but its content is {format}; read as {format}"
            ),
            item: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry is consistent: one extractor per format, no extension owned twice, TXT
    /// (the fallback) last.
    #[test]
    fn formats_are_registered_once() {
        let pipeline = Pipeline::default();
        let extractors = pipeline.extractors();
        let mut formats: Vec<Format> = extractors.iter().map(|e| e.format()).collect();
        assert_eq!(formats.last(), Some(&Format::Txt));
        formats.sort_by_key(|f| f.as_str());
        formats.dedup();
        assert_eq!(formats.len(), extractors.len());
        let mut extensions: Vec<&str> = extractors
            .iter()
            .flat_map(|e| e.extensions())
            .copied()
            .collect();
        let all = extensions.len();
        extensions.sort();
        extensions.dedup();
        assert_eq!(extensions.len(), all, "an extension is owned twice");
        assert_eq!(pipeline.format_of_extension("WPS"), Some(Format::Doc));
        assert_eq!(pipeline.format_of_extension("MD"), Some(Format::Markdown));
        assert_eq!(pipeline.format_of_extension("rst"), None);
    }

    /// Each format's real files are recognized by their own extractor and no earlier one.
    #[test]
    fn every_sample_is_sniffed_as_its_extension_says() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let pipeline = Pipeline::default();
        let samples = [
            "corpus/2025-zibo.txt",
            "corpus/2025-zibo.docx",
            "corpus/2025-zibo.pdf",
            "fixtures/doc/2025-zibo.doc",
            "fixtures/doc/2025-zibo.wps",
            "fixtures/ofd/2025-zibo.ofd",
            "fixtures/html/mhtml/2023-zibo.ie-base64.mht",
            "fixtures/html/genre/2024-baihe-verbs.html",
            "fixtures/md/2025-zibo.md",
        ];
        for rel in samples {
            let bytes = std::fs::read(repo.join(rel)).unwrap();
            let ext = Path::new(rel).extension().unwrap().to_str().unwrap();
            let expected = pipeline.format_of_extension(ext).unwrap();
            assert_eq!(pipeline.sniff(&bytes), Sniffed::Format(expected), "{rel}");
        }
    }

    /// No plain-text notice the TXT reader reads, and no web page, is taken by the Markdown
    /// extractor (asked before both, it looks for signs no notice carries).
    #[test]
    fn every_text_notice_is_still_text() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let pipeline = Pipeline::default();
        let mut seen = 0;
        for dir in ["corpus", "fixtures/genre", "fixtures/real"] {
            let Ok(entries) = std::fs::read_dir(repo.join(dir)) else {
                continue;
            };
            for path in entries.map(|e| e.unwrap().path()) {
                // Web pages with front matter (a static site's sources) stay web pages too.
                let expected = match path.extension().and_then(|e| e.to_str()) {
                    Some("txt") => Format::Txt,
                    Some("html") => Format::Html,
                    _ => continue,
                };
                let bytes = std::fs::read(&path).unwrap();
                assert_eq!(
                    pipeline.sniff(&bytes),
                    Sniffed::Format(expected),
                    "{}",
                    path.display()
                );
                seen += 1;
            }
        }
        assert!(seen >= 10, "only {seen} text notices");
    }
}
