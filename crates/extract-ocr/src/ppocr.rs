//! PP-OCR (PaddleOCR's detection and recognition models, Apache-2.0, as the `rapidocr`
//! wheel ships them in ONNX) on ONNX Runtime, loaded at run time through `ort`'s
//! `load-dynamic` from the folder `scripts/install-ocr.sh` fills.
//!
//! Detection (DBNet) gives a text probability map; its connected regions, grown back by
//! the "unclip" distance the model was trained with, are the text lines (axis-aligned: the
//! page is deskewed first). Recognition (SVTR/CTC) reads each line crop at 48 px high;
//! greedy CTC decoding gives the characters, their confidences and the time steps where
//! each was read, which place every character along the line.

use crate::engine::{Engine, RecognizedChar, RecognizedLine};
use crate::{Error, Gray};
use ort::session::Session;
use ort::value::Tensor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Files the engine folder must hold: ONNX Runtime's shared library.
pub const RUNTIME_LIB: &str = "libonnxruntime.so";
/// The detection model (DBNet).
pub const DET_MODEL: &str = "det.onnx";
/// The recognition model (its dictionary in its metadata).
pub const REC_MODEL: &str = "rec.onnx";
/// One line naming what was installed (written by the install script).
pub const VERSION_FILE: &str = "VERSION";

/// Longest side of the page image detection sees: about 110 dpi for an A4 page, plenty to
/// find text lines; recognition reads from the full resolution. Measured on the scans of the
/// five samples (BENCHMARKS.md, OCR): 2,000 px (RapidOCR's default) 0.82 % CER and 97.5 % of
/// key fields, 1,280 px 0.49 % and 98.6 % at 2.6× less detection time, 960 px 0.85 %
/// (small characters of the bilevel 2024-gaoxin scan lost).
const DET_MAX_SIDE: u32 = 1280;
const DET_THRESH: f32 = 0.3;
const DET_BOX_THRESH: f32 = 0.5;
const DET_UNCLIP: f32 = 1.6;
const REC_HEIGHT: u32 = 48;
const REC_BATCH: usize = 8;

/// PP-OCR detection and recognition sessions, with the recognizer's dictionary.
pub struct PpOcr {
    det: Mutex<Session>,
    rec: Mutex<Session>,
    /// CTC classes: 0 is the blank, then the model's dictionary, then a space.
    chars: Vec<String>,
    version: String,
}

impl PpOcr {
    /// Loads ONNX Runtime and both models from `dir`.
    pub fn load(dir: &Path) -> Result<PpOcr, Error> {
        let missing: Vec<PathBuf> = [RUNTIME_LIB, DET_MODEL, REC_MODEL]
            .iter()
            .map(|f| dir.join(f))
            .filter(|p| !p.is_file())
            .collect();
        if !missing.is_empty() {
            return Err(Error::NotInstalled(format!(
                "{} not found",
                missing
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let env = init_runtime(&dir.join(RUNTIME_LIB))?;
        let session = |file: &str| -> Result<Session, Error> {
            let fail = |e: ort::Error| Error::Engine(format!("{file}: {e}"));
            Session::builder(&env)
                .map_err(fail)?
                // One core per worker: workers are the parallelism.
                .with_intra_threads(1)
                .map_err(|e| fail(e.into()))?
                // No arena and no memory pattern: page sizes vary, and an arena keeps the
                // largest page's buffers for good (the worker's memory limit counts them).
                .with_execution_providers([ort::ep::CPU::default()
                    .with_arena_allocator(false)
                    .build()])
                .map_err(|e| fail(e.into()))?
                .with_memory_pattern(false)
                .map_err(|e| fail(e.into()))?
                .commit_from_file(dir.join(file))
                .map_err(fail)
        };
        let det = session(DET_MODEL)?;
        let rec = session(REC_MODEL)?;
        let dict = rec
            .metadata()
            .ok()
            .and_then(|m| m.custom("character"))
            .ok_or_else(|| Error::Engine(format!("{REC_MODEL} has no character dictionary")))?;
        let mut chars = vec![String::new()];
        chars.extend(dict.split('\n').map(str::to_string));
        chars.push(" ".into());
        let version = std::fs::read_to_string(dir.join(VERSION_FILE))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|_| "PP-OCR (version not recorded)".into());
        Ok(PpOcr {
            det: Mutex::new(det),
            rec: Mutex::new(rec),
            chars,
            version,
        })
    }

    /// Text line boxes `[x0, y0, x1, y1]` in pixels of `img`.
    fn detect(&self, img: &Gray) -> Result<Vec<[u32; 4]>, Error> {
        let scale = (DET_MAX_SIDE as f32 / img.width().max(img.height()) as f32).min(1.0);
        let round32 = |v: u32| (((v as f32 * scale) / 32.0).round() as u32).max(1) * 32;
        let (w, h) = (round32(img.width()), round32(img.height()));
        let small = image::imageops::resize(img, w, h, image::imageops::FilterType::Triangle);
        let plane: Vec<f32> = small
            .as_raw()
            .iter()
            .map(|&v| v as f32 / 127.5 - 1.0)
            .collect();
        let mut input = Vec::with_capacity(plane.len() * 3);
        for _ in 0..3 {
            input.extend_from_slice(&plane);
        }
        let tensor = Tensor::from_array(([1usize, 3, h as usize, w as usize], input))
            .map_err(|e| Error::Engine(e.to_string()))?;
        let mut det = self.det.lock().unwrap_or_else(|e| e.into_inner());
        let out = det
            .run(ort::inputs![tensor])
            .map_err(|e| Error::Engine(format!("detection: {e}")))?;
        let (_, prob) = out[0]
            .try_extract_tensor::<f32>()
            .map_err(|e| Error::Engine(e.to_string()))?;
        let (sx, sy) = (
            img.width() as f32 / w as f32,
            img.height() as f32 / h as f32,
        );
        Ok(regions(prob, w as usize, h as usize)
            .into_iter()
            .map(|[x0, y0, x1, y1]| {
                [
                    ((x0 * sx) as u32).min(img.width() - 1),
                    ((y0 * sy) as u32).min(img.height() - 1),
                    ((x1 * sx).ceil() as u32).min(img.width()),
                    ((y1 * sy).ceil() as u32).min(img.height()),
                ]
            })
            .filter(|b| b[2] > b[0] + 2 && b[3] > b[1] + 2)
            .collect())
    }

    /// Reads the lines in `boxes`, in batches of similar width.
    fn recognize_boxes(
        &self,
        img: &Gray,
        boxes: &[[u32; 4]],
    ) -> Result<Vec<RecognizedLine>, Error> {
        let mut order: Vec<usize> = (0..boxes.len()).collect();
        let ratio = |b: &[u32; 4]| (b[2] - b[0]) as f32 / (b[3] - b[1]) as f32;
        order.sort_by(|&a, &b| ratio(&boxes[a]).total_cmp(&ratio(&boxes[b])));
        let mut lines: Vec<Option<RecognizedLine>> = vec![None; boxes.len()];
        let mut rec = self.rec.lock().unwrap_or_else(|e| e.into_inner());
        for batch in order.chunks(REC_BATCH) {
            let crops: Vec<Gray> = batch
                .iter()
                .map(|&i| {
                    let [x0, y0, x1, y1] = boxes[i];
                    let crop = image::imageops::crop_imm(img, x0, y0, x1 - x0, y1 - y0).to_image();
                    let w = ((REC_HEIGHT as f32 * ratio(&boxes[i])).ceil() as u32).max(1);
                    image::imageops::resize(
                        &crop,
                        w,
                        REC_HEIGHT,
                        image::imageops::FilterType::Triangle,
                    )
                })
                .collect();
            let width = crops
                .iter()
                .map(|c| c.width())
                .max()
                .unwrap_or(1)
                .max(REC_HEIGHT);
            let plane = (REC_HEIGHT * width) as usize;
            let mut input = vec![0f32; batch.len() * 3 * plane];
            for (k, crop) in crops.iter().enumerate() {
                for (y, row) in crop.rows().enumerate() {
                    for (x, p) in row.enumerate() {
                        let v = p.0[0] as f32 / 127.5 - 1.0;
                        for c in 0..3 {
                            input[(k * 3 + c) * plane + y * width as usize + x] = v;
                        }
                    }
                }
            }
            let tensor =
                Tensor::from_array(([batch.len(), 3, REC_HEIGHT as usize, width as usize], input))
                    .map_err(|e| Error::Engine(e.to_string()))?;
            let out = rec
                .run(ort::inputs![tensor])
                .map_err(|e| Error::Engine(format!("recognition: {e}")))?;
            let (shape, probs) = out[0]
                .try_extract_tensor::<f32>()
                .map_err(|e| Error::Engine(e.to_string()))?;
            let (steps, classes) = (shape[1] as usize, shape[2] as usize);
            for (k, &i) in batch.iter().enumerate() {
                let [x0, y0, x1, y1] = boxes[i];
                // Time step t covers input columns [t, t+1) * width / steps; the crop was
                // scaled by crop_w / resized_w.
                let px_per_step =
                    width as f32 / steps as f32 * (x1 - x0) as f32 / crops[k].width() as f32;
                let chars = ctc_decode(
                    &probs[k * steps * classes..(k + 1) * steps * classes],
                    classes,
                    &self.chars,
                )
                .into_iter()
                .map(|(text, t0, t1, confidence)| RecognizedChar {
                    text,
                    x0: x0 as f32 + t0 as f32 * px_per_step,
                    x1: x0 as f32 + (t1 + 1) as f32 * px_per_step,
                    confidence,
                })
                .collect();
                lines[i] = Some(RecognizedLine {
                    bbox: [x0 as f32, y0 as f32, x1 as f32, y1 as f32],
                    chars,
                });
            }
        }
        Ok(lines.into_iter().flatten().collect())
    }
}

impl Engine for PpOcr {
    fn version(&self) -> String {
        self.version.clone()
    }

    fn recognize(&self, img: &Gray) -> Result<Vec<RecognizedLine>, Error> {
        let start = std::time::Instant::now();
        let boxes = self.detect(img)?;
        let detected = start.elapsed();
        let lines = self.recognize_boxes(img, &boxes)?;
        if std::env::var_os("NOTICEPIPE_OCR_TRACE").is_some() {
            eprintln!(
                "ocr: {} lines, detection {:.2} s, recognition {:.2} s",
                lines.len(),
                detected.as_secs_f32(),
                (start.elapsed() - detected).as_secs_f32()
            );
        }
        Ok(lines)
    }
}

/// Loads the ONNX Runtime library once per process (`ort` allows one environment).
fn init_runtime(lib: &Path) -> Result<ort::environment::Environment, Error> {
    static INIT: std::sync::OnceLock<Result<ort::environment::Environment, String>> =
        std::sync::OnceLock::new();
    INIT.get_or_init(|| {
        let builder = ort::init_from(lib).map_err(|e| e.to_string())?;
        builder
            .with_name("noticepipe")
            .build()
            .map_err(|e| e.to_string())
    })
    .clone()
    .map_err(|e| {
        Error::NotInstalled(format!(
            "ONNX Runtime at {} could not be loaded: {e}",
            lib.display()
        ))
    })
}

/// Greedy CTC decoding of one line: (character, first and last time step, confidence),
/// repeats collapsed, blanks dropped.
fn ctc_decode(probs: &[f32], classes: usize, chars: &[String]) -> Vec<(String, usize, usize, f32)> {
    let mut out: Vec<(String, usize, usize, f32)> = Vec::new();
    let mut prev = 0usize;
    for (t, step) in probs.chunks_exact(classes).enumerate() {
        let (best, p) = step
            .iter()
            .enumerate()
            .fold((0, f32::MIN), |a, (i, &p)| if p > a.1 { (i, p) } else { a });
        if best != 0 && best != prev && best < chars.len() {
            out.push((chars[best].clone(), t, t, p));
        } else if best != 0
            && best == prev
            && let Some(last) = out.last_mut()
        {
            last.2 = t;
            last.3 = last.3.max(p);
        }
        prev = best;
    }
    out
}

/// Connected regions of the probability map above [`DET_THRESH`] whose mean probability
/// reaches [`DET_BOX_THRESH`], as boxes grown by the unclip distance (DBNet shrinks text
/// regions by it in training): `[x0, y0, x1, y1]` in map pixels.
fn regions(prob: &[f32], w: usize, h: usize) -> Vec<[f32; 4]> {
    let mut label = vec![false; w * h];
    let on = |i: usize| prob[i] > DET_THRESH;
    let mut boxes = Vec::new();
    let mut stack = Vec::new();
    for start in 0..w * h {
        if label[start] || !on(start) {
            continue;
        }
        label[start] = true;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        let (mut sum, mut n) = (0f32, 0usize);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
            sum += prob[i];
            n += 1;
            let mut visit = |j: usize| {
                if !label[j] && on(j) {
                    label[j] = true;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        let (bw, bh) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
        if bw.min(bh) < 3.0 || sum / (n as f32) < DET_BOX_THRESH {
            continue;
        }
        let d = bw * bh * DET_UNCLIP / (2.0 * (bw + bh));
        boxes.push([
            (x0 as f32 - d).max(0.0),
            (y0 as f32 - d).max(0.0),
            (x1 as f32 + 1.0 + d).min(w as f32),
            (y1 as f32 + 1.0 + d).min(h as f32),
        ]);
    }
    boxes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctc_collapses_repeats_and_drops_blanks() {
        let chars: Vec<String> = ["", "甲", "乙"].iter().map(|s| s.to_string()).collect();
        // Steps: 甲 甲 blank 甲 乙 乙
        let step = |c: usize| {
            let mut v = vec![0.0; 3];
            v[c] = 0.9;
            v
        };
        let probs: Vec<f32> = [1, 1, 0, 1, 2, 2].iter().flat_map(|&c| step(c)).collect();
        let got = ctc_decode(&probs, 3, &chars);
        let text: Vec<_> = got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect();
        assert_eq!(text, [("甲", 0, 1), ("甲", 3, 3), ("乙", 4, 5)]);
    }

    #[test]
    fn regions_are_grown_by_the_unclip_distance() {
        let (w, h) = (40, 20);
        let mut prob = vec![0.0; w * h];
        for y in 8..12 {
            for x in 5..35 {
                prob[y * w + x] = 0.9;
            }
        }
        let b = regions(&prob, w, h);
        assert_eq!(b.len(), 1);
        // 30 x 4 region: d = 120 * 1.6 / 68 ≈ 2.8
        assert!(
            (b[0][0] - 2.18).abs() < 0.1 && (b[0][3] - 14.82).abs() < 0.1,
            "{:?}",
            b
        );
    }
}
