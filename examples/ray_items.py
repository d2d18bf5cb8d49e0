"""Every notice under INPUT as item rows in Parquet, on Ray Data.

    python examples/ray_items.py INPUT OUT [--workers 2] [--isolated [--timeout 30]]

Ray reads the files (`read_binary_files`), a pool of actors each holding the noticepipe
wheel parses them (`map_batches` with a callable class), and the rows
(noticepipe.rows.COLUMNS: one per item, one error row per bad file) are written to OUT as
Parquet. On a cluster the code is the same: run it with RAY_ADDRESS set (or --address auto
on a cluster node), with the wheel installed on every node. With --isolated each actor parses
in worker processes (noticepipe.Parser(isolated=True)): a file that hangs or crashes becomes
an error row instead of killing the actor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from typing import Optional

import pyarrow as pa
import pyarrow.parquet as pq
import ray

ARROW_TYPES = {"string": pa.string(), "int32": pa.int32(), "strings": pa.list_(pa.string())}


def schema() -> pa.Schema:
    from noticepipe.rows import COLUMNS

    return pa.schema([(name, ARROW_TYPES[kind]) for name, kind in COLUMNS])


class ItemsOfFiles:
    """One per actor: the module is imported once per worker process, not per batch."""

    def __init__(self, isolated: bool = False, timeout: Optional[float] = None) -> None:
        from noticepipe import Parser
        from noticepipe.rows import item_rows

        self.item_rows = item_rows
        self.parser = Parser(isolated=True, timeout=timeout) if isolated else None
        self.schema = schema()

    def __call__(self, files: pa.Table) -> pa.Table:
        rows = [
            row
            for path, content in zip(files["path"].to_pylist(), files["bytes"].to_pylist())
            for row in self.item_rows(content, path, parser=self.parser)
        ]
        return pa.Table.from_pylist(rows, schema=self.schema)


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("input", help="a folder of notices (read recursively)")
    args.add_argument("out", help="the Parquet folder to write (replaced)")
    args.add_argument("--workers", type=int, default=2, help="parsing actors (default 2)")
    args.add_argument(
        "--address", help="a running Ray cluster ('auto'); by default RAY_ADDRESS, else a local one"
    )
    args.add_argument("--isolated", action="store_true", help="parse in worker processes")
    args.add_argument("--timeout", type=float, help="seconds per file with --isolated (default 30)")
    opts = args.parse_args()

    address = opts.address or os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address)
    else:  # a local Ray with one CPU per worker
        ray.init(num_cpus=opts.workers, include_dashboard=False)
    ray.data.DataContext.get_current().enable_progress_bars = False

    shutil.rmtree(opts.out, ignore_errors=True)
    started = time.perf_counter()
    # Reading and writing are I/O: their tasks take no CPU, else the parsing actors, one CPU
    # each, hold every CPU while waiting for files no task can read (a local Ray hangs so)
    # or for rows no task can write. As many at a time as there are actors: unbounded
    # zero-CPU tasks would each start a Python process.
    files = ray.data.read_binary_files(opts.input, include_paths=True, num_cpus=0, concurrency=opts.workers)
    items = files.map_batches(
        ItemsOfFiles,
        fn_constructor_kwargs={"isolated": opts.isolated, "timeout": opts.timeout},
        batch_size=16,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=opts.workers),
        num_cpus=1,
        # Ray Data restarts a dead actor and retries its batch without end by default: a file
        # that kills the worker process (not one that raises NoticeError) would loop forever.
        max_restarts=3,
        max_task_retries=3,
    )
    items.write_parquet(opts.out, ray_remote_args={"num_cpus": 0}, concurrency=opts.workers)
    seconds = time.perf_counter() - started

    written = pq.read_table(opts.out)
    count = len(set(written["path"].to_pylist()))
    errors = written["status"].to_pylist().count("error")
    print(
        f"{count} files, {written.num_rows} rows ({errors} error rows) in {seconds:.1f} s: "
        f"{count / seconds:.1f} files/s"
    )
    ray.shutdown()


if __name__ == "__main__":
    main()
