"""What the tests share: the repository's corpus, golden records and bad files."""

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CORPUS = sorted(p for p in (REPO / "corpus").iterdir() if p.is_file())
BAD = REPO / "fixtures" / "bad"

# The error code each bad file gives (the same table as crates/noticepipe-cli/tests/bad_inputs.rs).
BAD_CODES = {
    "zero-bytes.txt": "empty",
    "zero-bytes.docx": "empty",
    "zero-bytes.pdf": "empty",
    "random-bytes.txt": "not_text",
    "random-bytes.docx": "not_text",
    "random-bytes.pdf": "not_text",
    "docx-cut-in-half.docx": "corrupt_zip",
    "pdf-cut-in-half.pdf": "corrupt_pdf",
    "zip-not-docx.docx": "unsupported_format",
    "zip-bomb.docx": "too_large",
    "nested-tables.docx": "too_large",
    "image-only.pdf": "no_text_layer",
    "pages-loop.pdf": "corrupt_pdf",
    "user-password.pdf": "encrypted",
    "doc-truncated.doc": "corrupt_doc",
    "doc-fat-cycle.doc": "corrupt_doc",
    "doc-fat-loop.doc": "corrupt_doc",
    "doc-no-piece-table.doc": "corrupt_doc",
    "doc-encrypted.doc": "encrypted",
    "doc-word95.doc": "unsupported_format",
    "works.wps": "unsupported_format",
    "workbook.xls": "unsupported_format",
    "encrypted-package.docx": "encrypted",
}


def golden(corpus_file: Path) -> dict:
    """The reviewed record of a corpus file, as made from the name `corpus/NAME`."""
    return json.loads((REPO / "fixtures" / "golden" / f"{corpus_file.name}.json").read_text())
