//! Notices of the whole genre, written the way other governments write them
//! (fixtures/genre: 工作方案, notes first or on their own lines, verb notes, two-level lists,
//! lists that are only a table, joint issuance, 函 …): every format gives the hand-checked
//! fields of fixtures/genre/expected, and the same record as its TXT.

use noticepipe_tests::{
    differences, differences_from_txt, format_independent, names_with_expectations, record_of,
    repo_root, to_value,
};
use serde_json::{Value, json};

const GENRE_FORMATS: &[&str] = &["txt", "docx", "pdf"];

fn genre_notices() -> Vec<String> {
    let names = names_with_expectations("fixtures/genre/expected");
    assert!(
        names.len() >= 12,
        "fewer genre notices than expected: {names:?}"
    );
    names
}

/// The fields fixtures/genre/expected gives, read from a record in the same shape.
fn key_fields(record: &Value) -> Value {
    let items: Vec<Value> = record["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            json!({"number": i["number"], "title": i["title"], "category": i["category"],
                   "lead_units": i["lead_units"], "responsible_units": i["responsible_units"],
                   "deadline": i["deadline"]})
        })
        .collect();
    let attachments: Vec<Value> = record["attachments"]
        .as_array()
        .expect("attachments")
        .iter()
        .map(|a| {
            let rows: Vec<Value> = a["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .map(|r| json!({"number": r["number"], "name": r["name"], "lead_units": r["lead_units"], "responsible_units": r["responsible_units"]}))
                .collect();
            json!({"title": a["title"], "rows": rows})
        })
        .collect();
    let mut codes: Vec<Value> = record["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w["code"].clone())
        .collect();
    codes.sort_by_key(|c| c.to_string());
    json!({
        "issuer": record["issuer"], "issuers": record["issuers"], "title": record["title"],
        "doc_number": record["doc_number"], "date": record["date"], "items": items,
        "attachments": attachments, "warning_codes": codes,
    })
}

#[test]
fn genre_notices_give_their_hand_checked_fields_in_every_format() {
    let mut failures = Vec::new();
    for name in genre_notices() {
        let path = repo_root().join(format!("fixtures/genre/expected/{name}.json"));
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for ext in GENRE_FORMATS {
            let rel = format!("fixtures/genre/{name}.{ext}");
            let diffs = differences(&expected, &key_fields(&to_value(&record_of(&rel))));
            if !diffs.is_empty() {
                failures.push(format!("{rel}:\n  {}", diffs.join("\n  ")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn genre_notices_give_one_record_whatever_the_format() {
    let failures = differences_from_txt("fixtures/genre", &genre_notices(), GENRE_FORMATS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A notice printed from its web page by Chromium: the table runs over a page break and
/// its header row is repeated; the record is the TXT record's.
#[test]
fn chromium_printed_pdf_gives_the_txt_record() {
    let reference = format_independent(&record_of("corpus/2024-zichuan.txt"));
    let rel = "fixtures/genre/2024-zichuan-chromium.pdf";
    let diffs = differences(&reference, &format_independent(&record_of(rel)));
    assert!(diffs.is_empty(), "{rel}:\n  {}", diffs.join("\n  "));
}
