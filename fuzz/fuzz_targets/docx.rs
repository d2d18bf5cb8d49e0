//! DOCX extraction (zip checks, XML, numbering, docx-rs) and the parser on arbitrary bytes.
#![no_main]

use docmodel::Extractor;
use libfuzzer_sys::fuzz_target;

#[path = "own_panics.rs"]
mod own_panics;

fuzz_target!(|data: &[u8]| {
    own_panics::install();
    if let Ok(doc) = extract_docx::DocxExtractor::default().extract(data) {
        let _ = notice_parser::parse(&doc);
    }
});
