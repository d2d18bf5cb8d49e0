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

/// A 1.3 record is a 1.2, 1.1 and 1.0 record with fields and codes added: every golden
/// record still validates against the released schemas (schema/record-1.0.schema.json,
/// record-1.1.schema.json and record-1.2.schema.json, kept as they were released), so their
/// consumers read it.
#[test]
fn every_golden_record_is_still_a_1_0_1_1_and_1_2_record() {
    for release in ["1.0", "1.1", "1.2"] {
        let path = repo_root().join(format!("schema/record-{release}.schema.json"));
        let mut schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        // A released schema pins its own version ("const": "1.2"); its reader takes any 1.y.
        if let Some(version) = schema["properties"]["schema_version"].as_object_mut() {
            version.remove("const");
        }
        // …and the keys a later 1.y added (1.3's item `quantities` and `canonical_units`):
        // the released schema forbids unknown keys to catch typos in its own version's
        // records, not to refuse a later minor's additions.
        allow_added_keys(&mut schema);
        assert!(validate_golden_records(&schema) >= 5, "{release}");
    }
}

/// Drops every `"additionalProperties": false` of `schema`.
fn allow_added_keys(schema: &mut serde_json::Value) {
    match schema {
        serde_json::Value::Object(map) => {
            if map.get("additionalProperties") == Some(&serde_json::Value::Bool(false)) {
                map.remove("additionalProperties");
            }
            map.values_mut().for_each(allow_added_keys);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(allow_added_keys),
        _ => {}
    }
}

/// A 1.3 record read by a 1.2 reader's types (serde ignores the keys it does not know):
/// every 1.2 field is there, with its 1.2 meaning.
#[test]
fn a_1_3_record_reads_as_1_2_items() {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // read to prove the shape, not used
    struct Item12 {
        id: String,
        number: u32,
        marker: String,
        title: String,
        body: String,
        category: Option<String>,
        lead_units: Vec<String>,
        responsible_units: Vec<String>,
        units_notes: Vec<String>,
        deadline: Option<String>,
        provenance: Option<serde_json::Value>,
    }
    let record = golden_record();
    for item in record["items"].as_array().unwrap() {
        let mut item = item.clone();
        let added = ["quantities", "canonical_units"];
        for key in added {
            assert!(item.get(key).is_some(), "1.3 adds {key}");
            item.as_object_mut().unwrap().remove(key);
        }
        // With the 1.3 additions set aside, nothing else is new or missing.
        serde_json::from_value::<Item12>(item).expect("a 1.2 item");
    }
}

/// The golden record of 2024-zichuan.txt, as JSON.
fn golden_record() -> serde_json::Value {
    let golden = repo_root().join("fixtures/golden/2024-zichuan.txt.json");
    serde_json::from_str(&std::fs::read_to_string(golden).unwrap()).unwrap()
}

/// Each way a record can be wrong, applied to a valid record, must be refused.
#[test]
fn the_schema_rejects_what_is_not_a_record() {
    let validator = jsonschema::validator_for(&noticepipe_output::record_schema()).unwrap();
    let valid = golden_record();
    assert!(validator.is_valid(&valid));
    type Breakage = (&'static str, fn(&mut serde_json::Value));
    let cases: &[Breakage] = &[
        ("date deleted", |r| {
            drop(r.as_object_mut().unwrap().remove("date"))
        }),
        ("title deleted", |r| {
            drop(r.as_object_mut().unwrap().remove("title"))
        }),
        ("issuer deleted", |r| {
            drop(r.as_object_mut().unwrap().remove("issuer"))
        }),
        ("id deleted", |r| {
            drop(r.as_object_mut().unwrap().remove("id"))
        }),
        ("date in words", |r| r["date"] = "28 March".into()),
        ("date out of range", |r| r["date"] = "2025-13-40".into()),
        ("schema_version 9.9", |r| r["schema_version"] = "9.9".into()),
        ("sha256 not hex", |r| r["source"]["sha256"] = "xyz".into()),
        ("item number 0", |r| r["items"][0]["number"] = 0.into()),
        ("item id not ours", |r| {
            r["items"][0]["id"] = "item-1".into()
        }),
        ("unknown top-level key", |r| r["extra"] = true.into()),
        ("unknown item key", |r| r["items"][0]["extra"] = true.into()),
        ("item provenance without block", |r| {
            drop(
                r["items"][0]["provenance"]
                    .as_object_mut()
                    .unwrap()
                    .remove("block"),
            )
        }),
        ("page 0", |r| r["items"][0]["provenance"]["page"] = 0.into()),
        (
            "warning code unknown",
            |r| r["warnings"] = serde_json::json!([{"code": "oops", "message": "", "item": null}]),
        ),
        ("printed date in words", |r| {
            r["printed"] = serde_json::json!({"by": null, "date": "March"})
        }),
    ];
    for (what, break_it) in cases {
        let mut record = valid.clone();
        break_it(&mut record);
        assert!(!validator.is_valid(&record), "{what}: accepted");
    }
}

/// Every property of every object in the schema says what it is.
#[test]
fn every_property_has_a_description() {
    fn undocumented(value: &serde_json::Value, at: &str, out: &mut Vec<String>) {
        if let Some(object) = value.as_object() {
            if let Some(properties) = object.get("properties").and_then(|p| p.as_object()) {
                for (name, property) in properties {
                    if property.get("description").is_none() {
                        out.push(format!("{at}.{name}"));
                    }
                }
            }
            for (key, child) in object {
                undocumented(child, &format!("{at}/{key}"), out);
            }
        }
    }
    let mut missing = Vec::new();
    undocumented(&noticepipe_output::record_schema(), "", &mut missing);
    assert!(missing.is_empty(), "no description: {missing:?}");
}
