//! Stream filters, decoded under a byte budget.
//!
//! Every stream this crate reads goes through [`decode`]: each filter of the chain writes into
//! a buffer that refuses to grow past the budget, so a small stream that expands a
//! thousandfold is refused (`too_large`) when its output reaches the budget, never after it
//! was inflated in full. Implemented here: `FlateDecode` and `LZWDecode` (with the PNG and
//! TIFF predictors of their `/DecodeParms`, and `/EarlyChange`), `ASCIIHexDecode`,
//! `ASCII85Decode`, `RunLengthDecode`, and chains of them. The image codecs (`DCTDecode`,
//! `JPXDecode`, `CCITTFaxDecode`, `JBIG2Decode`) are not decoded: the chain stops before
//! them and hands back their input, the image as stored (what OCR decodes itself).

use crate::Error;
use lopdf::{Dictionary, Document, Object, Stream};
use std::io::Read;

/// A decoded stream.
#[derive(Debug)]
pub struct Decoded {
    /// The bytes after every filter that was applied.
    pub data: Vec<u8>,
    /// The image codec the chain stopped before (`data` is its input), if any.
    pub image: Option<Vec<u8>>,
}

fn too_large(max: usize, filter: &[u8]) -> Error {
    Error::TooLarge(format!(
        "a stream decodes beyond max_stream_bytes {max} ({})",
        String::from_utf8_lossy(filter)
    ))
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

/// The filter names of a stream, in decoding order.
fn filters<'a>(doc: &'a Document, s: &'a Stream) -> Result<Vec<&'a [u8]>, Error> {
    let Ok(f) = s.dict.get(b"Filter") else {
        return Ok(Vec::new());
    };
    let bad = || Error::Corrupt("stream: /Filter is neither a name nor an array of names".into());
    match deref(doc, f) {
        Object::Name(n) => Ok(vec![n]),
        Object::Array(a) => a
            .iter()
            .map(|o| deref(doc, o).as_name().map_err(|_| bad()))
            .collect(),
        Object::Null => Ok(Vec::new()),
        _ => Err(bad()),
    }
}

/// The `/DecodeParms` of the `i`-th filter: one dictionary for a single filter, or an array
/// with one entry (dictionary or null) per filter.
fn parms<'a>(doc: &'a Document, s: &'a Stream, i: usize) -> Option<&'a Dictionary> {
    let p = deref(doc, s.dict.get(b"DecodeParms").ok()?);
    match p {
        Object::Dictionary(d) => Some(d),
        Object::Array(a) => deref(doc, a.get(i)?).as_dict().ok(),
        _ => None,
    }
}

fn int(doc: &Document, d: Option<&Dictionary>, key: &[u8], default: i64) -> i64 {
    d.and_then(|d| d.get(key).ok())
        .and_then(|o| deref(doc, o).as_i64().ok())
        .unwrap_or(default)
}

/// Decodes `s` through its filter chain; every step's output is refused past `max` bytes.
pub fn decode(doc: &Document, s: &Stream, max: usize) -> Result<Decoded, Error> {
    let names = filters(doc, s)?;
    if names.is_empty() {
        if s.content.len() > max {
            return Err(Error::TooLarge(format!(
                "stream of {} bytes exceeds max_stream_bytes {max}",
                s.content.len()
            )));
        }
        return Ok(Decoded {
            data: s.content.clone(),
            image: None,
        });
    }
    let mut data: Option<Vec<u8>> = None;
    for (i, name) in names.iter().enumerate() {
        let input = data.as_deref().unwrap_or(&s.content);
        let p = parms(doc, s, i);
        let out = match *name {
            b"FlateDecode" | b"Fl" => {
                let raw = inflate(input, max).ok_or_else(|| too_large(max, name))?;
                predict(doc, raw, p)?
            }
            b"LZWDecode" | b"LZW" => {
                let early = int(doc, p, b"EarlyChange", 1) != 0;
                let raw = lzw(input, early, max).ok_or_else(|| too_large(max, name))?;
                predict(doc, raw, p)?
            }
            b"ASCIIHexDecode" | b"AHx" => {
                ascii_hex(input, max).ok_or_else(|| too_large(max, name))?
            }
            b"ASCII85Decode" | b"A85" => {
                ascii85(input, max)?.ok_or_else(|| too_large(max, name))?
            }
            b"RunLengthDecode" | b"RL" => {
                run_length(input, max).ok_or_else(|| too_large(max, name))?
            }
            b"Crypt" => {
                // lopdf decrypts streams when it loads the file; only the identity filter
                // is left to undo here.
                let crypt = p
                    .and_then(|p| p.get(b"Name").ok())
                    .and_then(|o| deref(doc, o).as_name().ok());
                if crypt.is_some_and(|n| n != b"Identity") {
                    return Err(Error::Corrupt(
                        "stream: a crypt filter other than Identity".into(),
                    ));
                }
                input.to_vec()
            }
            b"DCTDecode" | b"DCT" | b"JPXDecode" | b"CCITTFaxDecode" | b"CCF" | b"JBIG2Decode" => {
                if input.len() > max {
                    return Err(too_large(max, name));
                }
                return Ok(Decoded {
                    data: data.unwrap_or_else(|| s.content.clone()),
                    image: Some(name.to_vec()),
                });
            }
            other => {
                return Err(Error::Corrupt(format!(
                    "stream: unsupported filter {}",
                    String::from_utf8_lossy(other)
                )));
            }
        };
        data = Some(out);
    }
    Ok(Decoded {
        data: data.unwrap_or_default(),
        image: None,
    })
}

/// Zlib data inflated up to `max` bytes (None past it). A truncated or corrupt stream keeps
/// what was inflated, as viewers do.
fn inflate(input: &[u8], max: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let _ = flate2::read::ZlibDecoder::new(input)
        .take(max as u64 + 1)
        .read_to_end(&mut out);
    (out.len() <= max).then_some(out)
}

/// Undoes the predictor of `/DecodeParms` (PNG 10–15: a tag byte per row; TIFF 2). Its output
/// is never longer than its input.
fn predict(doc: &Document, data: Vec<u8>, p: Option<&Dictionary>) -> Result<Vec<u8>, Error> {
    let predictor = int(doc, p, b"Predictor", 1);
    if predictor < 2 {
        return Ok(data);
    }
    let colors = int(doc, p, b"Colors", 1).clamp(1, 32) as usize;
    let bpc = match int(doc, p, b"BitsPerComponent", 8) {
        b @ (1 | 2 | 4 | 8 | 16) => b as usize,
        b => {
            return Err(Error::Corrupt(format!(
                "stream: predictor with {b} bits per component"
            )));
        }
    };
    let columns = int(doc, p, b"Columns", 1).max(1) as u64;
    let pixel_bits = colors * bpc;
    // A hostile /Columns makes a row longer than the data: there is then one partial row.
    let row = (pixel_bits as u64 * columns)
        .div_ceil(8)
        .min(data.len() as u64) as usize;
    if row == 0 {
        return Ok(Vec::new());
    }
    match predictor {
        2 => Ok(tiff_predictor(data, row, colors, bpc)),
        10..=15 => png_predictor(&data, row, pixel_bits.div_ceil(8)),
        p => Err(Error::Corrupt(format!("stream: unknown predictor {p}"))),
    }
}

fn png_predictor(data: &[u8], row: usize, bpp: usize) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (tag, src) = (chunk[0], &chunk[1..]);
        let mut cur = src.to_vec();
        let n = cur.len();
        match tag {
            0 => {}
            1 => {
                for i in bpp..n {
                    cur[i] = cur[i].wrapping_add(cur[i - bpp]);
                }
            }
            2 => {
                for i in 0..n {
                    cur[i] = cur[i].wrapping_add(prev[i]);
                }
            }
            3 => {
                for i in 0..n {
                    let left = if i >= bpp { cur[i - bpp] } else { 0 };
                    cur[i] =
                        cur[i].wrapping_add(((u16::from(left) + u16::from(prev[i])) / 2) as u8);
                }
            }
            4 => {
                for i in 0..n {
                    let (a, c) = if i >= bpp {
                        (cur[i - bpp], prev[i - bpp])
                    } else {
                        (0, 0)
                    };
                    cur[i] = cur[i].wrapping_add(paeth(a, prev[i], c));
                }
            }
            t => return Err(Error::Corrupt(format!("stream: PNG predictor tag {t}"))),
        }
        out.extend_from_slice(&cur);
        prev[..n].copy_from_slice(&cur);
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// TIFF predictor 2: each sample is stored as the difference from the same component of the
/// pixel to its left, within a row.
fn tiff_predictor(mut data: Vec<u8>, row: usize, colors: usize, bpc: usize) -> Vec<u8> {
    for r in data.chunks_mut(row) {
        match bpc {
            8 => {
                for i in colors..r.len() {
                    r[i] = r[i].wrapping_add(r[i - colors]);
                }
            }
            16 => {
                let stride = 2 * colors;
                let mut i = stride;
                while i + 1 < r.len() {
                    let left = u16::from_be_bytes([r[i - stride], r[i - stride + 1]]);
                    let v = u16::from_be_bytes([r[i], r[i + 1]]).wrapping_add(left);
                    r[i..i + 2].copy_from_slice(&v.to_be_bytes());
                    i += 2;
                }
            }
            _ => {
                // 1, 2 or 4 bits: samples packed MSB first.
                let samples = r.len() * 8 / bpc;
                let mask = (1u16 << bpc) - 1;
                let get = |r: &[u8], k: usize| {
                    let bit = k * bpc;
                    (u16::from(r[bit / 8]) >> (8 - bpc - bit % 8)) & mask
                };
                for k in colors..samples {
                    let v = (get(r, k) + get(r, k - colors)) & mask;
                    let bit = k * bpc;
                    let shift = 8 - bpc - bit % 8;
                    let byte = &mut r[bit / 8];
                    *byte = (*byte & !((mask as u8) << shift)) | ((v as u8) << shift);
                }
            }
        }
    }
    data
}

/// LZW (PDF flavour: MSB-first codes of 9 to 12 bits, 256 clears the table, 257 ends the
/// data; with `early`, the code width grows one code early). None past `max` bytes; bad
/// codes and truncation end the data with what was decoded.
fn lzw(input: &[u8], early: bool, max: usize) -> Option<Vec<u8>> {
    const CLEAR: usize = 256;
    const EOD: usize = 257;
    // Table entries 258.. as (offset, length) in `out`: each entry is the previous string
    // plus the first byte of the next one, which `out` holds contiguously.
    let mut table: Vec<(usize, usize)> = Vec::new();
    let mut out: Vec<u8> = Vec::new();
    let mut prev: Option<(usize, usize)> = None;
    let (mut acc, mut nbits, mut pos, mut width) = (0u32, 0u32, 0usize, 9u32);
    'codes: loop {
        while nbits < width {
            let Some(&b) = input.get(pos) else {
                break 'codes;
            };
            pos += 1;
            acc = (acc << 8) | u32::from(b);
            nbits += 8;
        }
        let code = ((acc >> (nbits - width)) & ((1 << width) - 1)) as usize;
        nbits -= width;
        acc &= (1 << nbits) - 1;
        if code == CLEAR {
            table.clear();
            prev = None;
            width = 9;
            continue;
        }
        if code == EOD {
            break;
        }
        let next = 258 + table.len();
        let start = out.len();
        let len = match (code, prev) {
            (c, _) if c < 256 => {
                if start >= max {
                    return None;
                }
                out.push(c as u8);
                1
            }
            (c, _) if c < next => {
                let (o, l) = table[c - 258];
                if start + l > max {
                    return None;
                }
                out.extend_from_within(o..o + l);
                l
            }
            (c, Some((o, l))) if c == next => {
                if start + l + 1 > max {
                    return None;
                }
                out.extend_from_within(o..o + l);
                out.push(out[o]);
                l + 1
            }
            _ => break,
        };
        if let Some((o, l)) = prev
            && next < 4096
        {
            table.push((o, l + 1));
        }
        prev = Some((start, len));
        let size = 258 + table.len() + usize::from(early);
        width = match size {
            ..512 => 9,
            512..1024 => 10,
            1024..2048 => 11,
            _ => 12,
        };
    }
    Some(out)
}

/// Hex pairs up to `>`; white space and other bytes are skipped, an odd last digit is
/// followed by 0.
fn ascii_hex(input: &[u8], max: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity((input.len() / 2).min(max));
    let mut high: Option<u8> = None;
    for &c in input {
        if c == b'>' {
            break;
        }
        let Some(v) = (c as char).to_digit(16) else {
            continue;
        };
        match high.take() {
            None => high = Some(v as u8),
            Some(h) => out.push(h << 4 | v as u8),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    (out.len() <= max).then_some(out)
}

/// Base-85 groups up to `~>`, `z` for four zeros; white space skipped; another byte ends
/// the data. Ok(None) past `max` bytes.
fn ascii85(input: &[u8], max: usize) -> Result<Option<Vec<u8>>, Error> {
    let corrupt = |m: &str| Error::Corrupt(format!("stream: ASCII85 {m}"));
    let mut out = Vec::with_capacity((input.len() / 5 * 4).min(max));
    let (mut group, mut n) = (0u64, 0usize);
    for &c in input {
        if c.is_ascii_whitespace() {
            continue;
        }
        if out.len() > max {
            return Ok(None);
        }
        match c {
            b'z' if n == 0 => out.extend_from_slice(&[0; 4]),
            b'z' => return Err(corrupt("z inside a group")),
            b'!'..=b'u' => {
                group = group * 85 + u64::from(c - b'!');
                n += 1;
                if n == 5 {
                    let v = u32::try_from(group).map_err(|_| corrupt("group overflows"))?;
                    out.extend_from_slice(&v.to_be_bytes());
                    (group, n) = (0, 0);
                }
            }
            _ => break,
        }
    }
    if n > 1 {
        for _ in n..5 {
            group = group * 85 + 84;
        }
        let v = u32::try_from(group).map_err(|_| corrupt("group overflows"))?;
        out.extend_from_slice(&v.to_be_bytes()[..n - 1]);
    }
    Ok((out.len() <= max).then_some(out))
}

/// Runs: a length byte 0–127 copies the next n+1 bytes, 129–255 repeats the next byte
/// 257−n times, 128 ends the data.
fn run_length(input: &[u8], max: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&n) = input.get(i) {
        match n {
            128 => break,
            0..128 => {
                let end = (i + 2 + n as usize).min(input.len());
                let lit = &input[i + 1..end];
                if out.len() + lit.len() > max {
                    return None;
                }
                out.extend_from_slice(lit);
                i = end;
            }
            _ => {
                let Some(&b) = input.get(i + 1) else { break };
                let count = 257 - n as usize;
                if out.len() + count > max {
                    return None;
                }
                out.resize(out.len() + count, b);
                i += 2;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lzw_example_of_the_pdf_reference() {
        // PDF 1.7 reference, 7.4.4.2: "-----A---B" with EarlyChange 1.
        let code = [0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01];
        assert_eq!(lzw(&code, true, 100).unwrap(), b"-----A---B");
        assert_eq!(lzw(&code, true, 9), None);
    }

    #[test]
    fn ascii_filters() {
        assert_eq!(ascii_hex(b"48 65 6c6C 6\n>ff", 100).unwrap(), b"Hell\x60");
        assert_eq!(
            ascii85(b"87cURD]j7BEbo7~>", 100).unwrap().unwrap(),
            b"Hello world"
        );
        assert_eq!(ascii85(b"z!!~>", 100).unwrap().unwrap(), [0, 0, 0, 0, 0]);
        assert_eq!(ascii85(b"zzzz~>", 8).unwrap(), None);
        assert_eq!(
            run_length(&[2, b'a', b'b', b'c', 254, b'x', 128, b'z'], 100).unwrap(),
            b"abcxxx"
        );
        assert_eq!(run_length(&[129, b'x'], 127), None);
    }

    #[test]
    fn predictors() {
        // PNG: Sub row then Up row, 3 columns of one byte.
        let png = [1, 1, 1, 1, 2, 1, 1, 1];
        assert_eq!(png_predictor(&png, 3, 1).unwrap(), [1, 2, 3, 2, 3, 4]);
        // Avg and Paeth against the previous row.
        let png = [0, 10, 20, 30, 3, 1, 1, 1, 4, 0, 0, 0];
        assert_eq!(
            png_predictor(&png, 3, 1).unwrap(),
            [10, 20, 30, 6, 14, 23, 6, 14, 23]
        );
        // TIFF 2: two colours of 8 bits; 4-bit samples.
        assert_eq!(
            tiff_predictor(vec![1, 2, 1, 1, 1, 1], 6, 2, 8),
            [1, 2, 2, 3, 3, 4]
        );
        assert_eq!(tiff_predictor(vec![0x11, 0x1F], 2, 1, 4), [0x12, 0x32]);
        assert_eq!(tiff_predictor(vec![0, 1, 0, 2], 4, 1, 16), [0, 1, 0, 3]);
    }
}
