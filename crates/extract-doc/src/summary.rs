//! `\u{5}SummaryInformation`: the document's title, author and creation time (an OLE
//! property set), into `DocInfo` as the DOCX reader puts its core properties there.
//!
//! Layout: a header whose first section's offset is at byte 44; the section is a size, a
//! property count and (id, offset) pairs, offsets from the section's start. Strings are
//! VT_LPSTR in the set's code page (property 1; 936 for Chinese Windows, so GBK) or
//! VT_LPWSTR; the creation time is a VT_FILETIME. Anything out of range is left out.

use docmodel::DocInfo;

use crate::bytes::{u16_at, u32_at};

const PID_CODEPAGE: u32 = 1;
const PID_TITLE: u32 = 2;
const PID_AUTHOR: u32 = 4;
const PID_CREATE_DTM: u32 = 12;
const VT_I2: u32 = 2;
const VT_LPSTR: u32 = 0x1E;
const VT_LPWSTR: u32 = 0x1F;
const VT_FILETIME: u32 = 0x40;

/// Fills title, author and created from the property set `set`.
pub(crate) fn read(set: &[u8], info: &mut DocInfo) {
    let Some(section) = u32_at(set, 44).map(|o| o as usize) else {
        return;
    };
    let count = u32_at(set, section + 4).unwrap_or(0).min(1024) as usize;
    let props: Vec<(u32, usize)> = (0..count)
        .filter_map(|i| {
            let at = section + 8 + 8 * i;
            Some((u32_at(set, at)?, section + u32_at(set, at + 4)? as usize))
        })
        .collect();
    let value_of = |pid: u32| props.iter().find(|p| p.0 == pid).map(|p| p.1);
    let codepage = value_of(PID_CODEPAGE)
        .filter(|at| u32_at(set, *at) == Some(VT_I2))
        .and_then(|at| u16_at(set, at + 4))
        .unwrap_or(1252);
    let string = |pid| value_of(pid).and_then(|at| string_at(set, at, codepage));
    info.title = string(PID_TITLE);
    info.author = string(PID_AUTHOR);
    info.created = value_of(PID_CREATE_DTM)
        .filter(|at| u32_at(set, *at) == Some(VT_FILETIME))
        .and_then(|at| Some(((u32_at(set, at + 8)? as u64) << 32) | u32_at(set, at + 4)? as u64))
        .and_then(filetime_iso);
}

fn string_at(set: &[u8], at: usize, codepage: u16) -> Option<String> {
    let n = u32_at(set, at + 4)? as usize;
    let text = match u32_at(set, at)? {
        VT_LPSTR => {
            let bytes = set.get(at + 8..at.checked_add(8 + n)?)?;
            let enc = match codepage {
                936 | 54936 => encoding_rs::GB18030,
                950 => encoding_rs::BIG5,
                932 => encoding_rs::SHIFT_JIS,
                65001 => encoding_rs::UTF_8,
                _ => encoding_rs::WINDOWS_1252,
            };
            enc.decode_without_bom_handling(bytes).0.into_owned()
        }
        VT_LPWSTR => {
            let bytes = set.get(at + 8..at.checked_add(8 + 2 * n)?)?;
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => return None,
    };
    let text = text.trim_end_matches('\0').trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// A FILETIME (100 ns since 1601-01-01 UTC) as ISO 8601, e.g. `2024-03-28T09:30:00Z`.
fn filetime_iso(ft: u64) -> Option<String> {
    const UNIX_FROM_1601: i64 = 11_644_473_600;
    let secs = (ft / 10_000_000) as i64 - UNIX_FROM_1601;
    if ft == 0 || !(0..=253_402_300_799).contains(&secs) {
        return None; // unset, or outside years 1970–9999
    }
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn filetimes() {
        // 2024-03-28T09:30:00Z
        let secs = 1_711_618_200u64 + 11_644_473_600;
        assert_eq!(
            super::filetime_iso(secs * 10_000_000).as_deref(),
            Some("2024-03-28T09:30:00Z")
        );
        assert_eq!(super::filetime_iso(0), None);
    }
}
