//! Scanned pages: a page with no text whose content is an image (a scanner's output is one
//! DCT, Flate or CCITT image per page) is handed to an OCR hook with its image as stored:
//! decoding it at its native resolution is the rasterization (no renderer needed, nothing
//! resampled). The hook lives in another crate (`extract-ocr`); this one only finds the
//! image and hands over its bytes.

use crate::{Error, Limits, content};
use lopdf::{Dictionary, Object};

/// How an [`EmbeddedImage`]'s `data` is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageData {
    /// A JPEG file (DCTDecode).
    Jpeg,
    /// CCITT fax data (CCITTFaxDecode): `k` < 0 is Group 4, 0 Group 3 1-D, > 0 Group 3 2-D.
    Fax {
        /// The `/K` parameter.
        k: i64,
    },
    /// Decoded samples, rows padded to whole bytes (Flate and friends already undone).
    Raw,
}

/// The largest image a page draws, as stored in the file.
#[derive(Debug, Clone)]
pub struct EmbeddedImage {
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// `/BitsPerComponent` (1 for fax images).
    pub bits_per_component: u8,
    /// 1 (grey), 3 (RGB) or 4 (CMYK); an indexed image's base.
    pub components: u8,
    /// `/Decode [1 0]`: samples inverted.
    pub inverted: bool,
    /// How `data` is encoded.
    pub kind: ImageData,
    /// The stream's bytes (decoded only for [`ImageData::Raw`]).
    pub data: Vec<u8>,
}

/// A page to OCR: its number, MediaBox and image.
#[derive(Debug, Clone)]
pub struct ScannedPage {
    /// 1-based page number.
    pub number: u32,
    /// The page's MediaBox (points).
    pub media: [f32; 4],
    /// The page's largest image.
    pub image: EmbeddedImage,
}

/// What OCR read on a page: glyphs and ruling lines in page space (points, y up), as the
/// layout takes them, and its lines with their confidence.
#[derive(Debug, Clone, Default)]
pub struct OcrPage {
    /// The characters read, as glyphs.
    pub glyphs: Vec<glyph_layout::Glyph>,
    /// Ruling lines found in the image.
    pub segs: Vec<glyph_layout::Seg>,
    /// The lines read, with their confidence.
    pub lines: Vec<docmodel::OcrLine>,
}

/// An OCR engine as the PDF extractor sees it (implemented by `extract-ocr`).
pub trait PageOcr: Send + Sync + std::fmt::Debug + std::panic::RefUnwindSafe {
    /// Name and version of the engine, for `source.ocr`. An error (engine not installed)
    /// is the error the whole document gets.
    fn engine(&self) -> Result<String, docmodel::ExtractError>;
    /// What OCR reads on a scanned page.
    fn recognize(&self, page: &ScannedPage) -> Result<OcrPage, docmodel::ExtractError>;
}

/// The largest image XObject in a page's resources, decoded down to what OCR decodes
/// itself; None when the page draws no image. Long because it reads the image dictionary's
/// entries in turn (size, filters and their parameters, colour space, Decode, bits), a few
/// lines each, none of them read anywhere else.
pub(crate) fn page_image(
    pdf: &lopdf::Document,
    resources: Option<&Dictionary>,
    limits: &Limits,
) -> Result<Option<EmbeddedImage>, Error> {
    let Some(xobjects) = resources
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|o| pdf.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return Ok(None);
    };
    let largest = xobjects
        .iter()
        .filter_map(|(_, o)| pdf.dereference(o).ok().map(|(_, o)| o))
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))
        .max_by_key(|s| int(pdf, &s.dict, b"Width") * int(pdf, &s.dict, b"Height"));
    let Some(s) = largest else {
        return Ok(None);
    };
    let (width, height) = (int(pdf, &s.dict, b"Width"), int(pdf, &s.dict, b"Height"));
    if width <= 0 || height <= 0 {
        return Err(Error::Corrupt("an image without a size".into()));
    }
    if (width * height) as u64 > limits.max_image_pixels {
        return Err(Error::TooLarge(format!(
            "a {width} x {height} page image is beyond max_image_pixels {}",
            limits.max_image_pixels
        )));
    }
    let filters: Vec<Vec<u8>> = s
        .filters()
        .unwrap_or_default()
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    let last = filters.last().map(Vec::as_slice);
    let parms = s
        .dict
        .get(b"DecodeParms")
        .ok()
        .and_then(|o| pdf.dereference(o).ok().map(|(_, o)| o))
        .and_then(|o| match o {
            Object::Array(a) => a
                .last()
                .and_then(|o| pdf.dereference(o).ok().map(|(_, o)| o)),
            o => Some(o),
        })
        .and_then(|o| o.as_dict().ok());
    let (kind, data) = match last {
        Some(b"DCTDecode") if filters.len() == 1 => (ImageData::Jpeg, s.content.clone()),
        Some(b"CCITTFaxDecode") if filters.len() == 1 => {
            let k = parms.map(|p| int(pdf, p, b"K")).unwrap_or(0);
            (ImageData::Fax { k }, s.content.clone())
        }
        Some(b"DCTDecode" | b"CCITTFaxDecode" | b"JBIG2Decode" | b"JPXDecode") => {
            return Err(Error::Corrupt(format!(
                "a page image in {} cannot be decoded for OCR",
                String::from_utf8_lossy(last.unwrap_or_default())
            )));
        }
        _ => (
            ImageData::Raw,
            content::stream_data(pdf, s, limits.max_stream_bytes)?,
        ),
    };
    let color_space = s
        .dict
        .get(b"ColorSpace")
        .ok()
        .and_then(|o| pdf.dereference(o).ok().map(|(_, o)| o));
    let components = match color_space {
        Some(Object::Name(n)) if n == b"DeviceRGB" || n == b"CalRGB" => 3,
        Some(Object::Name(n)) if n == b"DeviceCMYK" => 4,
        Some(Object::Array(a)) if a.first().and_then(|o| o.as_name().ok()) == Some(b"ICCBased") => {
            a.get(1)
                .and_then(|o| pdf.dereference(o).ok().map(|(_, o)| o))
                .and_then(|o| o.as_stream().ok())
                .map(|s| int(pdf, &s.dict, b"N") as u8)
                .unwrap_or(3)
        }
        _ => 1,
    };
    let inverted = matches!(
        s.dict
            .get(b"Decode")
            .ok()
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first()),
        Some(Object::Integer(1)) | Some(Object::Real(1.0))
    );
    let bits = int(pdf, &s.dict, b"BitsPerComponent").clamp(1, 16) as u8;
    Ok(Some(EmbeddedImage {
        width: width as u32,
        height: height as u32,
        bits_per_component: if matches!(kind, ImageData::Fax { .. }) {
            1
        } else {
            bits
        },
        components,
        inverted,
        kind,
        data,
    }))
}

fn int(pdf: &lopdf::Document, d: &Dictionary, key: &[u8]) -> i64 {
    d.get(key)
        .ok()
        .and_then(|o| pdf.dereference(o).ok().map(|(_, o)| o))
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
}
