//! TXT extraction: bytes → decoded text → lines → blocks.
//!
//! Text arrives as received: UTF-8 with or without BOM, UTF-16 with or without BOM, or
//! GB18030 (never GB2312/GBK, its subsets, which garble rarer characters). Some files are
//! text dumps of PDFs (hard line wraps, blank lines between lines, spaces around digits)
//! or of Word files (tables as tab-separated rows or one cell per line). This crate turns
//! all of them into the same block model; see [`layout`] for the rules.
//!
//! It knows Chinese typography (sentence punctuation, list markers) but nothing of
//! notices, and does no IO.
//!
//! ```
//! use docmodel::{BlockKind, Extractor};
//! let text = "关于办实事的通知\r\n一、甲项。\r\n";
//! let gbk = encoding_rs::GB18030.encode(text).0;
//! let doc = extract_txt::TxtExtractor::default().extract(&gbk)?;
//! assert_eq!(doc.info.encoding.as_deref(), Some("GB18030"));
//! assert!(matches!(&doc.blocks[1].kind, BlockKind::Paragraph(p) if p == "一、甲项。"));
//! # Ok::<(), docmodel::ExtractError>(())
//! ```

mod decode;
pub mod flattened;
pub mod layout;

use docmodel::{CodedError, Document, ErrorCode, ExtractError, Extractor, Format, InputError};

pub use decode::{Decoded, decode};

/// Budgets for one text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes. A notice is 5–10 KB; 8 MiB leaves room for
    /// archives that bundle many texts while keeping memory per file bounded (the
    /// decoded text and its blocks take about 3× the input).
    pub max_input_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 8 << 20,
        }
    }
}

/// The reasons a text file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TxtError {
    /// Zero bytes or only white space, or beyond [`Limits::max_input_bytes`]: refused
    /// unread ([`docmodel::check_input`]).
    #[error(transparent)]
    Input(#[from] InputError),
    /// Only a byte-order mark and white space (ideographic spaces included).
    #[error("the file holds no text (zero bytes, or only a byte-order mark and white space)")]
    Empty,
    /// Bytes that are not text in any supported encoding; the message says why.
    #[error("not text: {0}")]
    NotText(String),
}

impl CodedError for TxtError {
    fn code(&self) -> ErrorCode {
        match self {
            TxtError::Input(e) => e.code(),
            TxtError::Empty => ErrorCode::Empty,
            TxtError::NotText(_) => ErrorCode::NotText,
        }
    }
}

/// The TXT extractor: decodes the bytes, then lays the lines out into paragraphs and
/// tables. `TxtExtractor::default()` uses [`Limits::default`].
#[derive(Debug, Clone, Default)]
pub struct TxtExtractor {
    /// The size limit it reads under.
    pub limits: Limits,
}

impl TxtExtractor {
    /// Decodes and lays out `bytes`, with this crate's own error type.
    pub fn extract_txt(&self, bytes: &[u8]) -> Result<Document, TxtError> {
        docmodel::check_input(bytes, self.limits.max_input_bytes as u64)?;
        let decoded = decode(bytes)?;
        let mut doc = Document::new(Format::Txt);
        doc.info.encoding = Some(decoded.encoding.to_string());
        layout::build(&decoded.text, &mut doc);
        if doc.body_text_len() == 0 {
            return Err(TxtError::Empty);
        }
        Ok(doc)
    }
}

impl Extractor for TxtExtractor {
    fn format(&self) -> Format {
        Format::Txt
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["txt", "text"]
    }

    /// Anything: the pipeline asks this extractor last, and it refuses bytes that are not
    /// text in a supported encoding (`not_text`).
    fn recognizes(&self, _bytes: &[u8]) -> bool {
        true
    }

    fn extract(&self, bytes: &[u8]) -> Result<Document, ExtractError> {
        Ok(self.extract_txt(bytes)?)
    }
}
