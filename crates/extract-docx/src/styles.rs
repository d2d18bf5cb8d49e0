//! The style table, reduced to what numbering needs: per paragraph style its `w:numPr` and
//! `w:basedOn`. Streamed with quick-xml; read only when a body paragraph has a style and the
//! document has numbering definitions (the corpus's styles.xml is 349 KB and docx-rs's
//! `Styles::from_xml` spends ~2.7 ms on it, see the README).

use std::collections::HashMap;

use quick_xml::events::Event;

use crate::Error;
use crate::xml::{self, Depth, attr, malformed};

#[derive(Debug, Default, Clone)]
struct StyleNum {
    based_on: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u8>,
}

#[derive(Debug, Default)]
pub(crate) struct StyleTable {
    styles: HashMap<String, StyleNum>,
}

impl StyleTable {
    /// (numId, ilvl) of a style, inherited through `basedOn` (each found where first set).
    pub(crate) fn numbering(&self, id: &str) -> Option<(Option<u32>, Option<u8>)> {
        let (mut num, mut lvl) = (None, None);
        let mut cur = self.styles.get(id);
        let mut hops = 0;
        while let Some(s) = cur {
            num = num.or(s.num_id);
            lvl = lvl.or(s.ilvl);
            if num.is_some() && lvl.is_some() {
                break;
            }
            hops += 1;
            if hops > 32 {
                break; // a basedOn cycle
            }
            cur = s.based_on.as_deref().and_then(|b| self.styles.get(b));
        }
        (num.is_some() || lvl.is_some()).then_some((num, lvl))
    }
}

pub(crate) fn parse(part: &str, xml: &[u8]) -> Result<StyleTable, Error> {
    let mut r = xml::reader(xml);
    let mut depth = Depth::default();
    let mut table = StyleTable::default();
    let mut cur: Option<(String, StyleNum)> = None;
    let mut in_numpr = false;
    let mut skip = 0usize;
    loop {
        let ev = r
            .read_event()
            .map_err(|e| malformed(part, format!("at byte {}: {e}", r.error_position())))?;
        let (e, empty) = match &ev {
            Event::Start(e) => {
                depth.start(part)?;
                if skip > 0 {
                    skip += 1;
                    continue;
                }
                (e, false)
            }
            Event::Empty(e) => {
                depth.start(part)?;
                depth.end();
                if skip > 0 {
                    continue;
                }
                (e, true)
            }
            Event::End(e) => {
                depth.end();
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.name().as_ref() {
                    b"w:style" => {
                        if let Some((id, s)) = cur.take() {
                            table.styles.insert(id, s);
                        }
                    }
                    b"w:numPr" => in_numpr = false,
                    _ => {}
                }
                continue;
            }
            Event::Eof => {
                depth.eof(part)?;
                return Ok(table);
            }
            _ => continue,
        };
        match e.name().as_ref() {
            // Skip what cannot hold a style's numbering (and the bulk of the part).
            b"w:rPr" | b"w:tblPr" | b"w:trPr" | b"w:tcPr" | b"w:tblStylePr" | b"w:pPrChange"
            | b"w:rPrChange" | b"w:latentStyles" | b"w:docDefaults"
                if !empty =>
            {
                skip = 1
            }
            b"w:style" if !empty => {
                let id = attr(e, b"w:styleId")
                    .map(|v| v.into_owned())
                    .unwrap_or_default();
                cur = Some((id, StyleNum::default()));
            }
            b"w:basedOn" => {
                if let Some((_, s)) = &mut cur {
                    s.based_on = attr(e, b"w:val").map(|v| v.into_owned());
                }
            }
            b"w:numPr" if !empty => in_numpr = true,
            b"w:numId" if in_numpr => {
                if let Some((_, s)) = &mut cur {
                    s.num_id = attr(e, b"w:val").and_then(|v| v.trim().parse().ok());
                }
            }
            b"w:ilvl" if in_numpr => {
                if let Some((_, s)) = &mut cur {
                    s.ilvl = attr(e, b"w:val").and_then(|v| v.trim().parse().ok());
                }
            }
            _ => {}
        }
    }
}
