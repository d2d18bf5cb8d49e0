//! quick-xml helpers: the shared ones of `zip_container::xml` (reader, depth, text,
//! references) and OFD's number and switch attributes.
//!
//! OFD elements live in the `http://www.ofdspec.org/2016` namespace, written `ofd:` by most
//! producers, with another prefix or none by some, and older files use
//! `http://www.ofdspec.org`: elements and attributes are matched by local name only, so
//! `attr` here is the shared `attr_local`.

use quick_xml::events::BytesStart;

pub(crate) use zip_container::xml::{Depth, attr_local as attr, reader, resolve_ref};

use crate::Error;

/// A part that is not well-formed XML, as this reader's error (`corrupt_ofd`).
pub(crate) fn malformed(part: &str, reason: impl std::fmt::Display) -> Error {
    zip_container::xml::malformed(part, reason).into()
}

impl From<zip_container::xml::XmlError> for Error {
    fn from(e: zip_container::xml::XmlError) -> Self {
        match e {
            malformed @ zip_container::xml::XmlError::Malformed { .. } => {
                Error::Corrupt(malformed.to_string())
            }
            too_deep @ zip_container::xml::XmlError::TooDeep { .. } => {
                Error::TooLarge(too_deep.to_string())
            }
        }
    }
}

/// Text content of a text event, borrowed when nothing changes.
pub(crate) fn text<'a>(
    part: &str,
    t: &'a quick_xml::events::BytesText<'_>,
) -> Result<std::borrow::Cow<'a, str>, Error> {
    Ok(zip_container::xml::text(part, t)?)
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
