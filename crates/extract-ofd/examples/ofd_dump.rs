//! Prints the blocks of an OFD: `cargo run -p extract-ofd --example ofd_dump -- FILE.ofd`.

use docmodel::{BlockKind, Extractor};

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable");
        match extract_ofd::OfdExtractor::default().extract(&bytes) {
            Err(e) => println!("{path}: error[{}]: {e}", e.code),
            Ok(doc) => {
                println!("{path}: {:?}", doc.info);
                for b in &doc.blocks {
                    let page = b.prov.page.unwrap_or(0);
                    match &b.kind {
                        BlockKind::Paragraph(t) => println!("[p{page}] {t:?}"),
                        BlockKind::Furniture { role, text } => {
                            println!("[p{page} {role:?}] {text:?}")
                        }
                        BlockKind::Table(t) => {
                            println!("[p{page} table {}x{}]", t.rows.len(), t.rows[0].len());
                            for r in &t.rows {
                                let cells: Vec<String> =
                                    r.iter().map(|c| c.paragraphs.join("/")).collect();
                                println!("   | {}", cells.join(" | "));
                            }
                        }
                    }
                }
            }
        }
    }
}
