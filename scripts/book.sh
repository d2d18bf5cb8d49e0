#!/usr/bin/env bash
# The user guide (docs/, mdBook): installs mdBook from crates.io when this version is missing
# (`cargo install`, a few minutes' build, into ~/.cargo/bin), builds the guide into docs/book/
# (a chapter listed in docs/src/SUMMARY.md without its file fails the build), then checks that
# every relative link and #anchor of the built guide, and of README.md, resolves
# (scripts/check_links.py: no network). A step of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

MDBOOK_VERSION=0.5.4
mdbook="${CARGO_HOME:-$HOME/.cargo}/bin/mdbook"

if [ "$("$mdbook" --version 2>/dev/null)" != "mdbook v$MDBOOK_VERSION" ]; then
    echo "installing mdBook $MDBOOK_VERSION (cargo install)" >&2
    cargo install --quiet --locked mdbook --version "$MDBOOK_VERSION"
fi
# mdBook fails on a chapter named in SUMMARY.md without its file, but only logs an
# {{#include}} whose file is gone and goes on: any ERROR or WARN line fails the step too.
log="$("$mdbook" build docs 2>&1)" || { printf '%s\n' "$log" >&2; exit 1; }
printf '%s\n' "$log" >&2
if grep -q -E '^ *(ERROR|WARN) ' <<<"$log"; then
    echo "mdbook build docs: errors or warnings above" >&2
    exit 1
fi
python3 scripts/check_links.py --html docs/book --markdown README.md
