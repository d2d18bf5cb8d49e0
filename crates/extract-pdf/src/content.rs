//! Content-stream interpreter: positioned glyphs and ruling lines of one page.

use crate::fonts::Font;
use crate::lexer::{Lexer, Operand};
use crate::{Error, Limits};
pub use glyph_layout::{Glyph as PGlyph, Seg};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Debug, Default)]
pub struct PageContent {
    pub glyphs: Vec<PGlyph>,
    pub segs: Vec<Seg>,
    pub images: usize,
    /// Glyphs whose font gave no Unicode.
    pub unmapped: usize,
    /// Form XObjects not drawn: nested deeper than the limit, or drawing themselves.
    pub forms_skipped: usize,
}

/// Document-wide counters checked against [`Limits`].
#[derive(Debug, Default)]
pub struct Budget {
    pub ops: u64,
    pub glyphs: u64,
    pub content_bytes: u64,
}

impl Budget {
    /// Counts `n` bytes of content about to be interpreted.
    pub fn take_content(&mut self, n: usize, limits: &Limits) -> Result<(), Error> {
        self.content_bytes += n as u64;
        if self.content_bytes > limits.max_content_bytes {
            return Err(Error::TooLarge(format!(
                "more than max_content_bytes {} bytes of content streams",
                limits.max_content_bytes
            )));
        }
        Ok(())
    }
}

/// Decoded stream data, refusing more than `max` bytes at any step of its filter chain
/// (see [`crate::filters`]). Image data (`DCTDecode` …) is not content: `corrupt_pdf`.
pub fn stream_data(doc: &Document, s: &Stream, max: usize) -> Result<Vec<u8>, Error> {
    let decoded = crate::filters::decode(doc, s, max)?;
    match decoded.image {
        None => Ok(decoded.data),
        Some(codec) => Err(Error::Corrupt(format!(
            "stream: {} image data where content was expected",
            String::from_utf8_lossy(&codec)
        ))),
    }
}

type M = [f32; 6];
const ID: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(a: &M, b: &M) -> M {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &M, x: f32, y: f32) -> (f32, f32) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

#[derive(Clone)]
struct GState {
    ctm: M,
    font: Option<Rc<Font>>,
    size: f32,
    tc: f32,
    tw: f32,
    th: f32,
    tl: f32,
    rise: f32,
    line_width: f32,
}

fn num(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        _ => 0.0,
    }
}

fn nums<const N: usize>(ops: &[Operand]) -> Option<[f32; N]> {
    if ops.len() < N {
        return None;
    }
    let mut out = [0.0; N];
    for (o, v) in out.iter_mut().zip(&ops[ops.len() - N..]) {
        *o = v.num();
    }
    Some(out)
}

/// Font cache key: the font object's id, or the address of an inline dictionary.
#[derive(Hash, PartialEq, Eq, Clone, Copy)]
pub enum FontKey {
    Id(ObjectId),
    Inline(usize),
}

pub struct Interp<'a> {
    pub doc: &'a Document,
    pub limits: &'a Limits,
    pub budget: &'a mut Budget,
    pub fonts: &'a mut HashMap<FontKey, Rc<Font>>,
}

/// Form XObjects within form XObjects: real documents nest a few; 32 levels of recursion
/// through `run` stay far from the stack's end.
pub const MAX_FORM_DEPTH: usize = 32;
const MAX_Q_DEPTH: usize = 512;

impl Interp<'_> {
    pub fn run_page(
        &mut self,
        content: &[u8],
        resources: Option<&Dictionary>,
    ) -> Result<PageContent, Error> {
        let mut out = PageContent::default();
        let gs = GState {
            ctm: ID,
            font: None,
            size: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
            line_width: 1.0,
        };
        let mut forms = Vec::new();
        self.run(content, resources, gs, &mut out, &mut forms)?;
        Ok(out)
    }

    /// The font `name` of `resources` (None when there is none); an error only for a font
    /// beyond a budget.
    fn font(
        &mut self,
        resources: Option<&Dictionary>,
        name: &[u8],
    ) -> Result<Option<Rc<Font>>, Error> {
        let doc = self.doc;
        let found = resources
            .and_then(|r| r.get(b"Font").ok())
            .and_then(|fonts| doc.dereference(fonts).ok())
            .and_then(|(_, fonts)| fonts.as_dict().ok())
            .and_then(|fonts| fonts.get(name).ok())
            .and_then(|entry| doc.dereference(entry).ok())
            .and_then(|(id, obj)| Some((id, obj.as_dict().ok()?)));
        let Some((id, dict)) = found else {
            return Ok(None);
        };
        let key = match id {
            Some(id) => FontKey::Id(id),
            None => FontKey::Inline(dict as *const Dictionary as usize),
        };
        if let Some(f) = self.fonts.get(&key) {
            return Ok(Some(f.clone()));
        }
        let f = Rc::new(Font::load(doc, dict, self.limits.max_stream_bytes)?);
        self.fonts.insert(key, f.clone());
        Ok(Some(f))
    }

    /// Runs one content stream's operators from graphics state `gs0`, adding glyphs,
    /// rulings and images to `out` and the form XObjects it draws to `forms`. Long because it
    /// is the one dispatcher over the PDF operators: an arm of a few lines each, all on the
    /// state this loop keeps in locals (text matrices, graphics-state stack, current path).
    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&Dictionary>,
        gs0: GState,
        out: &mut PageContent,
        forms: &mut Vec<ObjectId>,
    ) -> Result<(), Error> {
        let mut lx = Lexer::new(content);
        let mut a: Vec<Operand> = Vec::new();
        let mut gs = gs0;
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = ID;
        let mut tlm = ID;
        // Path under construction (user space), current point and subpath start.
        let mut path: Vec<Seg> = Vec::new();
        let mut cur = (0.0f32, 0.0f32);
        let mut start = (0.0f32, 0.0f32);
        while let Some(op) = lx.next_op(&mut a) {
            self.budget.ops += 1;
            if self.budget.ops > self.limits.max_operations {
                return Err(Error::TooLarge(format!(
                    "more than max_operations {} content operators",
                    self.limits.max_operations
                )));
            }
            let a = a.as_slice();
            match op {
                b"q" if stack.len() < MAX_Q_DEPTH => {
                    stack.push(gs.clone());
                }
                b"Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                b"cm" => {
                    if let Some(m) = nums::<6>(a) {
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                b"w" => {
                    if let Some([w]) = nums::<1>(a) {
                        gs.line_width = w;
                    }
                }
                b"BT" => {
                    tm = ID;
                    tlm = ID;
                }
                b"Tf" => {
                    if let (Some(Operand::Name(n)), Some(s)) = (a.first(), a.get(1)) {
                        gs.font = self.font(resources, n)?;
                        gs.size = s.num();
                    }
                }
                b"Tc" => gs.tc = a.first().map(Operand::num).unwrap_or(0.0),
                b"Tw" => gs.tw = a.first().map(Operand::num).unwrap_or(0.0),
                b"Tz" => gs.th = a.first().map(Operand::num).unwrap_or(100.0) / 100.0,
                b"TL" => gs.tl = a.first().map(Operand::num).unwrap_or(0.0),
                b"Ts" => gs.rise = a.first().map(Operand::num).unwrap_or(0.0),
                b"Td" | b"TD" => {
                    if let Some([tx, ty]) = nums::<2>(a) {
                        if op == b"TD" {
                            gs.tl = -ty;
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &tlm);
                        tm = tlm;
                    }
                }
                b"Tm" => {
                    if let Some(m) = nums::<6>(a) {
                        tlm = m;
                        tm = m;
                    }
                }
                b"T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op != b"Tj" {
                        if op == b"\"" && a.len() >= 3 {
                            gs.tw = a[0].num();
                            gs.tc = a[1].num();
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                        tm = tlm;
                    }
                    if let Some(Operand::Str(s)) = a.last() {
                        self.show(s, &gs, &mut tm, out)?;
                    }
                }
                b"TJ" => {
                    if let Some(Operand::Array(items)) = a.first() {
                        for it in items {
                            match it {
                                Operand::Str(s) => self.show(s, &gs, &mut tm, out)?,
                                o => {
                                    let tx = -o.num() / 1000.0 * gs.size * gs.th;
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                }
                            }
                        }
                    }
                }
                b"m" => {
                    if let Some([x, y]) = nums::<2>(a) {
                        cur = apply(&gs.ctm, x, y);
                        start = cur;
                    }
                }
                b"l" => {
                    if let Some([x, y]) = nums::<2>(a) {
                        let p = apply(&gs.ctm, x, y);
                        path.push(Seg {
                            x0: cur.0,
                            y0: cur.1,
                            x1: p.0,
                            y1: p.1,
                        });
                        cur = p;
                    }
                }
                b"c" | b"v" | b"y" if a.len() >= 2 => {
                    let [x, y] = nums::<2>(a).unwrap_or([0.0, 0.0]);
                    cur = apply(&gs.ctm, x, y);
                }
                b"h" => {
                    path.push(Seg {
                        x0: cur.0,
                        y0: cur.1,
                        x1: start.0,
                        y1: start.1,
                    });
                    cur = start;
                }
                b"re" => {
                    if let Some([x, y, w, h]) = nums::<4>(a) {
                        let p = [
                            apply(&gs.ctm, x, y),
                            apply(&gs.ctm, x + w, y),
                            apply(&gs.ctm, x + w, y + h),
                            apply(&gs.ctm, x, y + h),
                        ];
                        let (bw, bh) = ((p[2].0 - p[0].0).abs(), (p[2].1 - p[0].1).abs());
                        if bh < 2.0 && bw > 2.0 {
                            // A thin filled bar: one horizontal rule.
                            let ym = (p[0].1 + p[2].1) / 2.0;
                            path.push(Seg {
                                x0: p[0].0,
                                y0: ym,
                                x1: p[2].0,
                                y1: ym,
                            });
                        } else if bw < 2.0 && bh > 2.0 {
                            let xm = (p[0].0 + p[2].0) / 2.0;
                            path.push(Seg {
                                x0: xm,
                                y0: p[0].1,
                                x1: xm,
                                y1: p[2].1,
                            });
                        } else {
                            for i in 0..4 {
                                let (s, e) = (p[i], p[(i + 1) % 4]);
                                path.push(Seg {
                                    x0: s.0,
                                    y0: s.1,
                                    x1: e.0,
                                    y1: e.1,
                                });
                            }
                        }
                        cur = p[0];
                        start = p[0];
                    }
                }
                b"S" | b"s" | b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" => {
                    let filled = !matches!(op, b"S" | b"s");
                    for s in path.drain(..) {
                        // Filled areas only count as rules when thin (cell shading is not a border).
                        if !filled || s.horizontal() || s.vertical() {
                            let mut s = s;
                            if s.x0 > s.x1 {
                                std::mem::swap(&mut s.x0, &mut s.x1);
                            }
                            if s.y0 > s.y1 {
                                std::mem::swap(&mut s.y0, &mut s.y1);
                            }
                            if (s.horizontal() || s.vertical()) && out.segs.len() < 100_000 {
                                out.segs.push(s);
                            }
                        }
                    }
                }
                b"n" => path.clear(),
                b"BI" | b"EI" => out.images += 1,
                b"Do" => {
                    if let Some(Operand::Name(n)) = a.first() {
                        self.do_xobject(n, resources, &gs, out, forms)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn do_xobject(
        &mut self,
        name: &[u8],
        resources: Option<&Dictionary>,
        gs: &GState,
        out: &mut PageContent,
        forms: &mut Vec<ObjectId>,
    ) -> Result<(), Error> {
        let doc = self.doc;
        let Some(xobjs) = resources
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
        else {
            return Ok(());
        };
        let Ok(entry) = xobjs.get(name) else {
            return Ok(());
        };
        let Ok((id, obj)) = doc.dereference(entry) else {
            return Ok(());
        };
        let Ok(stream) = obj.as_stream() else {
            return Ok(());
        };
        match stream.dict.get(b"Subtype").and_then(|o| o.as_name()) {
            Ok(b"Image") => out.images += 1,
            Ok(b"Form") => {
                let Some(id) = id else { return Ok(()) };
                if forms.contains(&id) || forms.len() >= MAX_FORM_DEPTH {
                    // A form that draws itself, or nesting too deep: said when the page
                    // ends up without text.
                    out.forms_skipped += 1;
                    return Ok(());
                }
                let data = stream_data(doc, stream, self.limits.max_stream_bytes)?;
                self.budget.take_content(data.len(), self.limits)?;
                let mut g = gs.clone();
                if let Ok(Object::Array(m)) = stream.dict.get(b"Matrix")
                    && m.len() == 6
                {
                    let m: Vec<f32> = m.iter().map(num).collect();
                    g.ctm = mul(&[m[0], m[1], m[2], m[3], m[4], m[5]], &g.ctm);
                }
                let res = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|o| doc.dereference(o).ok())
                    .and_then(|(_, o)| o.as_dict().ok())
                    .or(resources);
                forms.push(id);
                let r = self.run(&data, res, g, out, forms);
                forms.pop();
                r?;
            }
            _ => {}
        }
        Ok(())
    }

    fn show(
        &mut self,
        bytes: &[u8],
        gs: &GState,
        tm: &mut M,
        out: &mut PageContent,
    ) -> Result<(), Error> {
        let Some(font) = gs.font.clone() else {
            return Ok(());
        };
        let size = gs.size;
        let mut err = None;
        let limit = self.limits.max_glyphs;
        let budget = &mut *self.budget;
        font.decode(bytes, |g| {
            let trm = mul(tm, &gs.ctm);
            let adv = g.width / 1000.0 * size * gs.th;
            let (x0, y0) = apply(&trm, 0.0, gs.rise);
            let (x1, _) = apply(&trm, adv, gs.rise);
            let usize_ = size * (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            budget.glyphs += 1;
            if budget.glyphs > limit && err.is_none() {
                err = Some(Error::TooLarge(format!(
                    "more than max_glyphs {limit} glyphs"
                )));
            }
            match g.text {
                Some(t) if !t.trim().is_empty() => {
                    let t: String = t.chars().filter(|c| !c.is_control()).collect();
                    if !t.is_empty() {
                        out.glyphs.push(PGlyph {
                            text: t,
                            x0: x0.min(x1),
                            x1: x0.max(x1),
                            y: y0,
                            size: usize_.abs(),
                        });
                    }
                }
                // A space glyph: kept as " " so the line keeps the word gap it stands for.
                Some(t) if !t.is_empty() => out.glyphs.push(PGlyph {
                    text: " ".into(),
                    x0: x0.min(x1),
                    x1: x0.max(x1),
                    y: y0,
                    size: usize_.abs(),
                }),
                Some(_) => {}
                None => out.unmapped += 1,
            }
            let tx = (adv + gs.tc * gs.th) + if g.is_space_code { gs.tw * gs.th } else { 0.0 };
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
        });
        match err {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}
