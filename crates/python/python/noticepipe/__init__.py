"""Records of Chinese government "practical projects" notices (TXT, DOCX, DOC/WPS, PDF, OFD,
HTML) as dicts: the same record, field for field, as ``noticepipe parse FILE`` prints.

>>> import noticepipe
>>> record = noticepipe.parse_path("corpus/2025-zibo.docx")
>>> record["doc_number"]["text"]
'淄政办字〔2025〕15号'

Parsing runs in this process with the GIL released (threads parse in parallel). Every
file that cannot become a record raises :class:`NoticeError`; nothing else is raised for a
bad file.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional, Union

from . import _native

__all__ = ["NoticeError", "SCHEMA_VERSION", "parse_bytes", "parse_path"]

#: The version of the record format (``record["schema_version"]``).
SCHEMA_VERSION: str = _native.SCHEMA_VERSION


class NoticeError(Exception):
    """A file that could not be turned into a record.

    ``code`` is the pipeline's error code (``"empty"``, ``"not_text"``, ``"corrupt_pdf"``,
    ``"too_large"``, ``"encrypted"``, ``"no_text_layer"``, ``"unsupported_format"``,
    ``"extract_panic"``, ``"io"``, ...), ``path`` names the file, ``message`` says why.
    """

    def __init__(self, code: str, path: str, message: str) -> None:
        super().__init__(f"error[{code}]: {path}: {message}")
        self.code = code
        self.path = path
        self.message = message

    def __reduce__(self):  # pickled by Spark and Ray when a task passes errors around
        return (type(self), (self.code, self.path, self.message))


def parse_bytes(data: Union[bytes, bytearray], name: Optional[str] = None) -> Dict[str, Any]:
    """The record of a file's bytes. ``name`` stands for the file in ``source.path`` and in
    errors, and its extension is checked against the content (a mismatch is a warning);
    without it the file is called ``<bytes>`` and claims no format."""
    return json.loads(_native.parse_bytes_json(data, "<bytes>" if name is None else name))


def parse_path(path: Union[str, "os.PathLike[str]"]) -> Dict[str, Any]:
    """The record of the file at ``path`` (a regular file of at most 256 MiB)."""
    return json.loads(_native.parse_path_json(path))
