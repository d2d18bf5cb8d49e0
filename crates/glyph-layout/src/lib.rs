//! Glyph layout: positioned glyphs and ruling lines -> lines, paragraphs, furniture and
//! ruled tables, pushed into a [`docmodel::Document`] with provenance (page, bbox).
//!
//! One model, many producers: the PDF extractor (content streams), the OFD extractor
//! (`TextCode` positions) and, later, OCR all hand over the same thing — for each page its
//! box, its glyphs (Unicode text, left and right edge, baseline, size) and its ruling
//! segments, in one unit with y up (PDF points) — and get the same layout.
//!
//! Generic typography only: lines are grouped by baseline and ordered by x; wrapped lines
//! are joined when the previous line reaches the right edge of its text column (or the
//! next line's first unbreakable segment would not have fitted) and the next line starts
//! at the left edge; indents, short lines, vertical gaps and size changes break
//! paragraphs. Running headers/footers are text repeated at the same place across
//! pages; page numbers are recognised by pattern in the top/bottom band.
//!
//! ```
//! use glyph_layout::{Glyph, PageIn};
//! // 12-point glyphs on an A4 page (text 420 pt wide from x = 90): a centred title, then
//! // two paragraphs, each opening indented by two ems and ending short.
//! fn line(text: &str, x: f32, y: f32) -> Vec<Glyph> {
//!     text.chars().enumerate().map(|(i, c)| Glyph {
//!         text: c.to_string(), x0: x + 12.0 * i as f32, x1: x + 12.0 * (i + 1) as f32,
//!         y, size: 12.0,
//!     }).collect()
//! }
//! // Lines of `n` characters of running text; a full line ends at x = 510.
//! let text = |n: usize| "各区县人民政府、市政府各部门要认真贯彻落实。".chars().cycle().take(n).collect::<String>();
//! let glyphs = [
//!     line("关于办实事的通知", 252.0, 760.0),
//!     line(&text(33), 114.0, 720.0), // first line, indented
//!     line(&text(35), 90.0, 700.0),  // full line
//!     line(&text(6), 90.0, 680.0),   // last line, short
//!     line("一、甲项。", 114.0, 660.0),
//! ].concat();
//! let page = PageIn { number: 1, media: [0.0, 0.0, 595.0, 842.0], glyphs, segs: vec![] };
//! let mut doc = docmodel::Document::new(docmodel::Format::Pdf);
//! glyph_layout::build(vec![page], &mut doc);
//! let paragraphs: Vec<String> = doc.body().map(|b| format!("{:?}", b.kind)).collect();
//! assert_eq!(paragraphs.len(), 3, "{paragraphs:#?}");
//! assert_eq!(doc.blocks[0].prov.page, Some(1));
//! assert!(doc.blocks[0].prov.bbox.is_some());
//! ```

use docmodel::{BlockKind, Cell, Document, FurnitureRole, Provenance, Table};
use std::collections::HashMap;

/// A glyph on the page, in page space (points, y up).
#[derive(Debug, Clone)]
pub struct Glyph {
    /// Its Unicode text; `" "` for a space glyph, which keeps the word gap it stands for.
    pub text: String,
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    /// Font size in page space.
    pub size: f32,
}

/// A horizontal or vertical ruling segment (table borders).
#[derive(Debug, Clone, Copy)]
pub struct Seg {
    /// Start x.
    pub x0: f32,
    /// Start y.
    pub y0: f32,
    /// End x.
    pub x1: f32,
    /// End y.
    pub y1: f32,
}

impl Seg {
    /// Whether the segment is a horizontal rule: under 1 pt of rise, over 2 pt long.
    pub fn horizontal(&self) -> bool {
        (self.y1 - self.y0).abs() < 1.0 && (self.x1 - self.x0).abs() > 2.0
    }

    /// Whether the segment is a vertical rule: under 1 pt of run, over 2 pt long.
    pub fn vertical(&self) -> bool {
        (self.x1 - self.x0).abs() < 1.0 && (self.y1 - self.y0).abs() > 2.0
    }
}

/// One page of input: its box, glyphs and ruling segments.
pub struct PageIn {
    /// 1-based page number, written to each block's provenance.
    pub number: u32,
    /// `[x0, y0, x1, y1]` of the page box (a PDF's MediaBox).
    pub media: [f32; 4],
    /// The page's glyphs, in any order.
    pub glyphs: Vec<Glyph>,
    /// The page's ruling segments (table borders), in any order.
    pub segs: Vec<Seg>,
}

/// Whether `c` is a wide (East Asian full-width) character: a full em in CJK fonts, and a
/// place where a line may break.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// A line of text: glyphs sharing a baseline, left to right.
#[derive(Debug, Clone)]
pub struct Line {
    /// The glyphs' text, with a space where a space glyph or a word gap stood.
    pub text: String,
    /// Left edge of the first glyph.
    pub x0: f32,
    /// Rightmost right edge of its glyphs.
    pub x1: f32,
    /// Baseline: the median of its glyphs' baselines.
    pub y: f32,
    /// Font size: the median of its glyphs' sizes.
    pub size: f32,
    /// Width of the first unbreakable segment (for the "would it have fitted" test).
    pub seg_w: f32,
    /// 1-based page the line is on.
    pub page: u32,
}

impl Line {
    fn bbox(&self) -> [f32; 4] {
        [
            self.x0,
            self.y - 0.25 * self.size,
            self.x1,
            self.y + 0.85 * self.size,
        ]
    }
    fn first(&self) -> char {
        self.text.chars().next().unwrap_or(' ')
    }
    fn last(&self) -> char {
        self.text.chars().last().unwrap_or(' ')
    }
}

fn is_closing(c: char) -> bool {
    "，。、；：！？）」』”’》〉】〕〗…—,.;:!?)]}%·".contains(c)
}
fn is_opening(c: char) -> bool {
    "（「『“‘《〈【〔〖([{".contains(c)
}
fn is_quote(c: char) -> bool {
    matches!(c, '\u{2018}'..='\u{201D}' | '"' | '\'')
}
fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 | 0x2018..=0x201F | 0x2014..=0x2026)
}

/// Whether a line may break between `a` and `b` (a simplified UAX #14 with CJK kinsoku).
fn can_break(a: char, b: char) -> bool {
    if a.is_whitespace() || b.is_whitespace() {
        return true;
    }
    if is_closing(b) || is_opening(a) || is_quote(a) || is_quote(b) {
        return false;
    }
    if is_wide(a) || is_wide(b) {
        return true;
    }
    false
}

/// Groups glyphs into lines (by baseline), each ordered by x. O(n log n) in the glyphs:
/// each group keeps its largest glyph size as it grows (recomputing it per glyph made one
/// line of 400,000 glyphs take half a minute).
pub fn make_lines(mut glyphs: Vec<Glyph>, page: u32) -> Vec<Line> {
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    // Each group with the largest size among its glyphs.
    let mut groups: Vec<(Vec<Glyph>, f32)> = Vec::new();
    for g in glyphs {
        if let Some((cur, ref_size)) = groups.last_mut() {
            let ref_y = cur[0].y;
            if (ref_y - g.y).abs() < 0.4 * ref_size.max(g.size).max(1.0) {
                *ref_size = ref_size.max(g.size);
                cur.push(g);
                continue;
            }
        }
        let size = g.size.max(0.0);
        groups.push((vec![g], size));
    }
    groups
        .into_iter()
        .filter_map(|(g, _)| line_from(g, page))
        .collect()
}

fn line_from(mut gs: Vec<Glyph>, page: u32) -> Option<Line> {
    gs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    // Drop overprinted duplicates (fake bold: the same glyph drawn twice); note which
    // glyphs follow an explicit space glyph.
    let mut kept: Vec<Glyph> = Vec::with_capacity(gs.len());
    let mut space_before: Vec<bool> = Vec::with_capacity(gs.len());
    let mut pending_space = false;
    for g in gs {
        if g.text == " " {
            pending_space = !kept.is_empty();
            continue;
        }
        if let Some(p) = kept.last()
            && p.text == g.text
            && (g.x0 - p.x0).abs() < 0.15 * g.size.max(1.0)
        {
            continue;
        }
        kept.push(g);
        space_before.push(std::mem::take(&mut pending_space));
    }
    let first = kept.first()?;
    let mut text = String::new();
    let mut prev: Option<&Glyph> = None;
    for (g, &sp) in kept.iter().zip(&space_before) {
        if let Some(p) = prev {
            let em = p.size.max(g.size).max(1.0);
            let gap = g.x0 - p.x1;
            let pc = p.text.chars().last().unwrap_or(' ');
            let nc = g.text.chars().next().unwrap_or(' ');
            if sp || (gap >= 0.25 * em && !is_cjk_punct(pc) && !is_cjk_punct(nc)) {
                text.push(' ');
            }
        }
        text.push_str(&g.text);
        prev = Some(g);
    }
    // First unbreakable segment.
    let mut seg_end = first.x1;
    for (i, w) in kept.windows(2).enumerate() {
        let a = w[0].text.chars().last().unwrap_or(' ');
        let b = w[1].text.chars().next().unwrap_or(' ');
        if space_before[i + 1] || w[1].x0 - w[0].x1 > 0.25 * w[0].size || can_break(a, b) {
            break;
        }
        seg_end = w[1].x1;
    }
    let mut sizes: Vec<f32> = kept.iter().map(|g| g.size).collect();
    sizes.sort_by(f32::total_cmp);
    let size = sizes[sizes.len() / 2];
    let mut ys: Vec<f32> = kept.iter().map(|g| g.y).collect();
    ys.sort_by(f32::total_cmp);
    Some(Line {
        text,
        x0: first.x0,
        x1: kept.iter().map(|g| g.x1).fold(f32::MIN, f32::max),
        y: ys[ys.len() / 2],
        size,
        seg_w: seg_end - first.x0,
        page,
    })
}

// ---------------------------------------------------------------------------------------
// Furniture

fn page_number_like(t: &str) -> bool {
    let s: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let trimmed = s.trim_matches(|c: char| matches!(c, '—' | '–' | '-' | '－' | '─' | '·' | '•'));
    if !trimmed.is_empty() && trimmed.chars().all(|c| c.is_ascii_digit()) && trimmed.len() <= 4 {
        return true;
    }
    // 第3页 / 第3页共5页 / 3/5 / Page 3 of 5
    let digits_to_hash: String = s
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect();
    let squeezed = squeeze_hash(&digits_to_hash);
    matches!(
        squeezed.as_str(),
        "第#页"
            | "第#页共#页"
            | "第#页，共#页"
            | "#/#"
            | "Page#"
            | "Page#of#"
            | "-#/#-"
            | "共#页第#页"
    )
}

fn squeeze_hash(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c == '#' && out.ends_with('#') {
            continue;
        }
        out.push(c);
    }
    out
}

/// Step 2: the role of each line that is furniture (running header or footer, page number),
/// by page and line index — furniture is not the notice's text, and the parser never reads it.
fn find_furniture(pages: &[PageLines]) -> HashMap<(usize, usize), FurnitureRole> {
    let mut roles = HashMap::new();
    // Candidates: lines in the top/bottom band that are among the first/last 3 lines.
    let mut cands: Vec<(usize, usize, bool)> = Vec::new(); // (page idx, line idx, top?)
    for (pi, (_, media, lines)) in pages.iter().enumerate() {
        let h = (media[3] - media[1]).max(1.0);
        let n = lines.len();
        for (li, l) in lines.iter().enumerate() {
            let top = l.y > media[3] - 0.13 * h;
            let bottom = l.y < media[1] + 0.13 * h;
            if (top && li < 3) || (bottom && li + 3 >= n) {
                cands.push((pi, li, top));
            }
        }
    }
    let key = |t: &str| {
        squeeze_hash(
            &t.chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect::<String>(),
        )
    };
    let mut groups: HashMap<(String, bool), Vec<(usize, usize)>> = HashMap::new();
    for &(pi, li, top) in &cands {
        groups
            .entry((key(&pages[pi].2[li].text), top))
            .or_default()
            .push((pi, li));
    }
    let npages = pages.len();
    for &(pi, li, top) in &cands {
        let l = &pages[pi].2[li];
        if page_number_like(&l.text) {
            roles.insert((pi, li), FurnitureRole::PageNumber);
            continue;
        }
        let g = &groups[&(key(&l.text), top)];
        // Same text (digits aside) at about the same height on several pages.
        let same_place = g
            .iter()
            .filter(|&&(p, i)| p != pi && (pages[p].2[i].y - l.y).abs() < 3.0)
            .count();
        if npages >= 2 && same_place + 1 >= 2 && (same_place + 1) * 2 >= npages.min(4) {
            roles.insert(
                (pi, li),
                if top {
                    FurnitureRole::Header
                } else {
                    FurnitureRole::Footer
                },
            );
        }
    }
    roles
}

// ---------------------------------------------------------------------------------------
// Tables

#[derive(Debug, Clone)]
struct CellRect {
    row: usize,
    col: usize,
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
}

#[derive(Debug, Clone)]
struct Grid {
    bbox: [f32; 4],
    xs: Vec<f32>,
    cells: Vec<CellRect>,
}

fn cluster(mut v: Vec<f32>, tol: f32) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for x in v {
        match out.last() {
            Some(&l) if x - l <= tol => {}
            _ => out.push(x),
        }
    }
    out
}

fn find_grids(segs: &[Seg]) -> Vec<Grid> {
    if segs.len() > 4000 {
        return Vec::new();
    }
    let tol = 2.0;
    let n = segs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let touch = |a: &Seg, b: &Seg| {
        a.x0 <= b.x1 + tol && b.x0 <= a.x1 + tol && a.y0 <= b.y1 + tol && b.y0 <= a.y1 + tol
    };
    for i in 0..n {
        for j in i + 1..n {
            if touch(&segs[i], &segs[j]) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut comps: HashMap<usize, Vec<Seg>> = HashMap::new();
    for (i, s) in segs.iter().enumerate() {
        let r = root(&mut parent, i);
        comps.entry(r).or_default().push(*s);
    }
    let mut grids = Vec::new();
    for (_, comp) in comps {
        let hs: Vec<Seg> = comp.iter().copied().filter(Seg::horizontal).collect();
        let vs: Vec<Seg> = comp.iter().copied().filter(Seg::vertical).collect();
        let xs = cluster(vs.iter().map(|s| s.x0).collect(), tol);
        let ys = cluster(hs.iter().map(|s| s.y0).collect(), tol);
        if xs.len() < 2 || ys.len() < 2 || (xs.len() - 1) * (ys.len() - 1) < 2 {
            continue;
        }
        let ys: Vec<f32> = ys.into_iter().rev().collect(); // top to bottom
        let (nr, nc) = (ys.len() - 1, xs.len() - 1);
        let has_v = |x: f32, y: f32| {
            vs.iter()
                .any(|s| (s.x0 - x).abs() <= tol && s.y0 - tol <= y && y <= s.y1 + tol)
        };
        let has_h = |y: f32, x: f32| {
            hs.iter()
                .any(|s| (s.y0 - y).abs() <= tol && s.x0 - tol <= x && x <= s.x1 + tol)
        };
        let mut p: Vec<usize> = (0..nr * nc).collect();
        for r in 0..nr {
            for c in 0..nc {
                let ym = (ys[r] + ys[r + 1]) / 2.0;
                let xm = (xs[c] + xs[c + 1]) / 2.0;
                if c + 1 < nc && !has_v(xs[c + 1], ym) {
                    let (a, b) = (root(&mut p, r * nc + c), root(&mut p, r * nc + c + 1));
                    p[b.max(a)] = a.min(b);
                }
                if r + 1 < nr && !has_h(ys[r + 1], xm) {
                    let (a, b) = (root(&mut p, r * nc + c), root(&mut p, (r + 1) * nc + c));
                    p[b.max(a)] = a.min(b);
                }
            }
        }
        let mut cells: HashMap<usize, CellRect> = HashMap::new();
        for r in 0..nr {
            for c in 0..nc {
                let k = root(&mut p, r * nc + c);
                let e = cells.entry(k).or_insert(CellRect {
                    row: r,
                    col: c,
                    x0: xs[c],
                    x1: xs[c + 1],
                    y0: ys[r + 1],
                    y1: ys[r],
                });
                e.x0 = e.x0.min(xs[c]);
                e.x1 = e.x1.max(xs[c + 1]);
                e.y0 = e.y0.min(ys[r + 1]);
                e.y1 = e.y1.max(ys[r]);
            }
        }
        let mut cells: Vec<CellRect> = cells.into_values().collect();
        cells.sort_by_key(|c| (c.row, c.col));
        grids.push(Grid {
            bbox: [xs[0], ys[nr], xs[nc], ys[0]],
            xs,
            cells,
        });
    }
    grids.sort_by(|a, b| b.bbox[3].total_cmp(&a.bbox[3]));
    grids
}

// ---------------------------------------------------------------------------------------
// Paragraphs

/// The text column a set of lines is measured against.
#[derive(Debug, Clone, Copy)]
struct Column {
    left: f32,
    right: f32,
    pitch: f32,
    /// Lowest body baseline in the document: a page's text that stops well above it
    /// ended with a forced page break, so it does not continue on the next page.
    bottom: f32,
}

fn body_column(lines: &[&Line]) -> Column {
    let mut left_hist: HashMap<i32, usize> = HashMap::new();
    let mut right_hist: HashMap<i32, (usize, f32)> = HashMap::new();
    for l in lines {
        *left_hist.entry((l.x0 / 2.0).round() as i32).or_default() += 1;
        let e = right_hist.entry((l.x1 / 3.0).round() as i32).or_default();
        e.0 += 1;
        e.1 = e.1.max(l.x1);
    }
    // The body's left edge: the leftmost x where a good share of lines start. Not simply
    // the commonest: in a list of short paragraphs (heading, note, two-line body) the
    // indented first lines can outnumber the flush continuation lines.
    let most = left_hist.values().copied().max().unwrap_or(0);
    let left = left_hist
        .iter()
        .filter(|(_, v)| **v >= 3.max(most / 4).min(most))
        .min_by_key(|(k, _)| **k)
        .map(|(k, _)| *k as f32 * 2.0)
        .unwrap_or(0.0);
    let left = lines
        .iter()
        .map(|l| l.x0)
        .filter(|x| (x - left).abs() <= 1.5)
        .fold(f32::MAX, f32::min);
    let maxc = right_hist.values().map(|v| v.0).max().unwrap_or(0);
    let need = 3.max(maxc / 3);
    let right = right_hist
        .values()
        .filter(|v| v.0 >= need)
        .map(|v| v.1)
        .fold(f32::MIN, f32::max);
    let right = if right == f32::MIN {
        lines.iter().map(|l| l.x1).fold(0.0, f32::max)
    } else {
        right
    };
    let mut pitches: Vec<f32> = lines
        .windows(2)
        .filter(|w| w[0].page == w[1].page)
        .map(|w| w[0].y - w[1].y)
        .filter(|d| *d > 0.0)
        .collect();
    pitches.sort_by(f32::total_cmp);
    let pitch = pitches.get(pitches.len() / 2).copied().unwrap_or(0.0);
    let bottom = lines.iter().map(|l| l.y).fold(f32::MAX, f32::min);
    Column {
        left: if left == f32::MAX { 0.0 } else { left },
        right,
        pitch,
        bottom,
    }
}

fn starts_list_item(l: &Line) -> bool {
    let t: Vec<char> = l.text.chars().take(6).collect();
    let num = |c: char| "一二三四五六七八九十百零〇".contains(c);
    match t.as_slice() {
        [a, '、', ..] if num(*a) => true,
        [a, b, '、', ..] if num(*a) && num(*b) => true,
        ['（' | '(', a, '）' | ')', ..] if num(*a) || a.is_ascii_digit() => true,
        ['第', a, ..] if num(*a) => t.contains(&'条') || t.contains(&'章'),
        [a, '.' | '．' | '、', ..] if a.is_ascii_digit() => true,
        [a, b, '.' | '．' | '、', ..] if a.is_ascii_digit() && b.is_ascii_digit() => true,
        _ => false,
    }
}

/// Whether `first`, the first row of a table's part on a new page, is the rest of `last`,
/// the row the page break cut: its first cell is empty where `last`'s is not, and it has
/// the same cells.
fn is_cut_row(last: &[Cell], first: &[Cell]) -> bool {
    let empty = |c: &Cell| c.paragraphs.is_empty();
    last.len() == first.len()
        && first.first().is_some_and(empty)
        && last.first().is_some_and(|c| !empty(c))
        && first.iter().any(|c| !empty(c))
}

/// Whether `next` continues the paragraph whose last line is `prev`.
fn continues(prev: &Line, next: &Line, col: &Column) -> bool {
    let em = prev.size.max(1.0);
    if (next.size - prev.size).abs() > 0.15 * em {
        return false;
    }
    if prev.page == next.page {
        let dy = prev.y - next.y;
        if dy <= 0.0 || dy > (2.2 * em).max(1.45 * col.pitch) {
            return false;
        }
    } else if prev.y - col.bottom > 2.5 * col.pitch.max(em) {
        return false;
    }
    // Next line indented (first line of a paragraph, or centred).
    if next.x0 > col.left + 0.8 * em {
        // A centred paragraph that wrapped: a full-width line, then a centred line.
        let full = prev.x0 <= col.left + 0.5 * em && prev.x1 >= col.right - 1.0 * em;
        let centre = (col.left + col.right) / 2.0;
        let centred = ((next.x0 + next.x1) / 2.0 - centre).abs() < 1.0 * em;
        let close = prev.page == next.page && prev.y - next.y < 1.6 * em;
        return full && centred && close;
    }
    // Previous line ends short of the right edge although the next line's first
    // unbreakable segment would have fitted there.
    let room = col.right - prev.x1;
    if room > next.seg_w.max(0.6 * em) + 0.35 * em {
        return false;
    }
    if matches!(prev.last(), '。' | '：' | '！' | '？' | ':' | ';' | '；') && starts_list_item(next)
    {
        return false;
    }
    let _ = next.first();
    true
}

struct Para {
    lines: Vec<Line>,
}

fn para_text(p: &Para) -> String {
    p.lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn union_bbox<'a>(lines: impl Iterator<Item = &'a Line>) -> [f32; 4] {
    let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for l in lines {
        let lb = l.bbox();
        b[0] = b[0].min(lb[0]);
        b[1] = b[1].min(lb[1]);
        b[2] = b[2].max(lb[2]);
        b[3] = b[3].max(lb[3]);
    }
    b.map(|v| (v * 10.0).round() / 10.0)
}

// ---------------------------------------------------------------------------------------
// Assembly

/// Furniture lines waiting to be emitted.
type Furn = Vec<(FurnitureRole, Line)>;

enum Unit {
    Line(Line),
    Table {
        page: u32,
        bbox: [f32; 4],
        xs: Vec<f32>,
        rows: Vec<Vec<Cell>>,
    },
}

fn table_cells(grid: &Grid, glyphs: Vec<Glyph>, page: u32) -> Vec<Vec<Cell>> {
    let mut per_cell: Vec<Vec<Glyph>> = vec![Vec::new(); grid.cells.len()];
    for g in glyphs {
        let (cx, cy) = ((g.x0 + g.x1) / 2.0, g.y + 0.3 * g.size);
        // The cells tile the grid, so a glyph inside the table is in one of them; the
        // nearest cell catches rounding at the borders (never drop text).
        let dist = |c: &CellRect| {
            let dx = (c.x0 - cx).max(cx - c.x1).max(0.0);
            let dy = (c.y0 - cy).max(cy - c.y1).max(0.0);
            dx + dy
        };
        let best = (0..grid.cells.len())
            .min_by(|&a, &b| dist(&grid.cells[a]).total_cmp(&dist(&grid.cells[b])));
        if let Some(i) = best {
            per_cell[i].push(g);
        }
    }
    let cell_lines: Vec<Vec<Line>> = per_cell.into_iter().map(|g| make_lines(g, page)).collect();
    // Cell padding: the smallest left inset of any cell line in the table.
    let pad = grid
        .cells
        .iter()
        .zip(&cell_lines)
        .flat_map(|(c, ls)| ls.iter().map(move |l| l.x0 - c.x0))
        .fold(f32::MAX, f32::min)
        .clamp(0.0, 12.0);
    // One cell per grid column, as the block model wants: a merged cell's text in its first
    // row and column, the positions it covers empty.
    let columns = grid.xs.len().saturating_sub(1);
    let row_count = grid.cells.iter().map(|c| c.row + 1).max().unwrap_or(0);
    let mut rows: Vec<Vec<Cell>> = vec![vec![Cell::default(); columns]; row_count];
    for (c, ls) in grid.cells.iter().zip(cell_lines) {
        let pitch = ls
            .windows(2)
            .map(|w| w[0].y - w[1].y)
            .fold(0.0f32, f32::max);
        let col = Column {
            left: c.x0 + pad,
            right: c.x1 - pad,
            pitch,
            bottom: f32::MIN,
        };
        // In a cell, lines can be centred: measure "reaches the edge" against the
        // cell's right edge only, and ignore the left indent test for centred cells.
        let mut paras: Vec<Para> = Vec::new();
        for l in &ls {
            if let Some(p) = paras.last_mut() {
                let prev = p.lines.last().unwrap();
                let mut l2 = l.clone();
                l2.x0 = l2.x0.min(col.left); // cells: indentation is alignment, not a new paragraph
                if continues(prev, &l2, &col) {
                    p.lines.push(l.clone());
                    continue;
                }
            }
            paras.push(Para {
                lines: vec![l.clone()],
            });
        }
        if let Some(cell) = rows[c.row].get_mut(c.col) {
            cell.paragraphs = paras.iter().map(para_text).collect();
        }
    }
    rows
}

/// A page's number, box and lines (furniture included), top to bottom.
type PageLines = (u32, [f32; 4], Vec<Line>);

/// Reading-order units of a page (body lines and tables, top to bottom) and its furniture.
type PageUnits = (Furn, Vec<Unit>);

/// Lays out `pages` in order and pushes the result into `doc`: tables, lines, furniture
/// (running headers/footers, page numbers), then paragraphs joined across page breaks and
/// tables continued on the next page merged into one. Each step is a function below.
pub fn build(pages: Vec<PageIn>, doc: &mut Document) {
    let (page_lines, page_tables): (Vec<PageLines>, Vec<Vec<Unit>>) =
        pages.into_iter().map(tables_and_lines).unzip();
    let roles = find_furniture(&page_lines);
    let col = body_column(&body_lines(&page_lines, &roles));
    let units = reading_order(&page_lines, page_tables, &roles);
    let (flat, furn_at) = merge_continued_tables(units);
    emit(flat, furn_at, &col, doc);
}

/// Step 1, per page: its ruled tables, then lines from the glyphs outside them — a table's
/// text belongs to its cells, never to the running text around it.
fn tables_and_lines(mut p: PageIn) -> (PageLines, Vec<Unit>) {
    drop_glyphs_off_the_page(&mut p.glyphs, p.media);
    let grids = find_grids(&p.segs);
    let mut body = Vec::new();
    let mut in_table: Vec<Vec<Glyph>> = vec![Vec::new(); grids.len()];
    for g in p.glyphs {
        let (cx, cy) = ((g.x0 + g.x1) / 2.0, g.y + 0.3 * g.size);
        match grids
            .iter()
            .position(|t| cx >= t.bbox[0] && cx <= t.bbox[2] && cy >= t.bbox[1] && cy <= t.bbox[3])
        {
            Some(i) => in_table[i].push(g),
            None => body.push(g),
        }
    }
    let mut tables = Vec::new();
    for (grid, gl) in grids.iter().zip(in_table) {
        if gl.is_empty() {
            continue; // a ruled box with no text: decoration
        }
        let rows = table_cells(grid, gl, p.number);
        tables.push(Unit::Table {
            page: p.number,
            bbox: grid.bbox,
            xs: grid.xs.clone(),
            rows,
        });
    }
    ((p.number, p.media, make_lines(body, p.number)), tables)
}

/// Drops the glyphs placed off the page box: text hidden there by producers, or clipped
/// away, is not content — unless most text is outside, when the box is what is wrong.
fn drop_glyphs_off_the_page(glyphs: &mut Vec<Glyph>, m: [f32; 4]) {
    let on_page = |g: &Glyph| {
        g.x1 >= m[0] - 2.0 && g.x0 <= m[2] + 2.0 && g.y >= m[1] - g.size && g.y <= m[3] + 2.0
    };
    let inside = glyphs.iter().filter(|g| on_page(g)).count();
    if inside * 2 > glyphs.len() {
        glyphs.retain(on_page);
    }
}

/// The lines of every page that are not furniture, in order — the
/// body text column is measured on them alone, so page numbers and running headers set
/// neither its edges nor its line pitch.
fn body_lines<'a>(
    page_lines: &'a [PageLines],
    roles: &HashMap<(usize, usize), FurnitureRole>,
) -> Vec<&'a Line> {
    let mut body = Vec::new();
    for (pi, (_, _, lines)) in page_lines.iter().enumerate() {
        for (li, l) in lines.iter().enumerate() {
            if !roles.contains_key(&(pi, li)) {
                body.push(l);
            }
        }
    }
    body
}

/// Step 3, per page: body lines and tables in reading order (top to bottom by their top
/// edge), furniture set aside — tables were cut out of the lines in step 1 and must be put
/// back where they stood.
fn reading_order(
    page_lines: &[PageLines],
    page_tables: Vec<Vec<Unit>>,
    roles: &HashMap<(usize, usize), FurnitureRole>,
) -> Vec<PageUnits> {
    let mut units = Vec::new();
    for (pi, ((_, _, lines), tables)) in page_lines.iter().zip(page_tables).enumerate() {
        let mut furn = Vec::new();
        let mut us: Vec<Unit> = tables;
        for (li, l) in lines.iter().enumerate() {
            match roles.get(&(pi, li)) {
                Some(r) => furn.push((*r, l.clone())),
                None => us.push(Unit::Line(l.clone())),
            }
        }
        let top = |u: &Unit| match u {
            Unit::Line(l) => l.y + 0.85 * l.size,
            Unit::Table { bbox, .. } => bbox[3],
        };
        us.sort_by(|a, b| top(b).total_cmp(&top(a)));
        units.push((furn, us));
    }
    units
}

/// Step 4: the pages' units as one list, a table continued on the next page (same
/// columns, nothing between) merged into its first part — one table to the reader, so
/// one table in the document; each page's furniture with the index it comes before.
fn merge_continued_tables(units: Vec<PageUnits>) -> (Vec<Unit>, Vec<(usize, Furn)>) {
    let mut flat: Vec<Unit> = Vec::new();
    let mut furn_at: Vec<(usize, Furn)> = Vec::new();
    for (furn, us) in units {
        furn_at.push((flat.len(), furn));
        for u in us {
            if let (
                Unit::Table { xs, rows, .. },
                Some(Unit::Table {
                    xs: pxs,
                    rows: prows,
                    ..
                }),
            ) = (&u, flat.last_mut())
                && xs.len() == pxs.len()
                && xs.iter().zip(pxs.iter()).all(|(a, b)| (a - b).abs() < 3.0)
            {
                let skip = usize::from(rows.first() == prows.first());
                let mut rest = rows.iter().skip(skip);
                // A row cut by the page break: its part on the new page has an empty first
                // cell (the number stayed above). It is the same row, not a new one.
                if let (Some(last), Some(first)) = (prows.last_mut(), rows.get(skip))
                    && is_cut_row(last, first)
                {
                    join_cut_row(last, first);
                    rest.next();
                }
                prows.extend(rest.cloned());
                continue;
            }
            flat.push(u);
        }
    }
    (flat, furn_at)
}

/// Appends `first`, a cut row's part on the new page, to `last`, its part above the break:
/// the break falls inside each cell's text like a line wrap, so it is kept as a `'\n'` for
/// the parser to read (see Boundaries in ARCHITECTURE.md).
fn join_cut_row(last: &mut [Cell], first: &[Cell]) {
    for (cell, more) in last.iter_mut().zip(first) {
        let mut more = more.paragraphs.iter().cloned();
        match (cell.paragraphs.last_mut(), more.next()) {
            (Some(tail), Some(head)) => {
                tail.push('\n');
                tail.push_str(&head);
            }
            (None, Some(head)) => cell.paragraphs.push(head),
            (_, None) => {}
        }
        cell.paragraphs.extend(more);
    }
}

/// Step 5: pushes the blocks — lines joined into paragraphs across page breaks, tables —
/// and each page's furniture after the block it interrupts, so a paragraph running over a
/// page break stays one block.
fn emit(flat: Vec<Unit>, mut furn_at: Vec<(usize, Furn)>, col: &Column, doc: &mut Document) {
    let mut pending_furn: Furn = Vec::new();
    let mut open: Option<Para> = None;
    let mut fi = 0;
    for (i, u) in flat.into_iter().enumerate() {
        while fi < furn_at.len() && furn_at[fi].0 <= i {
            pending_furn.append(&mut furn_at[fi].1);
            fi += 1;
        }
        match u {
            Unit::Line(l) => {
                if let Some(p) = open.as_mut()
                    && continues(p.lines.last().unwrap(), &l, col)
                {
                    p.lines.push(l);
                    continue;
                }
                if let Some(p) = open.take() {
                    push_paragraph(doc, p);
                }
                push_furniture(doc, &mut pending_furn);
                open = Some(Para { lines: vec![l] });
            }
            Unit::Table {
                page, bbox, rows, ..
            } => {
                if let Some(p) = open.take() {
                    push_paragraph(doc, p);
                }
                push_furniture(doc, &mut pending_furn);
                doc.push(
                    BlockKind::Table(Table::new(rows)),
                    Provenance {
                        page: Some(page),
                        bbox: Some(bbox.map(|v| (v * 10.0).round() / 10.0)),
                        ..Default::default()
                    },
                );
            }
        }
    }
    if let Some(p) = open.take() {
        push_paragraph(doc, p);
    }
    while fi < furn_at.len() {
        pending_furn.append(&mut furn_at[fi].1);
        fi += 1;
    }
    push_furniture(doc, &mut pending_furn);
}

/// Pushes a paragraph, its box that of its lines on its first page (provenance names one
/// page).
fn push_paragraph(doc: &mut Document, p: Para) {
    let page = p.lines[0].page;
    let bbox = union_bbox(p.lines.iter().filter(|l| l.page == page));
    doc.push(
        BlockKind::Paragraph(para_text(&p)),
        Provenance {
            page: Some(page),
            bbox: Some(bbox),
            ..Default::default()
        },
    );
}

/// Pushes the furniture waiting in `f`, one block per line, and empties it.
fn push_furniture(doc: &mut Document, f: &mut Furn) {
    for (role, l) in f.drain(..) {
        doc.push(
            BlockKind::Furniture {
                role,
                text: l.text.clone(),
            },
            Provenance {
                page: Some(l.page),
                bbox: Some(union_bbox(std::iter::once(&l))),
                ..Default::default()
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use docmodel::Format;

    /// A run of wide glyphs, one em each, from `x` on baseline `y`.
    fn run(text: &str, x: f32, y: f32, size: f32) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                text: c.to_string(),
                x0: x + i as f32 * size,
                x1: x + (i + 1) as f32 * size,
                y,
                size,
            })
            .collect()
    }

    fn page(glyphs: Vec<Glyph>, segs: Vec<Seg>) -> PageIn {
        PageIn {
            number: 1,
            media: [0.0, 0.0, 595.0, 842.0],
            glyphs,
            segs,
        }
    }

    /// Page `n` of an A4 document.
    fn page_n(n: u32, glyphs: Vec<Glyph>, segs: Vec<Seg>) -> PageIn {
        PageIn {
            number: n,
            ..page(glyphs, segs)
        }
    }

    /// The rules of a `rows` × 2 grid from (72, `top`) down, rows 30 pt high, columns
    /// 100 and 200 pt wide.
    fn grid(top: f32, rows: usize) -> Vec<Seg> {
        let bottom = top - 30.0 * rows as f32;
        let mut segs: Vec<Seg> = (0..=rows)
            .map(|r| {
                let y = top - 30.0 * r as f32;
                Seg {
                    x0: 72.0,
                    y0: y,
                    x1: 372.0,
                    y1: y,
                }
            })
            .collect();
        segs.extend([72.0, 172.0, 372.0].map(|x| Seg {
            x0: x,
            y0: bottom,
            x1: x,
            y1: top,
        }));
        segs
    }

    /// The lines' texts.
    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    /// A body line of `text` (12 pt wide glyphs) on `page`.
    fn line(text: &str, x: f32, y: f32, page: u32) -> Line {
        make_lines(run(text, x, y, 12.0), page).remove(0)
    }

    #[test]
    fn step_1_glyphs_off_the_page_are_dropped_unless_most_are() {
        let media = [0.0, 0.0, 595.0, 842.0];
        let mut glyphs = run("页内正文", 72.0, 700.0, 12.0);
        glyphs.extend(run("隐", 700.0, 700.0, 12.0)); // right of the page
        glyphs.extend(run("藏", 72.0, -40.0, 12.0)); // below it
        drop_glyphs_off_the_page(&mut glyphs, media);
        assert_eq!(texts(&make_lines(glyphs, 1)), ["页内正文"]);
        // Most text outside: the box is wrong, not the text.
        let mut glyphs = run("页面框之外的正文", 700.0, 700.0, 12.0);
        glyphs.extend(run("内", 72.0, 700.0, 12.0));
        drop_glyphs_off_the_page(&mut glyphs, media);
        assert_eq!(glyphs.len(), 9);
    }

    #[test]
    fn step_1_a_tables_text_goes_to_its_cells_and_an_empty_box_is_dropped() {
        let mut glyphs = run("表前一行", 72.0, 760.0, 12.0);
        glyphs.extend(run("序号", 80.0, 680.0, 12.0));
        glyphs.extend(run("名称", 180.0, 680.0, 12.0));
        glyphs.extend(run("表后一行", 72.0, 600.0, 12.0));
        let mut segs = grid(700.0, 1);
        segs.extend(grid(500.0, 2)); // a ruled box with nothing in it
        let ((number, _, lines), tables) = tables_and_lines(page_n(3, glyphs, segs));
        assert_eq!(number, 3);
        assert_eq!(texts(&lines), ["表前一行", "表后一行"]);
        let [Unit::Table { page, rows, xs, .. }] = tables.as_slice() else {
            panic!("one table")
        };
        assert_eq!((*page, xs.as_slice()), (3, [72.0, 172.0, 372.0].as_slice()));
        assert_eq!(rows, &[vec![Cell::new(["序号"]), Cell::new(["名称"])]]);
    }

    #[test]
    fn step_2_running_headers_and_page_numbers_are_furniture_body_lines_are_not() {
        let pages: Vec<PageLines> = (1..=2)
            .map(|n| {
                let mut g = run("某某市人民政府文件", 200.0, 800.0, 12.0);
                g.extend(run(
                    if n == 1 {
                        "第一页正文"
                    } else {
                        "第二页正文"
                    },
                    72.0,
                    700.0,
                    12.0,
                ));
                g.extend(run(&format!("第{n}页"), 280.0, 40.0, 12.0));
                (n, [0.0, 0.0, 595.0, 842.0], make_lines(g, n))
            })
            .collect();
        let roles = find_furniture(&pages);
        for pi in 0..2 {
            assert_eq!(roles.get(&(pi, 0)), Some(&FurnitureRole::Header));
            assert_eq!(roles.get(&(pi, 1)), None, "body text");
            assert_eq!(roles.get(&(pi, 2)), Some(&FurnitureRole::PageNumber));
        }
        let body: Vec<&str> = body_lines(&pages, &roles)
            .iter()
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(body, ["第一页正文", "第二页正文"]);
        // A line at the top of one page only is the document's, not the page's.
        let one = vec![pages[0].clone()];
        assert_eq!(find_furniture(&one).get(&(0, 0)), None);
    }

    #[test]
    fn step_2_the_body_column_is_measured_on_the_body_lines() {
        let full = "一二三四五六七八九十一二三四五六七八九十";
        let lines: Vec<Line> = [
            line(full, 72.0, 700.0, 1),
            line(full, 72.0, 680.0, 1),
            line(full, 72.0, 660.0, 1),
            line("短行。", 96.0, 640.0, 1),
        ]
        .into();
        let col = body_column(&lines.iter().collect::<Vec<_>>());
        assert_eq!((col.left, col.right), (72.0, 72.0 + 20.0 * 12.0));
        assert_eq!((col.pitch, col.bottom), (20.0, 640.0));
    }

    #[test]
    fn step_3_tables_stand_between_the_lines_they_were_cut_from_furniture_aside() {
        let mut glyphs = run("页眉", 72.0, 800.0, 12.0);
        glyphs.extend(run("表前", 72.0, 760.0, 12.0));
        glyphs.extend(run("格", 80.0, 680.0, 12.0));
        glyphs.extend(run("表后", 72.0, 600.0, 12.0));
        let (lines, tables) = tables_and_lines(page(glyphs, grid(700.0, 1)));
        let roles = HashMap::from([((0, 0), FurnitureRole::Header)]);
        let units = reading_order(&[lines], vec![tables], &roles);
        let [(furn, us)] = units.as_slice() else {
            panic!("one page")
        };
        assert_eq!(furn.len(), 1);
        assert_eq!(furn[0].1.text, "页眉");
        let order: Vec<&str> = us
            .iter()
            .map(|u| match u {
                Unit::Line(l) => l.text.as_str(),
                Unit::Table { .. } => "<table>",
            })
            .collect();
        assert_eq!(order, ["表前", "<table>", "表后"]);
    }

    /// A table unit on `page` with `xs` and rows of two cells.
    fn table(page: u32, xs: &[f32], rows: &[[&str; 2]]) -> Unit {
        let cell = |t: &str| {
            if t.is_empty() {
                Cell::default()
            } else {
                Cell::new([t])
            }
        };
        Unit::Table {
            page,
            bbox: [72.0, 600.0, 372.0, 700.0],
            xs: xs.to_vec(),
            rows: rows.iter().map(|r| vec![cell(r[0]), cell(r[1])]).collect(),
        }
    }

    #[test]
    fn step_4_a_table_continued_on_the_next_page_is_one_table() {
        let xs = [72.0, 172.0, 372.0];
        let units = vec![
            (
                Vec::new(),
                vec![table(1, &xs, &[["序号", "名称"], ["1", "甲"]])],
            ),
            // The header row repeated, then the rest of row 1 cut by the break, then row 2.
            (
                Vec::new(),
                vec![table(
                    2,
                    &[72.5, 171.0, 373.0],
                    &[["序号", "名称"], ["", "项目"], ["2", "乙"]],
                )],
            ),
        ];
        let (flat, furn_at) = merge_continued_tables(units);
        assert_eq!(furn_at.iter().map(|f| f.0).collect::<Vec<_>>(), [0, 1]);
        let [Unit::Table { rows, page, .. }] = flat.as_slice() else {
            panic!("one table")
        };
        assert_eq!(*page, 1);
        let text: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.paragraphs.join("|")).collect())
            .collect();
        assert_eq!(text, [["序号", "名称"], ["1", "甲\n项目"], ["2", "乙"]]);
        // Other columns: two tables.
        let units = vec![
            (Vec::new(), vec![table(1, &xs, &[["1", "甲"]])]),
            (
                Vec::new(),
                vec![table(2, &[72.0, 272.0, 372.0], &[["2", "乙"]])],
            ),
        ];
        assert_eq!(merge_continued_tables(units).0.len(), 2);
        // A line between them: two tables.
        let units = vec![(
            Vec::new(),
            vec![
                table(1, &xs, &[["1", "甲"]]),
                Unit::Line(line("表间文字", 72.0, 500.0, 1)),
                table(1, &xs, &[["2", "乙"]]),
            ],
        )];
        assert_eq!(merge_continued_tables(units).0.len(), 3);
    }

    #[test]
    fn step_4_a_cut_row_joins_cell_by_cell_with_a_line_break() {
        let mut last = vec![Cell::new(["3"]), Cell::default(), Cell::new(["甲乙"])];
        let first = [Cell::default(), Cell::new(["丙"]), Cell::new(["丁", "戊"])];
        assert!(is_cut_row(&last, &first));
        join_cut_row(&mut last, &first);
        assert_eq!(
            last,
            [
                Cell::new(["3"]),
                Cell::new(["丙"]),
                Cell::new(["甲乙\n丁", "戊"])
            ]
        );
        assert!(!is_cut_row(&[Cell::new(["3"])], &[Cell::new(["4"])]));
    }

    #[test]
    fn step_5_a_paragraph_runs_over_the_page_break_and_the_furniture_follows_it() {
        let full = "一二三四五六七八九十一二三四五六七八九十";
        let page1 = [
            line(full, 72.0, 700.0, 1),
            line(full, 72.0, 680.0, 1),
            line(full, 72.0, 660.0, 1), // the page's last line, full: the paragraph goes on
        ];
        let page2 = [
            line("续完。", 72.0, 760.0, 2),
            line("另段。", 96.0, 740.0, 2),
        ];
        let body: Vec<&Line> = page1.iter().chain(&page2).collect();
        let col = body_column(&body);
        let number = |n: u32| {
            (
                FurnitureRole::PageNumber,
                line(&n.to_string(), 280.0, 30.0, n),
            )
        };
        let flat: Vec<Unit> = page1
            .iter()
            .chain(&page2)
            .cloned()
            .map(Unit::Line)
            .collect();
        let furn_at = vec![(0, vec![number(1)]), (3, vec![number(2)])];
        let mut doc = Document::new(Format::Pdf);
        emit(flat, furn_at, &col, &mut doc);
        let blocks: Vec<(String, Option<u32>)> = doc
            .blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Paragraph(t) => (t.replace(full, "全"), b.prov.page),
                BlockKind::Furniture { text, .. } => (format!("[{text}]"), b.prov.page),
                BlockKind::Table(_) => ("<table>".into(), b.prov.page),
            })
            .collect();
        let expected = [
            ("[1]", 1),
            ("全\n全\n全\n续完。", 1),
            ("[2]", 2),
            ("另段。", 2),
        ];
        assert_eq!(blocks, expected.map(|(t, p)| (t.to_string(), Some(p))));
    }

    #[test]
    fn wrapped_lines_join_and_page_numbers_are_furniture() {
        let mut g = run(
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八",
            72.0,
            700.0,
            16.0,
        );
        g.extend(run("九十。", 72.0, 672.0, 16.0));
        g.extend(run("另起一段。", 104.0, 644.0, 16.0));
        g.extend(run("—1—", 280.0, 40.0, 12.0));
        let mut doc = Document::new(Format::Pdf);
        build(vec![page(g, Vec::new())], &mut doc);
        let kinds: Vec<&BlockKind> = doc.blocks.iter().map(|b| &b.kind).collect();
        // A page's furniture comes before its first paragraph (none runs in from before).
        assert!(matches!(
            kinds[0],
            BlockKind::Furniture {
                role: FurnitureRole::PageNumber,
                ..
            }
        ));
        assert!(matches!(kinds[1], BlockKind::Paragraph(t) if t.ends_with("八\n九十。")));
        assert!(matches!(kinds[2], BlockKind::Paragraph(t) if t == "另起一段。"));
        assert!(
            doc.blocks
                .iter()
                .all(|b| b.prov.page == Some(1) && b.prov.bbox.is_some())
        );
    }

    #[test]
    fn ruled_cells_make_a_table_with_one_cell_per_column() {
        let h = |y: f32| Seg {
            x0: 72.0,
            y0: y,
            x1: 372.0,
            y1: y,
        };
        let v = |x: f32| Seg {
            x0: x,
            y0: 600.0,
            x1: x,
            y1: 700.0,
        };
        let segs = vec![h(700.0), h(650.0), h(600.0), v(72.0), v(172.0), v(372.0)];
        let mut g = run("序号", 80.0, 670.0, 12.0);
        g.extend(run("项目名称", 180.0, 670.0, 12.0));
        g.extend(run("1", 80.0, 620.0, 12.0));
        g.extend(run("建设儿童之家", 180.0, 620.0, 12.0));
        let mut doc = Document::new(Format::Pdf);
        build(vec![page(g, segs)], &mut doc);
        let BlockKind::Table(t) = &doc.blocks[0].kind else {
            panic!("{:?}", doc.blocks)
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(
            t.rows[1],
            vec![Cell::new(["1"]), Cell::new(["建设儿童之家"])]
        );
    }
}
