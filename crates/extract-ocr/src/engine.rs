//! The engine boundary: a page image in, text lines with positioned characters out.
//! Another engine (Tesseract, a newer PP-OCR) is another implementation of [`Engine`].

use crate::{Error, Gray};

/// One character as the engine read it, placed along its line (pixels of the page image).
#[derive(Debug, Clone, PartialEq)]
pub struct RecognizedChar {
    /// The character (one `char` as a rule; `" "` for a space).
    pub text: String,
    /// Left edge of the time steps it was read in.
    pub x0: f32,
    /// Right edge of the time steps it was read in.
    pub x1: f32,
    /// 0–1.
    pub confidence: f32,
}

/// A text line: its box `[x0, y0, x1, y1]` (pixels, y down) and its characters in order.
#[derive(Debug, Clone, PartialEq)]
pub struct RecognizedLine {
    /// The line's box.
    pub bbox: [f32; 4],
    /// Its characters, left to right.
    pub chars: Vec<RecognizedChar>,
}

impl RecognizedLine {
    /// The line's text as read.
    pub fn text(&self) -> String {
        self.chars.iter().map(|c| c.text.as_str()).collect()
    }

    /// Mean confidence of its characters (1 for an empty line).
    pub fn confidence(&self) -> f32 {
        if self.chars.is_empty() {
            return 1.0;
        }
        self.chars.iter().map(|c| c.confidence).sum::<f32>() / self.chars.len() as f32
    }
}

/// An OCR engine. Implementations are loaded once per process and shared.
pub trait Engine: Send + Sync {
    /// Name and version, as `source.ocr.engine` reports it.
    fn version(&self) -> String;
    /// The text lines of a deskewed greyscale page.
    fn recognize(&self, page: &Gray) -> Result<Vec<RecognizedLine>, Error>;
}
