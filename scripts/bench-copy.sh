#!/usr/bin/env bash
# Benchmark: copy one multi-platform image from registry A to registry B with
#   ocitool copy   (the binary under test; skipped with a note when it has not been built)
#   skopeo copy --all --preserve-digests   (the reference mirroring tool)
#   naive          (scripts/naive-copy.py: sequential, one request at a time, no connection reuse)
# and write the "Copying" section of BENCHMARKS.md: wall time (median and min of N runs), and HTTP requests by
# method as counted by the registries' access logs, the same way for every tool. scripts/bench.sh (what
# `make bench` runs) runs this, then scripts/bench-verify.sh, and assembles BENCHMARKS.md from their sections
# and a description of the machine; run alone, this script writes its section and prints it.
#
# Every timed run copies into a registry started fresh for it (empty storage) on a loopback address no
# earlier run used (127.x.y.z): skopeo keeps a persistent blob-location cache keyed by host:port
# (/var/lib/containers/cache for root) and would otherwise try stale repositories or mount blobs from
# earlier runs, which would measure its cache rather than a copy.
#
# Environment (defaults in brackets): BENCH_RUNS [5], BENCH_PLATFORMS [3], BENCH_LAYERS [3] per platform
# (the first shared by all platforms), BENCH_LAYER_SIZE [8MiB], BENCH_JOBS [unset: ocitool's default] for
# ocitool copy --jobs, BENCH_TOOLS ["ocitool skopeo naive"], OCITOOL [.build/release/ocitool],
# BENCH_WORK [bench-work/; this script works in its copy/ subdirectory], BENCH_SECTION [BENCH_WORK/copy/section.md].
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OCITOOL=${OCITOOL:-$ROOT/.build/release/ocitool}
WORK=${BENCH_WORK:-$ROOT/bench-work}/copy
OUTPUT=${BENCH_SECTION:-$WORK/section.md}
RUNS=${BENCH_RUNS:-5}
PLATFORMS=${BENCH_PLATFORMS:-3}
LAYERS=${BENCH_LAYERS:-3}
LAYER_SIZE=${BENCH_LAYER_SIZE:-8MiB}
JOBS=${BENCH_JOBS:-}
TOOLS=${BENCH_TOOLS:-ocitool skopeo naive}
REGISTRY=$ROOT/scripts/registry.sh
ACCEPT="application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json"

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK/runs"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# Registries started here, stopped on any exit.
STARTED=()
cleanup() {
  local dir
  for dir in "${STARTED[@]}"; do "$REGISTRY" stop "$dir" || true; done
}
trap cleanup EXIT

# shellcheck source=scripts/bench-registries.sh
. "$(dirname "$0")/bench-registries.sh"

# --- tools -------------------------------------------------------------------------------------------
tool_available=()
for tool in $TOOLS; do
  case $tool in
    ocitool)
      if [ -x "$OCITOOL" ]; then tool_available+=(ocitool)
      else say "NOTE: no ocitool binary at $OCITOOL (run 'make build'): ocitool is skipped in this run"; fi ;;
    skopeo) command -v skopeo >/dev/null || die "skopeo is not installed (run: make deps)"; tool_available+=(skopeo) ;;
    naive) tool_available+=(naive) ;;
    *) die "unknown tool in BENCH_TOOLS: $tool" ;;
  esac
done
[ ${#tool_available[@]} -gt 0 ] || die "no tool to benchmark"

# run_copy TOOL SRC DST LOGPREFIX: one copy; stdout to LOGPREFIX.out, stderr to LOGPREFIX.err.
run_copy() {
  local tool=$1 src=$2 dst=$3 log=$4
  case $tool in
    ocitool)
      "$OCITOOL" --insecure-registry "${src%%/*}" --insecure-registry "${dst%%/*}" --stats \
        copy "$src" "$dst" ${JOBS:+--jobs "$JOBS"} >"$log.out" 2>"$log.err" ;;
    skopeo)
      skopeo copy --all --preserve-digests --src-tls-verify=false --dest-tls-verify=false \
        "docker://$src" "docker://$dst" >"$log.out" 2>"$log.err" ;;
    naive)
      python3 "$ROOT/scripts/naive-copy.py" "$src" "$dst" >"$log.out" 2>"$log.err" ;;
  esac
}

# --- source registry and image -----------------------------------------------------------------------
start_registry A "$WORK/registry-a"
SRC_REPO=bench/image:1.0
say "source registry $A; pushing $PLATFORMS platforms x $LAYERS layers of $LAYER_SIZE"
python3 "$ROOT/testdata/sample-image.py" --platforms "$PLATFORMS" --layers "$LAYERS" --layer-size "$LAYER_SIZE" \
  --seed bench --push "$A/$SRC_REPO" --summary "$WORK/image.json" >/dev/null
read -r DIGEST IMAGE_BYTES UNIQUE_BLOBS < <(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
blobs = {x for layers in d["layers"].values() for x in layers} | set(d["configs"].values())
print(d["index"], d["blob_bytes"], len(blobs))' "$WORK/image.json")
say "index $DIGEST: $UNIQUE_BLOBS blobs, $IMAGE_BYTES bytes"

# --- runs: round 0 is a warm-up (not reported); tools interleaved so drift hits all alike -------------
: >"$WORK/runs.tsv"
for run in $(seq 0 "$RUNS"); do
  for tool in "${tool_available[@]}"; do
    dir=$WORK/runs/$tool-$run
    fresh_host
    start_registry B "$dir" "$FRESH_HOST"
    dst=$B/bench/$tool-$run:1.0
    a_from=$(log_sizes "$WORK/registry-a")
    b_from=$(log_sizes "$dir")

    t0=$(date +%s%N)
    run_copy "$tool" "$A/$SRC_REPO" "$dst" "$dir/$tool" \
      || die "$tool failed on run $run (exit $?); see $dir/$tool.err: $(tail -n 5 "$dir/$tool.err")"
    t1=$(date +%s%N)
    settle "$WORK/registry-a" "$dir"
    a_to=$(log_sizes "$WORK/registry-a")
    b_to=$(log_sizes "$dir")

    # Digest check after the counts were taken, so its HEAD is not counted.
    got=$(served_digest "$B" "${dst#*/}") || got="" # a missing manifest is reported just below
    [ "$got" = "$DIGEST" ] || die "$tool run $run: destination serves '${got:-nothing}', source is $DIGEST"
    if [ "$tool" != skopeo ]; then # skopeo prints progress, not the digest
      printed=$(tail -n 1 "$dir/$tool.out")
      [ "$printed" = "$DIGEST" ] || die "$tool run $run printed '$printed', expected $DIGEST"
    fi
    seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    say "$(printf '%-8s run %d: %ss' "$tool" "$run" "$seconds")"
    if [ "$run" -gt 0 ]; then
      # tool, run, seconds, then per registry: its dir and log sizes before and after (tab-separated).
      printf '%s\t' "$tool" "$run" "$seconds" "$WORK/registry-a" $a_from $a_to "$dir" $b_from >>"$WORK/runs.tsv"
      printf '%s\t%s\n' $b_to >>"$WORK/runs.tsv"
    fi
    "$REGISTRY" stop "$dir"
    rm -rf "$dir/storage" # keep the logs, drop the copied blobs
    if [ "$tool" = ocitool ]; then cp "$dir/ocitool.err" "$WORK/ocitool-stats.txt"; fi
  done
done

# --- report ------------------------------------------------------------------------------------------
TABLE=$(python3 "$ROOT/scripts/bench-report.py" "$WORK/runs.tsv")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
mb=$(awk -v b="$IMAGE_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }')
{
  echo "## Copying a multi-platform image between two registries"
  echo
  echo "Image: an OCI index of $PLATFORMS platforms, each with $LAYERS gzip layers of $LAYER_SIZE of incompressible"
  echo "data (the first layer shared by all platforms) and a config: $UNIQUE_BLOBS distinct blobs, $mb MB"
  echo "(\`testdata/sample-image.py --seed bench\`), index \`$DIGEST\`."
  echo "Source A and destination B are docker-registry 2.8 on loopback over plain HTTP; every timed run copies"
  echo "into a freshly started, empty B on an address no earlier run used. $RUNS timed runs per tool after one"
  echo "warm-up, tools interleaved (knobs: BENCH_RUNS=$RUNS BENCH_PLATFORMS=$PLATFORMS BENCH_LAYERS=$LAYERS"
  echo "BENCH_LAYER_SIZE=$LAYER_SIZE${JOBS:+ BENCH_JOBS=$JOBS}). Load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER."
  echo
  echo "Commands:"
  echo
  echo '```'
  echo "ocitool --insecure-registry A --insecure-registry B --stats copy A/$SRC_REPO B/bench/ocitool-N:1.0${JOBS:+ --jobs $JOBS}"
  echo "skopeo copy --all --preserve-digests --src-tls-verify=false --dest-tls-verify=false docker://A/$SRC_REPO docker://B/bench/skopeo-N:1.0"
  echo "python3 scripts/naive-copy.py A/$SRC_REPO B/bench/naive-N:1.0"
  echo '```'
  echo
  for tool in $TOOLS; do
    case " ${tool_available[*]} " in *" $tool "*) ;; *) echo "_$tool was not run: no binary at the time of this benchmark._"; echo ;; esac
  done
  echo "$TABLE"
  echo
  echo "Times are wall-clock seconds for the whole command. Requests are the lines the two registries' access"
  echo "logs gained during the run (one per HTTP request; a range where runs differed), the same measurement"
  echo "for every tool; connections are the distinct client addresses (host:port) in the registries' own logs"
  echo "for those requests, i.e. TCP connections that carried at least one request (a connection attempt that"
  echo "never sent an HTTP request, such as an HTTPS try on a plain-HTTP registry, is not seen by either);"
  echo "\"MB read from source\" sums the response bytes registry A sent."
  echo "The destination served the source's index digest after every run of every tool (checked with HEAD"
  echo "on the tag; distribution 2.8 accepts an index only when all its manifests and blobs are present)."
  if [ -f "$WORK/ocitool-stats.txt" ]; then
    echo
    echo "ocitool's own \`--stats\` (last run), to compare with its row above:"
    echo
    echo '```'
    cat "$WORK/ocitool-stats.txt"
    echo '```'
  fi
  echo
} >"$OUTPUT"
say "wrote $OUTPUT"
cat "$OUTPUT"
