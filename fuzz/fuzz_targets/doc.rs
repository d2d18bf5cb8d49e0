//! DOC/WPS extraction (cfb compound file, FIB, piece table, PAPX/FKP, styles, list tables,
//! tables, fields) and the parser on arbitrary bytes.
#![no_main]

use docmodel::Extractor;
use libfuzzer_sys::fuzz_target;

#[path = "own_panics.rs"]
mod own_panics;

fuzz_target!(|data: &[u8]| {
    own_panics::install();
    if let Ok(doc) = extract_doc::DocExtractor::default().extract(data) {
        let _ = notice_parser::parse(&doc);
    }
});
