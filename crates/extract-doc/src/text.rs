//! The piece table (CLX in the table stream): which bytes of the `WordDocument` stream
//! hold each range of character positions, as 8-bit ("compressed", cp1252) or UTF-16LE.

use crate::bytes::{i16_at, u8_at, u32_at};
use crate::{Error, Limits};

#[derive(Debug, Clone, Copy)]
struct Piece {
    cp_start: u32,
    cp_end: u32,
    /// Byte offset in the WordDocument stream.
    offset: u32,
    compressed: bool,
}

/// The document's text as UTF-16 code units indexed by CP, and the pieces, to find the
/// stream offset (FC) of a CP (paragraph properties are keyed by FC).
pub(crate) struct Text {
    pub units: Vec<u16>,
    pieces: Vec<Piece>,
}

impl Text {
    /// Reads the CLX at `clx` and the text of CPs `0..cp_total` from `word`.
    pub(crate) fn read(
        word: &[u8],
        clx: &[u8],
        cp_total: u32,
        limits: &Limits,
    ) -> Result<Text, Error> {
        let pieces = pieces(clx, limits)?;
        if cp_total as usize > limits.max_chars {
            return Err(Error::TooLarge(format!(
                "the document claims {cp_total} characters, beyond the limit of {}",
                limits.max_chars
            )));
        }
        let mut units = Vec::with_capacity(cp_total as usize);
        for (i, p) in pieces.iter().enumerate() {
            if p.cp_start >= cp_total {
                break;
            }
            let n = (p.cp_end.min(cp_total) - p.cp_start) as usize;
            let start = p.offset as usize;
            let bad = || {
                Error::Corrupt(format!(
                    "piece {i} (CP {}..{}) points past the end of the WordDocument stream",
                    p.cp_start, p.cp_end
                ))
            };
            if p.compressed {
                let bytes = word.get(start..start + n).ok_or_else(bad)?;
                units.extend(bytes.iter().map(|b| cp1252(*b)));
            } else {
                let bytes = word.get(start..start + 2 * n).ok_or_else(bad)?;
                units.extend(
                    bytes
                        .chunks_exact(2)
                        .map(|c| u16::from_le_bytes([c[0], c[1]])),
                );
            }
        }
        Ok(Text { units, pieces })
    }

    /// The FC (stream offset) of the character at `cp`.
    pub(crate) fn fc(&self, cp: u32) -> Option<u32> {
        let i = self.pieces.partition_point(|p| p.cp_end <= cp);
        let p = self.pieces.get(i).filter(|p| p.cp_start <= cp)?;
        let step = if p.compressed { 1 } else { 2 };
        p.offset.checked_add((cp - p.cp_start).checked_mul(step)?)
    }
}

/// The pieces of the CLX: its Prc entries (property changes of fast saves) are skipped,
/// then the Pcdt: a PLC of CPs and 8-byte piece descriptors.
fn pieces(clx: &[u8], limits: &Limits) -> Result<Vec<Piece>, Error> {
    let bad = |why: &str| Error::Corrupt(format!("the piece table (CLX) {why}"));
    let mut at = 0usize;
    loop {
        match u8_at(clx, at) {
            Some(0x01) => {
                let cb = i16_at(clx, at + 1).ok_or_else(|| bad("is cut short"))?;
                if cb < 0 {
                    return Err(bad("has a negative property-change size"));
                }
                at += 3 + cb as usize;
            }
            Some(0x02) => break,
            Some(t) => return Err(bad(&format!("has an entry of unknown type 0x{t:02X}"))),
            None => return Err(bad("has no piece descriptors")),
        }
    }
    let lcb = u32_at(clx, at + 1).ok_or_else(|| bad("is cut short"))? as usize;
    let plc = clx
        .get(at + 5..at + 5 + lcb)
        .ok_or_else(|| bad("is cut short"))?;
    if lcb < 4 {
        return Err(bad("is empty"));
    }
    let n = (lcb - 4) / 12;
    if n > limits.max_pieces {
        return Err(Error::TooLarge(format!(
            "the piece table has {n} pieces, beyond the limit of {}",
            limits.max_pieces
        )));
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (Some(cp_start), Some(cp_end)) = (u32_at(plc, 4 * i), u32_at(plc, 4 * i + 4)) else {
            return Err(bad("is cut short"));
        };
        let pcd = 4 * (n + 1) + 8 * i;
        let fc = u32_at(plc, pcd + 2).ok_or_else(|| bad("is cut short"))?;
        if cp_end < cp_start || out.last().is_some_and(|p: &Piece| p.cp_end != cp_start) {
            return Err(bad(&format!("has pieces out of order at piece {i}")));
        }
        let compressed = fc & 0x4000_0000 != 0;
        let fc = fc & 0x3FFF_FFFF;
        out.push(Piece {
            cp_start,
            cp_end,
            offset: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(out)
}

/// An 8-bit ("compressed") character: cp1252, which the format uses for these pieces
/// whatever the document's language.
fn cp1252(b: u8) -> u16 {
    const HIGH: [u16; 32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as u16,
    }
}
