//! The XML of a ZIP container's parts (DOCX and OFD), streamed with quick-xml: the reader's
//! configuration, element depth (truncation and nesting), attributes, text and references.
//! One copy for both readers; what is particular to a format (OPC relationships and `w:val`
//! switches for DOCX, number lists for OFD) stays in its reader.
//!
//! Parts are UTF-8 (both standards require it). Errors are [`XmlError`]s, which each reader
//! turns into its own (`corrupt_docx`, `corrupt_ofd`, `too_large`).
//!
//! ```
//! use quick_xml::events::Event;
//! use zip_container::xml::{Depth, attr_local, reader};
//! let mut r = reader(br#"<ofd:OFD xmlns:ofd="x" ofd:Version="1.1"><a/></ofd:OFD>"#);
//! let mut depth = Depth::new(4);
//! let mut version = None;
//! loop {
//!     match r.read_event().unwrap() {
//!         Event::Start(e) => {
//!             depth.start("OFD.xml")?;
//!             version = attr_local(&e, b"Version").map(|v| v.into_owned());
//!         }
//!         Event::Empty(_) => { depth.start("OFD.xml")?; depth.end(); }
//!         Event::End(_) => depth.end(),
//!         Event::Eof => break depth.eof("OFD.xml")?,
//!         _ => {}
//!     }
//! }
//! assert_eq!(version.as_deref(), Some("1.1"));
//! # Ok::<(), zip_container::xml::XmlError>(())
//! ```

use std::borrow::Cow;

use quick_xml::encoding::Decoder;
use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};
use quick_xml::{Reader, XmlVersion};

/// Why a part's XML was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    /// Not well-formed (truncated, mismatched tags, not XML).
    #[error("{part} is not well-formed XML: {reason}")]
    Malformed {
        /// The part's path in the ZIP ("word/document.xml").
        part: String,
        /// What was found wrong.
        reason: String,
    },
    /// Elements nested deeper than the reader allows.
    #[error("{part}: elements nested more than max_depth {max} deep")]
    TooDeep {
        /// The part's path in the ZIP.
        part: String,
        /// The reader's bound.
        max: usize,
    },
}

/// A [`XmlError::Malformed`] for `part`.
pub fn malformed(part: &str, reason: impl std::fmt::Display) -> XmlError {
    XmlError::Malformed {
        part: part.to_owned(),
        reason: reason.to_string(),
    }
}

/// A streaming reader over a part: text kept as written (not trimmed), end tags checked
/// against their start, empty elements reported as such.
pub fn reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(xml);
    let c = r.config_mut();
    c.trim_text(false);
    c.check_end_names = true;
    c.expand_empty_elements = false;
    r
}

/// Element depth, kept by the caller's event loop (`start` on a start or empty element,
/// `end` on an end or after an empty one, `eof` at the end): catches a truncated part
/// (quick-xml reports a clean end of input for it), a second root element, and nesting
/// beyond a bound. `Depth::default()` has no bound.
#[derive(Debug, Clone)]
pub struct Depth {
    /// Elements open now (1 inside the root element).
    pub open: usize,
    seen_root: bool,
    max: usize,
}

impl Default for Depth {
    fn default() -> Self {
        Depth::new(usize::MAX)
    }
}

impl Depth {
    /// Depth refusing more than `max` elements open at once.
    pub fn new(max: usize) -> Self {
        Depth {
            open: 0,
            seen_root: false,
            max,
        }
    }

    /// An element opens.
    #[inline]
    pub fn start(&mut self, part: &str) -> Result<(), XmlError> {
        if self.open == 0 && self.seen_root {
            return Err(malformed(part, "more than one root element"));
        }
        self.open += 1;
        self.seen_root = true;
        if self.open > self.max {
            return Err(XmlError::TooDeep {
                part: part.to_owned(),
                max: self.max,
            });
        }
        Ok(())
    }

    /// An element closes.
    #[inline]
    pub fn end(&mut self) {
        self.open = self.open.saturating_sub(1);
    }

    /// The input ended: there was a root element and it was closed.
    pub fn eof(&self, part: &str) -> Result<(), XmlError> {
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

/// One pass over `xml`, failing on the first well-formedness error (for a part handed to a
/// library that would hang or loop on broken XML).
pub fn check_well_formed(part: &str, xml: &[u8]) -> Result<(), XmlError> {
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

/// The value of attribute `key`, its qualified name as written (`w:val`), decoded.
pub fn attr<'a>(e: &'a BytesStart<'_>, key: &[u8]) -> Option<Cow<'a, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| {
            a.decoded_and_normalized_value(XmlVersion::Implicit1_0, utf8())
                .ok()
        })
}

/// The value of the attribute whose local name is `local`, whatever its prefix, decoded:
/// for names whose prefix varies between producers (OFD, OPC relationships).
pub fn attr_local<'a>(e: &'a BytesStart<'_>, local: &[u8]) -> Option<Cow<'a, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.decoded_and_normalized_value(XmlVersion::Implicit1_0, utf8())
                .ok()
        })
}

/// The content of a text event, line ends normalized; borrowed when nothing changes.
pub fn text<'a>(part: &str, t: &'a BytesText<'_>) -> Result<Cow<'a, str>, XmlError> {
    t.xml10_content().map_err(|e| malformed(part, e))
}

/// An entity or character reference inside text (`&amp;`, `&#x4E00;`); None for an
/// entity XML does not predefine.
pub fn resolve_ref(r: &BytesRef<'_>) -> Option<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c.to_string());
    }
    let name = r.decode().ok()?;
    quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
}

/// The UTF-8 decoder (parts are UTF-8).
fn utf8() -> Decoder {
    Reader::from_reader(&b""[..]).decoder()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(xml: &[u8], max: usize) -> Result<(), XmlError> {
        let mut r = reader(xml);
        let mut depth = Depth::new(max);
        loop {
            match r.read_event().map_err(|e| malformed("p.xml", e))? {
                Event::Start(_) => depth.start("p.xml")?,
                Event::Empty(_) => {
                    depth.start("p.xml")?;
                    depth.end();
                }
                Event::End(_) => depth.end(),
                Event::Eof => return depth.eof("p.xml"),
                _ => {}
            }
        }
    }

    #[test]
    fn depth_catches_truncation_second_roots_and_nesting() {
        assert!(walk(b"<a><b/></a>", 2).is_ok());
        assert_eq!(
            walk(b"<a><b>", 8).unwrap_err().to_string(),
            "p.xml is not well-formed XML: unexpected end of input with 2 elements open (truncated?)"
        );
        assert!(
            walk(b"<a/><b/>", 8)
                .unwrap_err()
                .to_string()
                .contains("more than one root")
        );
        assert!(
            walk(b"", 8)
                .unwrap_err()
                .to_string()
                .contains("no root element")
        );
        assert_eq!(
            walk(b"<a><b><c/></b></a>", 2),
            Err(XmlError::TooDeep {
                part: "p.xml".into(),
                max: 2
            })
        );
        assert!(check_well_formed("p.xml", b"<a>x</a>").is_ok());
        assert!(check_well_formed("p.xml", b"<a></b>").is_err());
        assert!(check_well_formed("p.xml", b"<a/>tail").is_err());
    }

    #[test]
    fn attributes_by_qualified_and_local_name() {
        let mut r = reader(br#"<w:p w:val="a&amp;b" x:Type="t"/>"#);
        let Ok(Event::Empty(e)) = r.read_event() else {
            panic!()
        };
        assert_eq!(attr(&e, b"w:val").as_deref(), Some("a&b"));
        assert_eq!(attr(&e, b"val"), None);
        assert_eq!(attr_local(&e, b"Type").as_deref(), Some("t"));
    }

    #[test]
    fn references() {
        let mut r = reader(b"<a>&#x4E00;&lt;&nbsp;</a>");
        let mut out = Vec::new();
        loop {
            match r.read_event().unwrap() {
                Event::GeneralRef(g) => out.push(resolve_ref(&g)),
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(out, [Some("一".into()), Some("<".into()), None]);
    }
}
