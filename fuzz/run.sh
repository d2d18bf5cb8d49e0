#!/usr/bin/env bash
# Fuzz one target for a while, seeded with corpus/ and fixtures/bad/.
#   fuzz/run.sh TARGET SECONDS     (TARGET: txt, docx, pdf, html, doc)
# Needs `cargo install cargo-fuzz`; runs on the stable toolchain through RUSTC_BOOTSTRAP=1.
# Findings land in fuzz/artifacts/TARGET/; keep each one as a regression input in
# fixtures/fuzz/TARGET/ (crates/noticepipe/tests/fuzz_regressions.rs replays them).
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
  doc) ext=doc ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
cp ../corpus/*."$ext" ../fixtures/bad/*."$ext" "$seeds"/ 2>/dev/null || true
if [ -d "../fixtures/$ext" ]; then cp ../fixtures/"$ext"/*."$ext" "$seeds"/ 2>/dev/null || true; fi
# Word binary: the LibreOffice-made .doc of the genre notices and the .wps copies too.
if [ "$target" = doc ]; then cp ../fixtures/genre/*.doc ../fixtures/doc/*.wps ../fixtures/bad/*.wps ../fixtures/bad/*.xls ../fixtures/bad/encrypted-package.docx "$seeds"/ 2>/dev/null || true; fi
# Web pages: every page the HTML generator wrote, whatever its extension (.mht, .xhtml …).
if [ "$target" = html ]; then find ../fixtures/html -type f ! -name '*.py' ! -name '*.json' -exec cp {} "$seeds"/ \; ; fi
RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "$seeds" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1
