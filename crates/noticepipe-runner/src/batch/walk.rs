//! The walk: inputs and folders to the jobs of a run (record paths included), with the
//! `--include`/`--exclude` globs, hidden entries, links and the run's own outputs.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::SkipReason;

/// Which files a folder walk picks up, besides the document extensions: glob patterns
/// (`**/2024/*.pdf`) matched against the path below the input folder. Files named as
/// inputs are always taken.
#[derive(Debug, Clone, Default)]
pub struct WalkFilter {
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

impl WalkFilter {
    /// A filter from `--include` and `--exclude` patterns; an empty list does not filter.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self, String> {
        fn set(patterns: &[String]) -> Result<Option<globset::GlobSet>, String> {
            if patterns.is_empty() {
                return Ok(None);
            }
            let mut builder = globset::GlobSetBuilder::new();
            for pattern in patterns {
                let glob = globset::GlobBuilder::new(pattern)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| format!("{pattern:?} is not a glob pattern: {e}"))?;
                builder.add(glob);
            }
            builder.build().map(Some).map_err(|e| e.to_string())
        }
        Ok(WalkFilter {
            include: set(include)?,
            exclude: set(exclude)?,
        })
    }

    /// Why a file at `rel` (relative to its input folder) is left out, if it is.
    fn rejects(&self, rel: &Path) -> Option<SkipReason> {
        if self.include.as_ref().is_some_and(|g| !g.is_match(rel)) {
            return Some(SkipReason::NotIncluded);
        }
        if self.exclude.as_ref().is_some_and(|g| g.is_match(rel)) {
            return Some(SkipReason::Excluded);
        }
        None
    }
}

/// One file to convert and where its record goes (nowhere when only streaming).
#[derive(Debug, Clone)]
pub struct Job {
    /// The file to convert.
    pub input: PathBuf,
    /// The record file to write; None when records are only streamed.
    pub output: Option<PathBuf>,
}

/// What the walk found: jobs, and inputs skipped with the reason.
pub struct Plan {
    /// The files to convert, in walk order.
    pub jobs: Vec<Job>,
    /// Inputs not to convert, with the reason.
    pub skipped: Vec<(PathBuf, SkipReason)>,
    /// Inputs that fail before conversion, with the reason, reported as `io` errors: folders
    /// or entries that cannot be listed, FIFOs, devices and broken links found in a folder,
    /// and inputs whose record path another input already takes (the same relative name
    /// under two input roots; never overwritten).
    pub failed: Vec<(PathBuf, String)>,
}

/// Walks the inputs. Directory entries are visited in name order, so runs are repeatable.
/// An input that does not exist is an error naming it.
pub fn plan(inputs: &[PathBuf], out: Option<&Path>, filter: &WalkFilter) -> Result<Plan, String> {
    plan_without(inputs, out, filter, &[])
}

/// A file's identity: device and inode.
pub(super) type FileId = (u64, u64);

pub(super) fn file_id(meta: &std::fs::Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// [`plan`], with the files `own` names (the run's own outputs) skipped wherever they are
/// found, under any name or link.
pub(super) fn plan_without(
    inputs: &[PathBuf],
    out: Option<&Path>,
    filter: &WalkFilter,
    own: &[FileId],
) -> Result<Plan, String> {
    let walker = Walker {
        out,
        filter,
        formats: noticepipe::Pipeline::default(),
        own,
    };
    let mut plan = Plan {
        jobs: Vec::new(),
        skipped: Vec::new(),
        failed: Vec::new(),
    };
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| format!("{}: {e}", input.display()))?;
        if meta.is_dir() {
            walker.walk(input, input, &mut plan);
        } else if own.contains(&file_id(&meta)) {
            plan.skipped.push((input.clone(), SkipReason::RunOutput));
        } else {
            // Whatever it is: a FIFO or a device named here is refused when it is read.
            let name = input
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_else(|| input.clone());
            plan.jobs.push(Job {
                input: input.clone(),
                output: out.map(|o| record_path(o, &name)),
            });
        }
    }
    let mut taken: std::collections::HashMap<PathBuf, PathBuf> = std::collections::HashMap::new();
    let jobs = std::mem::take(&mut plan.jobs);
    for job in jobs {
        match job.output.as_ref().and_then(|o| taken.get(o)) {
            Some(first) => plan.failed.push((
                job.input,
                format!(
                    "its record would overwrite the record of {} (the same name under another input); convert them into separate folders",
                    first.display()
                ),
            )),
            None => {
                if let Some(output) = &job.output {
                    taken.insert(output.clone(), job.input.clone());
                }
                plan.jobs.push(job);
            }
        }
    }
    Ok(plan)
}

/// What a folder walk needs besides the folder: where records go (never walked into), the
/// include/exclude filter, and the extractors that say which extensions are documents.
struct Walker<'a> {
    out: Option<&'a Path>,
    filter: &'a WalkFilter,
    formats: noticepipe::Pipeline,
    /// The run's own output files, never inputs.
    own: &'a [FileId],
}

impl Walker<'_> {
    /// Walks `dir`. A folder that cannot be listed is recorded in `plan.failed` and the
    /// walk goes on: one bad folder does not stop a batch. Every entry gets a place in the
    /// plan, so every one gets a report line.
    fn walk(&self, root: &Path, dir: &Path, plan: &mut Plan) {
        let out = self.out;
        let listed =
            std::fs::read_dir(dir).and_then(|entries| entries.collect::<Result<Vec<_>, _>>());
        let mut entries = match listed {
            Ok(entries) => entries,
            Err(e) => {
                plan.failed
                    .push((dir.to_path_buf(), format!("cannot list the folder: {e}")));
                return;
            }
        };
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let hidden = entry.file_name().as_bytes().starts_with(b".");
            let kind = match entry.file_type() {
                Ok(kind) => kind,
                Err(e) => {
                    plan.failed
                        .push((path, format!("cannot read the entry: {e}")));
                    continue;
                }
            };
            // Never descend into the output directory when it sits inside an input (`out` is
            // canonical; directories are few, so canonicalizing them is cheap).
            if kind.is_dir() && out.is_some() && path.canonicalize().ok().as_deref() == out {
                continue;
            }
            if hidden {
                plan.skipped.push((path, SkipReason::Hidden));
            } else if kind.is_dir() {
                self.walk(root, &path, plan);
            } else if kind.is_symlink() {
                match std::fs::metadata(&path) {
                    Ok(target) if target.is_dir() => {
                        plan.skipped.push((path, SkipReason::LinkToFolder))
                    }
                    // A link to a file counts as that file; to a FIFO or device, it is refused
                    // when read.
                    Ok(_) => self.add_document(root, path, plan),
                    Err(e) => plan
                        .failed
                        .push((path, format!("a broken symbolic link: {e}"))),
                }
            } else if kind.is_file() {
                self.add_document(root, path, plan);
            } else {
                let what = noticepipe::kind_name(kind);
                plan.failed
                    .push((path, format!("not a regular file ({what})")));
            }
        }
    }

    /// A file found by the walk: a job if its extension names a document, else skipped.
    fn add_document(&self, root: &Path, path: PathBuf, plan: &mut Plan) {
        let (out, filter) = (self.out, self.filter);
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        // One stat a file, and only when the run writes a stream into a file.
        let own = !self.own.is_empty()
            && std::fs::metadata(&path).is_ok_and(|m| self.own.contains(&file_id(&m)));
        if own {
            plan.skipped.push((path, SkipReason::RunOutput));
        } else if let Some(reason) = filter.rejects(&rel) {
            plan.skipped.push((path, reason));
        } else if ext.is_some_and(|e| self.formats.format_of_extension(&e).is_some()) {
            plan.jobs.push(Job {
                output: out.map(|o| record_path(o, &rel)),
                input: path,
            });
        } else {
            plan.skipped.push((path, SkipReason::NotADocument));
        }
    }
}

/// The longest file name Linux file systems take, in bytes.
const NAME_MAX: usize = 255;

/// `OUT/a/b/x.pdf` + ".json". A name that ".json" would push past [`NAME_MAX`] bytes is cut
/// to 233 bytes (at a character boundary) and given `~` and 16 hex digits of its sha256, so
/// that it stays unique and the resume check finds it again.
fn record_path(out: &Path, rel: &Path) -> PathBuf {
    let name = rel.file_name().unwrap_or(rel.as_os_str()).as_bytes();
    let mut record_name = name.to_vec();
    if name.len() + ".json".len() > NAME_MAX {
        let digest = noticepipe::sha256_hex(name);
        let mut keep = NAME_MAX - ".json".len() - 1 - 16;
        if std::str::from_utf8(name).is_ok() {
            while std::str::from_utf8(&name[..keep]).is_err() {
                keep -= 1;
            }
        }
        record_name = name[..keep].to_vec();
        record_name.push(b'~');
        record_name.extend(&digest.as_bytes()[..16]);
    }
    record_name.extend(b".json");
    let record_name = std::ffi::OsStr::from_bytes(&record_name);
    match rel.parent() {
        Some(parent) => out.join(parent).join(record_name),
        None => out.join(record_name),
    }
}
