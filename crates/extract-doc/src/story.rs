//! A story's characters → paragraphs: paragraph marks (0x0D), cell and row marks (0x07)
//! and section/page breaks (0x0C) end a paragraph; fields (0x13 code 0x14 result 0x15)
//! keep their result only; line breaks (0x0B) are `'\n'`, tabs stay; anchors of pictures,
//! notes and drawn objects (other control characters) are dropped.

use crate::chars::Unshown;
use crate::props::{Papx, ParaProps};
use crate::text::Text;
use crate::{Error, Limits};

/// What a story is read from.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    pub text: &'a Text,
    pub papx: &'a Papx,
    pub unshown: &'a Unshown,
}

pub(crate) struct Para {
    pub text: String,
    pub props: ParaProps,
    /// Ended by a cell or row mark (0x07).
    pub cell_end: bool,
    /// Holds a PAGE / NUMPAGES / SECTIONPAGES field (a page number in a footer).
    pub page_field: bool,
}

struct Field {
    in_code: bool,
    code: String,
}

/// Field codes are only looked at for their first word.
const CODE_KEPT: usize = 32;

/// The paragraphs of CPs `range` of `text`. `count` is the running paragraph count of the
/// document, checked against [`Limits::max_paragraphs`]. Long because it is the one loop over
/// the characters, dispatching on Word's control characters (field, cell, row and paragraph
/// marks) with the field stack and the current paragraph as its state.
pub(crate) fn paragraphs(
    src: Source,
    (start, end): (u32, u32),
    limits: &Limits,
    count: &mut usize,
) -> Result<Vec<Para>, Error> {
    let Source {
        text,
        papx,
        unshown,
    } = src;
    let end = end.min(text.units.len() as u32);
    let mut out = Vec::new();
    let mut cur: Vec<u16> = Vec::new();
    let mut fields: Vec<Field> = Vec::new();
    let mut in_code = 0usize;
    let mut page_field = false;
    for cp in start..end {
        let unit = text.units[cp as usize];
        // Deleted and hidden characters are skipped, field marks and paragraph marks
        // included (a deleted mark joins its paragraph with the next); cell and row marks
        // are kept, or the table would lose its shape.
        if !unshown.is_empty() && unit != 0x07 && text.fc(cp).is_some_and(|fc| unshown.at(fc)) {
            continue;
        }
        match unit {
            0x13 => {
                fields.push(Field {
                    in_code: true,
                    code: String::new(),
                });
                in_code += 1;
                continue;
            }
            0x14 | 0x15 => {
                let Some(top) = fields.last_mut() else {
                    continue; // a stray separator or end
                };
                if top.in_code {
                    top.in_code = false;
                    in_code -= 1;
                    page_field |= is_page_field(&top.code);
                }
                if unit == 0x15 {
                    fields.pop();
                }
                continue;
            }
            _ => {}
        }
        if matches!(unit, 0x0D | 0x07 | 0x0C) {
            *count += 1;
            if *count > limits.max_paragraphs {
                return Err(Error::TooLarge(format!(
                    "more than {} paragraphs",
                    limits.max_paragraphs
                )));
            }
            let props = text
                .fc(cp)
                .and_then(|fc| papx.at(fc))
                .cloned()
                .unwrap_or_default();
            out.push(Para {
                text: String::from_utf16_lossy(&cur),
                props,
                cell_end: unit == 0x07,
                page_field,
            });
            cur.clear();
            page_field = false;
            continue;
        }
        if in_code > 0 {
            // Only the innermost field's own code is kept (O(1) a character: looking down
            // the stack for the field in code would be quadratic in the nesting).
            if let Some(f) = fields.last_mut()
                && f.in_code
                && f.code.len() < CODE_KEPT
            {
                f.code.extend(char::from_u32(unit as u32));
            }
            continue;
        }
        match unit {
            0x09 => cur.push(0x09),
            0x0B => cur.push(0x0A),
            0x1E => cur.push(b'-' as u16), // non-breaking hyphen
            0x00..=0x1F => {}              // anchors, optional hyphen
            _ => cur.push(unit),
        }
    }
    if !cur.is_empty() {
        out.push(Para {
            text: String::from_utf16_lossy(&cur),
            props: ParaProps::default(),
            cell_end: false,
            page_field,
        });
    }
    Ok(out)
}

fn is_page_field(code: &str) -> bool {
    let word = code.split_whitespace().next().unwrap_or("");
    ["PAGE", "NUMPAGES", "SECTIONPAGES"]
        .iter()
        .any(|k| word.eq_ignore_ascii_case(k))
}
