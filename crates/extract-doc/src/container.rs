//! The compound file (OLE2 / CFB) around a Word document, through the `cfb` crate.
//!
//! `cfb` checks the FAT when it opens a file: a sector pointed to twice is refused and a
//! chain that comes back to its start is refused, so no chain can loop (the DIFAT chain is
//! checked for repeats too). What is left to us is the size of what we read: every stream's
//! declared size is checked against [`Limits::max_stream_bytes`] before it is read, and
//! the read itself is capped.

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::{Error, Limits, human};

pub(crate) struct Container<'a> {
    cfb: cfb::CompoundFile<Cursor<&'a [u8]>>,
}

/// What a compound file holds, by its streams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    /// Microsoft Works word processor (`CONTENTS`, the other `.wps`).
    Works,
    Excel,
    PowerPoint,
    /// An OOXML file encrypted with a password (`EncryptionInfo` + `EncryptedPackage`).
    EncryptedOoxml,
    /// Something else; the root's stream names, for the message.
    Other(Vec<String>),
}

impl<'a> Container<'a> {
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Self, Error> {
        let opened = catch_unwind(AssertUnwindSafe(|| {
            cfb::CompoundFile::open(Cursor::new(bytes))
        }));
        match opened {
            Ok(Ok(cfb)) => Ok(Container { cfb }),
            Ok(Err(e)) => Err(Error::CorruptOle(e.to_string())),
            Err(panic) => Err(Error::Panic(format!(
                "cfb panicked opening the compound file: {}",
                docmodel::panic_message(&*panic)
            ))),
        }
    }

    fn has_stream(&self, name: &str) -> bool {
        self.cfb.is_stream(name)
    }

    pub(crate) fn kind(&self) -> Kind {
        if self.has_stream("WordDocument") {
            Kind::Word
        } else if self.has_stream("EncryptedPackage") {
            Kind::EncryptedOoxml
        } else if self.has_stream("CONTENTS") || self.has_stream("MatOST") {
            Kind::Works
        } else if self.has_stream("Workbook") || self.has_stream("Book") {
            Kind::Excel
        } else if self.has_stream("PowerPoint Document") {
            Kind::PowerPoint
        } else {
            let names = self
                .cfb
                .read_root_storage()
                .take(8)
                .map(|e| e.name().to_owned())
                .collect();
            Kind::Other(names)
        }
    }

    /// A stream's bytes, or `None` if there is no such stream. Refused unread when it
    /// declares more than the limit; the read is capped in case the declaration lies.
    pub(crate) fn read(&mut self, name: &str, limits: &Limits) -> Result<Option<Vec<u8>>, Error> {
        if !self.has_stream(name) {
            return Ok(None);
        }
        let max = limits.max_stream_bytes;
        let read = catch_unwind(AssertUnwindSafe(|| -> Result<Vec<u8>, Error> {
            let mut s = self
                .cfb
                .open_stream(name)
                .map_err(|e| Error::CorruptOle(format!("stream {name}: {e}")))?;
            let declared = s.len();
            if declared > max {
                return Err(Error::TooLarge(format!(
                    "the {name} stream declares {declared} bytes, beyond the {} per-stream limit",
                    human(max)
                )));
            }
            let mut out = Vec::with_capacity(declared as usize);
            (&mut s)
                .take(max + 1)
                .read_to_end(&mut out)
                .map_err(|e| Error::CorruptOle(format!("stream {name}: {e}")))?;
            if out.len() as u64 > max {
                return Err(Error::TooLarge(format!(
                    "the {name} stream is beyond the {} per-stream limit",
                    human(max)
                )));
            }
            Ok(out)
        }));
        match read {
            Ok(r) => r.map(Some),
            Err(panic) => Err(Error::Panic(format!(
                "cfb panicked reading {name}: {}",
                docmodel::panic_message(&*panic)
            ))),
        }
    }
}
