//! Character properties, for one thing only: text Word does not show. Deleted text of
//! tracked changes (`sprmCFRMarkDel`) is dropped, as the DOCX reader drops `w:del`, and a
//! deleted paragraph mark joins its paragraph with the next; hidden text (`sprmCFVanish`)
//! is dropped too. CHPX runs come from the bin table PlcBteChpx and its 512-byte FKP pages
//! (crun at byte 511, rgfc[crun + 1], then one byte per run: the word offset of its Chpx, a
//! size byte and the sprms).

use std::collections::BTreeSet;

use crate::bytes::{slice_at, u8_at, u32_at};
use crate::props::sprms;
use crate::{Error, Limits};

const SPRM_C_RMARK_DEL: u16 = 0x0800;
const SPRM_C_VANISH: u16 = 0x083C;

/// Runs of characters not shown, by FC: `(fc_start, fc_end)`, sorted.
pub(crate) struct Unshown {
    runs: Vec<(u32, u32)>,
}

impl Unshown {
    pub(crate) fn read(word: &[u8], bte: Option<&[u8]>, limits: &Limits) -> Result<Self, Error> {
        let mut runs = Vec::new();
        let Some(bte) = bte else {
            return Ok(Unshown { runs });
        };
        let n = bte.len().saturating_sub(4) / 8;
        let pages: BTreeSet<u32> = (0..n)
            .filter_map(|i| u32_at(bte, 4 * (n + 1) + 4 * i))
            .map(|pn| pn & 0x003F_FFFF)
            .collect();
        let mut seen = 0usize;
        for pn in pages {
            let Some(page) = slice_at(word, pn as usize * 512, 512) else {
                continue;
            };
            let crun = page[511] as usize;
            seen += crun;
            if seen > limits.max_paragraphs.saturating_mul(4) {
                return Err(Error::TooLarge(format!(
                    "more than {} character property runs",
                    limits.max_paragraphs.saturating_mul(4)
                )));
            }
            for i in 0..crun {
                let (Some(start), Some(end)) = (u32_at(page, 4 * i), u32_at(page, 4 * i + 4))
                else {
                    break;
                };
                let off = 2 * u8_at(page, 4 * (crun + 1) + i).unwrap_or(0) as usize;
                if off == 0 || start >= end {
                    continue;
                }
                let cb = u8_at(page, off).unwrap_or(0) as usize;
                let grpprl = page.get(off + 1..(off + 1 + cb).min(512)).unwrap_or(&[]);
                if unshown(grpprl) {
                    runs.push((start, end));
                }
            }
        }
        runs.sort_unstable();
        Ok(Unshown { runs })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Whether the character at stream offset `fc` is deleted or hidden.
    pub(crate) fn at(&self, fc: u32) -> bool {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        i > 0 && fc < self.runs[i - 1].1
    }
}

/// A toggle is on at 1, and at 0x81 ("the opposite of the style", whose own value we take as
/// off).
fn unshown(grpprl: &[u8]) -> bool {
    let mut off = false;
    for (sprm, op) in sprms(grpprl) {
        if matches!(sprm, SPRM_C_RMARK_DEL | SPRM_C_VANISH) {
            off |= matches!(op.first(), Some(1 | 0x81));
        }
    }
    off
}
