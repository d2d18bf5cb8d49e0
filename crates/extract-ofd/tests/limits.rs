//! Each setting refuses input beyond it with `too_large`; small packages built here.

use std::io::Write;

use docmodel::ErrorCode;
use extract_ofd::{Limits, OfdExtractor};

const NS: &str = r#"xmlns:ofd="http://www.ofdspec.org/2016""#;

fn package(pages: usize, content: &str) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    let mut put = |name: &str, data: &str| {
        z.start_file(name, o).unwrap();
        z.write_all(data.as_bytes()).unwrap();
    };
    put(
        "OFD.xml",
        &format!(
            r#"<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#
        ),
    );
    let list: String = (0..pages)
        .map(|i| format!(r#"<ofd:Page ID="{i}" BaseLoc="Pages/Page_0/Content.xml"/>"#))
        .collect();
    put(
        "Doc_0/Document.xml",
        &format!(
            r#"<ofd:Document {NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>{list}</ofd:Pages></ofd:Document>"#
        ),
    );
    put(
        "Doc_0/Pages/Page_0/Content.xml",
        &format!(
            r#"<ofd:Page {NS}><ofd:Content><ofd:Layer ID="1">{content}</ofd:Layer></ofd:Content></ofd:Page>"#
        ),
    );
    z.finish().unwrap().into_inner()
}

const TEXT: &str = r#"<ofd:TextObject ID="2" Boundary="30 40 150 8" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="g 9 5">关于印发十件实事的通知</ofd:TextCode></ofd:TextObject>"#;
const RULE: &str = r#"<ofd:PathObject ID="3" Boundary="28 50 156 1"><ofd:AbbreviatedData>M 0 0 L 156 0 L 156 0.2 C</ofd:AbbreviatedData></ofd:PathObject>"#;

fn code(limits: Limits, bytes: &[u8]) -> Result<usize, ErrorCode> {
    OfdExtractor { limits }
        .extract_ofd(bytes)
        .map(|d| d.blocks.len())
        .map_err(|e| docmodel::CodedError::code(&e))
}

#[test]
fn a_small_package_reads_with_default_settings() {
    let doc = OfdExtractor::default()
        .extract_ofd(&package(2, &format!("{TEXT}{RULE}")))
        .unwrap();
    assert_eq!(doc.info.pages, Some(2));
    assert_eq!(doc.info.signatures, Some(0));
    assert!(doc.has_text());
}

#[test]
fn each_setting_gives_too_large() {
    let d = Limits::default();
    let two_pages = package(2, &format!("{TEXT}{RULE}"));
    let cases = [
        (
            "max_input_bytes",
            Limits {
                max_input_bytes: 100,
                ..d
            },
        ),
        (
            "max_entries",
            Limits {
                max_entries: 2,
                ..d
            },
        ),
        (
            "max_part_bytes",
            Limits {
                max_part_bytes: 100,
                ..d
            },
        ),
        (
            "max_total_bytes",
            Limits {
                max_total_bytes: 400,
                ..d
            },
        ),
        ("max_pages", Limits { max_pages: 1, ..d }),
        (
            "max_objects",
            Limits {
                max_objects: 5,
                ..d
            },
        ),
        (
            "max_glyphs",
            Limits {
                max_glyphs: 15,
                ..d
            },
        ),
        (
            "max_path_commands",
            Limits {
                max_path_commands: 5,
                ..d
            },
        ),
        ("max_depth", Limits { max_depth: 3, ..d }),
    ];
    for (name, limits) in cases {
        assert_eq!(code(limits, &two_pages), Err(ErrorCode::TooLarge), "{name}");
    }
    assert!(code(d, &two_pages).is_ok());
}

#[test]
fn huge_delta_runs_cost_only_the_glyphs_they_space() {
    let text = r#"<ofd:TextObject ID="2" Boundary="30 40 150 8" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="g 4000000000 5 g 4000000000 5">关于印发</ofd:TextCode></ofd:TextObject>"#;
    assert!(code(Limits::default(), &package(1, text)).is_ok());
}
