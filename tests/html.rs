//! Web pages: encodings and metadata of the fixture pages, pages without an article, page
//! chrome never reaching a record, and real gov.cn article pages against their text twins.

use noticepipe::Pipeline;
use noticepipe_tests::{
    differences, format_independent, html_pages, record_of, record_of_bytes, repo_root, to_value,
};
use serde_json::Value;

#[test]
fn pages_say_which_encoding_was_used() {
    for (rel, expected) in html_pages() {
        let Some(encoding) = expected["encoding"].as_str() else {
            continue;
        };
        let record = record_of(&rel);
        assert_eq!(record.source.encoding.as_deref(), Some(encoding), "{rel}");
    }
}

#[test]
fn page_metadata_is_kept_as_written() {
    let mut checked = 0;
    for (rel, expected) in html_pages() {
        if expected["metadata"].is_null() {
            continue;
        }
        let record = to_value(&record_of(&rel));
        let diffs = differences(&expected["metadata"], &record["source"]["metadata"]);
        assert!(diffs.is_empty(), "{rel}:\n  {}", diffs.join("\n  "));
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn pages_without_an_article_are_refused() {
    let mut checked = 0;
    for (rel, expected) in html_pages() {
        let Some(code) = expected["error"].as_str() else {
            continue;
        };
        let bytes = std::fs::read(repo_root().join(&rel)).expect("readable");
        let err = Pipeline::default()
            .process_bytes(&rel, &bytes)
            .expect_err(&rel);
        assert_eq!(err.code.as_str(), code, "{rel}: {err}");
        checked += 1;
    }
    assert_eq!(checked, 2);
}

/// Each page lists the chrome words it prints that its notice does not contain
/// (`chrome` in expected.json: footer, breadcrumb, tools, navigation, related articles).
#[test]
fn chrome_never_reaches_a_record() {
    for (rel, expected) in html_pages() {
        if expected["error"].is_string() {
            continue;
        }
        let words = expected["chrome"].as_array().expect("a chrome list");
        assert!(words.len() >= 8, "{rel}: only {words:?}");
        let mut record = to_value(&record_of(&rel));
        record["source"]["path"] = Value::Null;
        let text = record.to_string();
        for word in words.iter().filter_map(Value::as_str) {
            assert!(!text.contains(word), "{rel}: the record holds {word}");
        }
    }
}

#[test]
fn a_misnamed_page_is_read_as_html() {
    let rel = "fixtures/html/misnamed/2025-zibo.saved-page.txt";
    let record = record_of(rel);
    assert_eq!(record.source.format, noticepipe_output::SourceFormat::Html);
    assert!(
        record
            .notice
            .warnings
            .iter()
            .any(|w| w.message.contains(".txt") && w.message.contains("html"))
    );
}

#[test]
fn a_page_saved_as_text_was_never_read_as_text() {
    // The symptom: a saved page converted into a record whose preamble began
    // with "<!DOCTYPE". Every fixture page, whatever its name, is HTML now.
    for (rel, expected) in html_pages() {
        if expected["error"].is_string() {
            continue;
        }
        let record = to_value(&record_of(&rel));
        assert_eq!(record["source"]["format"], "html", "{rel}");
        assert!(!record.to_string().contains("<!DOCTYPE"), "{rel}");
    }
}

/// Real gov.cn article pages (../shared/real-gov, outside the repository: never copied
/// in) give the record of their text twins.
#[test]
fn real_gov_pages_give_the_record_of_their_text() {
    let Some(dir) = noticepipe_tests::shared_material(noticepipe_tests::Material::RealGov) else {
        return;
    };
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut pages: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "no .html pages in {}", dir.display());
    let mut failures = Vec::new();
    for page in &pages {
        let twin = page.with_extension("txt");
        let read = |p: &std::path::Path| {
            std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        };
        let html = record_of_bytes(&page.display().to_string(), &read(page));
        let txt = record_of_bytes(&twin.display().to_string(), &read(&twin));
        assert_eq!(html.source.format, noticepipe_output::SourceFormat::Html);
        let diffs = differences(&format_independent(&txt), &format_independent(&html));
        if !diffs.is_empty() {
            failures.push(format!("{}:\n  {}", page.display(), diffs.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("{} real gov.cn pages compared", pages.len());
}

/// Pages that carry only part of their notice (the title printed above the article, the
/// letterhead and document number not at all) agree with their twin on the fields they
/// carry, and give the rest as expected.json says.
#[test]
fn partial_pages_agree_with_their_twin_on_what_they_carry() {
    let mut checked = 0;
    for (rel, expected) in html_pages() {
        let Some(twin) = expected["same_as_twin"].as_str() else {
            continue;
        };
        let record = format_independent(&record_of(&rel));
        let reference = format_independent(&record_of(twin));
        for field in expected["same_fields"].as_array().expect("same_fields") {
            let field = field.as_str().expect("a field name");
            let mut actual = record[field].clone();
            let mut expected = reference[field].clone();
            if field == "attachments" {
                for a in actual.as_array_mut().expect("attachments") {
                    a["href"] = Value::Null;
                }
            }
            // Item ids derive from the record id, which a page that lacks the title or the
            // document number cannot share with its complete twin.
            if field == "items" {
                for item in actual
                    .as_array_mut()
                    .into_iter()
                    .chain(expected.as_array_mut())
                    .flatten()
                {
                    item.as_object_mut().expect("an item").remove("id");
                }
            }
            let diffs = differences(&expected, &actual);
            assert!(diffs.is_empty(), "{rel} {field}:\n  {}", diffs.join("\n  "));
        }
        for (field, value) in expected["fields"].as_object().expect("fields") {
            assert_eq!(&record[field], value, "{rel} {field}");
        }
        checked += 1;
    }
    assert!(checked > 0);
}
