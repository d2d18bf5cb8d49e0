//! Records agree with the hand-checked fields in fixtures/expected/ on every field given
//! there, for every format.

use noticepipe_tests::{FORMATS, differences, key_fields, notices, record_of, repo_root, to_value};
use serde_json::{Value, json};

#[test]
fn records_agree_with_the_hand_checked_fields() {
    let mut failures = Vec::new();
    for name in notices() {
        let path = repo_root().join(format!("fixtures/expected/{name}.json"));
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for ext in FORMATS {
            let rel = format!("corpus/{name}.{ext}");
            let diffs = differences(&expected, &key_fields(&to_value(&record_of(&rel))));
            if !diffs.is_empty() {
                failures.push(format!("{rel}:\n  {}", diffs.join("\n  ")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn zichuan_item_10_keeps_both_unit_names_and_warns() {
    let record = to_value(&record_of("corpus/2024-zichuan.txt"));
    assert_eq!(record["items"][9]["responsible_units"], json!(["区教育局"]));
    assert_eq!(
        record["attachments"][0]["rows"][9]["responsible_units"],
        json!(["区教体局"])
    );
    let warnings: Vec<&Value> = record["warnings"].as_array().unwrap().iter().collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["code"], "units_mismatch");
    assert_eq!(warnings[0]["item"], 10);
}
