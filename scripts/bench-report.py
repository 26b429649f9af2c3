#!/usr/bin/env python3
"""Turn scripts/bench.sh's run records and the registries' access logs into the BENCHMARKS.md table.

    bench-report.py RUNS.tsv

RUNS.tsv has one line per timed run: tool, run, seconds, then for each of the two registries (source A,
destination B) the access-log path and the line range (from, to] the run produced. docker-registry's
access logger writes one Apache "combined" line per HTTP request:
    127.0.0.1 - - [21/Nov/2026:18:54:26 +0000] "GET /v2/ HTTP/1.1" 200 2 "" "curl/7.88.1"
so every tool is counted the same way, by the servers, whatever the tool says about itself.
Prints the Markdown table on stdout.
"""

import re
import statistics
import sys
from collections import Counter

LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<uri>\S+) HTTP/[^"]*" (?P<status>\d{3}) (?P<bytes>\d+|-)')
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH"]


def read_slice(path: str, start: int, end: int) -> list[str]:
    with open(path, errors="replace") as f:
        return f.read().splitlines()[start:end]


def count(lines: list[str]) -> Counter:
    """Requests by method, plus 'total', 'errors' (4xx/5xx) and 'bytes' (response bytes sent)."""
    c = Counter()
    for line in lines:
        m = LINE.search(line)
        if not m:
            continue
        c["total"] += 1
        c[m["method"] if m["method"] in METHODS else "other"] += 1
        if m["status"][0] in "45":
            c["errors"] += 1
        if m["bytes"] != "-":
            c["bytes"] += int(m["bytes"])
    return c


def span(values: list[int]) -> str:
    lo, hi = min(values), max(values)
    return str(lo) if lo == hi else f"{lo}–{hi}"


def main() -> None:
    runs: dict[str, list[dict]] = {}
    with open(sys.argv[1]) as f:
        for row in f:
            tool, run, seconds, a_log, a_from, a_to, b_log, b_from, b_to = row.split()
            a = count(read_slice(a_log, int(a_from), int(a_to)))
            b = count(read_slice(b_log, int(b_from), int(b_to)))
            runs.setdefault(tool, []).append({"seconds": float(seconds), "a": a, "b": b, "all": a + b})

    print("| tool | median s | min s | runs s | requests | on source | on destination | "
          + " | ".join(METHODS) + " | other | 4xx/5xx | MB read from source |")
    print("|" + "---|" * (10 + len(METHODS)))
    for tool, rs in runs.items():
        secs = [r["seconds"] for r in rs]
        cells = [
            f"**{tool}**",
            f"{statistics.median(secs):.3f}",
            f"{min(secs):.3f}",
            " ".join(f"{s:.2f}" for s in secs),
            span([r["all"]["total"] for r in rs]),
            span([r["a"]["total"] for r in rs]),
            span([r["b"]["total"] for r in rs]),
            *[span([r["all"][m] for r in rs]) for m in METHODS],
            span([r["all"]["other"] for r in rs]),
            span([r["all"]["errors"] for r in rs]),
            f"{statistics.median(r['a']['bytes'] for r in rs) / 1e6:.1f}",
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
