//! Font decoding: byte strings of a `Tj` -> codes -> (Unicode text, advance width).
//!
//! Covers simple fonts (Type1/TrueType/Type3: `/ToUnicode`, else the `/Encoding` base
//! encoding plus `/Differences` glyph names) and Type0 fonts (`Identity-H/V`, predefined
//! Adobe-GB1 CMaps such as `UniGB-UCS2-H` and `GBK-EUC-H`, embedded CMap streams; Unicode
//! from `/ToUnicode`, else from the CMap's own code semantics, else Adobe-GB1 CID ->
//! Unicode). Widths come from `/Widths` or from `/W` in both its forms
//! (`c [w1 w2 …]` and `c_first c_last w`) with `/DW` as default.

use crate::Error;
use crate::cmap::{self, CidMap, CodeUnicode};
use lopdf::{Dictionary, Document, Object};
use std::collections::HashMap;

#[derive(Debug)]
pub struct Font {
    type0: bool,
    /// Simple fonts: width per byte code, glyph units (1/1000 em).
    widths: Vec<f32>,
    default_width: f32,
    /// Simple fonts: Unicode per code from the encoding.
    encoding: Vec<Option<char>>,
    /// Type0: code -> CID (None = Identity).
    cidmap: Option<CidMap>,
    /// Type0 predefined CMap: what the code means as text.
    code_unicode: Option<CodeUnicode>,
    /// Type0: CIDs are Adobe-GB1 (CIDSystemInfo), so the vendored table applies.
    gb1: bool,
    /// Type0 `/W`: sorted `(cid_lo, cid_hi, width)`.
    cid_widths: Vec<(u32, u32, f32)>,
    to_unicode: Option<HashMap<u32, String>>,
    /// BaseFont (for debugging output).
    #[allow(dead_code)]
    pub name: String,
}

/// One decoded glyph.
pub struct Glyph {
    pub text: Option<String>,
    /// Advance in glyph units (1/1000 em).
    pub width: f32,
    /// A single-byte code 32 (word spacing `Tw` applies).
    pub is_space_code: bool,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| deref(doc, o))
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// A CMap stream's bytes: None when it is not a stream or cannot be decoded (the font is read
/// without it), an error when it decodes beyond `max` bytes (refused: the document is
/// `too_large`, and nothing else reads that stream).
fn stream_bytes(doc: &Document, o: &Object, max: usize) -> Result<Option<Vec<u8>>, Error> {
    match deref(doc, o) {
        Object::Stream(s) => match crate::content::stream_data(doc, s, max) {
            Ok(b) => Ok(Some(b)),
            Err(e @ Error::TooLarge(_)) => Err(e),
            Err(_) => Ok(None),
        },
        _ => Ok(None),
    }
}

impl Font {
    /// Loads a font; an error only for a CMap stream (ToUnicode, or a Type0 font's
    /// `/Encoding`) that decodes beyond `max_stream` bytes, or a ToUnicode CMap whose code
    /// map would.
    pub fn load(doc: &Document, dict: &Dictionary, max_stream: usize) -> Result<Font, Error> {
        let subtype = get(doc, dict, b"Subtype")
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        let name = get(doc, dict, b"BaseFont")
            .and_then(|o| o.as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let to_unicode = match get(doc, dict, b"ToUnicode") {
            Some(o) => stream_bytes(doc, o, max_stream)?,
            None => None,
        };
        let to_unicode = to_unicode
            .map(|b| cmap::parse_to_unicode(&b, max_stream).map(|tu| tu.map))
            .transpose()
            .map_err(Error::TooLarge)?
            .filter(|m| !m.is_empty());
        let mut f = Font {
            type0: subtype == b"Type0",
            widths: Vec::new(),
            default_width: 0.0,
            encoding: Vec::new(),
            cidmap: None,
            code_unicode: None,
            gb1: false,
            cid_widths: Vec::new(),
            to_unicode,
            name,
        };
        if f.type0 {
            f.load_type0(doc, dict, max_stream)?;
        } else {
            f.load_simple(doc, dict);
        }
        Ok(f)
    }

    fn load_simple(&mut self, doc: &Document, dict: &Dictionary) {
        let first = get(doc, dict, b"FirstChar")
            .and_then(num)
            .unwrap_or(0.0)
            .max(0.0) as usize;
        let desc = get(doc, dict, b"FontDescriptor").and_then(|o| o.as_dict().ok());
        let missing = desc
            .and_then(|d| get(doc, d, b"MissingWidth"))
            .and_then(num)
            .unwrap_or(0.0);
        self.widths = vec![missing; 256];
        let mut have_widths = false;
        if let Some(Object::Array(ws)) = get(doc, dict, b"Widths") {
            for (i, w) in ws.iter().enumerate() {
                if let (Some(slot), Some(w)) = (self.widths.get_mut(first + i), num(deref(doc, w)))
                {
                    *slot = w;
                    have_widths = true;
                }
            }
        }
        // Type3 glyph widths are in glyph space: scale by the FontMatrix to 1/1000 em.
        let fm0 = match get(doc, dict, b"FontMatrix") {
            Some(Object::Array(fm)) => fm.first().map(|o| deref(doc, o)).and_then(num),
            _ => None,
        };
        if let Some(a) = fm0 {
            let scale = a * 1000.0;
            if scale.is_finite() && scale > 0.0 && (scale - 1.0).abs() > 1e-3 {
                self.widths.iter_mut().for_each(|w| *w *= scale);
            }
        }
        if !have_widths {
            // Standard 14 fonts without /Widths: an average Latin advance.
            self.default_width = 500.0;
            self.widths = Vec::new();
        }
        // Encoding: base table, then /Differences.
        let mut enc: Vec<Option<char>> = (0..256u32).map(win_ansi).collect();
        match get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => base_encoding(n, &mut enc),
            Some(Object::Dictionary(d)) => {
                if let Some(Object::Name(n)) = get(doc, d, b"BaseEncoding") {
                    base_encoding(n, &mut enc);
                }
                if let Some(Object::Array(diffs)) = get(doc, d, b"Differences") {
                    let mut code = 0usize;
                    for o in diffs {
                        match deref(doc, o) {
                            Object::Integer(i) => code = (*i).clamp(0, 255) as usize,
                            Object::Name(n) => {
                                if code < 256 {
                                    enc[code] = glyph_name_to_char(n);
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        // An embedded symbolic font with neither /Encoding nor /ToUnicode: its codes
        // select glyphs of the font program (typical of CJK subsets), not characters, so
        // reading them as WinAnsi would invent Latin text. Leave them unmapped.
        let symbolic = desc
            .and_then(|d| get(doc, d, b"Flags"))
            .and_then(num)
            .map(|f| (f as i64) & 4 != 0)
            .unwrap_or(false);
        let embedded =
            desc.is_some_and(|d| d.has(b"FontFile") || d.has(b"FontFile2") || d.has(b"FontFile3"));
        if symbolic && embedded && self.to_unicode.is_none() && dict.get(b"Encoding").is_err() {
            enc = vec![None; 256];
        }
        self.encoding = enc;
    }

    fn load_type0(
        &mut self,
        doc: &Document,
        dict: &Dictionary,
        max_stream: usize,
    ) -> Result<(), Error> {
        let desc = get(doc, dict, b"DescendantFonts")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok());
        match get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                let n = String::from_utf8_lossy(n).into_owned();
                if !n.starts_with("Identity") {
                    let kind = cmap::code_unicode_kind(&n);
                    self.code_unicode = Some(kind);
                    self.cidmap = Some(match cmap::adobe_gb1().cmap(&n) {
                        Some(m) => m.clone(),
                        None => CidMap {
                            codespace: fallback_codespace(&n, kind),
                            ranges: Vec::new(),
                        },
                    });
                }
            }
            Some(o @ Object::Stream(_)) => {
                if let Some(b) = stream_bytes(doc, o, max_stream)? {
                    self.cidmap = Some(cmap::parse_cid_cmap(&b));
                }
            }
            _ => {}
        }
        let Some(desc) = desc else { return Ok(()) };
        if let Some(Object::Dictionary(si)) = get(doc, desc, b"CIDSystemInfo") {
            let ordering = get(doc, si, b"Ordering")
                .and_then(|o| o.as_str().ok())
                .unwrap_or(b"");
            self.gb1 = ordering == b"GB1";
        }
        self.default_width = get(doc, desc, b"DW").and_then(num).unwrap_or(1000.0);
        if let Some(Object::Array(w)) = get(doc, desc, b"W") {
            let mut i = 0;
            while i < w.len() {
                let a = num(deref(doc, &w[i]));
                match (a, w.get(i + 1).map(|o| deref(doc, o))) {
                    (Some(c), Some(Object::Array(list))) => {
                        for (k, wv) in list.iter().enumerate() {
                            if let Some(wv) = num(deref(doc, wv)) {
                                let cid = c as u32 + k as u32;
                                self.cid_widths.push((cid, cid, wv));
                            }
                        }
                        i += 2;
                    }
                    // The range form `c_first c_last w` (pdf-extract 0.12.1 leaves these at 0).
                    (Some(c1), Some(o2)) => {
                        if let (Some(c2), Some(wv)) =
                            (num(o2), w.get(i + 2).map(|o| deref(doc, o)).and_then(num))
                        {
                            self.cid_widths.push((c1 as u32, c2 as u32, wv));
                        }
                        i += 3;
                    }
                    _ => break,
                }
            }
            self.cid_widths.sort_by_key(|r| r.0);
        }
        Ok(())
    }

    fn cid_width(&self, cid: u32) -> f32 {
        let i = self.cid_widths.partition_point(|r| r.0 <= cid);
        self.cid_widths[..i]
            .iter()
            .rev()
            .take(4)
            .find(|r| cid <= r.1)
            .map(|r| r.2)
            .unwrap_or(self.default_width)
    }

    /// Decodes a shown string into glyphs, calling `f` for each.
    pub fn decode(&self, bytes: &[u8], mut f: impl FnMut(Glyph)) {
        if !self.type0 {
            for &b in bytes {
                let code = u32::from(b);
                let text = match &self.to_unicode {
                    Some(tu) => tu
                        .get(&code)
                        .cloned()
                        .or_else(|| self.encoding[b as usize].map(String::from)),
                    None => self.encoding[b as usize].map(String::from),
                };
                let width = match self.widths.get(b as usize) {
                    Some(w) => *w,
                    None => match &text {
                        Some(t) if t.chars().any(is_wide) => 1000.0,
                        _ => self.default_width,
                    },
                };
                f(Glyph {
                    text,
                    width,
                    is_space_code: b == 32,
                });
            }
            return;
        }
        let mut rest = bytes;
        while !rest.is_empty() {
            let (code, n) = match &self.cidmap {
                Some(m) => m.next_code(rest),
                None if rest.len() >= 2 => (u32::from(rest[0]) << 8 | u32::from(rest[1]), 2),
                None => (u32::from(rest[0]), 1),
            };
            let raw = &rest[..n];
            rest = &rest[n..];
            let cid = match &self.cidmap {
                None => Some(code),
                Some(m) => m.cid(code),
            };
            let mut text = self
                .to_unicode
                .as_ref()
                .and_then(|tu| tu.get(&code).cloned());
            if text.is_none() {
                text = match self.code_unicode {
                    Some(CodeUnicode::Utf16) => {
                        let units: Vec<u16> = raw
                            .chunks(2)
                            .filter(|c| c.len() == 2)
                            .map(|c| u16::from_be_bytes([c[0], c[1]]))
                            .collect();
                        Some(String::from_utf16_lossy(&units))
                    }
                    Some(CodeUnicode::Gbk) => {
                        let (s, _, bad) = encoding_rs::GBK.decode(raw);
                        (!bad).then(|| s.into_owned())
                    }
                    _ => None,
                };
            }
            if text.is_none() && (self.gb1 || self.code_unicode.is_some()) {
                text = cid
                    .and_then(|c| cmap::adobe_gb1().unicode(c))
                    .map(String::from);
            }
            let width = cid.map(|c| self.cid_width(c)).unwrap_or(self.default_width);
            f(Glyph {
                text,
                width,
                is_space_code: n == 1 && code == 32,
            });
        }
    }
}

fn fallback_codespace(name: &str, kind: CodeUnicode) -> Vec<cmap::CodeSpace> {
    use cmap::CodeSpace;
    match kind {
        CodeUnicode::Utf16 if name.contains("UTF16") => vec![
            CodeSpace {
                nbytes: 2,
                lo: 0x0000,
                hi: 0xD7FF,
            },
            CodeSpace {
                nbytes: 4,
                lo: 0xD800DC00,
                hi: 0xDBFFDFFF,
            },
            CodeSpace {
                nbytes: 2,
                lo: 0xE000,
                hi: 0xFFFF,
            },
        ],
        CodeUnicode::Gbk => vec![
            CodeSpace {
                nbytes: 1,
                lo: 0,
                hi: 0x80,
            },
            CodeSpace {
                nbytes: 2,
                lo: 0x8140,
                hi: 0xFEFE,
            },
        ],
        _ => vec![CodeSpace {
            nbytes: 2,
            lo: 0,
            hi: 0xFFFF,
        }],
    }
}

/// Wide characters: the layout crate's definition, so fonts and layout agree.
pub use glyph_layout::is_wide;

fn win_ansi(code: u32) -> Option<char> {
    const HIGH: [u32; 32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
        0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
        0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ];
    match code {
        0x20..=0x7E | 0xA0..=0xFF => char::from_u32(code),
        0x80..=0x9F => char::from_u32(HIGH[(code - 0x80) as usize]).filter(|c| *c != '\0'),
        _ => None,
    }
}

fn base_encoding(name: &[u8], enc: &mut [Option<char>]) {
    match name {
        b"StandardEncoding" => {
            enc[0x27] = Some('\u{2019}');
            enc[0x60] = Some('\u{2018}');
            for c in enc.iter_mut().skip(0x7F) {
                *c = None;
            }
        }
        b"MacRomanEncoding" => {
            for c in enc.iter_mut().skip(0x80) {
                *c = None;
            }
        }
        _ => {}
    }
}

/// Unicode for a glyph name: `uniXXXX`, `uXXXX[XX]`, single letters/digits and the
/// common Latin punctuation names.
pub fn glyph_name_to_char(name: &[u8]) -> Option<char> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    if let Some(h) = base.strip_prefix("uni") {
        return u32::from_str_radix(h.get(..4)?, 16)
            .ok()
            .and_then(char::from_u32);
    }
    if let Some(h) = base.strip_prefix('u')
        && (4..=6).contains(&h.len())
        && let Ok(v) = u32::from_str_radix(h, 16)
    {
        return char::from_u32(v);
    }
    let mut it = base.chars();
    if let (Some(c), None) = (it.next(), it.next())
        && c.is_ascii_alphabetic()
    {
        return Some(c);
    }
    const NAMES: &[(&str, char)] = &[
        ("space", ' '),
        ("exclam", '!'),
        ("quotedbl", '"'),
        ("numbersign", '#'),
        ("dollar", '$'),
        ("percent", '%'),
        ("ampersand", '&'),
        ("quotesingle", '\''),
        ("parenleft", '('),
        ("parenright", ')'),
        ("asterisk", '*'),
        ("plus", '+'),
        ("comma", ','),
        ("hyphen", '-'),
        ("period", '.'),
        ("slash", '/'),
        ("zero", '0'),
        ("one", '1'),
        ("two", '2'),
        ("three", '3'),
        ("four", '4'),
        ("five", '5'),
        ("six", '6'),
        ("seven", '7'),
        ("eight", '8'),
        ("nine", '9'),
        ("colon", ':'),
        ("semicolon", ';'),
        ("less", '<'),
        ("equal", '='),
        ("greater", '>'),
        ("question", '?'),
        ("at", '@'),
        ("bracketleft", '['),
        ("backslash", '\\'),
        ("bracketright", ']'),
        ("asciicircum", '^'),
        ("underscore", '_'),
        ("grave", '`'),
        ("braceleft", '{'),
        ("bar", '|'),
        ("braceright", '}'),
        ("asciitilde", '~'),
        ("quoteleft", '\u{2018}'),
        ("quoteright", '\u{2019}'),
        ("quotedblleft", '\u{201C}'),
        ("quotedblright", '\u{201D}'),
        ("endash", '\u{2013}'),
        ("emdash", '\u{2014}'),
        ("bullet", '\u{2022}'),
        ("ellipsis", '\u{2026}'),
        ("periodcentered", '\u{B7}'),
        ("degree", '\u{B0}'),
        ("multiply", '\u{D7}'),
        ("divide", '\u{F7}'),
        ("minus", '\u{2212}'),
        ("nbspace", '\u{A0}'),
    ];
    NAMES.iter().find(|(n, _)| *n == base).map(|(_, c)| *c)
}
