//! Prints the blocks `PdfExtractor` produces for a PDF, one JSON object per line.
//! `cargo run -p extract-pdf --example pdf_dump -- corpus/2024-zichuan.pdf`
use docmodel::{BlockKind, Extractor};

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE.pdf");
    let bytes = std::fs::read(&path).expect("read");
    match extract_pdf::PdfExtractor::default().extract(&bytes) {
        Ok(doc) => {
            println!("{:?}", doc.info);
            for b in &doc.blocks {
                let page = b.prov.page.unwrap_or(0);
                match &b.kind {
                    BlockKind::Paragraph(t) => {
                        println!("p{page} P {}", serde_json::to_string(t).unwrap())
                    }
                    BlockKind::Furniture { role, text } => println!("p{page} F {role:?} {text:?}"),
                    BlockKind::Table(t) => {
                        println!("p{page} TABLE {} rows", t.rows.len());
                        for r in &t.rows {
                            println!(
                                "   | {}",
                                r.iter()
                                    .map(|c| format!("{:?}", c.paragraphs))
                                    .collect::<Vec<_>>()
                                    .join(" | ")
                            );
                        }
                    }
                }
            }
        }
        Err(e) => {
            eprintln!("error[{}]: {}", e.code, e.message);
            std::process::exit(1);
        }
    }
}
