//! Writes the damaged and refused compound files of the .doc reader into fixtures/bad/:
//! `cargo run -p extract-doc --example make_bad` (from the repository root; needs
//! fixtures/doc/2025-zibo.doc, made by fixtures/doc/make_doc.sh). Deterministic bytes: the
//! compound files made here get their directory timestamps zeroed.
//!
//! | file | what | expected |
//! |---|---|---|
//! | doc-truncated.doc | 2025-zibo.doc cut at 60 % | corrupt_doc |
//! | doc-fat-cycle.doc | the WordDocument chain's last sector points back to its second | corrupt_doc |
//! | doc-fat-loop.doc | … and back to its first (a chain that is one loop) | corrupt_doc |
//! | doc-encrypted.doc | fEncrypted set in the FIB | encrypted |
//! | doc-word95.doc | nFib 101 (Word 6.0/95) | unsupported_format |
//! | doc-no-piece-table.doc | lcbClx 0 in the FIB | corrupt_doc |
//! | works.wps | a compound file with a CONTENTS stream (Microsoft Works) | unsupported_format |
//! | workbook.xls | a compound file with a Workbook stream (Excel) | unsupported_format |
//! | encrypted-package.docx | EncryptionInfo + EncryptedPackage (a password-protected .docx) | encrypted |

use std::io::{Cursor, Write};

const SECTOR: usize = 512;

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// File offset of a sector (version 3 compound files: 512-byte sectors after the header).
fn sector(id: u32) -> usize {
    (id as usize + 1) * SECTOR
}

/// The FAT entry of sector `id`, as a file offset (the FAT sectors named in the header's
/// DIFAT are enough for these small files).
fn fat_entry(file: &[u8], id: u32) -> usize {
    let per = SECTOR / 4;
    let fat_sector = u32_at(file, 0x4C + 4 * (id as usize / per));
    sector(fat_sector) + 4 * (id as usize % per)
}

/// The start sector of a stream, from the directory.
fn stream_start(file: &[u8], name: &str) -> u32 {
    let want: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    for id in chain(file, u32_at(file, 0x30)) {
        for e in 0..SECTOR / 128 {
            let entry = &file[sector(id) + 128 * e..sector(id) + 128 * (e + 1)];
            if entry[..want.len()] == want[..] && entry[want.len()..want.len() + 2] == [0, 0] {
                return u32_at(entry, 116);
            }
        }
    }
    panic!("no stream {name}");
}

fn chain(file: &[u8], start: u32) -> Vec<u32> {
    let mut ids = vec![start];
    while ids.len() <= file.len() / SECTOR {
        let next = u32_at(file, fat_entry(file, *ids.last().unwrap()));
        if next >= 0xFFFF_FFFA {
            return ids;
        }
        ids.push(next);
    }
    panic!("the chain from sector {start} does not end");
}

/// A compound file with the given root streams, directory timestamps zeroed.
fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    // Version 3: 512-byte sectors, as Word and WPS write them (and as `sector` assumes).
    let mut cf = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
        .expect("creatable");
    for (name, data) in streams {
        cf.create_stream(name).unwrap().write_all(data).unwrap();
    }
    cf.flush().unwrap();
    let mut file = cf.into_inner().into_inner();
    let dir = u32_at(&file, 0x30);
    for id in chain(&file.clone(), dir) {
        for e in 0..SECTOR / 128 {
            let at = sector(id) + 128 * e + 100;
            file[at..at + 16].fill(0);
        }
    }
    file
}

fn main() {
    let good = std::fs::read("fixtures/doc/2025-zibo.doc").expect("fixtures/doc/2025-zibo.doc");
    let out = std::path::Path::new("fixtures/bad");
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(out.join(name), bytes).unwrap();
        println!("{name}: {} bytes", bytes.len());
    };
    write("doc-truncated.doc", &good[..good.len() * 6 / 10]);

    let word = stream_start(&good, "WordDocument");
    let ids = chain(&good, word);
    let last = fat_entry(&good, *ids.last().unwrap());
    let mut cycle = good.clone();
    put_u32(&mut cycle, last, ids[1]);
    write("doc-fat-cycle.doc", &cycle);
    let mut lp = good.clone();
    put_u32(&mut lp, last, ids[0]);
    write("doc-fat-loop.doc", &lp);

    // The FIB is at the start of the WordDocument stream's first sector.
    let fib = sector(word);
    let mut enc = good.clone();
    enc[fib + 11] |= 0x01; // fEncrypted is bit 8 of the flags at offset 10
    write("doc-encrypted.doc", &enc);
    let mut w95 = good.clone();
    w95[fib + 2..fib + 4].copy_from_slice(&101u16.to_le_bytes());
    write("doc-word95.doc", &w95);
    let mut no_clx = good.clone();
    put_u32(&mut no_clx, fib + 0x1A6, 0); // lcbClx
    write("doc-no-piece-table.doc", &no_clx);

    write(
        "works.wps",
        &compound(&[("CONTENTS", &[0u8; 600][..]), ("SPELLING", b"\0\0")]),
    );
    write("workbook.xls", &compound(&[("Workbook", &[0u8; 4200][..])]));
    write(
        "encrypted-package.docx",
        &compound(&[
            ("EncryptionInfo", &[4u8, 0, 4, 0, 0x40, 0, 0, 0][..]),
            ("EncryptedPackage", &[0u8; 5000][..]),
        ]),
    );
}
