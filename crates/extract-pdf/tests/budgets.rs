//! Budgets bound time, not only memory: small PDFs that used to take the whole worker
//! timeout (or, in process, as long as they liked) are read quickly or refused.
//! The PDFs are built here; each is a few KB.

mod common;

use common::pdf;

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

use docmodel::{ErrorCode, Extractor};
use extract_pdf::PdfExtractor;

fn deflated_stream(data: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(data).unwrap();
    let packed = z.finish().unwrap();
    let mut out = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        packed.len()
    )
    .into_bytes();
    out.extend(packed);
    out.extend(b"\nendstream");
    out
}

const HELVETICA: &[u8] =
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 126 \
    /Widths [ 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 \
    500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 \
    500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 \
    500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 \
    500 500 500 500 500 500 500 ] >>";

/// Extracts `bytes` in a thread and waits at most `limit` (debug builds included) for it.
fn extract_within(bytes: Vec<u8>, limit: Duration) -> Result<docmodel::Document, ErrorCode> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let result = PdfExtractor::default().extract(&bytes).map_err(|e| e.code);
        let _ = send.send(result);
    });
    receive
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("no result within {limit:?}"))
}

#[test]
fn one_line_of_400_000_glyphs_is_read_in_bounded_time() {
    let text = "abcdefghij".repeat(40_000);
    let content = format!("BT /F1 1 Tf 10 700 Td ({text}) Tj ET");
    let bytes = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
           /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        deflated_stream(content.as_bytes()),
        HELVETICA.to_vec(),
    ]);
    assert!(bytes.len() < 16 << 10, "{} bytes", bytes.len());
    let doc = extract_within(bytes, Duration::from_secs(30)).expect("read");
    let text: usize = doc
        .body()
        .map(|b| match &b.kind {
            docmodel::BlockKind::Paragraph(t) => t.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(text, 400_000);
}

#[test]
fn white_space_drawn_on_every_page_is_bounded_by_the_content_budget() {
    // 400 pages drawing one content stream of 60 MiB of spaces (60 KB compressed): no
    // operator, so only the content bytes budget sees the work.
    let pages = 400;
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages)
                .map(|n| format!("{} 0 R", n + 4))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes(),
        deflated_stream(&vec![b' '; 60 << 20]),
    ];
    for _ in 0..pages {
        objects.push(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>".to_vec(),
        );
    }
    let bytes = pdf(&objects);
    assert_eq!(
        extract_within(bytes, Duration::from_secs(60)).err(),
        Some(ErrorCode::TooLarge)
    );
}

#[test]
fn text_in_forms_nested_twenty_deep_is_read() {
    // Page -> form 1 -> form 2 -> … -> form 20, which shows the text.
    let depth = 20;
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
           /Resources << /XObject << /X 6 0 R >> >> >>"
            .to_vec(),
        deflated_stream(b"/X Do"),
        HELVETICA.to_vec(),
    ];
    for level in 1..=depth {
        let id = 5 + level;
        let (content, resources) = if level == depth {
            (
                b"BT /F1 12 Tf 72 700 Td (Deep inside the forms) Tj ET".to_vec(),
                "/Font << /F1 5 0 R >>".to_string(),
            )
        } else {
            (
                b"/X Do".to_vec(),
                format!("/XObject << /X {} 0 R >>", id + 1),
            )
        };
        let mut form = format!(
            "<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << {resources} >> /Length {} >>\nstream\n",
            content.len()
        )
        .into_bytes();
        form.extend(content);
        form.extend(b"\nendstream");
        objects.push(form);
    }
    let doc = extract_within(pdf(&objects), Duration::from_secs(30)).expect("read");
    let paragraphs: Vec<&str> = doc
        .body()
        .filter_map(|b| match &b.kind {
            docmodel::BlockKind::Paragraph(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(paragraphs, vec!["Deep inside the forms"]);
}
