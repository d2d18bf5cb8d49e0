//! Prints what OCR reads on a page image or a scanned PDF: each line with its confidence,
//! the skew undone, and the time per page.
//!     cargo run --release -p extract-ocr --example ocr -- FILE [keep|seals|all]
use docmodel::Extractor;
use extract_ocr::{Ocr, OcrSettings, RedInk};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bytes = std::fs::read(&args[0]).expect("read");
    let red_ink = match args.get(1).map(String::as_str) {
        Some("keep") => RedInk::Keep,
        Some("all") => RedInk::All,
        _ => RedInk::Seals,
    };
    let ocr = Ocr::new(OcrSettings {
        red_ink,
        ..Default::default()
    });
    let start = std::time::Instant::now();
    let doc = if bytes.starts_with(b"%PDF") {
        extract_pdf::PdfExtractor {
            ocr: Some(std::sync::Arc::new(ocr)),
            ..Default::default()
        }
        .extract(&bytes)
    } else {
        extract_ocr::ImageExtractor { ocr }.extract(&bytes)
    }
    .unwrap_or_else(|e| panic!("{e}"));
    let secs = start.elapsed().as_secs_f32();
    let info = doc.info.ocr.as_ref().expect("OCR was used");
    for l in &info.lines {
        println!("{} {:.3} {}", l.page, l.confidence, l.text);
    }
    eprintln!(
        "{}: {} pages OCR'd in {secs:.1} s ({:.2} s/page), mean confidence {:.3}",
        info.engine,
        info.pages.len(),
        secs / info.pages.len().max(1) as f32,
        info.mean_confidence()
    );
}
