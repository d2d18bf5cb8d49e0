//! Whether bytes are Markdown, from signs no plain-text notice carries.

/// How far into the file headings and table rows are looked for.
const SNIFF_BYTES: usize = 4096;

/// Whether `bytes` look like Markdown: YAML front matter at the very start (`---`, one or
/// more `key: value` lines, a closing `---` or `...`), or, within the first 4 KB, an ATX
/// heading (`#` to `######` and a space at a line's start, up to three spaces in) or a
/// pipe-table delimiter row (`|---|:--:|` under a row holding a `|`).
///
/// Plain-text notices carry none of these. Bytes that name themselves a web page
/// (`<!DOCTYPE html`, `<html`, `<?xml`, MIME headers) are not Markdown. UTF-8 (with or
/// without BOM) and GB18030 are looked at as bytes (their ASCII is ASCII); a UTF-16 file is
/// not recognized, and is read as text.
pub fn looks_like_markdown(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    // Every sign of Markdown needs a `---`, a `#` or a `|`: most text has none, and the
    // sniffer asks this of every file the formats before it refused.
    if !head.starts_with(b"---") && memchr::memchr2(b'#', b'|', head).is_none() {
        return false;
    }
    if names_other_markup(head) {
        return false;
    }
    if let Some(rest) = after_front_matter(head) {
        // A static site's page source (Jekyll, Hugo) opens with front matter too: when a
        // tag follows it, it is a web page, the HTML reader's.
        return !opens_with_tag(rest);
    }
    let mut previous: &[u8] = b"";
    for line in head.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if atx_heading(line) || (previous.contains(&b'|') && delimiter_row(line)) {
            return true;
        }
        previous = line;
    }
    false
}

fn names_other_markup(head: &[u8]) -> bool {
    let start = head.trim_ascii_start();
    let lower = |s: &[u8], n: usize| s[..s.len().min(n)].to_ascii_lowercase();
    let opening = lower(start, 16);
    opening.starts_with(b"<?xml")
        || opening.starts_with(b"mime-version:")
        || opening.starts_with(b"from:")
        || memchr::memchr_iter(b'<', head).any(|at| {
            let tag = &head[at..];
            tag.get(..5)
                .is_some_and(|t| t.eq_ignore_ascii_case(b"<html"))
                || tag
                    .get(..9)
                    .is_some_and(|t| t.eq_ignore_ascii_case(b"<!doctype"))
        })
}

/// What follows front matter at the start of `head` (split by `docmodel::front_matter`),
/// when every line inside is a `key: value` pair, an indented line, a list entry or a
/// comment, with at least one pair.
fn after_front_matter(head: &[u8]) -> Option<&[u8]> {
    let (inner, rest) = docmodel::front_matter::split(head)?;
    let mut pairs = 0;
    for line in inner.split(|&b| b == b'\n') {
        let trimmed = line.trim_ascii_end();
        if trimmed.is_empty() || line.starts_with(b" ") || line.starts_with(b"#") {
            continue;
        }
        if line.starts_with(b"- ") {
            continue;
        }
        if !key_value(trimmed) {
            return None;
        }
        pairs += 1;
    }
    (pairs > 0).then_some(rest)
}

/// Whether the first non-blank text of `rest` is a tag (`<style>`, `<div`, `<!DOCTYPE`).
fn opens_with_tag(rest: &[u8]) -> bool {
    let rest = rest.trim_ascii_start();
    rest.first() == Some(&b'<')
        && rest
            .get(1)
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'!' || b == b'?')
}

/// `key: value` or `key:` (YAML's colon and space), or `key：value`, with a key that
/// does not start with a space and holds no space before its colon.
fn key_value(line: &[u8]) -> bool {
    let colon = line
        .windows(2)
        .position(|w| w == b": ")
        .or_else(|| line.ends_with(b":").then(|| line.len() - 1));
    let full_width = "：".as_bytes();
    let colon = colon.or_else(|| line.windows(3).position(|w| w == full_width));
    colon.is_some_and(|at| at > 0 && !line[..at].contains(&b' '))
}

/// `#` to `######`, then a space or tab and some text, at most three spaces in.
fn atx_heading(line: &[u8]) -> bool {
    let indent = line.iter().take_while(|&&b| b == b' ').count();
    if indent > 3 {
        return false;
    }
    let rest = &line[indent..];
    let hashes = rest.iter().take_while(|&&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && matches!(rest.get(hashes), Some(b' ' | b'\t'))
        && !rest[hashes..].trim_ascii().iter().all(|&b| b == b'#')
}

/// A GFM table's delimiter row: cells of `-` with optional `:` at either end, separated by
/// `|`, at least one `|`.
fn delimiter_row(line: &[u8]) -> bool {
    let line = line.trim_ascii();
    if !line.contains(&b'|') {
        return false;
    }
    let inner = line.strip_prefix(b"|").unwrap_or(line);
    let inner = inner.strip_suffix(b"|").unwrap_or(inner);
    let mut cells = 0;
    for cell in inner.split(|&b| b == b'|') {
        let cell = cell.trim_ascii();
        let body = cell.strip_prefix(b":").unwrap_or(cell);
        let body = body.strip_suffix(b":").unwrap_or(body);
        if body.is_empty() || !body.iter().all(|&b| b == b'-') {
            return false;
        }
        cells += 1;
    }
    cells > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_of_markdown() {
        for md in [
            "---\ntitle: 通知\n文号: \"淄政办字〔2025〕15号\"\n---\n正文",
            "---\r\n标题：通知\r\ntags:\r\n  - a\r\n...\r\n",
            "\u{FEFF}# 关于办实事的通知\n",
            "正文。\n\n  ## 一、总体要求\n",
            "| 序号 | 名称 |\n|---|:---:|\n| 1 | 甲 |\n",
            "序号 | 名称\n--- | ---\n",
        ] {
            assert!(looks_like_markdown(md.as_bytes()), "{md}");
        }
    }

    #[test]
    fn plain_text_and_pages_are_not_markdown() {
        for text in [
            "淄博市人民政府办公室\n\n关于办实事的通知\n",
            "#1 项目\n",
            "    # indented code\n",
            "#\n",
            "---\n正文开始，没有键值。\n---\n",
            "---\n文号: 淄政办字\n", // never closed
            "------\n一、甲项。\n",
            "|---|---|\n", // no header row
            "a - b | c\n",
            "<!DOCTYPE html>\n<html>\n# x\n",
            "MIME-Version: 1.0\n\n# x\n",
            "---\nlayout: default\ntitle: 关于X的通知\n---\n\n<style>\n  :root {}\n</style>\n<div>",
        ] {
            assert!(!looks_like_markdown(text.as_bytes()), "{text}");
        }
        let gb = encoding_rs::GB18030.encode("# 关于办实事的通知\n").0;
        assert!(looks_like_markdown(&gb));
    }
}
