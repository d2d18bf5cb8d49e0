//! The record noticepipe emits for every document, and the writers that put it on disk.
//!
//! The field names and warning codes here are a contract with downstream systems:
//! add fields (and bump the minor `schema_version`), never rename or repurpose them.
//! `schema/record.schema.json` is generated from these types (`noticepipe schema`).

mod record;
mod write;

pub use record::*;
pub use write::{
    Staged, is_temporary, stage, temporary_file_in, to_json_line, to_pretty_json, write_atomic,
};

/// The JSON Schema of [`Record`], as committed in `schema/record.schema.json`.
pub fn record_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Record)).expect("a schema serializes")
}
