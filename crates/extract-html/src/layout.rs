//! Data tables and layout tables.
//!
//! Old CMS templates lay the whole page out in tables: a cell holds the article, and the
//! article's own data table sits inside it. Such a layout table is unwrapped (its cells
//! read as blocks), never read as a data table. The rule, checked on the table's own
//! cells (not those of tables nested in them):
//! - a cell holds a nested `<table>` → layout;
//! - no row has two cells (one cell per row: a column of page regions) → layout;
//! - a cell holds running prose: [`PROSE_CHARS`] characters or more, or three sentences
//!   (`。`) or more making up most (60 %) of the table's text → layout.
//!
//! Data tables in notices (lists of items, units, deadlines) have two or more columns of
//! short cells, so they pass none of these.

use scraper::Node;

type NodeRef<'a> = ego_tree::NodeRef<'a, Node>;

/// A cell with this many characters is prose, not a table cell.
pub const PROSE_CHARS: usize = 400;

/// The table's own rows (`tr` children of the table or of its `thead`/`tbody`/`tfoot`),
/// each as its `td`/`th` cells.
pub fn rows(table: NodeRef) -> Vec<Vec<NodeRef>> {
    let mut out = Vec::new();
    for child in table.children() {
        match element_name(child) {
            Some("tr") => out.push(cells(child)),
            Some("thead" | "tbody" | "tfoot") => out.extend(
                child
                    .children()
                    .filter(|c| element_name(*c) == Some("tr"))
                    .map(cells),
            ),
            _ => {}
        }
    }
    out
}

fn cells(tr: NodeRef) -> Vec<NodeRef> {
    tr.children()
        .filter(|c| matches!(element_name(*c), Some("td" | "th")))
        .collect()
}

fn element_name<'a>(node: NodeRef<'a>) -> Option<&'a str> {
    node.value().as_element().map(|e| e.name())
}

pub fn is_layout_table(table: NodeRef) -> bool {
    let rows = rows(table);
    if rows.iter().all(|r| r.len() <= 1) {
        return true;
    }
    let mut stats = Vec::new();
    for cell in rows.iter().flatten() {
        if cell
            .descendants()
            .skip(1)
            .any(|d| element_name(d) == Some("table"))
        {
            return true;
        }
        let text = crate::walk::subtree_text(*cell);
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        let sentences = text.matches('。').count();
        stats.push((chars, sentences));
    }
    let total: usize = stats.iter().map(|s| s.0).sum();
    stats.iter().any(|&(chars, sentences)| {
        chars >= PROSE_CHARS || (sentences >= 3 && chars * 10 >= total * 6)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_table(html: &str) -> bool {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse("table").unwrap();
        let t = doc.select(&sel).next().unwrap();
        is_layout_table(*t)
    }

    #[test]
    fn layout_and_data_tables() {
        assert!(first_table(
            "<table><tr><td>头</td></tr><tr><td>正文。</td></tr></table>"
        ));
        assert!(first_table(
            "<table><tr><td>菜单</td><td><table><tr><td>a</td><td>b</td></tr></table></td></tr></table>"
        ));
        assert!(first_table(
            "<table><tr><td>导航</td><td><p>一句。</p><p>二句。</p><p>三句。</p></td></tr></table>"
        ));
        assert!(!first_table(
            "<table><tr><th>序号</th><th>实事名称</th><th>责任单位</th></tr><tr><td>1</td><td>推进就业。</td><td><p>区人社局</p><p>区妇联</p></td></tr></table>"
        ));
    }
}
