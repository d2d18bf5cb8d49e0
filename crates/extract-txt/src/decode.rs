//! Encoding detection from content, never from the file name.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use crate::TxtError;

/// Decoded text and the name of the encoding it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without its byte-order mark.
    pub text: String,
    /// "UTF-8", "UTF-16LE", "UTF-16BE" or "GB18030".
    pub encoding: &'static str,
}

/// Decodes `bytes`: a BOM decides; else a NUL-byte pattern marks UTF-16; else valid
/// UTF-8 is UTF-8; else GB18030. Any decoding error, a NUL, or mostly control
/// characters make the input [`TxtError::NotText`].
pub fn decode(bytes: &[u8]) -> Result<Decoded, TxtError> {
    let mut checked_utf8 = None;
    let (encoding, body) = if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        (enc, &bytes[bom_len..])
    } else if let Some(enc) = utf16_by_nul_pattern(bytes) {
        (enc, bytes)
    } else if let Ok(valid) = simdutf8::basic::from_utf8(bytes) {
        checked_utf8 = Some(valid);
        (UTF_8, bytes)
    } else {
        (GB18030, bytes)
    };
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(TxtError::Empty);
    }
    if encoding == UTF_16LE || encoding == UTF_16BE {
        if body.len() % 2 == 1 {
            return Err(TxtError::NotText(format!(
                "{} text with an odd number of bytes ({})",
                encoding.name(),
                body.len()
            )));
        }
    } else if let Some(pos) = memchr::memchr(0, body) {
        return Err(TxtError::NotText(format!("NUL byte at offset {pos}")));
    }
    let invalid = || TxtError::NotText(format!("bytes that are not valid {}", encoding.name()));
    let text = if encoding == UTF_8 {
        // The common case, checked by a vector validator (simdutf8) rather than decoded.
        let valid = match checked_utf8 {
            Some(valid) => valid,
            None => simdutf8::basic::from_utf8(body).map_err(|_| invalid())?,
        };
        std::borrow::Cow::Borrowed(valid)
    } else {
        encoding
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or_else(invalid)?
    };
    if encoding == UTF_8 {
        check_utf8_controls(&text)?;
    } else {
        check_text(&text, encoding)?;
    }
    if encoding == GB18030 {
        check_reads_as_chinese(body)?;
    }
    let name = match encoding.name() {
        "gb18030" => "GB18030",
        other => other,
    };
    Ok(Decoded {
        text: text.into_owned(),
        encoding: name,
    })
}

/// UTF-16 without a BOM: text with any ASCII in it (digits, newlines) has NUL high bytes,
/// all on one side. Requires at least 1 % of the sampled code units to show it and the
/// other side to be (almost) free of NULs.
fn utf16_by_nul_pattern(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(64 * 1024) & !1];
    let units = sample.len() / 2;
    // Most text has no NUL at all: one memchr answers.
    if units < 2 || memchr::memchr(0, sample).is_none() {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let clear = |hits: usize, other: usize| hits * 100 >= units && other * 20 <= hits;
    if clear(odd, even) {
        Some(UTF_16LE)
    } else if clear(even, odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Rejects decoded text that is not text: NULs or other control characters (beyond
/// tab, line and page breaks) in more than 1 % of characters; for GB18030 — which
/// accepts nearly any byte sequence — also text that is mostly not CJK, ASCII or
/// common punctuation, the signature of binary data decoded as GB18030.
fn check_text(text: &str, encoding: &'static Encoding) -> Result<(), TxtError> {
    let mut total = 0usize;
    let mut control = 0usize;
    let mut common = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return Err(TxtError::NotText("NUL character in the text".into()));
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            control += 1;
        }
        common += usize::from(is_common_char(c));
    }
    if control * 100 > total {
        return Err(TxtError::NotText(format!(
            "{control} of {total} characters are control characters"
        )));
    }
    if encoding == GB18030 && common * 10 < total * 9 {
        return Err(TxtError::NotText(format!(
            "not UTF-8, and as GB18030 only {common} of {total} characters are common text"
        )));
    }
    Ok(())
}

/// [`check_text`] for valid UTF-8, on the bytes: a control character is an ASCII control
/// byte or a C1 control (C2 80–C2 9F). (No NUL is possible here: it was refused before.)
/// The ASCII count is branch-free so that it runs as vector code; C1 controls are rare and
/// found by memchr.
fn check_utf8_controls(text: &str) -> Result<(), TxtError> {
    let bytes = text.as_bytes();
    // Counted in byte lanes, 255 bytes at a time (a lane cannot overflow).
    let ascii_controls: usize = bytes
        .chunks(255)
        .map(|chunk| {
            let in_chunk: u8 = chunk
                .iter()
                .map(|&b| {
                    let c0 = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') & (b != 0x0C);
                    u8::from(c0 | (b == 0x7F))
                })
                .sum();
            usize::from(in_chunk)
        })
        .sum();
    let c1_controls = memchr::memchr_iter(0xC2, bytes)
        .filter(|&i| bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
        .count();
    let control = ascii_controls + c1_controls;
    if control == 0 {
        return Ok(());
    }
    let total = text.chars().count();
    if control * 100 > total {
        return Err(TxtError::NotText(format!(
            "{control} of {total} characters are control characters"
        )));
    }
    Ok(())
}

/// Shift_JIS, Big5 and other double-byte text also decodes as GB18030, into nonsense. In
/// Chinese text encoded as GB18030 (or GBK, GB2312) nearly every two-byte character lies in
/// the GB2312 block (both bytes 0xA1–0xFE); in those other encodings most do not. Requires
/// 80 % of the two-byte characters there.
fn check_reads_as_chinese(bytes: &[u8]) -> Result<(), TxtError> {
    let (mut pairs, mut in_gb2312) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        // Four-byte GB18030 sequences have a digit as their second byte.
        if bytes.get(i + 1).is_some_and(|n| n.is_ascii_digit()) {
            i += 4;
            continue;
        }
        pairs += 1;
        in_gb2312 += usize::from(
            (0xA1..=0xF7).contains(&b)
                && bytes.get(i + 1).is_some_and(|t| (0xA1..=0xFE).contains(t)),
        );
        i += 2;
    }
    if pairs > 0 && in_gb2312 * 10 < pairs * 8 {
        return Err(TxtError::NotText(format!(
            "not UTF-8, and only {in_gb2312} of its {pairs} double-byte characters read as Chinese in GB18030 (another encoding, such as Shift_JIS or Big5?)"
        )));
    }
    Ok(())
}

fn is_common_char(c: char) -> bool {
    matches!(c as u32,
        0x09..=0x0D | 0x20..=0x7E | 0xA0..=0x24F // ASCII, Latin-1, Latin Extended
        | 0x2000..=0x206F // general punctuation: “ ” — …
        | 0x2460..=0x24FF | 0x25A0..=0x25FF // enclosed numbers, shapes
        | 0x3000..=0x303F // CJK punctuation: 、。〔〕【】《》
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xFF00..=0xFFEF) // full-width forms
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "淄政办字〔2025〕15号\r\n关于印发2025年为全市妇女儿童办实事项目清单的通知\r\n";

    fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for unit in text.encode_utf16() {
            out.extend(if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        out
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(SAMPLE.as_bytes()).unwrap();
        assert_eq!((plain.text.as_str(), plain.encoding), (SAMPLE, "UTF-8"));
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend(SAMPLE.as_bytes());
        let bommed = decode(&with_bom).unwrap();
        assert_eq!((bommed.text.as_str(), bommed.encoding), (SAMPLE, "UTF-8"));
    }

    #[test]
    fn utf16_with_bom_and_by_nul_pattern() {
        for (le, name) in [(true, "UTF-16LE"), (false, "UTF-16BE")] {
            for bom in [true, false] {
                let d = decode(&utf16(SAMPLE, le, bom)).unwrap();
                assert_eq!(
                    (d.text.as_str(), d.encoding),
                    (SAMPLE, name),
                    "le={le} bom={bom}"
                );
            }
        }
    }

    #[test]
    fn gb18030_including_characters_outside_gbk() {
        // 〇 and 㐀 (CJK Ext A) are in GB18030 but not in GB2312.
        let text = "二〇二四年三月二十八日 㐀 淄川区\n";
        let (bytes, _, _) = GB18030.encode(text);
        assert!(std::str::from_utf8(&bytes).is_err());
        let d = decode(&bytes).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (text, "GB18030"));
    }

    #[test]
    fn other_double_byte_encodings_are_not_read_as_gb18030() {
        let text = "淄川区人民政府办公室关于2024年为全区妇女儿童办好十件实事的通知。各镇人民政府，各街道办事处：";
        // EUC-KR uses the same byte ranges as GB2312: no byte statistic tells them apart.
        for encoding in [encoding_rs::SHIFT_JIS, encoding_rs::BIG5] {
            let (bytes, _, _) = encoding.encode(text);
            let err = decode(&bytes).unwrap_err();
            assert!(
                matches!(err, TxtError::NotText(_)),
                "{}: {err:?}",
                encoding.name()
            );
        }
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(&gbk).unwrap().text, text);
    }

    #[test]
    fn empty_and_whitespace_only() {
        assert_eq!(decode(b""), Err(TxtError::Empty));
        assert_eq!(decode(b"\xEF\xBB\xBF \r\n"), Err(TxtError::Empty));
    }

    #[test]
    fn binary_is_not_text() {
        let err = decode(b"PK\x03\x04\x14\x00\x00\x00binary").unwrap_err();
        assert!(
            matches!(err, TxtError::NotText(ref m) if m.contains("NUL")),
            "{err}"
        );
        let controls: Vec<u8> = (0..200u8)
            .map(|i| if i % 3 == 0 { 0x07 } else { b'a' })
            .collect();
        assert!(matches!(decode(&controls), Err(TxtError::NotText(_))));
        // High bytes without NULs that GB18030 would accept decode to rare characters.
        let noise: Vec<u8> = (0..4000u32)
            .map(|i| 0x81 + (i * 7919 % 0x7D) as u8)
            .collect();
        assert!(matches!(decode(&noise), Err(TxtError::NotText(_))));
    }

    #[test]
    fn invalid_bytes_after_a_bom_are_not_text() {
        let err = decode(b"\xEF\xBB\xBF\xE6\xB7 broken").unwrap_err();
        assert!(
            matches!(err, TxtError::NotText(ref m) if m.contains("UTF-8")),
            "{err}"
        );
    }
}
