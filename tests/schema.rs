//! The committed JSON Schema is the one the record types generate, and every golden
//! record validates against it.

use noticepipe_tests::repo_root;

#[test]
fn committed_schema_is_current() {
    let path = repo_root().join("schema/record.schema.json");
    let generated =
        serde_json::to_string_pretty(&noticepipe_output::record_schema()).unwrap() + "\n";
    if std::env::var_os("NOTICEPIPE_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/record.schema.json is stale: run `cargo run -p noticepipe-cli -- schema > schema/record.schema.json`"
    );
}

/// Validates every golden record against `schema`; returns how many there were.
fn validate_golden_records(schema: &serde_json::Value) -> usize {
    let validator = jsonschema::validator_for(schema).expect("a valid schema");
    let mut count = 0;
    for entry in std::fs::read_dir(repo_root().join("fixtures/golden")).unwrap() {
        let path = entry.unwrap().path();
        let record: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        // A minor version: a reader of any 1.x accepts "1.y".
        assert!(record["schema_version"].as_str().unwrap().starts_with("1."));
        let errors: Vec<String> = validator
            .iter_errors(&record)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {}",
            path.display(),
            errors.join("; ")
        );
        count += 1;
    }
    count
}

#[test]
fn every_golden_record_validates() {
    let count = validate_golden_records(&noticepipe_output::record_schema());
    assert!(count >= 5, "only {count} golden records");
}

#[test]
fn a_record_missing_a_contract_field_does_not_validate() {
    let validator = jsonschema::validator_for(&noticepipe_output::record_schema()).unwrap();
    let golden = repo_root().join("fixtures/golden/2024-zichuan.txt.json");
    let mut record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(golden).unwrap()).unwrap();
    record.as_object_mut().unwrap().remove("items");
    assert!(!validator.is_valid(&record));
}

/// A 1.1 record is a 1.0 record with fields added: every golden record still validates
/// against the 1.0 schema (schema/record-1.0.schema.json, kept as it was released), so a
/// 1.0 consumer reads it.
#[test]
fn every_golden_record_is_still_a_1_0_record() {
    let path = repo_root().join("schema/record-1.0.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(validate_golden_records(&schema) >= 5);
}
