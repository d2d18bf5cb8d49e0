//! Prints the block model of web pages, one block a line, for debugging:
//! `cargo run -p extract-html --example blocks -- PAGE...`

use docmodel::{BlockKind, Extractor};

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        match extract_html::HtmlExtractor::default().extract(&bytes) {
            Err(e) => println!("{path}: error[{}]: {e}", e.code),
            Ok(doc) => {
                println!(
                    "{path}: encoding {:?}, title {:?}",
                    doc.info.encoding, doc.info.title
                );
                for block in &doc.blocks {
                    let line = match &block.kind {
                        BlockKind::Paragraph(t) => format!("P  {t}"),
                        BlockKind::Table(t) => {
                            format!("T  {} rows: {:?}", t.rows.len(), t.rows.first())
                        }
                        BlockKind::Furniture { role, text } => format!("F  {role:?}: {text}"),
                    };
                    println!("{:4} {line}", block.prov.index);
                }
                println!("page: {:?}\nlinks: {:?}", doc.info.page, doc.info.links);
            }
        }
    }
}
