//! YAML front matter: the `---` block a static-site page or a Markdown crawl opens with
//! (`title:`, `文号:`, `发布单位:` …). Markdown files carry it, and so do the HTML pages of
//! static sites (Jekyll, Hugo): their readers both split it off here and hand its pairs to
//! `DocInfo::page`, where the parser looks for head fields the body does not print.
//!
//! Only flat `key: value` lines are read (values unquoted); nested maps, lists and block
//! scalars are skipped, which is all crawls write.

use crate::InfoField;

/// Front matter longer than this is not front matter (a file that merely opens with `---`).
const MAX_FRONT_MATTER_BYTES: usize = 64 << 10;

/// Splits `bytes` (UTF-8 or any ASCII-compatible encoding, a BOM allowed) into the front
/// matter's inside and what follows, when they open with a `---` line closed by a `---` or
/// `...` line within 64 KiB.
pub fn split(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let rest = &bytes[start..];
    let first_end = rest.iter().position(|&b| b == b'\n')?;
    if rest[..first_end].trim_ascii_end() != b"---" {
        return None;
    }
    let inner_start = first_end + 1;
    let mut at = inner_start;
    while at < rest.len() && at <= MAX_FRONT_MATTER_BYTES {
        let end = rest[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |p| at + p);
        let line = rest[at..end].trim_ascii_end();
        if line == b"---" || line == b"..." {
            let after = (end + 1).min(rest.len());
            return Some((&rest[inner_start..at], &rest[after..]));
        }
        at = end + 1;
    }
    None
}

/// The `key: value` (or `key：value`) lines of front matter, values unquoted; indented
/// lines, list entries, comments and block-scalar openers skipped.
pub fn pairs(yaml: &str) -> Vec<InfoField> {
    let mut out = Vec::new();
    for line in yaml.lines() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let split = line
            .char_indices()
            .find(|&(i, c)| {
                c == '：'
                    || (c == ':' && line[i + 1..].chars().next().is_none_or(char::is_whitespace))
            })
            .map(|(i, c)| (&line[..i], &line[i + c.len_utf8()..]));
        let Some((key, value)) = split else {
            continue;
        };
        let key = unquote(key.trim());
        let value = unquote(value.trim());
        if key.is_empty() || value.is_empty() || matches!(value, "|" | ">" | "|-" | ">-") {
            continue;
        }
        out.push(InfoField {
            label: key.to_string(),
            value: value.to_string(),
        });
    }
    out
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_reads_pairs() {
        let page = "---\nlayout: default\ntitle: \"关于X的通知\"\n文号：沪府〔2025〕1号\ntags:\n  - a\n---\n<style>";
        let (inner, rest) = split(page.as_bytes()).unwrap();
        assert_eq!(rest, b"<style>");
        let p = pairs(std::str::from_utf8(inner).unwrap());
        let got: Vec<(&str, &str)> = p
            .iter()
            .map(|l| (l.label.as_str(), l.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("layout", "default"),
                ("title", "关于X的通知"),
                ("文号", "沪府〔2025〕1号")
            ]
        );
        assert!(split(b"---\nno end").is_none());
        assert!(split(b"text\n---\n").is_none());
    }
}
