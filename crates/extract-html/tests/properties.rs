//! No page panics the extractor, and what it returns keeps the block model's invariants:
//! proptest over mutated fixture pages and over tag soup.

use docmodel::{BlockKind, Document, Extractor};
use extract_html::HtmlExtractor;
use proptest::prelude::*;

const PAGES: &[&[u8]] = &[
    include_bytes!("../../../fixtures/html/samples/2023-zibo.html"),
    include_bytes!("../../../fixtures/html/samples/2024-zichuan.html"),
    include_bytes!("../../../fixtures/html/mhtml/2024-zichuan.blink-qp.mhtml"),
];

fn check(doc: &Document) {
    for (i, block) in doc.blocks.iter().enumerate() {
        assert_eq!(block.prov.index as usize, i);
        match &block.kind {
            BlockKind::Paragraph(t) => assert!(!t.trim().is_empty()),
            BlockKind::Table(t) => {
                let width = t.rows.first().map_or(0, Vec::len);
                assert!(t.rows.iter().all(|r| r.len() == width), "ragged table");
                assert!(
                    t.rows
                        .iter()
                        .flatten()
                        .flat_map(|c| &c.paragraphs)
                        .all(|p| !p.trim().is_empty())
                );
            }
            BlockKind::Furniture { text, .. } => assert!(!text.trim().is_empty()),
        }
    }
}

fn extract(bytes: &[u8]) {
    if let Ok(doc) = HtmlExtractor::default().extract(bytes) {
        check(&doc);
    }
}

const SOUP: &[&str] = &[
    "<p>",
    "</p>",
    "<div id=zoom>",
    "</div>",
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "<td rowspan=3>",
    "<td colspan=2>",
    "</td>",
    "<br>",
    "<span>",
    "</span>",
    "<font>",
    "<a href=x.docx>",
    "</a>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "<tbody>",
    "<li>",
    "<h1>",
    "一、推进就业。",
    "（责任单位：区妇联）",
    "各区县：",
    "2025年3月23日",
    "&nbsp;",
    "\u{3000}",
    " ",
    "\n",
    "<meta charset=gbk>",
    "<style>",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn mutated_pages_never_panic(
        page in 0..PAGES.len(),
        cut in 0.0f64..1.0,
        flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 0..20),
    ) {
        let mut bytes = PAGES[page].to_vec();
        for (at, byte) in flips {
            let i = (at * bytes.len() as f64) as usize % bytes.len();
            bytes[i] = byte;
        }
        bytes.truncate(((cut * bytes.len() as f64) as usize).max(1));
        extract(&bytes);
    }

    #[test]
    fn tag_soup_never_panics(parts in proptest::collection::vec(0..SOUP.len(), 0..200)) {
        let page: String = parts.iter().map(|&i| SOUP[i]).collect();
        extract(page.as_bytes());
    }
}
