//! Markdown → block model.
//!
//! Archives of crawled notices and the output of document converters (MinerU, Docling,
//! marker) are Markdown. [`MdExtractor`] reads it with the CommonMark parser
//! `pulldown-cmark` (pipe tables, YAML-style front matter, footnotes and strikethrough on)
//! into a [`docmodel::Document`]. The bytes are decoded by [`extract_txt::decode`] (UTF-8,
//! UTF-16, GB18030), as a TXT file's are.
//!
//! What is read:
//! - **front matter** (`---` … `---` at the very start): each `key: value` line (value
//!   quotes removed, `：` accepted for `:`) becomes a `LabelValue` of `DocInfo::page.info`,
//!   where a web page's info box goes; a `title` (or `标题`) key is also `DocInfo::title`.
//!   Not read: nested mappings and lists (indented lines, `- x`), multi-line scalars (`|`,
//!   `>`, a value continued on the next line), comments, anchors and tags; keys without a
//!   value are skipped. No YAML library is used.
//! - **headings** (`#` and setext), **paragraphs**, the paragraphs of **block quotes** and
//!   **list items**: one paragraph block each. An ordered item keeps the marker its source
//!   wrote (`1.`, `2)`) in front of its text, since the parser reads numbering from the
//!   text; a bullet (`-`, `*`, `+`) is dropped.
//! - **soft line breaks** (a single newline inside a paragraph): decided by the text with the
//!   TXT reader's rule ([`extract_txt::layout::continues`], a hard-wrapped file recognised by
//!   [`extract_txt::layout::wrap_width`]): "一、…\n二、…" is two paragraphs, a line ending on
//!   "，" goes on. A kept wrap is a `'\n'` inside the paragraph, as in TXT. A blank line
//!   always ends a paragraph (Markdown says so); a **hard break** (two trailing spaces, `\`,
//!   `<br>`) always splits one. Headings keep their lines together.
//! - **emphasis, strong, strikethrough and code spans** are reduced to their text;
//!   **links** keep their text, and their targets (not in-page `#anchors`) go to
//!   `DocInfo::links`; **images** are dropped, their alt text too.
//! - **pipe tables** become `Table` blocks, a cell's `<br>` separating its paragraphs.
//! - **raw HTML**: inline tags are dropped and the text between them kept (`<br>` is a hard
//!   break); an HTML block is reduced to text — `<table>` rows and cells become a `Table`
//!   (MinerU writes its tables so; `rowspan`/`colspan` are not expanded), block tags and
//!   `<br>` break paragraphs, comments, scripts and styles are dropped, the common entities
//!   decoded.
//! - **code blocks** (fenced, or lines indented by four spaces, which crawls produce by
//!   indenting paragraphs) are read as text lines, under the same soft-break rule.
//! - **footnote definitions** are furniture (`Footnote`); footnote references are dropped.
//!
//! Tables flattened one cell per line stay paragraphs (the TXT reader's cell-per-line rule
//! needs tabs, which Markdown converters do not write).
//!
//! ```
//! use docmodel::{BlockKind, Extractor};
//! let md = "---\n文号: 淄政办字〔2025〕15号\ntitle: \"关于办实事的通知\"\n---\n\n\
//!           # 关于办实事的通知\n\n一、甲项。\n二、乙项，\n续写。\n";
//! let reader = extract_md::MdExtractor::default();
//! assert!(reader.recognizes(md.as_bytes()));
//! let doc = reader.extract(md.as_bytes())?;
//! assert_eq!(doc.info.title.as_deref(), Some("关于办实事的通知"));
//! assert_eq!(doc.info.page.as_ref().unwrap().info[0].value, "淄政办字〔2025〕15号");
//! let texts: Vec<&str> = doc.body().filter_map(|b| match &b.kind {
//!     BlockKind::Paragraph(p) => Some(p.as_str()),
//!     _ => None,
//! }).collect();
//! assert_eq!(texts, ["关于办实事的通知", "一、甲项。", "二、乙项，\n续写。"]);
//! # Ok::<(), docmodel::ExtractError>(())
//! ```

mod html;
mod sniff;

use docmodel::{
    BlockKind, Cell, CodedError, Document, ErrorCode, ExtractError, Extractor, Format,
    FurnitureRole, InputError, LabelValue, Link, PageInfo, Provenance, Table,
};
use extract_txt::layout::{continues, wrap_width};
use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

pub use sniff::looks_like_markdown;

/// Budgets for one Markdown file; beyond either the file is refused with
/// [`ErrorCode::TooLarge`].
///
/// | field | default | what it bounds |
/// |---|---|---|
/// | `max_input_bytes` | 8 MiB | the file (as for TXT: a notice is 5–10 KB) |
/// | `max_table_cells` | 100,000 | table cells of the whole file (pipe and HTML tables) |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes. The decoded text, its events and its blocks take a
    /// few times the input.
    pub max_input_bytes: usize,
    /// Most table cells in the file. A pipe table's rows are padded to its header's width,
    /// so a wide header over many short rows would otherwise multiply the input.
    pub max_table_cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 8 << 20,
            max_table_cells: 100_000,
        }
    }
}

/// The reasons a Markdown file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MdError {
    /// Zero bytes or only white space, or beyond [`Limits::max_input_bytes`]: refused
    /// unread ([`docmodel::check_input`]).
    #[error(transparent)]
    Input(#[from] InputError),
    /// No text outside front matter, images and markup.
    #[error("the file holds no text (zero bytes, or only front matter, images and markup)")]
    Empty,
    /// Beyond [`Limits::max_table_cells`].
    #[error("the file's tables have more than {limit} cells")]
    TooManyCells {
        /// The limit it passed.
        limit: usize,
    },
    /// Bytes that are not text in any supported encoding; the message says why.
    #[error("not text: {0}")]
    NotText(String),
}

impl CodedError for MdError {
    fn code(&self) -> ErrorCode {
        match self {
            MdError::Input(e) => e.code(),
            MdError::Empty => ErrorCode::Empty,
            MdError::TooManyCells { .. } => ErrorCode::TooLarge,
            MdError::NotText(_) => ErrorCode::NotText,
        }
    }
}

impl From<extract_txt::TxtError> for MdError {
    fn from(e: extract_txt::TxtError) -> Self {
        match e {
            extract_txt::TxtError::Input(e) => MdError::Input(e),
            extract_txt::TxtError::Empty => MdError::Empty,
            extract_txt::TxtError::NotText(why) => MdError::NotText(why),
        }
    }
}

/// The Markdown extractor. `MdExtractor::default()` uses [`Limits::default`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MdExtractor {
    /// The budgets it reads under.
    pub limits: Limits,
}

impl MdExtractor {
    /// Decodes and reads `bytes`, with this crate's own error type.
    pub fn extract_md(&self, bytes: &[u8]) -> Result<Document, MdError> {
        docmodel::check_input(bytes, self.limits.max_input_bytes as u64)?;
        let decoded = extract_txt::decode(bytes)?;
        let mut doc = Document::new(Format::Markdown);
        doc.info.encoding = Some(decoded.encoding.to_string());
        read(&decoded.text, &self.limits, &mut doc)?;
        if doc.body_text_len() == 0 {
            return Err(MdError::Empty);
        }
        Ok(doc)
    }
}

impl Extractor for MdExtractor {
    fn format(&self) -> Format {
        Format::Markdown
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["md", "markdown"]
    }

    /// Front matter at the very start, an ATX heading or a pipe-table delimiter row near the
    /// start (see [`looks_like_markdown`]): never a plain-text notice.
    fn recognizes(&self, bytes: &[u8]) -> bool {
        looks_like_markdown(bytes)
    }

    fn extract(&self, bytes: &[u8]) -> Result<Document, ExtractError> {
        Ok(self.extract_md(bytes)?)
    }
}

/// What the event walk collects before soft breaks are decided (that needs every line of
/// the file, to tell a hard-wrapped file).
#[derive(Debug)]
pub(crate) enum Raw {
    /// Lines of one paragraph as Markdown delimits it, each with its 1-based source line.
    /// `reflow`: its line breaks are decided by the text; else they are kept as `'\n'`.
    Para {
        lines: Vec<(String, u32)>,
        reflow: bool,
        footnote: bool,
    },
    /// A table and its first line.
    Table(Table, u32),
}

/// The paragraph being built.
#[derive(Debug, Default)]
struct ParaBuf {
    lines: Vec<(String, u32)>,
    reflow: bool,
}

/// The event walk's state.
struct Walk<'a> {
    src: &'a str,
    line_starts: Vec<usize>,
    limits: &'a Limits,
    out: Vec<Raw>,
    para: Option<ParaBuf>,
    /// An ordered list item's marker, waiting for the item's first text.
    marker: Option<String>,
    in_heading: bool,
    in_footnote: bool,
    in_code: bool,
    in_html_block: Option<(String, u32)>,
    in_metadata: Option<String>,
    image_depth: usize,
    /// Per open list: whether it is ordered.
    lists: Vec<bool>,
    /// Open links: href, and where their text starts in the walk's link text.
    links: Vec<(String, String)>,
    table: Option<(Table, u32)>,
    cells: usize,
    found_links: Vec<Link>,
    front: Vec<LabelValue>,
}

fn read(text: &str, limits: &Limits, doc: &mut Document) -> Result<(), MdError> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH;
    let mut walk = Walk {
        src: text,
        line_starts: std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        limits,
        out: Vec::new(),
        para: None,
        marker: None,
        in_heading: false,
        in_footnote: false,
        in_code: false,
        in_html_block: None,
        in_metadata: None,
        image_depth: 0,
        lists: Vec::new(),
        links: Vec::new(),
        table: None,
        cells: 0,
        found_links: Vec::new(),
        front: Vec::new(),
    };
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        walk.event(event, range.start)?;
    }
    walk.flush();
    let Walk {
        out,
        found_links,
        front,
        ..
    } = walk;
    emit(out, doc);
    doc.info.links = found_links;
    if !front.is_empty() {
        doc.info.title = front
            .iter()
            .find(|f| f.label.eq_ignore_ascii_case("title") || f.label == "标题")
            .map(|f| f.value.clone());
        doc.info.page = Some(PageInfo {
            info: front,
            ..PageInfo::default()
        });
    }
    Ok(())
}

impl Walk<'_> {
    /// 1-based line of byte `at`.
    fn line(&self, at: usize) -> u32 {
        self.line_starts.partition_point(|&s| s <= at) as u32
    }

    fn event(&mut self, event: Event, at: usize) -> Result<(), MdError> {
        match event {
            Event::Start(tag) => self.start(tag, at)?,
            Event::End(tag) => self.end(tag)?,
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                if let Some(meta) = &mut self.in_metadata {
                    meta.push_str(&t);
                } else if self.image_depth == 0 {
                    self.text(&t, at);
                }
            }
            Event::Html(h) => {
                if let Some((html, _)) = &mut self.in_html_block {
                    html.push_str(&h);
                } else {
                    // Outside an HTML block (not expected): read as one.
                    self.flush();
                    self.html_block(&h, self.line(at))?;
                }
            }
            Event::InlineHtml(h) => {
                if html::is_break(&h) {
                    self.hard_break(at);
                }
            }
            Event::SoftBreak => {
                let next = self.line(at) + 1;
                if let Some(p) = &mut self.para {
                    p.lines.push((String::new(), next));
                } else if let Some(p) = self.cell().and_then(|c| c.paragraphs.last_mut()) {
                    p.push(' ');
                }
            }
            Event::HardBreak => self.hard_break(at),
            Event::Rule => self.flush(),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
        Ok(())
    }

    fn start(&mut self, tag: Tag, at: usize) -> Result<(), MdError> {
        match tag {
            Tag::Paragraph | Tag::BlockQuote(_) => self.flush(),
            Tag::Heading { .. } => {
                self.flush();
                self.in_heading = true;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.in_code = true;
            }
            Tag::HtmlBlock => {
                self.flush();
                self.in_html_block = Some((String::new(), self.line(at)));
            }
            Tag::List(start) => {
                self.flush();
                self.lists.push(start.is_some());
            }
            Tag::Item => {
                self.flush();
                if self.lists.last() == Some(&true) {
                    self.marker = ordered_marker(&self.src[at..]);
                }
            }
            Tag::FootnoteDefinition(_) => {
                self.flush();
                self.in_footnote = true;
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some((Table::default(), self.line(at)));
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some((t, _)) = &mut self.table {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                self.cells += 1;
                if self.cells > self.limits.max_table_cells {
                    return Err(MdError::TooManyCells {
                        limit: self.limits.max_table_cells,
                    });
                }
                if let Some(row) = self.table.as_mut().and_then(|(t, _)| t.rows.last_mut()) {
                    row.push(Cell::new([String::new()]));
                }
            }
            Tag::Image { .. } => self.image_depth += 1,
            Tag::Link { dest_url, .. } => {
                self.links.push((dest_url.to_string(), String::new()));
            }
            Tag::MetadataBlock(MetadataBlockKind::YamlStyle) => {
                self.in_metadata = Some(String::new());
            }
            Tag::MetadataBlock(_) => {}
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, tag: TagEnd) -> Result<(), MdError> {
        match tag {
            TagEnd::Paragraph
            | TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::FootnoteDefinition => {
                self.flush();
                self.marker = None;
                match tag {
                    TagEnd::Heading(_) => self.in_heading = false,
                    TagEnd::CodeBlock => self.in_code = false,
                    TagEnd::FootnoteDefinition => self.in_footnote = false,
                    TagEnd::List(_) => {
                        self.lists.pop();
                    }
                    _ => {}
                }
            }
            TagEnd::HtmlBlock => {
                if let Some((html, line)) = self.in_html_block.take() {
                    self.html_block(&html, line)?;
                }
            }
            TagEnd::Table => {
                if let Some((table, line)) = self.table.take() {
                    self.out.push(Raw::Table(table, line));
                }
            }
            TagEnd::Image => self.image_depth = self.image_depth.saturating_sub(1),
            TagEnd::Link => {
                if let Some((href, text)) = self.links.pop() {
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !text.is_empty() && !href.is_empty() && !href.starts_with('#') {
                        self.found_links.push(Link { text, href });
                    }
                }
            }
            TagEnd::MetadataBlock(_) => {
                if let Some(meta) = self.in_metadata.take() {
                    self.front = docmodel::front_matter::pairs(&meta);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The open table's last cell (of its last row).
    fn cell(&mut self) -> Option<&mut Cell> {
        self.table.as_mut()?.0.rows.last_mut()?.last_mut()
    }

    fn text(&mut self, text: &str, at: usize) {
        for (_, link_text) in &mut self.links {
            link_text.push_str(text);
        }
        if let Some(cell) = self.cell() {
            if let Some(p) = cell.paragraphs.last_mut() {
                p.push_str(text);
            }
            return;
        }
        let line = self.line(at);
        let reflow = !self.in_heading;
        let para = self.para.get_or_insert_with(|| ParaBuf {
            lines: Vec::new(),
            reflow,
        });
        if para.lines.is_empty() {
            let marker = self.marker.take().map(|m| m + " ").unwrap_or_default();
            para.lines.push((marker, line));
        }
        let mut parts = text.split('\n');
        if let Some(first) = parts.next()
            && let Some(last) = para.lines.last_mut()
        {
            last.0.push_str(first);
        }
        // Only code blocks hold newlines in their text.
        for (k, part) in parts.enumerate() {
            para.lines.push((part.to_string(), line + k as u32 + 1));
        }
    }

    fn hard_break(&mut self, at: usize) {
        if let Some(cell) = self.cell() {
            cell.paragraphs.push(String::new());
            return;
        }
        if self.in_heading {
            let line = self.line(at);
            if let Some(p) = &mut self.para {
                p.lines.push((String::new(), line));
            }
            return;
        }
        self.flush();
    }

    /// Ends the paragraph being built.
    fn flush(&mut self) {
        if let Some(p) = self.para.take() {
            self.out.push(Raw::Para {
                lines: p.lines,
                reflow: p.reflow,
                footnote: self.in_footnote,
            });
        }
    }

    fn html_block(&mut self, html: &str, line: u32) -> Result<(), MdError> {
        for piece in html::blocks(html) {
            match piece {
                html::Piece::Para(text) => self.out.push(Raw::Para {
                    lines: vec![(text, line)],
                    reflow: false,
                    footnote: self.in_footnote,
                }),
                html::Piece::Table(table) => {
                    self.cells += table.rows.iter().map(Vec::len).sum::<usize>();
                    if self.cells > self.limits.max_table_cells {
                        return Err(MdError::TooManyCells {
                            limit: self.limits.max_table_cells,
                        });
                    }
                    self.out.push(Raw::Table(table, line));
                }
            }
        }
        Ok(())
    }
}

/// The marker an ordered list item's source text opens with ("1." "12)"), as written.
fn ordered_marker(item: &str) -> Option<String> {
    let item = item.trim_start_matches([' ', '\t', '>']);
    let digits = item.bytes().take_while(u8::is_ascii_digit).count();
    let delimiter = *item.as_bytes().get(digits)?;
    (digits > 0 && matches!(delimiter, b'.' | b')')).then(|| item[..=digits].to_string())
}

/// The collected blocks into `doc`: a paragraph's soft line breaks decided by the text.
fn emit(raw: Vec<Raw>, doc: &mut Document) {
    let full_width = wrap_width(raw.iter().flat_map(|r| {
        match r {
            Raw::Para {
                lines,
                reflow: true,
                ..
            } => lines.as_slice(),
            _ => &[],
        }
        .iter()
        .map(|(l, _)| l.as_str())
    }));
    let mut at = 0;
    while at < raw.len() {
        // A table flattened to one paragraph per cell (crawls of a page's table): its rows
        // told by the 序号 column (extract_txt::flattened).
        let cells_ahead = || {
            raw[at..]
                .iter()
                .map_while(single_line)
                .map(|(t, _)| t.trim())
        };
        if let Some((_, line)) =
            single_line(&raw[at]).filter(|_| extract_txt::flattened::may_open(cells_ahead()))
        {
            let cells: Vec<&str> = cells_ahead().collect();
            if let Some((table, used)) = extract_txt::flattened::serial_table(&cells) {
                doc.push(BlockKind::Table(table), Provenance::line(line));
                at += used;
                continue;
            }
        }
        emit_block(&raw[at], full_width, doc);
        at += 1;
    }
}

/// A paragraph of one non-empty line: its text and source line.
fn single_line(block: &Raw) -> Option<(&str, u32)> {
    match block {
        Raw::Para {
            lines,
            footnote: false,
            ..
        } => {
            let mut filled = lines.iter().filter(|(t, _)| !t.trim().is_empty());
            let (text, line) = filled.next()?;
            filled.next().is_none().then_some((text.as_str(), *line))
        }
        _ => None,
    }
}

fn emit_block(block: &Raw, full_width: Option<usize>, doc: &mut Document) {
    match block {
        Raw::Table(table, line) => {
            doc.push(BlockKind::Table(table.clone()), Provenance::line(*line));
        }
        Raw::Para {
            lines,
            reflow,
            footnote,
        } => {
            let mut group: Vec<&(String, u32)> = Vec::new();
            for l in lines.iter().filter(|(t, _)| !t.trim().is_empty()) {
                if *reflow
                    && let Some(last) = group.last()
                    && !continues(&last.0, &l.0, full_width)
                {
                    push_para(doc, &group, *footnote);
                    group.clear();
                }
                group.push(l);
            }
            push_para(doc, &group, *footnote);
        }
    }
}

fn push_para(doc: &mut Document, group: &[&(String, u32)], footnote: bool) {
    let Some(first) = group.first() else {
        return;
    };
    let text = group
        .iter()
        .map(|(t, _)| t.trim())
        .collect::<Vec<_>>()
        .join("\n");
    let kind = if footnote {
        BlockKind::Furniture {
            role: FurnitureRole::Footnote,
            text,
        }
    } else {
        BlockKind::Paragraph(text)
    };
    doc.push(kind, Provenance::line(first.1));
}

#[cfg(test)]
mod tests;
