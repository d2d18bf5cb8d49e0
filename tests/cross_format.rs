//! The same notice gives the same record whichever format it arrives in: every field but
//! `source` and the provenance fields is equal to the TXT record's.

use noticepipe_tests::{
    FORMATS, differences, differences_from_txt, format_independent, notices, record_of,
};

#[test]
fn every_format_gives_the_txt_record() {
    let failures = differences_from_txt("corpus", &notices(), FORMATS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn items_carry_provenance_in_every_format() {
    for name in notices() {
        for ext in FORMATS {
            let record = record_of(&format!("corpus/{name}.{ext}"));
            assert!(
                record.notice.items.iter().all(|i| i.provenance.is_some()),
                "{name}.{ext}"
            );
        }
    }
}

/// The corpus notice with its "一、…" markers removed from the text and drawn by Word's
/// automatic numbering instead (fixtures/docx/make_fixtures.py), with the default tab after
/// the label and without: the same record as the TXT.
#[test]
fn automatically_numbered_docx_gives_the_txt_record() {
    let reference = format_independent(&record_of("corpus/2025-zibo.txt"));
    for rel in [
        "fixtures/docx/2025-zibo-autonumbered.docx",
        "fixtures/docx/2025-zibo-autonumbered-tab.docx",
    ] {
        let diffs = differences(&reference, &format_independent(&record_of(rel)));
        assert!(diffs.is_empty(), "{rel}:\n  {}", diffs.join("\n  "));
    }
}
