//! Raw HTML inside Markdown, reduced to text: an HTML block's paragraphs and tables (MinerU
//! writes its tables as `<table>`), and whether an inline tag is a line break.
//!
//! A small tag scanner, not an HTML parser: it knows block tags (a paragraph ends at them),
//! `<br>`, table rows and cells, and what to drop (comments, `<script>`, `<style>`). A table
//! inside a cell is read as the cell's text; `rowspan` and `colspan` are not expanded.

use docmodel::{Cell, Table};

/// What an HTML block holds, in order.
#[derive(Debug, PartialEq)]
pub enum Piece {
    /// A paragraph's text, white space collapsed, entities decoded.
    Para(String),
    /// A table.
    Table(Table),
}

/// Whether an inline HTML tag is `<br>` (`<br/>`, `<BR />`).
pub fn is_break(tag: &str) -> bool {
    tag_name(tag).is_some_and(|(name, closing)| name == "br" && !closing)
}

/// Tags after which a paragraph ends.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "center",
    "pre",
    "hr",
    "dd",
    "dt",
    "caption",
];

/// The paragraphs and tables of an HTML block.
pub fn blocks(html: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut para = String::new();
    // The open top-level table, and how deep tables nest at this point.
    let mut table: Option<Table> = None;
    let mut depth = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            add_text(&mut para, &mut table, rest);
            break;
        };
        add_text(&mut para, &mut table, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A lone "<": text.
            add_text(&mut para, &mut table, rest);
            break;
        };
        let tag = &rest[..=gt];
        rest = &rest[gt + 1..];
        let Some((name, closing)) = tag_name(tag) else {
            add_text(&mut para, &mut table, tag);
            continue;
        };
        match (name.as_str(), closing) {
            ("script" | "style", false) => {
                let close = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                rest = lower
                    .find(&close)
                    .and_then(|i| rest[i..].find('>').map(|g| &rest[i + g + 1..]))
                    .unwrap_or("");
            }
            ("table", false) => {
                depth += 1;
                if depth == 1 {
                    end_para(&mut para, &mut out);
                    table = Some(Table::default());
                }
            }
            ("table", true) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some(t) = table.take()
                {
                    out.push(Piece::Table(t));
                }
            }
            ("tr", false) if depth == 1 => {
                if let Some(t) = &mut table {
                    t.rows.push(Vec::new());
                }
            }
            ("td" | "th", false) if depth == 1 => {
                if let Some(t) = &mut table {
                    if t.rows.is_empty() {
                        t.rows.push(Vec::new());
                    }
                    if let Some(row) = t.rows.last_mut() {
                        row.push(Cell::new([String::new()]));
                    }
                }
            }
            (name, _) if name == "br" || BLOCK_TAGS.contains(&name) => {
                if table.is_none() {
                    end_para(&mut para, &mut out);
                } else if let Some(cell) = table.as_mut().and_then(last_cell) {
                    cell.paragraphs.push(String::new());
                }
            }
            _ => {}
        }
    }
    if let Some(t) = table {
        out.push(Piece::Table(t));
    }
    end_para(&mut para, &mut out);
    for piece in &mut out {
        if let Piece::Table(t) = piece {
            for p in t.rows.iter_mut().flatten().flat_map(|c| &mut c.paragraphs) {
                *p = p.trim().to_string();
            }
        }
    }
    out
}

fn last_cell(table: &mut Table) -> Option<&mut Cell> {
    table.rows.last_mut()?.last_mut()
}

fn end_para(para: &mut String, out: &mut Vec<Piece>) {
    let text = para.trim();
    if !text.is_empty() {
        out.push(Piece::Para(text.to_string()));
    }
    para.clear();
}

/// Text between tags, entities decoded and white space collapsed, into the open table's
/// last cell, or the paragraph (text in a table outside any cell is dropped).
fn add_text(para: &mut String, table: &mut Option<Table>, raw: &str) {
    let text = decode_entities(raw);
    let target = match table {
        Some(t) => match last_cell(t).and_then(|c| c.paragraphs.last_mut()) {
            Some(p) => p,
            None => return,
        },
        None => para,
    };
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{3000}' && c != '\u{a0}' {
            if !target.is_empty() && !target.ends_with(' ') {
                target.push(' ');
            }
        } else {
            target.push(c);
        }
    }
}

/// A tag's lower-case name and whether it closes (`</p>`), for `<name …>` / `</name>`.
fn tag_name(tag: &str) -> Option<(String, bool)> {
    let inner = tag.strip_prefix('<')?;
    let (inner, closing) = match inner.strip_prefix('/') {
        Some(r) => (r, true),
        None => (inner, false),
    };
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (!name.is_empty() && name.starts_with(|c: char| c.is_ascii_alphabetic()))
        .then(|| (name.to_ascii_lowercase(), closing))
}

/// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;` and numeric references; others kept.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => '\u{a0}',
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mineru_table_and_paragraphs() {
        let got = blocks(
            "<p>附件</p><table><tr><td>序号</td><th>名称</th></tr>\n<tr><td>1</td><td>甲<br>乙 &amp; 丙</td></tr></table><!-- x -->尾",
        );
        assert_eq!(got[0], Piece::Para("附件".into()));
        let Piece::Table(t) = &got[1] else {
            panic!("{got:?}")
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1][1], Cell::new(["甲", "乙 & 丙"]));
        assert_eq!(got[2], Piece::Para("尾".into()));
    }

    #[test]
    fn scripts_comments_and_stray_brackets() {
        let got = blocks("<div>甲<script>if (a<b) {}</script>乙</div><!-- unclosed");
        assert_eq!(got, vec![Piece::Para("甲乙".into())]);
        assert_eq!(blocks("a < b"), vec![Piece::Para("a < b".into())]);
        assert!(is_break("<br/>") && is_break("<BR >") && !is_break("<b>"));
        assert_eq!(decode_entities("&#x4E00;&#19968;&bogus;"), "一一&bogus;");
    }
}
