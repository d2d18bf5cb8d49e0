#!/usr/bin/env bash
# Tests of `noticepipe serve` from outside: the API against its own OpenAPI document
# (schemathesis), Python's http.client (refusals seen by a client that sends its whole body
# first), a bounded load test on loopback, and the page in headless chromium (with the page
# `noticepipe report` writes, opened from file://).
# Installs what they need: a venv under the target folder (scripts/serve-test-requirements.txt)
# and Debian's chromium, chromium-driver and fonts-noto-cjk. Usage:
#   scripts/serve-tests.sh [schemathesis|clients|load|browser]...   (default: all, CI's bounds)
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target"
target="$(cd "$target" && pwd)"
venv="$target/serve-test-venv"
binary="$target/debug/noticepipe"

install_python() {
    if ! "$venv/bin/python" -c 'import schemathesis, aiohttp, selenium' 2>/dev/null; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet -r scripts/serve-test-requirements.txt
    fi
}

install_chromium() {
    # A CJK font too: without one the report's screenshot shows boxes for Chinese.
    if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
        && fc-list :lang=zh 2>/dev/null | grep -q .; then
        return
    fi
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
}

# Every check but the two that assume any schema-valid body is accepted and any other
# refused: a document's bytes are "valid" by the schema, and most random bytes are rightly
# refused as an unsupported format (415). Bounded to 60 s of generated requests.
run_schemathesis() {
    local log server url
    log="$(mktemp)"
    "$binary" serve --listen 127.0.0.1:0 2>"$log" &
    server=$!
    for _ in $(seq 100); do
        grep -q 'listening on' "$log" && break
        sleep 0.1
    done
    url="$(grep -o 'http://[0-9.:]*' "$log")"
    local status=0
    # From the target folder: schemathesis keeps a .schemathesis/ cache where it runs.
    (cd "$target" && "$venv/bin/schemathesis" run "$url/openapi.json" \
        --checks all \
        --exclude-checks positive_data_acceptance,negative_data_rejection \
        --phases examples,coverage,fuzzing \
        --max-time "${SCHEMATHESIS_SECONDS:-60}" \
        --workers 2 \
        --seed 20261124) || status=$?
    kill -TERM "$server"
    wait "$server" || status=$?   # a clean shutdown exits 0
    rm -f "$log"
    return "$status"
}

parts=("$@")
if [ ${#parts[@]} -eq 0 ]; then parts=(schemathesis clients load browser); fi
install_python
cargo build --quiet -p noticepipe-cli
for part in "${parts[@]}"; do
    case "$part" in
        schemathesis) run_schemathesis ;;
        clients) "$venv/bin/python" scripts/client_test.py --binary "$binary" ;;
        # CI's bound; BENCHMARKS.md has the full run (50 clients × 2,000 requests, release).
        load) "$venv/bin/python" scripts/load_test.py --binary "$binary" --clients 10 --requests 200 --max-concurrent 2 ;;
        browser) install_chromium
                 "$venv/bin/python" scripts/browser_test.py --binary "$binary"
                 "$venv/bin/python" scripts/report_browser_test.py --binary "$binary" ;;
        *) echo "unknown part: $part" >&2; exit 2 ;;
    esac
done
