"""The engine examples end to end: examples/spark_items.py (Spark in local[2] mode) and
examples/ray_items.py (a local Ray with two actors) over the corpus and the bad files, their
Parquet read back row by row; and both with --isolated over files that hang and crash their
worker (fault injection, as in test_isolated.py)."""

import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import BAD, BAD_CODES, CORPUS, REPO, golden


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The corpus and the bad files in one folder (the bad ones in a subfolder)."""
    folder = tmp_path_factory.mktemp("inputs")
    for path in CORPUS:
        shutil.copy(path, folder)
    (folder / "bad").mkdir()
    for name in BAD_CODES:
        shutil.copy(BAD / name, folder / "bad")
    return folder


def run_example(script, *args, env=None):
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / script), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=900,
        env=None if env is None else {**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr[-5000:]
    return done.stdout


def check_rows(out: Path, inputs: Path, engine_skips_empty_files=False):
    """Every input file is in the table: a corpus file as its items in order, a bad file as
    one error row with its code. (Spark's file listing leaves out zero-byte files.)"""
    rows_by_file = defaultdict(list)
    for row in pq.read_table(out).to_pylist():
        # Spark names files by URI (file:/tmp/...), Ray by path.
        rows_by_file[row["path"].removeprefix("file:")].append(row)
    expected_files = {
        str(p)
        for p in inputs.rglob("*")
        if p.is_file() and not (engine_skips_empty_files and p.stat().st_size == 0)
    }
    assert set(rows_by_file) == expected_files
    for path in CORPUS:
        rows = sorted(rows_by_file[str(inputs / path.name)], key=lambda r: r["item_number"])
        items = golden(path)["items"]
        assert [r["item_title"] for r in rows] == [i["title"] for i in items], path.name
        assert [r["item_id"] for r in rows] == [i["id"] for i in items]
        assert [r["responsible_units"] for r in rows] == [i["responsible_units"] for i in items]
        assert {(r["status"], r["doc_number"]) for r in rows} == {
            ("ok", golden(path)["doc_number"]["text"])
        }
    for name, code in BAD_CODES.items():
        if str(inputs / "bad" / name) not in expected_files:
            continue
        [row] = rows_by_file[str(inputs / "bad" / name)]
        assert (row["status"], row["error_code"], row["item_number"]) == ("error", code, None)
        assert row["error_message"]


def test_spark_example_writes_items_and_error_rows(inputs, tmp_path):
    out = tmp_path / "items.parquet"
    stdout = run_example("spark_items.py", inputs, out, "--master", "local[2]")
    empty = sum(1 for p in inputs.rglob("*") if p.is_file() and p.stat().st_size == 0)
    assert empty == 3
    assert f"{len(CORPUS) + len(BAD_CODES) - empty} files" in stdout
    check_rows(out, inputs, engine_skips_empty_files=True)


def test_ray_example_writes_items_and_error_rows(inputs, tmp_path):
    out = tmp_path / "items.parquet"
    stdout = run_example("ray_items.py", inputs, out, "--workers", "2")
    assert f"{len(CORPUS) + len(BAD_CODES)} files" in stdout
    check_rows(out, inputs)


# Files that make their worker hang past the timeout or abort (NOTICEPIPE_FAULT_INJECTION=1):
# parsed in process they would hang the engine's task or kill its Python worker.
FAULTS = {"hang.txt": "timeout", "abort.txt": "extract_crash"}


@pytest.fixture(scope="module")
def faulty_inputs(tmp_path_factory):
    """The corpus and the fault files in one folder."""
    folder = tmp_path_factory.mktemp("faulty")
    for path in CORPUS:
        shutil.copy(path, folder)
    for name in FAULTS:
        (folder / name).write_text(f"NOTICEPIPE-FAULT:{name.removesuffix('.txt')}")
    return folder


@pytest.mark.parametrize(
    "script, args",
    [("spark_items.py", ["--master", "local[2]"]), ("ray_items.py", ["--workers", "2"])],
    ids=["spark", "ray"],
)
def test_isolated_examples_turn_hanging_and_crashing_files_into_error_rows(
    script, args, faulty_inputs, tmp_path
):
    out = tmp_path / "items.parquet"
    faults_on = {"NOTICEPIPE_FAULT_INJECTION": "1"}
    stdout = run_example(script, faulty_inputs, out, *args, "--isolated", "--timeout", "3", env=faults_on)
    assert f"{len(CORPUS) + len(FAULTS)} files" in stdout
    rows_by_file = defaultdict(list)
    for row in pq.read_table(out).to_pylist():
        rows_by_file[Path(row["path"].removeprefix("file:")).name].append(row)
    for path in CORPUS:
        rows = sorted(rows_by_file[path.name], key=lambda r: r["item_number"])
        assert [r["item_id"] for r in rows] == [i["id"] for i in golden(path)["items"]], path.name
    for name, code in FAULTS.items():
        [row] = rows_by_file[name]
        assert (row["status"], row["error_code"]) == ("error", code), row
