#!/usr/bin/env python3
"""Pack the Adobe-GB1 CMap data extract-pdf needs into data/adobe-gb1.bin.z.

Input: the Adobe CMap files as Debian's poppler-data installs them
(`apt-get install poppler-data` -> /usr/share/poppler/cMap/Adobe-GB1/). Only the
Adobe-authored CMaps are read (BSD-3-Clause, see data/LICENSE-adobe-cmaps.txt); the
GPL-2 `cidToUnicode/` files of poppler-data are deliberately NOT used.

Output (zlib-compressed, little-endian):
  b"NPCM" u32 version=1
  u32 n, n x (cid_lo u32, cid_hi u32, uni_lo u32)       # Adobe-GB1 CID -> Unicode ranges
  u32 ncmaps, per cmap:
    u8 len, name bytes
    u16 ncs, ncs x (nbytes u8, lo u32, hi u32)          # codespace ranges
    u32 n, n x (code_lo u32, code_hi u32, cid_lo u32)   # cidrange/cidchar, sorted
Run: python3 crates/extract-pdf/data/gen_cmaps.py [/usr/share/poppler/cMap/Adobe-GB1]
"""
import os
import re
import struct
import sys
import zlib

SRC = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/poppler/cMap/Adobe-GB1"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "adobe-gb1.bin.z")
# Horizontal CMaps only: the V variants differ in a handful of vertical punctuation
# CIDs and are aliased to their H map at run time.
CMAPS = ["UniGB-UCS2-H", "GBK-EUC-H", "GB-EUC-H", "GBpc-EUC-H", "GBK2K-H"]

TOK = re.compile(rb"<[0-9A-Fa-f]*>|\[|\]|/[^\s<>\[\]/()]+|-?\d+|[A-Za-z]+|\([^)]*\)")


def tokens(path):
    data = open(path, "rb").read()
    data = re.sub(rb"%[^\n\r]*", b"", data)
    return TOK.findall(data)


def hexval(t):
    return int(t[1:-1] or b"0", 16), (len(t) - 2) // 2


def parse_cmap(name):
    toks = tokens(os.path.join(SRC, name))
    cs, ent = [], []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t == b"begincodespacerange":
            i += 1
            while toks[i] != b"endcodespacerange":
                lo, n = hexval(toks[i])
                hi, _ = hexval(toks[i + 1])
                cs.append((n, lo, hi))
                i += 2
        elif t == b"begincidrange":
            i += 1
            while toks[i] != b"endcidrange":
                lo, _ = hexval(toks[i])
                hi, _ = hexval(toks[i + 1])
                ent.append((lo, hi, int(toks[i + 2])))
                i += 3
        elif t == b"begincidchar":
            i += 1
            while toks[i] != b"endcidchar":
                lo, _ = hexval(toks[i])
                ent.append((lo, lo, int(toks[i + 1])))
                i += 2
        elif t == b"usecmap":
            parent = toks[i - 1][1:].decode()
            pcs, pent = parse_cmap(parent)
            cs += pcs
            ent += pent
        i += 1
    return cs, ent


def utf16_to_cp(v, n):
    b = v.to_bytes(n, "big")
    s = b.decode("utf-16-be", errors="replace")
    return ord(s[0]) if len(s) == 1 else None


def cid_to_unicode():
    toks = tokens(os.path.join(SRC, "Adobe-GB1-UCS2"))
    m = {}
    i = 0
    while i < len(toks):
        t = toks[i]
        if t == b"beginbfchar":
            i += 1
            while toks[i] != b"endbfchar":
                cid, _ = hexval(toks[i])
                v, n = hexval(toks[i + 1])
                cp = utf16_to_cp(v, n)
                if cp is not None and cp != 0xFFFD:
                    m[cid] = cp
                i += 2
        elif t == b"beginbfrange":
            i += 1
            while toks[i] != b"endbfrange":
                lo, _ = hexval(toks[i])
                hi, _ = hexval(toks[i + 1])
                if toks[i + 2] == b"[":
                    j = i + 3
                    k = 0
                    while toks[j] != b"]":
                        v, n = hexval(toks[j])
                        cp = utf16_to_cp(v, n)
                        if cp is not None:
                            m[lo + k] = cp
                        k += 1
                        j += 1
                    i = j + 1
                else:
                    v, n = hexval(toks[i + 2])
                    for k in range(hi - lo + 1):
                        m[lo + k] = v + k
                    i += 3
        i += 1
    # CIDs the UCS2 map leaves out (supplementary-plane ideographs): invert UniGB-UTF32-H.
    _, ent = parse_cmap("UniGB-UTF32-H")
    for lo, hi, cid in ent:
        for k in range(hi - lo + 1):
            m.setdefault(cid + k, lo + k)
    return m


def ranges(m):
    out = []
    for cid in sorted(m):
        u = m[cid]
        if out and out[-1][1] + 1 == cid and out[-1][2] + (cid - out[-1][0]) == u:
            out[-1][1] = cid
        else:
            out.append([cid, cid, u])
    return out


def main():
    buf = bytearray(b"NPCM" + struct.pack("<I", 1))
    c2u = ranges(cid_to_unicode())
    buf += struct.pack("<I", len(c2u))
    for lo, hi, u in c2u:
        buf += struct.pack("<III", lo, hi, u)
    buf += struct.pack("<I", len(CMAPS))
    for name in CMAPS:
        cs, ent = parse_cmap(name)
        ent.sort()
        nb = name.encode()
        buf += struct.pack("<B", len(nb)) + nb
        buf += struct.pack("<H", len(cs))
        for n, lo, hi in cs:
            buf += struct.pack("<BII", n, lo, hi)
        buf += struct.pack("<I", len(ent))
        for lo, hi, cid in ent:
            buf += struct.pack("<III", lo, hi, cid)
        print(f"{name}: {len(cs)} codespace ranges, {len(ent)} entries", file=sys.stderr)
    z = zlib.compress(bytes(buf), 9)
    open(OUT, "wb").write(z)
    print(f"cid->unicode ranges: {len(c2u)}; raw {len(buf)} B, packed {len(z)} B -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
