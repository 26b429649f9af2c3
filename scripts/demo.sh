#!/usr/bin/env bash
# A tour of ocitool against real local registries (docker-registry 2.8):
#   registry A: plain HTTP, two repositories (demo/sample with tags 1.0 and 2.0 and an SBOM referrer,
#               and demo/mirror, filled by ocitool copy);
#   registry B: HTTPS with a throwaway CA and Basic auth, the target of a login and a cross-registry copy.
# Then a throwaway key pair signs and attests demo/sample:1.0 (cosign's classic .sig/.att tags), and ocitool verify
# shows a pass and three failures. ocitool mirror then carries the signed image with its .sig/.att to disk (an OCI
# layout) and from there into registry B, where ocitool verify passes with the same key. Kyverno policies travel
# as OCI artifacts (policy push/pull), a Kyverno verifyImages policy gates a Deployment (verify --policy, pass, fail
# and --mutate-digest), and a sigstore bundle signed into the registry (sign --format bundle) is read back through
# referrers and verified with verify-blob.
# Every ocitool command is echoed as `+ ocitool …` before it runs, and its result is checked against what
# testdata/sample-image.py says it pushed, so the demo doubles as an end-to-end smoke test.
#
#   scripts/demo.sh            (or `make demo`, which builds the release binary first)
# Environment: OCITOOL (binary, default .build/release/ocitool), DEMO_WORK (scratch dir, default demo-work/).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OCITOOL=${OCITOOL:-$ROOT/.build/release/ocitool}
WORK=${DEMO_WORK:-$ROOT/demo-work}
REGISTRY=$ROOT/scripts/registry.sh
SAMPLE=$ROOT/testdata/sample-image.py

[ -x "$OCITOOL" ] || { echo "demo: no ocitool binary at $OCITOOL; run 'make build' (or 'make demo')" >&2; exit 1; }
OCITOOL=$(realpath "$OCITOOL")
rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
cd "$WORK" # short relative paths in the commands shown

cleanup() {
  local status=$?
  "$REGISTRY" stop "$WORK/registry-a" || true
  "$REGISTRY" stop "$WORK/registry-b" || true
  if [ "$status" -ne 0 ]; then
    echo "demo: exit status $status; registry logs are in $WORK/registry-{a,b}/" >&2
  fi
}
trap cleanup EXIT

section() { printf '\n== %s\n' "$*"; }
fail() { echo "demo: FAILED: $*" >&2; exit 1; }
ok() { echo "   ok: $*"; }

# Echo a command the way `set -x` would, with the binary shown as `ocitool`.
show() { printf '+ ocitool'; printf ' %q' "$@"; printf '\n'; }

# oci ARGS…: run ocitool, show its stdout (also kept in $WORK/out, exact bytes), let stderr through.
oci() {
  show "$@"
  "$OCITOOL" "$@" >"$WORK/out"
  cat "$WORK/out"
  # Keep the terminal tidy when the output (a manifest, say) has no final newline.
  if [ -s "$WORK/out" ] && [ -n "$(tail -c 1 "$WORK/out")" ]; then echo; fi
}

# expect_exit CODE ARGS…: run ocitool expecting it to fail with exit status CODE.
expect_exit() {
  local want=$1 status=0
  shift
  show "$@"
  "$OCITOOL" "$@" >"$WORK/out" || status=$?
  cat "$WORK/out" # what the command says about the failure (verify's verdict and reasons), if anything
  if [ -s "$WORK/out" ] && [ -n "$(tail -c 1 "$WORK/out")" ]; then echo; fi
  echo "   -> exit $status"
  [ "$status" -eq "$want" ] || fail "expected exit $want from: ocitool $*"
  ok "exit $want, as documented"
}

# expect NAME ACTUAL EXPECTED
expect() {
  [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
  ok "$1"
}

# json FILE KEY…: a value from the sample-image summary (keys descend; integers index lists).
json() {
  python3 - "$@" <<'PY'
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    value = value[int(key)] if isinstance(value, list) else value[key]
print(value)
PY
}

out_digest() { echo "sha256:$(sha256sum <"$WORK/out" | cut -d' ' -f1)"; }
first_line() { head -n 1 "$WORK/out"; }

section "Local registries"
A=$("$REGISTRY" start "$WORK/registry-a")
PASSWORD=demo-$RANDOM$RANDOM
B=$("$REGISTRY" start "$WORK/registry-b" --tls --htpasswd "demo:$PASSWORD")
CA=registry-b/ca.pem
AUTH=auth.json
echo "registry A: http://$A (plain HTTP)"
echo "registry B: https://$B (CA $CA, user demo)"

section "Sample images (testdata/sample-image.py: 3 platforms, deterministic digests)"
python3 "$SAMPLE" --seed 1.0 --referrer --push "$A/demo/sample:1.0" --summary "$WORK/v1.json" >/dev/null
python3 "$SAMPLE" --seed 2.0 --push "$A/demo/sample:2.0" >/dev/null
INDEX=$(json "$WORK/v1.json" index)
ARM64=$(json "$WORK/v1.json" manifests linux/arm64)
LAYER=$(json "$WORK/v1.json" layers linux/arm64 1)
SBOM=$(json "$WORK/v1.json" referrer)
echo "demo/sample:1.0 index $INDEX"
echo "  linux/arm64 manifest $ARM64, its own layer $LAYER"
echo "  SBOM referrer $SBOM"

section "Resolve a tag (plain HTTP needs --insecure-registry)"
oci --insecure-registry "$A" digest "$A/demo/sample:1.0"
expect "digest of demo/sample:1.0" "$(first_line)" "$INDEX"

# From here on, the environment names the plain-HTTP registry.
export OCITOOL_INSECURE_REGISTRIES=$A
echo "+ export OCITOOL_INSECURE_REGISTRIES=$A"

section "Tags"
oci tags "$A/demo/sample"
grep -qx 1.0 "$WORK/out" && grep -qx 2.0 "$WORK/out" || fail "tags should list 1.0 and 2.0"
ok "1.0 and 2.0 listed"

section "Manifests: the index, then one platform's manifest"
oci manifest get "$A/demo/sample:1.0"
expect "index bytes hash to the index digest" "$(out_digest)" "$INDEX"
oci manifest get "$A/demo/sample:1.0" --platform linux/arm64
expect "linux/arm64 manifest bytes hash to its digest" "$(out_digest)" "$ARM64"

section "A blob"
oci blob get "$A/demo/sample@$LAYER" -o layer.tar.gz
expect "downloaded layer matches its digest" "sha256:$(sha256sum <layer.tar.gz | cut -d' ' -f1)" "$LAYER"
echo "+ tar tzvf layer.tar.gz"
tar tzvf layer.tar.gz

section "Referrers (distribution 2.8 has no referrers API: ocitool falls back to the sha256-<hex> tag)"
oci referrers "$A/demo/sample@$INDEX"
grep -q "$SBOM" "$WORK/out" || fail "referrers should list the SBOM $SBOM"
ok "the SBOM is listed"
oci referrers "$A/demo/sample@$INDEX" --artifact-type application/spdx+json
grep -q "$SBOM" "$WORK/out" || fail "referrers --artifact-type application/spdx+json should list the SBOM"
ok "the filter keeps the SBOM"
oci referrers "$A/demo/sample@$INDEX" --artifact-type application/vnd.example.none
grep -q "$SBOM" "$WORK/out" && fail "referrers --artifact-type application/vnd.example.none should list nothing"
ok "an unrelated artifact type lists nothing"

section "Copy to a second repository of the same registry"
oci copy "$A/demo/sample:1.0" "$A/demo/mirror:1.0"
expect "copy preserved the digest" "$(first_line)" "$INDEX"
oci digest "$A/demo/mirror:1.0"
expect "demo/mirror:1.0 resolves to the same index" "$(first_line)" "$INDEX"

section "Log in to the TLS registry with a private CA"
echo "+ printf '%s' \"\$PASSWORD\" | ocitool login $B -u demo --password-stdin --ca-file $CA --auth-file $AUTH"
printf '%s' "$PASSWORD" | "$OCITOOL" login "$B" -u demo --password-stdin --ca-file "$CA" --auth-file "$AUTH"
[ -s "$AUTH" ] || fail "login should have written $AUTH"
ok "credentials stored in $AUTH"

section "Copy across registries, with ocitool's request counters (--stats, on stderr)"
oci --ca-file "$CA" --auth-file "$AUTH" --stats copy "$A/demo/sample:1.0" "$B/mirror/sample:1.0" --jobs 4
expect "copy to B preserved the digest" "$(first_line)" "$INDEX"
oci --ca-file "$CA" --auth-file "$AUTH" manifest get "$B/mirror/sample:1.0" --platform linux/arm64
expect "linux/arm64 manifest on B is byte-identical" "$(out_digest)" "$ARM64"
# An independent check with curl, not ocitool:
served=$(curl -sfI --cacert "$CA" -u "demo:$PASSWORD" -H "Accept: application/vnd.oci.image.index.v1+json" \
  "https://$B/v2/mirror/sample/manifests/1.0" | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }')
expect "registry B itself serves the index digest (curl)" "$served" "$INDEX"

section "Failures have documented exit codes"
expect_exit 3 digest "$A/demo/sample@sha256:$(printf '0%.0s' $(seq 64))"   # no such manifest: registry error
expect_exit 2 digest "not a reference!"                                     # malformed reference: usage error
expect_exit 3 --ca-file "$CA" tags "$B/mirror/sample"                       # no credentials for B: 401

section "Sign and verify (a throwaway key pair; cosign's classic sha256-<hex>.sig and .att tags)"
oci generate-key-pair --output-prefix demo
[ -s demo.key ] && [ -s demo.pub ] || fail "generate-key-pair should have written demo.key and demo.pub"
expect "demo.key is readable by its owner only" "$(stat -c %a demo.key)" 600
oci sign --key demo.key "$A/demo/sample@$INDEX"
case $(first_line) in sha256:*) ok "sign printed the signature manifest digest" ;; *) fail "sign should print a digest" ;; esac
cat >provenance.json <<'JSON'
{"builder": {"id": "https://example.com/ocitool-demo/builder@v1"},
 "buildType": "https://example.com/ocitool-demo/build@v1",
 "metadata": {"buildStartedOn": "2023-11-14T22:13:20Z", "buildFinishedOn": "2023-11-14T22:14:20Z"},
 "materials": [{"uri": "git+https://example.com/ocitool-demo", "digest": {"sha1": "0123456789abcdef0123456789abcdef01234567"}}]}
JSON
echo "+ cat provenance.json   # a small SLSA provenance predicate"
cat provenance.json
oci attest --key demo.key --type slsaprovenance --predicate provenance.json "$A/demo/sample@$INDEX"
oci tags "$A/demo/sample"
for suffix in sig att; do
  grep -qx "sha256-${INDEX#sha256:}.$suffix" "$WORK/out" || fail "tags should list sha256-<index hex>.$suffix"
done
ok "the signature and attestation tags are there"

oci verify "$A/demo/sample:1.0" --key demo.pub --attestation slsaprovenance --insecure-ignore-tlog
ok "verified (exit 0)"
oci verify "$A/demo/sample:1.0" --key demo.pub --attestation slsaprovenance --insecure-ignore-tlog -o json
python3 - "$WORK/out" "$INDEX" <<'PY' || fail "verify -o json should say verified, for the index digest"
import json, sys
report = json.load(open(sys.argv[1]))
image = report["images"][0]
assert report["verified"] is True, f"verified is {report['verified']!r}"
assert image["verdict"] == "verified" and image["digest"] == sys.argv[2], (image["verdict"], image["digest"])
assert image["signatures"] and image["attestations"], "a signature and an attestation should be listed"
PY
ok "the JSON says \"verified\": true for $INDEX"

echo "# Failures: another key, an unsigned image, an attestation never made (exit 1: verification failed)"
oci generate-key-pair --output-prefix other
expect_exit 1 verify "$A/demo/sample:1.0" --key other.pub --insecure-ignore-tlog
oci digest "$A/demo/sample:2.0"
[ "$(first_line)" != "$INDEX" ] || fail "demo/sample:2.0 should not be the signed index"
ok "demo/sample:2.0 is another index, never signed"
expect_exit 1 verify "$A/demo/sample:2.0" --key demo.pub --insecure-ignore-tlog
expect_exit 1 verify "$A/demo/sample:1.0" --key demo.pub --attestation cyclonedx --insecure-ignore-tlog

section "Mirror with signatures: registry A -> disk (OCI layout) -> registry B, then verify at B"
oci mirror "$A/demo/sample:1.0" oci:mirror-disk
[ -f mirror-disk/oci-layout ] && [ -f mirror-disk/index.json ] || fail "mirror should have written an OCI layout"
echo "+ names in mirror-disk/index.json"
python3 - mirror-disk/index.json >names.txt <<'PY'
import json, sys
for m in json.load(open(sys.argv[1]))["manifests"]:
    print(f'{m.get("annotations", {}).get("org.opencontainers.image.ref.name", "(unnamed)")}  {m["digest"]}')
PY
cat names.txt
HEX=${INDEX#sha256:}
# Names are <source repository>:<tag>, the registry included.
grep -qF "$A/demo/sample:1.0  $INDEX" names.txt || fail "the layout should name $A/demo/sample:1.0 -> $INDEX"
for suffix in sig att; do
  grep -qF "$A/demo/sample:sha256-$HEX.$suffix " names.txt || fail "the layout should name $A/demo/sample:sha256-<index hex>.$suffix"
done
ok "the image and its sha256-<hex>.sig and .att travelled to disk"
for blob in mirror-disk/blobs/sha256/*; do
  [ "sha256:$(sha256sum <"$blob" | cut -d' ' -f1)" = "sha256:${blob##*/}" ] || fail "$blob does not match its name"
done
ok "every blob on disk hashes to its file name ($(ls mirror-disk/blobs/sha256 | wc -l | tr -d ' ') blobs)"
echo "# Offline: verify straight from the layout, with every proxy pointing at a closed port (no network)"
HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
  oci verify "oci:mirror-disk:${A#*://}/demo/sample:1.0" --key demo.pub --attestation slsaprovenance --insecure-ignore-tlog
ok "verified from disk with no registry"
oci --ca-file "$CA" --auth-file "$AUTH" mirror oci:mirror-disk "$B/offline/"
oci --ca-file "$CA" --auth-file "$AUTH" digest "$B/offline/demo/sample:1.0"
expect "registry B serves the mirrored index under offline/demo/sample:1.0" "$(first_line)" "$INDEX"
oci --ca-file "$CA" --auth-file "$AUTH" tags "$B/offline/demo/sample"
for suffix in sig att; do
  grep -qx "sha256-$HEX.$suffix" "$WORK/out" || fail "B should list sha256-<index hex>.$suffix"
done
ok "the signature and attestation tags arrived at B"
oci --ca-file "$CA" --auth-file "$AUTH" verify "$B/offline/demo/sample:1.0" --key demo.pub \
  --attestation slsaprovenance --insecure-ignore-tlog
ok "verified at the destination with the demo key (exit 0)"
echo "# A rerun moves nothing: every blob and manifest is already there"
oci --ca-file "$CA" --auth-file "$AUTH" mirror oci:mirror-disk "$B/offline/"
ok "the rerun succeeded (exit 0)"

section "Kyverno policies as OCI artifacts (testdata/policies: 4 policies in 3 files)"
cp -r "$ROOT/testdata/policies" policies
oci policy push "$A/policies/baseline:v1" policies --annotation org.opencontainers.image.source=https://example.com/policies
POLICY=$(first_line)
oci manifest get "$A/policies/baseline:v1"
python3 - "$WORK/out" <<'PY' || fail "the artifact should be in kyverno oci push's layout"
import json, sys
manifest = json.load(open(sys.argv[1]))
assert manifest["config"]["mediaType"] == "application/vnd.cncf.kyverno.config.v1+json"
assert [l["mediaType"] for l in manifest["layers"]] == ["application/vnd.cncf.kyverno.policy.layer.v1+yaml"] * 4
assert all("io.kyverno.image.kind" in l["annotations"] for l in manifest["layers"])
PY
ok "kyverno oci push's layout: a config of Kyverno's type, one annotated YAML layer per policy"
oci policy pull "$A/policies/baseline:v1" -o pulled
expect "four policy files written" "$(ls pulled | wc -l | tr -d ' ')" 4
expect_exit 2 policy pull "$A/policies/baseline:v1" -o pulled
oci policy push "$A/policies/baseline:bundle" policies --bundle
oci policy pull "$A/policies/baseline:bundle" -o pulled-bundle
diff -r pulled pulled-bundle >/dev/null || fail "the bundle layout should give the same files"
ok "the tar+gzip bundle layout gives the same files"
echo "# A pull that requires a signature: refused (exit 1) until the artifact is signed"
expect_exit 1 policy pull "$A/policies/baseline:v1" -o signed --key demo.pub
[ ! -e signed ] || fail "a refused pull should write nothing"
oci sign --key demo.key "$A/policies/baseline@$POLICY"
oci policy pull "$A/policies/baseline:v1" -o signed --key demo.pub
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-a-policy\n' >configmap.yaml
echo "# Not a policy: refused before any network call"
expect_exit 2 policy push "$A/policies/bad:v1" configmap.yaml

section "Gate a deployment: a Kyverno verifyImages policy over a Deployment (verify --policy)"
# The policy enforces the demo key on every image of registry A's demo/sample; its rule matches Deployments.
{
  cat <<YAML
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: demo-signed-images
spec:
  validationFailureAction: Enforce
  rules:
    - name: require-demo-signature
      match:
        any:
          - resources:
              kinds: [Deployment]
      verifyImages:
        - imageReferences: ["$A/demo/sample*"]
          mutateDigest: true
          attestors:
            - entries:
                - keys:
                    rekor:
                      ignoreTlog: true
                    publicKeys: |-
YAML
  sed 's/^/                      /' demo.pub
} >gate-policy.yaml
# deployment IMAGE [SIDECAR_IMAGE]: a Deployment with one or two containers (image lines written as given).
deployment() {
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: $1   # the application
YAML
  [ $# -lt 2 ] || printf '        - name: sidecar\n          image: %s\n' "$2"
}
deployment "$A/demo/sample:1.0" >signed-deployment.yaml
deployment "$A/demo/sample:1.0" "$A/demo/sample:2.0" >unsigned-deployment.yaml
echo "+ cat gate-policy.yaml signed-deployment.yaml"
cat gate-policy.yaml signed-deployment.yaml
oci verify --policy gate-policy.yaml --resource signed-deployment.yaml
grep -q "pass  $A/demo/sample:1.0 ($INDEX)" "$WORK/out" || fail "verify --policy should pass demo/sample:1.0 at $INDEX"
ok "every image signed by the demo key: exit 0, demo/sample:1.0 passes at its index digest"
echo "# The same Deployment with a sidecar running the unsigned demo/sample:2.0: the Enforce rule fails (exit 1)"
echo "+ tail -n 4 unsigned-deployment.yaml"
tail -n 4 unsigned-deployment.yaml
expect_exit 1 verify --policy gate-policy.yaml --resource unsigned-deployment.yaml
grep -q "ClusterPolicy/demo-signed-images require-demo-signature \[Enforce\]" "$WORK/out" \
  || fail "the failing rule should be named"
grep -q "fail  $A/demo/sample:2.0" "$WORK/out" || fail "demo/sample:2.0 should be reported as fail"
ok "the report names the failing rule, ClusterPolicy/demo-signed-images require-demo-signature"
expect_exit 1 verify --policy gate-policy.yaml --resource unsigned-deployment.yaml -o json
python3 - "$WORK/out" <<'PY' || fail "verify --policy -o json should pass web and fail sidecar under require-demo-signature"
import json, sys
report = json.load(open(sys.argv[1]))
rule = report["resources"][0]["rules"][0]
status = {image["container"]: image["status"] for image in rule["images"]}
assert rule["rule"] == "require-demo-signature" and status == {"web": "pass", "sidecar": "fail"}, rule
assert report["totals"]["fail"] == 1 and report["totals"]["pass"] == 1, report["totals"]
# pins are per image: the verified web image would be pinned, the refused sidecar image not.
assert [pin["image"].rsplit("/", 1)[-1] for pin in report["pins"]] == ["sample:1.0"], report["pins"]
PY
ok "the JSON report says the same: web passes, sidecar fails; only the verified image is in pins"
echo "# --mutate-digest: the Deployment on stdout with its image pinned to the verified digest (report on stderr)"
echo "+ ocitool verify --policy gate-policy.yaml --resource - --mutate-digest < signed-deployment.yaml > pinned.yaml"
"$OCITOOL" verify --policy gate-policy.yaml --resource - --mutate-digest <signed-deployment.yaml >pinned.yaml
cat pinned.yaml
expect "the image is pinned to the signed index digest" \
  "$(awk '$1 == "image:" { print $2 }' pinned.yaml)" "$A/demo/sample:1.0@$INDEX"
deployment "$A/demo/sample:1.0@$INDEX" >expected-pinned.yaml
diff expected-pinned.yaml pinned.yaml >/dev/null || fail "only the image scalar should change (comments and layout kept)"
ok "nothing else on stdout changed: the comment and layout are as written, the report went to stderr"

section "A sigstore bundle as an OCI 1.1 referrer, then verify-blob on the bytes it signs"
echo "# with SOURCE_DATE_EPOCH=1700000000: a fixed org.opencontainers.image.created on the referrer"
SOURCE_DATE_EPOCH=1700000000 oci sign --key demo.key --format bundle "$A/demo/sample@$INDEX"
BUNDLE_MANIFEST=$(first_line)
oci referrers "$A/demo/sample@$INDEX"
grep -q "$BUNDLE_MANIFEST" "$WORK/out" || fail "referrers should list the bundle manifest $BUNDLE_MANIFEST"
ok "the bundle is listed among the referrers, next to the SBOM"
oci manifest get "$A/demo/sample@$BUNDLE_MANIFEST"
BUNDLE_BLOB=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["layers"][0]["digest"])' "$WORK/out")
oci blob get "$A/demo/sample@$BUNDLE_BLOB" -o sample.sigstore.json
oci manifest get "$A/demo/sample:1.0"
cp "$WORK/out" index.json
echo "# index.json holds the index bytes, whose SHA-256 is the digest the bundle's in-toto statement names"
oci verify-blob index.json --bundle sample.sigstore.json --key demo.pub --insecure-ignore-tlog
expect "verify-blob: the index bytes are verified" "$(first_line)" "verified: index.json ($INDEX)"
oci verify-blob "$INDEX" --bundle sample.sigstore.json --key demo.pub --insecure-ignore-tlog -o json
python3 - "$WORK/out" "$INDEX" <<'PY' || fail "verify-blob -o json should say verified, dsse, for the index digest"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["verified"] is True and report["format"] == "dsse" and report["digest"] == sys.argv[2], report
PY
ok "by digest alone, -o json: verified, a DSSE bundle about $INDEX"
echo "# Failures: a file the bundle does not name, another key (exit 1)"
expect_exit 1 verify-blob layer.tar.gz --bundle sample.sigstore.json --key demo.pub --insecure-ignore-tlog
expect_exit 1 verify-blob index.json --bundle sample.sigstore.json --key other.pub --insecure-ignore-tlog

section "Done"
echo "All demo checks passed. Registry logs: $WORK/registry-{a,b}/"
