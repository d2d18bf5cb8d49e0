#!/usr/bin/env python3
"""A command peer for the shared bench harness (bench/peers.py beside the project): main-text extraction of web pages with a
Python library, loaded once, looping over the files given, text to stdout.

    python3 html_peer.py trafilatura FILE...
    python3 html_peer.py readability FILE...

trafilatura: `trafilatura.extract(bytes, include_tables=True)` (it decodes the bytes itself).
readability: readability-lxml's `Document(bytes).summary()`, then the summary's text
(`lxml.html` `text_content()`), so both peers end with plain text, as we end with a record.
peers.py only knows pdf/docx/txt; run it for .html through a two-line wrapper (BENCHMARKS.md).
"""

import sys


def trafilatura_peer():
    import trafilatura

    def extract(data):
        return trafilatura.extract(data, include_tables=True) or ""

    return extract


def readability_peer():
    import lxml.html
    from readability import Document

    def extract(data):
        summary = Document(data).summary()
        return lxml.html.fromstring(summary).text_content()

    return extract


def main():
    peer, files = sys.argv[1], sys.argv[2:]
    extract = {"trafilatura": trafilatura_peer, "readability": readability_peer}[peer]()
    out = sys.stdout
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        out.write(extract(data))
        out.write("\n\f\n")


if __name__ == "__main__":
    main()
