use std::io::Write;
use std::path::Path;

use crate::Record;

/// The record as pretty JSON with a final newline (the `parse` and file output form).
pub fn to_pretty_json(record: &Record) -> String {
    let mut s = serde_json::to_string_pretty(record).expect("a record serializes");
    s.push('\n');
    s
}

/// The record as one line of JSON with a final newline (the JSONL form).
pub fn to_json_line(record: &Record) -> String {
    let mut s = serde_json::to_string(record).expect("a record serializes");
    s.push('\n');
    s
}

/// Writes `bytes` to `path` so that `path` either keeps its old content or holds all of
/// the new: the bytes go to a temporary file beside it, which is renamed over `path`.
/// Parent directories are created.
///
/// A process that dies or is interrupted leaves whole records only. The file is not
/// fsync'ed: that tripled the cost of a record, and after a power loss a torn record is
/// caught by the batch's resume check (it does not parse) and converted again.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("no file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/x.pdf.json");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("x.pdf.json")]);
    }

    #[test]
    fn failed_write_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should go makes the rename fail.
        let path = dir.path().join("taken");
        std::fs::create_dir(path.join("inner"))
            .or_else(|_| std::fs::create_dir_all(path.join("inner")))
            .unwrap();
        assert!(write_atomic(&path, b"x").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("taken")]);
    }
}
