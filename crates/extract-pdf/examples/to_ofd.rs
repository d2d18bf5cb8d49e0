//! Writes an OFD (GB/T 33190-2016) of a PDF's text, the way production OFD software does:
//! the OFD fixtures of the test notices (`fixtures/ofd/`, see its README) are made with it.
//!
//! ```sh
//! cargo run -p extract-pdf --example to_ofd -- IN.pdf OUT.ofd [--ctm] [--signed]
//! ```
//!
//! It takes the layout's input of the PDF (`extract_pdf::layout_input`: each page's box,
//! positioned glyphs and ruling segments) and writes, per page, one `TextObject` per line
//! and font size (`Boundary`, `Font`, `Size`, a `TextCode` with `X`/`Y` and `DeltaX` — runs
//! of one spacing compressed as `g N v` —, `DeltaY` where a glyph leaves the baseline), word
//! spaces as space characters (producers write the text, not the gaps), table rulings as
//! `PathObject`s with `AbbreviatedData`, the body in a `PageBlock`, and the page number of
//! each page and the large letterhead lines of page 1 (red) on `TemplatePage`s, with a
//! `PublicRes` font list. Coordinates are millimetres; `--ctm` writes them as Suwell's
//! PDF2OFD does instead — points in each object's space, scaled by `CTM="0.3528 0 0 0.3528
//! 0 0"`. `--signed` lists one signature in `Signatures.xml` (no real seal: a reader must
//! only say the file is signed).

use std::fmt::Write as _;
use std::io::Write as _;

use glyph_layout::{Glyph, PageIn, Seg};

const MM_PER_PT: f64 = 25.4 / 72.0;

/// Page-space glyph in millimetres, y down.
#[derive(Clone)]
struct G {
    text: String,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
}

struct Options {
    ctm: bool,
    signed: bool,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [input, output] = files.as_slice() else {
        eprintln!("usage: to_ofd IN.pdf OUT.ofd [--ctm] [--signed]");
        std::process::exit(2);
    };
    let opts = Options {
        ctm: args.iter().any(|a| a == "--ctm"),
        signed: args.iter().any(|a| a == "--signed"),
    };
    let bytes = std::fs::read(input).expect("readable PDF");
    let pages = extract_pdf::layout_input(&bytes, &extract_pdf::Limits::default())
        .unwrap_or_else(|e| panic!("{input}: {e}"));
    let ofd = write_ofd(&pages, &opts);
    std::fs::write(output, ofd).expect("writable output");
}

/// Millimetres, y down, from the layout's points, y up.
fn to_mm(page: &PageIn) -> (Vec<G>, Vec<[f64; 4]>) {
    let [mx, _, _, my1] = page.media.map(f64::from);
    let x = |v: f32| (f64::from(v) - mx) * MM_PER_PT;
    let y = |v: f32| (my1 - f64::from(v)) * MM_PER_PT;
    let glyphs = page
        .glyphs
        .iter()
        .map(|g: &Glyph| G {
            text: g.text.clone(),
            x0: x(g.x0),
            x1: x(g.x1),
            y: y(g.y),
            size: f64::from(g.size) * MM_PER_PT,
        })
        .collect();
    let segs = page
        .segs
        .iter()
        .map(|s: &Seg| [x(s.x0), y(s.y1), x(s.x1), y(s.y0)])
        .collect();
    (glyphs, segs)
}

/// Glyphs grouped by baseline (as the layout groups them), each line in x order.
fn lines(mut glyphs: Vec<G>) -> Vec<Vec<G>> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut out: Vec<Vec<G>> = Vec::new();
    for g in glyphs {
        if let Some(line) = out.last_mut() {
            let size = line.iter().map(|g| g.size).fold(g.size, f64::max);
            if (line[0].y - g.y).abs() < 0.4 * size.max(0.35) {
                line.push(g);
                continue;
            }
        }
        out.push(vec![g]);
    }
    for l in &mut out {
        l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    out
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 | 0x2018..=0x201F | 0x2014..=0x2026)
}

/// A line with its word gaps written as space characters, as producers write text.
fn with_spaces(line: Vec<G>) -> Vec<G> {
    let mut out: Vec<G> = Vec::with_capacity(line.len());
    for g in line {
        if let Some(p) = out.last() {
            let em = p.size.max(g.size);
            let (pc, nc) = (
                p.text.chars().last().unwrap_or(' '),
                g.text.chars().next().unwrap_or(' '),
            );
            if p.text != " "
                && g.text != " "
                && g.x0 - p.x1 >= 0.25 * em
                && !is_cjk_punct(pc)
                && !is_cjk_punct(nc)
            {
                let space = G {
                    text: " ".into(),
                    x0: p.x1,
                    x1: g.x0,
                    y: p.y,
                    size: p.size,
                };
                out.push(space);
            }
        }
        out.push(g);
    }
    out
}

/// Runs of one font size within a line: one text object each.
fn runs(line: Vec<G>) -> Vec<Vec<G>> {
    let mut out: Vec<Vec<G>> = Vec::new();
    for g in line {
        match out.last_mut() {
            Some(run) if (run[0].size - g.size).abs() < 0.01 => run.push(g),
            _ => out.push(vec![g]),
        }
    }
    out
}

fn page_number_like(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = t.trim_matches(|c: char| matches!(c, '—' | '–' | '-' | '－'));
    !digits.is_empty() && digits.len() <= 4 && digits.chars().all(|c| c.is_ascii_digit())
}

/// `1.5 1.5 1.5 2` → `g 3 1.5 2`: runs of three or more equal values compressed.
fn delta_list(values: &[f64]) -> String {
    let v: Vec<String> = values.iter().map(|d| num(*d)).collect();
    let mut out = String::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j < v.len() && v[j] == v[i] {
            j += 1;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if j - i >= 3 {
            let _ = write!(out, "g {} {}", j - i, v[i]);
        } else {
            out.push_str(&v[i..j].join(" "));
        }
        i = j;
    }
    out
}

/// A number as producers write it: at most three decimals, no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Object IDs, as `MaxUnitID` counts them.
struct Ids(u32);
impl Ids {
    fn next(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
}

const FONT_BODY: u32 = 2;
const FONT_TITLE: u32 = 3;

/// One text object: a run of glyphs of one size on one line.
fn text_object(run: &[G], body_size: f64, red: bool, opts: &Options, ids: &mut Ids) -> String {
    let size = run[0].size;
    let x0 = run.iter().map(|g| g.x0).fold(f64::MAX, f64::min);
    let x1 = run.iter().map(|g| g.x1).fold(f64::MIN, f64::max);
    let base = run[0].y;
    let (bx, by) = (x0, base - size);
    let (bw, bh) = (x1 - x0, 1.25 * size);
    // Object space: millimetres, or points under a CTM of 0.3528 (PDF2OFD's way).
    let k = if opts.ctm { 1.0 / MM_PER_PT } else { 1.0 };
    let text: String = run.iter().map(|g| g.text.as_str()).collect();
    let dx: Vec<f64> = run.windows(2).map(|w| (w[1].x0 - w[0].x0) * k).collect();
    let dy: Vec<f64> = run.windows(2).map(|w| (w[1].y - w[0].y) * k).collect();
    let font = if size > 1.2 * body_size {
        FONT_TITLE
    } else {
        FONT_BODY
    };
    let mut o = format!(
        r#"<ofd:TextObject ID="{}" Boundary="{} {} {} {}" Font="{font}" Size="{}""#,
        ids.next(),
        num(bx),
        num(by),
        num(bw),
        num(bh),
        num(size * k)
    );
    if opts.ctm {
        o.push_str(r#" CTM="0.3528 0 0 0.3528 0 0""#);
    }
    o.push('>');
    if red {
        o.push_str(r#"<ofd:FillColor Value="230 0 18"/>"#);
    }
    let _ = write!(
        o,
        r#"<ofd:TextCode X="{}" Y="{}""#,
        num((run[0].x0 - bx) * k),
        num((base - by) * k)
    );
    if !dx.is_empty() {
        let _ = write!(o, r#" DeltaX="{}""#, delta_list(&dx));
    }
    if dy.iter().any(|d| num(*d) != "0") {
        let _ = write!(o, r#" DeltaY="{}""#, delta_list(&dy));
    }
    let _ = write!(o, ">{}</ofd:TextCode></ofd:TextObject>", escape(&text));
    o
}

/// A ruling as a stroked path in its own boundary.
fn path_object(s: &[f64; 4], ids: &mut Ids) -> String {
    let (bx, by) = (s[0], s[1]);
    let (w, h) = ((s[2] - s[0]).max(0.0), (s[3] - s[1]).max(0.0));
    format!(
        r#"<ofd:PathObject ID="{}" Boundary="{} {} {} {}" LineWidth="0.25"><ofd:AbbreviatedData>M 0 0 L {} {}</ofd:AbbreviatedData></ofd:PathObject>"#,
        ids.next(),
        num(bx),
        num(by),
        num(w.max(0.25)),
        num(h.max(0.25)),
        num(w),
        num(h)
    )
}

fn page_xml(size: [f64; 2], templates: &[(u32, &str)], layers: &[String]) -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">"#,
    );
    let _ = write!(
        x,
        "<ofd:Area><ofd:PhysicalBox>0 0 {} {}</ofd:PhysicalBox></ofd:Area>",
        num(size[0]),
        num(size[1])
    );
    for (id, z) in templates {
        let _ = write!(x, r#"<ofd:Template TemplateID="{id}" ZOrder="{z}"/>"#);
    }
    x.push_str("<ofd:Content>");
    for l in layers {
        x.push_str(l);
    }
    x.push_str("</ofd:Content></ofd:Page>");
    x
}

/// What goes where on one page.
struct PageParts {
    size: [f64; 2],
    /// Page number lines (a template of their own).
    number: Vec<String>,
    /// Page 1's letterhead (a template drawn under the page).
    letterhead: Vec<String>,
    body: Vec<String>,
    rules: Vec<String>,
}

fn page_parts(page: &PageIn, opts: &Options, ids: &mut Ids) -> PageParts {
    let [x0, y0, x1, y1] = page.media.map(f64::from);
    let size = [(x1 - x0) * MM_PER_PT, (y1 - y0) * MM_PER_PT];
    let (glyphs, segs) = to_mm(page);
    let mut sizes: Vec<f64> = glyphs.iter().map(|g| g.size).collect();
    sizes.sort_by(f64::total_cmp);
    let body_size = sizes.get(sizes.len() / 2).copied().unwrap_or(5.6);
    let mut parts = PageParts {
        size,
        number: Vec::new(),
        letterhead: Vec::new(),
        body: Vec::new(),
        rules: Vec::new(),
    };
    for line in lines(glyphs) {
        let text: String = line.iter().map(|g| g.text.as_str()).collect();
        let bottom = line[0].y > 0.87 * size[1];
        let letterhead = page.number == 1 && line[0].size >= 1.6 * body_size;
        for run in runs(with_spaces(line)) {
            let o = text_object(&run, body_size, letterhead, opts, ids);
            if bottom && page_number_like(&text) {
                parts.number.push(o);
            } else if letterhead {
                parts.letterhead.push(o);
            } else {
                parts.body.push(o);
            }
        }
    }
    for s in &segs {
        parts.rules.push(path_object(s, ids));
    }
    parts
}

/// The OFD package of `pages`: pages, templates, resources, OFD.xml and signatures, zipped.
/// Long because it writes every part of the package in turn, as a producer does.
fn write_ofd(pages: &[PageIn], opts: &Options) -> Vec<u8> {
    let mut ids = Ids(10);
    let mut files: Vec<(String, String)> = Vec::new();
    let mut page_list = String::new();
    let mut template_list = String::new();
    let mut first_size = [210.0, 297.0];
    for (i, page) in pages.iter().enumerate() {
        let parts = page_parts(page, opts, &mut ids);
        if i == 0 {
            first_size = parts.size;
        }
        let mut refs: Vec<(u32, &str)> = Vec::new();
        let mut template = |name: &str, objects: &[String], z: &'static str, ids: &mut Ids| {
            let id = ids.next();
            let loc = format!("Tpls/{name}/Content.xml");
            let layer = format!(
                r#"<ofd:Layer ID="{}">{}</ofd:Layer>"#,
                ids.next(),
                objects.concat()
            );
            let _ = write!(
                template_list,
                r#"<ofd:TemplatePage ID="{id}" BaseLoc="{loc}"/>"#
            );
            files.push((format!("Doc_0/{loc}"), page_xml(parts.size, &[], &[layer])));
            (id, z)
        };
        if !parts.letterhead.is_empty() {
            refs.push(template(
                "Tpl_head",
                &parts.letterhead,
                "Background",
                &mut ids,
            ));
        }
        if !parts.number.is_empty() {
            refs.push(template(
                &format!("Tpl_{i}"),
                &parts.number,
                "Foreground",
                &mut ids,
            ));
        }
        let block = format!(
            r#"<ofd:PageBlock ID="{}">{}</ofd:PageBlock>"#,
            ids.next(),
            parts.body.concat()
        );
        let layer = format!(
            r#"<ofd:Layer ID="{}">{block}{}</ofd:Layer>"#,
            ids.next(),
            parts.rules.concat()
        );
        let loc = format!("Pages/Page_{i}/Content.xml");
        let _ = write!(
            page_list,
            r#"<ofd:Page ID="{}" BaseLoc="{loc}"/>"#,
            ids.next()
        );
        files.push((
            format!("Doc_0/{loc}"),
            page_xml(parts.size, &refs, &[layer]),
        ));
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:MaxUnitID>{}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {} {}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{template_list}</ofd:CommonData><ofd:Pages>{page_list}</ofd:Pages></ofd:Document>"#,
        ids.0,
        num(first_size[0]),
        num(first_size[1])
    );
    let public_res = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="http://www.ofdspec.org/2016" BaseLoc="Res"><ofd:Fonts><ofd:Font ID="{FONT_BODY}" FontName="仿宋_GB2312" FamilyName="仿宋_GB2312"/><ofd:Font ID="{FONT_TITLE}" FontName="方正小标宋简体" FamilyName="方正小标宋简体"/></ofd:Fonts></ofd:Res>"#
    );
    let signatures = if opts.signed {
        "<ofd:Signatures>/Doc_0/Signatures.xml</ofd:Signatures>"
    } else {
        ""
    };
    let ofd_xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>00000000000000000000000000000000</ofd:DocID><ofd:Author>noticepipe to_ofd</ofd:Author><ofd:CreationDate>2026-11-23</ofd:CreationDate><ofd:Creator>noticepipe to_ofd</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>{signatures}</ofd:DocBody></ofd:OFD>"#
    );
    let mut all = vec![
        ("OFD.xml".to_string(), ofd_xml),
        ("Doc_0/Document.xml".to_string(), document),
        ("Doc_0/PublicRes.xml".to_string(), public_res),
    ];
    if opts.signed {
        all.push((
            "Doc_0/Signatures.xml".into(),
            r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:MaxSignId>1</ofd:MaxSignId><ofd:Signature ID="1" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/></ofd:Signatures>"#.into(),
        ));
    }
    all.extend(files);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in all {
        zip.start_file(name, options).expect("zip entry");
        zip.write_all(content.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}
