"""Every notice under INPUT as item rows in Parquet, on Apache Spark.

    python examples/spark_items.py INPUT OUT [--master local[2]] [--isolated [--timeout 30]]

Spark reads the files (`binaryFile`), each executor's Python parses its share with the
noticepipe wheel (`mapInPandas`), and the rows (noticepipe.rows.COLUMNS: one per item, one
error row per bad file) are written to OUT as Parquet. On a cluster the code is the same:
leave out --master under spark-submit and install the wheel into every executor's Python.
With --isolated each file is parsed in a worker process (noticepipe.Parser(isolated=True)):
a file that hangs or crashes becomes an error row instead of failing its task.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from typing import Iterator, Optional

import pandas as pd
from pyspark.sql import SparkSession

from noticepipe import Parser
from noticepipe.rows import COLUMNS, item_rows

SPARK_TYPES = {"string": "string", "int32": "int", "strings": "array<string>"}
SCHEMA = ", ".join(f"{name} {SPARK_TYPES[kind]}" for name, kind in COLUMNS)


def items_of_files(
    batches: Iterator[pd.DataFrame], parser: Optional[Parser] = None
) -> Iterator[pd.DataFrame]:
    """Runs in the executors' Python workers, one Arrow batch of files at a time (the parser,
    if any, pickled with the function: its workers start in the executor)."""
    for files in batches:
        rows = [
            row
            for path, content in zip(files["path"], files["content"])
            for row in item_rows(content, path, parser=parser)
        ]
        yield pd.DataFrame(rows, columns=[name for name, _ in COLUMNS])


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("input", help="a folder of notices (read recursively)")
    args.add_argument("out", help="the Parquet folder to write (replaced)")
    args.add_argument("--master", help="e.g. local[2]; by default spark-submit's")
    args.add_argument("--isolated", action="store_true", help="parse in worker processes")
    args.add_argument("--timeout", type=float, help="seconds per file with --isolated (default 30)")
    opts = args.parse_args()
    parser = Parser(isolated=True, timeout=opts.timeout) if opts.isolated else None

    builder = SparkSession.builder.appName("noticepipe-items")
    if opts.master:
        builder = builder.master(opts.master)
    if (opts.master or "").startswith("local"):
        # Local workers run this Python (the one with the wheel), not the first python3 on PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # Whole files travel in each Arrow batch: keep batches small (the default is 10,000
    # rows, which for 10 MB PDFs would be 100 GB).
    builder = builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", "16")
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")

    started = time.perf_counter()
    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(opts.input)
        .select("path", "content")
    )
    items = files.mapInPandas(functools.partial(items_of_files, parser=parser), schema=SCHEMA)
    items.write.mode("overwrite").parquet(opts.out)
    seconds = time.perf_counter() - started

    written = spark.read.parquet(opts.out)
    count = written.select("path").distinct().count()
    errors = written.filter("status = 'error'").count()
    print(
        f"{count} files, {written.count()} rows ({errors} error rows) in {seconds:.1f} s: "
        f"{count / seconds:.1f} files/s"
    )
    spark.stop()


if __name__ == "__main__":
    main()
