//! Paragraph properties: the PAPX runs (bin table PlcBtePapx → 512-byte FKP pages in the
//! WordDocument stream), the style sheet (STSH) for numbering given by a style, and the
//! few sprms we need: list (ilfo, ilvl), table membership (fInTable, fTtp, itap) and the
//! row definition (sprmTDefTable: cell boundaries and merge flags).

use std::collections::BTreeSet;

use crate::bytes::{i16_at, i32_at, region, slice_at, u8_at, u16_at, u32_at};
use crate::{Error, Limits};

const SPRM_P_ISTD: u16 = 0x4600;
const SPRM_P_ILVL: u16 = 0x260A;
const SPRM_P_ILFO: u16 = 0x460B;
const SPRM_P_IN_TABLE: u16 = 0x2416;
const SPRM_P_TTP: u16 = 0x2417;
const SPRM_P_ITAP: u16 = 0x6649;
const SPRM_P_INNER_CELL: u16 = 0x244B;
const SPRM_P_INNER_TTP: u16 = 0x244C;
const SPRM_T_DEF_TABLE: u16 = 0xD608;
const SPRM_P_CHG_TABS: u16 = 0xC615;
const SPRM_P_HUGE_PAPX: u16 = 0x6646;

/// The properties of one paragraph that matter here.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ParaProps {
    pub istd: u16,
    /// List instance (1-based LFO index); 0 = none.
    pub ilfo: Option<u16>,
    pub ilvl: Option<u8>,
    pub in_table: bool,
    /// Row end of a top-level table.
    pub ttp: bool,
    /// Table depth (0 outside tables).
    pub itap: u32,
    /// Cell end / row end of a nested table (marked on a paragraph mark).
    pub inner_cell: bool,
    pub inner_ttp: bool,
    pub row: Option<RowDef>,
    /// sprmPHugePapx: the rest of the properties are in the Data stream at this offset
    /// (a row definition too long for its FKP page, e.g. a table of many columns).
    pub huge: Option<u32>,
}

/// A table row's cell boundaries (twips, `itc + 1` values) and merge flags per cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RowDef {
    pub bounds: Vec<i16>,
    /// (horizontal, vertical) merge flags of each cell, from its TC80.
    pub merge: Vec<(u8, u8)>,
}

/// Iterates the sprms of a grpprl as (sprm, operand). Stops at the first one cut short.
pub(crate) fn sprms(grpprl: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let sprm = u16_at(grpprl, at)?;
        let op = at + 2;
        let len = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => match sprm {
                // A 2-byte size counting itself minus one.
                SPRM_T_DEF_TABLE => (u16_at(grpprl, op)? as usize).max(1) + 1,
                SPRM_P_CHG_TABS if u8_at(grpprl, op)? == 255 => {
                    // The "delete tabs with close tolerance" form: two counted arrays.
                    let del = u8_at(grpprl, op + 1)? as usize;
                    let add = u8_at(grpprl, op + 2 + 4 * del)? as usize;
                    2 + 4 * del + 1 + 3 * add
                }
                _ => 1 + u8_at(grpprl, op)? as usize,
            },
        };
        let operand = slice_at(grpprl, op, len)?;
        at = op + len;
        Some((sprm, operand))
    })
}

impl ParaProps {
    /// Applies the sprms of a grpprl.
    pub(crate) fn apply(&mut self, grpprl: &[u8]) {
        for (sprm, op) in sprms(grpprl) {
            match sprm {
                SPRM_P_ISTD => self.istd = u16_at(op, 0).unwrap_or(0),
                SPRM_P_ILVL => self.ilvl = u8_at(op, 0),
                SPRM_P_ILFO => self.ilfo = u16_at(op, 0),
                SPRM_P_IN_TABLE => self.in_table = u8_at(op, 0) == Some(1),
                SPRM_P_TTP => self.ttp = u8_at(op, 0) == Some(1),
                SPRM_P_ITAP => self.itap = i32_at(op, 0).unwrap_or(0).max(0) as u32,
                SPRM_P_INNER_CELL => self.inner_cell = u8_at(op, 0) == Some(1),
                SPRM_P_INNER_TTP => self.inner_ttp = u8_at(op, 0) == Some(1),
                SPRM_T_DEF_TABLE => self.row = row_def(op),
                SPRM_P_HUGE_PAPX => self.huge = u32_at(op, 0),
                _ => {}
            }
        }
    }
}

/// TDefTableOperand: size (2), itcMac (1), rgdxaCenter (itcMac + 1 × 2), rgTc80 (20 each,
/// possibly fewer than itcMac).
fn row_def(op: &[u8]) -> Option<RowDef> {
    let n = u8_at(op, 2)? as usize;
    let bounds: Vec<i16> = (0..=n).map_while(|i| i16_at(op, 3 + 2 * i)).collect();
    if bounds.len() != n + 1 {
        return None;
    }
    let tc = 3 + 2 * (n + 1);
    let merge = (0..n)
        .map(|i| {
            u16_at(op, tc + 20 * i)
                .map_or((0, 0), |grf| ((grf & 0x3) as u8, ((grf >> 5) & 0x3) as u8))
        })
        .collect();
    Some(RowDef { bounds, merge })
}

/// PAPX runs by FC: `(fc_start, fc_end, properties)`, sorted.
pub(crate) struct Papx {
    runs: Vec<(u32, u32, ParaProps)>,
}

impl Papx {
    /// Reads the bin table at `bte` (in the table stream) and the FKP pages it names.
    pub(crate) fn read(word: &[u8], bte: Option<&[u8]>, limits: &Limits) -> Result<Papx, Error> {
        let Some(bte) = bte else {
            return Ok(Papx { runs: Vec::new() });
        };
        let n = bte.len().saturating_sub(4) / 8;
        // Each page is parsed once, however often the bin table names it.
        let pages: BTreeSet<u32> = (0..n)
            .filter_map(|i| u32_at(bte, 4 * (n + 1) + 4 * i))
            .map(|pn| pn & 0x003F_FFFF)
            .collect();
        let mut runs = Vec::new();
        for pn in pages {
            let Some(page) = slice_at(word, pn as usize * 512, 512) else {
                continue; // a page past the stream: those paragraphs get no properties
            };
            fkp_runs(page, &mut runs);
            if runs.len() > limits.max_paragraphs {
                return Err(Error::TooLarge(format!(
                    "more than {} paragraph property runs",
                    limits.max_paragraphs
                )));
            }
        }
        runs.sort_by_key(|r| r.0);
        Ok(Papx { runs })
    }

    /// Whether some run keeps its properties in the Data stream (sprmPHugePapx).
    pub(crate) fn needs_data(&self) -> bool {
        self.runs.iter().any(|r| r.2.huge.is_some())
    }

    /// Applies the grpprls sprmPHugePapx points to: PrcData in the Data stream, a 2-byte
    /// size then the sprms. One that is out of the stream is left out.
    pub(crate) fn resolve_huge(&mut self, data: &[u8]) {
        for (_, _, props) in &mut self.runs {
            if let Some(at) = props.huge.take()
                && let Some(cb) = u16_at(data, at as usize)
                && let Some(grpprl) = slice_at(data, at as usize + 2, cb as usize)
            {
                props.apply(grpprl);
            }
        }
    }

    /// The properties of the paragraph whose mark is at stream offset `fc`.
    pub(crate) fn at(&self, fc: u32) -> Option<&ParaProps> {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        let (start, end, props) = self.runs.get(i.checked_sub(1)?)?;
        (*start <= fc && fc < *end).then_some(props)
    }
}

/// One PapxFkp: crun at byte 511, rgfc[crun + 1], then crun BXs of 13 bytes whose first
/// byte is the word offset of the run's PapxInFkp.
fn fkp_runs(page: &[u8], runs: &mut Vec<(u32, u32, ParaProps)>) {
    let crun = page[511] as usize;
    let bx0 = 4 * (crun + 1);
    for i in 0..crun {
        let (Some(start), Some(end)) = (u32_at(page, 4 * i), u32_at(page, 4 * i + 4)) else {
            return;
        };
        let mut props = ParaProps::default();
        let off = 2 * u8_at(page, bx0 + 13 * i).unwrap_or(0) as usize;
        if off != 0
            && let Some(cb) = u8_at(page, off)
        {
            // cb != 0: 2·cb − 1 bytes follow; cb == 0: a second byte gives 2·cb'.
            let (body, len) = if cb == 0 {
                (off + 2, 2 * u8_at(page, off + 1).unwrap_or(0) as usize)
            } else {
                (off + 1, 2 * cb as usize - 1)
            };
            let body = page.get(body..(body + len).min(512)).unwrap_or(&[]);
            props.istd = u16_at(body, 0).unwrap_or(0);
            props.apply(body.get(2..).unwrap_or(&[]));
        }
        if start < end {
            runs.push((start, end, props));
        }
    }
}

/// Numbering a paragraph style gives (its own or through `istdBase`).
#[derive(Debug, Clone, Default)]
struct StyleNum {
    base: u16,
    ilfo: Option<u16>,
    ilvl: Option<u8>,
}

pub(crate) struct Styles {
    styles: Vec<StyleNum>,
}

const ISTD_NIL: u16 = 0x0FFF;

impl Styles {
    /// Reads the STSH; only paragraph styles' numbering and bases are kept. A style sheet
    /// that cannot be read gives no style numbering (the text is still read).
    pub(crate) fn read(table: &[u8], stsh: (u32, u32)) -> Styles {
        let mut styles = Vec::new();
        let Some(stsh) = region(table, stsh) else {
            return Styles { styles };
        };
        let cb_stshi = u16_at(stsh, 0).unwrap_or(0) as usize;
        let cstd = u16_at(stsh, 2).unwrap_or(0) as usize;
        let cb_base = u16_at(stsh, 4).unwrap_or(10) as usize;
        let mut at = 2 + cb_stshi;
        for _ in 0..cstd {
            let Some(cb) = u16_at(stsh, at) else { break };
            let std = slice_at(stsh, at + 2, cb as usize).unwrap_or(&[]);
            at += 2 + cb as usize;
            styles.push(style_num(std, cb_base).unwrap_or(StyleNum {
                base: ISTD_NIL,
                ..Default::default()
            }));
        }
        Styles { styles }
    }

    /// The style's list (ilfo, ilvl), through its bases (at most 16 steps: a loop of
    /// bases ends there).
    pub(crate) fn numbering(&self, istd: u16) -> (Option<u16>, Option<u8>) {
        let (mut ilfo, mut ilvl) = (None, None);
        let mut at = istd;
        for _ in 0..16 {
            let Some(s) = self.styles.get(at as usize) else {
                break;
            };
            ilfo = ilfo.or(s.ilfo);
            ilvl = ilvl.or(s.ilvl);
            if ilfo.is_some() && ilvl.is_some() || s.base == ISTD_NIL {
                break;
            }
            at = s.base;
        }
        (ilfo, ilvl)
    }
}

/// STD: Stdf (cbSTDBaseInFile bytes: stk and istdBase at 2), xstzName, then the UPXs; a
/// paragraph style's first UPX is its istd and paragraph grpprl.
fn style_num(std: &[u8], cb_base: usize) -> Option<StyleNum> {
    let word2 = u16_at(std, 2)?;
    let (stk, base) = (word2 & 0xF, word2 >> 4);
    let mut s = StyleNum {
        base,
        ..Default::default()
    };
    if stk != 1 {
        return Some(s);
    }
    let cch = u16_at(std, cb_base)? as usize;
    let upx = cb_base + 2 + 2 * cch + 2;
    let cb_upx = u16_at(std, upx)? as usize;
    let grpprl = slice_at(std, upx + 4, cb_upx.checked_sub(2)?)?;
    let mut p = ParaProps::default();
    p.apply(grpprl);
    s.ilfo = p.ilfo;
    s.ilvl = p.ilvl;
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprms_of_every_operand_size() {
        let mut g = Vec::new();
        g.extend([0x0A, 0x26, 2]); // sprmPIlvl, 1 byte
        g.extend([0x0B, 0x46, 3, 0]); // sprmPIlfo, 2 bytes
        g.extend([0x49, 0x66, 1, 0, 0, 0]); // sprmPItap, 4 bytes
        g.extend([0x16, 0x24, 1]); // sprmPFInTable
        // sprmTDefTable: itcMac 1, two boundaries, one TC80: 25 bytes after the size,
        // which counts them plus one
        g.extend([0x08, 0xD6, 26, 0, 1, 0, 0, 0x10, 0x27]);
        let mut tc = [0u8; 20];
        tc[0] = 0x60; // vertMerge 3
        g.extend(tc);
        g.extend([0x17, 0x24, 1]); // sprmPFTtp after it
        let mut p = ParaProps::default();
        p.apply(&g);
        assert_eq!((p.ilvl, p.ilfo, p.itap), (Some(2), Some(3), 1));
        assert!(p.in_table && p.ttp);
        let row = p.row.expect("a row");
        assert_eq!(row.bounds, [0, 10000]);
        assert_eq!(row.merge, [(0, 3)]);
    }

    #[test]
    fn a_cut_grpprl_stops_without_panicking() {
        let mut p = ParaProps::default();
        p.apply(&[0x0B, 0x46, 3]);
        p.apply(&[0x08, 0xD6, 0xFF, 0xFF, 1]);
        assert_eq!(p, ParaProps::default());
    }
}
