#!/usr/bin/env python3
"""CPU time of two noticepipe binaries on the same files, for before/after checks on a busy
machine (wall time moves with other load; CPU time much less).

    scripts/bench-ab.py BEFORE_BIN AFTER_BIN DIR [FORMAT ...]

For each format (default: txt docx pdf), converts the first 600 DIR/*.FORMAT files with one
job pinned to core 1, in-process and with workers, JSONL to /dev/null; 5 alternating runs;
prints the best user+sys seconds (the run and its workers, from getrusage) and the ratio.
Make DIR with ../shared/bench/peers.py make-corpus (see BENCHMARKS.md).
"""
import glob
import resource
import subprocess
import sys


def cpu_seconds(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    bins = {"before": sys.argv[1], "after": sys.argv[2]}
    folder, formats = sys.argv[3], sys.argv[4:] or ["txt", "docx", "pdf"]
    for fmt in formats:
        files = sorted(glob.glob(f"{folder}/*.{fmt}"))[:600]
        for mode in ["--in-process", None]:
            best = {}
            for _ in range(5):
                for name, exe in bins.items():
                    cmd = ["taskset", "-c", "1", exe, "convert", *files,
                           "--jsonl", "/dev/null", "--jobs", "1"] + ([mode] if mode else [])
                    best[name] = min(best.get(name, float("inf")), cpu_seconds(cmd))
            print(f"{fmt} {mode or 'workers'}: before {best['before']:.3f} s, "
                  f"after {best['after']:.3f} s, ratio {best['after'] / best['before']:.3f}",
                  flush=True)


if __name__ == "__main__":
    main()
