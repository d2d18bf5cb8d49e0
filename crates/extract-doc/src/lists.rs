//! The list tables of the table stream, read into `word_lists::ListDefs` so that labels
//! are drawn by the same code as for DOCX: PlfLst (LSTF list definitions, each followed
//! further on by its 9 — or 1 for a simple list — LVL levels) are the definitions, keyed by
//! `lsid`; PlfLfo (LFO list instances, then their LFOData with start and level overrides)
//! are the instances, keyed by their 1-based index, which is what a paragraph's ilfo names.

use word_lists::{AbstractDef, LevelDef, LevelOverride, ListDefs, NumDef};

use crate::bytes::{i16_at, i32_at, region, slice_at, u8_at, u16_at, u32_at};

const LSTF_SIZE: usize = 28;
const LVLF_SIZE: usize = 28;
const LFO_SIZE: usize = 16;

/// Reads PlfLst and PlfLfo. What cannot be read is left out: those paragraphs lose their
/// labels, the text is still read.
pub(crate) fn read(table: &[u8], plf_lst: (u32, u32), plf_lfo: (u32, u32)) -> ListDefs {
    let mut defs = ListDefs::default();
    if let Some(lst) = region(table, plf_lst) {
        read_lists(table, plf_lst.0 as usize, lst, &mut defs);
    }
    if let Some(lfo) = region(table, plf_lfo) {
        read_instances(table, plf_lfo.0 as usize, lfo, &mut defs);
    }
    defs
}

fn read_lists(table: &[u8], fc: usize, lst: &[u8], defs: &mut ListDefs) {
    let count = i16_at(lst, 0).unwrap_or(0).max(0) as usize;
    // The LVLs follow the PlfLst (its lcb covers the LSTFs only).
    let mut at = fc + 2 + LSTF_SIZE * count;
    for i in 0..count {
        let Some(lstf) = slice_at(lst, 2 + LSTF_SIZE * i, LSTF_SIZE) else {
            return;
        };
        let lsid = i32_at(lstf, 0).unwrap_or(0) as u32;
        let simple = u8_at(lstf, 26).unwrap_or(0) & 1 != 0;
        let mut def = AbstractDef::default();
        for level in 0..if simple { 1 } else { 9 } {
            let Some((lvl, next)) = read_lvl(table, at) else {
                return; // cut short: the following lists cannot be found either
            };
            def.put(level, lvl);
            at = next;
        }
        defs.abstracts.insert(lsid, def);
    }
}

fn read_instances(table: &[u8], fc: usize, lfo: &[u8], defs: &mut ListDefs) {
    let count = u32_at(lfo, 0).unwrap_or(0) as usize;
    let count = count.min(lfo.len() / LFO_SIZE);
    // The LFOData follow the LFOs, one per LFO, in order.
    let mut at = fc + 4 + LFO_SIZE * count;
    let mut lsids = Vec::with_capacity(count);
    for i in 0..count {
        let base = 4 + LFO_SIZE * i;
        let lsid = i32_at(lfo, base).unwrap_or(0) as u32;
        let levels = u8_at(lfo, base + 12).unwrap_or(0) as usize;
        lsids.push((lsid, levels));
    }
    for (i, (lsid, levels)) in lsids.into_iter().enumerate() {
        let mut overrides = Vec::new();
        // Every LFO has its LFOData: a CP (unused), then its overrides.
        at += 4;
        {
            for _ in 0..levels.min(9) {
                let (Some(start), Some(flags)) = (i32_at(table, at), u32_at(table, at + 4)) else {
                    break;
                };
                at += 8;
                let level = (flags & 0xF) as usize;
                let start_at = flags & 0x10 != 0;
                let mut def = None;
                if flags & 0x20 != 0 {
                    let Some((lvl, next)) = read_lvl(table, at) else {
                        break;
                    };
                    def = Some(lvl);
                    at = next;
                }
                overrides.push(LevelOverride {
                    level,
                    start: start_at.then_some(start.max(0) as u32),
                    def,
                });
            }
        }
        defs.nums.insert(
            i as u32 + 1,
            NumDef {
                abstract_id: lsid,
                overrides,
            },
        );
    }
}

/// One LVL at `at`: LVLF, grpprlPapx, grpprlChpx, then the label text (an Xst whose
/// characters 0–8 stand for the levels' numbers). Returns it and the offset after it.
fn read_lvl(table: &[u8], at: usize) -> Option<(LevelDef, usize)> {
    let lvlf = slice_at(table, at, LVLF_SIZE)?;
    let start = i32_at(lvlf, 0)?.max(0) as u32;
    let nfc = lvlf[4];
    let flags = lvlf[5];
    let follow = lvlf[15];
    let cb_chpx = lvlf[24] as usize;
    let cb_papx = lvlf[25] as usize;
    let restart_lim = lvlf[26];
    let xst = at + LVLF_SIZE + cb_papx + cb_chpx;
    let cch = u16_at(table, xst)? as usize;
    let chars = slice_at(table, xst + 2, 2 * cch)?;
    let mut text = String::new();
    for unit in char::decode_utf16(
        chars
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]])),
    ) {
        match unit {
            Ok(c) if (c as u32) < 9 => text.push_str(&format!("%{}", c as u32 + 1)),
            Ok(c) => text.push(c),
            Err(_) => text.push('\u{FFFD}'),
        }
    }
    let def = LevelDef {
        start,
        fmt: nfc_name(nfc).to_owned(),
        text,
        suffix: match follow {
            0 => "\t",
            1 => " ",
            _ => "",
        },
        // fNoRestart: the level restarts only after levels more significant than
        // ilvlRestartLim — DOCX's lvlRestart with the same number.
        restart: (flags & 0x08 != 0).then_some(restart_lim as u32),
        pstyle: None,
        is_lgl: flags & 0x04 != 0,
    };
    Some((def, xst + 2 + 2 * cch))
}

/// MSONFC → the WordprocessingML `numFmt` name that `word_lists::format_number` knows.
fn nfc_name(nfc: u8) -> &'static str {
    const NAMES: [&str; 40] = [
        "decimal",
        "upperRoman",
        "lowerRoman",
        "upperLetter",
        "lowerLetter",
        "ordinal",
        "cardinalText",
        "ordinalText",
        "hex",
        "chicago",
        "ideographDigital",
        "japaneseCounting",
        "aiueo",
        "iroha",
        "decimalFullWidth",
        "decimalHalfWidth",
        "japaneseLegal",
        "japaneseDigitalTenThousand",
        "decimalEnclosedCircle",
        "decimalFullWidth2",
        "aiueoFullWidth",
        "irohaFullWidth",
        "decimalZero",
        "bullet",
        "ganada",
        "chosung",
        "decimalEnclosedFullstop",
        "decimalEnclosedParen",
        "decimalEnclosedCircleChinese",
        "ideographEnclosedCircle",
        "ideographTraditional",
        "ideographZodiac",
        "ideographZodiacTraditional",
        "taiwaneseCounting",
        "ideographLegalTraditional",
        "taiwaneseCountingThousand",
        "taiwaneseDigital",
        "chineseCounting",
        "chineseLegalSimplified",
        "chineseCountingThousand",
    ];
    match nfc {
        0xFF => "none",
        _ => NAMES.get(nfc as usize).copied().unwrap_or("decimal"),
    }
}
