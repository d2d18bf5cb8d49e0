//! A ZIP container read under [`Limits`]: entry count, declared sizes, and actual
//! inflation (capped with `take()`, so a lying header cannot make us allocate).
//!
//! Shared by every reader of a ZIP-based format (DOCX, OFD) and by the sniffer, which looks
//! at the entry names to tell them apart: one capped reader, not one per format. The XML of
//! the parts is read with the helpers of [`xml`], one copy for both readers.
//!
//! ```
//! let bytes = std::fs::read("../../corpus/2025-zibo.docx")?;
//! assert!(zip_container::has_zip_magic(&bytes));
//! let mut package = zip_container::Package::open(&bytes, &zip_container::Limits::default())?;
//! assert!(package.contains("word/document.xml"));
//! let xml = package.read("word/document.xml")?.expect("the main part");
//! assert!(xml.starts_with(b"<?xml"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod xml;

use std::io::{Cursor, Read};

use zip::ZipArchive;

const MIB: u64 = 1024 * 1024;

/// What a reader lets a ZIP cost. Each format's reader sets them from its own `Limits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most entries the ZIP may list (checked on the end-of-central-directory record's claim
    /// before the ZIP reader allocates for it).
    pub max_entries: usize,
    /// Largest inflated size of one entry: declared more is refused unread; inflating past
    /// it (a lying header) is cut off and refused.
    pub max_part_bytes: u64,
    /// Largest inflated size of all entries read, summed.
    pub max_total_bytes: u64,
}

impl Default for Limits {
    /// 10,000 entries, 64 MiB an entry, 256 MiB in all.
    fn default() -> Self {
        Limits {
            max_entries: 10_000,
            max_part_bytes: 64 * MIB,
            max_total_bytes: 256 * MIB,
        }
    }
}

/// Why a ZIP could not be read. Readers map these to their own errors (`corrupt_zip`,
/// `too_large`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Not a readable ZIP archive (truncated, bad central directory, unreadable entry).
    #[error("{0}")]
    Corrupt(String),
    /// Beyond a [`Limits`] bound; the message says which.
    #[error("{0}")]
    TooLarge(String),
}

pub use docmodel::human_size as human;

/// Whether `bytes` open like a ZIP archive (a local file header or an empty archive's end
/// record): what a sniffer checks before looking at entry names.
pub fn has_zip_magic(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The package opened for a look at its entry names: only the central directory is read,
/// and a part read from it is capped at 4 KiB (enough for an ODF `mimetype`).
pub fn peek(bytes: &[u8]) -> Result<Package<'_>, Error> {
    let limits = Limits {
        max_part_bytes: 4096,
        ..Default::default()
    };
    Package::open(bytes, &limits)
}

/// An open ZIP archive over borrowed bytes, with the bytes it has inflated so far counted
/// against its [`Limits`].
pub struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    /// Inflated bytes read so far, against `max_total_bytes`.
    used: u64,
}

impl<'a> Package<'a> {
    /// Opens `bytes` as a ZIP under `limits`: reads the central directory only, refusing
    /// more entries than `limits.max_entries`.
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, Error> {
        // The zip crate reserves room for as many entries as the end-of-central-directory
        // record claims (bounded only by the directory offset), so check the claim first.
        if let Some(claimed) = claimed_entries(bytes)
            && claimed > limits.max_entries as u64
        {
            return Err(too_many(claimed, limits));
        }
        let archive =
            ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::Corrupt(e.to_string()))?;
        if archive.len() > limits.max_entries {
            return Err(too_many(archive.len() as u64, limits));
        }
        Ok(Package {
            archive,
            limits: *limits,
            used: 0,
        })
    }

    /// Whether the archive has an entry named exactly `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// The entry names, in central-directory order (nothing is inflated).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.archive.file_names()
    }

    /// Entries in the archive.
    pub fn len(&self) -> usize {
        self.archive.len()
    }

    /// Whether the archive has no entries.
    pub fn is_empty(&self) -> bool {
        self.archive.is_empty()
    }

    /// The inflated bytes of part `name`, `None` if the ZIP has no such entry.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let max_part = self.limits.max_part_bytes;
        let left = self.limits.max_total_bytes.saturating_sub(self.used);
        let entry = self
            .archive
            .by_index(index)
            .map_err(|e| Error::Corrupt(format!("{name}: {e}")))?;
        let declared = entry.size();
        if declared > max_part {
            return Err(Error::TooLarge(format!(
                "{name} declares {declared} bytes inflated, beyond the {} per-part limit",
                human(max_part)
            )));
        }
        if declared > left {
            return Err(Error::TooLarge(format!(
                "{name} would take the parts read beyond the {} total limit",
                human(self.limits.max_total_bytes)
            )));
        }
        let cap = max_part.min(left);
        // Pre-allocate what the header declares (already bounded by `cap`), at most 4 MiB.
        let mut buf = Vec::with_capacity(declared.min(4 * 1024 * 1024) as usize);
        entry
            .take(cap + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::Corrupt(format!("{name}: {e}")))?;
        if buf.len() as u64 > cap {
            let what = if cap == max_part {
                format!("the {} per-part limit", human(max_part))
            } else {
                format!("the {} total limit", human(self.limits.max_total_bytes))
            };
            return Err(Error::TooLarge(format!(
                "{name} inflates beyond {what} (it declares {declared} bytes)"
            )));
        }
        self.used += buf.len() as u64;
        Ok(Some(buf))
    }
}

fn too_many(entries: u64, limits: &Limits) -> Error {
    Error::TooLarge(format!(
        "the ZIP lists {entries} entries, beyond the limit of {}",
        limits.max_entries
    ))
}

fn u16_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?) as u64)
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The largest entry count claimed by any end-of-central-directory record in the last
/// 64 KiB + 22 bytes (where the format puts it), following a ZIP64 locator when present.
fn claimed_entries(bytes: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let from = bytes.len().saturating_sub(22 + 65_535);
    let to = bytes.len().saturating_sub(21).max(from);
    let mut max = None;
    // memmem forward (vector code; the reverse search is not), not a compare at every
    // position: the sniffer and the reader both ask this of every DOCX, and the last 64 KiB
    // are most of a notice's file. Every record counts, so the order does not matter.
    // A record starts before `to` (22 bytes from the end at the latest).
    let window = &bytes[from..(to + EOCD.len() - 1).min(bytes.len())];
    for at in memchr::memmem::find_iter(window, EOCD).map(|at| from + at) {
        let mut n = u16_at(bytes, at + 8)?.max(u16_at(bytes, at + 10)?);
        // ZIP64: locator 20 bytes before, pointing at the ZIP64 record.
        if let Some(loc) = at.checked_sub(20)
            && bytes.get(loc..loc + 4) == Some(b"PK\x06\x07")
            && let Some(rec) = u64_at(bytes, loc + 8).and_then(|r| usize::try_from(r).ok())
            && bytes.get(rec..rec + 4) == Some(b"PK\x06\x06")
        {
            n = n
                .max(u64_at(bytes, rec + 24)?)
                .max(u64_at(bytes, rec + 32)?);
        }
        max = Some(max.map_or(n, |m: u64| m.max(n)));
    }
    max
}

/// The name of a part that a package refers to as `target` from the folder `base_dir`
/// (`word/` + `../customXml/item1.xml` → `customXml/item1.xml`; `/Doc_0/Document.xml` is
/// from the root): `.` and `..` resolved, `\` read as `/` (some OFD producers write it).
pub fn resolve_part(base_dir: &str, target: &str) -> String {
    let target = target.trim().replace('\\', "/");
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_owned(),
        None => format!("{base_dir}{target}"),
    };
    let mut segs: Vec<&str> = Vec::new();
    for s in joined.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    segs.join("/")
}

/// The folder of a part, with its slash: `word/document.xml` → `word/`; `OFD.xml` → ``.
pub fn dir_of(part: &str) -> &str {
    match part.rfind('/') {
        Some(i) => &part[..=i],
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_names_resolve_against_their_folder() {
        assert_eq!(
            resolve_part("", "/Doc_0/Document.xml"),
            "Doc_0/Document.xml"
        );
        assert_eq!(resolve_part("", "Doc_0/Document.xml"), "Doc_0/Document.xml");
        assert_eq!(
            resolve_part("Doc_0/", "Pages/Page_0/Content.xml"),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(
            resolve_part("Doc_0/Pages/", "../Res\\a.xml"),
            "Doc_0/Res/a.xml"
        );
        assert_eq!(
            resolve_part("word/", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(dir_of("Doc_0/Document.xml"), "Doc_0/");
        assert_eq!(dir_of("OFD.xml"), "");
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human(64 << 20), "64 MiB");
        assert_eq!(human(20 << 10), "20 KiB");
        assert_eq!(human(1000), "1000 bytes");
    }
}
