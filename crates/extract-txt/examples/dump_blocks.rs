//! Prints the blocks of a text file: `cargo run -p extract-txt --example dump_blocks FILE`.
use docmodel::{BlockKind, Extractor};

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump_blocks FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    match extract_txt::TxtExtractor::default().extract(&bytes) {
        Ok(doc) => {
            for b in &doc.blocks {
                match &b.kind {
                    BlockKind::Table(t) => {
                        for row in &t.rows {
                            println!(
                                "{:>4} ROW {:?}",
                                b.prov.line.unwrap_or(0),
                                row.iter()
                                    .map(|c| c.paragraphs.join("|"))
                                    .collect::<Vec<_>>()
                            );
                        }
                    }
                    other => println!("{:>4} {:?}", b.prov.line.unwrap_or(0), other),
                }
            }
        }
        Err(e) => println!("error[{}]: {e}", e.code),
    }
}
