//! The Markdown extractor (decoding, pulldown-cmark events, front matter, soft-break
//! decisions, HTML blocks) and the notice parser on arbitrary bytes.
#![no_main]

#[path = "own_panics.rs"]
mod own_panics;

use docmodel::Extractor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    own_panics::install();
    let md = extract_md::MdExtractor::default();
    let _ = md.recognizes(data);
    if let Ok(doc) = md.extract(data) {
        let _ = notice_parser::parse(&doc);
    }
});
