//! Whether bytes are a web page, from their first tag: what the pipeline's sniffer asks.

/// Tags a web page (or a saved fragment of one) opens with.
const OPENING_TAGS: &[&str] = &[
    "!doctype", "html", "head", "meta", "body", "title", "link", "script", "style", "base", "div",
    "p", "table", "tbody", "tr", "td", "span", "font", "center", "section", "article", "header",
    "nav", "form", "ul", "h1", "h2", "h3", "h4", "h5", "h6",
];

/// HTML: after a BOM, white space, comments and an XML declaration, the first thing is
/// one of the tags in `OPENING_TAGS` (html, head, body, div, table …). Read in UTF-8 and every ASCII-compatible encoding (GBK,
/// GB18030) alike, and in UTF-16 (with a BOM, or by the NUL bytes of its ASCII markup).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    // A static site's page source: front matter, then the page.
    let bytes = docmodel::front_matter::split(bytes).map_or(bytes, |(_, rest)| rest);
    // Most files the sniffer asks about are plain text: without a BOM or the NUL bytes of
    // UTF-16, a page's first non-blank byte is '<' — decided before any copy of the head.
    let probe = &bytes[..bytes.len().min(64)];
    let wide =
        probe.contains(&0) || probe.starts_with(b"\xFF\xFE") || probe.starts_with(b"\xFE\xFF");
    if !wide {
        let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if start.trim_ascii_start().first() != Some(&b'<') {
            return false;
        }
    }
    let head = ascii_view(&bytes[..bytes.len().min(4096)]);
    let mut rest = head.as_slice();
    loop {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"<!--") {
            match rest.windows(3).position(|w| w == b"-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return false,
            }
        } else if rest.starts_with(b"<?") {
            match rest.iter().position(|b| *b == b'>') {
                Some(end) => rest = &rest[end + 1..],
                None => return false,
            }
        } else {
            break;
        }
    }
    let Some(tag) = rest.strip_prefix(b"<") else {
        return false;
    };
    let name_len = tag
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'!')
        .count();
    let name = tag[..name_len].to_ascii_lowercase();
    let ends = tag
        .get(name_len)
        .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'));
    ends && OPENING_TAGS.iter().any(|t| t.as_bytes() == name.as_slice())
}

/// The bytes with a BOM removed and UTF-16 narrowed to its low bytes (markup is ASCII).
fn ascii_view(head: &[u8]) -> Vec<u8> {
    let nul_pattern = |offset: usize| {
        let pairs = head.len() / 2;
        pairs >= 4
            && head
                .iter()
                .skip(offset)
                .step_by(2)
                .filter(|b| **b == 0)
                .count()
                * 10
                >= pairs * 4
    };
    if let Some(rest) = head.strip_prefix(b"\xEF\xBB\xBF") {
        rest.to_vec()
    } else if let Some(rest) = head.strip_prefix(b"\xFF\xFE") {
        rest.iter().step_by(2).copied().collect()
    } else if let Some(rest) = head.strip_prefix(b"\xFE\xFF") {
        rest.iter().skip(1).step_by(2).copied().collect()
    } else if nul_pattern(1) {
        head.iter().step_by(2).copied().collect()
    } else if nul_pattern(0) {
        head.iter().skip(1).step_by(2).copied().collect()
    } else {
        head.to_vec()
    }
}
