//! Format detection from the bytes (magic numbers), never from the file name.
//!
//! The registered extractors are asked in order ([`crate::Pipeline::extractors`]); each
//! says what it recognizes (`Extractor::recognizes`). Before the last one (TXT, which takes
//! anything and refuses what is not text), bytes of a known format noticepipe does not read
//! are named: images, other Office files, archives, executables. Markdown is asked before
//! HTML (a converter's Markdown may hold HTML tags) and recognized only by signs no
//! plain-text notice carries (front matter, `#` headings, a pipe-table delimiter row).

use docmodel::{Extractor, Format};

/// What the bytes of a file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A format an extractor reads (the first extractor that recognized it).
    Format(Format),
    /// Zero bytes.
    Empty,
    /// A recognised format noticepipe does not read, named.
    Unsupported(&'static str),
}

/// The format of `bytes` as the default pipeline's extractors see it.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    crate::Pipeline::default().sniff(bytes)
}

/// The format of `bytes`: the first of `extractors` that recognizes them, except that a
/// known format no extractor reads is named before the last (fallback) extractor is asked.
pub fn sniff_with(extractors: &[&dyn Extractor], bytes: &[u8]) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Empty;
    }
    let Some((fallback, specific)) = extractors.split_last() else {
        return Sniffed::Unsupported("a file (no extractor is registered)");
    };
    if let Some(e) = specific.iter().find(|e| e.recognizes(bytes)) {
        return Sniffed::Format(e.format());
    }
    if let Some(what) = other_format(bytes) {
        return Sniffed::Unsupported(what);
    }
    if fallback.recognizes(bytes) {
        Sniffed::Format(fallback.format())
    } else {
        Sniffed::Unsupported("a file of unknown format")
    }
}

/// Known formats noticepipe does not read, named for the error message.
fn other_format(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"{\\rtf", "RTF"),
        (b"GIF8", "a GIF image"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7z archive"),
        (b"\x1F\x8B", "a gzip file"),
        (b"\x7FELF", "an ELF executable"),
        (b"MZ", "a Windows executable"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(what);
    }
    zip_container::has_zip_magic(bytes).then(|| other_zip(bytes))
}

/// A ZIP no extractor took, named by its entries. Only the central directory and, for ODF
/// and EPUB, the small `mimetype` entry are read.
fn other_zip(bytes: &[u8]) -> &'static str {
    let Ok(mut pkg) = zip_container::peek(bytes) else {
        return "a ZIP archive that cannot be read";
    };
    let has_prefix = |p: &str| pkg.names().any(|n| n.starts_with(p));
    if pkg.contains("[Content_Types].xml") {
        return if has_prefix("xl/") {
            "an Excel workbook (.xlsx), not a Word document or OFD"
        } else if has_prefix("ppt/") {
            "a PowerPoint presentation (.pptx), not a Word document or OFD"
        } else {
            "an Office Open XML package without a Word document"
        };
    }
    let mimetype = pkg.read("mimetype").ok().flatten().unwrap_or_default();
    let mimetype = String::from_utf8_lossy(&mimetype);
    match mimetype.trim() {
        "application/vnd.oasis.opendocument.text" => return "an OpenDocument text (.odt)",
        "application/epub+zip" => return "an EPUB book",
        m if m.starts_with("application/vnd.oasis.opendocument.") => {
            return "an OpenDocument file (.ods, .odp …)";
        }
        _ => {}
    }
    if pkg.contains("META-INF/MANIFEST.MF") {
        return "a Java archive (.jar)";
    }
    "a ZIP archive that is neither a Word document (no word/document.xml) nor an OFD (no OFD.xml)"
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

    #[test]
    fn markdown_by_its_signs_and_never_a_text_notice() {
        let md = Sniffed::Format(Format::Markdown);
        for text in [
            "---\n文号: 淄政办字〔2025〕15号\n---\n\n正文。\n",
            "# 关于办实事的通知\n\n一、甲项。\n",
            "附件\n\n| 序号 | 名称 |\n| --- | --- |\n| 1 | 甲 |\n",
        ] {
            assert_eq!(sniff(text.as_bytes()), md, "{text}");
        }
        // A web page with a line that reads like a heading stays a web page.
        assert_eq!(
            sniff(b"<!DOCTYPE html>\n<html><body><pre>\n# 1\n</pre>"),
            Sniffed::Format(Format::Html)
        );
        for text in [
            "淄博市人民政府办公室\n#1 甲\n",
            "一、甲项。\n---\n二、乙项。\n",
        ] {
            assert_eq!(
                sniff(text.as_bytes()),
                Sniffed::Format(Format::Txt),
                "{text}"
            );
        }
    }
}
