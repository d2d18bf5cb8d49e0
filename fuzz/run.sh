#!/usr/bin/env bash
# Fuzz one target for a while, seeded with corpus/ and fixtures/bad/.
#   fuzz/run.sh TARGET SECONDS     (TARGET: txt, docx, pdf, html, ofd, doc, md)
# Needs `cargo install cargo-fuzz`; runs on the stable toolchain through RUSTC_BOOTSTRAP=1.
# Findings land in fuzz/artifacts/TARGET/; keep each one as a regression input in
# fixtures/fuzz/TARGET/ (crates/noticepipe-cli/tests/fuzz_regressions.rs replays them).
set -euo pipefail
target=$1
seconds=${2:-600}
cd "$(dirname "$0")"
seeds=corpus/$target
mkdir -p "$seeds"
case $target in
  txt) ext=txt ;;
  docx) ext=docx ;;
  pdf) ext=pdf ;;
  html) ext=html ;;
  ofd) ext=ofd ;;
  doc) ext=doc ;;
  md) ext=md ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
cp ../corpus/*."$ext" ../fixtures/bad/*."$ext" "$seeds"/ 2>/dev/null || true
if [ -d "../fixtures/$ext" ]; then cp ../fixtures/"$ext"/*."$ext" "$seeds"/ 2>/dev/null || true; fi
# The genre notices (工作方案, verb notes, table lists, dumps …) exercise the whole parser.
cp ../fixtures/genre/*."$ext" "$seeds"/ 2>/dev/null || true
# Word binary: the .wps copies and the other compound files too.
if [ "$target" = doc ]; then cp ../fixtures/doc/*.wps ../fixtures/bad/*.wps ../fixtures/bad/*.xls ../fixtures/bad/encrypted-package.docx "$seeds"/ 2>/dev/null || true; fi
# Markdown: the TXT notices too (as Markdown they are paragraphs under the soft-break rule).
if [ "$target" = md ]; then cp ../corpus/*.txt ../fixtures/genre/*.txt "$seeds"/ 2>/dev/null || true; fi
# Web pages: every page the HTML generator wrote, whatever its extension (.mht, .xhtml …).
if [ "$target" = html ]; then find ../fixtures/html -type f ! -name '*.py' ! -name '*.json' -exec cp {} "$seeds"/ \; ; fi
# OFD: the target's first byte says what follows (see fuzz_targets/ofd.rs): each package
# whole (0), and its first page's Content.xml (1), Document.xml (2) and OFD.xml (3).
if [ "$target" = ofd ]; then
  python3 - "$seeds" ../fixtures/ofd/*.ofd ../fixtures/ofd/bad/*.ofd <<'PY'
import hashlib, os, sys, zipfile
out = sys.argv[1]
def put(mode, data):
    blob = bytes([mode]) + data
    with open(os.path.join(out, hashlib.sha1(blob).hexdigest()), "wb") as f:
        f.write(blob)
for path in sys.argv[2:]:
    raw = open(path, "rb").read()
    put(0, raw)
    try:
        z = zipfile.ZipFile(path)
        names = z.namelist()
        for mode, name in ((1, "Doc_0/Pages/Page_0/Content.xml"), (2, "Doc_0/Document.xml"), (3, "OFD.xml")):
            if name in names and z.getinfo(name).file_size < 1 << 20:
                put(mode, z.read(name))
    except Exception:
        pass
PY
  rm -f "$seeds"/*.ofd
fi
RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "$seeds" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1
