#!/usr/bin/env bash
# Installs the OCR engine noticepipe loads at run time, from PyPI with pip:
#   - ONNX Runtime's shared library, from the `onnxruntime` wheel (MIT);
#   - PP-OCR's text detection and recognition models (Apache-2.0; the recognizer carries its
#     character dictionary), from the `rapidocr` wheel.
# into $NOTICEPIPE_OCR_DIR, else ~/.local/share/noticepipe/ocr (about 65 MB). Only the files
# are kept: no Python package is installed. Re-running with the same versions does nothing.
set -euo pipefail

ONNXRUNTIME_VERSION=1.32.0
RAPIDOCR_VERSION=3.10.0
DET=PP-OCRv6_det_small.onnx
REC=PP-OCRv6_rec_small.onnx
VERSION="PP-OCRv6 small (rapidocr $RAPIDOCR_VERSION), ONNX Runtime $ONNXRUNTIME_VERSION"

dir="${NOTICEPIPE_OCR_DIR:-$HOME/.local/share/noticepipe/ocr}"
if [ "$(cat "$dir/VERSION" 2>/dev/null)" = "$VERSION" ] &&
    [ -f "$dir/libonnxruntime.so" ] && [ -f "$dir/det.onnx" ] && [ -f "$dir/rec.onnx" ]; then
    echo "OCR engine already installed in $dir: $VERSION"
    exit 0
fi
python="$(command -v python3 || command -v python)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" \
    "onnxruntime==$ONNXRUNTIME_VERSION" "rapidocr==$RAPIDOCR_VERSION"
mkdir -p "$dir"
"$python" - "$tmp" "$dir" "$DET" "$REC" <<'PY'
import glob, re, shutil, sys, zipfile
tmp, out, det, rec = sys.argv[1:]
def take(wheel_glob, pattern, name):
    [wheel] = glob.glob(f"{tmp}/{wheel_glob}")
    with zipfile.ZipFile(wheel) as z:
        [member] = [m for m in z.namelist() if re.search(pattern, m)]
        with z.open(member) as src, open(f"{out}/{name}.part", "wb") as dst:
            shutil.copyfileobj(src, dst)
    shutil.move(f"{out}/{name}.part", f"{out}/{name}")
take("onnxruntime-*.whl", r"capi/libonnxruntime\.so\.[0-9.]+$", "libonnxruntime.so")
take("rapidocr-*.whl", re.escape(det) + "$", "det.onnx")
take("rapidocr-*.whl", re.escape(rec) + "$", "rec.onnx")
PY
echo "$VERSION" >"$dir/VERSION"
echo "OCR engine installed in $dir: $VERSION"
