//! Release-mode timing of docx-rs `read_docx` vs its per-part readers on given files.
//! `cargo run --release -p extract-docx --example docx_timing -- corpus/*.docx`
use docx_rs::FromXML;
use std::io::Read;
use std::time::Instant;

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> f64 {
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(f());
    }
    t.elapsed().as_secs_f64() / n as f64 * 1e3
}

fn part(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut v = Vec::new();
    z.by_name(name).unwrap().read_to_end(&mut v).unwrap();
    v
}

fn main() {
    let n = 200;
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        let opts = docx_rs::ReadDocxOptions::default().with_image_previews(false);
        let full = time(n, || docx_rs::read_docx_with_options(&bytes, opts).unwrap());
        let styles = part(&bytes, "word/styles.xml");
        let doc = part(&bytes, "word/document.xml");
        let num = part(&bytes, "word/numbering.xml");
        let t_styles = time(n, || docx_rs::Styles::from_xml(&styles[..]).unwrap());
        let t_doc = time(n, || docx_rs::Document::from_xml(&doc[..]).unwrap());
        let t_num = time(n, || docx_rs::Numberings::from_xml(&num[..]).unwrap());
        let t_ours = time(n, || {
            <extract_docx::DocxExtractor as docmodel::Extractor>::extract(
                &extract_docx::DocxExtractor::default(),
                &bytes,
            )
            .unwrap()
        });
        println!(
            "{path}: read_docx {full:.3} ms | docx-rs styles.xml {t_styles:.3} ms, document.xml {t_doc:.3} ms, numbering.xml {t_num:.3} ms | DocxExtractor::extract {t_ours:.3} ms"
        );
    }
}
