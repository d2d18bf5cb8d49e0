//! Little-endian reads that never index out of bounds: a short read is `None`, and the
//! callers turn that into a typed error or ignore the structure.

pub(crate) fn u8_at(b: &[u8], at: usize) -> Option<u8> {
    b.get(at).copied()
}

pub(crate) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

pub(crate) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

pub(crate) fn i16_at(b: &[u8], at: usize) -> Option<i16> {
    u16_at(b, at).map(|v| v as i16)
}

pub(crate) fn i32_at(b: &[u8], at: usize) -> Option<i32> {
    u32_at(b, at).map(|v| v as i32)
}

/// `len` bytes at `at`, if the slice holds them.
pub(crate) fn slice_at(b: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    b.get(at..at.checked_add(len)?)
}

/// A table-stream structure at (fc, lcb) as the FIB gives it: `None` when absent (lcb 0)
/// or out of the stream.
pub(crate) fn region(b: &[u8], (fc, lcb): (u32, u32)) -> Option<&[u8]> {
    if lcb == 0 {
        return None;
    }
    slice_at(b, fc as usize, lcb as usize)
}

/// The CPs of a PLC (n+1 CPs followed by n data elements of `data_size` bytes), up to the
/// first that goes backwards: a PLC's CPs are sorted, and ranges read from unsorted ones
/// could overlap — 0, N, 0, N … would make every range the whole story, quadratic work.
pub(crate) fn plc_cps(plc: &[u8], data_size: usize) -> Vec<u32> {
    if plc.len() < 4 {
        return Vec::new();
    }
    let n = (plc.len() - 4) / (4 + data_size);
    let mut out: Vec<u32> = Vec::new();
    for cp in (0..=n).map_while(|i| u32_at(plc, 4 * i)) {
        if out.last().is_some_and(|last| cp < *last) {
            break;
        }
        out.push(cp);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn plc_cps_stop_where_they_go_backwards() {
        let plc: Vec<u8> = [0u32, 5, 9, 0, 9, 0]
            .iter()
            .flat_map(|c| c.to_le_bytes())
            .collect();
        assert_eq!(super::plc_cps(&plc, 0), [0, 5, 9]);
    }
}
