#!/usr/bin/env bash
# The test command README.md gives and .ci/run calls: installs what the tests need on a
# fresh machine (which has only the Rust toolchain, gcc, Python 3.11, Java 17 and Node), then
# runs every test. Each optional part installs itself in its own step below.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*" >&2; }

step "OCR engine for the scanned-notice tests (tests/ocr.rs): ONNX Runtime and PP-OCR models from PyPI"
scripts/install-ocr.sh
# The engine is here now: a test that cannot load it fails instead of skipping (see
# docs/src/testing.md, "Material from outside the repository").
export NOTICEPIPE_REQUIRE="${NOTICEPIPE_REQUIRE:+$NOTICEPIPE_REQUIRE,}ocr"

step "Rust tests (the whole workspace, doctests included)"
cargo test --workspace

step "API documentation builds without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "User guide (docs/, mdBook; installs mdBook if missing): it builds, and every link in it and in README.md resolves"
scripts/book.sh

step "HTTP service: schemathesis, a bounded load test, the page in headless chromium (installs them)"
scripts/serve-tests.sh

step "Python wheel and the Spark and Ray examples (crates/noticepipe-python, examples/)"
scripts/test-python.sh
