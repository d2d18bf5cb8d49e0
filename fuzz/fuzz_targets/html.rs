//! The web page extractor (MHTML, charset, html5ever, article finding, tables) and the
//! notice parser on arbitrary bytes.
#![no_main]

#[path = "own_panics.rs"]
mod own_panics;

use docmodel::Extractor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    own_panics::install();
    if let Ok(doc) = extract_html::HtmlExtractor::default().extract(data) {
        let _ = notice_parser::parse(&doc);
    }
});
