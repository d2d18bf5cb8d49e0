//! TXT decoding, layout and the notice parser on arbitrary bytes.
#![no_main]

use docmodel::Extractor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = extract_txt::TxtExtractor::default().extract(data) {
        let _ = notice_parser::parse(&doc);
    }
});
