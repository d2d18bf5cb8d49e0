//! The record noticepipe emits for every document: the contract, its JSON Schema, and its
//! serialized forms (pretty JSON, JSON lines). Writing files is the runner's
//! (`noticepipe-runner`).
//!
//! The field names and warning codes here are a contract with downstream systems:
//! add fields (and bump the minor `schema_version`), never rename or repurpose them.
//! `schema/record.schema.json` is generated from these types (`noticepipe schema`).
//!
//! ```
//! let json = std::fs::read_to_string("../../fixtures/golden/2025-zibo.txt.json")?;
//! let record: noticepipe_output::Record = serde_json::from_str(&json)?;
//! assert_eq!(record.schema_version, noticepipe_output::SCHEMA_VERSION);
//! let line = noticepipe_output::to_json_line(&record);
//! assert!(line.ends_with('\n') && !line.trim_end().contains('\n'));
//! let schema = noticepipe_output::record_schema();
//! assert_eq!(schema["properties"]["schema_version"]["const"], noticepipe_output::SCHEMA_VERSION);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod group;
mod json;
mod record;

pub use group::{NoticeFiles, by_notice};
pub use json::{to_json_line, to_pretty_json};
pub use record::*;

/// The JSON Schema of [`Record`], as committed in `schema/record.schema.json`: strict (see
/// [`strict_schema`]), with `schema_version` a constant.
pub fn record_schema() -> serde_json::Value {
    let mut schema = strict_schema(
        schemars::schema_for!(Record),
        "https://noticepipe.invalid/schema/record.schema.json",
    );
    schema["properties"]["schema_version"] = serde_json::json!({
        "description": schema["properties"]["schema_version"]["description"],
        "const": SCHEMA_VERSION,
    });
    schema
}

/// A generated schema made strict, as a contract should be: every property of every object
/// is required (nullable ones take null) and no other property is allowed; `$id` is set.
pub fn strict_schema(schema: schemars::Schema, id: &str) -> serde_json::Value {
    fn tighten(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(object) => {
                if let Some(serde_json::Value::Object(properties)) = object.get("properties") {
                    let names: Vec<serde_json::Value> =
                        properties.keys().map(|k| k.as_str().into()).collect();
                    object.insert("required".into(), names.into());
                    object.insert("additionalProperties".into(), false.into());
                }
                object.values_mut().for_each(tighten);
            }
            serde_json::Value::Array(values) => values.iter_mut().for_each(tighten),
            _ => {}
        }
    }
    let mut schema = serde_json::to_value(schema).expect("a schema serializes");
    tighten(&mut schema);
    let object = schema.as_object_mut().expect("a schema object");
    let mut ordered = serde_json::Map::new();
    for key in ["$schema", "$id"] {
        let value = match key {
            "$id" => Some(id.into()),
            _ => object.remove(key),
        };
        if let Some(value) = value {
            ordered.insert(key.into(), value);
        }
    }
    ordered.extend(std::mem::take(object));
    serde_json::Value::Object(ordered)
}
