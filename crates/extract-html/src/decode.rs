//! Bytes → text: which charset a page is in, decided the way a browser decides it.
//!
//! Order: a byte-order mark; the charset the transport declared (an MHTML part's
//! `Content-Type`); a `<meta charset>` / `http-equiv` declaration in the first
//! [`PRESCAN_BYTES`]; the NUL pattern of BOM-less UTF-16; valid UTF-8; chardetng. GB2312 and
//! GBK are decoded as GB18030, their superset, because pages labelled GB2312 routinely use
//! GBK characters (人名 such as 镕 or 堃) that a strict GB2312 decoder would lose.

use encoding_rs::{Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};

/// How far into the page a charset declaration is looked for (the HTML standard's
/// prescan reads 1024 bytes; CMS templates put long `<meta>` blocks and comments
/// before the charset, so we read a little further).
pub const PRESCAN_BYTES: usize = 4096;

/// Decoded page text and the name of the encoding used ("UTF-8", "GB18030", …).
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

pub fn decode(bytes: &[u8], declared: Option<&str>) -> Decoded {
    let (encoding, body) = choose(bytes, declared);
    // Pages with a stray invalid byte still render in a browser; a replacement character
    // in a record is better than no record, unlike TXT where invalid bytes mean "not text".
    let (text, _) = encoding.decode_without_bom_handling(body);
    Decoded {
        text: text.into_owned(),
        encoding: display_name(encoding),
    }
}

fn choose<'b>(bytes: &'b [u8], declared: Option<&str>) -> (&'static Encoding, &'b [u8]) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return (encoding, &bytes[bom_len..]);
    }
    if let Some(encoding) = declared.and_then(|d| label(d.as_bytes())) {
        return (encoding, bytes);
    }
    if let Some(encoding) = prescan_meta(&bytes[..bytes.len().min(PRESCAN_BYTES)]) {
        return (encoding, bytes);
    }
    if let Some(encoding) = utf16_by_nuls(bytes) {
        return (encoding, bytes);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return (UTF_8, bytes);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // `.cn` as the top-level domain: government pages are Chinese, so ties go to GB18030.
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    (widen(guess), bytes)
}

/// An encoding label as a page or MIME header writes it ("gb2312", "GBK", "utf-8").
/// A `<meta>` declaring UTF-16 in bytes we could read as ASCII is wrong by construction:
/// the HTML standard reads such a page as UTF-8, and so do we.
fn label(raw: &[u8]) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(raw.trim_ascii())?;
    Some(if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else {
        widen(encoding)
    })
}

fn widen(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == GBK { GB18030 } else { encoding }
}

fn display_name(encoding: &'static Encoding) -> &'static str {
    if encoding == GB18030 {
        "GB18030"
    } else {
        encoding.name()
    }
}

/// `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…; charset=…">`:
/// the first `charset=` inside a `<meta` tag.
fn prescan_meta(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let start = from + at;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + b"charset".len()..];
            let rest = rest.trim_ascii_start();
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = rest.trim_ascii_start();
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let len = rest
                    .iter()
                    .position(|b| {
                        matches!(b, b'"' | b'\'' | b';' | b'/' | b' ' | b'>')
                            || b.is_ascii_whitespace()
                    })
                    .unwrap_or(rest.len());
                if let Some(encoding) = label(&rest[..len]) {
                    return Some(encoding);
                }
            }
        }
        from = end;
    }
    None
}

/// UTF-16 without a BOM: markup is ASCII, so every other byte of the first KiB is NUL.
fn utf16_by_nuls(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let even = head.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    if odd * 10 >= pairs * 4 && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 4 && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        GB18030.encode(s).0.into_owned()
    }

    #[test]
    fn bom_wins() {
        let mut b = vec![0xFF, 0xFE];
        for u in "<p>通知</p>".encode_utf16() {
            b.extend(u.to_le_bytes());
        }
        let d = decode(&b, Some("gb2312"));
        assert_eq!((d.text.as_str(), d.encoding), ("<p>通知</p>", "UTF-16LE"));
    }

    #[test]
    fn meta_charset_and_http_equiv() {
        let page = [
            gbk("<html><head><meta charset=\"gb2312\"></head><body>通知</body></html>"),
            gbk("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=GBK\"><p>通知"),
        ];
        for b in page {
            let d = decode(&b, None);
            assert!(d.text.contains("通知"));
            assert_eq!(d.encoding, "GB18030");
        }
    }

    #[test]
    fn declared_by_transport_before_meta() {
        let b = gbk("<meta charset=\"utf-8\"><p>淄博市人民政府办公室关于印发的通知</p>");
        assert_eq!(decode(&b, Some("gb2312")).encoding, "GB18030");
    }

    #[test]
    fn undeclared_gb_text_is_detected() {
        let b = gbk(
            "<html><body><p>各区县人民政府，高新区、经济开发区、文昌湖区管委会，市政府各部门，各有关单位：现将《2025年为全市妇女儿童办实事项目清单》印发给你们，请认真抓好落实。</p></body></html>",
        );
        let d = decode(&b, None);
        assert_eq!(d.encoding, "GB18030");
        assert!(d.text.contains("妇女儿童办实事"));
    }

    #[test]
    fn utf16_meta_means_utf8_and_bomless_utf16_is_seen() {
        assert_eq!(
            decode("<meta charset=utf-16><p>通知".as_bytes(), None).encoding,
            "UTF-8"
        );
        let b: Vec<u8> = "<html><body><p>通知</p></body></html>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&b, None).encoding, "UTF-16LE");
    }
}
