//! quick-xml helpers: reader setup, element depth, attributes by local name, text.
//!
//! OFD elements live in the `http://www.ofdspec.org/2016` namespace, written `ofd:` by most
//! producers, with another prefix or none by some, and older files use
//! `http://www.ofdspec.org`: elements and attributes are matched by local name only.

use std::borrow::Cow;

use quick_xml::events::{BytesRef, BytesStart, BytesText};
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
    Error::Corrupt(format!("{part} is not well-formed XML: {reason}"))
}

/// Element depth: catches a truncated part (quick-xml reports a clean end of input for it)
/// and nesting beyond the settings' `max_depth`.
pub(crate) struct Depth {
    open: usize,
    seen_root: bool,
    max: usize,
}

impl Depth {
    pub(crate) fn new(max: usize) -> Self {
        Depth {
            open: 0,
            seen_root: false,
            max,
        }
    }
    pub(crate) fn start(&mut self, part: &str) -> Result<(), Error> {
        if self.open == 0 && self.seen_root {
            return Err(malformed(part, "more than one root element"));
        }
        self.open += 1;
        self.seen_root = true;
        if self.open > self.max {
            return Err(Error::TooLarge(format!(
                "{part}: elements nested more than max_depth {} deep",
                self.max
            )));
        }
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
                format!("input ends with {} elements open (truncated?)", self.open),
            ))
        } else {
            Ok(())
        }
    }
}

/// The attribute with local name `local` (any prefix), decoded.
pub(crate) fn attr<'a>(e: &'a BytesStart<'_>, local: &[u8]) -> Option<Cow<'a, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.decoded_and_normalized_value(XmlVersion::Implicit1_0, utf8())
                .ok()
        })
}

/// Numbers separated by white space ("0 0 210 297"); None if any is not a finite number.
pub(crate) fn numbers(s: &str) -> Option<Vec<f64>> {
    s.split_ascii_whitespace()
        .map(|t| t.parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect()
}

/// A number attribute, else `default`.
pub(crate) fn num_attr(e: &BytesStart<'_>, local: &[u8], default: f64) -> f64 {
    attr(e, local)
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite())
        .unwrap_or(default)
}

/// `true`/`false` attribute, else `default`.
pub(crate) fn bool_attr(e: &BytesStart<'_>, local: &[u8], default: bool) -> bool {
    match attr(e, local).as_deref().map(str::trim) {
        Some("true" | "1") => true,
        Some("false" | "0") => false,
        _ => default,
    }
}

/// Text content of a text event.
pub(crate) fn text(part: &str, t: &BytesText<'_>) -> Result<String, Error> {
    Ok(t.xml10_content()
        .map_err(|e| malformed(part, e))?
        .into_owned())
}

/// An entity or character reference inside text (`&amp;`, `&#x4E00;`).
pub(crate) fn resolve_ref(r: &BytesRef<'_>) -> Option<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c.to_string());
    }
    let name = r.decode().ok()?;
    quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
}

/// OFD parts are UTF-8 (the standard requires it).
fn utf8() -> quick_xml::encoding::Decoder {
    Reader::from_reader(&b""[..]).decoder()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_lists() {
        assert_eq!(numbers("0 0 210.5 297"), Some(vec![0.0, 0.0, 210.5, 297.0]));
        assert_eq!(numbers("1 x"), None);
        assert_eq!(numbers("1 NaN"), None);
    }
}
