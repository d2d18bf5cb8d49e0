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

/// The record id names the notice, not the file: equal in every format of one notice,
/// different between notices; item ids are the record id and the item's number.
#[test]
fn ids_are_equal_across_formats_and_distinct_between_notices() {
    let mut ids = std::collections::BTreeMap::new();
    for name in notices() {
        let reference = record_of(&format!("corpus/{name}.txt"));
        for ext in FORMATS {
            let record = record_of(&format!("corpus/{name}.{ext}"));
            assert_eq!(record.id, reference.id, "{name}.{ext}");
            for item in &record.notice.items {
                assert_eq!(item.id, format!("{}-{}", record.id, item.number));
            }
        }
        assert!(reference.id.starts_with("np-") && reference.id.len() == 19);
        if let Some(other) = ids.insert(reference.id.clone(), name.clone()) {
            panic!("{name} and {other} share the id {}", reference.id);
        }
    }
}

/// Fixed-layout formats say where on the page: every item of a PDF has a bounding box on
/// its page, as do the head fields; text formats have none.
#[test]
fn pdf_provenance_carries_the_bounding_box() {
    for name in notices() {
        let record = record_of(&format!("corpus/{name}.pdf"));
        for item in &record.notice.items {
            let prov = item.provenance.expect("provenance");
            let [x0, y0, x1, y1] = prov.bbox.expect("a bbox");
            assert!(
                x0 < x1 && y0 < y1 && x0 >= 0.0 && prov.page.is_some(),
                "{name}: {prov:?}"
            );
        }
        let title = record.notice.provenance.title.expect("title provenance");
        assert!(title.bbox.is_some(), "{name}");
        let txt = record_of(&format!("corpus/{name}.txt"));
        assert!(
            txt.notice
                .items
                .iter()
                .all(|i| i.provenance.unwrap().bbox.is_none())
        );
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

/// Every sample rendered as a government web page (five CMS layouts, charset and MHTML
/// variants, a two-row table header, a linked attachment; fixtures/html/make_pages.py)
/// gives the record of its TXT twin. What a page adds on purpose is checked and then set
/// aside: the `extension_mismatch` warning of a misnamed page, an attachment's `href`.
#[test]
fn every_html_page_gives_the_txt_record() {
    let mut failures = Vec::new();
    let mut compared = 0;
    for (rel, expected) in noticepipe_tests::html_pages() {
        let Some(twin) = expected["twin"].as_str() else {
            continue;
        };
        let record = record_of(&rel);
        assert_eq!(
            record.source.format,
            noticepipe_output::SourceFormat::Html,
            "{rel}"
        );
        let mut actual = format_independent(&record);
        let extra: Vec<&str> = expected["warnings"]
            .as_array()
            .map(|w| w.iter().filter_map(|c| c.as_str()).collect())
            .unwrap_or_default();
        let warnings = actual["warnings"].as_array_mut().expect("warnings");
        for code in &extra {
            let at = warnings.iter().position(|w| w["code"] == *code);
            assert!(at.is_some(), "{rel}: no {code} warning");
            warnings.remove(at.expect("checked"));
        }
        let hrefs: Vec<serde_json::Value> = actual["attachments"]
            .as_array_mut()
            .expect("attachments")
            .iter_mut()
            .map(|a| a["href"].take())
            .filter(|h| !h.is_null())
            .collect();
        let wanted = expected["hrefs"].as_array().cloned().unwrap_or_default();
        assert_eq!(hrefs, wanted, "{rel}: attachment hrefs");
        let diffs = differences(&format_independent(&record_of(twin)), &actual);
        if !diffs.is_empty() {
            failures.push(format!(
                "{rel} differs from {twin}:\n  {}",
                diffs.join("\n  ")
            ));
        }
        compared += 1;
    }
    assert!(compared >= 5, "only {compared} pages compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
