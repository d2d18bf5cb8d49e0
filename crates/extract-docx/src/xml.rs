//! quick-xml helpers: the shared ones of `zip_container::xml` (reader, depth, attributes,
//! references, well-formedness), and what is WordprocessingML's or OPC's own: `w:val`
//! switches, relationships, part paths.

use quick_xml::events::{BytesStart, Event};

pub(crate) use zip_container::xml::{
    Depth, attr, attr_local, check_well_formed, reader, resolve_ref,
};

use crate::Error;

/// A part that is not well-formed XML, as this reader's error.
pub(crate) fn malformed(part: &str, reason: impl std::fmt::Display) -> Error {
    zip_container::xml::malformed(part, reason).into()
}

impl From<zip_container::xml::XmlError> for Error {
    fn from(e: zip_container::xml::XmlError) -> Self {
        match e {
            zip_container::xml::XmlError::Malformed { part, reason } => {
                Error::MalformedXml { part, reason }
            }
            too_deep @ zip_container::xml::XmlError::TooDeep { .. } => {
                Error::TooLarge(too_deep.to_string())
            }
        }
    }
}

/// An on/off property (`<w:vanish/>`, `<w:vanish w:val="0"/>`).
pub(crate) fn on(e: &BytesStart<'_>) -> bool {
    !matches!(attr(e, b"w:val").as_deref(), Some("0" | "false" | "off"))
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
