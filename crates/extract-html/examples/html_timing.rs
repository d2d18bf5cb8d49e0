//! Where extraction time goes on some pages: html5ever alone (through scraper) against the
//! whole extractor, in-process, N rounds: `cargo run --release -p extract-html --example
//! html_timing -- N PAGE...`

use std::time::Instant;

use docmodel::Extractor;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    let pages: Vec<Vec<u8>> = args.map(|p| std::fs::read(p).expect("readable")).collect();
    let texts: Vec<String> = pages
        .iter()
        .map(|b| encoding_rs::GB18030.decode(b).0.into_owned())
        .collect();
    let count = (rounds * pages.len()) as f64;

    let started = Instant::now();
    for _ in 0..rounds {
        for t in &texts {
            std::hint::black_box(scraper::Html::parse_document(t));
        }
    }
    let parse = started.elapsed().as_secs_f64() / count;

    let extractor = extract_html::HtmlExtractor::default();
    let started = Instant::now();
    for _ in 0..rounds {
        for p in &pages {
            std::hint::black_box(extractor.extract(p).ok());
        }
    }
    let all = started.elapsed().as_secs_f64() / count;
    println!(
        "per page: html5ever {:.3} ms, whole extractor {:.3} ms ({:.0} % in html5ever)",
        parse * 1e3,
        all * 1e3,
        parse / all * 100.0
    );
}
