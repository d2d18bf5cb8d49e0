//! PDF text layer -> noticepipe block model.
//!
//! [`PdfExtractor`] parses the file with lopdf (the PDF object parser pdf-extract is
//! built on), walks each page's content stream itself to get every glyph's position,
//! Unicode text and real advance width, and rebuilds reading order from positions (see
//! the `glyph-layout` crate): lines by baseline, paragraphs by indentation/line length/vertical gaps,
//! ruled tables as [`docmodel::Table`], running headers/footers/page numbers as
//! furniture. pdf-extract's own content walk is the fallback for pages whose fonts this
//! crate cannot map to Unicode, run on a copy of the page that holds only what the budgets
//! let through (see `fallback.rs`, and the crate README for why the main path is our own).
//! Stream filters are decoded by this crate too, under the stream budget (`filters.rs`).
//!
//! Every call into lopdf/pdf-extract runs under `catch_unwind`; a panic becomes
//! `extract_panic`. Resource use is bounded by [`Limits`].
//!
//! ```
//! use docmodel::Extractor;
//! let bytes = std::fs::read("../../corpus/2025-zibo.pdf")?;
//! let doc = extract_pdf::PdfExtractor::default().extract(&bytes)?;
//! assert_eq!(doc.format, docmodel::Format::Pdf);
//! assert!(doc.body().count() > 10, "paragraphs and tables of the notice");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cmap;
mod content;
mod fallback;
mod filters;
mod fonts;
mod lexer;
mod scanned;

pub use scanned::{EmbeddedImage, ImageData, OcrPage, PageOcr, ScannedPage};

use content::{Budget, Interp, PageContent};
use docmodel::{CodedError, Document, ErrorCode, ExtractError, Extractor, Format, InputError};
use fallback::Fallback;
use lopdf::{Dictionary, Object, ObjectId};
use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Resource limits. Input beyond them is refused with `too_large`.
///
/// | field | default | what it bounds |
/// |---|---|---|
/// | `max_input_bytes` | 256 MiB | size of the PDF file (a scan is tens of MB) |
/// | `max_pages` | 500 | pages in the page tree |
/// | `max_operations` | 5 000 000 | content-stream operators, whole document (incl. forms), and the objects copied for the pdf-extract fallback |
/// | `max_glyphs` | 2 000 000 | glyphs shown, whole document (the fallback's included) |
/// | `max_stream_bytes` | 64 MiB | one decoded stream (content, form, CMap, image), checked at every filter of its chain as it decodes (`FlateDecode` and `LZWDecode` with PNG/TIFF predictors, `ASCIIHexDecode`, `ASCII85Decode`, `RunLengthDecode`), and the code map built from one ToUnicode CMap; a CMap stream beyond it makes the document `too_large` |
/// | `max_content_bytes` | 256 MiB | decompressed content interpreted, whole document (pages and forms, each time drawn), plus what the pdf-extract fallback reads for each page it runs on (the page's content, its forms each time drawn, the CMaps and font programs of the fonts it selects) |
/// | `max_image_pixels` | 100 000 000 | pixels of one page image handed to OCR (A3 at 600 dpi is 70 million) |
///
/// Fixed bounds that need no tuning: form XObject nesting 32 (deeper forms and a form
/// drawing itself are skipped, and counted in the `no_text_layer` message when nothing else
/// has text), `q` stack 512, array nesting in content streams 32, `[`/`<<` nesting in the
/// file 256 (refused as `corrupt_pdf` before lopdf's recursive parser could overflow the
/// stack), 65 536 codes per ToUnicode `bfrange`, 4 000 ruling lines per page for table
/// detection, 4 MiB read by the pdf-extract fallback for one page (a page that would have it
/// read more, or whose forms draw themselves or nest deeper than 32, keeps this crate's
/// reading; a larger stream is not handed to it). Image data (`DCTDecode`, `JPXDecode`,
/// `CCITTFaxDecode`, `JBIG2Decode`) is not decoded here: OCR gets it as stored. Time is
/// bounded by the content, operator and glyph budgets (white space, which
/// makes no operator, counts in the content bytes): every loop is linear in them, or
/// n log n (lines: sorting glyphs), except table detection (quadratic in the ruling lines
/// of one page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest PDF accepted, in bytes (default 256 MiB: scanned PDFs are big).
    pub max_input_bytes: usize,
    /// Most pages accepted (default 500).
    pub max_pages: usize,
    /// Content-stream operators interpreted per document (default 5 000 000).
    pub max_operations: u64,
    /// Glyphs shown per document (default 2 000 000).
    pub max_glyphs: u64,
    /// Largest decoded stream, checked at every filter of its chain as it decodes (default
    /// 64 MiB); also bounds the code map one ToUnicode CMap builds.
    pub max_stream_bytes: usize,
    /// Decompressed content bytes interpreted per document, pages and form XObjects, each
    /// time they are drawn, and what the pdf-extract fallback reads again for each page it
    /// runs on (default 256 MiB).
    pub max_content_bytes: u64,
    /// Pixels of one page image handed to OCR (default 100 000 000).
    pub max_image_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 256 << 20,
            max_pages: 500,
            max_operations: 5_000_000,
            max_glyphs: 2_000_000,
            max_stream_bytes: 64 << 20,
            max_content_bytes: 256 << 20,
            max_image_pixels: 100_000_000,
        }
    }
}

/// This crate's typed errors; each maps to one [`ErrorCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Zero bytes or only white space, or beyond [`Limits::max_input_bytes`]: refused
    /// unread ([`docmodel::check_input`]).
    #[error(transparent)]
    Input(#[from] InputError),
    /// A PDF that cannot be parsed (no `%PDF-` header, broken cross-reference, page tree …).
    #[error("corrupt PDF: {0}")]
    Corrupt(String),
    /// Encrypted with a user password (owner-password-only PDFs are opened).
    #[error("PDF is encrypted with a user password; cannot open it without the password")]
    Encrypted,
    /// Pages without any letter, digit or ideograph (a scan); the message says what was
    /// found instead.
    #[error("no text layer: {0}; the pages need OCR")]
    NoTextLayer(String),
    /// Beyond a [`Limits`] bound; the message says which.
    #[error("too large: {0}")]
    TooLarge(String),
    /// The PDF library panicked; caught.
    #[error("panic inside the PDF library: {0}")]
    Panic(String),
}

impl CodedError for Error {
    fn code(&self) -> ErrorCode {
        match self {
            Error::Input(e) => e.code(),
            Error::Corrupt(_) => ErrorCode::CorruptPdf,
            Error::Encrypted => ErrorCode::Encrypted,
            Error::NoTextLayer(_) => ErrorCode::NoTextLayer,
            Error::TooLarge(_) => ErrorCode::TooLarge,
            Error::Panic(_) => ErrorCode::ExtractPanic,
        }
    }
}

/// The PDF extractor. `PdfExtractor::default()` uses [`Limits::default`] and no OCR.
#[derive(Debug, Clone, Default)]
pub struct PdfExtractor {
    /// The resource limits it reads under.
    pub limits: Limits,
    /// OCR for pages without text that draw an image (scans). None: such pages are
    /// left empty, and a PDF with no text at all is `no_text_layer`.
    pub ocr: Option<std::sync::Arc<dyn PageOcr>>,
    /// OCR every page that draws an image, text layer or not (for garbage text layers).
    pub ocr_always: bool,
}

impl Extractor for PdfExtractor {
    fn format(&self) -> Format {
        Format::Pdf
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["pdf"]
    }

    /// "%PDF-" in the first KiB (some producers put junk before it).
    fn recognizes(&self, bytes: &[u8]) -> bool {
        bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    }

    fn extract(&self, bytes: &[u8]) -> Result<Document, ExtractError> {
        let ocr = self.ocr.as_deref().map(|o| (o, self.ocr_always));
        match guarded(|| extract_doc(bytes, &self.limits, ocr)) {
            Ok(doc) => doc,
            Err(e) => Err(e.into()),
        }
    }
}

/// Runs `f`, turning a panic into [`Error::Panic`].
fn guarded<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => Err(Error::Panic(docmodel::panic_message(&*p))),
    }
}

/// A page-tree node to visit: id, inherited Resources, inherited MediaBox.
type TreeNode<'a> = (ObjectId, Option<&'a Dictionary>, Option<[f32; 4]>);

/// A page found by walking the page tree.
struct PageRef<'a> {
    id: ObjectId,
    resources: Option<&'a Dictionary>,
    media: [f32; 4],
}

fn load(bytes: &[u8]) -> Result<lopdf::Document, Error> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(Error::Corrupt("no %PDF- header".into()));
    }
    if let Some(depth) = too_deep(bytes, MAX_NESTING) {
        return Err(Error::Corrupt(format!(
            "objects nested {depth}+ levels deep"
        )));
    }
    let doc = match guarded(|| {
        lopdf::Document::load_mem(bytes).map_err(|e| Error::Corrupt(e.to_string()))
    }) {
        Ok(d) => d,
        Err(Error::Corrupt(m)) => {
            let lower = m.to_lowercase();
            if lower.contains("password") || lower.contains("decrypt") || lower.contains("encrypt")
            {
                return Err(Error::Encrypted);
            }
            return Err(Error::Corrupt(m));
        }
        Err(e) => return Err(e),
    };
    let mut doc = doc;
    if doc.is_encrypted() {
        // Owner-password-only PDFs open with the empty user password.
        guarded(|| doc.decrypt("").map_err(|_| Error::Encrypted))?;
        if doc.is_encrypted() {
            return Err(Error::Encrypted);
        }
    }
    Ok(doc)
}

/// Arrays/dictionaries nested deeper than this are refused before lopdf sees them: its
/// recursive-descent parser would overflow the stack, which no `catch_unwind` survives.
const MAX_NESTING: usize = 256;

/// Scans the file outside streams and strings for `[`/`<<` nesting beyond `max`.
fn too_deep(b: &[u8], max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'[' => depth += 1,
            b'<' if b.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b']' => depth = depth.saturating_sub(1),
            b'>' if b.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'%' => {
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                let mut d = 0usize;
                while i < b.len() {
                    match b[i] {
                        b'\\' => i += 1,
                        b'(' => d += 1,
                        b')' => {
                            d -= 1;
                            if d == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b's' if b[i..].starts_with(b"stream") && !b[..i].ends_with(b"end") => {
                // Skip stream data up to "endstream".
                let from = i + 6;
                match b[from..].windows(9).position(|w| w == b"endstream") {
                    Some(p) => i = from + p + 8,
                    None => return None,
                }
                depth = 0; // a stream ends its object; resynchronise
            }
            b'e' if b[i..].starts_with(b"endobj") => depth = 0,
            _ => {}
        }
        if depth > max {
            return Some(depth);
        }
        i += 1;
    }
    None
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn walk_pages<'a>(doc: &'a lopdf::Document, limits: &Limits) -> Result<Vec<PageRef<'a>>, Error> {
    let root = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|o| o.as_reference().ok())
        .ok_or_else(|| Error::Corrupt("no page tree".into()))?;
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    // (node, inherited Resources, inherited MediaBox); an explicit stack, no recursion.
    let mut stack: Vec<TreeNode> = vec![(root, None, None)];
    while let Some((id, res, media)) = stack.pop() {
        if !seen.insert(id) {
            return Err(Error::Corrupt(format!(
                "page tree refers to object {} {} twice (cycle)",
                id.0, id.1
            )));
        }
        let Ok(node) = doc.get_dictionary(id) else {
            continue; // a missing page object: skip it, as viewers do
        };
        let res = node
            .get(b"Resources")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
            .or(res);
        let media = node
            .get(b"MediaBox")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_array().ok())
            .and_then(|a| {
                let v: Vec<f32> = a
                    .iter()
                    .filter_map(|o| doc.dereference(o).ok().and_then(|(_, o)| num(o)))
                    .collect();
                (v.len() == 4).then(|| {
                    [
                        v[0].min(v[2]),
                        v[1].min(v[3]),
                        v[0].max(v[2]),
                        v[1].max(v[3]),
                    ]
                })
            })
            .or(media);
        match node
            .get(b"Kids")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_array().ok())
        {
            Some(kids)
                if node
                    .get(b"Type")
                    .and_then(|t| t.as_name())
                    .map(|t| t != b"Page")
                    .unwrap_or(true) =>
            {
                for k in kids.iter().rev() {
                    if let Ok(kid) = k.as_reference() {
                        stack.push((kid, res, media));
                    }
                }
            }
            _ => {
                out.push(PageRef {
                    id,
                    resources: res,
                    media: media.unwrap_or([0.0, 0.0, 595.0, 842.0]),
                });
                if out.len() > limits.max_pages {
                    return Err(Error::TooLarge(format!(
                        "more than max_pages {} pages",
                        limits.max_pages
                    )));
                }
            }
        }
    }
    Ok(out)
}

fn page_content(doc: &lopdf::Document, page: ObjectId, limits: &Limits) -> Result<Vec<u8>, Error> {
    let Ok(dict) = doc.get_dictionary(page) else {
        return Ok(Vec::new());
    };
    let Ok(contents) = dict.get(b"Contents") else {
        return Ok(Vec::new());
    };
    let contents = doc
        .dereference(contents)
        .map(|(_, o)| o)
        .unwrap_or(contents);
    let streams: Vec<&Object> = match contents {
        Object::Array(a) => a
            .iter()
            .map(|o| doc.dereference(o).map(|(_, o)| o).unwrap_or(o))
            .collect(),
        o => vec![o],
    };
    let mut out = Vec::new();
    for s in streams {
        if let Object::Stream(s) = s {
            out.extend(content::stream_data(doc, s, limits.max_stream_bytes)?);
            out.push(b'\n');
            if out.len() > limits.max_stream_bytes {
                return Err(Error::TooLarge(format!(
                    "page content beyond max_stream_bytes {}",
                    limits.max_stream_bytes
                )));
            }
        }
    }
    Ok(out)
}

fn pdf_string(o: &Object) -> Option<String> {
    let b = match o {
        Object::String(b, _) => b,
        _ => return None,
    };
    let s = if b.starts_with(&[0xFE, 0xFF]) {
        let u: Vec<u16> = b[2..]
            .chunks(2)
            .filter(|c| c.len() == 2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&u)
    } else if b.starts_with(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(&b[3..]).into_owned()
    } else if b.iter().any(|&c| c >= 0x80) {
        // No BOM but high bytes: producers write UTF-8 or (Chinese ones) GBK here as
        // often as real PDFDocEncoding. UTF-8 that decodes to CJK wins (GBK bytes rarely
        // form valid UTF-8 CJK sequences), then GBK that decodes to CJK.
        let cjk = |t: &str| t.chars().any(fonts::is_wide);
        let utf8 = std::str::from_utf8(b).ok();
        let gbk = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(b);
        match (utf8, gbk) {
            (Some(u), _) if cjk(u) => u.to_string(),
            (_, Some(g)) if cjk(&g) => g.into_owned(),
            (Some(u), _) => u.to_string(),
            _ => b.iter().map(|&c| c as char).collect(),
        }
    } else {
        b.iter().map(|&c| c as char).collect()
    };
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// `D:YYYYMMDDHHmmSSOHH'mm'` -> ISO 8601 (as much as is given).
fn pdf_date(s: &str) -> String {
    let d = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = d.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() < 4 {
        return s.to_string();
    }
    let part = |a: usize, b: usize| digits.get(a..b);
    let mut out = digits[..4].to_string();
    if let Some(m) = part(4, 6) {
        out += &format!("-{m}");
        if let Some(dd) = part(6, 8) {
            out += &format!("-{dd}");
            if let (Some(h), Some(mi)) = (part(8, 10), part(10, 12)) {
                out += &format!("T{h}:{mi}:{}", part(12, 14).unwrap_or("00"));
                let tz = &d[digits.len()..];
                if tz.starts_with('Z') {
                    out.push('Z');
                } else if tz.starts_with('+') || tz.starts_with('-') {
                    let t: String = tz[1..].chars().filter(|c| c.is_ascii_digit()).collect();
                    if t.len() >= 2 {
                        out += &format!("{}{}:{}", &tz[..1], &t[..2], t.get(2..4).unwrap_or("00"));
                    }
                }
            }
        }
    }
    out
}

fn doc_info(doc: &lopdf::Document, info: &mut docmodel::DocInfo) {
    let Some(d) = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return;
    };
    let s = |k: &[u8]| {
        d.get(k)
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| pdf_string(o))
    };
    info.title = s(b"Title");
    info.author = s(b"Author");
    info.created = s(b"CreationDate").map(|c| pdf_date(&c));
}

/// What the content streams of a PDF draw: the layout's input, and what is counted for the
/// `no_text_layer` message.
struct Drawn {
    pages: Vec<glyph_layout::PageIn>,
    images: usize,
    unmapped: usize,
    forms_skipped: usize,
}

/// Interprets every page's content: positioned glyphs and ruling segments per page.
fn draw(pdf: &lopdf::Document, pages: &[PageRef], limits: &Limits) -> Result<Drawn, Error> {
    let mut budget = Budget::default();
    let mut fonts = HashMap::new();
    // Built on the first page that needs it (None inside: no room for its objects).
    let mut fallback: Option<Option<Fallback>> = None;
    let mut out = Drawn {
        pages: Vec::new(),
        images: 0,
        unmapped: 0,
        forms_skipped: 0,
    };
    for (i, p) in pages.iter().enumerate() {
        let number = i as u32 + 1;
        let data = page_content(pdf, p.id, limits)?;
        budget.take_content(data.len(), limits)?;
        let mut interp = Interp {
            doc: pdf,
            limits,
            budget: &mut budget,
            fonts: &mut fonts,
        };
        let mut pc: PageContent = interp.run_page(&data, p.resources)?;
        if pc.unmapped > pc.glyphs.len() {
            // Fonts we cannot map to Unicode: let pdf-extract try (Type1/CFF built-in
            // encodings and glyph names it knows) on a copy of the page holding only what
            // the budgets let through (see `fallback`), under its own panic guard.
            if fallback.is_none() {
                fallback = Some(Fallback::new(pdf));
            }
            if let Some(Some(fb)) = fallback.as_mut() {
                match guarded(|| fb.page(p.resources, p.media, &data, limits, &mut budget)) {
                    Ok(Some(glyphs)) if glyphs.len() > pc.glyphs.len() => {
                        pc.glyphs = glyphs;
                        pc.unmapped = 0;
                    }
                    Err(e @ Error::TooLarge(_)) => return Err(e),
                    _ => {}
                }
            }
        }
        out.images += pc.images;
        out.unmapped += pc.unmapped;
        out.forms_skipped += pc.forms_skipped;
        out.pages.push(glyph_layout::PageIn {
            number,
            media: p.media,
            glyphs: pc.glyphs,
            segs: pc.segs,
        });
    }
    Ok(out)
}

/// The layout's input for a PDF: each page's MediaBox, positioned glyphs and ruling
/// segments, as [`PdfExtractor`] hands them to `glyph-layout`. For tools that re-draw a
/// PDF's text elsewhere (the OFD fixture generator, `examples/to_ofd.rs`).
pub fn layout_input(bytes: &[u8], limits: &Limits) -> Result<Vec<glyph_layout::PageIn>, Error> {
    guarded(|| {
        docmodel::check_input(bytes, limits.max_input_bytes as u64)?;
        let pdf = load(bytes)?;
        let pages = walk_pages(&pdf, limits)?;
        Ok(draw(&pdf, &pages, limits)?.pages)
    })
}

/// The document, or the OCR hook's own error (engine not installed, bad image).
type Extracted = Result<Document, ExtractError>;

fn extract_doc(
    bytes: &[u8],
    limits: &Limits,
    ocr: Option<(&dyn PageOcr, bool)>,
) -> Result<Extracted, Error> {
    docmodel::check_input(bytes, limits.max_input_bytes as u64)?;
    let pdf = load(bytes)?;
    let pages = walk_pages(&pdf, limits)?;
    if pages.is_empty() {
        return Err(Error::Corrupt("the page tree has no pages".into()));
    }
    let mut out = Document::new(Format::Pdf);
    out.info.pages = Some(pages.len() as u32);
    doc_info(&pdf, &mut out.info);

    let mut drawn = draw(&pdf, &pages, limits)?;
    if let Some((ocr, always)) = ocr
        && let Err(e) = ocr_pages(&pdf, &pages, &mut drawn, ocr, always, limits, &mut out)?
    {
        return Ok(Err(e));
    }
    glyph_layout::build(drawn.pages, &mut out);
    if !out.has_text() {
        let mut why = if drawn.unmapped > 0 {
            format!(
                "{} glyphs in fonts without a Unicode mapping and no other text",
                drawn.unmapped
            )
        } else {
            format!(
                "{} page(s), {} image(s), no text",
                pages.len(),
                drawn.images
            )
        };
        if drawn.forms_skipped > 0 {
            why.push_str(&format!(
                "; {} form XObject(s) not read (nested deeper than {} or drawing themselves)",
                drawn.forms_skipped,
                content::MAX_FORM_DEPTH
            ));
        }
        return Err(Error::NoTextLayer(why));
    }
    Ok(Ok(out))
}

/// Replaces the glyphs of scanned pages by what OCR reads on their image: pages without
/// text (or every page, `always`) that draw an image. When the engine is missing, the
/// document fails with its error only if no page has text of its own (or `always`).
fn ocr_pages(
    pdf: &lopdf::Document,
    pages: &[PageRef],
    drawn: &mut Drawn,
    ocr: &dyn PageOcr,
    always: bool,
    limits: &Limits,
    out: &mut Document,
) -> Result<Result<(), ExtractError>, Error> {
    let has_text = |p: &glyph_layout::PageIn| p.glyphs.iter().any(|g| !g.text.trim().is_empty());
    let any_text = drawn.pages.iter().any(has_text);
    let mut info = docmodel::OcrInfo::default();
    for (p, page) in pages.iter().zip(drawn.pages.iter_mut()) {
        if !always && has_text(page) {
            continue;
        }
        let Some(image) = scanned::page_image(pdf, p.resources, limits)? else {
            continue;
        };
        if info.engine.is_empty() {
            match ocr.engine() {
                Ok(engine) => info.engine = engine,
                Err(_) if any_text && !always => return Ok(Ok(())),
                Err(e) => return Ok(Err(e)),
            }
        }
        let scanned = ScannedPage {
            number: page.number,
            media: p.media,
            image,
        };
        let read = match ocr.recognize(&scanned) {
            Ok(read) => read,
            Err(e) => return Ok(Err(e)),
        };
        page.glyphs = read.glyphs;
        page.segs = read.segs;
        info.pages.push(page.number);
        info.lines.extend(read.lines);
    }
    if !info.pages.is_empty() {
        out.info.ocr = Some(info);
    }
    Ok(Ok(()))
}

/// Plain text of a PDF as pdf-extract 0.12.1 gives it (`extract_text_from_mem`), with
/// its panics caught (`Error::Panic`). Not used by [`PdfExtractor`]'s main path (stream
/// order, spaces between per-glyph positioned characters, panics on predefined CMaps:
/// see the README); kept as a cross-check and for callers who want pdf-extract's output.
pub fn pdf_extract_text(bytes: &[u8]) -> Result<String, Error> {
    guarded(|| pdf_extract::extract_text_from_mem(bytes).map_err(|e| Error::Corrupt(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_extract_panic() {
        let r: Result<(), Error> = guarded(|| panic!("boom"));
        assert_eq!(r.unwrap_err().code(), ErrorCode::ExtractPanic);
    }

    #[test]
    fn deep_nesting_is_refused_before_lopdf() {
        let mut pdf = b"%PDF-1.4\n1 0 obj\n".to_vec();
        pdf.extend(std::iter::repeat_n(b'[', 100_000));
        pdf.extend(b"\nendobj\n");
        let e = extract_doc(&pdf, &Limits::default(), None).unwrap_err();
        assert_eq!(e.code(), ErrorCode::CorruptPdf, "{e}");
        assert_eq!(
            too_deep(b"<< /A [ (a[[[[ \\( ) ] >> stream\n[[[[[[ endstream", 3),
            None
        );
    }

    #[test]
    fn info_strings() {
        let s = |b: &[u8]| pdf_string(&Object::String(b.to_vec(), lopdf::StringFormat::Literal));
        assert_eq!(s(b"\xFE\xFF\x4E\x2D").as_deref(), Some("中"));
        assert_eq!(s("通知".as_bytes()).as_deref(), Some("通知"));
        assert_eq!(s(b"\xCD\xA8\xD6\xAA").as_deref(), Some("通知")); // GBK
        assert_eq!(s(b"Title").as_deref(), Some("Title"));
    }

    #[test]
    fn pdf_dates() {
        assert_eq!(
            pdf_date("D:20240328101500+08'00'"),
            "2024-03-28T10:15:00+08:00"
        );
        assert_eq!(pdf_date("D:20261123154708Z"), "2026-11-23T15:47:08Z");
        assert_eq!(pdf_date("D:2024"), "2024");
    }
}
