//! Prints the blocks of each given DOCX as JSON lines: `cargo run -p extract-docx --example docx_dump -- FILE…`
use docmodel::Extractor;

fn main() {
    let x = extract_docx::DocxExtractor::default();
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        match x.extract(&bytes) {
            Ok(doc) => {
                println!(
                    "# {path} {}",
                    serde_json::to_string(&doc.info).unwrap_or_default()
                );
                // Debug, not JSON: docmodel's internally tagged `BlockKind::Paragraph(String)`
                // does not serialize with serde_json.
                for b in &doc.blocks {
                    println!("{:>3} p{:?} {:?}", b.prov.index, b.prov.page, b.kind);
                }
            }
            Err(e) => println!("# {path}: error[{}] {}", e.code, e.message),
        }
    }
}
