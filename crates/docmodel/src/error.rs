use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The typed error codes of the whole pipeline. Their snake_case names are part of the
/// record contract (batch reports, `error[CODE]` messages): add, never rename.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorCode {
    /// The file has zero bytes (or only whitespace / a BOM).
    Empty,
    /// Bytes that are not text in any supported encoding.
    NotText,
    /// A ZIP container that cannot be read (truncated, bad central directory).
    CorruptZip,
    /// A DOCX whose parts are missing or are not well-formed XML.
    CorruptDocx,
    /// A PDF that cannot be parsed.
    CorruptPdf,
    /// An OFD whose package is broken: OFD.xml, Document.xml or a page missing, or not
    /// well-formed XML.
    CorruptOfd,
    /// A Word 97–2003 binary (.doc/.wps) whose compound file or Word structures cannot be
    /// read (truncated, a broken FAT or a cyclic chain, a FIB or piece table out of range).
    CorruptDoc,
    /// Input, a part, or a resource budget beyond the documented limits.
    TooLarge,
    /// A PDF that needs a user password to open; a Word document encrypted or obfuscated
    /// with a password; an OOXML file in an encrypted package.
    Encrypted,
    /// A PDF with pages but no extractable text (scanned), or a page image, when OCR is off
    /// or its engine is not installed (the message says how to install it).
    NoTextLayer,
    /// Bytes of a format noticepipe does not read.
    UnsupportedFormat,
    /// A page image (PNG, JPEG, TIFF, or an image inside a scanned PDF) that cannot be
    /// decoded.
    CorruptImage,
    /// A web page with no article text (a 404 page, a list of links).
    NoContent,
    /// A panic inside an extraction library, caught.
    ExtractPanic,
    /// The extraction worker died (abort, stack overflow, killed).
    ExtractCrash,
    /// Extraction went past its wall-clock limit.
    Timeout,
    /// The file could not be read or the record could not be written.
    Io,
}

impl ErrorCode {
    /// The code's name in reports and messages: `"corrupt_pdf"`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The code named `s`, if there is one.
    pub fn parse(s: &str) -> Option<ErrorCode> {
        s.parse().ok()
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error that maps to one [`ErrorCode`]. Every extractor's error type implements it.
pub trait CodedError: std::error::Error {
    /// The code this error is reported under.
    fn code(&self) -> ErrorCode;
}

/// The error every extractor returns: a code and a human-readable reason. Extractors
/// build it from their own typed errors (see each crate's `Error`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ExtractError {
    /// What kind of failure, as reports name it.
    pub code: ErrorCode,
    /// The reason in words, for the person reading the report.
    pub message: String,
}

impl ExtractError {
    /// An error with `code` and the reason `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ExtractError {
            code,
            message: message.into(),
        }
    }
}

/// Every extractor's typed error converts (`?`, `ExtractError::from`) by its code and its
/// message: one impl for all, so a reader's crate writes none. (`ExtractError` itself is no
/// [`CodedError`], as `anyhow::Error` is no `std::error::Error`: this impl would otherwise
/// overlap `From<T> for T`.)
impl<E: CodedError> From<E> for ExtractError {
    fn from(e: E) -> Self {
        ExtractError::new(e.code(), e.to_string())
    }
}

/// Why a reader refused its input before reading it: the one check, with the one wording,
/// every extractor opens with ([`check_input`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Zero bytes, or only ASCII white space (`empty`).
    #[error("the file is empty (zero bytes, or only white space)")]
    Empty,
    /// More bytes than the reader's `max_input_bytes` (`too_large`).
    #[error("the file has {size} bytes, beyond the {} limit", human_size(*.limit))]
    TooLarge {
        /// The input's size, in bytes.
        size: u64,
        /// The limit it passed, in bytes.
        limit: u64,
    },
}

impl CodedError for InputError {
    fn code(&self) -> ErrorCode {
        match self {
            InputError::Empty => ErrorCode::Empty,
            InputError::TooLarge { .. } => ErrorCode::TooLarge,
        }
    }
}

/// The preamble of every extractor: `bytes` refused when empty (zero bytes or only ASCII
/// white space) or larger than `max_input_bytes`, in that order. It costs the leading white
/// space and nothing more.
///
/// ```
/// use docmodel::{InputError, check_input};
/// assert_eq!(check_input(b" \n", 10), Err(InputError::Empty));
/// assert_eq!(check_input(b"12345", 4).unwrap_err().to_string(),
///            "the file has 5 bytes, beyond the 4 bytes limit");
/// assert!(check_input(b"1234", 4).is_ok());
/// ```
pub fn check_input(bytes: &[u8], max_input_bytes: u64) -> Result<(), InputError> {
    if bytes.trim_ascii_start().is_empty() {
        return Err(InputError::Empty);
    }
    let size = bytes.len() as u64;
    if size > max_input_bytes {
        return Err(InputError::TooLarge {
            size,
            limit: max_input_bytes,
        });
    }
    Ok(())
}

/// The message a caught panic carried (`catch_unwind`'s payload), for an `extract_panic`
/// error.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

/// `64 MiB`, `20 KiB`, `1000 bytes`: a size in the words of the limit tables, for the
/// messages of `too_large` errors.
pub fn human_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names strum gives are the names serde writes, and they parse back.
    #[test]
    fn code_names_agree_with_serde_and_round_trip() {
        let all = <ErrorCode as strum::VariantArray>::VARIANTS;
        assert_eq!(all.len(), 17);
        for &code in all {
            let serde_name = serde_json::to_value(code).unwrap();
            assert_eq!(serde_name, code.as_str());
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::CorruptPdf.as_str(), "corrupt_pdf");
        assert_eq!(ErrorCode::CorruptImage.as_str(), "corrupt_image");
        assert_eq!(ErrorCode::parse("nope"), None);
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(64 << 20), "64 MiB");
        assert_eq!(human_size(20 << 10), "20 KiB");
        assert_eq!(human_size(1000), "1000 bytes");
    }

    #[test]
    fn input_errors_convert_with_their_code_and_words() {
        let e = ExtractError::from(check_input(b"", 1).unwrap_err());
        assert_eq!(e.code, ErrorCode::Empty);
        let e: ExtractError = check_input(&[b'x'; 2048], 1024).unwrap_err().into();
        assert_eq!(e.code, ErrorCode::TooLarge);
        assert_eq!(e.message, "the file has 2048 bytes, beyond the 1 KiB limit");
    }
}
