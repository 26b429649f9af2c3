#!/usr/bin/env bash
# Benchmark: `ocitool verify` of a signed and attested image on a registry that takes 50 ms per request, and
# write the "Verifying" section of BENCHMARKS.md (scripts/bench.sh assembles the file; run alone, this script
# writes its section and prints it).
#
# The registry is the in-memory fake of the tests (Tests/TestSupport/fake_registry.py, OCI 1.1 referrers API),
# every request delayed by a fault rule. Each image is testdata/sample-image.py's 3-platform index, with, on its
# index digest: 1 classic signature (sha256-<hex>.sig), 3 classic attestations (slsaprovenance, spdxjson,
# cyclonedx in sha256-<hex>.att) and 1 sigstore-bundle signature (an OCI 1.1 referrer), all made by ocitool with
# a throwaway key before the delay is switched on. Measured (median and min of BENCH_RUNS runs after one warm-up
# round, cases interleaved; wall time around the process):
#   single       ocitool verify IMG --key … --attestation ×3 --insecure-ignore-tlog -o json
#   sequential   the same with --sequential --jobs 1 (one HTTP request at a time): the baseline
#   batch        ocitool verify IMG1 … IMG20 --jobs 20: 20 images at once
# Requests are counted by the registry (its /_control/requests log, reset before each run; the reset also drops
# the delay rule, which is added again) and by ocitool (stats.httpRequests in its JSON).
# The lower bound: the fake's log has no times, so each case is also run through scripts/latency-proxy.py, which
# adds the 50 ms itself (the fake's rule is off then) and records when each request started and ended. The
# longest chain of requests each started after the previous one ended is the number of dependent round trips;
# no client making those requests can take less than that × 50 ms.
#
# Environment (defaults in brackets): BENCH_RUNS [5], BENCH_DELAY_MS [50], BENCH_VERIFY_IMAGES [20],
# BENCH_DEPTH_RUNS [3] proxied runs per case, OCITOOL [.build/release/ocitool], BENCH_WORK [bench-work/; this
# script works in its verify/ subdirectory], BENCH_SECTION [BENCH_WORK/verify/section.md].
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OCITOOL=${OCITOOL:-$ROOT/.build/release/ocitool}
WORK=${BENCH_WORK:-$ROOT/bench-work}/verify
OUTPUT=${BENCH_SECTION:-$WORK/section.md}
RUNS=${BENCH_RUNS:-5}
DELAY_MS=${BENCH_DELAY_MS:-50}
IMAGES=${BENCH_VERIFY_IMAGES:-20}
DEPTH_RUNS=${BENCH_DEPTH_RUNS:-3}
FAKE=$ROOT/Tests/TestSupport/fake_registry.py
PROXY=$ROOT/scripts/latency-proxy.py
SAMPLE=$ROOT/testdata/sample-image.py
ATTESTATIONS=(slsaprovenance spdxjson cyclonedx)

say() { printf 'bench-verify: %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK/runs" "$WORK/depth" "$WORK/predicates"
WORK=$(cd "$WORK" && pwd)
case $OUTPUT in /*) ;; *) OUTPUT=$PWD/$OUTPUT ;; esac

# A section that says why nothing was measured, so `make bench` still assembles BENCHMARKS.md.
not_run() {
  say "NOTE: $*: the verify benchmark is skipped"
  {
    echo "## Verifying signatures and attestations"
    echo
    echo "_Not run: $*._"
    echo
  } >"$OUTPUT"
  cat "$OUTPUT"
  exit 0
}
[ -x "$OCITOOL" ] || not_run "no ocitool binary at $OCITOOL (run 'make build')"
for command in generate-key-pair sign attest verify; do
  "$OCITOOL" "$command" --help >/dev/null 2>&1 </dev/null || not_run "this ocitool has no '$command' command"
done

# --- servers: started here, stopped on any exit -----------------------------------------------------------
# Each reads a fifo as stdin and exits when it reaches EOF: closing our end stops it.
source "$ROOT/scripts/bench-servers.sh"
trap cleanup EXIT

start_server fake python3 "$FAKE" --referrers api
read -r _ FAKE_PORT _ <<<"$READY_LINE"
REG=127.0.0.1:$FAKE_PORT
start_server proxy python3 "$PROXY" --upstream "$REG" --delay-ms "$DELAY_MS"
read -r _ PROXY_PORT <<<"$READY_LINE"
VIA=127.0.0.1:$PROXY_PORT
export OCITOOL_INSECURE_REGISTRIES=$REG,$VIA
say "fake registry $REG, latency proxy $VIA ($DELAY_MS ms)"

# control METHOD PATH [JSON]: the fake registry's control API.
control() {
  local -a body=()
  [ $# -lt 3 ] || body=(-H 'Content-Type: application/json' -d "$3")
  curl -sf -X "$1" "${body[@]}" "http://$REG/_control/$2"
}
delay_on() { control POST faults "{\"path\": \".*\", \"action\": \"delay\", \"delay_ms\": $DELAY_MS}" >/dev/null; }
fake_reset() { control POST reset >/dev/null; }
fake_requests() { control GET requests | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; }

# --- images, key, signatures and attestations (no delay yet) --------------------------------------------
cat >"$WORK/predicates/slsaprovenance.json" <<'JSON'
{"builder": {"id": "https://example.com/ocitool-bench/builder@v1"},
 "buildType": "https://example.com/ocitool-bench/build@v1",
 "invocation": {"configSource": {"uri": "git+https://example.com/ocitool-bench", "digest": {"sha1": "0123456789abcdef0123456789abcdef01234567"}, "entryPoint": "Makefile"}},
 "metadata": {"buildStartedOn": "2023-11-14T22:13:20Z", "buildFinishedOn": "2023-11-14T22:14:20Z", "reproducible": true},
 "materials": [{"uri": "git+https://example.com/ocitool-bench", "digest": {"sha1": "0123456789abcdef0123456789abcdef01234567"}}]}
JSON
cat >"$WORK/predicates/spdxjson.json" <<'JSON'
{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "ocitool-bench", "dataLicense": "CC0-1.0",
 "documentNamespace": "https://example.com/ocitool-bench/spdx/1",
 "creationInfo": {"created": "2023-11-14T22:13:20Z", "creators": ["Tool: scripts/bench-verify.sh"]},
 "packages": [{"name": "hello", "SPDXID": "SPDXRef-hello", "versionInfo": "1.0", "downloadLocation": "NOASSERTION"}]}
JSON
cat >"$WORK/predicates/cyclonedx.json" <<'JSON'
{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
 "metadata": {"timestamp": "2023-11-14T22:13:20Z", "tools": [{"name": "scripts/bench-verify.sh"}]},
 "components": [{"type": "application", "name": "hello", "version": "1.0", "purl": "pkg:generic/hello@1.0"}]}
JSON

# oci ARGS…: an ocitool command of the set-up, logged; its stdout is left in $WORK/out.
oci() {
  printf '+ ocitool %s\n' "$*" >>"$WORK/setup.log"
  "$OCITOOL" "$@" </dev/null >"$WORK/out" 2>>"$WORK/setup.log" \
    || die "ocitool $* failed (exit $?): $(tail -n 5 "$WORK/setup.log")"
  cat "$WORK/out" >>"$WORK/setup.log"
}

KEY=$WORK/bench
oci generate-key-pair --output-prefix "$KEY"
[ -s "$KEY.key" ] && [ -s "$KEY.pub" ] || die "generate-key-pair wrote no $KEY.key / $KEY.pub"

REPOS=()
say "pushing $IMAGES images and attaching 1 signature, ${#ATTESTATIONS[@]} attestations and 1 bundle to each"
for n in $(seq -f '%02g' 1 "$IMAGES"); do
  repo=bench/verify-$n
  pushed=$(python3 "$SAMPLE" --seed "verify-$n" --push "$REG/$repo:1.0" 2>>"$WORK/setup.log")
  oci digest "$REG/$repo:1.0"
  digest=$(head -n 1 "$WORK/out")
  [ "$digest" = "$pushed" ] || die "ocitool digest says $digest for $repo:1.0, sample-image.py pushed $pushed"
  image=$REG/$repo@$digest
  oci sign --key "$KEY.key" "$image"
  for type in "${ATTESTATIONS[@]}"; do
    oci attest --key "$KEY.key" --type "$type" --predicate "$WORK/predicates/$type.json" "$image"
  done
  oci sign --key "$KEY.key" --format bundle "$image"
  REPOS+=("$repo:1.0")
  if [ "$n" = 01 ]; then FIRST_DIGEST=$digest; fi
done

VERIFY_FLAGS=(--key "$KEY.pub")
for type in "${ATTESTATIONS[@]}"; do VERIFY_FLAGS+=(--attestation "$type"); done
VERIFY_FLAGS+=(--insecure-ignore-tlog -o json)

# case_args CASE HOST: the verify arguments of a case against registry HOST.
case_args() {
  local repo
  CASE_ARGS=()
  case $1 in
    single) CASE_ARGS=("$2/${REPOS[0]}") ;;
    sequential) CASE_ARGS=("$2/${REPOS[0]}" --sequential --jobs 1) ;;
    batch) for repo in "${REPOS[@]}"; do CASE_ARGS+=("$2/$repo"); done; CASE_ARGS+=(--jobs "$IMAGES") ;;
  esac
}

# verify_once CASE HOST OUT: one timed verify; sets SECONDS_TAKEN and STATUS; checks the verdict.
verify_once() {
  local t0 t1
  case_args "$1" "$2"
  STATUS=0
  t0=$(date +%s%N)
  "$OCITOOL" --insecure-registry "$2" verify "${CASE_ARGS[@]}" "${VERIFY_FLAGS[@]}" </dev/null >"$3.json" 2>"$3.err" \
    || STATUS=$?
  t1=$(date +%s%N)
  SECONDS_TAKEN=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
  [ "$STATUS" -eq 0 ] || die "verify ($1) exited $STATUS; see $3.err: $(tail -n 5 "$3.err")"
  python3 - "$3.json" "$1" <<'PY' || die "verify ($1): the JSON in $3.json does not say every image verified"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["verified"] is True, "verified is not true"
assert all(i["verdict"] == "verified" for i in report["images"]), "an image is not verified"
PY
}

CASES=(single sequential batch)

# --- timed runs: straight to the fake, its delay rule on; round 0 is a warm-up ---------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$WORK/runs.tsv"
for run in $(seq 0 "$RUNS"); do
  for case in "${CASES[@]}"; do
    fake_reset
    delay_on
    verify_once "$case" "$REG" "$WORK/runs/$case-$run"
    requests=$(fake_requests)
    say "$(printf '%-10s run %d: %ss, %s requests' "$case" "$run" "$SECONDS_TAKEN" "$requests")"
    if [ "$run" -gt 0 ]; then
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$run" "$SECONDS_TAKEN" "$STATUS" "$requests" \
        "$WORK/runs/$case-$run.json" >>"$WORK/runs.tsv"
    fi
  done
done

# --- proxied runs: the proxy adds the delay and times every request --------------------------------------
fake_reset # no delay rule: the proxy's delay only
: >"$WORK/depth.tsv"
for run in $(seq 1 "$DEPTH_RUNS"); do
  for case in "${CASES[@]}"; do
    fake_reset
    curl -sf -X POST "http://$VIA/_proxy/reset" >/dev/null
    verify_once "$case" "$VIA" "$WORK/depth/$case-$run"
    curl -sf "http://$VIA/_proxy/log" >"$WORK/depth/$case-$run.log.json"
    requests=$(fake_requests)
    depth=$(python3 "$PROXY" --depth "$WORK/depth/$case-$run.log.json")
    say "$(printf '%-10s proxied run %d: %ss, %s requests; %s' "$case" "$run" "$SECONDS_TAKEN" "$requests" "$depth")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$run" "$SECONDS_TAKEN" "$requests" \
      "$WORK/depth/$case-$run.log.json" "$WORK/depth/$case-$run.json" >>"$WORK/depth.tsv"
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ------------------------------------------------------------------------------------------------
REPORT=$(python3 "$ROOT/scripts/bench-verify-report.py" "$WORK" --delay-ms "$DELAY_MS" --images "$IMAGES")
last=$RUNS
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
version=$("$OCITOOL" --version 2>/dev/null || echo "ocitool (version unknown)")
commit=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "no git checkout")
{
  echo "## Verifying signatures and attestations"
  echo
  echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores, $(uname -sr); $version, built from $commit."
  echo "Registry: the tests' in-memory fake (\`Tests/TestSupport/fake_registry.py --referrers api\`, OCI 1.1 referrers"
  echo "API) on loopback over plain HTTP, every request delayed by $DELAY_MS ms (a fault rule). Image: the 3-platform index of"
  echo "\`testdata/sample-image.py --seed verify-01\` (\`$FIRST_DIGEST\`); the batch adds seeds verify-02…verify-$(printf '%02d' "$IMAGES"),"
  echo "one repository each. Attached to each index digest with a throwaway key (\`ocitool generate-key-pair\`), before"
  echo "the delay was switched on: 1 classic signature (\`ocitool sign\`), 3 classic attestations (\`ocitool attest --type\`"
  echo "${ATTESTATIONS[*]}, small JSON predicates) and 1 sigstore-bundle signature (\`ocitool sign --format bundle\`,"
  echo "an OCI 1.1 referrer). $RUNS timed runs per case after one warm-up round, cases interleaved (knobs: BENCH_RUNS=$RUNS"
  echo "BENCH_DELAY_MS=$DELAY_MS BENCH_VERIFY_IMAGES=$IMAGES BENCH_DEPTH_RUNS=$DEPTH_RUNS). Load average (1, 5, 15 min) before: $LOAD_BEFORE;"
  echo "after: $LOAD_AFTER."
  echo
  echo "Commands (\`scripts/bench-verify.sh\` sets all of this up; R is the registry, K the key pair's prefix):"
  echo
  echo '```'
  echo "python3 Tests/TestSupport/fake_registry.py --referrers api   # prints READY <port> <cdn-port>"
  echo "python3 testdata/sample-image.py --seed verify-NN --push R/bench/verify-NN:1.0"
  echo "ocitool generate-key-pair --output-prefix K"
  echo "ocitool sign --key K.key R/bench/verify-NN@DIGEST"
  for type in "${ATTESTATIONS[@]}"; do
    echo "ocitool attest --key K.key --type $type --predicate $type.json R/bench/verify-NN@DIGEST"
  done
  echo "ocitool sign --key K.key --format bundle R/bench/verify-NN@DIGEST"
  echo "curl -X POST R/_control/faults -d '{\"path\": \".*\", \"action\": \"delay\", \"delay_ms\": $DELAY_MS}'"
  echo "ocitool --insecure-registry R verify R/bench/verify-01:1.0 --key K.pub $(printf -- '--attestation %s ' "${ATTESTATIONS[@]}")--insecure-ignore-tlog -o json"
  echo "ocitool --insecure-registry R verify R/bench/verify-01:1.0 --sequential --jobs 1 --key K.pub …   # same flags"
  echo "ocitool --insecure-registry R verify R/bench/verify-01:1.0 … R/bench/verify-$(printf '%02d' "$IMAGES"):1.0 --jobs $IMAGES --key K.pub …"
  echo "python3 scripts/latency-proxy.py --upstream R --delay-ms $DELAY_MS   # for the round trips; fake's delay rule off"
  echo '```'
  echo
  echo "$REPORT"
  echo
  echo "Times are wall-clock seconds for the whole \`ocitool verify\` process (start, key loading and output included);"
  echo "stats.elapsedMs is ocitool's own figure from its JSON. Requests (registry) are the entries of the fake's request"
  echo "log for the run (reset before each run); stats.httpRequests is ocitool's count. Every run exited 0 with"
  echo "\`\"verified\": true\` and every image \`verified\`. Dependent round trips come from runs through"
  echo "\`scripts/latency-proxy.py\`, which adds the $DELAY_MS ms itself and records when each request started and ended: they are"
  echo "the longest chain of requests each started after the previous one ended (smallest over the $DEPTH_RUNS proxied runs,"
  echo "all listed when they differ), and the lower bound is that × $DELAY_MS ms. \"Most requests in flight\" is the peak"
  echo "concurrency the proxy saw; \"through the proxy\" gives those runs' wall times (one more hop)."
  echo
  echo "ocitool's statistics (last timed run of the single image):"
  echo
  echo '```'
  python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["stats"]))' "$WORK/runs/single-$last.json"
  echo '```'
  echo
} >"$OUTPUT"
say "wrote $OUTPUT"
cat "$OUTPUT"
