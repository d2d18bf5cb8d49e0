//! `export`: records gathered from record files, folders of records or notices, and the
//! tables of `noticepipe-export` written next to each other in one folder.

use std::path::{Path, PathBuf};

use noticepipe::ErrorCode;
use noticepipe_output::Record;

use crate::worker::{Forms, Runner};
use noticepipe::PipelineError;

/// Most bytes of one record file read (a record is ~10 KB).
const MAX_RECORD_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The files `write_tables` writes, by name.
pub const TABLES: [&str; 5] = [
    "items.csv",
    "units.csv",
    "quantities.csv",
    "items.xlsx",
    "progress.xlsx",
];

/// Bytes read from a file's head to tell records from notices.
const SNIFF_BYTES: usize = 64;

/// Records from each input, each file read for what it is: a file of JSON (it opens with
/// `{`) holds records — one, or one a line — and any other file is a notice, parsed by
/// `runner`. A folder is walked recursively (hidden entries and symbolic links skipped) and
/// every file in it read so. A run report (`report.jsonl`, which `convert --out` writes
/// beside its records) is no record and is passed over. Sorted by source path; what could
/// not be read is returned beside.
pub fn gather(inputs: &[PathBuf], runner: &Runner) -> (Vec<Record>, Vec<PipelineError>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut files, &mut errors);
        } else {
            files.push(input.clone());
        }
    }
    for file in files {
        let read = match holds_json(&file) {
            Ok(true) => read_records(&file),
            Ok(false) => runner
                .process(
                    &file,
                    Forms {
                        pretty: false,
                        line: true,
                    },
                )
                .and_then(|p| record_from_json(&file, &p.line).map(|r| vec![r])),
            Err(e) => Err(e),
        };
        match read {
            Ok(found) => records.extend(found),
            Err(e) => errors.push(e),
        }
    }
    records.sort_by(|a, b| a.source.path.cmp(&b.source.path));
    (records, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<PipelineError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return errors.push(io_error(dir, &e.to_string())),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_none_or(|n| n.starts_with('.'));
        if hidden || path.is_symlink() {
            continue;
        }
        if path.is_dir() {
            walk(&path, files, errors);
        } else {
            files.push(path);
        }
    }
}

/// Whether `path` holds JSON: its first character other than white space (after a UTF-8
/// byte-order mark) is `{`. No notice format opens so.
fn holds_json(path: &Path) -> Result<bool, PipelineError> {
    use std::io::Read;
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path)
        .and_then(|f| f.take(SNIFF_BYTES as u64).read_to_end(&mut head))
        .map_err(|e| io_error(path, &e.to_string()))?;
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    Ok(head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'))
}

/// Whether a JSON line is an entry of a run report (`report.jsonl`): it has the report's
/// `status` and no record's `schema_version`.
fn is_run_report_line(value: &serde_json::Value) -> bool {
    value.get("status").is_some() && value.get("schema_version").is_none()
}

/// The records of a JSON file: one record, or one a line (JSON Lines). A run report's
/// lines give none.
fn read_records(path: &Path) -> Result<Vec<Record>, PipelineError> {
    let bytes = noticepipe::read_input(path, MAX_RECORD_FILE_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|_| not_a_record(path, "it is not UTF-8"))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).peekable();
    let first: Option<serde_json::Value> = lines.peek().and_then(|l| serde_json::from_str(l).ok());
    match first {
        // One JSON value a line.
        Some(value) if is_run_report_line(&value) => Ok(Vec::new()),
        Some(_) => lines.map(|l| record_from_json(path, l)).collect(),
        // One JSON value over many lines (a pretty record).
        None => record_from_json(path, text).map(|r| vec![r]),
    }
}

/// A record from its JSON. A 1.0 record (made before `issuers`, `units_notes` and
/// `lead_units` existed) reads with those empty; a record made before 1.2 gets its ids.
fn record_from_json(path: &Path, json: &str) -> Result<Record, PipelineError> {
    let mut record: Record =
        serde_json::from_str(json).map_err(|e| not_a_record(path, &e.to_string()))?;
    if record.id.is_empty() {
        record.stamp_ids();
    }
    Ok(record)
}

fn not_a_record(path: &Path, why: &str) -> PipelineError {
    PipelineError {
        path: path.display().to_string(),
        code: ErrorCode::NotText,
        message: format!("not a noticepipe record: {why}"),
    }
}

fn io_error(path: &Path, why: &str) -> PipelineError {
    PipelineError {
        path: path.display().to_string(),
        code: ErrorCode::Io,
        message: why.to_string(),
    }
}

/// Writes the [`TABLES`] of `notices` into `out` (created if missing), each file whole or
/// not at all. Returns the paths written.
pub fn write_tables(
    notices: &[noticepipe_output::NoticeFiles],
    out: &Path,
) -> Result<Vec<PathBuf>, PipelineError> {
    std::fs::create_dir_all(out).map_err(|e| io_error(out, &e.to_string()))?;
    let xlsx = |r: Result<Vec<u8>, noticepipe_export::ExportError>| {
        r.map_err(|e| io_error(out, &e.to_string()))
    };
    let contents: [Vec<u8>; 5] = [
        noticepipe_export::items_csv(notices).into_bytes(),
        noticepipe_export::units_csv(notices).into_bytes(),
        noticepipe_export::quantities_csv(notices).into_bytes(),
        xlsx(noticepipe_export::items_xlsx(notices))?,
        xlsx(noticepipe_export::progress_xlsx(notices))?,
    ];
    let mut written = Vec::new();
    for (name, bytes) in TABLES.iter().zip(contents) {
        let path = out.join(name);
        crate::write::write_atomic(&path, &bytes).map_err(|e| io_error(&path, &e.to_string()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_1_0_record_reads_with_the_1_1_lists_empty() {
        let golden = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/golden/2024-zichuan.txt.json"
        );
        let mut value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(golden).unwrap()).unwrap();
        let object = value.as_object_mut().unwrap();
        object.remove("issuers");
        for item in object["items"].as_array_mut().unwrap() {
            let item = item.as_object_mut().unwrap();
            item.remove("units_notes");
            item.remove("lead_units");
        }
        for row in object["attachments"][0]["rows"].as_array_mut().unwrap() {
            row.as_object_mut().unwrap().remove("lead_units");
        }
        let record = record_from_json(Path::new("old.json"), &value.to_string()).unwrap();
        assert!(record.notice.issuers.is_empty());
        assert_eq!(
            record.notice.items[0].responsible_units,
            ["区人社局", "区妇联"]
        );
        // Without the 1.2 ids, they are derived again.
        let object = value.as_object_mut().unwrap();
        let golden_id = object["id"].as_str().unwrap().to_string();
        object.remove("id");
        for item in object["items"].as_array_mut().unwrap() {
            item.as_object_mut().unwrap().remove("id");
        }
        let record = record_from_json(Path::new("old.json"), &value.to_string()).unwrap();
        assert_eq!(record.id, golden_id);
        assert_eq!(record.notice.items[2].id, format!("{golden_id}-3"));
        assert!(record_from_json(Path::new("x.json"), "{}").is_err());
    }
}
