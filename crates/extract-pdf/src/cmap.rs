//! CMaps: the vendored Adobe-GB1 predefined CMaps, and a parser for the CMap streams
//! PDFs embed (`/ToUnicode`, and `/Encoding` streams of Type0 fonts).

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

/// A code space range: codes of `nbytes` bytes between `lo` and `hi` (byte-wise).
#[derive(Debug, Clone, Copy)]
pub struct CodeSpace {
    pub nbytes: u8,
    pub lo: u32,
    pub hi: u32,
}

impl CodeSpace {
    fn contains(&self, code: u32) -> bool {
        // Byte-wise range check, as the CMap spec defines code space ranges.
        for i in 0..self.nbytes as u32 {
            let shift = 8 * i;
            let (c, l, h) = (
                (code >> shift) & 0xff,
                (self.lo >> shift) & 0xff,
                (self.hi >> shift) & 0xff,
            );
            if c < l || c > h {
                return false;
            }
        }
        true
    }
}

/// A code -> CID map (predefined or embedded).
#[derive(Debug, Clone, Default)]
pub struct CidMap {
    pub codespace: Vec<CodeSpace>,
    /// Sorted, non-overlapping-ish `(code_lo, code_hi, cid_lo)`.
    pub ranges: Vec<(u32, u32, u32)>,
}

impl CidMap {
    /// Splits the next code off `bytes`: `(code, length)`. Falls back to one byte.
    pub fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        if self.codespace.is_empty() {
            return if bytes.len() >= 2 {
                (u32::from(bytes[0]) << 8 | u32::from(bytes[1]), 2)
            } else {
                (u32::from(bytes[0]), 1)
            };
        }
        let mut code = 0u32;
        for n in 1..=4usize.min(bytes.len()) {
            code = code << 8 | u32::from(bytes[n - 1]);
            if self
                .codespace
                .iter()
                .any(|cs| cs.nbytes as usize == n && cs.contains(code))
            {
                return (code, n);
            }
        }
        // Not in any code space: consume the shortest length a code space uses.
        let n = self
            .codespace
            .iter()
            .map(|c| c.nbytes as usize)
            .min()
            .unwrap_or(1)
            .clamp(1, bytes.len());
        let code = bytes[..n].iter().fold(0u32, |a, &b| a << 8 | u32::from(b));
        (code, n)
    }

    pub fn cid(&self, code: u32) -> Option<u32> {
        let i = self.ranges.partition_point(|r| r.0 <= code);
        // Ranges may overlap (cidchar overriding cidrange); look back a few entries.
        self.ranges[..i]
            .iter()
            .rev()
            .take(8)
            .find(|r| code >= r.0 && code <= r.1)
            .map(|r| r.2 + (code - r.0))
    }
}

/// The vendored Adobe-GB1 data (see `data/gen_cmaps.py`).
pub struct AdobeGb1 {
    cid_to_uni: Vec<(u32, u32, u32)>,
    cmaps: HashMap<String, CidMap>,
}

static GB1_DATA: &[u8] = include_bytes!("../data/adobe-gb1.bin.z");

pub fn adobe_gb1() -> &'static AdobeGb1 {
    static CELL: OnceLock<AdobeGb1> = OnceLock::new();
    CELL.get_or_init(|| {
        load_gb1().unwrap_or(AdobeGb1 {
            cid_to_uni: Vec::new(),
            cmaps: HashMap::new(),
        })
    })
}

fn load_gb1() -> Option<AdobeGb1> {
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(GB1_DATA)
        .read_to_end(&mut raw)
        .ok()?;
    let mut r = Rd { b: &raw, p: 0 };
    if r.take(4)? != b"NPCM" || r.u32()? != 1 {
        return None;
    }
    let n = r.u32()? as usize;
    let mut cid_to_uni = Vec::with_capacity(n);
    for _ in 0..n {
        cid_to_uni.push((r.u32()?, r.u32()?, r.u32()?));
    }
    let ncm = r.u32()?;
    let mut cmaps = HashMap::new();
    for _ in 0..ncm {
        let len = r.u8()? as usize;
        let name = String::from_utf8_lossy(r.take(len)?).into_owned();
        let ncs = r.u16()?;
        let mut codespace = Vec::new();
        for _ in 0..ncs {
            codespace.push(CodeSpace {
                nbytes: r.u8()?,
                lo: r.u32()?,
                hi: r.u32()?,
            });
        }
        let ne = r.u32()? as usize;
        let mut ranges = Vec::with_capacity(ne);
        for _ in 0..ne {
            ranges.push((r.u32()?, r.u32()?, r.u32()?));
        }
        cmaps.insert(name, CidMap { codespace, ranges });
    }
    Some(AdobeGb1 { cid_to_uni, cmaps })
}

struct Rd<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Rd<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.p..self.p + n)?;
        self.p += n;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
}

impl AdobeGb1 {
    pub fn unicode(&self, cid: u32) -> Option<char> {
        let i = self.cid_to_uni.partition_point(|r| r.0 <= cid);
        let r = self.cid_to_uni.get(i.checked_sub(1)?)?;
        (cid <= r.1)
            .then(|| char::from_u32(r.2 + (cid - r.0)))
            .flatten()
    }

    /// A predefined CMap by name; vertical (`-V`) variants map to their horizontal map
    /// (they differ only in a few vertical-form punctuation CIDs).
    pub fn cmap(&self, name: &str) -> Option<&CidMap> {
        let h = name.strip_suffix("-V").map(|b| format!("{b}-H"));
        let name = h.as_deref().unwrap_or(name);
        let name = match name {
            // Same CIDs as UCS-2 for the BMP.
            "UniGB-UTF16-H" => "UniGB-UCS2-H",
            n => n,
        };
        self.cmaps.get(name)
    }
}

/// How a predefined CMap's codes relate to Unicode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeUnicode {
    /// The code is UCS-2 / UTF-16BE (`Uni*-UCS2-*`, `Uni*-UTF16-*`).
    Utf16,
    /// The code is GBK / GB 2312 EUC bytes.
    Gbk,
    /// Go through the CID (Adobe-GB1 table).
    ViaCid,
}

pub fn code_unicode_kind(name: &str) -> CodeUnicode {
    if name.starts_with("Uni") && (name.contains("UCS2") || name.contains("UTF16")) {
        CodeUnicode::Utf16
    } else if name.starts_with("GBK-")
        || name.starts_with("GB-EUC")
        || name.starts_with("GBpc-EUC")
        || name.starts_with("GBK2K")
    {
        CodeUnicode::Gbk
    } else {
        CodeUnicode::ViaCid
    }
}

// ---------------------------------------------------------------------------------------
// Embedded CMap streams

#[derive(Debug, PartialEq)]
enum Tok<'a> {
    Hex(Vec<u8>),
    Int(i64),
    Word(&'a [u8]),
    Open,
    Close,
}

fn tokenize(data: &[u8]) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let mut j = i + 1;
                let mut nibbles = Vec::new();
                while j < data.len() && data[j] != b'>' {
                    if let Some(v) = (data[j] as char).to_digit(16) {
                        nibbles.push(v as u8);
                    }
                    j += 1;
                }
                if nibbles.len() % 2 == 1 {
                    nibbles.push(0);
                }
                out.push(Tok::Hex(
                    nibbles.chunks(2).map(|p| p[0] << 4 | p[1]).collect(),
                ));
                i = j + 1;
            }
            b'[' => {
                out.push(Tok::Open);
                i += 1;
            }
            b']' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'(' => {
                // Literal strings (CMap names etc.): skip, honouring nesting and escapes.
                let mut depth = 0;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let s = i;
                while i < data.len() && !b" \t\r\n\x0c\0<>[]()%/".contains(&data[i]) {
                    i += 1;
                }
                if i == s {
                    // A lone '/' or other delimiter: a name start; keep it with the name.
                    i += 1;
                    while i < data.len() && !b" \t\r\n\x0c\0<>[]()%/".contains(&data[i]) {
                        i += 1;
                    }
                }
                let w = &data[s..i];
                match std::str::from_utf8(w)
                    .ok()
                    .and_then(|t| t.parse::<i64>().ok())
                {
                    Some(v) => out.push(Tok::Int(v)),
                    None => out.push(Tok::Word(w)),
                }
            }
        }
    }
    out
}

fn be(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |a, &b| a << 8 | u32::from(b))
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| {
            if c.len() == 2 {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from(c[0])
            }
        })
        .collect();
    String::from_utf16_lossy(&units)
}

/// A parsed `/ToUnicode` CMap: code -> text, plus its code space (used to split codes of
/// simple fonts never, of Type0 fonts only when the encoding gives none).
#[derive(Debug, Default, Clone)]
pub struct ToUnicode {
    pub map: HashMap<u32, String>,
    pub codespace: Vec<CodeSpace>,
}

/// Upper bound on entries one `bfrange` may expand to (a hostile `<0000> <FFFFFFFF>`).
const MAX_RANGE: u32 = 0x1_0000;

/// What one code of a ToUnicode map costs against the budget besides its text: the code,
/// the String and the table's slot.
const ENTRY_COST: usize = 48;

/// Parses a ToUnicode CMap. The map it builds may cost at most `max_bytes` (each code
/// [`ENTRY_COST`] plus its text): ranges multiply, so a 1 MB stream of `bfrange`s with long
/// targets would otherwise build gigabytes. Past it: `Err` with the reason.
pub fn parse_to_unicode(data: &[u8], max_bytes: usize) -> Result<ToUnicode, String> {
    let toks = tokenize(data);
    let mut tu = ToUnicode::default();
    let mut spent = 0usize;
    let mut insert = |map: &mut HashMap<u32, String>, code: u32, text: String| {
        spent += ENTRY_COST + text.len();
        if spent > max_bytes {
            return Err(format!(
                "a ToUnicode CMap builds a code map beyond max_stream_bytes {max_bytes}"
            ));
        }
        map.insert(code, text);
        Ok(())
    };
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Word(b"begincodespacerange") => {
                i += 1;
                while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) = (toks.get(i), toks.get(i + 1))
                {
                    tu.codespace.push(CodeSpace {
                        nbytes: lo.len().clamp(1, 4) as u8,
                        lo: be(lo),
                        hi: be(hi),
                    });
                    i += 2;
                }
            }
            Tok::Word(b"beginbfchar") => {
                i += 1;
                while let (Some(Tok::Hex(src)), Some(Tok::Hex(dst))) =
                    (toks.get(i), toks.get(i + 1))
                {
                    insert(&mut tu.map, be(src), utf16(dst))?;
                    i += 2;
                }
            }
            Tok::Word(b"beginbfrange") => {
                i += 1;
                while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) = (toks.get(i), toks.get(i + 1))
                {
                    let (lo, hi) = (be(lo), be(hi));
                    let hi = hi.min(lo.saturating_add(MAX_RANGE));
                    match toks.get(i + 2) {
                        Some(Tok::Hex(dst)) => {
                            let mut dst = dst.clone();
                            for code in lo..=hi {
                                insert(&mut tu.map, code, utf16(&dst))?;
                                // Increment the last byte (spec: within the last byte).
                                if let Some(last) = dst.last_mut() {
                                    let (v, carry) = last.overflowing_add(1);
                                    *last = v;
                                    if carry && dst.len() >= 2 {
                                        let n = dst.len();
                                        dst[n - 2] = dst[n - 2].wrapping_add(1);
                                    }
                                }
                            }
                            i += 3;
                        }
                        Some(Tok::Open) => {
                            let mut j = i + 3;
                            let mut code = lo;
                            while let Some(Tok::Hex(dst)) = toks.get(j) {
                                if code <= hi {
                                    insert(&mut tu.map, code, utf16(dst))?;
                                }
                                code += 1;
                                j += 1;
                            }
                            i = j + 1;
                        }
                        _ => break,
                    }
                }
            }
            _ => i += 1,
        }
    }
    Ok(tu)
}

/// Parses an embedded encoding CMap (Type0 `/Encoding` stream). `usecmap` of a
/// predefined map is honoured.
pub fn parse_cid_cmap(data: &[u8]) -> CidMap {
    let toks = tokenize(data);
    let mut m = CidMap::default();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Word(b"usecmap") => {
                if let Some(Tok::Word(name)) = i.checked_sub(1).and_then(|p| toks.get(p)) {
                    let name = String::from_utf8_lossy(name.strip_prefix(b"/").unwrap_or(name))
                        .into_owned();
                    if let Some(parent) = adobe_gb1().cmap(&name) {
                        m.codespace.extend(parent.codespace.iter().copied());
                        m.ranges.extend(parent.ranges.iter().copied());
                    } else if name.starts_with("Identity") {
                        m.codespace.push(CodeSpace {
                            nbytes: 2,
                            lo: 0,
                            hi: 0xffff,
                        });
                        m.ranges.push((0, 0xffff, 0));
                    }
                }
                i += 1;
            }
            Tok::Word(b"begincodespacerange") => {
                i += 1;
                while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) = (toks.get(i), toks.get(i + 1))
                {
                    m.codespace.push(CodeSpace {
                        nbytes: lo.len().clamp(1, 4) as u8,
                        lo: be(lo),
                        hi: be(hi),
                    });
                    i += 2;
                }
            }
            Tok::Word(b"begincidrange") => {
                i += 1;
                while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi)), Some(Tok::Int(cid))) =
                    (toks.get(i), toks.get(i + 1), toks.get(i + 2))
                {
                    m.ranges.push((be(lo), be(hi), (*cid).max(0) as u32));
                    i += 3;
                }
            }
            Tok::Word(b"begincidchar") => {
                i += 1;
                while let (Some(Tok::Hex(c)), Some(Tok::Int(cid))) = (toks.get(i), toks.get(i + 1))
                {
                    m.ranges.push((be(c), be(c), (*cid).max(0) as u32));
                    i += 2;
                }
            }
            _ => i += 1,
        }
    }
    m.ranges.sort_by_key(|r| r.0);
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_tables_load() {
        let gb = adobe_gb1();
        assert_eq!(gb.unicode(1), Some(' '));
        let ucs = gb.cmap("UniGB-UCS2-H").unwrap();
        let cid = ucs.cid(0x4E2D).unwrap(); // 中
        assert_eq!(gb.unicode(cid), Some('中'));
        let gbk = gb.cmap("GBK-EUC-H").unwrap();
        assert_eq!(gbk.next_code(&[0xD6, 0xD0]), (0xD6D0, 2));
        assert_eq!(gb.unicode(gbk.cid(0xD6D0).unwrap()), Some('中'));
        assert_eq!(gbk.next_code(b"A"), (0x41, 1));
        assert!(gb.cmap("GBK-EUC-V").is_some());
    }

    #[test]
    fn a_to_unicode_map_is_bounded_by_its_budget() {
        // Each range expands to 65,537 codes with a long target: 2,000 of them would build
        // gigabytes from 80 KB.
        let target = "<".to_string() + &"4E2D".repeat(64) + ">";
        let mut cmap = String::from("2000 beginbfrange ");
        for _ in 0..2000 {
            cmap.push_str(&format!("<0000> <FFFF> {target} "));
        }
        cmap.push_str("endbfrange");
        let refused = parse_to_unicode(cmap.as_bytes(), 64 << 20).unwrap_err();
        assert!(refused.contains("max_stream_bytes"), "{refused}");
    }

    #[test]
    fn to_unicode_ranges() {
        let tu = parse_to_unicode(
            b"1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar <01> <4E2D> <02> <D83DDE00> endbfchar \
              1 beginbfrange <10> <12> <0041> endbfrange 1 beginbfrange <20> <21> [<0061> <00620063>] endbfrange",
            1 << 20,
        )
        .unwrap();
        assert_eq!(tu.map[&1], "中");
        assert_eq!(tu.map[&2], "😀");
        assert_eq!(tu.map[&0x12], "C");
        assert_eq!(tu.map[&0x21], "bc");
    }
}
