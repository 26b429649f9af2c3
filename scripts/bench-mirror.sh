#!/usr/bin/env bash
# Benchmark: mirror 8 signed and attested images from registry A to registry B with
#   ocitool mirror A/bench/img-1:1.0 … A/bench/img-8:1.0 B/mirror/   (one command, the prefix form)
#   skopeo copy --all --preserve-digests, image by image, with sigstore attachments enabled
#       (skopeo --registries.d DIR, DIR/default.yaml = `default-docker: {use-sigstore-attachments: true}`)
# and write the "Mirroring" section of BENCHMARKS.md (scripts/bench.sh assembles the file; run alone, this
# script writes its section and prints it). Cases:
#   plain     A and B are docker-registry 2.8 on loopback, nothing in between
#   latency   scripts/latency-proxy.py --delay-ms 20 in front of BOTH registries (a new proxy for each fresh B):
#             20 ms added to every request, the tools talk to the proxies only
#   noop      after each plain ocitool run, the same ocitool mirror again into the same B: nothing to move
#   rss       peak RSS (/usr/bin/time -v) of ocitool mirror copying one image with a single 1 GiB layer
#             (skipped with a note when less than 5 GiB of disk or 6 GiB of memory is free)
# Every timed run of plain/latency mirrors into a docker-registry started fresh for it (empty storage) on a
# loopback address no earlier run used (skopeo's blob-location cache is keyed by host:port; see bench-copy.sh).
# Requests are counted by the registries' access logs, the same way for both tools; what each tool carried is
# counted at B after the run: sha256-*.sig and sha256-*.att tags in the 8 mirrored repositories.
# Each image: testdata/sample-image.py --platforms 2 --layers 3 --layer-size 4MiB --seed mirror-N, signed
# (ocitool sign, classic .sig) and attested (ocitool attest --type slsaprovenance, classic .att) with a
# throwaway key.
#
# Environment (defaults in brackets): BENCH_RUNS [3] timed runs per tool and case after one warm-up round,
# BENCH_MIRROR_IMAGES [8], BENCH_LAYER_SIZE [4MiB], BENCH_DELAY_MS [20], BENCH_BIG_LAYER [1GiB] (the rss
# case's layer; "0" skips that case), OCITOOL [.build/release/ocitool], BENCH_WORK [bench-work/; this script
# works in its mirror/ subdirectory], BENCH_SECTION [BENCH_WORK/mirror/section.md].
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OCITOOL=${OCITOOL:-$ROOT/.build/release/ocitool}
WORK=${BENCH_WORK:-$ROOT/bench-work}/mirror
OUTPUT=${BENCH_SECTION:-$WORK/section.md}
RUNS=${BENCH_RUNS:-3}
IMAGES=${BENCH_MIRROR_IMAGES:-8}
PLATFORMS=2
LAYERS=3
LAYER_SIZE=${BENCH_LAYER_SIZE:-4MiB}
DELAY_MS=${BENCH_DELAY_MS:-20}
BIG_LAYER=${BENCH_BIG_LAYER:-1GiB}
REGISTRY=$ROOT/scripts/registry.sh
PROXY=$ROOT/scripts/latency-proxy.py
SAMPLE=$ROOT/testdata/sample-image.py
ACCEPT="application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json"

say() { printf 'bench-mirror: %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK/runs"
WORK=$(cd "$WORK" && pwd)
case $OUTPUT in /*) ;; *) OUTPUT=$PWD/$OUTPUT ;; esac

not_run() {
  say "NOTE: $*: the mirror benchmark is skipped"
  printf '## Mirroring signed images between registries\n\n_Not run: %s._\n\n' "$*" >"$OUTPUT"
  cat "$OUTPUT"
  exit 0
}
[ -x "$OCITOOL" ] || not_run "no ocitool binary at $OCITOOL (run 'make build')"
for command in mirror sign attest generate-key-pair; do
  "$OCITOOL" "$command" --help >/dev/null 2>&1 </dev/null || not_run "this ocitool has no '$command' command"
done
command -v skopeo >/dev/null || die "skopeo is not installed (run: make deps)"

# --- registries and proxies started here, stopped on any exit ---------------------------------------------
STARTED=()
PROXY_PIDS=()
PROXY_FDS=()
cleanup() {
  local dir fd pid
  for fd in "${PROXY_FDS[@]}"; do [ "$fd" = - ] || eval "exec $fd>&-"; done
  for pid in "${PROXY_PIDS[@]}"; do [ "$pid" = - ] || kill "$pid" 2>/dev/null || true; done
  for dir in "${STARTED[@]}"; do "$REGISTRY" stop "$dir" || true; done
}
trap cleanup EXIT

# shellcheck source=scripts/bench-registries.sh
. "$(dirname "$0")/bench-registries.sh"

# start_proxy VAR NAME UPSTREAM: a latency proxy (stdin on a fifo: it exits when we close our end) in front of
# UPSTREAM; stores its 127.0.0.1:PORT in VAR and its slot (for stop_proxy) in PROXY_SLOT.
start_proxy() {
  local var=$1 name=$2 upstream=$3 fd i line=""
  rm -f "$WORK/$name.stdin"
  mkfifo "$WORK/$name.stdin"
  python3 "$PROXY" --upstream "$upstream" --delay-ms "$DELAY_MS" <"$WORK/$name.stdin" >"$WORK/$name.out" \
    2>"$WORK/$name.err" &
  PROXY_PIDS+=($!)
  exec {fd}>"$WORK/$name.stdin"
  PROXY_FDS+=("$fd")
  PROXY_SLOT=$((${#PROXY_PIDS[@]} - 1))
  for i in $(seq 200); do
    line=$(grep -m 1 '^READY ' "$WORK/$name.out" 2>/dev/null || true)
    [ -n "$line" ] && break
    kill -0 "${PROXY_PIDS[-1]}" 2>/dev/null || die "proxy $name exited on start: $(tail -n 5 "$WORK/$name.err")"
    sleep 0.05
  done
  [ -n "$line" ] || die "proxy $name did not print READY within 10 s"
  printf -v "$var" '127.0.0.1:%s' "${line#READY }"
}
stop_proxy() {
  local slot=$1 pid=${PROXY_PIDS[$1]} i
  eval "exec ${PROXY_FDS[$slot]}>&-"
  PROXY_FDS[$slot]=-
  for i in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  PROXY_PIDS[$slot]=-
}

# count_tags HOST SUFFIX REPO…: how many sha256-*.SUFFIX tags the repositories hold together.
count_tags() {
  local host=$1 suffix=$2 repo total=0 n
  shift 2
  for repo in "$@"; do
    n=$(curl -sf "http://$host/v2/$repo/tags/list" 2>/dev/null | python3 -c '
import json, sys
try:
    tags = json.load(sys.stdin).get("tags") or []
except ValueError:
    tags = []
print(sum(1 for t in tags if t.startswith("sha256-") and t.endswith("." + sys.argv[1])))' "$suffix")
    total=$((total + n))
  done
  echo "$total"
}

# --- source registry A: images, key, signatures, attestations ---------------------------------------------
start_registry A "$WORK/registry-a"
say "registry A $A: pushing $IMAGES images ($PLATFORMS platforms x $LAYERS layers of $LAYER_SIZE), signing, attesting"
cat >"$WORK/provenance.json" <<'JSON'
{"builder": {"id": "https://example.com/ocitool-bench/builder@v1"},
 "buildType": "https://example.com/ocitool-bench/build@v1",
 "metadata": {"buildStartedOn": "2023-11-14T22:13:20Z", "buildFinishedOn": "2023-11-14T22:14:20Z"},
 "materials": [{"uri": "git+https://example.com/ocitool-bench", "digest": {"sha1": "0123456789abcdef0123456789abcdef01234567"}}]}
JSON
setup() {
  printf '+ %s\n' "$*" >>"$WORK/setup.log"
  "$@" </dev/null >>"$WORK/setup.log" 2>&1 || die "$* failed (exit $?): $(tail -n 5 "$WORK/setup.log")"
}
setup "$OCITOOL" generate-key-pair --output-prefix "$WORK/bench"
SOURCES=()
REPOS=()
DIGESTS=()
for n in $(seq 1 "$IMAGES"); do
  repo=bench/img-$n
  python3 "$SAMPLE" --platforms "$PLATFORMS" --layers "$LAYERS" --layer-size "$LAYER_SIZE" \
    --seed "mirror-$n" --push "$A/$repo:1.0" --summary "$WORK/img-$n.json" >/dev/null 2>>"$WORK/setup.log" \
    || die "sample-image.py could not push $A/$repo:1.0: $(tail -n 3 "$WORK/setup.log")"
  digest=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["index"])' "$WORK/img-$n.json")
  setup "$OCITOOL" --insecure-registry "$A" sign --key "$WORK/bench.key" "$A/$repo@$digest"
  setup "$OCITOOL" --insecure-registry "$A" attest --key "$WORK/bench.key" --type slsaprovenance \
    --predicate "$WORK/provenance.json" "$A/$repo@$digest"
  SOURCES+=("$repo:1.0")
  REPOS+=("$repo")
  DIGESTS+=("$digest")
done
read -r IMAGE_BYTES UNIQUE_BLOBS < <(python3 -c 'import json, sys
total = blobs = 0
for f in sys.argv[1:]:
    d = json.load(open(f))
    unique = {x for layers in d["layers"].values() for x in layers} | set(d["configs"].values())
    total += d["blob_bytes"]; blobs += len(unique)
print(total, blobs)' "$WORK"/img-*.json)
A_SIGS=$(count_tags "$A" sig "${REPOS[@]}")
A_ATTS=$(count_tags "$A" att "${REPOS[@]}")
[ "$A_SIGS" = "$IMAGES" ] && [ "$A_ATTS" = "$IMAGES" ] || die "A should hold $IMAGES .sig and .att tags: $A_SIGS, $A_ATTS"
say "A holds $IMAGES images ($UNIQUE_BLOBS blobs, $IMAGE_BYTES bytes), $A_SIGS .sig and $A_ATTS .att tags"

mkdir -p "$WORK/registries.d"
printf 'default-docker:\n  use-sigstore-attachments: true\n' >"$WORK/registries.d/default.yaml"

# run_tool TOOL SRC_HOST DST_HOST LOG: the whole mirror of the 8 images from SRC_HOST to DST_HOST/mirror/.
run_tool() {
  local tool=$1 src=$2 dst=$3 log=$4 source args=()
  case $tool in
    ocitool)
      for source in "${SOURCES[@]}"; do args+=("$src/$source"); done
      "$OCITOOL" --insecure-registry "$src" --insecure-registry "$dst" mirror "${args[@]}" "$dst/mirror/" \
        </dev/null >"$log.out" 2>"$log.err" ;;
    skopeo)
      : >"$log.out"; : >"$log.err"
      for source in "${SOURCES[@]}"; do
        skopeo --registries.d "$WORK/registries.d" copy --all --preserve-digests \
          --src-tls-verify=false --dest-tls-verify=false \
          "docker://$src/$source" "docker://$dst/mirror/$source" </dev/null >>"$log.out" 2>>"$log.err" || return
      done ;;
  esac
}

# check_destination HOST TOOL RUN: every image at HOST/mirror/ serves its source digest.
check_destination() {
  local i got
  for i in "${!SOURCES[@]}"; do
    got=$(served_digest "$1" "mirror/${SOURCES[$i]}") || got=""
    [ "$got" = "${DIGESTS[$i]}" ] || die "$2 run $3: $1/mirror/${SOURCES[$i]} serves '${got:-nothing}', source is ${DIGESTS[$i]}"
  done
}

# --- timed runs: round 0 is a warm-up (not reported); tools interleaved ------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$WORK/runs.tsv"
A_VIA=$A
for case in plain latency; do
  if [ "$case" = latency ]; then
    start_proxy A_VIA proxy-a "$A"
    say "latency case: proxy $A_VIA in front of A, $DELAY_MS ms per request"
  fi
  for run in $(seq 0 "$RUNS"); do
    for tool in ocitool skopeo; do
      dir=$WORK/runs/$case-$tool-$run
      fresh_host
      start_registry B "$dir" "$FRESH_HOST"
      B_VIA=$B
      slot=""
      if [ "$case" = latency ]; then start_proxy B_VIA "proxy-b-$run-$tool" "$B"; slot=$PROXY_SLOT; fi
      rounds=1
      [ "$case" = plain ] && [ "$tool" = ocitool ] && rounds=2 # the second is the no-op rerun
      for round in $(seq 1 $rounds); do
        label=$case
        [ "$round" = 2 ] && label=noop
        a_from=$(log_sizes "$WORK/registry-a")
        b_from=$(log_sizes "$dir")
        t0=$(date +%s%N)
        run_tool "$tool" "$A_VIA" "$B_VIA" "$dir/$tool-$round" \
          || die "$tool ($label) failed on run $run (exit $?); see $dir/$tool-$round.err: $(tail -n 5 "$dir/$tool-$round.err")"
        t1=$(date +%s%N)
        settle "$WORK/registry-a" "$dir"
        a_to=$(log_sizes "$WORK/registry-a")
        b_to=$(log_sizes "$dir")
        # Checks after the counts were taken, straight at B (not through its proxy), so they are not counted.
        check_destination "$B" "$tool" "$run"
        sigs=$(count_tags "$B" sig "${REPOS[@]/#/mirror/}")
        atts=$(count_tags "$B" att "${REPOS[@]/#/mirror/}")
        seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
        say "$(printf '%-7s %-7s run %d: %ss, at B %s .sig %s .att' "$label" "$tool" "$run" "$seconds" "$sigs" "$atts")"
        if [ "$run" -gt 0 ]; then
          printf '%s\t' "$label" "$tool" "$run" "$seconds" "$WORK/registry-a" $a_from $a_to "$dir" $b_from $b_to \
            "$sigs" >>"$WORK/runs.tsv"
          printf '%s\n' "$atts" >>"$WORK/runs.tsv"
        fi
      done
      [ -z "$slot" ] || stop_proxy "$slot"
      "$REGISTRY" stop "$dir"
      rm -rf "$dir/storage" # keep the logs, drop the copied blobs
    done
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- peak RSS of one image with a single big layer ----------------------------------------------------------
RSS_ARGS=(--rss-skipped "BENCH_BIG_LAYER=0")
if [ "$BIG_LAYER" != 0 ]; then
  free_kb=$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')
  mem_kb=$(awk '/MemAvailable/ { print $2 }' /proc/meminfo)
  if [ "$free_kb" -lt $((5 * 1024 * 1024)) ]; then
    RSS_ARGS=(--rss-skipped "only $((free_kb / 1024)) MiB of disk free at $WORK, less than 5 GiB")
  elif [ "$mem_kb" -lt $((6 * 1024 * 1024)) ]; then
    RSS_ARGS=(--rss-skipped "only $((mem_kb / 1024)) MiB of memory available for testdata/sample-image.py, which builds the layer in memory; less than 6 GiB")
  elif [ ! -x /usr/bin/time ]; then
    RSS_ARGS=(--rss-skipped "no /usr/bin/time (Debian package 'time')")
  else
    say "rss case: pushing one image with a single $BIG_LAYER layer to A (takes a minute)"
    python3 "$SAMPLE" --platforms 1 --layers 1 --layer-size "$BIG_LAYER" --seed mirror-big \
      --push "$A/bench/big:1.0" --summary "$WORK/big.json" >/dev/null 2>>"$WORK/setup.log"
    BIG_DIGEST=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["index"])' "$WORK/big.json")
    BIG_BYTES=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["blob_bytes"])' "$WORK/big.json")
    fresh_host
    start_registry B "$WORK/runs/rss" "$FRESH_HOST"
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$WORK/rss.time" "$OCITOOL" --insecure-registry "$A" --insecure-registry "$B" \
      mirror "$A/bench/big:1.0" "$B/mirror/" </dev/null >"$WORK/rss.out" 2>"$WORK/rss.err" \
      || die "ocitool mirror of the big image failed: $(tail -n 5 "$WORK/rss.err")"
    t1=$(date +%s%N)
    got=$(served_digest "$B" mirror/bench/big:1.0) || got=""
    [ "$got" = "$BIG_DIGEST" ] || die "rss case: B serves '${got:-nothing}' for mirror/bench/big:1.0, source is $BIG_DIGEST"
    rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/rss.time")
    seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    say "rss case: $BIG_BYTES bytes in ${seconds}s, peak RSS $rss_kb KiB"
    RSS_ARGS=(--rss-kb "$rss_kb" --rss-bytes "$BIG_BYTES" --rss-seconds "$seconds")
    "$REGISTRY" stop "$WORK/runs/rss"
    rm -rf "$WORK/runs/rss/storage"
  fi
fi

# --- report -------------------------------------------------------------------------------------------------
REPORT=$(python3 "$ROOT/scripts/bench-mirror-report.py" "$WORK/runs.tsv" --images "$IMAGES" --delay-ms "$DELAY_MS" \
  "${RSS_ARGS[@]}")
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
version=$("$OCITOOL" --version 2>/dev/null || echo "ocitool (version unknown)")
commit=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "no git checkout")
mb=$(awk -v b="$IMAGE_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }')
{
  echo "## Mirroring signed images between registries"
  echo
  echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores, $(uname -sr); $version, built from $commit;"
  echo "$(skopeo --version). Load average (1, 5, 15 min) before the timed runs: $LOAD_BEFORE; after: $LOAD_AFTER."
  echo
  echo "Workload: $IMAGES images on registry A (docker-registry 2.8, loopback, plain HTTP), each an OCI index of"
  echo "$PLATFORMS platforms × $LAYERS gzip layers of $LAYER_SIZE incompressible data (the first shared by both platforms)"
  echo "(\`testdata/sample-image.py --platforms $PLATFORMS --layers $LAYERS --layer-size $LAYER_SIZE --seed mirror-N\`):"
  echo "$UNIQUE_BLOBS distinct blobs, $mb MB in all; each index signed (\`ocitool sign\`, cosign's classic"
  echo "\`sha256-<hex>.sig\`) and attested (\`ocitool attest --type slsaprovenance\`, classic \`sha256-<hex>.att\`) with a"
  echo "throwaway key. Every timed run mirrors all $IMAGES into a freshly started, empty docker-registry B on a loopback"
  echo "address no earlier run used. $RUNS timed runs per tool and case after one warm-up round, tools interleaved"
  echo "(knobs: BENCH_RUNS=$RUNS BENCH_MIRROR_IMAGES=$IMAGES BENCH_LAYER_SIZE=$LAYER_SIZE BENCH_DELAY_MS=$DELAY_MS"
  echo "BENCH_BIG_LAYER=$BIG_LAYER)."
  echo
  echo "Commands (A and B are the registries' HOST:PORT; in the latency case, the proxies' instead):"
  echo
  echo '```'
  echo "ocitool --insecure-registry A --insecure-registry B mirror A/bench/img-1:1.0 … A/bench/img-$IMAGES:1.0 B/mirror/"
  echo "# skopeo, once per image N (registries.d/default.yaml: \"default-docker: {use-sigstore-attachments: true}\"):"
  echo "skopeo --registries.d registries.d copy --all --preserve-digests --src-tls-verify=false --dest-tls-verify=false \\"
  echo "  docker://A/bench/img-N:1.0 docker://B/mirror/bench/img-N:1.0"
  echo "# latency: one proxy in front of A, one in front of each fresh B; the fake registry's delay fault is not used"
  echo "python3 scripts/latency-proxy.py --upstream A --delay-ms $DELAY_MS"
  echo "python3 scripts/latency-proxy.py --upstream B --delay-ms $DELAY_MS"
  echo "# noop: the ocitool command again, into the B it has just filled"
  echo "# rss: one image, 1 platform, 1 layer of $BIG_LAYER (sample-image.py --platforms 1 --layers 1 --layer-size $BIG_LAYER)"
  echo "/usr/bin/time -v ocitool --insecure-registry A --insecure-registry B mirror A/bench/big:1.0 B/mirror/"
  echo '```'
  echo
  echo "$REPORT"
  echo
} >"$OUTPUT"
say "wrote $OUTPUT"
cat "$OUTPUT"
