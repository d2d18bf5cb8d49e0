//! The output folder: its lock, leftover temporaries, the version that made its records.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use noticepipe::FollowLinks;

/// The report in the output folder (unless `--report` names another place).
pub(super) const REPORT_FILE: &str = "report.jsonl";

/// The lock file: flock'ed for the whole run (the kernel releases it however the run
/// ends), holding the pid of the run.
const LOCK_FILE: &str = ".noticepipe.lock";

/// Names the version that made the records in the folder.
const VERSION_FILE: &str = ".noticepipe-version";

/// The output folder of a run, locked for it.
pub(super) struct OutputFolder {
    pub(super) path: PathBuf,
    _lock: File,
}

impl OutputFolder {
    /// Creates and locks `out`; an error names the folder (and the pid of the run that
    /// holds it).
    pub(super) fn open(out: &Path) -> Result<Self, String> {
        let shown = out.display();
        std::fs::create_dir_all(out)
            .map_err(|e| format!("cannot create the output folder {shown}: {e}"))?;
        let path = out
            .canonicalize()
            .map_err(|e| format!("cannot open the output folder {shown}: {e}"))?;
        let lock = lock_folder(&path).map_err(|e| format!("{shown}: {e}"))?;
        Ok(OutputFolder { path, _lock: lock })
    }

    /// Removes the temporary files a killed run left behind (ours only, by name; no other
    /// run can be writing them: we hold the lock). Links are not followed.
    pub(super) fn remove_temporaries(&self) {
        fn sweep(dir: &Path) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() {
                    sweep(&entry.path());
                } else if crate::write::is_temporary(&entry.file_name()) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        sweep(&self.path);
    }

    /// Whether the records here were made by this version of noticepipe: the version file
    /// says so, or the folder is new (no version file and no report).
    pub(super) fn records_are_current(&self) -> bool {
        let stamp = self.path.join(VERSION_FILE);
        match noticepipe::read_regular_file(&stamp, 4096, FollowLinks::No) {
            Ok(text) => text == made_by().as_bytes(),
            Err(_) => std::fs::symlink_metadata(self.path.join(REPORT_FILE)).is_err(),
        }
    }

    pub(super) fn stamp_version(&self) -> Result<(), String> {
        let stamp = self.path.join(VERSION_FILE);
        crate::write::write_atomic(&stamp, made_by().as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", stamp.display()))
    }
}

fn made_by() -> String {
    format!(
        "noticepipe {} (record schema {})\n",
        env!("CARGO_PKG_VERSION"),
        noticepipe_output::SCHEMA_VERSION
    )
}

/// Takes the folder's lock, or says which run holds it.
fn lock_folder(out: &Path) -> Result<File, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let path = out.join(LOCK_FILE);
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(libc::O_NOFOLLOW)
        .mode(0o644)
        .open(&path)
        .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = (&mut file).take(64).read_to_string(&mut holder);
            let holder = match holder.trim() {
                "" => "unknown".to_string(),
                pid => pid.to_string(),
            };
            return Err(format!(
                "the folder is in use by another noticepipe convert (pid {holder}); wait for it to end or choose another --out"
            ));
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(format!("cannot lock {}: {e}", path.display()));
        }
    }
    file.set_len(0)
        .and_then(|()| file.write_all(format!("{}\n", std::process::id()).as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(file)
}
