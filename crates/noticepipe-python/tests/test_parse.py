"""The installed wheel: records equal to the golden ones, typed errors for bad files."""

import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import noticepipe
from noticepipe.rows import COLUMNS, item_rows

from conftest import BAD, BAD_CODES, CORPUS, REPO, golden


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_each_corpus_file_gives_its_golden_record(path):
    record = noticepipe.parse_bytes(path.read_bytes(), name=f"corpus/{path.name}")
    assert record == golden(path)
    assert record["schema_version"] == noticepipe.SCHEMA_VERSION


def test_parse_path_takes_str_and_pathlike(monkeypatch):
    monkeypatch.chdir(REPO)
    for path in CORPUS:
        assert noticepipe.parse_path(Path("corpus") / path.name) == golden(path)
    assert noticepipe.parse_path("corpus/2025-zibo.docx") == golden(REPO / "corpus/2025-zibo.docx")


@pytest.mark.parametrize("name", sorted(BAD_CODES))
def test_each_bad_file_raises_its_code(name):
    path = BAD / name
    with pytest.raises(noticepipe.NoticeError) as from_path:
        noticepipe.parse_path(path)
    assert from_path.value.code == BAD_CODES[name], from_path.value
    assert from_path.value.path == str(path)
    assert str(from_path.value).startswith(f"error[{BAD_CODES[name]}]: {path}: ")
    with pytest.raises(noticepipe.NoticeError) as from_bytes:
        noticepipe.parse_bytes(path.read_bytes(), name=name)
    assert (from_bytes.value.code, from_bytes.value.path) == (BAD_CODES[name], name)


def test_notice_error_is_an_exception_that_pickles():
    try:
        noticepipe.parse_bytes(b"")
    except Exception as e:  # what a caller catches: not a PanicException, not BaseException
        error = e
    assert isinstance(error, noticepipe.NoticeError)
    assert (error.code, error.path) == ("empty", "<bytes>")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.path, copy.message, str(copy)) == (
        error.code,
        error.path,
        error.message,
        str(error),
    )


def test_wrong_extensions_are_warnings():
    text = noticepipe.parse_path(BAD / "text-named.docx")
    assert text["source"]["format"] == "txt"
    assert [w["code"] for w in text["warnings"]] == ["missing_date", "no_items", "extension_mismatch"]
    docx = (BAD / "2025-zibo-docx-named.pdf").read_bytes()
    named = noticepipe.parse_bytes(docx, name="notice.pdf")
    assert [w["code"] for w in named["warnings"]] == ["extension_mismatch"]
    # Without a name the bytes claim no format, so nothing mismatches.
    unnamed = noticepipe.parse_bytes(bytearray(docx))
    assert unnamed["source"]["path"] == "<bytes>"
    assert unnamed["warnings"] == []
    assert unnamed["items"] == golden(REPO / "corpus/2025-zibo.docx")["items"]


def test_files_that_cannot_be_read_are_io_or_too_large(tmp_path):
    with pytest.raises(noticepipe.NoticeError) as missing:
        noticepipe.parse_path(tmp_path / "missing.txt")
    assert missing.value.code == "io"
    with pytest.raises(noticepipe.NoticeError) as folder:
        noticepipe.parse_path(tmp_path)
    assert folder.value.code == "io" and "not a regular file" in folder.value.message
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:  # sparse: past the 256 MiB file limit on paper, nothing on disk
        f.truncate((256 << 20) + 1)
    with pytest.raises(noticepipe.NoticeError) as large:
        noticepipe.parse_path(huge)
    assert large.value.code == "too_large" and "limit" in large.value.message


def test_arguments_of_the_wrong_type_are_type_errors():
    with pytest.raises(TypeError):
        noticepipe.parse_bytes("not bytes")
    with pytest.raises(TypeError):
        noticepipe.parse_path(42)


def test_threads_parse_side_by_side():
    jobs = [p for p in CORPUS for _ in range(3)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        records = list(
            pool.map(lambda p: noticepipe.parse_bytes(p.read_bytes(), name=f"corpus/{p.name}"), jobs)
        )
    assert records == [golden(p) for p in jobs]


def test_item_rows_one_per_item_and_one_error_row_per_bad_file():
    for path in CORPUS:
        rows = item_rows(path.read_bytes(), str(path))
        items = golden(path)["items"]
        assert [r["item_title"] for r in rows] == [i["title"] for i in items]
        assert [r["item_id"] for r in rows] == [i["id"] for i in items]
        assert {r["record_id"] for r in rows} == {golden(path)["id"]}
        assert [r["responsible_units"] for r in rows] == [i["responsible_units"] for i in items]
        assert {r["status"] for r in rows} == {"ok"}
        assert all(list(r) == [name for name, _ in COLUMNS] for r in rows)
    [row] = item_rows((BAD / "random-bytes.pdf").read_bytes(), "x.pdf")
    assert (row["status"], row["error_code"], row["item_number"]) == ("error", "not_text", None)
    [row] = item_rows((BAD / "text-named.docx").read_bytes(), "t.docx")
    assert (row["status"], row["format"], row["item_number"]) == ("ok", "txt", None)
