#!/usr/bin/env python3
"""Turn scripts/bench-verify.sh's run records into the table and interpretation of BENCHMARKS.md's verify section.

    bench-verify-report.py WORK_DIR --delay-ms 50 --images 20

WORK_DIR/runs.tsv, one line per timed run (tab-separated): case, run, wall seconds (measured around the
process), exit status, requests in the fake registry's log for that run, the path of ocitool's `-o json` output.
WORK_DIR/depth.tsv, one line per run through scripts/latency-proxy.py: case, run, wall seconds, requests in the
fake registry's log, the path of the saved proxy log (/_proxy/log), the path of ocitool's `-o json` output.
Cases: `single` (one image), `sequential` (one image, --sequential --jobs 1), `batch` (--images images at once),
`keyless` (cosign's keyless classic signature, verified by identity) and `keyed` (its key-based counterpart).

Per case: wall time (median, min, every run), requests (the registry's count and ocitool's stats.httpRequests),
ocitool's stats.elapsedMs, the dependent round trips (latency-proxy.py's depth(): the longest chain of requests
each started after the previous one ended; the smallest over the proxied runs, since requests that merely
happened to follow one another can only lengthen a chain) and the lower bound they give, depth × delay.
Prints Markdown on stdout; the last paragraph is computed from the figures, targets included.
"""

import argparse
import importlib.util
import json
import os
import statistics
import sys

CASES = {
    "single": "1 image",
    "sequential": "1 image, `--sequential --jobs 1`",
    "batch": "{images} images, `--jobs {images}`",
    "keyless": "keyless: 1 Fulcio-signed image, by identity",
    "keyed": "key-based: 1 key-signed image, same shape",
}
TARGET_LOWER_BOUND = 1.3  # single image: median wall time ÷ lower bound
EXPECTED_SEQUENTIAL = 2.5  # sequential ÷ single (informative, not a target)
TARGET_BATCH = 2.0  # N images ÷ 1 image


def load_depth_function():
    """depth() from scripts/latency-proxy.py (a file name with a dash, so loaded by path)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "latency-proxy.py")
    spec = importlib.util.spec_from_file_location("latency_proxy", path)
    module = importlib.util.module_from_spec(spec)
    sys.dont_write_bytecode = True
    spec.loader.exec_module(module)
    return module.depth


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def ocitool_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def span(values, fmt="{}"):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    lo, hi = min(values), max(values)
    return fmt.format(lo) if lo == hi else f"{fmt.format(lo)}–{fmt.format(hi)}"


def collect(work, depth_of):
    cases = {}
    for case, run, seconds, status, requests, out in read_tsv(os.path.join(work, "runs.tsv")):
        stats = ocitool_json(out).get("stats", {})
        cases.setdefault(case, {"runs": [], "depth_runs": []})["runs"].append({
            "run": int(run), "seconds": float(seconds), "status": int(status), "requests": int(requests),
            "http": stats.get("httpRequests"), "elapsed_ms": stats.get("elapsedMs"), "cache_hits": stats.get("cacheHits"),
        })
    for case, run, seconds, requests, log, out in read_tsv(os.path.join(work, "depth.tsv")):
        with open(log) as f:
            d = depth_of(json.load(f))
        cases.setdefault(case, {"runs": [], "depth_runs": []})["depth_runs"].append({
            "run": int(run), "seconds": float(seconds), "requests": int(requests), **d,
        })
    return cases


def summarize(case, data, delay_ms):
    runs, depth_runs = data["runs"], data["depth_runs"]
    s = {"case": case}
    if runs:
        secs = [r["seconds"] for r in runs]
        s["median"], s["min"], s["secs"] = statistics.median(secs), min(secs), secs
        s["requests"] = [r["requests"] for r in runs]
        s["http"] = [r["http"] for r in runs]
        s["cache_hits"] = [r["cache_hits"] for r in runs]
        elapsed = [r["elapsed_ms"] for r in runs if r["elapsed_ms"] is not None]
        s["elapsed_median"] = statistics.median(elapsed) if elapsed else None
    if depth_runs:
        s["depths"] = [r["depth"] for r in depth_runs]
        s["depth"] = min(s["depths"])
        s["lower_bound"] = s["depth"] * delay_ms / 1000.0
        s["proxied"] = [r["seconds"] for r in depth_runs]
        s["peak"] = max(r["max_in_flight"] for r in depth_runs)
        s["proxied_requests"] = [r["requests"] for r in depth_runs]
    return s


def table(summaries, images):
    single = summaries.get("single", {})
    head = ["case", "median s", "min s", "runs s", "requests (registry)", "stats.httpRequests", "stats.cacheHits",
            "stats.elapsedMs (median)", "dependent round trips", "lower bound s", "median ÷ lower bound",
            "median ÷ 1 image", "most requests in flight", "through the proxy s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for case, label in CASES.items():
        s = summaries.get(case)
        if not s or "median" not in s:
            continue
        lower = s.get("lower_bound")
        cells = [
            f"**{label.format(images=images)}**",
            f"{s['median']:.3f}",
            f"{s['min']:.3f}",
            " ".join(f"{x:.2f}" for x in s["secs"]),
            span(s["requests"]),
            span(s["http"]),
            span(s["cache_hits"]),
            "–" if s["elapsed_median"] is None else f"{s['elapsed_median']:.0f}",
            "–" if lower is None else (str(s["depth"]) if len(set(s["depths"])) == 1
                                       else f"{s['depth']} (runs: {' '.join(map(str, s['depths']))})"),
            "–" if lower is None else f"{lower:.3f}",
            "–" if not lower else f"{s['median'] / lower:.2f}×",
            "–" if case == "single" or "median" not in single else f"{s['median'] / single['median']:.2f}×",
            "–" if lower is None else str(s["peak"]),
            "–" if lower is None else " ".join(f"{x:.2f}" for x in s["proxied"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict(met):
    return "met" if met else "NOT met"


def interpretation(summaries, images, delay_ms):
    """One paragraph from the table's own figures, stating whether each target was met."""
    single = summaries.get("single")
    if not single or "median" not in single:
        return "Interpretation: the single-image verify was not measured in this run."
    parts = []
    requests = statistics.median(single["requests"])
    if "lower_bound" in single and single["lower_bound"] > 0:
        ratio = single["median"] / single["lower_bound"]
        text = (f"one image: ocitool's median wall time {single['median']:.3f} s for {requests:.0f} requests is "
                f"{ratio:.2f}× the lower bound of {single['lower_bound']:.3f} s ({single['depth']} dependent round trips "
                f"× {delay_ms:g} ms; target ≤ {TARGET_LOWER_BOUND}×: {verdict(ratio <= TARGET_LOWER_BOUND)})")
        if single.get("elapsed_median"):
            text += (f"; by ocitool's own stats.elapsedMs ({single['elapsed_median']:.0f} ms, which leaves out process "
                     f"start and key loading) {single['elapsed_median'] / 1000 / single['lower_bound']:.2f}×")
        parts.append(text)
    else:
        parts.append(f"one image: median {single['median']:.3f} s for {requests:.0f} requests (no proxied run: no lower bound)")
    seq = summaries.get("sequential")
    if seq and "median" in seq:
        ratio = seq["median"] / single["median"]
        parts.append(f"the sequential baseline (one request at a time) takes {seq['median']:.3f} s for "
                     f"{statistics.median(seq['requests']):.0f} requests, {ratio:.2f}× ocitool's time "
                     f"(expected ≈ {EXPECTED_SEQUENTIAL}×; {seq['median'] / (statistics.median(seq['requests']) * delay_ms / 1000):.2f}× "
                     f"its requests × {delay_ms:g} ms)")
    batch = summaries.get("batch")
    if batch and "median" in batch:
        ratio = batch["median"] / single["median"]
        batch_requests = statistics.median(batch["requests"])
        text = (f"{images} images with --jobs {images}: {batch['median']:.3f} s, {ratio:.2f}× the single image "
                f"(target ≤ {TARGET_BATCH:g}×: {verdict(ratio <= TARGET_BATCH)}) with {batch_requests:.0f} requests "
                f"({batch_requests / requests:.1f}× the single image's)")
        if "lower_bound" in batch:
            text += f", {batch['median'] / batch['lower_bound']:.2f}× its own lower bound of {batch['lower_bound']:.3f} s"
        parts.append(text)
    keyless, keyed = summaries.get("keyless"), summaries.get("keyed")
    if keyless and keyed and "median" in keyless and "median" in keyed:
        parts.append(f"keyless verification (certificate chain at the integrated time, SET, identity) takes "
                     f"{keyless['median']:.3f} s against {keyed['median']:.3f} s for the key-signed image of the same shape "
                     f"({keyless['median'] / keyed['median']:.2f}×), with {statistics.median(keyless['requests']):.0f} and "
                     f"{statistics.median(keyed['requests']):.0f} requests")
    mismatched = [CASES[c].format(images=images) for c, s in summaries.items()
                  if "requests" in s and any(h is not None and h != r for h, r in zip(s["http"], s["requests"]))]
    tail = ""
    if mismatched:
        tail = (f" ocitool's stats.httpRequests differs from the registry's count for: {', '.join(mismatched)} (the "
                "registry's count is the one compared across cases).")
    return "Interpretation (computed from the table): " + "; ".join(parts) + "." + tail


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work")
    parser.add_argument("--delay-ms", type=float, default=50)
    parser.add_argument("--images", type=int, default=20)
    options = parser.parse_args()
    depth_of = load_depth_function()
    cases = collect(options.work, depth_of)
    summaries = {case: summarize(case, data, options.delay_ms) for case, data in cases.items()}
    print(table(summaries, options.images))
    print()
    print(interpretation(summaries, options.images, options.delay_ms))


if __name__ == "__main__":
    main()
