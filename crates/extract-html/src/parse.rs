//! Text → DOM with html5ever (through scraper's tree sink), within the budgets.
//!
//! html5ever keeps no nesting limit, and its tree builder walks the stack of open elements
//! for many start tags ("is there a `p` in button scope?"), so deep nesting costs time
//! quadratic in the depth: 50,000 unclosed `<div>`s take 7 s, 200,000 (one MiB of
//! markup) over a minute. Two guards keep parsing bounded:
//! - before parsing, a lexical pre-scan estimates the nesting ([`estimated_depth`]) and
//!   refuses a page that could nest deeper than [`PRESCAN_DEPTH_FACTOR`] × `max_depth`;
//! - the text is fed in chunks of [`CHUNK_BYTES`], and the time budget is checked between them.
//!
//! The exact depth and node count are checked on the finished tree (`check_tree`).

use html5ever::driver::{self, ParseOpts};
use html5ever::tendril::{StrTendril, TendrilSink};
use scraper::{Html, HtmlTreeSink};

use crate::{Budget, Error};

pub const CHUNK_BYTES: usize = 256 * 1024;

/// The pre-scan over-estimates (an unclosed `<div>` that a later `</td>` closes still
/// counts), so it refuses only pages far beyond the real limit.
pub const PRESCAN_DEPTH_FACTOR: usize = 4;

pub fn parse(text: &str, budget: &Budget) -> Result<Html, Error> {
    let limit = budget.limits.max_depth * PRESCAN_DEPTH_FACTOR;
    let depth = estimated_depth(text, limit);
    if depth > limit {
        return Err(Error::TooLarge(format!(
            "the page nests elements deeper than {} levels (more than {depth} open tags)",
            budget.limits.max_depth
        )));
    }
    let mut parser = driver::parse_document(
        HtmlTreeSink::new(Html::new_document()),
        ParseOpts::default(),
    );
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        parser.process(StrTendril::from_slice(chunk));
        budget.check()?;
        rest = tail;
    }
    Ok(parser.finish())
}

/// Elements that never hold content, or whose end tag may be left out (the parser closes
/// them itself): they add no depth in the pre-scan.
fn adds_no_depth(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"tr"
            | b"td"
            | b"th"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"option"
            | b"optgroup"
            | b"colgroup"
            | b"html"
            | b"head"
            | b"body"
            | b"rt"
            | b"rp"
            | b"rb"
    )
}

/// Start tags minus end tags, at their highest, stopping once past `stop`. Comments and
/// the raw text of `script`/`style` are skipped.
pub fn estimated_depth(text: &str, stop: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        i += off + 1;
        let rest = &bytes[i..];
        if rest.starts_with(b"!--") {
            i += find(rest, b"-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let len = rest[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if len == 0 {
            continue;
        }
        let name = rest[name_start..name_start + len].to_ascii_lowercase();
        if closing {
            if !adds_no_depth(&name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        let tag_end = memchr(b'>', rest).unwrap_or(rest.len());
        let self_closing = tag_end > 0 && rest[tag_end - 1] == b'/';
        if name == b"script" || name == b"style" {
            let close: &[u8] = if name == b"script" {
                b"</script"
            } else {
                b"</style"
            };
            let lower_find = find_ci(&rest[tag_end.min(rest.len())..], close);
            i += tag_end + lower_find.unwrap_or(rest.len() - tag_end);
            continue;
        }
        if !self_closing && !adds_no_depth(&name) {
            depth += 1;
            max = max.max(depth);
            if max > stop {
                return max;
            }
        }
    }
    max
}

fn memchr(b: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|x| *x == b)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_estimate() {
        assert_eq!(
            estimated_depth("<div><p>a<p>b<br><img src=x></div>", 100),
            1
        );
        assert_eq!(
            estimated_depth("<div><div><span>a</span></div></div>", 100),
            3
        );
        assert_eq!(
            estimated_depth("<script>if (a<b) { x = '<div><div>' }</script><div>", 100),
            1
        );
        assert_eq!(estimated_depth("<!-- <div><div> --><td><tr><li>", 100), 0);
        assert!(estimated_depth(&"<font>".repeat(10_000), 100) > 100);
    }
}
