//! A small, allocation-light content-stream lexer (replaces `lopdf::content::Content::decode`,
//! whose nom parser took ~45 % of the extraction time and builds a full `Object` per
//! operand). It yields each operator with its operands; inline image data is skipped.
//! Malformed input never fails: unknown bytes are skipped, as viewers do.

use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq)]
pub enum Operand<'a> {
    Num(f32),
    Str(Cow<'a, [u8]>),
    Name(&'a [u8]),
    Array(Vec<Operand<'a>>),
    /// Dictionaries, booleans, null: present but never needed.
    Other,
}

impl Operand<'_> {
    pub fn num(&self) -> f32 {
        match self {
            Operand::Num(n) => *n,
            _ => 0.0,
        }
    }
}

pub struct Lexer<'a> {
    b: &'a [u8],
    p: usize,
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

const MAX_ARRAY_DEPTH: usize = 32;
const MAX_OPERANDS: usize = 4096;

impl<'a> Lexer<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Lexer { b, p: 0 }
    }

    fn skip_ws(&mut self) {
        while self.p < self.b.len() {
            let c = self.b[self.p];
            if is_ws(c) {
                self.p += 1;
            } else if c == b'%' {
                while self.p < self.b.len() && self.b[self.p] != b'\n' && self.b[self.p] != b'\r' {
                    self.p += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular(&mut self) -> &'a [u8] {
        let s = self.p;
        while self.p < self.b.len() && !is_ws(self.b[self.p]) && !is_delim(self.b[self.p]) {
            self.p += 1;
        }
        &self.b[s..self.p]
    }

    fn literal(&mut self) -> Cow<'a, [u8]> {
        // At '('.
        self.p += 1;
        let start = self.p;
        let mut depth = 1;
        let mut simple = true;
        while self.p < self.b.len() {
            match self.b[self.p] {
                b'\\' => {
                    simple = false;
                    self.p += 2;
                    continue;
                }
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                b'\r' => simple = false,
                _ => {}
            }
            self.p += 1;
        }
        let end = self.p.min(self.b.len());
        self.p = (self.p + 1).min(self.b.len());
        let raw = &self.b[start..end];
        if simple {
            return Cow::Borrowed(raw);
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let c = raw[i];
            if c == b'\r' {
                out.push(b'\n');
                i += if raw.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                continue;
            }
            if c != b'\\' {
                out.push(c);
                i += 1;
                continue;
            }
            i += 1;
            let Some(&e) = raw.get(i) else { break };
            match e {
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'b' => out.push(8),
                b'f' => out.push(12),
                b'0'..=b'7' => {
                    let mut v: u32 = 0;
                    let mut k = 0;
                    while k < 3 && i < raw.len() && (b'0'..=b'7').contains(&raw[i]) {
                        v = v * 8 + u32::from(raw[i] - b'0');
                        i += 1;
                        k += 1;
                    }
                    out.push(v as u8);
                    continue;
                }
                b'\r' => {
                    if raw.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                }
                b'\n' => {}
                other => out.push(other),
            }
            i += 1;
        }
        Cow::Owned(out)
    }

    fn hex(&mut self) -> Cow<'a, [u8]> {
        // At '<' (not '<<').
        self.p += 1;
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        while self.p < self.b.len() && self.b[self.p] != b'>' {
            if let Some(v) = (self.b[self.p] as char).to_digit(16) {
                match hi.take() {
                    None => hi = Some(v as u8),
                    Some(h) => out.push(h << 4 | v as u8),
                }
            }
            self.p += 1;
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        self.p = (self.p + 1).min(self.b.len());
        Cow::Owned(out)
    }

    fn skip_dict(&mut self) {
        // At '<<': skip to the matching '>>', honouring strings.
        let mut depth = 0usize;
        while self.p < self.b.len() {
            match self.b[self.p] {
                b'<' if self.b.get(self.p + 1) == Some(&b'<') => {
                    depth += 1;
                    self.p += 2;
                }
                b'>' if self.b.get(self.p + 1) == Some(&b'>') => {
                    self.p += 2;
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                b'(' => {
                    self.literal();
                }
                _ => self.p += 1,
            }
        }
    }

    fn number(tok: &[u8]) -> Option<f32> {
        let first = *tok.first()?;
        if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
            return None;
        }
        let s = std::str::from_utf8(tok).ok()?;
        s.parse::<f32>().ok().or_else(|| {
            // "--5", "5.-" and other producer oddities: keep the numeric prefix.
            let t: String = s
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
                .collect();
            let neg = t.starts_with('-');
            let t = t.trim_start_matches('-');
            let t = t.split('-').next().unwrap_or("");
            t.parse::<f32>()
                .ok()
                .map(|v| if neg { -v } else { v })
                .or(Some(0.0))
        })
    }

    /// One operand, or None at an operator / end (the operator is left unread).
    fn operand(&mut self, depth: usize) -> Option<Operand<'a>> {
        self.skip_ws();
        let c = *self.b.get(self.p)?;
        match c {
            b'(' => Some(Operand::Str(self.literal())),
            b'<' if self.b.get(self.p + 1) == Some(&b'<') => {
                self.skip_dict();
                Some(Operand::Other)
            }
            b'<' => Some(Operand::Str(self.hex())),
            b'/' => {
                self.p += 1;
                Some(Operand::Name(self.regular()))
            }
            b'[' => {
                self.p += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.b.get(self.p) {
                        None => break,
                        Some(b']') => {
                            self.p += 1;
                            break;
                        }
                        _ => {}
                    }
                    if depth >= MAX_ARRAY_DEPTH {
                        self.p += 1;
                        continue;
                    }
                    let before = self.p;
                    match self.operand(depth + 1) {
                        Some(o) => {
                            if items.len() < MAX_OPERANDS {
                                items.push(o);
                            }
                        }
                        None => {
                            // An operator keyword inside an array: skip it.
                            self.regular();
                            if self.p == before {
                                self.p += 1;
                            }
                        }
                    }
                }
                Some(Operand::Array(items))
            }
            b']' | b')' | b'>' | b'{' | b'}' => {
                self.p += 1;
                Some(Operand::Other)
            }
            _ => {
                let save = self.p;
                let tok = self.regular();
                if tok.is_empty() {
                    self.p += 1;
                    return Some(Operand::Other);
                }
                if let Some(n) = Self::number(tok) {
                    return Some(Operand::Num(n));
                }
                match tok {
                    b"true" | b"false" | b"null" => Some(Operand::Other),
                    _ => {
                        self.p = save;
                        None
                    }
                }
            }
        }
    }

    /// The next operator and its operands (`ops` is cleared and refilled).
    pub fn next_op(&mut self, ops: &mut Vec<Operand<'a>>) -> Option<&'a [u8]> {
        ops.clear();
        loop {
            match self.operand(0) {
                Some(o) => {
                    if ops.len() < MAX_OPERANDS {
                        ops.push(o);
                    }
                }
                None => {
                    if self.p >= self.b.len() {
                        return None;
                    }
                    let op = self.regular();
                    if op == b"ID" {
                        self.skip_inline_image();
                    }
                    return Some(op);
                }
            }
        }
    }

    fn skip_inline_image(&mut self) {
        // After "ID" and one white-space byte: data up to white space + "EI" + delimiter.
        self.p += 1;
        while self.p + 1 < self.b.len() {
            if self.b[self.p] == b'E'
                && self.b[self.p + 1] == b'I'
                && self.p > 0
                && is_ws(self.b[self.p - 1])
                && self
                    .b
                    .get(self.p + 2)
                    .is_none_or(|&c| is_ws(c) || is_delim(c))
            {
                return;
            }
            self.p += 1;
        }
        self.p = self.b.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(b: &[u8]) -> Vec<(String, Vec<Operand<'_>>)> {
        let mut l = Lexer::new(b);
        let mut ops = Vec::new();
        let mut out = Vec::new();
        while let Some(op) = l.next_op(&mut ops) {
            out.push((String::from_utf8_lossy(op).into_owned(), ops.clone()));
        }
        out
    }

    #[test]
    fn lexes_text_operators() {
        let v = all(b"BT /F1 12 Tf 1 0 0 1 72.5 -7 Tm [(a\\)b) -250 <4E2D>] TJ (x\\101) Tj ET % c\nq BI /W 1 ID \x00EI\x01 EI Q");
        let ops: Vec<&str> = v.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(
            ops,
            [
                "BT", "Tf", "Tm", "TJ", "Tj", "ET", "q", "BI", "ID", "EI", "Q"
            ]
        );
        assert_eq!(v[1].1, vec![Operand::Name(b"F1"), Operand::Num(12.0)]);
        assert_eq!(v[2].1[5], Operand::Num(-7.0));
        let Operand::Array(a) = &v[3].1[0] else {
            panic!()
        };
        assert_eq!(a[0], Operand::Str(Cow::Owned(b"a)b".to_vec())));
        assert_eq!(a[1], Operand::Num(-250.0));
        assert_eq!(a[2], Operand::Str(Cow::Owned(vec![0x4E, 0x2D])));
        assert_eq!(v[4].1[0], Operand::Str(Cow::Owned(b"xA".to_vec())));
    }

    #[test]
    fn survives_garbage() {
        for b in [
            &b"[[[[[[[["[..],
            b"(((",
            b"<<<<",
            b"<4",
            b"/",
            b"] ) > } {",
            b"--5 Td",
            b"BI ID",
        ] {
            let _ = all(b);
        }
    }
}
