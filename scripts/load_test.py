#!/usr/bin/env python3
"""A bounded load test of `noticepipe serve` on loopback.

Starts the server (a free port on 127.0.0.1, fault injection on), then CLIENTS concurrent
clients send REQUESTS requests in all: the corpus notices (raw bodies and multipart,
parse and export) mixed with bad files (`fixtures/bad/`) and workers made to crash. It
checks that every answer is the documented one (a corpus notice 200, a bad file its 4xx,
no 5xx but 503/504), that no worker outlives its slot, and that the server's memory stays
bounded; it prints the figures BENCHMARKS.md keeps. Exit status 1 when a check fails.

    python3 scripts/load_test.py --binary target/release/noticepipe [--clients 50 --requests 2000]

Needs aiohttp (scripts/test.sh installs it in its venv). Traffic goes to 127.0.0.1 only;
the run stops after REQUESTS requests or --max-seconds, whichever comes first.
"""

import argparse
import asyncio
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parent.parent

# Bad files and the status each must get.
BAD = {
    "fixtures/bad/random-bytes.pdf": 415,
    "fixtures/bad/workbook.xls": 415,
    "fixtures/bad/zero-bytes.txt": 422,
    "fixtures/bad/user-password.pdf": 422,
    "fixtures/bad/image-only.pdf": 422,
    "fixtures/bad/docx-cut-in-half.docx": 422,
    "fixtures/bad/zip-bomb.docx": 413,
    "fixtures/bad/doc-truncated.doc": 422,
}
CRASH = b"NOTICEPIPE-FAULT:abort"  # a worker that aborts: 422 extract_crash, replaced


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
    except (OSError, AttributeError):
        return 0


def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2 :].split()
            if fields[0] not in "ZX" and int(fields[1]) == pid:
                found.append(int(entry))
    return found


def memory(pid):
    workers = children(pid)
    return rss_kib(pid), sum(rss_kib(w) for w in workers), len(workers)


def workload():
    """(label, bytes, expected status) for each kind of request."""
    cases = []
    for path in sorted((REPO / "corpus").iterdir()):
        cases.append((path.name, path.read_bytes(), 200))
    for rel, status in BAD.items():
        cases.append((Path(rel).name, (REPO / rel).read_bytes(), status))
    cases.append(("crash", CRASH, 422))
    return cases


async def one(session, url, case, rng):
    name, body, expected = case
    export = rng.random() < 0.1
    path = "/v1/export?table=items.xlsx" if export else "/v1/parse"
    if rng.random() < 0.5:
        data = aiohttp.FormData()
        data.add_field("file", body, filename=name, content_type="application/octet-stream")
        kwargs = {"data": data}
    else:
        kwargs = {"data": body, "headers": {"X-Filename": name}}
    started = time.perf_counter()
    async with session.post(url + path, **kwargs) as response:
        await response.read()
        return name, expected, response.status, time.perf_counter() - started


async def run(url, clients, requests, max_seconds, seed):
    rng = random.Random(seed)
    cases = workload()
    plan = [rng.choice(cases) for _ in range(requests)]
    results = []
    deadline = time.monotonic() + max_seconds
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def client(i):
            local = random.Random(seed + i)
            while plan and time.monotonic() < deadline:
                results.append(await one(session, url, plan.pop(), local))

        started = time.perf_counter()
        await asyncio.gather(*(client(i) for i in range(clients)))
        return results, time.perf_counter() - started


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=str(REPO / "target/release/noticepipe"))
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--max-concurrent", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--max-waiting", type=int, default=64)
    ap.add_argument("--max-seconds", type=float, default=600)
    ap.add_argument("--max-server-rss-mib", type=float, default=512)
    ap.add_argument("--seed", type=int, default=20261124)
    args = ap.parse_args()

    server = subprocess.Popen(
        [args.binary, "serve", "--listen", "127.0.0.1:0",
         "--max-concurrent", str(args.max_concurrent), "--max-waiting", str(args.max_waiting)],
        stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NOTICEPIPE_FAULT_INJECTION": "1"},
    )
    try:
        line = server.stderr.readline()
        url = re.search(r"http://[0-9.:]+", line).group(0)
        before = memory(server.pid)
        peak = [0, 0, 0]  # server RSS, server + workers RSS, workers, sampled every 0.2 s
        running = True

        def sample():
            while running:
                server_kib, workers_kib, workers = memory(server.pid)
                peak[0] = max(peak[0], server_kib)
                peak[1] = max(peak[1], server_kib + workers_kib)
                peak[2] = max(peak[2], workers)
                time.sleep(0.2)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            results, elapsed = asyncio.run(
                run(url, args.clients, args.requests, args.max_seconds, args.seed))
        finally:
            running = False
            sampler.join()
        time.sleep(0.5)  # let replaced workers be reaped
        after = memory(server.pid)
        server.send_signal(signal.SIGTERM)
        exit_status = server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()

    failures = []
    statuses = {}
    for name, expected, status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
        if status not in (expected, 503, 504):
            failures.append(f"{name}: {status}, expected {expected}")
    if len(results) < args.requests:
        failures.append(f"only {len(results)} of {args.requests} requests within {args.max_seconds} s")
    if after[2] > args.max_concurrent:
        failures.append(f"{after[2]} workers after the run for {args.max_concurrent} slots")
    if peak[2] > args.max_concurrent:
        failures.append(f"{peak[2]} workers at once for {args.max_concurrent} slots")
    if peak[0] > args.max_server_rss_mib * 1024:
        failures.append(f"server RSS {peak[0] / 1024:.0f} MiB over {args.max_server_rss_mib} MiB")
    if exit_status != 0:
        failures.append(f"the server exited {exit_status} on SIGTERM")

    latencies = [r[3] * 1000 for r in results if r[2] not in (503, 504)]
    mib = lambda kib: f"{kib / 1024:.0f} MiB"
    print(f"clients {args.clients}, requests {len(results)}, slots {args.max_concurrent}, "
          f"{elapsed:.1f} s, {len(results) / elapsed:.1f} req/s")
    print("statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    if latencies:
        print(f"latency ms: p50 {percentile(latencies, 50):.0f}, p90 {percentile(latencies, 90):.0f}, "
              f"p99 {percentile(latencies, 99):.0f}, max {max(latencies):.0f}, "
              f"mean {statistics.mean(latencies):.0f}")
    print(f"before: server {mib(before[0])}, workers {before[2]} ({mib(before[1])}); "
          f"after: server {mib(after[0])}, workers {after[2]} ({mib(after[1])}); "
          f"SIGTERM exit {exit_status}")
    print(f"peak during the run: server {mib(peak[0])}, server + workers {mib(peak[1])}, "
          f"workers {peak[2]}")
    for f in failures[:20]:
        print("FAIL:", f)
    print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
