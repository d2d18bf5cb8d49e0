"""Files/s of the engine examples with 1 and 2 workers, for BENCHMARKS.md.

    target/py-venv/bin/python scripts/bench_engines.py [--copies 40]

Run after scripts/test-python.sh (its venv has the wheel, Spark and Ray). The corpus is copied
COPIES times into a temporary folder; each example runs on it with 1 and 2 workers; the
parsing time is what the example prints (from reading the files to the Parquet written, the
engine's start-up left out), the wall time includes starting Spark's JVM or the local Ray.
A plain Python loop over noticepipe.parse_path in 1 and 2 threads is the baseline: the cost of
the pipeline itself, without an engine.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import noticepipe

REPO = Path(__file__).resolve().parents[1]


def engine(script, inputs, out, *args):
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / script), str(inputs), str(out), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    files, seconds = re.search(r"(\d+) files, .* in ([\d.]+) s", done.stdout).groups()
    return int(files), float(seconds), wall


def threads(paths, workers):
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(noticepipe.parse_path, paths))
    return len(paths), time.perf_counter() - started


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--copies", type=int, default=40)
    opts = args.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "in"
        for copy in range(opts.copies):
            shutil.copytree(REPO / "corpus", inputs / f"{copy:04}")
        paths = sorted(p for p in inputs.rglob("*") if p.is_file())
        print(f"{len(paths)} files, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB; load {os.getloadavg()[0]:.2f}")
        print("| engine | workers | files | parse s | files/s | wall s (with start-up) |")
        print("|---|---:|---:|---:|---:|---:|")
        for workers in (1, 2):
            files, seconds = threads(paths, workers)
            print(f"| Python threads (no engine) | {workers} | {files} | {seconds:.2f} | {files / seconds:.0f} | {seconds:.2f} |")
        for workers in (1, 2):
            files, seconds, wall = engine("spark_items.py", inputs, Path(tmp) / "spark", "--master", f"local[{workers}]")
            print(f"| Spark `local[{workers}]` | {workers} | {files} | {seconds:.2f} | {files / seconds:.0f} | {wall:.1f} |")
        for workers in (1, 2):
            files, seconds, wall = engine("ray_items.py", inputs, Path(tmp) / "ray", "--workers", str(workers))
            print(f"| Ray Data, {workers} actor(s) | {workers} | {files} | {seconds:.2f} | {files / seconds:.0f} | {wall:.1f} |")
        print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
