//! OFD extraction (capped ZIP, OFD.xml, Document.xml, page content: text codes, DeltaX
//! runs, CTMs, paths, templates), glyph-layout and the parser on arbitrary bytes.
//!
//! Mutated ZIP bytes mostly break a CRC or the deflate stream and never reach the XML, so
//! the first byte chooses what the rest is: 0 the whole `.ofd`; 1 a page's `Content.xml`,
//! 2 `Document.xml`, 3 `OFD.xml`, each put into an otherwise valid package (stored, no
//! compression). `fuzz/run.sh ofd` makes seeds of every kind from fixtures/ofd.
#![no_main]

use std::io::Write;

use docmodel::Extractor;
use libfuzzer_sys::fuzz_target;

#[path = "own_panics.rs"]
mod own_panics;

const OFD_XML: &str = r#"<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:Signatures>Doc_0/Signatures.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>"#;
const DOCUMENT: &str = r#"<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:TemplatePage ID="1" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData><ofd:Pages><ofd:Page ID="2" BaseLoc="Pages/Page_0/Content.xml"/><ofd:Page ID="3" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>"#;
const CONTENT: &str = r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Template TemplateID="1"/><ofd:Content><ofd:Layer ID="4"><ofd:TextObject ID="5" Boundary="30 40 100 8" Size="5.6"><ofd:TextCode X="0" Y="5" DeltaX="g 3 5.6">关于印发</ofd:TextCode></ofd:TextObject><ofd:PathObject ID="6" Boundary="28 50 156 1"><ofd:AbbreviatedData>M 0 0 L 156 0</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>"#;

fn package(ofd: &[u8], document: &[u8], content: &[u8]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    for (name, data) in [
        ("OFD.xml", ofd),
        ("Doc_0/Document.xml", document),
        ("Doc_0/Pages/Page_0/Content.xml", content),
        ("Doc_0/Tpls/Tpl_0/Content.xml", content),
        ("Doc_0/Signatures.xml", b"<Signatures><Signature/></Signatures>".as_slice()),
    ] {
        z.start_file(name, o).expect("entry");
        z.write_all(data).expect("write");
    }
    z.finish().expect("zip").into_inner()
}

fuzz_target!(|data: &[u8]| {
    own_panics::install();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (o, d, c) = (OFD_XML.as_bytes(), DOCUMENT.as_bytes(), CONTENT.as_bytes());
    let bytes = match mode % 4 {
        0 => rest.to_vec(),
        1 => package(o, d, rest),
        2 => package(o, rest, c),
        _ => package(rest, d, c),
    };
    if let Ok(doc) = extract_ofd::OfdExtractor::default().extract(&bytes) {
        let _ = notice_parser::parse(&doc);
    }
});
