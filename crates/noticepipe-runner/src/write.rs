//! Files written whole or not at all: records, report.jsonl, the version stamp, export's
//! tables. A temporary file beside the destination, renamed over it.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Temporary files are `.noticepipe-XXXXXXXXXX.tmp`: a short name whatever the record's
/// (a record name may take all 255 bytes a file name can have), random so that nobody can
/// plant a link there in advance.
const TEMPORARY_PREFIX: &str = ".noticepipe-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// A new, empty temporary file in `dir`, made by the `tempfile` crate: created with
/// `O_CREAT | O_EXCL` (so a link planted at its name is never followed) and `O_CLOEXEC`,
/// under a random name, with the permissions `File::create` gives (0666 less the umask:
/// records are for others to read). Dropped without being persisted, it is removed.
pub fn temporary_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    use std::os::unix::fs::PermissionsExt;
    tempfile::Builder::new()
        .prefix(TEMPORARY_PREFIX)
        .suffix(TEMPORARY_SUFFIX)
        .rand_bytes(10)
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)
}

/// Whether `name` is one of our temporary files (of any run, and of the versions before
/// this one: `.report.jsonl.tmp` and `.NAME.json.PID.tmp`), which a run that was killed
/// leaves behind.
pub fn is_temporary(name: &OsStr) -> bool {
    let name = name.as_encoded_bytes();
    let ours = name.starts_with(TEMPORARY_PREFIX.as_bytes())
        && name.ends_with(TEMPORARY_SUFFIX.as_bytes());
    let old_report = name == b".report.jsonl.tmp";
    let old_record = name.starts_with(b".")
        && name
            .strip_suffix(b".tmp")
            .and_then(|rest| rest.rsplit(|&b| b == b'.').next().map(|pid| (rest, pid)))
            .is_some_and(|(rest, pid)| {
                !pid.is_empty()
                    && pid.iter().all(u8::is_ascii_digit)
                    && rest[..rest.len() - pid.len()].ends_with(b".json.")
            });
    ours || old_report || old_record
}

/// Bytes written to a temporary file beside their destination, not yet in place:
/// [`Staged::commit`] renames them over it, dropping removes them. The batch stages a
/// record, writes its JSON line, and only then commits, so that a record on disk means
/// every output of its input was written.
pub struct Staged {
    file: tempfile::NamedTempFile,
    path: PathBuf,
}

/// Writes `bytes` to a temporary file beside `path` (parent directories are created).
pub fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<Staged> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut file = temporary_file_in(dir)?;
    file.write_all(bytes)?;
    Ok(Staged {
        file,
        path: path.to_path_buf(),
    })
}

impl Staged {
    /// Renames the bytes into place. rename(2) replaces whatever is at the path — a link
    /// included, which is never followed.
    pub fn commit(self) -> std::io::Result<()> {
        self.file.persist(&self.path).map(drop).map_err(|e| e.error)
    }
}

/// Writes `bytes` to `path` so that `path` either keeps its old content or holds all of
/// the new: [`stage`] then [`Staged::commit`].
///
/// A process that dies or is interrupted leaves whole records only (and temporary files,
/// which the next batch run removes). The file is not fsync'ed: that tripled the cost of a
/// record, and after a power loss a torn record is caught by the batch's resume check (it
/// does not parse) and converted again.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    stage(path, bytes)?.commit()
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
    fn a_link_at_the_record_path_is_replaced_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let path = dir.path().join("x.json");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        write_atomic(&path, b"record").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
    }

    #[test]
    fn temporary_names_are_short_and_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let file = temporary_file_in(dir.path()).unwrap();
        let name = file.path().file_name().unwrap();
        assert!(name.len() <= 30 && is_temporary(name), "{name:?}");
        for old in [".report.jsonl.tmp", ".x.pdf.json.4242.tmp"] {
            assert!(is_temporary(OsStr::new(old)), "{old}");
        }
        for theirs in ["keep.tmp", ".x.pdf.json", ".notes.tmp", "x.json.12.tmp"] {
            assert!(!is_temporary(OsStr::new(theirs)), "{theirs}");
        }
    }

    #[test]
    fn a_dropped_stage_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        drop(stage(&dir.path().join("x.json"), b"record").unwrap());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
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
