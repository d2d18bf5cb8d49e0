//! pdf-extract as the fallback for pages whose fonts this crate cannot map, under the
//! budgets.
//!
//! pdf-extract reads through lopdf with no limit of its own: every stream it touches is
//! decoded in full (a ToUnicode CMap, a font program, an image, an ICC profile …), again on
//! every page, an image XObject is parsed as a content stream, and form XObjects are drawn
//! with no guard against a form that draws itself. So it never sees the document itself: it
//! gets a copy of the page (`mini`) in which
//!
//! - every stream is empty, except the ones pdf-extract reads text from — the content of
//!   the page and of the forms it draws, and the ToUnicode CMaps, Type0 `/Encoding` CMaps and
//!   Type1/CFF font programs of the fonts it selects — which hold the bytes this crate
//!   decoded, at most `max_stream_bytes` and [`FALLBACK_BYTES`] (a stream refused by the
//!   budget stays empty; one with a filter nobody decodes keeps its stored bytes, as lopdf
//!   hands them over);
//! - the forms pdf-extract would draw are found first, with lopdf's own content parser (the
//!   one pdf-extract runs) on those same bytes: a form that draws itself, or forms nested
//!   deeper than [`MAX_FORM_DEPTH`], and the page is not handed over;
//! - what pdf-extract will read for the page (its content, each form each time drawn, the
//!   CMaps and font programs of each font it selects) is added up before it runs: a page
//!   that would have it read more than [`FALLBACK_BYTES`] is not handed over (pdf-extract
//!   holds tens of times what it reads: parsed operators, its font parsers' tokens), and
//!   what it reads is counted against `max_content_bytes`, the objects copied against
//!   `max_operations`: past them the document is `too_large`.
//!
//! The copy is kept across pages: objects are copied and streams decoded once per document.

use crate::content::{Budget, MAX_FORM_DEPTH, PGlyph};
use crate::{Error, Limits, filters, fonts};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::{HashMap, HashSet};

/// The most pdf-extract may read for one page (content, forms each time drawn, fonts); also
/// the largest stream it is handed (a larger one stays empty in the copy).
pub const FALLBACK_BYTES: u64 = 4 << 20;

/// The copy pdf-extract reads, built page by page.
pub struct Fallback<'a> {
    src: &'a Document,
    mini: Document,
    /// Objects of `src` already copied into `mini` (same ids).
    copied: HashSet<ObjectId>,
    /// Streams of `mini` whose decoded bytes were looked for, with their size (0: refused
    /// or undecodable, left empty).
    filled: HashMap<ObjectId, u64>,
    /// Decoded bytes not yet written into `mini` (a look ahead borrows it).
    pending: HashMap<ObjectId, Vec<u8>>,
    pages: ObjectId,
    page: ObjectId,
    content: ObjectId,
}

impl<'a> Fallback<'a> {
    /// None when `src` leaves no object numbers for the four objects the copy adds.
    pub fn new(src: &'a Document) -> Option<Self> {
        let base = match src.objects.keys().next_back() {
            Some(id) => id.0.checked_add(1)?,
            None => 1,
        };
        let [catalog, pages, page, content] = [0, 1, 2, 3].map(|i| base.checked_add(i));
        let (catalog, pages, page, content) =
            ((catalog?, 0), (pages?, 0), (page?, 0), (content?, 0));
        let mut mini = Document::new();
        let mut cat = Dictionary::new();
        cat.set("Type", Object::Name(b"Catalog".to_vec()));
        cat.set("Pages", Object::Reference(pages));
        mini.objects.insert(catalog, Object::Dictionary(cat));
        let mut tree = Dictionary::new();
        tree.set("Type", Object::Name(b"Pages".to_vec()));
        tree.set("Kids", Object::Array(vec![Object::Reference(page)]));
        tree.set("Count", Object::Integer(1));
        mini.objects.insert(pages, Object::Dictionary(tree));
        mini.trailer.set("Root", Object::Reference(catalog));
        mini.max_id = content.0;
        Some(Fallback {
            src,
            mini,
            copied: HashSet::new(),
            filled: HashMap::new(),
            pending: HashMap::new(),
            pages,
            page,
            content,
        })
    }

    /// The page's glyphs as pdf-extract reads them from the copy; None when the page is not
    /// handed over (more than [`FALLBACK_BYTES`] to read, forms drawing themselves or nested
    /// too deep) or pdf-extract fails on it. An error only past a budget.
    pub fn page(
        &mut self,
        resources: Option<&'a Dictionary>,
        media: [f32; 4],
        content: &[u8],
        limits: &Limits,
        budget: &mut Budget,
    ) -> Result<Option<Vec<PGlyph>>, Error> {
        if content.len() as u64 > FALLBACK_BYTES {
            return Ok(None);
        }
        if let Some(r) = resources {
            self.copy(r, limits, budget)?;
        }
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference(self.pages));
        page.set(
            "MediaBox",
            Object::Array(media.iter().map(|&v| Object::Real(v)).collect()),
        );
        page.set("Contents", Object::Reference(self.content));
        if let Some(r) = resources {
            page.set("Resources", Object::Dictionary(r.clone()));
        }
        self.mini
            .objects
            .insert(self.page, Object::Dictionary(page));
        self.mini.objects.insert(
            self.content,
            Object::Stream(Stream::new(Dictionary::new(), content.to_vec())),
        );

        let page_resources = self
            .mini
            .get_dictionary(self.page)
            .ok()
            .and_then(|p| p.get(b"Resources").ok())
            .and_then(|r| r.as_dict().ok());
        let mut run = Run {
            mini: &self.mini,
            src: self.src,
            filled: &mut self.filled,
            pending: &mut self.pending,
            limits,
            budget: &mut *budget,
            memo: HashMap::new(),
            fonts: HashSet::new(),
            path: Vec::new(),
        };
        let cost = run.cost(self.content, page_resources);
        // Streams decoded by the look ahead go into the copy whatever it decided (they are
        // counted as filled).
        for (id, data) in self.pending.drain() {
            if let Ok(Object::Stream(s)) = self.mini.get_object_mut(id) {
                s.set_content(data);
            }
        }
        let Some(cost) = cost? else {
            return Ok(None);
        };
        budget.content_bytes = budget.content_bytes.saturating_add(cost);
        if budget.content_bytes > limits.max_content_bytes {
            return Err(Error::TooLarge(format!(
                "more than max_content_bytes {} bytes of content streams (the pdf-extract \
                 fallback reads a page's content, forms and fonts again)",
                limits.max_content_bytes
            )));
        }

        let mut c = Collect { glyphs: Vec::new() };
        if pdf_extract::output_doc_page(&self.mini, &mut c, 1).is_err() {
            return Ok(None);
        }
        budget.glyphs += c.glyphs.len() as u64;
        if budget.glyphs > limits.max_glyphs {
            return Err(Error::TooLarge(format!(
                "more than max_glyphs {} glyphs",
                limits.max_glyphs
            )));
        }
        Ok(Some(c.glyphs))
    }

    /// Copies what `root` refers to into `mini`, streams empty; each object visited counts as
    /// an operation.
    fn copy(
        &mut self,
        root: &'a Dictionary,
        limits: &Limits,
        budget: &mut Budget,
    ) -> Result<(), Error> {
        let values = |d: &'a Dictionary| {
            d.iter()
                .filter(|(k, _)| k.as_slice() != b"Parent")
                .map(|(_, v)| v)
        };
        let mut stack: Vec<&'a Object> = values(root).collect();
        while let Some(o) = stack.pop() {
            budget.ops += 1;
            if budget.ops > limits.max_operations {
                return Err(Error::TooLarge(format!(
                    "more than max_operations {} content operators (objects the pdf-extract \
                     fallback copies counted)",
                    limits.max_operations
                )));
            }
            match o {
                Object::Reference(id) => {
                    if !self.copied.insert(*id) {
                        continue;
                    }
                    let Ok(obj) = self.src.get_object(*id) else {
                        continue;
                    };
                    let copy = match obj {
                        Object::Stream(s) => {
                            let mut d = s.dict.clone();
                            d.remove(b"Filter");
                            d.remove(b"DecodeParms");
                            d.remove(b"DL");
                            Object::Stream(Stream::new(d, Vec::new()))
                        }
                        o => o.clone(),
                    };
                    self.mini.objects.insert(*id, copy);
                    stack.push(obj);
                }
                Object::Array(a) => stack.extend(a.iter()),
                Object::Dictionary(d) => stack.extend(values(d)),
                Object::Stream(s) => stack.extend(values(&s.dict)),
                _ => {}
            }
        }
        Ok(())
    }
}

/// One page's look ahead at what pdf-extract will do.
struct Run<'m, 'b> {
    mini: &'m Document,
    src: &'m Document,
    filled: &'b mut HashMap<ObjectId, u64>,
    /// Decoded bytes of streams filled during this run, written into `mini` after it.
    pending: &'b mut HashMap<ObjectId, Vec<u8>>,
    limits: &'b Limits,
    budget: &'b mut Budget,
    /// Cost of a (stream, resources) already looked at.
    memo: HashMap<(ObjectId, usize), u64>,
    /// Fonts selected on the page (pdf-extract loads each once a page).
    fonts: HashSet<usize>,
    /// The forms being drawn, outermost first.
    path: Vec<(ObjectId, usize)>,
}

fn name(o: Option<&Object>) -> Option<&[u8]> {
    o.and_then(|o| o.as_name().ok())
}

impl<'m> Run<'m, '_> {
    fn deref(&self, o: &'m Object) -> (Option<ObjectId>, &'m Object) {
        self.mini.dereference(o).unwrap_or((None, o))
    }

    /// `resources[kind][key]`, as pdf-extract looks it up.
    fn resource(
        &self,
        resources: Option<&'m Dictionary>,
        kind: &[u8],
        key: &[u8],
    ) -> Option<(Option<ObjectId>, &'m Object)> {
        let dict = self.deref(resources?.get(kind).ok()?).1.as_dict().ok()?;
        Some(self.deref(dict.get(key).ok()?))
    }

    fn bytes(&self, id: ObjectId) -> &[u8] {
        match self.pending.get(&id) {
            Some(b) => b,
            None => match self.mini.get_object(id) {
                Ok(Object::Stream(s)) => &s.content,
                _ => &[],
            },
        }
    }

    /// Decodes stream `id` of the document for the copy, once; its size (0 when the budget
    /// refuses it: it stays empty).
    fn fill(&mut self, id: ObjectId) -> Result<u64, Error> {
        if let Some(&n) = self.filled.get(&id) {
            return Ok(n);
        }
        let data = match self.src.get_object(id) {
            Ok(Object::Stream(s)) => {
                let max = (self.limits.max_stream_bytes as u64).min(FALLBACK_BYTES) as usize;
                match filters::decode(self.src, s, max) {
                    Ok(d) if d.image.is_none() => d.data,
                    Err(Error::TooLarge(_)) => Vec::new(),
                    // Filters nobody decodes, or broken ones: the bytes as stored, as
                    // pdf-extract gets them from lopdf.
                    _ if s.content.len() <= max => s.content.clone(),
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        };
        let n = data.len() as u64;
        self.budget.take_content(data.len(), self.limits)?;
        self.filled.insert(id, n);
        if n > 0 {
            self.pending.insert(id, data);
        }
        Ok(n)
    }

    /// Fills the streams pdf-extract reads when it loads `font` (its `make_font`); their size.
    fn fill_font(&mut self, font: &'m Dictionary) -> Result<u64, Error> {
        let subtype = name(font.get(b"Subtype").ok().map(|o| self.deref(o).1));
        let mut streams = vec![font.get(b"ToUnicode").ok()];
        match subtype {
            Some(b"Type0") => streams.push(font.get(b"Encoding").ok()),
            Some(b"Type3") => {}
            _ => {
                let desc = font
                    .get(b"FontDescriptor")
                    .ok()
                    .and_then(|o| self.deref(o).1.as_dict().ok());
                if let Some(desc) = desc {
                    if subtype == Some(b"Type1") {
                        streams.push(desc.get(b"FontFile").ok());
                    }
                    streams.push(desc.get(b"FontFile3").ok());
                }
            }
        }
        let mut n = 0u64;
        for o in streams.into_iter().flatten() {
            if let (Some(id), Object::Stream(_)) = self.deref(o) {
                n = n.saturating_add(self.fill(id)?);
            }
        }
        Ok(n)
    }

    /// What pdf-extract reads to draw stream `id` with `resources`: its bytes, each form it
    /// draws (each time), and the fonts it selects first on the page. None: more than
    /// [`FALLBACK_BYTES`], or it draws a form that draws itself, or forms nest deeper than
    /// [`MAX_FORM_DEPTH`].
    fn cost(
        &mut self,
        id: ObjectId,
        resources: Option<&'m Dictionary>,
    ) -> Result<Option<u64>, Error> {
        let key = (id, resources.map_or(0, |r| r as *const Dictionary as usize));
        if let Some(&c) = self.memo.get(&key) {
            return Ok(Some(c));
        }
        if self.path.contains(&key) || self.path.len() > MAX_FORM_DEPTH {
            return Ok(None);
        }
        let (mut total, ops) = {
            let b = self.bytes(id);
            (b.len() as u64, lopdf::content::Content::decode(b))
        };
        for op in ops.map(|c| c.operations).unwrap_or_default() {
            let Some(n) = name(op.operands.first()) else {
                continue;
            };
            match op.operator.as_str() {
                "Tf" => {
                    let Some(font) = self
                        .resource(resources, b"Font", n)
                        .and_then(|(_, f)| f.as_dict().ok())
                    else {
                        continue;
                    };
                    if self.fonts.insert(font as *const Dictionary as usize) {
                        total = total.saturating_add(self.fill_font(font)?);
                    }
                    if total > FALLBACK_BYTES {
                        return Ok(None);
                    }
                }
                "Do" => {
                    let Some((Some(xid), Object::Stream(xf))) =
                        self.resource(resources, b"XObject", n)
                    else {
                        continue;
                    };
                    let inner = xf
                        .dict
                        .get(b"Resources")
                        .ok()
                        .and_then(|o| self.deref(o).1.as_dict().ok())
                        .or(resources);
                    if name(xf.dict.get(b"Subtype").ok()) == Some(b"Form") {
                        self.fill(xid)?;
                    }
                    self.path.push(key);
                    let c = self.cost(xid, inner)?;
                    self.path.pop();
                    match c {
                        Some(c) if total.saturating_add(c) <= FALLBACK_BYTES => total += c,
                        _ => return Ok(None),
                    }
                }
                _ => {}
            }
        }
        self.memo.insert(key, total);
        Ok(Some(total))
    }
}

/// Collects pdf-extract's positioned characters for one page.
struct Collect {
    glyphs: Vec<PGlyph>,
}

impl pdf_extract::OutputDev for Collect {
    fn begin_page(
        &mut self,
        _: u32,
        _: &pdf_extract::MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        let (vx, vy) = (
            font_size * (trm.m11 + trm.m21),
            font_size * (trm.m12 + trm.m22),
        );
        let size = (vx * vy).abs().sqrt() as f32;
        let (x, y) = (trm.m31 as f32, trm.m32 as f32);
        let t: String = ch
            .chars()
            .filter(|c| !c.is_control() && !c.is_whitespace())
            .collect();
        if !t.is_empty() {
            let w = (width as f32 * size).max(0.0);
            // pdf-extract reports 0 for widths from /W range entries: assume a full em
            // for wide characters, half an em otherwise.
            let w = if w > 0.0 {
                w
            } else if t.chars().any(fonts::is_wide) {
                size
            } else {
                0.5 * size
            };
            self.glyphs.push(PGlyph {
                text: t,
                x0: x,
                x1: x + w,
                y,
                size,
            });
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}
