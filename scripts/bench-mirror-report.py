#!/usr/bin/env python3
"""Turn scripts/bench-mirror.sh's run records and the registries' access logs into its BENCHMARKS.md tables,
the targets and a computed interpretation.

    bench-mirror-report.py RUNS.tsv --images N --delay-ms MS (--rss-kb KB --rss-bytes B --rss-seconds S | --rss-skipped WHY)

RUNS.tsv (tab-separated), one line per timed run: case (plain, latency, noop), tool, run, seconds; then for the
source registry A and the destination B: its directory (scripts/registry.sh) and the line counts of its
access.log and registry.log before and after the run; then the sha256-*.sig and sha256-*.att tags found at B
afterwards. Requests are counted from the registries' own logs, the same way for every tool:
  - access.log, one Apache "combined" line per HTTP request (method, URI, status, response bytes);
  - registry.log's "response completed" entries name the client address: distinct ones are TCP connections.
"""

import argparse
import re
import statistics
from collections import Counter

LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<uri>\S+) HTTP/[^"]*" (?P<status>\d{3}) (?P<bytes>\d+|-)')
REMOTE = re.compile(r'http\.request\.remoteaddr="?([^" ]+)')
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH"]
TARGETS = {"plain": 0.5, "latency": 1 / 3, "noop": 0.1, "rss_mib": 64}


def read_slice(path, start, end):
    with open(path, errors="replace") as f:
        return f.read().splitlines()[start:end]


def count(directory, sizes):
    access0, app0, access1, app1 = map(int, sizes)
    c = Counter()
    c["connections"] = len({m[1] for line in read_slice(f"{directory}/registry.log", app0, app1)
                            if (m := REMOTE.search(line))})
    for line in read_slice(f"{directory}/access.log", access0, access1):
        m = LINE.search(line)
        if not m:
            continue
        method, uri, size = m["method"], m["uri"], 0 if m["bytes"] == "-" else int(m["bytes"])
        c["total"] += 1
        c[method if method in METHODS else "other"] += 1
        c["bytes"] += size
        if m["status"][0] in "45":
            c["errors"] += 1
        if method == "GET" and "/blobs/sha256:" in uri:
            c["blob_gets"] += 1
            c["blob_bytes"] += size
        if method == "PUT" and "/manifests/" in uri:
            c["manifest_puts"] += 1
        if "/blobs/uploads" in uri:
            c["blob_uploads"] += 1  # POST (start or mount), PATCH (data), PUT (commit)
    return c


def span(values):
    lo, hi = min(values), max(values)
    return str(lo) if lo == hi else f"{lo}–{hi}"


def med(rs, key):
    return statistics.median(key(r) for r in rs)


def load(path):
    runs = {}
    with open(path) as f:
        for row in f:
            fields = row.rstrip("\n").split("\t")
            case, tool, _, seconds = fields[:4]
            a, b = count(fields[4], fields[5:9]), count(fields[9], fields[10:14])
            runs.setdefault((case, tool), []).append({"seconds": float(seconds), "a": a, "b": b, "all": a + b,
                                                       "sig": int(fields[14]), "att": int(fields[15])})
    return runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs")
    ap.add_argument("--images", type=int, required=True)
    ap.add_argument("--delay-ms", type=float, required=True)
    ap.add_argument("--rss-kb", type=int)
    ap.add_argument("--rss-bytes", type=int)
    ap.add_argument("--rss-seconds", type=float)
    ap.add_argument("--rss-skipped")
    args = ap.parse_args()
    runs = load(args.runs)

    print("| case | tool | median s | min s | runs s | requests | on A | on B | " + " | ".join(METHODS)
          + " | 4xx/5xx | connections | MB read from A | .sig at B | .att at B |")
    print("|" + "---|" * (13 + len(METHODS)))
    for (case, tool), rs in runs.items():
        if case == "noop":
            continue
        secs = [r["seconds"] for r in rs]
        cells = [case if case == "plain" else f"+{args.delay_ms:g} ms/request", f"**{tool}**",
                 f"{statistics.median(secs):.3f}", f"{min(secs):.3f}", " ".join(f"{s:.2f}" for s in secs),
                 span([r["all"]["total"] for r in rs]), span([r["a"]["total"] for r in rs]),
                 span([r["b"]["total"] for r in rs]), *[span([r["all"][m] for r in rs]) for m in METHODS],
                 span([r["all"]["errors"] for r in rs]), span([r["all"]["connections"] for r in rs]),
                 f"{med(rs, lambda r: r['a']['bytes']) / 1e6:.1f}",
                 span([r["sig"] for r in rs]), span([r["att"] for r in rs])]
        print("| " + " | ".join(cells) + " |")
    print()

    noop = runs.get(("noop", "ocitool"), [])
    if noop:
        print("No-op rerun of the ocitool mirror into the B it had just filled (one per plain run):")
        print()
        print("| median s | runs s | requests | on A | on B | blob GETs at A | blob bytes from A "
              "| blob upload requests at B (POST/PATCH/PUT …/blobs/uploads/) | manifest PUTs at B |")
        print("|---|---|---|---|---|---|---|---|---|")
        print("| " + " | ".join([
            f"{med(noop, lambda r: r['seconds']):.3f}", " ".join(f"{r['seconds']:.2f}" for r in noop),
            span([r["all"]["total"] for r in noop]), span([r["a"]["total"] for r in noop]),
            span([r["b"]["total"] for r in noop]), span([r["a"]["blob_gets"] for r in noop]),
            span([r["a"]["blob_bytes"] for r in noop]), span([r["b"]["blob_uploads"] for r in noop]),
            span([r["b"]["manifest_puts"] for r in noop])]) + " |")
        print()

    print(interpretation(runs, args))


def verdict(ok):
    return "**met**" if ok else "**not met**"


def interpretation(runs, args):
    lines = ["Targets (computed from the tables above):", ""]
    summary = []
    for case, label, target_text, limit in [
            ("plain", "(a) time, ocitool / skopeo, plain loopback", "≤ 0.5×", TARGETS["plain"]),
            ("latency", f"(c) time, ocitool / skopeo, +{args.delay_ms:g} ms per request", "≥ 3× faster, i.e. ≤ 0.33×",
             TARGETS["latency"])]:
        mine, theirs = runs.get((case, "ocitool")), runs.get((case, "skopeo"))
        if not mine or not theirs:
            lines.append(f"- {label}: not measured.")
            continue
        t_mine, t_theirs = med(mine, lambda r: r["seconds"]), med(theirs, lambda r: r["seconds"])
        ratio = t_mine / t_theirs
        req_mine, req_theirs = med(mine, lambda r: r["all"]["total"]), med(theirs, lambda r: r["all"]["total"])
        lines.append(f"- {label}: {ratio:.2f}× ({t_mine:.2f} s vs {t_theirs:.2f} s, {t_theirs / t_mine:.1f}× faster; "
                     f"{req_mine:.0f} requests vs {req_theirs:.0f}); target {target_text}: {verdict(ratio <= limit)}.")
        summary.append(ratio <= limit)
    for tool in ("ocitool", "skopeo"):
        rs = runs.get(("plain", tool), []) + runs.get(("latency", tool), [])
        if rs:
            sigs, atts = sorted({r["sig"] for r in rs}), sorted({r["att"] for r in rs})
            lines.append(f"- (b) carried by {tool}: {'/'.join(map(str, sigs))} of {args.images} `.sig` and "
                         f"{'/'.join(map(str, atts))} of {args.images} `.att` tags at B in every run"
                         + ("" if len(sigs) == 1 and len(atts) == 1 else " (runs differed)") + ".")
    noop, first = runs.get(("noop", "ocitool")), runs.get(("plain", "ocitool"))
    if noop and first:
        ratio = med(noop, lambda r: r["seconds"]) / med(first, lambda r: r["seconds"])
        moved = max(r["a"]["blob_bytes"] for r in noop)
        gets = max(r["a"]["blob_gets"] for r in noop)
        uploads = max(r["b"]["blob_uploads"] for r in noop)
        ok_time, ok_bytes = ratio <= TARGETS["noop"], gets == 0 and uploads == 0
        lines.append(f"- (d) no-op rerun: {ratio:.3f}× the first run's time (target ≤ 0.1×: {verdict(ok_time)}); "
                     f"{gets} blob GETs at A ({moved} bytes) and {uploads} blob upload requests at B in the worst "
                     f"rerun (target 0 bytes moved: {verdict(ok_bytes)}).")
        summary += [ok_time, ok_bytes]
    if args.rss_kb is not None:
        mib = args.rss_kb / 1024
        ok = mib <= TARGETS["rss_mib"]
        rate = args.rss_bytes / 1e6 / args.rss_seconds if args.rss_seconds else 0
        lines.append(f"- (e) peak RSS of `ocitool mirror` copying one image with a single {args.rss_bytes / 2**30:.2f} GiB "
                     f"of blobs: {mib:.1f} MiB (Maximum resident set size, `/usr/bin/time -v`; {args.rss_seconds:.1f} s, "
                     f"{rate:.0f} MB/s); target ≤ 64 MiB: {verdict(ok)}.")
        summary.append(ok)
    else:
        lines.append(f"- (e) peak RSS: not measured ({args.rss_skipped}).")
    lines.append("")
    met = sum(summary)
    lines.append(f"{met} of {len(summary)} measured targets met. Times are wall-clock seconds for the whole job (all "
                 f"{args.images} skopeo processes together); requests are the lines the two registries' access logs gained "
                 "during the run, connections the distinct client addresses in their own logs. Every run was checked "
                 "afterwards: B served each source index digest under mirror/bench/img-N:1.0. A 2-core machine shared "
                 "with other work makes times vary between runs; request counts do not.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
