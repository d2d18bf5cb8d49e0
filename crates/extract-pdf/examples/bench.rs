//! Per-file timing of `PdfExtractor` (and, for comparison, `pdf_extract::extract_text`).
//! `cargo run --release -p extract-pdf --example bench -- corpus/*.pdf`
//! `BENCH_ITERS=200` sets the loop count; `BENCH_PDF_EXTRACT=1` also times pdf-extract.
//! `BENCH_FLIP=N` instead runs N byte-flipped copies of each file and counts the outcomes.
use docmodel::Extractor;
use std::time::Instant;

fn main() {
    let iters: u32 = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let ex = extract_pdf::PdfExtractor::default();
    let flips: u64 = std::env::var("BENCH_FLIP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("read");
        if flips > 0 {
            let mut seed = 0x2545_F491_4F6C_DD1Du64;
            let mut rnd = move || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            let mut counts = std::collections::BTreeMap::new();
            let t = Instant::now();
            for _ in 0..flips {
                let mut b = bytes.clone();
                for _ in 0..(1 + rnd() % 8) {
                    let at = (rnd() % b.len() as u64) as usize;
                    b[at] ^= 1 << (rnd() % 8);
                }
                let k = match ex.extract(&b) {
                    Ok(_) => "ok".to_string(),
                    Err(e) => e.code.to_string(),
                };
                *counts.entry(k).or_insert(0) += 1;
            }
            println!(
                "{path}: {flips} flipped copies in {:?}: {counts:?}",
                t.elapsed()
            );
            continue;
        }
        ex.extract(&bytes).expect("extract");
        let t = Instant::now();
        for _ in 0..iters {
            std::hint::black_box(ex.extract(&bytes).expect("extract"));
        }
        let ours = t.elapsed().as_secs_f64() * 1000.0 / f64::from(iters);
        print!(
            "{path}: extract-pdf {ours:.2} ms/file ({:.0} files/s)",
            1000.0 / ours
        );
        if std::env::var("BENCH_PDF_EXTRACT").is_ok() {
            let n = (iters / 10).max(1);
            let t = Instant::now();
            for _ in 0..n {
                std::hint::black_box(pdf_extract::extract_text_from_mem(&bytes).ok());
            }
            let theirs = t.elapsed().as_secs_f64() * 1000.0 / f64::from(n);
            print!(
                "; pdf_extract::extract_text {theirs:.2} ms/file ({:.0} files/s)",
                1000.0 / theirs
            );
        }
        println!();
    }
}
