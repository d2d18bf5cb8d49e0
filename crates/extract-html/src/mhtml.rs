//! MHTML ("save as single file", RFC 2557): a MIME `multipart/related` message whose first
//! `text/html` part is the page. We read it ourselves rather than through a mail crate
//! because the page's charset must be decided on its raw bytes (the part's `charset`
//! parameter, else its `<meta>`, else detection — see `decode`); mail-parser, the
//! well-kept candidate, hands text parts over already decoded, as lossy UTF-8 when the
//! part names no charset.

use crate::decode::find;

/// The page inside an MHTML file: transfer-decoded bytes and the part's declared charset.
pub struct Page {
    pub html: Vec<u8>,
    pub charset: Option<String>,
}

/// Nesting of multiparts we follow (related → alternative → html is the deepest seen).
const MAX_NESTING: usize = 4;

/// True when the bytes open with MIME headers of a saved page: `MIME-Version` and a
/// `multipart/…` (or, for a page saved alone, `text/html`) content type in the header block.
pub fn looks_like_mhtml(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let first = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let name_len = first
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    if name_len == 0 || first.get(name_len) != Some(&b':') {
        return false;
    }
    let end = header_end(head).unwrap_or(head.len());
    let lower = head[..end].to_ascii_lowercase();
    find(&lower, b"mime-version:").is_some()
        && (find(&lower, b"multipart/").is_some() || find(&lower, b"text/html").is_some())
}

/// The first `text/html` part, or None when the message has none.
pub fn html_part(bytes: &[u8]) -> Option<Page> {
    find_html(bytes, 0)
}

fn find_html(entity: &[u8], depth: usize) -> Option<Page> {
    let end = header_end(entity)?;
    let headers = unfold(&entity[..end]);
    let body = skip_blank_line(&entity[end..]);
    let content_type = header(&headers, "content-type").unwrap_or_default();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.starts_with("multipart/") {
        if depth >= MAX_NESTING {
            return None;
        }
        let boundary = param(&content_type, "boundary")?;
        return parts(body, boundary.as_bytes()).find_map(|p| find_html(p, depth + 1));
    }
    if mime != "text/html" && mime != "application/xhtml+xml" {
        return None;
    }
    let encoding = header(&headers, "content-transfer-encoding")
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let html = match encoding.as_str() {
        "quoted-printable" => quoted_printable(body),
        "base64" => base64(body)?,
        _ => body.to_vec(),
    };
    Some(Page {
        html,
        charset: param(&content_type, "charset"),
    })
}

/// Where the header block ends: the first empty line (CRLF CRLF or LF LF).
fn header_end(bytes: &[u8]) -> Option<usize> {
    let crlf = find(bytes, b"\r\n\r\n");
    let lf = find(bytes, b"\n\n");
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn skip_blank_line(bytes: &[u8]) -> &[u8] {
    let bytes = bytes
        .strip_prefix(b"\r\n\r\n")
        .or_else(|| bytes.strip_prefix(b"\n\n"));
    bytes.unwrap_or_default()
}

/// Header lines with continuation lines joined (RFC 5322 folding), as text.
fn unfold(block: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(block);
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            out.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    out
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// A parameter of a structured header: `boundary="----=_NextPart_000"`, `charset=gb2312`.
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The body parts between `--boundary` lines, up to the closing `--boundary--`.
fn parts<'a>(body: &'a [u8], boundary: &[u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&body[at..], &delimiter) {
        let pos = at + i;
        // A delimiter opens a line.
        if pos == 0 || body[pos - 1] == b'\n' {
            starts.push(pos);
        }
        at = pos + delimiter.len();
    }
    let len = delimiter.len();
    (0..starts.len().saturating_sub(1)).filter_map(move |k| {
        let from = starts[k] + len;
        if body[from..].starts_with(b"--") {
            return None;
        }
        // Skip the rest of the delimiter line; the part ends before the next line break.
        let line_end = body[from..].iter().position(|b| *b == b'\n')? + from + 1;
        let to = starts[k + 1];
        let to = if body[..to].ends_with(b"\r\n") {
            to - 2
        } else if body[..to].ends_with(b"\n") {
            to - 1
        } else {
            to
        };
        (line_end <= to).then(|| &body[line_end..to])
    })
}

fn quoted_printable(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        let rest = &body[i + 1..];
        if rest.starts_with(b"\r\n") {
            i += 3; // soft line break
        } else if rest.starts_with(b"\n") {
            i += 2;
        } else if let (Some(h), Some(l)) = (rest.first().and_then(hex), rest.get(1).and_then(hex)) {
            out.push(h << 4 | l);
            i += 3;
        } else {
            out.push(b); // a lone '=' is kept, as decoders in the wild do
            i += 1;
        }
    }
    out
}

fn hex(b: &u8) -> Option<u8> {
    (*b as char).to_digit(16).map(|d| d as u8)
}

/// Base64 with line breaks and padding; None on a character outside the alphabet.
fn base64(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in body {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b if b.is_ascii_whitespace() => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const QP: &[u8] = b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--abc\"\r\n\r\n------MultipartBoundary--abc\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: http://www.example.gov.cn/a.html\r\n\r\n<html><body><p class=3D\"x\">=E9=80=9A=E7=9F=A5 long =\r\nline</p></body></html>\r\n------MultipartBoundary--abc\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n------MultipartBoundary--abc--\r\n";

    #[test]
    fn quoted_printable_html_part() {
        assert!(looks_like_mhtml(QP));
        let page = html_part(QP).expect("an html part");
        assert_eq!(
            String::from_utf8(page.html).unwrap(),
            "<html><body><p class=\"x\">通知 long line</p></body></html>"
        );
        assert_eq!(page.charset, None);
    }

    #[test]
    fn base64_part_with_charset() {
        let msg = b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b1\n\n--b1\nContent-Type: text/html; charset=\"gb2312\"\nContent-Transfer-Encoding: base64\n\nPHA+\n--b1--\n";
        let page = html_part(msg).expect("an html part");
        assert_eq!(page.html, b"<p>");
        assert_eq!(page.charset.as_deref(), Some("gb2312"));
    }

    #[test]
    fn a_single_part_save() {
        let msg = b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>=E9=80=9A</p>\r\n";
        assert!(looks_like_mhtml(msg));
        assert_eq!(
            html_part(msg).expect("the page").html,
            "<p>通</p>\r\n".as_bytes()
        );
    }

    #[test]
    fn not_mhtml() {
        assert!(!looks_like_mhtml(
            b"<html><body>MIME-Version: 1.0 multipart/related"
        ));
        assert!(html_part(b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=b\n\n--b\nContent-Type: image/png\n\nx\n--b--\n").is_none());
    }
}
