"""Records/s of the Python package in process and isolated (Parser(isolated=True)), for
BENCHMARKS.md.

    taskset -c 0 target/py-venv/bin/python scripts/bench_isolated.py [--files 200] [--runs 5]

Run after scripts/test-python.sh (its venv has the wheel with its worker). For each format
(the corpus's 5 TXT, 5 DOCX and 5 PDF files), the format's files are repeated to FILES and
parsed one after another from one thread with `parse_bytes` (the bytes read beforehand): in
process, and isolated through one worker already started. The median of RUNS runs is
printed, with the time the first file of a new parser takes (the worker's start-up: exec,
the pipeline's set-up, the first answer). `taskset -c 0` puts this process and its workers on
one core, so the isolated figure pays the worker's CPU and the supervisor's in one budget.
Records per CPU second (this process's threads and the worker's, from /proc) are printed too:
they move less than wall time when other work shares the core.
"""

import argparse
import os
import statistics
import time
from pathlib import Path

import noticepipe

REPO = Path(__file__).resolve().parents[1]


TICKS = os.sysconf("SC_CLK_TCK")


def workers_cpu():
    """CPU seconds of this process's worker children (user + system)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == os.getpid() and comm.startswith("noticepipe-work"):
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def rate(parse, files):
    """Records per wall second and per CPU second."""
    started, cpu = time.perf_counter(), time.process_time() + workers_cpu()
    for name, data in files:
        parse(data, name=name)
    wall, cpu = time.perf_counter() - started, time.process_time() + workers_cpu() - cpu
    return len(files) / wall, len(files) / cpu


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--files", type=int, default=200)
    args.add_argument("--runs", type=int, default=5)
    opts = args.parse_args()
    cores = len(os.sched_getaffinity(0))
    load = os.getloadavg()[0]
    print(f"{opts.files} files per format, median of {opts.runs} runs; {cores} core(s); load {load:.2f}")
    print(
        "| format | in process, records/s | isolated, records/s | isolated / in process "
        "| per CPU s: in process | isolated | isolated / in process "
        "| first file of a new isolated parser, ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for suffix in (".txt", ".docx", ".pdf"):
        sample = sorted(p for p in (REPO / "corpus").iterdir() if p.suffix == suffix)
        files = [(f"corpus/{p.name}", p.read_bytes()) for p in sample]
        files = [files[i % len(files)] for i in range(opts.files)]
        inproc, isolated, first = [], [], []
        for _ in range(opts.runs):
            inproc.append(rate(noticepipe.parse_bytes, files))
            with noticepipe.Parser(isolated=True) as parser:
                started = time.perf_counter()
                parser.parse_bytes(*reversed(files[0]))
                first.append((time.perf_counter() - started) * 1000)
                isolated.append(rate(parser.parse_bytes, files))
        a, b = (statistics.median(r[0] for r in rates) for rates in (inproc, isolated))
        ca, cb = (statistics.median(r[1] for r in rates) for rates in (inproc, isolated))
        first_ms = statistics.median(first)
        print(
            f"| {suffix[1:].upper()} | {a:.0f} | {b:.0f} | {b / a:.2f}× "
            f"| {ca:.0f} | {cb:.0f} | {cb / ca:.2f}× | {first_ms:.0f} |"
        )


if __name__ == "__main__":
    main()
