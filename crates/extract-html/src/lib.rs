//! Web page → block model.
//!
//! [`HtmlExtractor`] turns a saved government web page (HTML, XHTML, or the HTML part of an
//! MHTML "single file" save) into a [`docmodel::Document`]: the article's paragraphs and
//! tables as body blocks, the page around it (header, navigation, breadcrumb, info box,
//! footer) as furniture, the page's meta tags and info box in `DocInfo::page`, and the
//! article's links in `DocInfo::links`.
//!
//! The steps, one module each:
//! - `mhtml`: an MHTML file's first `text/html` part, transfer-decoded;
//! - `decode`: the charset (BOM, declared, `<meta>`, detection);
//! - `parse`: html5ever (through scraper's tree sink) builds the DOM, in chunks under the
//!   time budget, after a pre-scan of the nesting; the tree's size and depth are checked;
//! - `content`: which element holds the article (known CMS containers, else a score);
//! - `walk`: elements → paragraphs and tables (`layout` tells data tables from layout ones);
//! - `page`: title, meta tags, info box.
//!
//! The extractor knows web pages (typography, page chrome), nothing of notices.
//!
//! ```
//! use docmodel::{BlockKind, Extractor};
//! let page = "<html><head><title>通知</title></head><body><div id=\"zoom\">\
//!             <p>关于办实事的通知</p><p>一、甲项。（责任单位：市妇联）</p></div></body></html>";
//! let html = extract_html::HtmlExtractor::default();
//! assert!(html.recognizes(page.as_bytes()));
//! let doc = html.extract(page.as_bytes())?;
//! let texts: Vec<&str> = doc.body().filter_map(|b| match &b.kind {
//!     BlockKind::Paragraph(p) => Some(p.as_str()),
//!     _ => None,
//! }).collect();
//! assert_eq!(texts, ["关于办实事的通知", "一、甲项。（责任单位：市妇联）"]);
//! # Ok::<(), docmodel::ExtractError>(())
//! ```

mod content;
mod decode;
mod hints;
mod layout;
mod mhtml;
mod page;
mod parse;
mod sniff;
mod walk;

use std::cell::Cell as Counter;
use std::time::{Duration, Instant};

use docmodel::{
    BlockKind, CodedError, Document, ErrorCode, ExtractError, Extractor, Format, FurnitureRole,
    InputError, Provenance,
};
use ego_tree::iter::Edge;
use scraper::Html;

pub use content::KNOWN_CONTAINERS;
pub use mhtml::looks_like_mhtml;
pub use sniff::looks_like_html;

const MIB: usize = 1024 * 1024;

/// Resource limits of [`HtmlExtractor`]; beyond any of them the page is refused with
/// [`ErrorCode::TooLarge`].
///
/// | field | default | what it bounds |
/// |---|---|---|
/// | `max_input_bytes` | 64 MiB | the file (an MHTML save carries its images) |
/// | `max_html_bytes` | 16 MiB | the HTML itself, after MHTML transfer decoding |
/// | `max_nodes` | 500,000 | DOM nodes (elements, text, comments) |
/// | `max_depth` | 512 | DOM nesting |
/// | `max_table_cells` | 100,000 | grid positions of one data table (rowspan × colspan included) |
/// | `time_budget` | 10 s | wall-clock time of one extraction |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes (an MHTML save carries its images).
    pub max_input_bytes: usize,
    /// Largest HTML, in bytes, after MHTML transfer decoding.
    pub max_html_bytes: usize,
    /// Most DOM nodes (elements, text, comments).
    pub max_nodes: usize,
    /// Deepest DOM nesting.
    pub max_depth: usize,
    /// Most grid positions of one data table (rowspan × colspan included).
    pub max_table_cells: usize,
    /// Wall-clock time of one extraction. Checked between steps and every few thousand nodes of a walk, so a pathological
    /// page stops with `too_large` well before the worker's `--timeout`.
    pub time_budget: Duration,
}

impl Limits {
    /// The documented defaults (see the table on [`Limits`]).
    pub const DEFAULT: Limits = Limits {
        max_input_bytes: 64 * MIB,
        max_html_bytes: 16 * MIB,
        max_nodes: 500_000,
        max_depth: 512,
        max_table_cells: 100_000,
        time_budget: Duration::from_secs(10),
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Why a page was refused. Each variant maps to one [`ErrorCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Zero bytes or only white space, or beyond [`Limits::max_input_bytes`]: refused
    /// unread ([`docmodel::check_input`]).
    #[error(transparent)]
    Input(#[from] InputError),
    /// An MHTML file without a `text/html` part.
    #[error("the MHTML file has no text/html part")]
    NoHtmlPart,
    /// Beyond a [`Limits`] bound; the message says which.
    #[error("{0}")]
    TooLarge(String),
    /// A page whose main text is missing: a 404 page, a list of links, a page that loads
    /// its article by script.
    #[error("the page has no article text ({0})")]
    NoContent(String),
}

impl CodedError for Error {
    fn code(&self) -> ErrorCode {
        match self {
            Error::Input(e) => e.code(),
            Error::NoHtmlPart => ErrorCode::UnsupportedFormat,
            Error::TooLarge(_) => ErrorCode::TooLarge,
            Error::NoContent(_) => ErrorCode::NoContent,
        }
    }
}

/// The HTML extractor. `HtmlExtractor::default()` uses [`Limits::DEFAULT`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HtmlExtractor {
    /// The resource limits it reads under.
    pub limits: Limits,
}

impl HtmlExtractor {
    /// An extractor reading under `limits`.
    pub fn new(limits: Limits) -> Self {
        HtmlExtractor { limits }
    }

    /// Like [`Extractor::extract`] but with this crate's typed error.
    pub fn extract_html(&self, bytes: &[u8]) -> Result<Document, Error> {
        extract(bytes, &self.limits)
    }
}

impl Extractor for HtmlExtractor {
    fn format(&self) -> Format {
        Format::Html
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["html", "htm", "shtml", "xhtml", "mht", "mhtml"]
    }

    /// MHTML by its MIME headers, HTML by its first tag (see [`looks_like_html`]).
    fn recognizes(&self, bytes: &[u8]) -> bool {
        looks_like_mhtml(bytes) || looks_like_html(bytes)
    }

    fn extract(&self, bytes: &[u8]) -> Result<Document, ExtractError> {
        Ok(self.extract_html(bytes)?)
    }
}

/// The time budget, checked every [`TICK`] steps of a walk.
pub(crate) struct Budget {
    pub limits: Limits,
    deadline: Instant,
    steps: Counter<u32>,
}

const TICK: u32 = 4096;

impl Budget {
    fn new(limits: Limits) -> Self {
        Budget {
            limits,
            deadline: Instant::now() + limits.time_budget,
            steps: Counter::new(0),
        }
    }

    pub fn tick(&self) -> Result<(), Error> {
        let n = self.steps.get().wrapping_add(1);
        self.steps.set(n);
        if n.is_multiple_of(TICK) {
            self.check()
        } else {
            Ok(())
        }
    }

    pub fn check(&self) -> Result<(), Error> {
        if Instant::now() > self.deadline {
            return Err(Error::TooLarge(format!(
                "the page took longer than the {} s time budget",
                self.limits.time_budget.as_secs_f32()
            )));
        }
        Ok(())
    }
}

fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    docmodel::check_input(bytes, limits.max_input_bytes as u64)?;
    let budget = Budget::new(*limits);
    // A static site's page source opens with front matter (fixtures/real/*-opc-*.html,
    // Jekyll): its pairs are the page's info, the rest is the page.
    let (front, bytes) = match docmodel::front_matter::split(bytes) {
        Some((inner, rest)) => (
            docmodel::front_matter::pairs(&String::from_utf8_lossy(inner)),
            rest,
        ),
        None => (Vec::new(), bytes),
    };
    let part;
    let (html, declared) = if mhtml::looks_like_mhtml(bytes) {
        part = mhtml::html_part(bytes).ok_or(Error::NoHtmlPart)?;
        (part.html.as_slice(), part.charset.as_deref())
    } else {
        (bytes, None)
    };
    if html.len() > limits.max_html_bytes {
        return Err(Error::TooLarge(format!(
            "the page has {} bytes of HTML, beyond the {} MiB limit",
            html.len(),
            limits.max_html_bytes / MIB
        )));
    }
    let decoded = decode::decode(html, declared);
    let dom = parse::parse(&wrap_table_fragment(&decoded.text), &budget)?;
    check_tree(&dom, limits)?;

    let mut doc = Document::new(Format::Html);
    doc.info.encoding = Some(decoded.encoding.to_string());
    let found = content::find(&dom, &budget)?;
    let Some((article, article_node)) = found
        .as_ref()
        .and_then(|f| Some((f.id, dom.tree.get(f.id)?)))
    else {
        return Err(Error::NoContent("no element holds text".into()));
    };
    let min_chars = match found {
        Some(content::Found { known: true, .. }) => MIN_CONTAINER_ARTICLE_CHARS,
        _ => MIN_SCORED_ARTICLE_CHARS,
    };

    let mut body = walk::Walker::new(&budget, walk::Mode::Article);
    body.walk(article_node, &[])?;
    check_content(&body.pieces, content::link_density(article_node), min_chars)?;
    // A heading printed above the container is the article's, unless the article repeats it
    // in its opening paragraphs (a title broken over lines included).
    let opening: Vec<&str> = body
        .pieces
        .iter()
        .filter_map(|p| match p {
            walk::Piece::Para(t) if !t.trim().is_empty() => Some(t.as_str()),
            _ => None,
        })
        .take(OPENING_PARAGRAPHS)
        .collect();
    let heading = page::outside_heading(article_node, &opening);
    let mut holes = vec![article];
    if let Some((id, text)) = heading {
        body.pieces.insert(0, walk::Piece::Para(text));
        holes.push(id);
    }

    // The page around the article: furniture, and the info box's lines.
    let (lines, split, file_links) = page_lines(&dom, &holes, &budget)?;
    assemble(&mut doc, body.pieces, &lines, split);

    let mut page = page::info(&dom, &lines[..split]);
    if !front.is_empty() {
        let page = page.get_or_insert_with(Default::default);
        page.info.splice(0..0, front);
    }
    doc.info.title = page::title(&dom).or_else(|| page.as_ref()?.article_title.clone());
    doc.info.page = page;
    // The article's links first: a title linked in the text wins over the download block.
    doc.info.links = body.links;
    doc.info.links.extend(file_links);
    Ok(doc)
}

/// The page's text around the article (and its heading, when that was taken from outside),
/// one line per block or table row; where the article was among them; and the page's links
/// to files.
fn page_lines(
    dom: &Html,
    holes: &[ego_tree::NodeId],
    budget: &Budget,
) -> Result<(Vec<String>, usize, Vec<docmodel::Link>), Error> {
    let mut around = walk::Walker::new(budget, walk::Mode::Lines);
    around.walk(dom.tree.root(), holes)?;
    let mut lines = Vec::with_capacity(around.pieces.len());
    let mut split = None;
    for (i, piece) in around.pieces.into_iter().enumerate() {
        if around.marker == Some(i) {
            split = Some(lines.len());
        }
        if let walk::Piece::Para(t) = piece {
            lines.push(t);
        }
    }
    let split = split.unwrap_or(lines.len());
    Ok((lines, split, around.links))
}

/// Header furniture, the article's blocks (a tool phrase among them as furniture), footer
/// furniture: the document in page order.
fn assemble(doc: &mut Document, article: Vec<walk::Piece>, lines: &[String], split: usize) {
    for line in &lines[..split] {
        push_furniture(doc, FurnitureRole::Header, line);
    }
    for piece in article {
        match piece {
            walk::Piece::Para(t) if hints::is_chrome_line(&t) => {
                push_furniture(doc, FurnitureRole::TextBox, &t)
            }
            walk::Piece::Para(t) => doc.push(BlockKind::Paragraph(t), Provenance::default()),
            walk::Piece::Table(t) => doc.push(BlockKind::Table(t), Provenance::default()),
        }
    }
    for line in &lines[split..] {
        push_furniture(doc, FurnitureRole::Footer, line);
    }
}

fn push_furniture(doc: &mut Document, role: FurnitureRole, text: &str) {
    doc.push(
        BlockKind::Furniture {
            role,
            text: text.to_string(),
        },
        Provenance::default(),
    );
}

/// Saved article fragments (gov.cn's UCAP pages keep the article in a `<td>`) can start
/// with `<tbody>`, `<tr>` or `<td>`; outside a table the HTML parser drops those tags and
/// with them the container's id, so such a fragment is put back in a table.
fn wrap_table_fragment(text: &str) -> std::borrow::Cow<'_, str> {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let head: String = start
        .chars()
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    if ["<tbody", "<tr", "<td", "<thead"]
        .iter()
        .any(|t| head.starts_with(t))
    {
        format!("<table>{text}</table>").into()
    } else {
        text.into()
    }
}

/// Node count and nesting depth of the parsed DOM, against the limits.
fn check_tree(dom: &Html, limits: &Limits) -> Result<(), Error> {
    let nodes = dom.tree.nodes().count();
    if nodes > limits.max_nodes {
        return Err(Error::TooLarge(format!(
            "the page has {nodes} DOM nodes, beyond the limit of {}",
            limits.max_nodes
        )));
    }
    let mut depth = 0usize;
    for edge in dom.tree.root().traverse() {
        match edge {
            Edge::Open(_) => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(Error::TooLarge(format!(
                        "the page nests elements deeper than {} levels",
                        limits.max_depth
                    )));
                }
            }
            Edge::Close(_) => depth -= 1,
        }
    }
    Ok(())
}

/// Least article text: this many characters outside links in an element the content
/// score chose (a 404 page's one-line apology has fewer), or in a known CMS container
/// (which says by its name that it holds the article: a short notice is still one), a
/// sentence end, and links making up under half of the text. A list of headlines fails.
const MIN_SCORED_ARTICLE_CHARS: usize = 50;
const MIN_CONTAINER_ARTICLE_CHARS: usize = 20;

/// How many of the article's first paragraphs may hold its title (letterhead, document
/// number and a title broken over three lines come first).
const OPENING_PARAGRAPHS: usize = 8;

fn check_content(pieces: &[walk::Piece], link_density: f64, min_chars: usize) -> Result<(), Error> {
    let text: String = pieces
        .iter()
        .map(|p| match p {
            walk::Piece::Para(t) => t.clone(),
            walk::Piece::Table(t) => t
                .rows
                .iter()
                .flatten()
                .flat_map(|c| c.paragraphs.iter().cloned())
                .collect(),
        })
        .collect();
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    let non_link = (chars as f64 * (1.0 - link_density)) as usize;
    if non_link < min_chars || link_density >= 0.5 || !text.contains(['。', '.', '！', '？']) {
        return Err(Error::NoContent(format!(
            "{chars} characters in the best candidate, {:.0} % of them in links",
            link_density * 100.0
        )));
    }
    Ok(())
}
