//! `export`: records gathered from record files, folders of records or notices, and the
//! tables of `noticepipe-export` written next to each other in one folder.

use std::path::{Path, PathBuf};

use docmodel::ErrorCode;
use noticepipe_output::Record;

use crate::PipelineError;
use crate::worker::{Forms, Runner};

/// Most bytes of one record file read (a record is ~10 KB).
const MAX_RECORD_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The files `write_tables` writes, by name.
pub const TABLES: [&str; 4] = ["items.csv", "units.csv", "items.xlsx", "progress.xlsx"];

/// Records from each input: a `.json` record, a `.jsonl` of records, a folder (its `.json`
/// records, walked recursively, hidden entries skipped), or any other file, a notice parsed
/// by `runner`. Sorted by their source path; what could not be read is returned beside.
pub fn gather(inputs: &[PathBuf], runner: &Runner) -> (Vec<Record>, Vec<PipelineError>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk_json(input, &mut files, &mut errors);
        } else {
            files.push(input.clone());
        }
    }
    for file in files {
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        let read = match ext {
            "json" => read_records(&file, false),
            "jsonl" => read_records(&file, true),
            _ => runner
                .process(
                    &file,
                    Forms {
                        pretty: false,
                        line: true,
                    },
                )
                .and_then(|p| record_from_json(&file, &p.line).map(|r| vec![r])),
        };
        match read {
            Ok(found) => records.extend(found),
            Err(e) => errors.push(e),
        }
    }
    records.sort_by(|a, b| a.source.path.cmp(&b.source.path));
    (records, errors)
}

fn walk_json(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<PipelineError>) {
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
            walk_json(&path, files, errors);
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
}

fn read_records(path: &Path, lines: bool) -> Result<Vec<Record>, PipelineError> {
    let bytes = crate::read_input(path, MAX_RECORD_FILE_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|_| not_a_record(path, "it is not UTF-8"))?;
    if lines {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| record_from_json(path, l))
            .collect()
    } else {
        record_from_json(path, &text).map(|r| vec![r])
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

/// Writes the [`TABLES`] of `records` into `out` (created if missing), each file whole or
/// not at all. Returns the paths written.
pub fn write_tables(records: &[Record], out: &Path) -> Result<Vec<PathBuf>, PipelineError> {
    std::fs::create_dir_all(out).map_err(|e| io_error(out, &e.to_string()))?;
    let xlsx = |r: Result<Vec<u8>, noticepipe_export::ExportError>| {
        r.map_err(|e| io_error(out, &e.to_string()))
    };
    let contents: [Vec<u8>; 4] = [
        noticepipe_export::items_csv(records).into_bytes(),
        noticepipe_export::units_csv(records).into_bytes(),
        xlsx(noticepipe_export::items_xlsx(records))?,
        xlsx(noticepipe_export::progress_xlsx(records))?,
    ];
    let mut written = Vec::new();
    for (name, bytes) in TABLES.iter().zip(contents) {
        let path = out.join(name);
        noticepipe_output::write_atomic(&path, &bytes)
            .map_err(|e| io_error(&path, &e.to_string()))?;
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
