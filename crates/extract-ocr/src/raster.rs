//! Page images: decoding (image files, images embedded in PDFs), the colour step that
//! takes red seals out, deskewing, and the ruling lines of tables.

use crate::Error;
use extract_pdf::{EmbeddedImage, ImageData};
use image::{GrayImage, Luma, RgbImage};

/// A decoded page, in colour when the source was.
pub enum Pixels {
    /// A greyscale or bilevel source.
    Gray(GrayImage),
    /// A colour source.
    Rgb(RgbImage),
}

impl Pixels {
    /// Pixels across.
    pub fn width(&self) -> u32 {
        match self {
            Pixels::Gray(g) => g.width(),
            Pixels::Rgb(c) => c.width(),
        }
    }
    /// Pixels down.
    pub fn height(&self) -> u32 {
        match self {
            Pixels::Gray(g) => g.height(),
            Pixels::Rgb(c) => c.height(),
        }
    }
}

/// The pages of a PNG, JPEG or TIFF file (every frame of a multi-page TIFF).
pub fn decode_file(bytes: &[u8], max_pixels: u64, max_pages: usize) -> Result<Vec<Pixels>, Error> {
    let bad = |e: &dyn std::fmt::Display| Error::Image(e.to_string());
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        let mut dec =
            tiff::decoder::Decoder::new(std::io::Cursor::new(bytes)).map_err(|e| bad(&e))?;
        let mut pages = Vec::new();
        loop {
            if pages.len() == max_pages {
                return Err(Error::TooLarge(format!(
                    "a TIFF of more than {max_pages} pages"
                )));
            }
            let (w, h) = dec.dimensions().map_err(|e| bad(&e))?;
            check_pixels(w, h, max_pixels)?;
            let color = dec.colortype().map_err(|e| bad(&e))?;
            let white_is_zero = matches!(
                dec.get_tag_u32(tiff::tags::Tag::PhotometricInterpretation),
                Ok(0)
            );
            let tiff::decoder::DecodingResult::U8(data) = dec.read_image().map_err(|e| bad(&e))?
            else {
                return Err(Error::Image(format!(
                    "TIFF samples of {color:?} are not 8-bit"
                )));
            };
            pages.push(match color {
                tiff::ColorType::Gray(1) => Pixels::Gray(unpack_bits(&data, w, h, white_is_zero)),
                tiff::ColorType::Gray(8) => {
                    let mut g =
                        GrayImage::from_raw(w, h, data).ok_or_else(|| bad(&"short TIFF image"))?;
                    if white_is_zero {
                        image::imageops::invert(&mut g);
                    }
                    Pixels::Gray(g)
                }
                tiff::ColorType::RGB(8) => Pixels::Rgb(
                    RgbImage::from_raw(w, h, data).ok_or_else(|| bad(&"short TIFF image"))?,
                ),
                tiff::ColorType::RGBA(8) => Pixels::Rgb(
                    image::DynamicImage::ImageRgba8(
                        image::RgbaImage::from_raw(w, h, data)
                            .ok_or_else(|| bad(&"short TIFF image"))?,
                    )
                    .to_rgb8(),
                ),
                other => {
                    return Err(Error::Image(format!(
                        "TIFF colour type {other:?} is not read"
                    )));
                }
            });
            if !dec.more_images() {
                return Ok(pages);
            }
            dec.next_image().map_err(|e| bad(&e))?;
        }
    }
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| bad(&e))?;
    let (w, h) = reader.into_dimensions().map_err(|e| bad(&e))?;
    check_pixels(w, h, max_pixels)?;
    let img = image::load_from_memory(bytes).map_err(|e| bad(&e))?;
    Ok(vec![match img {
        image::DynamicImage::ImageLuma8(g) => Pixels::Gray(g),
        other if !other.color().has_color() => Pixels::Gray(other.to_luma8()),
        other => Pixels::Rgb(other.to_rgb8()),
    }])
}

/// An image a PDF page draws, decoded.
pub fn decode_embedded(img: &EmbeddedImage, max_pixels: u64) -> Result<Pixels, Error> {
    let (w, h) = (img.width, img.height);
    check_pixels(w, h, max_pixels)?;
    let mut pixels = match &img.kind {
        ImageData::Jpeg => {
            let d = image::load_from_memory_with_format(&img.data, image::ImageFormat::Jpeg)
                .map_err(|e| Error::Image(format!("DCT image: {e}")))?;
            if d.color().has_color() {
                Pixels::Rgb(d.to_rgb8())
            } else {
                Pixels::Gray(d.to_luma8())
            }
        }
        ImageData::Fax { k } => {
            // The fax data as the one strip of a TIFF, so that tiff's decoder reads it. The
            // fax code says which runs are black; BlackIs1 only says how a PDF reader
            // stores the decoded samples, so it changes nothing here.
            let tiff = fax_tiff(w, h, *k, &img.data);
            match decode_file(&tiff, max_pixels, 1)?.pop() {
                Some(Pixels::Gray(g)) => Pixels::Gray(g),
                _ => return Err(Error::Image("CCITT image did not decode".into())),
            }
        }
        ImageData::Raw => raw(img)?,
    };
    if img.inverted {
        match &mut pixels {
            Pixels::Gray(g) => image::imageops::invert(g),
            Pixels::Rgb(c) => image::imageops::invert(c),
        }
    }
    Ok(pixels)
}

fn check_pixels(w: u32, h: u32, max: u64) -> Result<(), Error> {
    if w as u64 * h as u64 > max {
        return Err(Error::TooLarge(format!(
            "a {w} x {h} image is beyond max_image_pixels {max}"
        )));
    }
    if w == 0 || h == 0 {
        return Err(Error::Image("an image of no pixels".into()));
    }
    Ok(())
}

/// 1-bit rows (padded to bytes) to grey; `zero_is_white` as the source says.
fn unpack_bits(data: &[u8], w: u32, h: u32, zero_is_white: bool) -> GrayImage {
    let row = w.div_ceil(8) as usize;
    GrayImage::from_fn(w, h, |x, y| {
        let byte = data
            .get(y as usize * row + x as usize / 8)
            .copied()
            .unwrap_or(0);
        let bit = (byte >> (7 - x % 8)) & 1 == 1;
        Luma([if bit != zero_is_white { 255 } else { 0 }])
    })
}

fn raw(img: &EmbeddedImage) -> Result<Pixels, Error> {
    let (w, h) = (img.width, img.height);
    let short = || {
        Error::Image(format!(
            "a {w} x {h} image with {} bytes of samples",
            img.data.len()
        ))
    };
    match (img.bits_per_component, img.components) {
        (1, 1) => {
            if img.data.len() < w.div_ceil(8) as usize * h as usize {
                return Err(short());
            }
            Ok(Pixels::Gray(unpack_bits(&img.data, w, h, false)))
        }
        (8, 1) => GrayImage::from_raw(
            w,
            h,
            img.data[..img.data.len().min((w * h) as usize)].to_vec(),
        )
        .map(Pixels::Gray)
        .ok_or_else(short),
        (8, 3) => RgbImage::from_raw(
            w,
            h,
            img.data[..img.data.len().min((w * h * 3) as usize)].to_vec(),
        )
        .map(Pixels::Rgb)
        .ok_or_else(short),
        (8, 4) => {
            if img.data.len() < (w * h * 4) as usize {
                return Err(short());
            }
            Ok(Pixels::Rgb(RgbImage::from_fn(w, h, |x, y| {
                let i = ((y * w + x) * 4) as usize;
                let k = 255 - img.data[i + 3] as u32;
                let c = |v: u8| ((255 - v as u32) * k / 255) as u8;
                image::Rgb([c(img.data[i]), c(img.data[i + 1]), c(img.data[i + 2])])
            })))
        }
        (bits, n) => Err(Error::Image(format!(
            "{bits}-bit images of {n} components are not read"
        ))),
    }
}

/// A little-endian TIFF holding `data` as one CCITT strip, WhiteIsZero (fax's own sense).
fn fax_tiff(w: u32, h: u32, k: i64, data: &[u8]) -> Vec<u8> {
    let compression: u16 = if k < 0 { 4 } else { 3 };
    let entries: Vec<(u16, u16, u32)> = vec![
        (256, 4, w),
        (257, 4, h),
        (258, 3, 1),
        (259, 3, compression as u32),
        (262, 3, 0),
        (273, 4, 0), // strip offset, set below
        (277, 3, 1),
        (278, 4, h),
        (279, 4, data.len() as u32),
        (if k < 0 { 293 } else { 292 }, 4, if k > 0 { 1 } else { 0 }),
    ];
    let ifd_len = 2 + entries.len() * 12 + 4;
    let data_at = (8 + ifd_len) as u32;
    let mut out = b"II*\0\x08\0\0\0".to_vec();
    out.extend((entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        out.extend(tag.to_le_bytes());
        out.extend(kind.to_le_bytes());
        out.extend(1u32.to_le_bytes());
        let value = if tag == 273 { data_at } else { value };
        if kind == 3 {
            out.extend((value as u16).to_le_bytes());
            out.extend([0, 0]);
        } else {
            out.extend(value.to_le_bytes());
        }
    }
    out.extend(0u32.to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// How red ink is treated before recognition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedInk {
    /// Kept as any ink (its luminance).
    Keep,
    /// Dropped inside seal-shaped red regions (round or square, 15–60 mm): there the red
    /// channel stands for the page, so red ink turns to paper while black text under it
    /// stays black. Red elsewhere (a letterhead: the issuer's name) is kept.
    Seals,
    /// Dropped everywhere (red letterheads vanish too; for measurement).
    All,
}

/// The greyscale page recognition reads.
pub fn to_gray(p: Pixels, red: RedInk, dpi: f32) -> GrayImage {
    let c = match p {
        Pixels::Gray(g) => return g,
        Pixels::Rgb(c) => c,
    };
    let luma = |px: &image::Rgb<u8>| {
        let [r, g, b] = px.0;
        ((r as u32 * 299 + g as u32 * 587 + b as u32 * 114) / 1000) as u8
    };
    let seals = match red {
        RedInk::Keep => Vec::new(),
        RedInk::All => vec![[0, 0, c.width(), c.height()]],
        RedInk::Seals => seal_regions(&c, dpi),
    };
    let mut g = GrayImage::from_fn(c.width(), c.height(), |x, y| {
        Luma([luma(c.get_pixel(x, y))])
    });
    for [x0, y0, x1, y1] in seals {
        for y in y0..y1 {
            for x in x0..x1 {
                g.put_pixel(x, y, Luma([c.get_pixel(x, y).0[0]]));
            }
        }
    }
    g
}

fn is_red(px: &image::Rgb<u8>) -> bool {
    let [r, g, b] = px.0.map(i32::from);
    r > 120 && r - g.max(b) > 60
}

/// Boxes (pixels) of red regions shaped like a seal: found on a grid of 2 mm cells, each
/// marked red when enough of its pixels are; a seal is a connected group of red cells
/// whose box is 15–60 mm on each side and roughly square.
fn seal_regions(c: &RgbImage, dpi: f32) -> Vec<[u32; 4]> {
    let cell = ((2.0 / 25.4 * dpi).round() as u32).max(2);
    let (gw, gh) = (c.width().div_ceil(cell), c.height().div_ceil(cell));
    let mut red = vec![false; (gw * gh) as usize];
    for gy in 0..gh {
        for gx in 0..gw {
            let mut n = 0;
            for y in gy * cell..((gy + 1) * cell).min(c.height()) {
                for x in gx * cell..((gx + 1) * cell).min(c.width()) {
                    n += is_red(c.get_pixel(x, y)) as u32;
                }
            }
            red[(gy * gw + gx) as usize] = n * 50 >= cell * cell; // 2 %
        }
    }
    let mm = |cells: u32| cells as f32 * cell as f32 / dpi * 25.4;
    let mut seen = vec![false; red.len()];
    let mut out = Vec::new();
    for start in 0..red.len() {
        if !red[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
        while let Some(i) = stack.pop() {
            let (x, y) = (i as u32 % gw, i as u32 / gw);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            // 8-connected, with one cell of slack (a ring's ink is uneven).
            for dy in -2i32..=2 {
                for dx in -2i32..=2 {
                    let (nx, ny) = (x as i32 + dx, y as i32 + dy);
                    if nx < 0 || ny < 0 || nx >= gw as i32 || ny >= gh as i32 {
                        continue;
                    }
                    let j = (ny as u32 * gw + nx as u32) as usize;
                    if red[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        let (w, h) = (mm(x1 - x0 + 1), mm(y1 - y0 + 1));
        if (15.0..=60.0).contains(&w) && (15.0..=60.0).contains(&h) && w / h > 0.6 && w / h < 1.6 {
            out.push([
                x0 * cell,
                y0 * cell,
                ((x1 + 1) * cell).min(c.width()),
                ((y1 + 1) * cell).min(c.height()),
            ]);
        }
    }
    out
}

/// The skew of a page in degrees (positive: lines rise to the right, as the page was
/// turned counter-clockwise), by projection profiles: the angle at which the dark pixels
/// fall into the fewest, fullest rows. Coarse (0.1°) on every 4th column, then fine (0.02°).
pub fn skew_angle(g: &GrayImage) -> f32 {
    let dark: Vec<(f32, f32)> = (0..g.height())
        .step_by(2)
        .flat_map(|y| (0..g.width()).step_by(4).map(move |x| (x, y)))
        .filter(|&(x, y)| g.get_pixel(x, y).0[0] < 128)
        .map(|(x, y)| (x as f32, y as f32))
        .collect();
    if dark.len() < 100 {
        return 0.0;
    }
    let score = |deg: f32| {
        let t = deg.to_radians().tan();
        let mut rows = vec![0u32; g.height() as usize * 2 + g.width() as usize];
        let off = g.width() as f32 * 0.1 + 10.0;
        for &(x, y) in &dark {
            let r = (y + x * t + off).max(0.0) as usize;
            if let Some(v) = rows.get_mut(r / 2) {
                *v += 1;
            }
        }
        rows.iter().map(|&v| (v as u64) * (v as u64)).sum::<u64>()
    };
    let best = |from: f32, to: f32, step: f32| {
        let n = ((to - from) / step).round() as i32;
        (0..=n)
            .map(|i| from + i as f32 * step)
            .max_by_key(|&a| score(a))
            .unwrap_or(0.0)
    };
    let coarse = best(-3.0, 3.0, 0.1);
    best(coarse - 0.1, coarse + 0.1, 0.02)
}

/// `g` turned by `deg` degrees (the angle [`skew_angle`] measured) back to level, about its
/// centre, bilinear, paper-white where the turn brings in nothing.
pub fn rotate(g: &GrayImage, deg: f32) -> GrayImage {
    if deg.abs() < 0.05 {
        return g.clone();
    }
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (g.width() as f32 / 2.0, g.height() as f32 / 2.0);
    let (w, h) = (g.width() as i64, g.height() as i64);
    let raw = g.as_raw();
    GrayImage::from_fn(g.width(), g.height(), |x, y| {
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let sx = cx + dx * c + dy * s;
        let sy = cy - dx * s + dy * c;
        let (x0, y0) = (sx.floor() as i64, sy.floor() as i64);
        let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
        let at = |x: i64, y: i64| -> f32 {
            if x < 0 || y < 0 || x >= w || y >= h {
                255.0
            } else {
                raw[(y * w + x) as usize] as f32
            }
        };
        let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
        let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
        Luma([(top * (1.0 - fy) + bottom * fy).round() as u8])
    })
}

/// Straight ruling lines (table borders) in pixels `[x0, y0, x1, y1]`, y down: dark runs at
/// least `min_len` long (1 px gaps bridged), in rows next to each other merged into one
/// line as long as it stays thin (at most `max_thick`), with paper beside it along most of
/// its length (a line of text whose characters touch is dark beside its runs too).
pub fn rulings(g: &GrayImage, min_len: u32, max_thick: u32) -> Vec<[u32; 4]> {
    let dark = |x: u32, y: u32| g.get_pixel(x, y).0[0] < 200;
    let mut out = runs(g.width(), g.height(), min_len, max_thick, dark, false);
    out.extend(runs(
        g.height(),
        g.width(),
        min_len,
        max_thick,
        |a, b| dark(b, a),
        true,
    ));
    out
}

/// Runs along the first axis (length `len`) for each position on the second (`across`).
fn runs(
    len: u32,
    across: u32,
    min_len: u32,
    max_thick: u32,
    dark: impl Fn(u32, u32) -> bool,
    vertical: bool,
) -> Vec<[u32; 4]> {
    // (start, end, first row, last row) of lines still growing.
    let mut open: Vec<(u32, u32, u32, u32)> = Vec::new();
    let mut done = Vec::new();
    for r in 0..across {
        let mut found = Vec::new();
        let mut start = None;
        let mut last_dark = 0;
        for i in 0..len {
            if dark(i, r) {
                if start.is_none() || i > last_dark + 2 {
                    if let Some(s) = start
                        && last_dark + 1 - s >= min_len
                    {
                        found.push((s, last_dark + 1));
                    }
                    start = Some(i);
                }
                last_dark = i;
            }
        }
        if let Some(s) = start
            && last_dark + 1 - s >= min_len
        {
            found.push((s, last_dark + 1));
        }
        let mut next = Vec::new();
        for (s, e) in found {
            if let Some(k) = open.iter().position(|o| o.3 + 1 == r && o.0 < e && s < o.1) {
                let o = open.swap_remove(k);
                next.push((o.0.min(s), o.1.max(e), o.2, r));
            } else {
                next.push((s, e, r, r));
            }
        }
        done.append(&mut open);
        open = next;
    }
    done.extend(open);
    // Paper beside the line: at most a fifth of its length dark two rows off either side.
    let clear_beside = |&(s, e, a, b): &(u32, u32, u32, u32)| {
        [a.checked_sub(3), Some(b + 3).filter(|&r| r < across)]
            .into_iter()
            .flatten()
            .all(|r| (s..e).filter(|&i| dark(i, r)).count() * 5 <= (e - s) as usize)
    };
    done.into_iter()
        .filter(|o| o.3 - o.2 < max_thick && clear_beside(o))
        .map(|(s, e, a, b)| {
            let mid = (a + b) / 2;
            if vertical {
                [mid, s, mid, e]
            } else {
                [s, mid, e, mid]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_at(angle: f32) -> GrayImage {
        // A page's width at 300 dpi, lines of text 16 pt high.
        let mut g = GrayImage::from_pixel(2400, 1200, Luma([255]));
        for row in 0..10 {
            for x in 200..2200u32 {
                let y = 200.0 + row as f32 * 90.0 - (x as f32 - 1200.0) * angle.to_radians().tan();
                for t in 0..40 {
                    g.put_pixel(x, (y as u32) + t, Luma([0]));
                }
            }
        }
        g
    }

    #[test]
    fn skew_is_measured_and_undone() {
        for angle in [-1.5f32, -0.4, 0.0, 0.8, 1.2] {
            let g = lines_at(angle);
            let got = skew_angle(&g);
            assert!((got - angle).abs() < 0.05, "{angle}: measured {got}");
            let level = rotate(&g, got);
            assert!(
                skew_angle(&level).abs() < 0.05,
                "{angle}: still {}",
                skew_angle(&level)
            );
        }
    }

    #[test]
    fn ruling_lines_are_found_and_text_strokes_are_not() {
        let mut g = GrayImage::from_pixel(400, 300, Luma([255]));
        for x in 20..380 {
            for t in 0..3 {
                g.put_pixel(x, 50 + t, Luma([0]));
            }
        }
        for y in 40..260 {
            g.put_pixel(200, y, Luma([0]));
            g.put_pixel(201, y, Luma([0]));
        }
        for x in 50..90 {
            g.put_pixel(x, 150, Luma([0])); // a stroke, shorter than min_len
        }
        // A line of touching characters: long, but dark above and below its runs.
        for x in 20..190 {
            for y in 200..215 {
                if x % 7 < 5 || y == 208 {
                    g.put_pixel(x, y, Luma([0]));
                }
            }
        }
        let mut got = rulings(&g, 100, 8);
        got.sort();
        assert_eq!(got, vec![[20, 51, 380, 51], [200, 40, 200, 260]]);
    }

    #[test]
    fn seal_red_turns_to_paper_and_black_under_it_stays() {
        let dpi = 300.0;
        let mut c = RgbImage::from_pixel(1000, 1000, image::Rgb([250, 250, 250]));
        // A red ring 40 mm across (472 px), black text under it, and a red letterhead bar.
        for y in 0..1000u32 {
            for x in 0..1000u32 {
                let d = ((x as f32 - 500.0).powi(2) + (y as f32 - 500.0).powi(2)).sqrt();
                if (220.0..236.0).contains(&d) || (y > 480 && y < 520 && x > 300 && x < 700) {
                    c.put_pixel(x, y, image::Rgb([215, 40, 45]));
                }
                if y > 495 && y < 505 && x > 400 && x < 600 {
                    c.put_pixel(x, y, image::Rgb([20, 5, 5]));
                }
                if y < 40 && x > 100 && x < 900 {
                    c.put_pixel(x, y, image::Rgb([215, 40, 45]));
                }
            }
        }
        let g = to_gray(Pixels::Rgb(c.clone()), RedInk::Seals, dpi);
        assert!(g.get_pixel(500, 272).0[0] > 200, "ring kept");
        assert!(g.get_pixel(500, 500).0[0] < 40, "text under the seal lost");
        assert!(g.get_pixel(500, 20).0[0] < 150, "letterhead dropped");
        let all = to_gray(Pixels::Rgb(c), RedInk::All, dpi);
        assert!(all.get_pixel(500, 20).0[0] > 200);
    }
}
