//! Format detection from the bytes (magic numbers), never from the file name.

use docmodel::Format;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Format(Format),
    Empty,
    /// A recognised format noticepipe does not read, named.
    Unsupported(&'static str),
}

/// PDF: "%PDF-" in the first KiB (some producers put junk before it). ZIP: a local file
/// header — the DOCX extractor decides whether the zip is a DOCX. Known binary formats
/// are named; anything else is handed to the TXT extractor, which refuses non-text.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Empty;
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Sniffed::Format(Format::Pdf);
    }
    const MAGIC: &[(&[u8], Option<&str>)] = &[
        (b"PK\x03\x04", None),
        (b"PK\x05\x06", None), // an empty zip
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            Some("an OLE2 file (legacy .doc/.xls or an encrypted Office file)"),
        ),
        (b"{\\rtf", Some("RTF")),
        (b"\x89PNG", Some("a PNG image")),
        (b"\xFF\xD8\xFF", Some("a JPEG image")),
        (b"GIF8", Some("a GIF image")),
        (b"II*\x00", Some("a TIFF image")),
        (b"MM\x00*", Some("a TIFF image")),
        (b"Rar!", Some("a RAR archive")),
        (b"7z\xBC\xAF", Some("a 7z archive")),
        (b"\x1F\x8B", Some("a gzip file")),
        (b"\x7FELF", Some("an ELF executable")),
        (b"MZ", Some("a Windows executable")),
    ];
    for (magic, unsupported) in MAGIC {
        if bytes.starts_with(magic) {
            return match unsupported {
                None => Sniffed::Format(Format::Docx),
                Some(what) => Sniffed::Unsupported(what),
            };
        }
    }
    Sniffed::Format(Format::Txt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_magic() {
        assert_eq!(sniff(b""), Sniffed::Empty);
        assert_eq!(sniff(b"%PDF-1.6\n"), Sniffed::Format(Format::Pdf));
        assert_eq!(sniff(b"\r\n%PDF-1.4"), Sniffed::Format(Format::Pdf));
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Format(Format::Docx));
        assert_eq!(sniff("淄博市".as_bytes()), Sniffed::Format(Format::Txt));
        assert!(matches!(
            sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1..."),
            Sniffed::Unsupported(_)
        ));
        assert!(matches!(
            sniff(b"\x89PNG\r\n"),
            Sniffed::Unsupported("a PNG image")
        ));
    }
}
