//! quick-xml helpers: reader setup, well-formedness, attributes, relationships, part paths.

use std::borrow::Cow;

use quick_xml::encoding::Decoder;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::Error;

pub(crate) fn reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(xml);
    let c = r.config_mut();
    c.trim_text(false);
    c.check_end_names = true;
    c.expand_empty_elements = false;
    r
}

pub(crate) fn malformed(part: &str, reason: impl std::fmt::Display) -> Error {
    Error::MalformedXml {
        part: part.to_owned(),
        reason: reason.to_string(),
    }
}

/// Tracks element depth so a truncated part (quick-xml reports a clean EOF for it) is caught.
#[derive(Default)]
pub(crate) struct Depth {
    pub open: usize,
    pub seen_root: bool,
}

impl Depth {
    pub(crate) fn start(&mut self, part: &str) -> Result<(), Error> {
        if self.open == 0 && self.seen_root {
            return Err(malformed(part, "more than one root element"));
        }
        self.open += 1;
        self.seen_root = true;
        Ok(())
    }
    pub(crate) fn end(&mut self) {
        self.open = self.open.saturating_sub(1);
    }
    pub(crate) fn eof(&self, part: &str) -> Result<(), Error> {
        if !self.seen_root {
            Err(malformed(part, "no root element"))
        } else if self.open > 0 {
            Err(malformed(
                part,
                format!(
                    "unexpected end of input with {} elements open (truncated?)",
                    self.open
                ),
            ))
        } else {
            Ok(())
        }
    }
}

/// One pass over `xml`, failing on the first well-formedness error. Run before handing a part
/// to docx-rs, whose readers hang on truncated XML.
pub(crate) fn check_well_formed(part: &str, xml: &[u8]) -> Result<(), Error> {
    let mut r = reader(xml);
    let mut depth = Depth::default();
    loop {
        match r.read_event() {
            Ok(Event::Start(_)) => depth.start(part)?,
            Ok(Event::Empty(_)) => {
                depth.start(part)?;
                depth.end();
            }
            Ok(Event::End(_)) => depth.end(),
            Ok(Event::Eof) => return depth.eof(part),
            Ok(Event::Text(t)) => {
                if depth.open == 0 && !t.iter().all(u8::is_ascii_whitespace) {
                    return Err(malformed(part, "text outside the root element"));
                }
            }
            Ok(_) => {}
            Err(e) => {
                return Err(malformed(
                    part,
                    format!("at byte {}: {e}", r.error_position()),
                ));
            }
        }
    }
}

/// The value of attribute `key` (qualified name as written, e.g. `w:val`).
pub(crate) fn attr<'a>(e: &'a BytesStart<'_>, key: &[u8]) -> Option<Cow<'a, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| {
            a.decoded_and_normalized_value(XmlVersion::Implicit1_0, utf8())
                .ok()
        })
}

/// The attribute matched by local name (any prefix), for the places where the prefix varies
/// (relationships).
pub(crate) fn attr_local<'a>(e: &'a BytesStart<'_>, local: &[u8]) -> Option<Cow<'a, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.decoded_and_normalized_value(XmlVersion::Implicit1_0, utf8())
                .ok()
        })
}

/// Parts of a DOCX are UTF-8.
fn utf8() -> Decoder {
    Reader::from_reader(&b""[..]).decoder()
}

/// An on/off property (`<w:vanish/>`, `<w:vanish w:val="0"/>`).
pub(crate) fn on(e: &BytesStart<'_>) -> bool {
    !matches!(attr(e, b"w:val").as_deref(), Some("0" | "false" | "off"))
}

/// An entity or character reference inside text (`&amp;`, `&#x4E00;`).
pub(crate) fn resolve_ref(r: &BytesRef<'_>) -> Option<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c.to_string());
    }
    let name = r.decode().ok()?;
    quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
}

pub(crate) struct Rel {
    /// The last path segment of the relationship type (`header`, `numbering`, …).
    pub kind: String,
    /// The target as a part name inside the ZIP (`word/header1.xml`).
    pub target: String,
}

/// Parses a `.rels` part; targets are resolved against `base_dir` (e.g. `word/`).
pub(crate) fn parse_rels(part: &str, base_dir: &str, xml: &[u8]) -> Result<Vec<Rel>, Error> {
    let mut r = reader(xml);
    let mut depth = Depth::default();
    let mut out = Vec::new();
    loop {
        let ev = r.read_event().map_err(|e| malformed(part, e))?;
        let e = match &ev {
            Event::Start(e) => {
                depth.start(part)?;
                e
            }
            Event::Empty(e) => {
                depth.start(part)?;
                depth.end();
                e
            }
            Event::End(_) => {
                depth.end();
                continue;
            }
            Event::Eof => {
                depth.eof(part)?;
                return Ok(out);
            }
            _ => continue,
        };
        if e.local_name().as_ref() != b"Relationship" {
            continue;
        }
        if attr_local(e, b"TargetMode").as_deref() == Some("External") {
            continue;
        }
        let (Some(kind), Some(target)) = (attr_local(e, b"Type"), attr_local(e, b"Target")) else {
            continue;
        };
        let kind = kind.rsplit('/').next().unwrap_or_default().to_owned();
        out.push(Rel {
            kind,
            target: zip_container::resolve_part(base_dir, &target),
        });
    }
}

/// `word/document.xml` → `word/_rels/document.xml.rels`.
pub(crate) fn rels_path_for(part: &str) -> String {
    let dir = zip_container::dir_of(part);
    format!("{dir}_rels/{}.rels", &part[dir.len()..])
}
