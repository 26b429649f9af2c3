#!/usr/bin/env bash
# Benchmark: `ocitool verify --policy` of 3 Kyverno policies × 4 verifyImages rules over a Deployment with 5
# containers running 3 distinct images, on a registry 50 ms away, against the lower bound of verifying those 3
# images once with plain `ocitool verify`. Writes the "Admission policies" section of BENCHMARKS.md
# (scripts/bench.sh assembles the file; run alone, this script writes its section and prints it).
#
# The registry is the tests' in-memory fake (Tests/TestSupport/fake_registry.py, OCI 1.1 referrers API) behind
# scripts/latency-proxy.py, which adds the delay to every request and records when each started and ended (the
# longest chain of requests each started after the previous one ended = dependent round trips; no client can
# take less than that × the delay). The images are testdata/sample-image.py 3-platform indexes (seeds policy-app,
# policy-tool, policy-proxy), each signed by ocitool with a throwaway key and given an SLSA provenance and a
# vulnerability-scan attestation (predicates from testdata/attestations). Cases (median and min of BENCH_RUNS
# runs after a warm-up, interleaved; wall time around the process; requests from the fake's log):
#   verify    ocitool verify APP TOOL PROXY --key K.pub --attestation slsaprovenance --attestation vuln: each
#             distinct image verified once — the lower bound on traffic
#   policy    ocitool verify --policy policies/ --resource deployment.yaml: 3 policies × 4 rules (signatures,
#             provenance with conditions, vulnerability scans with conditions) × 5 containers
#
# Environment (defaults in brackets): BENCH_RUNS [5], BENCH_DELAY_MS [50], OCITOOL [.build/release/ocitool],
# BENCH_WORK [bench-work/; this script works in its policy/ subdirectory], BENCH_SECTION [BENCH_WORK/policy/section.md].
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OCITOOL=${OCITOOL:-$ROOT/.build/release/ocitool}
WORK=${BENCH_WORK:-$ROOT/bench-work}/policy
OUTPUT=${BENCH_SECTION:-$WORK/section.md}
RUNS=${BENCH_RUNS:-5}
DELAY_MS=${BENCH_DELAY_MS:-50}
FAKE=$ROOT/Tests/TestSupport/fake_registry.py
PROXY=$ROOT/scripts/latency-proxy.py
SAMPLE=$ROOT/testdata/sample-image.py
IMAGES=(app tool proxy)

say() { printf 'bench-policy: %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK/runs" "$WORK/policies"
WORK=$(cd "$WORK" && pwd)
case $OUTPUT in /*) ;; *) OUTPUT=$PWD/$OUTPUT ;; esac

not_run() {
  say "NOTE: $*: the policy benchmark is skipped"
  printf '## Admission policies (verify --policy)\n\n_Not run: %s._\n\n' "$*" >"$OUTPUT"
  cat "$OUTPUT"
  exit 0
}
[ -x "$OCITOOL" ] || not_run "no ocitool binary at $OCITOOL (run 'make build')"
"$OCITOOL" verify --help 2>/dev/null | grep -q -- --policy || not_run "this ocitool's verify has no --policy"

# --- servers: the fake registry and the latency proxy, stopped on any exit ---------------------------------
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
fake_requests() { curl -sf "http://$REG/_control/requests" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; }

# --- images, signatures, attestations (straight to the fake, no delay) -------------------------------------
oci() {
  printf '+ ocitool %s\n' "$*" >>"$WORK/setup.log"
  "$OCITOOL" "$@" </dev/null >>"$WORK/setup.log" 2>&1 || die "ocitool $* failed: $(tail -n 5 "$WORK/setup.log")"
}
predicate() { python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["predicate"]))' "$ROOT/testdata/attestations/$1" >"$WORK/$2.json"; }
predicate slsa-provenance-v0.2.json provenance
predicate vuln-scan-cosign.json vuln
KEY=$WORK/bench
oci generate-key-pair --output-prefix "$KEY"
for image in "${IMAGES[@]}"; do
  digest=$(python3 "$SAMPLE" --seed "policy-$image" --push "$REG/bench/policy-$image:1.0" 2>>"$WORK/setup.log")
  ref=$REG/bench/policy-$image@$digest
  oci sign --key "$KEY.key" "$ref"
  oci attest --key "$KEY.key" --type slsaprovenance --predicate "$WORK/provenance.json" "$ref"
  oci attest --key "$KEY.key" --type vuln --predicate "$WORK/vuln.json" "$ref"
done

# --- 3 policies × 4 rules, the Deployment ----------------------------------------------------------------------
PEM=$(sed 's/^/                      /' "$KEY.pub")
# rule NAME PATTERN sig|provenance|vuln: one verifyImages rule over Pods (auto-generated for the Deployment).
rule() {
  printf '    - name: %s\n      match:\n        any:\n          - resources:\n              kinds: [Pod]\n      verifyImages:\n' "$1"
  printf '        - imageReferences: ["%s"]\n' "$2"
  local attestors="          attestors:\n            - entries:\n                - keys:\n                    publicKeys: |-\n%s\n                    rekor: {ignoreTlog: true}\n"
  case $3 in
    sig) printf "$attestors" "$PEM" ;;
    provenance|vuln)
      local type=https://slsa.dev/provenance/v0.2 key='{{ builder.id }}' value='"https://github.com/example-org/*"'
      [ "$3" = vuln ] && type=https://cosign.sigstore.dev/attestation/vuln/v1 key='{{ scanner.result.summary.CRITICAL }}' value=0
      printf '          attestations:\n            - type: %s\n              conditions:\n                - all:\n' "$type"
      printf '                    - {key: "%s", operator: Equals, value: %s}\n' "$key" "$value"
      printf "$attestors" "$PEM" | sed 's/^          attestors/              attestors/; s/^            - entries/                - entries/; s/^                - keys/                    - keys/; s/^                    publicKeys/                        publicKeys/; s/^                      -----/                          -----/; s/^                      \([A-Za-z0-9+/=]\)/                          \1/; s/^                    rekor/                        rekor/'
      ;;
  esac
}
policy() { # policy NAME ACTION RULE…(name:pattern:kind)
  local name=$1 action=$2 spec
  shift 2
  {
    printf 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: %s\nspec:\n  validationFailureAction: %s\n  rules:\n' "$name" "$action"
    for spec in "$@"; do IFS=: read -r r p k <<<"$spec"; rule "$r" "$p" "$k"; done
  } >"$WORK/policies/$name.yaml"
}
policy signed-images Enforce "app-signed:*/policy-app*:sig" "tool-signed:*/policy-tool*:sig" "proxy-signed:*/policy-proxy*:sig" "all-signed:*/bench/*:sig"
policy provenance Enforce "app-built:*/policy-app*:provenance" "tool-built:*/policy-tool*:provenance" "proxy-built:*/policy-proxy*:provenance" "all-built:*/bench/*:provenance"
policy vulnerabilities Audit "app-scanned:*/policy-app*:vuln" "tool-scanned:*/policy-tool*:vuln" "proxy-scanned:*/policy-proxy*:vuln" "all-signed-again:*/bench/*:sig"
cat >"$WORK/deployment.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop, namespace: prod}
spec:
  template:
    spec:
      initContainers:
        - {name: migrate, image: $VIA/bench/policy-tool:1.0}
      containers:
        - {name: web, image: $VIA/bench/policy-app:1.0}
        - {name: worker, image: $VIA/bench/policy-app:1.0}
        - {name: proxy, image: $VIA/bench/policy-proxy:1.0}
        - {name: metrics, image: $VIA/bench/policy-proxy:1.0}
YAML

case_args() {
  case $1 in
    verify) CASE_ARGS=(verify "$VIA/bench/policy-app:1.0" "$VIA/bench/policy-tool:1.0" "$VIA/bench/policy-proxy:1.0"
                       --key "$KEY.pub" --attestation slsaprovenance --attestation vuln --insecure-ignore-tlog -o json) ;;
    policy) CASE_ARGS=(verify --policy "$WORK/policies" --resource "$WORK/deployment.yaml" -o json) ;;
  esac
}
run_once() { # run_once CASE OUT
  local t0 t1 status=0
  case_args "$1"
  curl -sf -X POST "http://$REG/_control/reset" >/dev/null
  curl -sf -X POST "http://$VIA/_proxy/reset" >/dev/null
  t0=$(date +%s%N)
  "$OCITOOL" "${CASE_ARGS[@]}" </dev/null >"$2.json" 2>"$2.err" || status=$?
  t1=$(date +%s%N)
  [ "$status" -eq 0 ] || die "$1 exited $status: $(tail -n 5 "$2.err")"
  curl -sf "http://$VIA/_proxy/log" >"$2.log.json"
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')" "$(fake_requests)" "$2.json" "$2.log.json"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$WORK/runs.tsv"
for run in $(seq 0 "$RUNS"); do
  for case in verify policy; do
    line=$(run_once "$case" "$WORK/runs/$case-$run")
    say "$(cut -f1-3 <<<"$line" | tr '\t' ' ') (run $run)"
    [ "$run" -eq 0 ] || echo "$line" >>"$WORK/runs.tsv"
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

REPORT=$(python3 - "$WORK/runs.tsv" "$PROXY" "$DELAY_MS" <<'PY'
import json, statistics, subprocess, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
proxy, delay = sys.argv[2], int(sys.argv[3])
out = ["| case | wall s (median) | wall s (min) | requests (registry) | stats.httpRequests | dependent round trips | lower bound (round trips × %d ms) |" % delay,
       "|---|---|---|---|---|---|---|"]
facts = {}
for case in ("verify", "policy"):
    mine = [r for r in rows if r[0] == case]
    times = [float(r[1]) for r in mine]
    requests = sorted({int(r[2]) for r in mine})
    reports = [json.load(open(r[3])) for r in mine]
    depths = sorted({json.loads(subprocess.check_output(["python3", proxy, "--depth", r[4]]))["depth"] for r in mine})
    http = sorted({rep["stats"]["httpRequests"] for rep in reports})
    out.append("| %s | %.3f | %.3f | %s | %s | %s | %d ms |" % (case, statistics.median(times), min(times),
               "/".join(map(str, requests)), "/".join(map(str, http)), "/".join(map(str, depths)), depths[0] * delay))
    facts[case] = reports[-1]
policy = facts["policy"]
evaluated = sum(1 for r in policy["resources"] for rule in r["rules"] for i in rule["images"] if i["status"] != "skip")
rules = len({(rule["policy"], rule["rule"]) for r in policy["resources"] for rule in r["rules"]})
out.append("")
out.append("The policy run decided %d (rule, image) results over %d rules from %d distinct (image, key) checks sharing one "
           "fetch cache; totals %s." % (evaluated, rules, policy["stats"]["checks"], json.dumps(policy["totals"], sort_keys=True)))
print("\n".join(out))
PY
)
version=$("$OCITOOL" --version 2>/dev/null || echo "ocitool")
commit=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "no git checkout")
{
  echo "## Admission policies (verify --policy)"
  echo
  echo "3 Kyverno ClusterPolicies × 4 verifyImages rules (signatures; SLSA provenance with a builder condition;"
  echo "vulnerability scans with a CRITICAL-count condition, Audit) over one Deployment whose 5 containers run 3"
  echo "distinct images (\`testdata/sample-image.py\` 3-platform indexes, each signed and given 2 attestations by"
  echo "ocitool with a throwaway key), every rule auto-generated for the Deployment from its Pod rule. Registry: the"
  echo "tests' fake behind \`scripts/latency-proxy.py\` adding $DELAY_MS ms per request. $version, built from $commit;"
  echo "$RUNS timed runs per case after a warm-up, interleaved. Load average before: $LOAD_BEFORE; after: $LOAD_AFTER."
  echo "\"verify\" is the lower bound on traffic: \`ocitool verify\` of the 3 images once, with the same key and both"
  echo "attestation types. Generated policies and manifest: \`bench-work/policy/\` after \`scripts/bench-policy.sh\`."
  echo
  echo "$REPORT"
  echo
} >"$OUTPUT"
say "wrote $OUTPUT"
cat "$OUTPUT"
