//! One streaming pass over a WordprocessingML story (`document.xml`, a header, a footer,
//! footnotes, endnotes, comments) into paragraphs and tables.
//!
//! No recursion: open tables, cells, text boxes and paragraphs live on explicit stacks, so a
//! deeply nested part cannot blow the stack; table nesting beyond the limit is refused.
//!
//! What is text (as Word shows the final document):
//! - `w:t` in runs, `w:tab`/`w:ptab` → `'\t'`, `w:br`/`w:cr` → `'\n'`, `w:noBreakHyphen` → `-`;
//! - inserted text (`w:ins`, `w:moveTo`) is text; deleted text (`w:del`, `w:moveFrom`,
//!   `w:delText`) is not; a deleted paragraph mark joins the paragraph with the next;
//! - fields show their result: text between `fldChar begin` and `separate` (the code, with
//!   `w:instrText`) is dropped, the result up to `end` kept; `w:fldSimple` shows its runs;
//! - hidden runs (`w:vanish`) and ruby annotations (`w:rt`) are dropped; `mc:Fallback` is
//!   skipped (it repeats `mc:Choice`);
//! - text boxes (`w:txbxContent`) are taken out of the flow and returned separately.

use quick_xml::events::{BytesStart, Event};

use crate::xml::{self, Depth, attr, malformed, on};
use crate::{Error, Limits};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StoryKind {
    Body,
    HeaderFooter,
    /// footnotes.xml, endnotes.xml, comments.xml: one group per note.
    Notes,
}

/// How to estimate pages: from Word's `w:lastRenderedPageBreak` markers when the document has
/// them, else from explicit page breaks; `None` for parts without pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageMode {
    Rendered,
    Explicit,
    None,
}

#[derive(Debug, Default)]
pub(crate) struct Para {
    pub text: String,
    pub style: Option<String>,
    pub num_id: Option<u32>,
    pub ilvl: Option<u8>,
    /// 1-based page estimate (1 in parts without pages).
    pub page: u32,
    /// Holds a PAGE / NUMPAGES / SECTIONPAGES field.
    pub page_field: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum VMerge {
    #[default]
    None,
    Restart,
    Continue,
}

#[derive(Debug, Default)]
pub(crate) struct CellNode {
    pub span: u32,
    pub vmerge: VMerge,
    /// Legacy `w:hMerge w:val="continue"`: covered by the cell to its left.
    pub hcontinue: bool,
    pub content: Vec<Node>,
}

#[derive(Debug, Default)]
pub(crate) struct TableNode {
    pub rows: Vec<Vec<CellNode>>,
}

impl TableNode {
    pub(crate) fn first_page(&self) -> Option<u32> {
        let mut page = None;
        let cells = self.rows.iter().flatten();
        for c in cells {
            flatten(&c.content, &mut |p| {
                page.get_or_insert(p.page);
            });
            if page.is_some() {
                break;
            }
        }
        page
    }
}

#[derive(Debug)]
pub(crate) enum Node {
    Para(Para),
    Table(TableNode),
}

#[derive(Debug, Default)]
pub(crate) struct Story {
    /// Local name of the root element (`document`, `hdr`, `ftr`, `footnotes` …).
    pub root: String,
    pub nodes: Vec<Node>,
    /// Text boxes, each with the number of top-level nodes before it (it is placed after them).
    pub text_boxes: Vec<(usize, String)>,
    /// Notes: (index of first node, skipped?) per `w:footnote` / `w:endnote` / `w:comment`.
    groups: Vec<(usize, bool)>,
}

impl Story {
    /// Visits every paragraph, in order, including those in table cells.
    pub(crate) fn for_each_para(&self, f: &mut dyn FnMut(&Para)) {
        flatten(&self.nodes, f)
    }

    /// Notes: the nodes of each note that is not a separator.
    pub(crate) fn groups(&self) -> Vec<&[Node]> {
        let mut out = Vec::new();
        for (i, &(first, skip)) in self.groups.iter().enumerate() {
            let end = self.groups.get(i + 1).map_or(self.nodes.len(), |g| g.0);
            if !skip {
                out.push(&self.nodes[first..end]);
            }
        }
        out
    }
}

/// Visits the paragraphs of `nodes` in order: paragraphs, then table cells row by row
/// (cells covered by a merge hold no paragraphs).
pub(crate) fn flatten(nodes: &[Node], f: &mut dyn FnMut(&Para)) {
    for n in nodes {
        match n {
            Node::Para(p) => f(p),
            Node::Table(t) => {
                for c in t.rows.iter().flatten() {
                    flatten(&c.content, f);
                }
            }
        }
    }
}

enum Container {
    /// Top level of the story.
    Story(Vec<Node>),
    Table(TableNode, u32),
    Cell(CellNode),
    TextBox(Vec<Node>),
}

#[derive(Default)]
struct ParaBuilder {
    para: Para,
    page_set: bool,
    in_ppr: bool,
    in_numpr: bool,
    in_rpr: bool,
    run_hidden: bool,
    mark_deleted: bool,
}

struct Field {
    in_code: bool,
    instr: String,
}

struct Parser<'p> {
    part: &'p str,
    kind: StoryKind,
    page_mode: PageMode,
    max_table_depth: usize,
    page: u32,
    containers: Vec<Container>,
    paras: Vec<ParaBuilder>,
    fields: Vec<Field>,
    table_depth: usize,
    in_t: bool,
    in_instr: bool,
    /// Text of a paragraph whose mark was deleted, to open the next paragraph.
    carry: String,
    story: Story,
}

/// Elements whose whole subtree is not shown text.
fn skipped(name: &[u8]) -> bool {
    matches!(
        name,
        b"w:del"
            | b"w:moveFrom"
            | b"w:delText"
            | b"w:delInstrText"
            | b"mc:Fallback"
            | b"w:pPrChange"
            | b"w:rPrChange"
            | b"w:sectPrChange"
            | b"w:tblPrChange"
            | b"w:tcPrChange"
            | b"w:trPrChange"
            | b"w:tblGridChange"
            | b"w:numberingChange"
            | b"w:sdtPr"
            | b"w:sdtEndPr"
            | b"w:rt"
            | b"w:sectPr"
            | b"w:tblPr"
            | b"w:tblGrid"
            | b"w:tblStylePr"
    )
}

fn is_page_instr(instr: &str) -> bool {
    let word = instr.split_whitespace().next().unwrap_or("");
    ["PAGE", "NUMPAGES", "SECTIONPAGES"]
        .iter()
        .any(|k| word.eq_ignore_ascii_case(k))
}

pub(crate) fn parse(
    part: &str,
    xml: &[u8],
    kind: StoryKind,
    page_mode: PageMode,
    limits: &Limits,
) -> Result<Story, Error> {
    let mut p = Parser::new(part, kind, page_mode, limits);
    let mut r = xml::reader(xml);
    let mut depth = Depth::default();
    let mut skip = 0usize;
    loop {
        let ev = match r.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                return Err(malformed(
                    part,
                    format!("at byte {}: {e}", r.error_position()),
                ));
            }
        };
        match ev {
            Event::Start(e) => {
                depth.start(part)?;
                if skip > 0 {
                    skip += 1;
                } else if p.skips(e.name().as_ref()) {
                    skip = 1;
                } else {
                    if depth.open == 1 {
                        p.story.root =
                            String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    }
                    p.start(&e, depth.open, false)?;
                }
            }
            Event::Empty(e) => {
                depth.start(part)?;
                depth.end();
                if skip == 0 && !p.skips(e.name().as_ref()) {
                    if depth.open == 0 {
                        p.story.root =
                            String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    }
                    p.start(&e, depth.open + 1, true)?;
                }
            }
            Event::End(e) => {
                depth.end();
                if skip > 0 {
                    skip -= 1;
                } else {
                    p.end(e.name().as_ref());
                }
            }
            Event::Text(t) if skip == 0 && (p.in_t || p.in_instr) => {
                let s = t.xml10_content().map_err(|e| malformed(part, e))?;
                p.text(&s);
            }
            Event::GeneralRef(g) if skip == 0 && (p.in_t || p.in_instr) => {
                if let Some(s) = xml::resolve_ref(&g) {
                    p.text(&s);
                }
            }
            Event::CData(c) if skip == 0 && (p.in_t || p.in_instr) => {
                let s = c.decode().map_err(|e| malformed(part, e))?;
                p.text(&s);
            }
            Event::Eof => {
                depth.eof(part)?;
                break;
            }
            _ => {}
        }
    }
    Ok(p.finish())
}

impl<'p> Parser<'p> {
    /// `w:del` in a paragraph mark's properties marks the mark deleted; elsewhere it wraps
    /// deleted runs.
    fn skips(&self, name: &[u8]) -> bool {
        skipped(name)
            && !(matches!(name, b"w:del" | b"w:moveFrom")
                && self.paras.last().is_some_and(|b| b.in_ppr && b.in_rpr))
    }

    fn suppressed(&self) -> bool {
        self.fields.iter().any(|f| f.in_code) || self.paras.last().is_none_or(|b| b.run_hidden)
    }

    fn text(&mut self, s: &str) {
        if self.in_instr {
            if let Some(f) = self.fields.last_mut()
                && f.instr.len() < 1024
            {
                f.instr.push_str(s);
            }
            return;
        }
        self.emit(s);
    }

    fn emit(&mut self, s: &str) {
        if self.suppressed() {
            return;
        }
        let page = self.page;
        if let Some(b) = self.paras.last_mut() {
            if !b.page_set && !s.trim().is_empty() {
                b.para.page = page;
                b.page_set = true;
            }
            b.para.text.push_str(s);
        }
    }

    /// A parser of story part `part` (its path, for messages).
    fn new(part: &'p str, kind: StoryKind, page_mode: PageMode, limits: &Limits) -> Self {
        Parser {
            part,
            kind,
            page_mode,
            max_table_depth: limits.max_table_depth,
            page: 1,
            containers: vec![Container::Story(Vec::new())],
            paras: Vec::new(),
            fields: Vec::new(),
            table_depth: 0,
            in_t: false,
            in_instr: false,
            carry: String::new(),
            story: Story::default(),
        }
    }

    /// The story, once every event is read.
    fn finish(mut self) -> Story {
        if !self.carry.trim().is_empty() {
            // the last paragraph's mark was deleted: nothing follows to join it with
            let text = std::mem::take(&mut self.carry);
            let page = self.page;
            self.push_node(Node::Para(Para {
                text,
                page,
                ..Default::default()
            }));
        }
        // The story container is at the bottom of the stack and never popped.
        if let Some(Container::Story(nodes)) = self.containers.into_iter().next() {
            self.story.nodes = nodes;
        }
        self.story
    }

    fn page_break(&mut self, rendered: bool) {
        let counts = match self.page_mode {
            PageMode::Rendered => rendered,
            PageMode::Explicit => !rendered,
            PageMode::None => false,
        };
        if counts {
            self.page += 1;
        }
    }

    /// An element opens (`empty`: and closes at once) at depth `level`. Long because it is
    /// the one dispatcher over the WordprocessingML tags a story reads: an arm of a few lines
    /// per tag, each on the parser's state.
    fn start(&mut self, e: &BytesStart<'_>, level: usize, empty: bool) -> Result<(), Error> {
        let name = e.name();
        let name = name.as_ref();
        // Paragraph properties: only what numbering and page estimates need.
        if let Some(b) = self.paras.last_mut() {
            if b.in_ppr {
                match name {
                    b"w:pStyle" => b.para.style = attr(e, b"w:val").map(|v| v.into_owned()),
                    b"w:numPr" if !empty => b.in_numpr = true,
                    b"w:numId" if b.in_numpr => {
                        b.para.num_id = attr(e, b"w:val").and_then(|v| v.trim().parse().ok())
                    }
                    b"w:ilvl" if b.in_numpr => {
                        b.para.ilvl = attr(e, b"w:val").and_then(|v| v.trim().parse().ok())
                    }
                    b"w:rPr" if !empty => b.in_rpr = true,
                    b"w:del" | b"w:moveFrom" if b.in_rpr => b.mark_deleted = true,
                    b"w:pageBreakBefore" if on(e) => self.page_break(false),
                    _ => {}
                }
                return Ok(());
            }
            if b.in_rpr {
                if name == b"w:vanish" && on(e) {
                    b.run_hidden = true;
                }
                return Ok(());
            }
        }
        match name {
            b"w:p" => {
                let mut b = ParaBuilder::default();
                b.para.text = std::mem::take(&mut self.carry);
                b.para.page = self.page;
                if empty {
                    self.paras.push(b);
                    self.end(b"w:p");
                } else {
                    self.paras.push(b);
                }
            }
            b"w:pPr" if !empty => {
                if let Some(b) = self.paras.last_mut() {
                    b.in_ppr = true;
                }
            }
            b"w:r" => {
                if let Some(b) = self.paras.last_mut() {
                    b.run_hidden = false;
                }
            }
            b"w:rPr" if !empty => {
                if let Some(b) = self.paras.last_mut() {
                    b.in_rpr = true;
                }
            }
            b"w:t" | b"m:t" if !empty => self.in_t = true,
            b"w:instrText" if !empty => self.in_instr = true,
            b"w:tab" | b"w:ptab" => self.emit("\t"),
            b"w:br" => {
                self.emit("\n");
                if attr(e, b"w:type").as_deref() == Some("page") {
                    self.page_break(false);
                }
            }
            b"w:cr" => self.emit("\n"),
            // legacy page number element (headers, footers): like a PAGE field
            b"w:pgNum" => {
                if let Some(b) = self.paras.last_mut() {
                    b.para.page_field = true;
                }
            }
            b"w:noBreakHyphen" => self.emit("-"),
            b"w:lastRenderedPageBreak" => self.page_break(true),
            b"w:fldChar" => match attr(e, b"w:fldCharType").as_deref() {
                Some("begin") if self.fields.len() < 256 => {
                    self.fields.push(Field {
                        in_code: true,
                        instr: String::new(),
                    });
                }
                Some("separate") => {
                    if let Some(f) = self.fields.last_mut() {
                        f.in_code = false;
                        if is_page_instr(&f.instr)
                            && let Some(b) = self.paras.last_mut()
                        {
                            b.para.page_field = true;
                        }
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            b"w:fldSimple" => {
                if attr(e, b"w:instr").is_some_and(|i| is_page_instr(&i))
                    && let Some(b) = self.paras.last_mut()
                {
                    b.para.page_field = true;
                }
            }
            b"w:tbl" if !empty => {
                self.table_depth += 1;
                if self.table_depth > self.max_table_depth {
                    return Err(Error::TooLarge(format!(
                        "{}: tables nested deeper than {} levels",
                        self.part, self.max_table_depth
                    )));
                }
                self.containers
                    .push(Container::Table(TableNode::default(), 0));
            }
            b"w:tr" => {
                if let Some(Container::Table(t, after)) = self.containers.last_mut() {
                    t.rows.push(Vec::new());
                    *after = 0;
                }
            }
            b"w:gridBefore" | b"w:gridAfter" => {
                let n: u32 = attr(e, b"w:val")
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                let n = n.min(64);
                if let Some(Container::Table(t, after)) = self.containers.last_mut() {
                    if name == b"w:gridAfter" {
                        *after = n;
                    } else if let Some(row) = t.rows.last_mut() {
                        row.extend((0..n).map(|_| CellNode {
                            span: 1,
                            ..Default::default()
                        }));
                    }
                }
            }
            b"w:tc" => {
                self.containers.push(Container::Cell(CellNode {
                    span: 1,
                    ..Default::default()
                }));
                if empty {
                    self.end(b"w:tc");
                }
            }
            b"w:gridSpan" => {
                if let Some(Container::Cell(c)) = self.containers.last_mut() {
                    let n: u32 = attr(e, b"w:val")
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(1);
                    c.span = n.clamp(1, 64);
                }
            }
            b"w:vMerge" => {
                if let Some(Container::Cell(c)) = self.containers.last_mut() {
                    c.vmerge = match attr(e, b"w:val").as_deref() {
                        Some("restart") => VMerge::Restart,
                        _ => VMerge::Continue,
                    };
                }
            }
            b"w:hMerge" => {
                if let Some(Container::Cell(c)) = self.containers.last_mut() {
                    c.hcontinue = attr(e, b"w:val").as_deref() != Some("restart");
                }
            }
            b"w:txbxContent" if !empty => self.containers.push(Container::TextBox(Vec::new())),
            b"w:footnote" | b"w:endnote" | b"w:comment"
                if self.kind == StoryKind::Notes && level == 2 =>
            {
                let skip = matches!(
                    attr(e, b"w:type").as_deref(),
                    Some("separator" | "continuationSeparator" | "continuationNotice")
                );
                let at = match &self.containers[0] {
                    Container::Story(v) => v.len(),
                    _ => 0,
                };
                self.story.groups.push((at, skip || empty));
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) {
        if let Some(b) = self.paras.last_mut() {
            if b.in_ppr {
                match name {
                    b"w:pPr" => b.in_ppr = false,
                    b"w:numPr" => b.in_numpr = false,
                    b"w:rPr" => b.in_rpr = false,
                    _ => {}
                }
                return;
            }
            if b.in_rpr {
                if name == b"w:rPr" {
                    b.in_rpr = false;
                }
                return;
            }
        }
        match name {
            b"w:p" => {
                let Some(b) = self.paras.pop() else { return };
                if b.mark_deleted && self.kind != StoryKind::Notes {
                    // Word joins this paragraph with the next one.
                    self.carry = b.para.text;
                    return;
                }
                let mut para = b.para;
                if !b.page_set {
                    para.page = self.page;
                }
                if self.page_mode == PageMode::None {
                    para.page = 1;
                }
                self.push_node(Node::Para(para));
            }
            b"w:r" => {
                if let Some(b) = self.paras.last_mut() {
                    b.run_hidden = false;
                }
            }
            b"w:t" | b"m:t" => self.in_t = false,
            b"w:instrText" => self.in_instr = false,
            b"w:tbl" => {
                if let Some(Container::Table(..)) = self.containers.last() {
                    self.table_depth -= 1;
                    if let Some(Container::Table(t, _)) = self.containers.pop() {
                        self.push_node(Node::Table(t));
                    }
                }
            }
            b"w:tr" => {
                if let Some(Container::Table(t, after)) = self.containers.last_mut() {
                    if let Some(row) = t.rows.last_mut() {
                        row.extend((0..*after).map(|_| CellNode {
                            span: 1,
                            ..Default::default()
                        }));
                    }
                    *after = 0;
                }
            }
            b"w:tc" => {
                if let Some(Container::Cell(_)) = self.containers.last() {
                    let Some(Container::Cell(c)) = self.containers.pop() else {
                        return;
                    };
                    if let Some(Container::Table(t, _)) = self.containers.last_mut() {
                        if t.rows.is_empty() {
                            t.rows.push(Vec::new());
                        }
                        if let Some(row) = t.rows.last_mut() {
                            row.push(c);
                        }
                    }
                }
            }
            b"w:txbxContent" => {
                if let Some(Container::TextBox(_)) = self.containers.last() {
                    let Some(Container::TextBox(nodes)) = self.containers.pop() else {
                        return;
                    };
                    let mut lines = Vec::new();
                    flatten(&nodes, &mut |p| lines.push(p.text.clone()));
                    let text = lines.join("\n");
                    let at = match &self.containers[0] {
                        Container::Story(v) => v.len(),
                        _ => 0,
                    };
                    self.story.text_boxes.push((at, text));
                }
            }
            _ => {}
        }
    }

    fn push_node(&mut self, node: Node) {
        match self.containers.last_mut() {
            Some(Container::Story(v) | Container::TextBox(v)) => v.push(node),
            Some(Container::Cell(c)) => c.content.push(node),
            // A paragraph directly in a table (not in a cell) is malformed; Word drops it.
            Some(Container::Table(..)) | None => {}
        }
    }
}
