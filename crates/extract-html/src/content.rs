//! Finding the article on the page.
//!
//! First the containers government CMSs put it in ([`KNOWN_CONTAINERS`], in order; the
//! first with text wins, and of several matches the one with the most text). Else a
//! content score in the spirit of Mozilla Readability, made for Chinese: Readability
//! ignores paragraphs under 25 characters and counts ASCII commas only, which throws away
//! a signature, a date or a unit note; here a paragraph of 5 characters counts and every
//! Chinese clause mark (`。，、；：`) scores.

use std::collections::HashMap;

use ego_tree::NodeId;
use scraper::{Html, Node, Selector};

use crate::{Budget, Error, hints, walk};

type NodeRef<'a> = ego_tree::NodeRef<'a, Node>;

/// CSS selectors of the article containers of common government CMSs: UCAP (gov.cn),
/// TRS WCM (`TRS_Editor`, `trs_editor_view`, `TRS_UEDITOR`), the `zoom` div of many
/// provincial templates, and generic article classes.
pub const KNOWN_CONTAINERS: &[&str] = &[
    "#UCAP-CONTENT",
    ".TRS_Editor",
    ".trs_editor_view",
    ".TRS_UEDITOR",
    "#zoom",
    "#Zoom",
    ".pages_content",
    ".article-content",
    ".article_content",
    "#js_content",
];

/// A container needs this many characters of text to be taken (an empty `#zoom` filled in
/// by a script is passed over).
const MIN_CONTAINER_CHARS: usize = 20;

/// Readability's candidate score, computed for the parents (full), grandparents (half)
/// and great-grandparents (a third) of every paragraph-like element.
pub fn find(doc: &Html, budget: &Budget) -> Result<Option<Found>, Error> {
    for css in KNOWN_CONTAINERS {
        let selector = Selector::parse(css).expect("the known selectors parse");
        let best = doc
            .select(&selector)
            .map(|e| (text_chars(*e), e.id()))
            .filter(|(chars, _)| *chars >= MIN_CONTAINER_CHARS)
            .max_by_key(|(chars, _)| *chars);
        if let Some((_, id)) = best {
            return Ok(Some(Found { id, known: true }));
        }
    }
    Ok(score(doc, budget)?.map(|id| Found { id, known: false }))
}

/// The element holding the article, and whether it is a known CMS container (then a
/// short notice is still an article; a scored candidate must prove itself longer).
pub struct Found {
    pub id: NodeId,
    pub known: bool,
}

fn text_chars(node: NodeRef) -> usize {
    walk::subtree_text(node)
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

fn score(doc: &Html, budget: &Budget) -> Result<Option<NodeId>, Error> {
    let mut scores: HashMap<NodeId, f64> = HashMap::new();
    let body = doc
        .tree
        .root()
        .descendants()
        .find(|n| n.value().as_element().is_some_and(|e| e.name() == "body"));
    let Some(body) = body else { return Ok(None) };
    for node in body.descendants() {
        budget.tick()?;
        let Some(e) = node.value().as_element() else {
            continue;
        };
        if !matches!(
            e.name(),
            "p" | "td" | "pre" | "div" | "li" | "font" | "span"
        ) {
            continue;
        }
        // A div/span/td counts as a paragraph only for the text directly in it.
        let own: String = if e.name() == "p" || e.name() == "pre" {
            walk::subtree_text(node)
        } else {
            node.children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect()
        };
        let chars = own.chars().filter(|c| !c.is_whitespace()).count();
        if chars < 5 || in_chrome(node) {
            continue;
        }
        let clauses = own
            .chars()
            .filter(|c| matches!(c, '。' | '，' | '、' | '；' | '：' | ','))
            .count();
        let points = 1.0 + clauses as f64 + (chars as f64 / 50.0).min(3.0);
        for (level, ancestor) in node.ancestors().take(3).enumerate() {
            let Some(ae) = ancestor.value().as_element() else {
                break;
            };
            let entry = scores
                .entry(ancestor.id())
                .or_insert_with(|| tag_weight(ae.name()) + hints::class_weight(ae));
            *entry += points / [1.0, 2.0, 6.0][level];
        }
    }
    // Link density walks each candidate's subtree: checked against the time budget, since
    // on a deep page of nested text the candidates' subtrees overlap.
    let mut best: Option<(f64, NodeId)> = None;
    for (id, s) in scores {
        budget.check()?;
        let Some(node) = doc.tree.get(id) else {
            continue;
        };
        let s = s * (1.0 - link_density(node));
        if best.is_none_or(|(b, bid)| s > b || (s == b && id < bid)) {
            best = Some((s, id));
        }
    }
    Ok(best.map(|(_, id)| id))
}

fn tag_weight(name: &str) -> f64 {
    match name {
        "div" | "article" | "section" | "main" => 5.0,
        "td" | "pre" | "blockquote" => 3.0,
        "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" | "address" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        "body" => -5.0,
        _ => 0.0,
    }
}

fn in_chrome(node: NodeRef) -> bool {
    node.ancestors()
        .chain(std::iter::once(node))
        .filter_map(|a| a.value().as_element())
        .any(|e| hints::is_chrome(e) || hints::invisible(e))
}

/// Share of the text that is link text.
pub fn link_density(node: NodeRef) -> f64 {
    let all = text_chars(node);
    if all == 0 {
        return 1.0;
    }
    let linked: usize = node
        .descendants()
        .filter(|n| n.value().as_element().is_some_and(|e| e.name() == "a"))
        .map(text_chars)
        .sum();
    (linked as f64 / all as f64).min(1.0)
}
