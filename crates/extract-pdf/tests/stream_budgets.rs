//! Streams are decoded under the budgets, whatever their filters, and the pdf-extract
//! fallback never reads more than they let through. The PDFs are built here; each is a few
//! KB. Memory is measured, not time: this test binary counts what each thread allocates,
//! so a test can say how much its extraction held at most (peak) and allocated in all.

mod common;

use common::pdf;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::HashMap;
use std::io::Write;

use docmodel::{BlockKind, ErrorCode, Extractor};
use extract_pdf::{Limits, PdfExtractor};

// ---------------------------------------------------------------------------------------
// Allocation counting, per thread (tests run in parallel threads).

struct Counting;

thread_local! {
    static NOW: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    static TOTAL: Cell<usize> = const { Cell::new(0) };
}

fn grew(n: usize) {
    let _ = NOW.try_with(|now| {
        let v = now.get() + n as isize;
        now.set(v);
        let _ = PEAK.try_with(|p| p.set(p.get().max(v)));
    });
    let _ = TOTAL.try_with(|t| t.set(t.get() + n));
}

fn shrank(n: usize) {
    let _ = NOW.try_with(|now| now.set(now.get() - n as isize));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        shrank(layout.size());
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        q
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// What one extraction allocated on this thread: at most at once beyond what was held
/// before, and in all.
#[derive(Debug)]
struct Usage {
    peak: usize,
    total: usize,
}

const MIB: usize = 1 << 20;

fn extract(bytes: &[u8], limits: Limits) -> (Result<docmodel::Document, ErrorCode>, Usage) {
    let base = NOW.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let before = TOTAL.with(Cell::get);
    let extractor = PdfExtractor {
        limits,
        ..PdfExtractor::default()
    };
    let result = extractor.extract(bytes).map_err(|e| e.code);
    let usage = Usage {
        peak: (PEAK.with(Cell::get) - base).max(0) as usize,
        total: TOTAL.with(Cell::get) - before,
    };
    (result, usage)
}

fn text(doc: &docmodel::Document) -> String {
    doc.body()
        .filter_map(|b| match &b.kind {
            BlockKind::Paragraph(t) => Some(t.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------------------
// PDF writing.

/// A stream object: `dict` (without `/Length`) and its data.
fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend(data);
    out.extend(b"\nendstream");
    out
}

/// `pages` pages drawing one content stream (object 3) with `resources`; `shared` are
/// objects 4, 5, …
fn pages_pdf(pages: usize, content: Vec<u8>, resources: &str, shared: Vec<Vec<u8>>) -> Vec<u8> {
    let first = 4 + shared.len();
    let kids: Vec<String> = (0..pages).map(|n| format!("{} 0 R", first + n)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        )
        .into_bytes(),
        content,
    ];
    objects.extend(shared);
    for _ in 0..pages {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R \
                 /Resources {resources} >>"
            )
            .into_bytes(),
        );
    }
    pdf(&objects)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

/// Writes codes most significant bit first.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, code: usize, width: u32) {
        self.acc = (self.acc << width) | code as u64;
        self.n += width;
        while self.n >= 8 {
            self.out.push((self.acc >> (self.n - 8)) as u8);
            self.n -= 8;
        }
        self.acc &= (1 << self.n) - 1;
    }
    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push((self.acc << (8 - self.n)) as u8);
        }
        self.out
    }
}

/// The code width a PDF LZW decoder reads with when its table's next code is `next`.
fn lzw_width(next: usize, early: bool) -> u32 {
    match next + usize::from(early) {
        ..512 => 9,
        512..1024 => 10,
        1024..2048 => 11,
        _ => 12,
    }
}

/// LZW as PDF writes it (a decoder's table lags the encoder's by one code).
fn lzw(data: &[u8], early: bool) -> Vec<u8> {
    let mut bits = Bits::default();
    let mut table: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut next = 258;
    let code = |t: &HashMap<Vec<u8>, usize>, s: &[u8]| {
        if s.len() == 1 {
            usize::from(s[0])
        } else {
            t[s]
        }
    };
    bits.put(256, 9);
    let mut cur: Vec<u8> = Vec::new();
    for &b in data {
        let mut ext = cur.clone();
        ext.push(b);
        if cur.is_empty() || table.contains_key(&ext) {
            cur = ext;
            continue;
        }
        bits.put(code(&table, &cur), lzw_width(next - 1, early));
        if next < 4000 {
            table.insert(ext, next);
            next += 1;
        } else {
            bits.put(256, lzw_width(next, early));
            table.clear();
            next = 258;
        }
        cur = vec![b];
    }
    if !cur.is_empty() {
        bits.put(code(&table, &cur), lzw_width(next - 1, early));
        next += 1;
    }
    bits.put(257, lzw_width(next - 1, early));
    bits.finish()
}

/// `len` copies of `b` in LZW (EarlyChange 1): the codes 258, 259, … each repeat the
/// previous string plus one byte, so a few KB stand for megabytes.
fn lzw_run(b: u8, len: usize) -> Vec<u8> {
    let mut bits = Bits::default();
    let mut done = 0;
    bits.put(256, 9);
    while done < len {
        bits.put(usize::from(b), 9);
        done += 1;
        let mut code = 258;
        while code < 4000 && done < len {
            bits.put(code, lzw_width(code, true));
            done += code - 256;
            code += 1;
        }
        bits.put(256, lzw_width(code, true));
    }
    bits.put(257, 9);
    bits.finish()
}

fn hex(data: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = data
        .iter()
        .flat_map(|b| format!("{b:02x}").into_bytes())
        .collect();
    out.push(b'>');
    out
}

fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for group in data.chunks(4) {
        let mut v = [0u8; 4];
        v[..group.len()].copy_from_slice(group);
        let mut n = u32::from_be_bytes(v);
        if n == 0 && group.len() == 4 {
            out.push(b'z');
            continue;
        }
        let mut digits = [0u8; 5];
        for d in digits.iter_mut().rev() {
            *d = b'!' + (n % 85) as u8;
            n /= 85;
        }
        out.extend(&digits[..group.len() + 1]);
    }
    out.extend(b"~>");
    out
}

/// Literal runs only (the decoder's repeat runs are exercised by `run_of`).
fn run_length(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for run in data.chunks(128) {
        out.push((run.len() - 1) as u8);
        out.extend(run);
    }
    out.push(128);
    out
}

/// `len` copies of `b` in RunLength: 128 bytes for every two.
fn run_of(b: u8, len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..len / 128 {
        out.extend([129, b]);
    }
    out.push(128);
    out
}

/// Rows of `columns` bytes, each with a PNG tag (None, Sub, Up in turn).
fn png_rows(data: &[u8], columns: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut prev = vec![0u8; columns];
    for (r, row) in data.chunks(columns).enumerate() {
        let tag = (r % 3) as u8;
        out.push(tag);
        for (i, &b) in row.iter().enumerate() {
            out.push(match tag {
                0 => b,
                1 => b.wrapping_sub(if i > 0 { row[i - 1] } else { 0 }),
                _ => b.wrapping_sub(prev[i]),
            });
        }
        prev[..row.len()].copy_from_slice(row);
    }
    out
}

/// TIFF predictor 2, one 8-bit colour: each byte minus its left neighbour in the row.
fn tiff_rows(data: &[u8], columns: usize) -> Vec<u8> {
    data.chunks(columns)
        .flat_map(|row| {
            (0..row.len()).map(move |i| row[i].wrapping_sub(if i > 0 { row[i - 1] } else { 0 }))
        })
        .collect()
}

const HELVETICA: &[u8] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

/// Glyph names this crate's table lacks: only the pdf-extract fallback reads them (as
/// `fixtures/pdf/glyph_names.pdf`); `(ABCD)` shows "Éçßé".
const GLYPH_NAMES: &[u8] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding \
    << /Type /Encoding /Differences [65 /Eacute /ccedilla /germandbls /eacute] >> >>";

// ---------------------------------------------------------------------------------------
// Filters.

const LINE: &str = "Filters undone in order";

fn one_line(content_object: Vec<u8>) -> Vec<u8> {
    pages_pdf(
        1,
        content_object,
        "<< /Font << /F1 4 0 R >> >>",
        vec![HELVETICA.to_vec()],
    )
}

#[test]
fn every_filter_chain_reads_the_same_text() {
    let content = format!("BT /F1 12 Tf 72 700 Td ({LINE}) Tj ET");
    // Whole rows for the predictors.
    let padded = format!("{content:<64}");
    let (content, padded) = (content.as_bytes(), padded.as_bytes());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("LZW", stream("/Filter /LZWDecode", &lzw(content, true))),
        (
            "LZW, EarlyChange 0",
            stream(
                "/Filter /LZWDecode /DecodeParms << /EarlyChange 0 >>",
                &lzw(content, false),
            ),
        ),
        (
            "Flate, PNG predictor",
            stream(
                "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 8 >>",
                &deflate(&png_rows(padded, 8)),
            ),
        ),
        (
            "LZW, TIFF predictor",
            stream(
                "/Filter /LZWDecode /DecodeParms << /Predictor 2 /Columns 8 >>",
                &lzw(&tiff_rows(padded, 8), true),
            ),
        ),
        (
            "ASCIIHex, Flate with a predictor",
            stream(
                "/Filter [/ASCIIHexDecode /FlateDecode] \
                 /DecodeParms [null << /Predictor 12 /Columns 8 >>]",
                &hex(&deflate(&png_rows(padded, 8))),
            ),
        ),
        (
            "ASCII85, RunLength",
            stream(
                "/Filter [/ASCII85Decode /RunLengthDecode]",
                &ascii85(&run_length(content)),
            ),
        ),
        (
            "abbreviated names",
            stream("/Filter [/AHx /Fl]", &hex(&deflate(content))),
        ),
    ];
    for (what, object) in cases {
        let (doc, _) = extract(&one_line(object), Limits::default());
        let doc = doc.unwrap_or_else(|e| panic!("{what}: {e:?}"));
        assert_eq!(text(&doc), LINE, "{what}");
    }
}

/// Streams of a few KB that decode to 8 MiB, read with a 256 KiB stream budget.
fn hostile_streams() -> Vec<(&'static str, Vec<u8>)> {
    let spaces = vec![b' '; 8 * MIB];
    vec![
        ("LZW", stream("/Filter /LZWDecode", &lzw_run(b' ', 8 * MIB))),
        (
            "Flate with a PNG predictor",
            stream(
                "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 1023 >>",
                &deflate(&vec![0; 8 * MIB]),
            ),
        ),
        (
            "ASCIIHex then Flate",
            stream(
                "/Filter [/ASCIIHexDecode /FlateDecode]",
                &hex(&deflate(&spaces)),
            ),
        ),
        (
            "Flate then RunLength",
            stream(
                "/Filter [/FlateDecode /RunLengthDecode]",
                &deflate(&run_of(b' ', 8 * MIB)),
            ),
        ),
        (
            "ASCII85 then Flate",
            stream(
                "/Filter [/ASCII85Decode /FlateDecode]",
                &ascii85(&deflate(&spaces)),
            ),
        ),
    ]
}

#[test]
fn a_filter_chain_stops_at_the_stream_budget() {
    let limits = Limits {
        max_stream_bytes: MIB / 4,
        ..Limits::default()
    };
    for (what, object) in hostile_streams() {
        let bytes = one_line(object);
        assert!(bytes.len() < 64 << 10, "{what}: {} bytes", bytes.len());
        let (result, usage) = extract(&bytes, limits);
        assert_eq!(result.err(), Some(ErrorCode::TooLarge), "{what}");
        // Refused when the output reaches the budget, never after decoding 8 MiB.
        assert!(usage.peak < 2 * MIB, "{what}: {usage:?}");
        assert!(usage.total < 4 * MIB, "{what}: {usage:?}");
    }
}

// ---------------------------------------------------------------------------------------
// The pdf-extract fallback.

/// A Type0 font with no Unicode of its own (Identity-H, Identity ordering) and a ToUnicode
/// CMap that decodes to `padding` bytes and more; objects 4–7.
fn font_with_to_unicode(padding: usize) -> Vec<Vec<u8>> {
    let mut cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap \
        1 begincodespacerange <0000> <FFFF> endcodespacerange "
        .to_vec();
    cmap.resize(cmap.len() + padding, b' ');
    cmap.extend(b"2 beginbfchar <0001> <0041> <0002> <0042> endbfchar endcmap end end");
    vec![
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Hostile /Encoding /Identity-H \
           /DescendantFonts [5 0 R] /ToUnicode 7 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Hostile /CIDSystemInfo \
           << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R \
           /DW 1000 >>"
            .to_vec(),
        b"<< /Type /FontDescriptor /FontName /Hostile /Flags 4 /FontBBox [0 0 1000 1000] \
           /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>"
            .to_vec(),
        stream("/Filter /FlateDecode", &deflate(&cmap)),
    ]
}

#[test]
fn a_to_unicode_cmap_refused_by_the_budget_is_not_inflated_again() {
    // Four pages sharing a font whose ToUnicode decodes to 8 MiB; the stream budget is
    // 256 KiB. The CMap reader refuses it, and with it the document: pdf-extract used to
    // inflate it again on every page (its glyphs had no other Unicode).
    let bytes = pages_pdf(
        4,
        stream("", b"BT /F1 12 Tf 72 700 Td <00010002> Tj ET"),
        "<< /Font << /F1 4 0 R >> >>",
        font_with_to_unicode(8 * MIB),
    );
    assert!(bytes.len() < 64 << 10, "{} bytes", bytes.len());
    let limits = Limits {
        max_stream_bytes: MIB / 4,
        ..Limits::default()
    };
    let (result, usage) = extract(&bytes, limits);
    assert_eq!(result.err(), Some(ErrorCode::TooLarge));
    assert!(usage.total < 4 * MIB, "{usage:?}");
}

/// A simple font whose codes map to nothing (embedded, symbolic, no encoding): its pages
/// go to the fallback, which reads its font program (1 MiB); objects 4–6.
fn unmapped_font_with_program() -> Vec<Vec<u8>> {
    vec![
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+Symbolic /FontDescriptor 5 0 R >>"
            .to_vec(),
        b"<< /Type /FontDescriptor /FontName /ABCDEF+Symbolic /Flags 4 \
           /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 \
           /StemV 80 /FontFile 6 0 R >>"
            .to_vec(),
        stream(
            "/Filter /FlateDecode /Length1 1048576 /Length2 0 /Length3 0",
            &deflate(&vec![0; MIB]),
        ),
    ]
}

#[test]
fn what_the_fallback_reads_counts_against_the_content_budget() {
    // Eight pages whose glyphs only the fallback could map; each time it runs, pdf-extract
    // loads the 1 MiB font program again. With 4 MiB of content allowed, the third page
    // passes the budget (the program is decoded once, then read once a page).
    let bytes = pages_pdf(
        8,
        stream("", b"BT /F1 12 Tf 72 700 Td (abcdef) Tj ET"),
        "<< /Font << /F1 4 0 R >> >>",
        unmapped_font_with_program(),
    );
    let limits = Limits {
        max_stream_bytes: 2 * MIB,
        max_content_bytes: 4 * MIB as u64,
        ..Limits::default()
    };
    assert_eq!(extract(&bytes, limits).0.err(), Some(ErrorCode::TooLarge));
    // One page is within the budget: read (no text: the font program is no Type1 font).
    let one = pages_pdf(
        1,
        stream("", b"BT /F1 12 Tf 72 700 Td (abcdef) Tj ET"),
        "<< /Font << /F1 4 0 R >> >>",
        unmapped_font_with_program(),
    );
    assert_eq!(extract(&one, limits).0.err(), Some(ErrorCode::NoTextLayer));
}

#[test]
fn a_form_that_draws_itself_is_not_handed_to_pdf_extract() {
    // The form shows the text, then draws itself. This crate's reader skips the second
    // draw; pdf-extract has no such guard and would recurse until the stack overflows
    // (which aborts the process: no panic guard catches it).
    let form = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 595 842] \
         /Resources << /Font << /F1 5 0 R >> /XObject << /X 4 0 R >> >>",
        b"BT /F1 24 Tf 72 700 Td (ABCD) Tj ET /X Do",
    );
    let bytes = pages_pdf(
        1,
        stream("", b"/X Do"),
        "<< /XObject << /X 4 0 R >> >>",
        vec![form, GLYPH_NAMES.to_vec()],
    );
    let (result, _) = extract(&bytes, Limits::default());
    assert_eq!(result.err(), Some(ErrorCode::NoTextLayer));
}

#[test]
fn the_fallback_reads_forms_and_skips_images() {
    // The glyph-name text inside a form, next to an image: the copy pdf-extract reads
    // keeps the form and the font, and the image is empty there.
    let form = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>",
        b"BT /F1 24 Tf 72 700 Td (ABCD) Tj ET",
    );
    let image = stream(
        "/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray \
         /BitsPerComponent 8 /Filter /FlateDecode",
        &deflate(&[0x80; 64 * 64]),
    );
    let bytes = pages_pdf(
        1,
        stream("", b"q 100 0 0 100 72 500 cm /Im Do Q /X Do"),
        "<< /XObject << /X 4 0 R /Im 6 0 R >> >>",
        vec![form, GLYPH_NAMES.to_vec(), image],
    );
    let (doc, _) = extract(&bytes, Limits::default());
    assert_eq!(text(&doc.expect("read")), "Éçßé");
}
