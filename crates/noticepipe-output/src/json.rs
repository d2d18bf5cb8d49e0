//! The record serialized: pretty JSON (record files, `parse`) and JSON lines (`--jsonl`).

use crate::Record;

/// The record as pretty JSON with a final newline (the `parse` and file output form).
pub fn to_pretty_json(record: &Record) -> String {
    let mut s = serde_json::to_string_pretty(record).expect("a record serializes");
    s.push('\n');
    s
}

/// Room for a record line from the start (the samples' lines are 10–20 KB): `to_string`
/// starts at 128 bytes and doubles seven times, copying the line each time.
const LINE_CAPACITY: usize = 24 * 1024;

/// The record as one line of JSON with a final newline (the JSONL form).
pub fn to_json_line(record: &Record) -> String {
    let mut line = Vec::with_capacity(LINE_CAPACITY);
    sonic_rs::to_writer(&mut line, record).expect("a record serializes");
    line.push(b'\n');
    // SAFETY: sonic-rs writes only UTF-8 (its own `to_string` makes its String the same
    // way), and a newline keeps it UTF-8. Checking it again would cost as much as writing.
    unsafe { String::from_utf8_unchecked(line) }
}
