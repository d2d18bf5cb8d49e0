//! The same notice saved as GB18030 with CRLF line ends, or as UTF-16LE with a BOM,
//! gives the same record as the UTF-8 file, but for `source`.

use noticepipe_tests::{
    differences, format_independent, notices, record_of, record_of_bytes, repo_root,
};

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[test]
fn gb18030_crlf_and_utf16le_bom_give_the_utf8_record() {
    for name in notices() {
        let rel = format!("corpus/{name}.txt");
        let utf8 = std::fs::read_to_string(repo_root().join(&rel)).unwrap();
        let reference = record_of(&rel);
        let crlf = utf8.replace('\n', "\r\n");
        let (gb, _, unmappable) = encoding_rs::GB18030.encode(&crlf);
        assert!(!unmappable);
        let variants = [
            ("GB18030", gb.into_owned()),
            ("UTF-16LE", utf16le_with_bom(&utf8)),
        ];
        for (encoding, bytes) in variants {
            let record = record_of_bytes(&format!("{name}.{encoding}.txt"), &bytes);
            assert_eq!(record.source.encoding.as_deref(), Some(encoding), "{name}");
            let diffs = differences(
                &format_independent(&reference),
                &format_independent(&record),
            );
            assert!(
                diffs.is_empty(),
                "{name} as {encoding}:\n  {}",
                diffs.join("\n  ")
            );
        }
    }
}
