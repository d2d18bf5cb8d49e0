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
/// header, then the entry names say what it is (see [`sniff_zip`]). OLE2 compound file: the
/// DOC extractor opens it and decides — a Word 97–2003 document (.doc, Kingsoft .wps) is
/// read; Word 6/95, Microsoft Works, Excel, PowerPoint are `unsupported_format` naming what
/// they are, an encrypted Office file `encrypted`. Other known binary formats are named.
/// Then web pages: MHTML by its MIME headers, HTML by its first tag (see
/// [`looks_like_html`]). Anything else is handed to the TXT extractor, which refuses
/// non-text.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Empty;
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Sniffed::Format(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(extract_doc::OLE2_MAGIC) {
        return Sniffed::Format(Format::Doc);
    }
    // Page images are read by OCR.
    const IMAGES: &[&[u8]] = &[
        b"\x89PNG\r\n\x1a\n",
        b"\xFF\xD8\xFF",
        b"II*\x00",
        b"MM\x00*",
    ];
    if IMAGES.iter().any(|m| bytes.starts_with(m)) {
        return Sniffed::Format(Format::Image);
    }
    const MAGIC: &[(&[u8], &str)] = &[
        (b"{\\rtf", "RTF"),
        (b"GIF8", "a GIF image"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7z archive"),
        (b"\x1F\x8B", "a gzip file"),
        (b"\x7FELF", "an ELF executable"),
        (b"MZ", "a Windows executable"),
    ];
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return Sniffed::Unsupported(what);
        }
    }
    if extract_html::looks_like_mhtml(bytes) || looks_like_html(bytes) {
        return Sniffed::Format(Format::Html);
    }
    Sniffed::Format(Format::Txt)
}

/// A ZIP is OFD when it holds `OFD.xml` (GB/T 33190: the package's entry point, at the
/// root), DOCX when it holds `word/document.xml` (or is an Office package with a `word/`
/// folder, whose main part the DOCX reader finds through its relationships); other ZIPs are
/// named for what they are. Only the central directory and, for ODF and EPUB, the small
/// `mimetype` entry are read. A ZIP that cannot be opened goes to the DOCX reader, which
/// says why (`corrupt_zip`, `too_large`), as before OFD was read.
fn sniff_zip(bytes: &[u8]) -> Sniffed {
    let limits = zip_container::Limits {
        max_part_bytes: 4096,
        ..Default::default()
    };
    let Ok(mut pkg) = zip_container::Package::open(bytes, &limits) else {
        return Sniffed::Format(Format::Docx);
    };
    if pkg.contains("OFD.xml") {
        return Sniffed::Format(Format::Ofd);
    }
    if pkg.contains("word/document.xml") {
        return Sniffed::Format(Format::Docx);
    }
    let has_prefix = |p: &str| pkg.names().any(|n| n.starts_with(p));
    if pkg.contains("[Content_Types].xml") {
        return if has_prefix("word/") {
            Sniffed::Format(Format::Docx)
        } else if has_prefix("xl/") {
            Sniffed::Unsupported("an Excel workbook (.xlsx), not a Word document or OFD")
        } else if has_prefix("ppt/") {
            Sniffed::Unsupported("a PowerPoint presentation (.pptx), not a Word document or OFD")
        } else {
            Sniffed::Unsupported("an Office Open XML package without a Word document")
        };
    }
    let mimetype = pkg.read("mimetype").ok().flatten().unwrap_or_default();
    let mimetype = String::from_utf8_lossy(&mimetype);
    match mimetype.trim() {
        "application/vnd.oasis.opendocument.text" => {
            return Sniffed::Unsupported("an OpenDocument text (.odt)");
        }
        "application/epub+zip" => return Sniffed::Unsupported("an EPUB book"),
        m if m.starts_with("application/vnd.oasis.opendocument.") => {
            return Sniffed::Unsupported("an OpenDocument file (.ods, .odp …)");
        }
        _ => {}
    }
    if pkg.contains("META-INF/MANIFEST.MF") {
        return Sniffed::Unsupported("a Java archive (.jar)");
    }
    Sniffed::Unsupported(
        "a ZIP archive that is neither a Word document (no word/document.xml) nor an OFD (no OFD.xml)",
    )
}

/// Tags a web page (or a saved fragment of one) opens with.
const OPENING_TAGS: &[&str] = &[
    "!doctype", "html", "head", "meta", "body", "title", "link", "script", "style", "base", "div",
    "p", "table", "tbody", "tr", "td", "span", "font", "center", "section", "article", "header",
    "nav", "form", "ul", "h1", "h2", "h3", "h4", "h5", "h6",
];

/// HTML: after a BOM, white space, comments and an XML declaration, the first thing is
/// one of [`OPENING_TAGS`]. Read in UTF-8 and every ASCII-compatible encoding (GBK,
/// GB18030) alike, and in UTF-16 (with a BOM, or by the NUL bytes of its ASCII markup).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = ascii_view(&bytes[..bytes.len().min(4096)]);
    let mut rest = head.as_slice();
    loop {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"<!--") {
            match rest.windows(3).position(|w| w == b"-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return false,
            }
        } else if rest.starts_with(b"<?") {
            match rest.iter().position(|b| *b == b'>') {
                Some(end) => rest = &rest[end + 1..],
                None => return false,
            }
        } else {
            break;
        }
    }
    let Some(tag) = rest.strip_prefix(b"<") else {
        return false;
    };
    let name_len = tag
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'!')
        .count();
    let name = tag[..name_len].to_ascii_lowercase();
    let ends = tag
        .get(name_len)
        .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'));
    ends && OPENING_TAGS.iter().any(|t| t.as_bytes() == name.as_slice())
}

/// The bytes with a BOM removed and UTF-16 narrowed to its low bytes (markup is ASCII).
fn ascii_view(head: &[u8]) -> Vec<u8> {
    let nul_pattern = |offset: usize| {
        let pairs = head.len() / 2;
        pairs >= 4
            && head
                .iter()
                .skip(offset)
                .step_by(2)
                .filter(|b| **b == 0)
                .count()
                * 10
                >= pairs * 4
    };
    if let Some(rest) = head.strip_prefix(b"\xEF\xBB\xBF") {
        rest.to_vec()
    } else if let Some(rest) = head.strip_prefix(b"\xFF\xFE") {
        rest.iter().step_by(2).copied().collect()
    } else if let Some(rest) = head.strip_prefix(b"\xFE\xFF") {
        rest.iter().skip(1).step_by(2).copied().collect()
    } else if nul_pattern(1) {
        head.iter().step_by(2).copied().collect()
    } else if nul_pattern(0) {
        head.iter().skip(1).step_by(2).copied().collect()
    } else {
        head.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_magic() {
        assert_eq!(sniff(b""), Sniffed::Empty);
        assert_eq!(sniff(b"%PDF-1.6\n"), Sniffed::Format(Format::Pdf));
        assert_eq!(sniff(b"\r\n%PDF-1.4"), Sniffed::Format(Format::Pdf));
        // A ZIP that cannot be opened: the DOCX reader says why.
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Format(Format::Docx));
        assert_eq!(sniff("淄博市".as_bytes()), Sniffed::Format(Format::Txt));
        assert_eq!(
            sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1..."),
            Sniffed::Format(Format::Doc)
        );
        for image in [
            &b"\x89PNG\r\n\x1a\n..."[..],
            b"\xFF\xD8\xFF\xE0",
            b"II*\x00",
            b"MM\x00*",
        ] {
            assert_eq!(sniff(image), Sniffed::Format(Format::Image));
        }
        assert_eq!(sniff(b"GIF89a"), Sniffed::Unsupported("a GIF image"));
    }

    fn zip_of(names: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, data) in names {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut w, data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn zips_by_their_entries() {
        let ofd = zip_of(&[("OFD.xml", b"<ofd:OFD/>"), ("Doc_0/Document.xml", b"")]);
        assert_eq!(sniff(&ofd), Sniffed::Format(Format::Ofd));
        let docx = zip_of(&[("[Content_Types].xml", b""), ("word/document.xml", b"")]);
        assert_eq!(sniff(&docx), Sniffed::Format(Format::Docx));
        let unsupported = |z: &[u8]| match sniff(z) {
            Sniffed::Unsupported(what) => what,
            other => panic!("{other:?}"),
        };
        let xlsx = zip_of(&[("[Content_Types].xml", b""), ("xl/workbook.xml", b"")]);
        assert!(unsupported(&xlsx).contains(".xlsx"));
        let pptx = zip_of(&[("[Content_Types].xml", b""), ("ppt/presentation.xml", b"")]);
        assert!(unsupported(&pptx).contains(".pptx"));
        let odt = zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b""),
        ]);
        assert!(unsupported(&odt).contains(".odt"));
        let epub = zip_of(&[("mimetype", b"application/epub+zip")]);
        assert!(unsupported(&epub).contains("EPUB"));
        let jar = zip_of(&[("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0")]);
        assert!(unsupported(&jar).contains(".jar"));
        let plain = zip_of(&[("readme.txt", b"hello")]);
        assert!(unsupported(&plain).contains("neither"));
    }

    #[test]
    fn web_pages() {
        let html = Sniffed::Format(Format::Html);
        for page in [
            &b"<!DOCTYPE html><html>"[..],
            b"\xEF\xBB\xBF\r\n  <!-- saved from url=(0042) --> <html lang=zh>",
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0\">",
            b"<META http-equiv=Content-Type content=\"text/html; charset=gb2312\">",
            b"<p>\xB8\xF7\xC7\xF8</p>",
            b"<table><tr>",
            b"<tbody> <tr> <td id=\"UCAP-CONTENT\">",
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n",
            b"From: <Saved by Blink>\r\nSnapshot-Content-Location: http://a\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n",
        ] {
            assert_eq!(sniff(page), html, "{}", String::from_utf8_lossy(page));
        }
        let utf16: Vec<u8> = "\u{FEFF}<html><body>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(sniff(&utf16), html);
        let bomless: Vec<u8> = "<html><body>"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(sniff(&bomless), html);
        for text in ["淄博市人民政府办公室", "<各区县>", "< p>", "<pre-formatted"] {
            assert_eq!(
                sniff(text.as_bytes()),
                Sniffed::Format(Format::Txt),
                "{text}"
            );
        }
    }
}
