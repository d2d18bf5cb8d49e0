"""The isolated mode, `noticepipe.Parser(isolated=True)`: files parsed in worker processes
(the `noticepipe-worker` shipped in the wheel), so that a file that hangs, crashes or eats
memory raises its typed error and this process goes on; and caught panics print nothing.

The faults are injected as in the CLI's tests (crates/noticepipe-cli/tests/isolation.rs): with
NOTICEPIPE_FAULT_INJECTION=1 in a worker's environment, a file starting with
`NOTICEPIPE-FAULT:hang` (`abort`, `alloc`, ...) makes the worker misbehave. The variable must
be set before the parser starts its first worker (a worker reads it once)."""

import os
import pickle
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import noticepipe
from noticepipe.rows import item_rows

from conftest import BAD, BAD_CODES, CORPUS, REPO, golden

TIMEOUT = 2.0
MAX_MEMORY = 512 << 20
# A docx-rs panic (numbering.xml with a <w:numFmt/> lacking w:val) that the DOCX extractor
# catches: `extract_panic`, in process and in a worker.
PANICS = REPO / "fixtures" / "docx" / "numbering-panic.docx"
PANIC_MESSAGE = "docx-rs panicked reading word/numbering.xml: index out of bounds"


@pytest.fixture
def faults(monkeypatch):
    monkeypatch.setenv("NOTICEPIPE_FAULT_INJECTION", "1")


def fault(kind: str) -> bytes:
    return f"NOTICEPIPE-FAULT:{kind}".encode()


def workers_of_this_process():
    """The pids of this process's children running the worker executable."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses.
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        if ppid == os.getpid() and comm.startswith("noticepipe-work"):
            pids.append(int(entry.name))
    return pids


def test_a_hanging_crashing_or_memory_hungry_file_raises_its_code_and_parsing_goes_on(faults):
    notice = REPO / "corpus" / "2024-zichuan.txt"
    expected = {
        "hang": "timeout",
        "abort": "extract_crash",
        "overflow": "extract_crash",
        "alloc": "too_large",
        "alloc-deep": "too_large",
        "panic": "extract_panic",
    }
    with noticepipe.Parser(isolated=True, timeout=TIMEOUT, max_memory=MAX_MEMORY) as parser:
        for kind, code in expected.items():
            started = time.monotonic()
            with pytest.raises(noticepipe.NoticeError) as raised:
                parser.parse_bytes(fault(kind), name=f"{kind}.txt")
            took = time.monotonic() - started
            assert (raised.value.code, raised.value.path) == (code, f"{kind}.txt"), raised.value
            assert took < TIMEOUT + 5, f"{kind}: {took:.1f} s"
            if kind == "hang":
                assert took >= TIMEOUT and f"within {TIMEOUT:g} s" in raised.value.message
            if code == "too_large":
                assert "memory limit of 512 MiB" in raised.value.message
            # The next file, in the same parser, parses.
            record = parser.parse_bytes(notice.read_bytes(), name=f"corpus/{notice.name}")
            assert record == golden(notice)
        assert "SIGABRT" in _message(parser, "abort")


def _message(parser, kind):
    with pytest.raises(noticepipe.NoticeError) as raised:
        parser.parse_bytes(fault(kind), name=f"{kind}.txt")
    return raised.value.message


def test_without_the_variable_fault_markers_are_text_in_workers_too(monkeypatch):
    monkeypatch.delenv("NOTICEPIPE_FAULT_INJECTION", raising=False)
    with noticepipe.Parser(isolated=True, timeout=TIMEOUT) as parser:
        record = parser.parse_bytes(fault("abort"), name="abort.txt")
    assert record["warnings"][0]["code"] == "missing_date"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_isolated_records_equal_in_process_records(path, monkeypatch):
    with noticepipe.Parser(isolated=True) as parser:
        data = path.read_bytes()
        name = f"corpus/{path.name}"
        record = parser.parse_bytes(data, name=name)
        assert record == noticepipe.parse_bytes(data, name=name) == golden(path)
        monkeypatch.chdir(REPO)
        assert parser.parse_path(Path("corpus") / path.name) == golden(path)
        assert parser.parse_bytes(bytearray(data)) == noticepipe.parse_bytes(data)


def test_bad_files_give_the_same_errors_isolated_as_in_process(tmp_path):
    def error(parse, *args):
        with pytest.raises(noticepipe.NoticeError) as raised:
            parse(*args)
        e = raised.value
        return (e.code, e.path, e.message)

    with noticepipe.Parser(isolated=True) as parser:
        for name, code in BAD_CODES.items():
            path = BAD / name
            isolated = error(parser.parse_path, path)
            assert isolated == error(noticepipe.parse_path, path)
            assert isolated[:2] == (code, str(path))
            assert error(parser.parse_bytes, path.read_bytes(), name) == error(
                noticepipe.parse_bytes, path.read_bytes(), name
            )
        # Read in this process, as in process: no worker sees a path.
        for unreadable in (tmp_path / "missing.txt", tmp_path):
            assert error(parser.parse_path, unreadable) == error(noticepipe.parse_path, unreadable)
            assert error(parser.parse_path, unreadable)[0] == "io"


def test_a_caught_panic_prints_nothing(capfd, monkeypatch):
    # With a backtrace asked for, Rust's default hook would print tens of lines.
    monkeypatch.setenv("RUST_BACKTRACE", "1")
    capfd.readouterr()

    def check(parse):
        with pytest.raises(noticepipe.NoticeError) as raised:
            parse(PANICS)
        assert raised.value.code == "extract_panic"
        # The error says what the panic said, as before.
        assert raised.value.message.startswith(PANIC_MESSAGE), raised.value.message

    check(noticepipe.parse_path)
    check(lambda path: noticepipe.parse_bytes(path.read_bytes(), name=path.name))
    assert capfd.readouterr() == ("", "")
    check(noticepipe.Parser().parse_path)
    check(noticepipe.Parser(isolated=True).parse_path)
    assert capfd.readouterr() == ("", "")


def test_workers_outlive_the_threads_that_started_them():
    # A worker dies with the thread that started it (PR_SET_PDEATHSIG): started from the
    # threads of a pool that then ends, it would be found dead by the next file.
    files = [p for p in CORPUS if p.suffix == ".txt"]
    with noticepipe.Parser(isolated=True) as parser:
        with ThreadPoolExecutor(max_workers=3) as pool:
            parse = lambda p: parser.parse_bytes(p.read_bytes(), name=f"corpus/{p.name}")  # noqa: E731
            records = list(pool.map(parse, files * 2))
        assert records == [golden(p) for p in files * 2]
        assert 1 <= len(workers_of_this_process()) <= 3
        for path in files * 2:
            assert parser.parse_bytes(path.read_bytes(), name=f"corpus/{path.name}") == golden(path)


def test_close_stops_the_workers_and_the_next_file_starts_new_ones():
    parser = noticepipe.Parser(isolated=True)
    path = CORPUS[0]
    assert workers_of_this_process() == []
    parser.parse_path(path)
    assert len(workers_of_this_process()) == 1
    parser.close()
    assert workers_of_this_process() == []
    assert parser.parse_path(path) == noticepipe.parse_path(path)
    del parser
    assert workers_of_this_process() == []


def test_a_forked_child_starts_its_own_workers():
    path = CORPUS[0]
    with noticepipe.Parser(isolated=True) as parser:
        expected = parser.parse_path(path)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its own worker, the parent's left alone
            try:
                ok = parser.parse_path(path) == expected and len(workers_of_this_process()) == 1
            finally:
                os.write(write, b"ok" if ok else b"no")
                os._exit(0)
        os.close(write)
        assert os.read(read, 2) == b"ok"
        os.waitpid(pid, 0)
        assert parser.parse_path(path) == expected
        assert len(workers_of_this_process()) == 1


def test_a_parser_pickles_with_its_settings():
    parser = noticepipe.Parser(isolated=True, timeout=5, max_memory=256 << 20)
    copy = pickle.loads(pickle.dumps(parser))
    settings = (copy.isolated, copy.timeout, copy.max_memory, copy.worker_exe)
    assert settings == (True, 5.0, 256 << 20, parser.worker_exe)
    assert copy.parse_path(CORPUS[0]) == noticepipe.parse_path(CORPUS[0])
    plain = pickle.loads(pickle.dumps(noticepipe.Parser()))
    assert not plain.isolated and repr(plain) == "Parser(isolated=False)"


def test_settings_are_checked():
    with pytest.raises(ValueError, match="only with isolated=True"):
        noticepipe.Parser(timeout=5)
    with pytest.raises(ValueError, match="only with isolated=True"):
        noticepipe.Parser(isolated=False, max_memory=1 << 30)
    for timeout in (0, -1, float("inf"), float("nan"), 86_401):
        with pytest.raises(ValueError, match="not a timeout"):
            noticepipe.Parser(isolated=True, timeout=timeout)
    for max_memory in (0, (128 << 20) - 1, (1 << 40) + 1):
        with pytest.raises(ValueError, match="not a memory limit"):
            noticepipe.Parser(isolated=True, max_memory=max_memory)
    with pytest.raises(TypeError):
        noticepipe.Parser(isolated=True, max_memory=1.5e9)
    default = noticepipe.Parser(isolated=True)
    assert (default.timeout, default.max_memory) == (30.0, 2 << 30)  # the CLI's defaults


def test_a_missing_worker_is_a_clear_error(tmp_path, monkeypatch):
    missing = tmp_path / "noticepipe-worker"
    with pytest.raises(FileNotFoundError, match="no worker executable for isolated=True") as raised:
        noticepipe.Parser(isolated=True, worker_exe=missing)
    assert raised.value.filename == str(missing)
    monkeypatch.setenv(noticepipe.WORKER_ENV, str(missing))
    with pytest.raises(FileNotFoundError, match=r"NOTICEPIPE_WORKER_EXE"):
        noticepipe.Parser(isolated=True)
    missing.write_bytes(b"")
    with pytest.raises(PermissionError, match="not executable"):
        noticepipe.Parser(isolated=True)
    # The shipped worker, named by the variable, works like the default.
    shipped = Path(noticepipe.__file__).with_name("noticepipe-worker")
    assert shipped.is_file() and os.access(shipped, os.X_OK)
    monkeypatch.setenv(noticepipe.WORKER_ENV, str(shipped))
    assert noticepipe.Parser(isolated=True).parse_path(CORPUS[0]) == noticepipe.parse_path(CORPUS[0])
    # A worker that cannot run is the file's `io` error, as in the CLI.
    broken = tmp_path / "broken-worker"
    broken.write_text("#!/nonexistent/interpreter\n")
    broken.chmod(0o755)
    with pytest.raises(noticepipe.NoticeError) as raised:
        noticepipe.Parser(isolated=True, worker_exe=broken).parse_path(CORPUS[0])
    assert raised.value.code == "io" and "cannot start a worker" in raised.value.message


def test_item_rows_through_an_isolated_parser(faults):
    with noticepipe.Parser(isolated=True, timeout=TIMEOUT) as parser:
        [row] = item_rows(fault("abort"), "abort.txt", parser=parser)
        assert (row["status"], row["error_code"]) == ("error", "extract_crash")
        path = CORPUS[0]
        data = path.read_bytes()
        assert item_rows(data, str(path), parser=parser) == item_rows(data, str(path))
