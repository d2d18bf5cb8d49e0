//! OFD (GB/T 33190-2016) → noticepipe block model.
//!
//! An OFD is a ZIP (read by the shared capped reader, `zip-container`): `OFD.xml` names the
//! document's `Document.xml` (`DocBody/DocRoot`), which gives the page box, the template
//! pages and the pages; each page's `Content.xml` draws text objects whose `TextCode`s carry
//! Unicode text with the position of every glyph, and path objects (table rulings). This
//! crate turns them into positioned glyphs and ruling segments in points, y up, and hands
//! them to `glyph-layout` — the layout the PDF extractor uses — for lines, paragraphs,
//! furniture and ruled tables (see `content` for what is read and how it is placed).
//!
//! Signatures and seals (`Signatures.xml`) are not text: [`docmodel::DocInfo::signatures`]
//! says how many the package lists. Every input is bounded by [`Limits`].
//!
//! The extractor knows nothing of notices.
//!
//! ```
//! use docmodel::Extractor;
//! let bytes = std::fs::read("../../fixtures/ofd/2025-zibo.ofd")?;
//! let doc = extract_ofd::OfdExtractor::default().extract(&bytes)?;
//! assert_eq!(doc.format, docmodel::Format::Ofd);
//! assert!(doc.body().count() > 10, "paragraphs and tables of the notice");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod content;
mod package;
mod xml;

use std::collections::HashMap;

use docmodel::{CodedError, Document, ErrorCode, ExtractError, Extractor, Format, InputError};
use zip_container::Package;

use content::Drawn;

const MIB: u64 = 1024 * 1024;

/// Points per millimetre: OFD measures in millimetres, the layout in PDF points.
const PT_PER_MM: f64 = 72.0 / 25.4;

/// Resource limits. Input beyond any of them is refused with `too_large`.
///
/// | field | default | what it bounds |
/// |---|---|---|
/// | `max_input_bytes` | 64 MiB | size of the `.ofd` file |
/// | `max_entries` | 10,000 | entries in the ZIP |
/// | `max_part_bytes` | 64 MiB | inflated size of one part read (declared and actual) |
/// | `max_total_bytes` | 256 MiB | inflated size of all parts read, summed (a template drawn on every page is read once) |
/// | `max_pages` | 500 | pages `Document.xml` lists |
/// | `max_objects` | 1,000,000 | graphic objects, page blocks and text codes, whole document (a template counts on every page it is drawn on) |
/// | `max_glyphs` | 2,000,000 | characters of text codes, whole document |
/// | `max_path_commands` | 5,000,000 | path commands (`M L B Q A C`), whole document |
/// | `max_depth` | 64 | element nesting in one part (`PageBlock` in `PageBlock` …) |
///
/// Time is linear in these budgets (XML is streamed, never held as a tree; a `g N v` run
/// expands only to the glyphs it spaces), but for the layout, which is n log n in a page's
/// glyphs and quadratic in its rulings (at most 4,000 read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest `.ofd` file read, in bytes.
    pub max_input_bytes: u64,
    /// Most entries in the ZIP.
    pub max_entries: usize,
    /// Largest inflated size of one part read, in bytes (declared and actual).
    pub max_part_bytes: u64,
    /// Largest inflated size of all parts read, summed, in bytes.
    pub max_total_bytes: u64,
    /// Most pages `Document.xml` may list.
    pub max_pages: usize,
    /// Most graphic objects, page blocks and text codes in the whole document.
    pub max_objects: u64,
    /// Most characters of text codes in the whole document.
    pub max_glyphs: u64,
    /// Most path commands (`M L B Q A C`) in the whole document.
    pub max_path_commands: u64,
    /// Deepest element nesting in one part.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 * MIB,
            max_entries: 10_000,
            max_part_bytes: 64 * MIB,
            max_total_bytes: 256 * MIB,
            max_pages: 500,
            max_objects: 1_000_000,
            max_glyphs: 2_000_000,
            max_path_commands: 5_000_000,
            max_depth: 64,
        }
    }
}

impl Limits {
    fn zip(&self) -> zip_container::Limits {
        zip_container::Limits {
            max_entries: self.max_entries,
            max_part_bytes: self.max_part_bytes,
            max_total_bytes: self.max_total_bytes,
        }
    }
}

/// Why an OFD was refused. Each variant maps to one [`ErrorCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Zero bytes or only white space, or beyond [`Limits::max_input_bytes`]: refused
    /// unread ([`docmodel::check_input`]).
    #[error(transparent)]
    Input(#[from] InputError),
    /// Not a readable ZIP archive (truncated, bad central directory, unreadable entry).
    #[error("not a readable ZIP archive: {0}")]
    CorruptZip(String),
    /// A ZIP without `OFD.xml`.
    #[error("not an OFD: {0}")]
    NotOfd(String),
    /// A part missing, or not well-formed XML.
    #[error("corrupt OFD: {0}")]
    Corrupt(String),
    /// Pages without any letter, digit or ideograph: a scan.
    #[error("no text layer: {0}; the pages need OCR")]
    NoTextLayer(String),
    /// Beyond a [`Limits`] budget; the message says which.
    #[error("too large: {0}")]
    TooLarge(String),
}

impl CodedError for Error {
    fn code(&self) -> ErrorCode {
        match self {
            Error::Input(e) => e.code(),
            Error::CorruptZip(_) => ErrorCode::CorruptZip,
            Error::NotOfd(_) => ErrorCode::UnsupportedFormat,
            Error::Corrupt(_) => ErrorCode::CorruptOfd,
            Error::NoTextLayer(_) => ErrorCode::NoTextLayer,
            Error::TooLarge(_) => ErrorCode::TooLarge,
        }
    }
}

impl From<zip_container::Error> for Error {
    fn from(e: zip_container::Error) -> Self {
        match e {
            zip_container::Error::Corrupt(m) => Error::CorruptZip(m),
            zip_container::Error::TooLarge(m) => Error::TooLarge(m),
        }
    }
}

/// Document-wide counters checked against [`Limits`].
#[derive(Debug, Default)]
pub(crate) struct Budget {
    objects: u64,
    glyphs: u64,
    path_commands: u64,
}

impl Budget {
    fn object(&mut self, s: &Limits) -> Result<(), Error> {
        self.objects += 1;
        over(
            self.objects,
            s.max_objects,
            "max_objects",
            "graphic objects",
        )
    }
    fn glyphs(&mut self, n: u64, s: &Limits) -> Result<(), Error> {
        self.glyphs += n;
        over(self.glyphs, s.max_glyphs, "max_glyphs", "glyphs")
    }
    fn path_commands(&mut self, n: u64, s: &Limits) -> Result<(), Error> {
        self.path_commands += n;
        over(
            self.path_commands,
            s.max_path_commands,
            "max_path_commands",
            "path commands",
        )
    }
}

fn over(used: u64, max: u64, name: &str, what: &str) -> Result<(), Error> {
    if used > max {
        return Err(Error::TooLarge(format!("more than {name} {max} {what}")));
    }
    Ok(())
}

/// The OFD extractor. `OfdExtractor::default()` uses [`Limits::default`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OfdExtractor {
    /// The budgets it reads under.
    pub limits: Limits,
}

impl OfdExtractor {
    /// Like [`Extractor::extract`] but with this crate's typed error.
    pub fn extract_ofd(&self, bytes: &[u8]) -> Result<Document, Error> {
        extract(bytes, &self.limits)
    }
}

impl Extractor for OfdExtractor {
    fn format(&self) -> Format {
        Format::Ofd
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["ofd"]
    }

    /// A ZIP holding `OFD.xml`, the package's entry point at its root (GB/T 33190). A
    /// ZIP whose bytes never spell the name is not opened (every DOCX passes here first).
    fn recognizes(&self, bytes: &[u8]) -> bool {
        zip_container::has_zip_magic(bytes)
            && memchr::memmem::find(bytes, b"OFD.xml").is_some()
            && zip_container::peek(bytes).is_ok_and(|pkg| pkg.contains("OFD.xml"))
    }

    fn extract(&self, bytes: &[u8]) -> Result<Document, ExtractError> {
        Ok(self.extract_ofd(bytes)?)
    }
}

/// Reads a part the package must have.
fn required(pkg: &mut Package<'_>, name: &str, what: &str) -> Result<Vec<u8>, Error> {
    pkg.read(name)?
        .ok_or_else(|| Error::Corrupt(format!("{what} {name} is missing from the package")))
}

fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    docmodel::check_input(bytes, limits.max_input_bytes)?;
    let mut pkg = Package::open(bytes, &limits.zip())?;
    let Some(ofd_xml) = pkg.read("OFD.xml")? else {
        return Err(Error::NotOfd("the ZIP has no OFD.xml".into()));
    };
    let entry = package::entry(&ofd_xml, limits)?;
    let root = entry
        .doc_root
        .clone()
        .ok_or_else(|| Error::Corrupt("OFD.xml names no DocRoot".into()))?;
    let desc = package::document(&root, &required(&mut pkg, &root, "the document")?, limits)?;
    if desc.pages.is_empty() {
        return Err(Error::Corrupt(format!("{root} lists no pages")));
    }

    let mut out = Document::new(Format::Ofd);
    out.info.pages = Some(desc.pages.len() as u32);
    out.info.title = entry.title.clone();
    out.info.author = entry.author.clone();
    out.info.created = entry.created.clone();
    // No `Signatures` in OFD.xml: unsigned, 0. Listed but missing: the count is what is
    // there.
    out.info.signatures = Some(match &entry.signatures {
        Some(sigs) => match pkg.read(sigs)? {
            Some(x) => package::signatures(sigs, &x, limits)?,
            None => 0,
        },
        None => 0,
    });

    let mut budget = Budget::default();
    let mut templates: HashMap<String, Drawn> = HashMap::new();
    let mut pages = Vec::with_capacity(desc.pages.len());
    let mut images = 0;
    for (i, page) in desc.pages.iter().enumerate() {
        let xml = required(&mut pkg, &page.content, "page content")?;
        let mut drawn = content::read(&page.content, &xml, limits, &mut budget)?;
        for id in std::mem::take(&mut drawn.templates) {
            let Some(loc) = desc.templates.get(&id) else {
                continue; // a template the document does not define: nothing drawn
            };
            if !templates.contains_key(&id) {
                let t = match pkg.read(loc)? {
                    Some(x) => content::read(loc, &x, limits, &mut budget)?,
                    None => Drawn::default(),
                };
                templates.insert(id.clone(), t);
            } else {
                // Drawn again: its objects count again, as in PDF a form drawn twice does.
                let t = &templates[&id];
                budget.glyphs(t.glyphs.len() as u64, limits)?;
            }
            let t = &templates[&id];
            drawn.glyphs.extend(t.glyphs.iter().cloned());
            drawn.segs.extend(t.segs.iter().copied());
            drawn.images += t.images;
        }
        images += drawn.images;
        let page_box = drawn
            .page_box
            .or(desc.page_box)
            .unwrap_or([0.0, 0.0, 210.0, 297.0]);
        pages.push(to_layout(i as u32 + 1, page_box, drawn));
    }
    glyph_layout::build(pages, &mut out);
    if !out.has_text() {
        return Err(Error::NoTextLayer(format!(
            "{} page(s), {images} image(s), no text",
            desc.pages.len()
        )));
    }
    Ok(out)
}

/// A page in the layout's terms: points, y up, the page box at the origin.
fn to_layout(number: u32, page_box: [f64; 4], drawn: Drawn) -> glyph_layout::PageIn {
    let [bx, by, w, h] = page_box;
    let x = |v: f64| ((v - bx) * PT_PER_MM) as f32;
    let y = |v: f64| ((by + h - v) * PT_PER_MM) as f32;
    let glyphs = drawn
        .glyphs
        .into_iter()
        .map(|g| glyph_layout::Glyph {
            text: g.text,
            x0: x(g.x0),
            x1: x(g.x1),
            y: y(g.y),
            size: (g.size * PT_PER_MM) as f32,
        })
        .collect();
    let segs = drawn
        .segs
        .into_iter()
        .map(|s| glyph_layout::Seg {
            x0: x(s.x0),
            y0: y(s.y1),
            x1: x(s.x1),
            y1: y(s.y0),
        })
        .collect();
    glyph_layout::PageIn {
        number,
        media: [0.0, 0.0, (w * PT_PER_MM) as f32, (h * PT_PER_MM) as f32],
        glyphs,
        segs,
    }
}
