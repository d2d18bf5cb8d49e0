//! DOM subtree → paragraphs and tables, without recursion (ego-tree's open/close edges),
//! so a deep page costs heap, not stack.
//!
//! Paragraph breaks: block elements (`p`, `div`, `li`, `h1`–`h6`, …), `<br>`, and line breaks
//! inside `<pre>` (text published as is; hard-wrapped lines there are not re-flowed). Inline
//! elements (`span`, `font`, `strong`, `a`, …) join. White space collapses as a browser
//! collapses it (ASCII white space only: `&nbsp;` and U+3000 indents stay for the
//! parser's normalizer, which removes them the same way for every format).

use docmodel::{Cell, Link, Table};
use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::Node;
use scraper::node::Element;

use crate::{Budget, Error, hints, layout};

type NodeRef<'a> = ego_tree::NodeRef<'a, Node>;

pub enum Piece {
    Para(String),
    Table(Table),
}

/// What a walk does with tables and chrome.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The article: data tables become tables, layout tables are unwrapped, chrome inside
    /// the article (share, print, related links) is dropped.
    Article,
    /// Text of a table cell or of the page around the article: a table row is one line,
    /// its cells separated by a space; nothing is dropped but hidden elements.
    Lines,
}

pub struct Walker<'b> {
    budget: &'b Budget,
    mode: Mode,
    pub pieces: Vec<Piece>,
    pub links: Vec<Link>,
    /// Index into `pieces` where the skipped node (the article, in a page walk) was.
    pub marker: Option<usize>,
    line: String,
    /// Open `<pre>` elements: inside one a line break is a paragraph break, as it shows.
    pre: usize,
    /// The element walked: chosen as the article, it is never dropped as chrome itself.
    root: Option<NodeId>,
}

impl<'b> Walker<'b> {
    pub fn new(budget: &'b Budget, mode: Mode) -> Self {
        Walker {
            budget,
            mode,
            pieces: Vec::new(),
            links: Vec::new(),
            marker: None,
            line: String::new(),
            pre: 0,
            root: None,
        }
    }

    /// Walks `root` and its descendants; `holes` (the article and its heading, when walking
    /// the page around them) are left out, and the place of the first in `marker`.
    pub fn walk(&mut self, root: NodeRef, holes: &[NodeId]) -> Result<(), Error> {
        let mut skip: Option<NodeId> = None;
        self.root = Some(root.id());
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    self.budget.tick()?;
                    if holes.contains(&node.id()) {
                        self.flush();
                        self.marker.get_or_insert(self.pieces.len());
                        skip = Some(node.id());
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) => self.text(t),
                        Node::Element(e) if self.open(node, e)? => skip = Some(node.id()),
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if let Some(id) = skip {
                        if id == node.id() {
                            skip = None;
                        }
                        continue;
                    }
                    if let Node::Element(e) = node.value() {
                        if e.name() == "pre" {
                            self.pre = self.pre.saturating_sub(1);
                        }
                        self.boundary(e.name());
                    }
                }
            }
        }
        self.flush();
        Ok(())
    }

    /// An element opens; true when its subtree is to be skipped (already handled, or not
    /// text a reader sees).
    fn open(&mut self, node: NodeRef, e: &Element) -> Result<bool, Error> {
        let chrome =
            self.mode == Mode::Article && Some(node.id()) != self.root && hints::is_chrome(e);
        if hints::invisible(e) || chrome {
            return Ok(true);
        }
        if e.name() == "pre" {
            self.pre += 1;
        }
        match e.name() {
            "table" if self.mode == Mode::Article && !layout::is_layout_table(node) => {
                self.flush();
                let table = self.table(node)?;
                self.pieces.push(Piece::Table(table));
                return Ok(true);
            }
            "a" if self.mode == Mode::Article => self.link(node, e),
            // Around the article only links to files count: the 附件下载 block many
            // templates print under the text ("相关附件：清单.docx").
            "a" if e.attr("href").is_some_and(is_file_link) => self.link(node, e),
            name => self.boundary(name),
        }
        Ok(false)
    }

    /// Where an element opens or closes: a paragraph break for block elements, a space
    /// between the cells of a row read as a line.
    fn boundary(&mut self, name: &str) {
        match name {
            "td" | "th" if self.mode == Mode::Lines => self.line.push(' '),
            name if hints::is_block(name) => self.flush(),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if self.pre > 0 && c == '\n' {
                self.flush();
            } else if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
                if !self.line.is_empty() && !self.line.ends_with(' ') {
                    self.line.push(' ');
                }
            } else {
                self.line.push(c);
            }
        }
    }

    fn flush(&mut self) {
        let text = self.line.trim_matches(|c: char| c.is_ascii_whitespace());
        if !text.is_empty() {
            self.pieces.push(Piece::Para(text.to_string()));
        }
        self.line.clear();
    }

    /// A hyperlink in the article: its text and `href` as written (javascript: and
    /// in-page anchors are not links to anything a reader could fetch).
    fn link(&mut self, node: NodeRef, e: &Element) {
        let Some(href) = e.attr("href").map(str::trim) else {
            return;
        };
        if href.is_empty()
            || href.starts_with('#')
            || href.to_ascii_lowercase().starts_with("javascript:")
        {
            return;
        }
        let text = collapse(&subtree_text(node));
        if !text.is_empty() {
            self.links.push(Link {
                text,
                href: href.to_string(),
            });
        }
    }

    /// A data table → the block model's table: one `Cell` per grid column, a merged cell's
    /// text once, in its first row and column; the positions it covers are empty cells
    /// (as the DOCX extractor gives them, so two-row headers read the same).
    fn table(&mut self, table: NodeRef) -> Result<Table, Error> {
        let rows = layout::rows(table);
        let mut grid: Vec<Vec<Option<Cell>>> = Vec::with_capacity(rows.len());
        let mut width = 0;
        for (r, row) in rows.iter().enumerate() {
            while grid.len() <= r {
                grid.push(Vec::new());
            }
            let mut col = 0;
            for cell in row {
                while grid[r].get(col).is_some_and(Option::is_some) {
                    col += 1;
                }
                let e = cell.value().as_element().expect("cells are elements");
                let span = |name: &str, max: usize| {
                    e.attr(name)
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, max)
                };
                let colspan = span("colspan", 1000);
                let rowspan = span("rowspan", rows.len() - r);
                let positions = (r + rowspan).max(grid.len()) * (col + colspan).max(width);
                if positions > self.budget.limits.max_table_cells {
                    return Err(Error::TooLarge(format!(
                        "a table spans more than {} cells",
                        self.budget.limits.max_table_cells
                    )));
                }
                let mut inner = Walker::new(self.budget, Mode::Lines);
                inner.walk(*cell, &[])?;
                let paragraphs = inner
                    .pieces
                    .into_iter()
                    .filter_map(|p| match p {
                        Piece::Para(t) => Some(t),
                        Piece::Table(_) => None,
                    })
                    .collect();
                self.links.extend(link_list(*cell));
                for rr in r..r + rowspan {
                    while grid.len() <= rr {
                        grid.push(Vec::new());
                    }
                    let cells = &mut grid[rr];
                    if cells.len() < col + colspan {
                        cells.resize(col + colspan, None);
                    }
                    for slot in &mut cells[col..col + colspan] {
                        *slot = Some(Cell::default());
                    }
                }
                grid[r][col] = Some(Cell { paragraphs });
                col += colspan;
                width = width.max(col);
            }
        }
        let rows = grid
            .into_iter()
            .map(|mut cells| {
                cells.resize(width, None);
                cells.into_iter().map(Option::unwrap_or_default).collect()
            })
            .collect();
        Ok(Table::new(rows))
    }
}

/// An `href` naming a document file (its path, before any query, ends in an office, PDF or
/// archive extension).
pub fn is_file_link(href: &str) -> bool {
    const FILES: &[&str] = &[
        "doc", "docx", "wps", "pdf", "ofd", "xls", "xlsx", "et", "zip", "rar", "7z", "txt",
    ];
    let path = href.split(['?', '#']).next().unwrap_or("");
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| FILES.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Links inside a table cell (the cell itself is walked as lines).
fn link_list(cell: NodeRef) -> Vec<Link> {
    cell.descendants()
        .filter_map(|n| {
            let e = n.value().as_element()?;
            (e.name() == "a").then_some((n, e))
        })
        .filter_map(|(n, e)| {
            let href = e.attr("href")?.trim();
            let text = collapse(&subtree_text(n));
            (!text.is_empty() && !href.is_empty() && !href.starts_with('#')).then(|| Link {
                text,
                href: href.to_string(),
            })
        })
        .collect()
}

/// All text under a node, scripts and hidden elements included (for link texts and
/// scoring, where a few stray characters do not matter).
pub fn subtree_text(node: NodeRef) -> String {
    node.descendants()
        .filter_map(|n| n.value().as_text().map(|t| &**t))
        .collect()
}

/// White space runs → one space, trimmed.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
