#!/usr/bin/env bash
# Builds the wheel `noticepipe` into OUT (default: $CARGO_TARGET_DIR/wheels, else
# target/wheels) in two steps:
#   1. the worker executable of noticepipe.Parser(isolated=True) (crates/noticepipe-python-worker, the
#      CLI's `__worker` alone), a manylinux2014 binary through zig like the module, copied
#      out of the wheel maturin checked it in into python/noticepipe/noticepipe-worker
#      (git-ignored; pyproject.toml's `include` puts it into the wheel);
#   2. the module and the package around it.
# Needs maturin and ziglang (crates/noticepipe-python/requirements-test.txt) and the python3 on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
target="$(mkdir -p "${CARGO_TARGET_DIR:-target}" && cd "${CARGO_TARGET_DIR:-target}" && pwd)"
out="${1:-$target/wheels}"
worker_wheel="$target/worker-wheel"

rm -rf "$worker_wheel"
maturin build --release --strip --zig -b bin -m crates/noticepipe-python-worker/Cargo.toml --out "$worker_wheel"
python3 - "$worker_wheel" crates/noticepipe-python/python/noticepipe/noticepipe-worker <<'EOF'
import glob, os, shutil, sys, zipfile

folder, dest = sys.argv[1:]
[wheel] = glob.glob(os.path.join(folder, "*.whl"))
with zipfile.ZipFile(wheel) as z:
    [name] = [n for n in z.namelist() if n.endswith(".data/scripts/noticepipe-worker")]
    with z.open(name) as src, open(dest + ".tmp", "wb") as dst:
        shutil.copyfileobj(src, dst)
os.chmod(dest + ".tmp", 0o755)
os.replace(dest + ".tmp", dest)
EOF

maturin build --release --zig -m crates/noticepipe-python/Cargo.toml --out "$out"
