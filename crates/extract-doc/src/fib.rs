//! The File Information Block at the start of the `WordDocument` stream: version, flags,
//! the lengths of the stories and where the table-stream structures are.

use crate::Error;
use crate::bytes::{u16_at, u32_at};

/// `wIdent` of a Word 97–2003 (and Word 6/95) document.
const W_IDENT: u16 = 0xA5EC;
/// Whether `wIdent` is Word's: 0xA5EC (Word 6 and later), 0xA5DC (some Word 6/95 files).
pub(crate) fn is_word_ident(ident: u16) -> bool {
    ident == W_IDENT || ident == 0xA5DC
}

/// Word 97's `nFib`; later versions keep it in FibBase and put theirs further on.
pub(crate) const NFIB_WORD97: u16 = 0x00C1;

/// Indexes of the (fc, lcb) pairs we use in FibRgFcLcb97.
pub(crate) mod pair {
    pub const STSHF: usize = 1;
    pub const PLCFFND_TXT: usize = 3;
    pub const PLCFAND_TXT: usize = 5;
    pub const PLCF_HDD: usize = 11;
    pub const PLCF_BTE_CHPX: usize = 12;
    pub const PLCF_BTE_PAPX: usize = 13;
    pub const CLX: usize = 33;
    pub const PLCFEND_TXT: usize = 47;
    pub const PLF_LST: usize = 73;
    pub const PLF_LFO: usize = 74;
}

/// The stories, in the order their CP ranges follow one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StoryKind {
    Main = 0,
    Footnotes = 1,
    Headers = 2,
    #[allow(dead_code)] // never read: a reserved story, kept for the CP arithmetic
    Macro = 3,
    Comments = 4,
    Endnotes = 5,
    TextBoxes = 6,
    HeaderTextBoxes = 7,
}

#[derive(Debug, Clone)]
pub(crate) struct Fib {
    /// `fEncrypted`: the document is encrypted (RC4 or XOR obfuscation).
    pub encrypted: bool,
    pub obfuscated: bool,
    /// `fWhichTblStm`: the table stream is `1Table` (else `0Table`).
    pub table_1: bool,
    /// Character counts of the eight stories (ccpText … ccpHdrTxbx).
    pub ccp: [u32; 8],
    fc_lcb: Vec<(u32, u32)>,
}

/// The FIB's version, read before anything else: Word 6/95 files say so here.
pub(crate) fn version(word: &[u8]) -> Result<(u16, u16), Error> {
    match (u16_at(word, 0), u16_at(word, 2)) {
        (Some(ident), Some(n_fib)) => Ok((ident, n_fib)),
        _ => Err(Error::Corrupt(format!(
            "the WordDocument stream has {} bytes, too short for a FIB",
            word.len()
        ))),
    }
}

impl Fib {
    pub(crate) fn parse(word: &[u8]) -> Result<Fib, Error> {
        let short = || Error::Corrupt("the FIB is cut short".to_owned());
        let (ident, _) = version(word)?;
        if ident != W_IDENT {
            return Err(Error::Corrupt(format!(
                "the WordDocument stream does not start with a Word FIB (wIdent 0x{ident:04X})"
            )));
        }
        let flags = u16_at(word, 10).ok_or_else(short)?;
        // FibBase is 32 bytes; then csw 16-bit words, cslw 32-bit words, cbRgFcLcb pairs.
        let csw = u16_at(word, 32).ok_or_else(short)? as usize;
        let rg_lw = 34 + 2 * csw;
        let cslw = u16_at(word, rg_lw).ok_or_else(short)? as usize;
        let lw = rg_lw + 2;
        let rg_fc = lw + 4 * cslw;
        let cb_rg_fc_lcb = u16_at(word, rg_fc).ok_or_else(short)? as usize;
        let mut ccp = [0u32; 8];
        for (i, c) in ccp.iter_mut().enumerate() {
            // ccpText is the fourth 32-bit value of FibRgLw97.
            *c = if 3 + i < cslw {
                u32_at(word, lw + 4 * (3 + i)).ok_or_else(short)?
            } else {
                0
            };
        }
        let fc_lcb = (0..cb_rg_fc_lcb)
            .map_while(|i| {
                let at = rg_fc + 2 + 8 * i;
                Some((u32_at(word, at)?, u32_at(word, at + 4)?))
            })
            .collect();
        Ok(Fib {
            encrypted: flags & 0x0100 != 0,
            obfuscated: flags & 0x8000 != 0,
            table_1: flags & 0x0200 != 0,
            ccp,
            fc_lcb,
        })
    }

    /// The (fc, lcb) pair at `index`, or (0, 0) when the FIB does not have it.
    pub(crate) fn pair(&self, index: usize) -> (u32, u32) {
        self.fc_lcb.get(index).copied().unwrap_or((0, 0))
    }

    /// The CP range of a story.
    pub(crate) fn story(&self, kind: StoryKind) -> (u32, u32) {
        let k = kind as usize;
        let start = self.ccp[..k].iter().fold(0u32, |a, c| a.saturating_add(*c));
        (start, start.saturating_add(self.ccp[k]))
    }
}
