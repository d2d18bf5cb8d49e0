//! A page's (or template page's) `Content.xml` → glyphs and ruling segments in the page's
//! own space (millimetres, y down), before the layout sees them in points.
//!
//! What is read: `Area/PhysicalBox` (the page's own box), `Template` references, and in
//! `Content/Layer` (through any nesting of `PageBlock`s): `TextObject` (`Boundary`, `CTM`,
//! `Size`, `HScale`, each `TextCode` with `X`/`Y` — inherited from the previous `TextCode`
//! when absent — and `DeltaX`/`DeltaY`, whose `g N v` stands for N times v) and
//! `PathObject` (`Boundary`, `CTM`, `AbbreviatedData`) for table rulings. A graphic unit's
//! own space starts at its `Boundary`'s top-left corner and `CTM` maps into it, so a point
//! (x, y) of the unit is at `Boundary.xy + CTM·(x, y)` on the page. Images are counted.

use quick_xml::events::{BytesStart, Event};

use crate::xml::{self, Depth, attr, bool_attr, malformed, num_attr, numbers};
use crate::{Budget, Error, Limits};

/// A glyph in page space (millimetres, y down).
#[derive(Debug, Clone)]
pub(crate) struct MmGlyph {
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    /// Baseline.
    pub y: f64,
    pub size: f64,
}

/// A segment in page space (millimetres, y down).
#[derive(Debug, Clone, Copy)]
pub(crate) struct MmSeg {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// What one content part draws.
#[derive(Debug, Default, Clone)]
pub(crate) struct Drawn {
    /// `Area/PhysicalBox`: the page's own box, overriding the document's.
    pub page_box: Option<[f64; 4]>,
    /// IDs of the template pages drawn with this page.
    pub templates: Vec<String>,
    pub glyphs: Vec<MmGlyph>,
    pub segs: Vec<MmSeg>,
    pub images: usize,
}

/// Ruling segments kept per page (table detection reads at most 4 000; the rest is noise).
const MAX_SEGS: usize = 100_000;

/// `[a b c d e f]`: x' = a·x + c·y + e, y' = b·x + d·y + f.
type M = [f64; 6];
const ID: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// A graphic unit's placement: its CTM, then its Boundary's origin.
#[derive(Debug, Clone, Copy)]
struct Place {
    ctm: M,
    origin: (f64, f64),
}

impl Place {
    fn of(e: &BytesStart<'_>) -> Place {
        let b = attr(e, b"Boundary")
            .and_then(|v| numbers(&v))
            .filter(|v| v.len() >= 2)
            .map(|v| (v[0], v[1]))
            .unwrap_or((0.0, 0.0));
        let ctm = attr(e, b"CTM")
            .and_then(|v| numbers(&v))
            .and_then(|v| <[f64; 6]>::try_from(v.as_slice()).ok())
            .unwrap_or(ID);
        Place { ctm, origin: b }
    }
    fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let m = &self.ctm;
        (
            self.origin.0 + m[0] * x + m[2] * y + m[4],
            self.origin.1 + m[1] * x + m[3] * y + m[5],
        )
    }
    /// How much the CTM scales a vertical distance (the font size).
    fn v_scale(&self) -> f64 {
        (self.ctm[2] * self.ctm[2] + self.ctm[3] * self.ctm[3]).sqrt()
    }
}

/// The text object being read.
struct TextObj {
    place: Place,
    size: f64,
    hscale: f64,
    /// The last `TextCode`'s X and Y, inherited by one that omits them.
    x: f64,
    y: f64,
}

/// The `TextCode` being read.
struct Code {
    x: f64,
    y: f64,
    dx: Option<String>,
    dy: Option<String>,
    text: String,
}

struct Reader<'s> {
    limits: &'s Limits,
    out: Drawn,
    text_obj: Option<TextObj>,
    code: Option<Code>,
    path: Option<(Place, bool, String)>,
    in_area: bool,
    in_box: bool,
    box_text: String,
}

/// Reads one content part. Whatever it draws counts against `budget`.
pub(crate) fn read(
    part: &str,
    bytes: &[u8],
    limits: &Limits,
    budget: &mut Budget,
) -> Result<Drawn, Error> {
    let mut r = xml::reader(bytes);
    let mut depth = Depth::new(limits.max_depth);
    let mut st = Reader {
        limits,
        out: Drawn::default(),
        text_obj: None,
        code: None,
        path: None,
        in_area: false,
        in_box: false,
        box_text: String::new(),
    };
    loop {
        match r.read_event().map_err(|e| malformed(part, e))? {
            Event::Start(e) => {
                depth.start(part)?;
                st.start(&e, budget)?;
            }
            Event::Empty(e) => {
                depth.start(part)?;
                depth.end();
                st.start(&e, budget)?;
                st.end(e.local_name().as_ref(), budget)?;
            }
            Event::End(e) => {
                depth.end();
                st.end(e.local_name().as_ref(), budget)?;
            }
            Event::Text(t) => st.text(&xml::text(part, &t)?),
            Event::GeneralRef(g) => st.text(&xml::resolve_ref(&g).unwrap_or_default()),
            Event::CData(c) => st.text(&String::from_utf8_lossy(&c)),
            Event::Eof => {
                depth.eof(part)?;
                return Ok(st.out);
            }
            _ => {}
        }
    }
}

impl Reader<'_> {
    fn start(&mut self, e: &BytesStart<'_>, budget: &mut Budget) -> Result<(), Error> {
        let name = e.local_name();
        match name.as_ref() {
            b"TextObject" | b"PathObject" | b"ImageObject" | b"CompositeObject" | b"PageBlock"
            | b"TextCode" => budget.object(self.limits)?,
            _ => {}
        }
        match name.as_ref() {
            b"Area" => self.in_area = true,
            b"PhysicalBox" if self.in_area => {
                self.in_box = true;
                self.box_text.clear();
            }
            b"Template" => {
                if let Some(id) = attr(e, b"TemplateID") {
                    self.out.templates.push(id.trim().to_owned());
                }
            }
            b"TextObject" => {
                self.text_obj = Some(TextObj {
                    place: Place::of(e),
                    size: num_attr(e, b"Size", 0.0).abs(),
                    hscale: num_attr(e, b"HScale", 1.0).abs(),
                    x: 0.0,
                    y: 0.0,
                });
            }
            b"TextCode" => {
                if let Some(t) = &self.text_obj {
                    self.code = Some(Code {
                        x: num_attr(e, b"X", t.x),
                        y: num_attr(e, b"Y", t.y),
                        dx: attr(e, b"DeltaX").map(|v| v.into_owned()),
                        dy: attr(e, b"DeltaY").map(|v| v.into_owned()),
                        text: String::new(),
                    });
                }
            }
            b"PathObject" => {
                // Stroked unless it says otherwise, filled only when it says so; a path that
                // is neither draws nothing.
                let visible = bool_attr(e, b"Stroke", true) || bool_attr(e, b"Fill", false);
                self.path = Some((Place::of(e), visible, String::new()));
            }
            b"ImageObject" => self.out.images += 1,
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, t: &str) {
        if let Some(c) = &mut self.code {
            c.text.push_str(t);
        } else if let Some((_, _, data)) = &mut self.path {
            data.push_str(t);
        } else if self.in_box {
            self.box_text.push_str(t);
        }
    }

    fn end(&mut self, name: &[u8], budget: &mut Budget) -> Result<(), Error> {
        match name {
            b"Area" => self.in_area = false,
            b"PhysicalBox" if self.in_box => {
                self.in_box = false;
                self.out.page_box = crate::package::page_box(&self.box_text);
            }
            b"TextCode" => {
                if let (Some(code), Some(obj)) = (self.code.take(), self.text_obj.as_mut()) {
                    obj.x = code.x;
                    obj.y = code.y;
                    let added = text_code(obj, &code, &mut self.out.glyphs);
                    budget.glyphs(added, self.limits)?;
                }
            }
            b"TextObject" => self.text_obj = None,
            b"PathObject" => {
                if let Some((place, visible, data)) = self.path.take()
                    && visible
                {
                    let commands = path_segments(&place, &data, &mut self.out.segs);
                    budget.path_commands(commands, self.limits)?;
                    self.out.segs.truncate(MAX_SEGS);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Expands a `DeltaX`/`DeltaY` list (`"12 g 3 5.5 2"` → 12, 5.5, 5.5, 5.5, 2), stopping at
/// `want` values: a `g 4000000000 1` costs no more than the glyphs it spaces.
pub(crate) fn deltas(list: &str, want: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(want.min(4096));
    let mut it = list.split_ascii_whitespace();
    while out.len() < want {
        let Some(tok) = it.next() else { break };
        if tok == "g" {
            let n = it.next().and_then(|t| t.parse::<f64>().ok()).unwrap_or(0.0);
            let v = it.next().and_then(|t| t.parse::<f64>().ok()).unwrap_or(0.0);
            let n = if n.is_finite() && n > 0.0 {
                n as usize
            } else {
                0
            };
            let v = if v.is_finite() { v } else { 0.0 };
            let take = n.min(want - out.len());
            out.extend(std::iter::repeat_n(v, take));
        } else if let Ok(v) = tok.parse::<f64>() {
            out.push(if v.is_finite() { v } else { 0.0 });
        }
    }
    out
}

/// A glyph's advance when `DeltaX` gives none: an em for a wide character, half for others.
fn nominal(c: char, em: f64) -> f64 {
    if glyph_layout::is_wide(c) {
        em
    } else {
        0.5 * em
    }
}

/// The glyphs of one `TextCode`, appended to `out`; returns how many characters it had.
fn text_code(obj: &TextObj, code: &Code, out: &mut Vec<MmGlyph>) -> u64 {
    let chars: Vec<char> = code
        .text
        .chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .collect();
    let n = chars.len();
    let dx = code
        .dx
        .as_deref()
        .map(|d| deltas(d, n.saturating_sub(1)))
        .unwrap_or_default();
    let dy = code
        .dy
        .as_deref()
        .map(|d| deltas(d, n.saturating_sub(1)))
        .unwrap_or_default();
    let em = obj.size * obj.hscale;
    let size = obj.size * obj.place.v_scale();
    let (mut x, mut y) = (code.x, code.y);
    for (i, &c) in chars.iter().enumerate() {
        let advance = dx.get(i).copied().unwrap_or_else(|| nominal(c, em));
        // The glyph's width: to the next glyph, but no wider than an em — letter-spaced
        // text keeps its gaps, so word spaces that were only spacing stay visible. The last
        // glyph has nothing after it: its nominal width.
        let width = if i + 1 < n && advance > 0.0 {
            advance.min(em)
        } else {
            nominal(c, em)
        };
        let (x0, by) = obj.place.apply(x, y);
        let (x1, _) = obj.place.apply(x + width, y);
        let text = if c.is_whitespace() {
            " ".to_owned()
        } else {
            c.to_string()
        };
        out.push(MmGlyph {
            text,
            x0: x0.min(x1),
            x1: x0.max(x1),
            y: by,
            size,
        });
        x += advance;
        y += dy.get(i).copied().unwrap_or(0.0);
    }
    n as u64
}

/// The straight pieces of an `AbbreviatedData` path, in page space, appended to `segs`
/// (curves and arcs only move the current point; a thin closed shape becomes its middle
/// line, as a thin filled rectangle does in PDF). Returns the number of commands read.
fn path_segments(place: &Place, data: &str, segs: &mut Vec<MmSeg>) -> u64 {
    let toks: Vec<&str> = data.split_ascii_whitespace().collect();
    let num = |i: usize| -> f64 {
        toks.get(i)
            .and_then(|t| t.parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .unwrap_or(0.0)
    };
    let mut subpaths: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut lines: Vec<((f64, f64), (f64, f64))> = Vec::new();
    let (mut cur, mut start) = ((0.0, 0.0), (0.0, 0.0));
    let mut commands = 0u64;
    let mut i = 0;
    while i < toks.len() {
        let (op, args) = match toks[i] {
            op @ ("M" | "S" | "L") => (op, 2),
            "Q" => ("Q", 4),
            "B" => ("B", 6),
            "A" => ("A", 7),
            "C" => ("C", 0),
            _ => {
                i += 1; // a stray number or an unknown command
                continue;
            }
        };
        commands += 1;
        // The command's end point: its last two numbers (`C` has none: back to the start).
        let end = if args == 0 {
            start
        } else {
            (num(i + args - 1), num(i + args))
        };
        match op {
            "M" | "S" => {
                cur = end;
                start = end;
                subpaths.push(vec![end]);
            }
            "L" => {
                lines.push((cur, end));
                cur = end;
                if let Some(sp) = subpaths.last_mut() {
                    sp.push(end);
                }
            }
            "C" => {
                lines.push((cur, start));
                cur = start;
            }
            _ => {
                cur = end;
                subpaths.push(vec![end]); // a curve breaks the straight outline
            }
        }
        i += 1 + args;
    }
    let to_page = |p: (f64, f64)| place.apply(p.0, p.1);
    let thin = 2.0 * 25.4 / 72.0; // 2 pt, the layout's notion of a thin rule
    // A thin closed shape (a rule drawn as a filled bar): its middle line.
    let mut midlines = 0;
    for sp in &subpaths {
        if sp.len() < 3 {
            continue;
        }
        let pts: Vec<(f64, f64)> = sp.iter().map(|p| to_page(*p)).collect();
        let (x0, x1) = min_max(pts.iter().map(|p| p.0));
        let (y0, y1) = min_max(pts.iter().map(|p| p.1));
        if y1 - y0 < thin && x1 - x0 > thin {
            let ym = (y0 + y1) / 2.0;
            segs.push(MmSeg {
                x0,
                y0: ym,
                x1,
                y1: ym,
            });
            midlines += 1;
        } else if x1 - x0 < thin && y1 - y0 > thin {
            let xm = (x0 + x1) / 2.0;
            segs.push(MmSeg {
                x0: xm,
                y0,
                x1: xm,
                y1,
            });
            midlines += 1;
        }
    }
    if midlines == 0 {
        for (a, b) in lines {
            let (a, b) = (to_page(a), to_page(b));
            segs.push(MmSeg {
                x0: a.0.min(b.0),
                y0: a.1.min(b.1),
                x1: a.0.max(b.0),
                y1: a.1.max(b.1),
            });
        }
    }
    commands
}

fn min_max(v: impl Iterator<Item = f64>) -> (f64, f64) {
    v.fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_runs() {
        assert_eq!(deltas("g 3 1.5 2", 10), vec![1.5, 1.5, 1.5, 2.0]);
        assert_eq!(deltas("12 g 2 5.5 2", 3), vec![12.0, 5.5, 5.5]);
        assert_eq!(deltas("g 4000000000 1", 2), vec![1.0, 1.0]);
        assert_eq!(deltas("g x", 2), Vec::<f64>::new());
    }

    #[test]
    fn text_codes_place_glyphs_from_the_boundary_through_the_ctm() {
        let obj = TextObj {
            place: Place {
                ctm: [0.5, 0.0, 0.0, 0.5, 0.0, 0.0],
                origin: (10.0, 20.0),
            },
            size: 10.0,
            hscale: 1.0,
            x: 0.0,
            y: 0.0,
        };
        let code = Code {
            x: 0.0,
            y: 8.0,
            dx: Some("g 2 10".into()),
            dy: None,
            text: "通知书".into(),
        };
        let mut out = Vec::new();
        assert_eq!(text_code(&obj, &code, &mut out), 3);
        let xs: Vec<f64> = out.iter().map(|g| g.x0).collect();
        assert_eq!(xs, vec![10.0, 15.0, 20.0]);
        assert_eq!(out[0].y, 24.0);
        assert_eq!(out[0].size, 5.0);
        assert_eq!(out[2].x1, 25.0);
    }

    #[test]
    fn paths_give_rules() {
        let place = Place {
            ctm: ID,
            origin: (28.0, 83.0),
        };
        let mut segs = Vec::new();
        path_segments(&place, "S 0.0 0.0 L 156.0 0.0 C", &mut segs);
        assert!(segs.iter().all(|s| s.y0 == 83.0 && s.y1 == 83.0));
        assert!(segs.iter().any(|s| s.x0 == 28.0 && s.x1 == 184.0));
        // A thin filled bar (signout.ofd): one middle line.
        let mut segs = Vec::new();
        path_segments(&place, "M 0 0 L 80 0 L 80 0.3 L 0 0.3 C", &mut segs);
        assert_eq!(segs.len(), 1);
        assert!((segs[0].y0 - 83.15).abs() < 1e-9);
        // A path that opens with a close (found by the fuzzer: the end point's index
        // underflowed).
        let mut segs = Vec::new();
        assert_eq!(path_segments(&place, "C 0 0 L 0 72", &mut segs), 2);
    }
}
