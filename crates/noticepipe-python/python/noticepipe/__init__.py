"""Records of Chinese government "practical projects" notices (TXT, DOCX, DOC/WPS, PDF, OFD,
HTML) as dicts: the same record, field for field, as ``noticepipe parse FILE`` prints.

>>> import noticepipe
>>> record = noticepipe.parse_path("corpus/2025-zibo.docx")
>>> record["doc_number"]["text"]
'淄政办字〔2025〕15号'

Parsing runs in this process with the GIL released (threads parse in parallel). Every
file that cannot become a record raises :class:`NoticeError`; nothing else is raised for a
bad file.

For untrusted files, :class:`Parser` with ``isolated=True`` parses in worker processes, as
the CLI does: a file that hangs, crashes or eats memory raises :class:`NoticeError`
(``timeout``, ``extract_crash``, ``too_large``) and costs a worker, not this process.

>>> with noticepipe.Parser(isolated=True, timeout=10) as parser:
...     record = parser.parse_path("corpus/2025-zibo.docx")
"""

from __future__ import annotations

import errno
import json
import operator
import os
import shutil
import threading
from typing import Any, Dict, Optional, Union

from . import _native

__all__ = ["NoticeError", "Parser", "SCHEMA_VERSION", "WORKER_ENV", "parse_bytes", "parse_path"]

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


#: The environment variable naming the worker executable of ``Parser(isolated=True)`` when
#: no ``worker_exe`` is given (else the one shipped next to this module is used).
WORKER_ENV = "NOTICEPIPE_WORKER_EXE"

#: The worker executable the wheel ships next to this module.
_SHIPPED_WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "noticepipe-worker")


class Parser:
    """Parses files in this process (``isolated=False``, the default: what
    :func:`parse_bytes` and :func:`parse_path` do) or in worker processes
    (``isolated=True``).

    Isolated, each file goes to a worker process that answers its record, as the CLI's
    ``parse`` and ``convert`` do: a file that takes longer than ``timeout`` seconds raises
    :class:`NoticeError` ``timeout``, one that makes its worker pass ``max_memory`` bytes of
    address space ``too_large``, one that crashes it (abort, stack overflow, signal)
    ``extract_crash``; the worker is replaced and this process goes on. Records are the
    same as in process. Workers start on first use (one per thread parsing at once), are
    reused, and stop with :meth:`close`, at the end of a ``with`` block, when the parser is
    collected, or with this process.

    ``timeout`` (seconds, above 0, at most a day) and ``max_memory`` (bytes, 128 MiB to
    1 TiB) default to the CLI's ``--timeout`` and ``--max-memory``: 30 s and 2 GiB.
    ``worker_exe`` is the executable run as ``EXE __worker``: by default the
    ``noticepipe-worker`` shipped in the wheel, or the one ``$NOTICEPIPE_WORKER_EXE``
    names; the ``noticepipe`` CLI binary works too (its records are its version's). A missing one raises
    ``FileNotFoundError`` here, not at the first file.

    A parser pickles (its settings; workers start anew where it is unpickled), so a Spark
    or Ray task can take one along; a process forked from one starts its own workers.
    """

    def __init__(
        self,
        isolated: bool = False,
        *,
        timeout: Optional[float] = None,
        max_memory: Optional[int] = None,
        worker_exe: Optional[Union[str, "os.PathLike[str]"]] = None,
    ) -> None:
        self.isolated = bool(isolated)
        self._given = (timeout, max_memory, worker_exe)
        self._lock = threading.Lock()
        self._workers: Any = None
        self._pid = 0
        if not self.isolated:
            given = [n for n, v in zip(("timeout", "max_memory", "worker_exe"), self._given) if v is not None]
            if given:
                raise ValueError(
                    f"{', '.join(given)}: only with isolated=True (parsing in this process has "
                    "no timeout and no memory limit)"
                )
            self.timeout: Optional[float] = None
            self.max_memory: Optional[int] = None
            self.worker_exe: Optional[str] = None
            return
        self.timeout = float(_native.WORKER_TIMEOUT if timeout is None else timeout)
        self.max_memory = operator.index(_native.WORKER_MAX_MEMORY if max_memory is None else max_memory)
        self.worker_exe = _find_worker(worker_exe)
        self._supervisor()  # checks timeout and max_memory (ValueError)

    def parse_bytes(self, data: Union[bytes, bytearray], name: Optional[str] = None) -> Dict[str, Any]:
        """The record of a file's bytes, as :func:`parse_bytes` gives it."""
        if not self.isolated:
            return parse_bytes(data, name)
        return json.loads(self._supervisor().parse_bytes_json(data, "<bytes>" if name is None else name))

    def parse_path(self, path: Union[str, "os.PathLike[str]"]) -> Dict[str, Any]:
        """The record of the file at ``path``, as :func:`parse_path` gives it (the file is
        read in this process and its bytes sent to a worker)."""
        if not self.isolated:
            return parse_path(path)
        return json.loads(self._supervisor().parse_path_json(path))

    def close(self) -> None:
        """Stops the idle workers now (files being parsed in other threads finish first);
        the next file starts new ones."""
        with self._lock:
            self._workers = None

    def __enter__(self) -> "Parser":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __reduce__(self):
        timeout, max_memory, worker_exe = self._given
        return (_parser, (self.isolated, timeout, max_memory, worker_exe))

    def __repr__(self) -> str:
        if not self.isolated:
            return "Parser(isolated=False)"
        return (
            f"Parser(isolated=True, timeout={self.timeout}, max_memory={self.max_memory}, "
            f"worker_exe={self.worker_exe!r})"
        )

    def _supervisor(self) -> Any:
        """This process's supervisor: made anew after :meth:`close`, and in a forked child
        (the parent's workers are not the child's to use or stop)."""
        with self._lock:
            if self._workers is None or self._pid != os.getpid():
                self._workers = _native.Isolated(self.worker_exe, self.timeout, self.max_memory)
                self._pid = os.getpid()
            return self._workers


def _parser(isolated: bool, timeout: Any, max_memory: Any, worker_exe: Any) -> Parser:
    """A pickled :class:`Parser` made again (its worker found where it is unpickled)."""
    return Parser(isolated, timeout=timeout, max_memory=max_memory, worker_exe=worker_exe)


def _find_worker(given: Optional[Union[str, "os.PathLike[str]"]]) -> str:
    """The worker executable's absolute path: ``given``, else ``$NOTICEPIPE_WORKER_EXE``,
    else the one shipped in the wheel; a bare name is looked up on ``PATH``."""
    if given is not None:
        path, source = os.fspath(given), "worker_exe"
    elif os.environ.get(WORKER_ENV):
        path, source = os.environ[WORKER_ENV], f"${WORKER_ENV}"
    else:
        path, source = _SHIPPED_WORKER, "the wheel"
    if os.sep not in path and not os.path.exists(path):
        path = shutil.which(path) or path
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            errno.ENOENT,
            f"noticepipe: no worker executable for isolated=True (from {source}); a wheel built "
            f"by scripts/build-wheel.sh ships one next to the module, or name one (the "
            f"noticepipe CLI binary works too) with worker_exe= or ${WORKER_ENV}",
            path,
        )
    if not os.access(path, os.X_OK):
        raise PermissionError(
            errno.EACCES, f"noticepipe: the worker executable (from {source}) is not executable", path
        )
    return path
