//! The streams written as the run goes: report.jsonl and the JSONL records.

use std::fs::File;
use std::io::{Seek, Write};
use std::path::Path;

use super::SinkSpec;
use super::folder::REPORT_FILE;

/// Appends `bytes` to `file` (at `*len`) whole or not at all: after a failed write (a full
/// disk) the file is cut back to `*len`, so no torn line is left for the next to follow.
/// Files that cannot be cut (a pipe, a device) are left as they are.
fn append_whole(file: &mut File, len: &mut u64, bytes: &[u8]) -> std::io::Result<()> {
    match file.write_all(bytes) {
        Ok(()) => {
            *len += bytes.len() as u64;
            Ok(())
        }
        Err(e) => {
            if file.metadata().is_ok_and(|m| m.is_file()) {
                let _ = file.set_len(*len);
                let _ = file.seek(std::io::SeekFrom::Start(*len));
            }
            Err(e)
        }
    }
}

/// A stream of JSON lines written as the run goes (report lines, records): one write per
/// line, whole or not at all, so a run killed at any moment leaves every finished line
/// whole. A failed write is said once on stderr; later lines are still tried.
pub(super) struct LineSink {
    /// The file's path, or "standard output", for messages.
    pub(super) name: String,
    pub(super) target: SinkTarget,
    len: u64,
    /// Set at the first line that could not be written.
    failed: bool,
}

pub(super) enum SinkTarget {
    Stdout,
    File(File),
}

/// Space reserved for each line of the report at the start of the run, so that the report
/// can still be written when the records have filled the disk.
const REPORT_BYTES_PER_LINE: u64 = 512;

impl LineSink {
    pub(super) fn open(spec: &SinkSpec) -> Result<LineSink, String> {
        Ok(match spec {
            SinkSpec::Stdout => LineSink::new("standard output".into(), SinkTarget::Stdout),
            SinkSpec::File(path) => {
                let file = File::create(path)
                    .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
                LineSink::new(path.display().to_string(), SinkTarget::File(file))
            }
        })
    }

    fn new(name: String, target: SinkTarget) -> Self {
        LineSink {
            name,
            target,
            len: 0,
            failed: false,
        }
    }

    /// A new, empty report.jsonl in `out`, replacing the last run's: created under a
    /// temporary name (exclusively, never through a link) and renamed at once. Space for
    /// `lines` lines is reserved past its end (fallocate KEEP_SIZE; where the file system
    /// cannot, nothing is reserved).
    pub(super) fn report_in(out: &Path, lines: usize) -> Result<LineSink, String> {
        let path = out.join(REPORT_FILE);
        let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        let file = crate::write::temporary_file_in(out)
            .map_err(fail)?
            .persist(&path)
            .map_err(|e| fail(e.error))?;
        let reserve = (lines as u64).saturating_mul(REPORT_BYTES_PER_LINE);
        if reserve > 0 {
            use std::os::fd::AsRawFd;
            // SAFETY: fallocate on an open descriptor; failure only means no reservation.
            unsafe {
                libc::fallocate(
                    file.as_raw_fd(),
                    libc::FALLOC_FL_KEEP_SIZE,
                    0,
                    reserve as libc::off_t,
                );
            }
        }
        Ok(LineSink::new(
            path.display().to_string(),
            SinkTarget::File(file),
        ))
    }

    pub(super) fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        let result = match &mut self.target {
            SinkTarget::Stdout => {
                let mut stdout = std::io::stdout().lock();
                stdout.write_all(line).and_then(|()| stdout.flush())
            }
            SinkTarget::File(file) => append_whole(file, &mut self.len, line),
        };
        if let Err(e) = &result
            && e.kind() != std::io::ErrorKind::BrokenPipe
            && !self.failed
        {
            eprintln!("error: cannot write {}: {e}", self.name);
            self.failed = true;
        }
        result
    }

    /// Gives back the space reserved past the end; whether every line was written.
    pub(super) fn finish(self) -> bool {
        if let SinkTarget::File(file) = &self.target {
            let _ = file.set_len(self.len);
        }
        !self.failed
    }
}
