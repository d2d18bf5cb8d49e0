#!/usr/bin/env bash
# Builds the noticepipe wheel (manylinux2014, through zig; with its worker executable, by
# scripts/build-wheel.sh), installs it into a fresh venv with the engines, and runs
# crates/noticepipe-python/tests: the records of the corpus, the bad files' codes, the isolated mode
# (worker processes, faults injected), and the Spark and Ray examples end to end. Needs
# Java 17+ for Spark (Debian's if absent).
set -euo pipefail
cd "$(dirname "$0")/.."
target="$(mkdir -p "${CARGO_TARGET_DIR:-target}" && cd "${CARGO_TARGET_DIR:-target}" && pwd)"
venv="$target/py-venv"

if ! command -v java >/dev/null; then
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    $sudo apt-get update -qq && $sudo apt-get install -y -qq openjdk-17-jre-headless
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -r crates/noticepipe-python/requirements-test.txt

# The venv's bin first: maturin finds zig through the venv's python (the ziglang package).
PATH="$venv/bin:$PATH"
rm -rf "$target/wheels"
# The worker executable of Parser(isolated=True) first, then the module (scripts/build-wheel.sh).
scripts/build-wheel.sh "$target/wheels"
pip install -q --force-reinstall --no-deps "$target"/wheels/noticepipe-*.whl

# From outside the source tree, so that the installed wheel is what gets imported.
cd crates/noticepipe-python/tests
python -m pytest -q -p no:cacheprovider .
