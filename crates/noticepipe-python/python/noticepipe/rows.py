"""Flat item rows of files, for tables (Parquet, Spark, Ray, pandas).

One row per item of each notice; a file that gives a record without items, or no record at
all, still gets one row (``item_number`` is None), so every input file is in the table.
A file that cannot be parsed becomes an error row (``status == "error"``, with its
``error_code`` and ``error_message``) instead of an exception: one bad file never fails a
job. The engine examples (examples/spark_items.py, examples/ray_items.py) build their
typed tables from :data:`COLUMNS`.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from . import NoticeError, Parser, parse_bytes

#: The columns of an item row and their kinds: "string", "int32" or "strings" (a list).
COLUMNS: List[Tuple[str, str]] = [
    ("path", "string"),
    ("status", "string"),  # "ok" or "error"
    ("error_code", "string"),
    ("error_message", "string"),
    ("format", "string"),
    ("record_id", "string"),  # the notice's stable key, the same in every format
    ("doc_number", "string"),
    ("title", "string"),
    ("issuer", "string"),
    ("date", "string"),
    ("item_id", "string"),  # record_id-number
    ("item_number", "int32"),
    ("item_title", "string"),
    ("item_body", "string"),
    ("category", "string"),
    ("lead_units", "strings"),
    ("responsible_units", "strings"),
    ("deadline", "string"),
]


def item_rows(data: bytes, path: str, parser: Optional[Parser] = None) -> List[Dict[str, Any]]:
    """The item rows of one file's bytes; ``path`` names it in the rows and errors. With a
    ``parser`` (``Parser(isolated=True)`` for untrusted files) the file is parsed by it,
    else in this process."""
    row: Dict[str, Any] = {name: None for name, _ in COLUMNS}
    row["path"] = path
    try:
        record = parse_bytes(data, name=path) if parser is None else parser.parse_bytes(data, name=path)
    except NoticeError as e:
        return [{**row, "status": "error", "error_code": e.code, "error_message": e.message}]
    doc_number: Optional[Dict[str, Any]] = record["doc_number"]
    row.update(
        status="ok",
        format=record["source"]["format"],
        record_id=record["id"],
        doc_number=doc_number["text"] if doc_number else None,
        title=record["title"],
        issuer=record["issuer"],
        date=record["date"],
    )
    items = record["items"]
    if not items:
        return [row]
    return [
        {
            **row,
            "item_id": item["id"],
            "item_number": item["number"],
            "item_title": item["title"],
            "item_body": item["body"],
            "category": item["category"],
            "lead_units": item["lead_units"],
            "responsible_units": item["responsible_units"],
            "deadline": item["deadline"],
        }
        for item in items
    ]
