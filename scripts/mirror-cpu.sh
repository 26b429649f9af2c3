#!/usr/bin/env bash
# Where the CPU of one plain-loopback mirror goes: the client, the source registry and the destination
# registry, for ocitool and for skopeo run image by image (the bench's peer). Explains the floor on the
# mirror benchmark's wall time on a small machine (README, Performance).
#
# Needs the source registry and key material a previous `scripts/bench-mirror.sh` left in
# BENCH_WORK/mirror (default bench-work/mirror): it restarts registry-a from there, mirrors its 8 images into
# a fresh registry B per run, and reads utime+stime of both registries from /proc/PID/stat around each run.
# Environment: BENCH_WORK [bench-work], OCITOOL [.build/release/ocitool], CPU_RUNS [2] runs per tool.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REGISTRY=$ROOT/scripts/registry.sh
OCITOOL=${OCITOOL:-$ROOT/.build/release/ocitool}
WORK=${BENCH_WORK:-$ROOT/bench-work}/mirror
RUNS=${CPU_RUNS:-2}
TICKS=$(getconf CLK_TCK)

die() { echo "mirror-cpu: $*" >&2; exit 1; }
[ -d "$WORK/registry-a/storage" ] || die "no source registry in $WORK (run scripts/bench-mirror.sh first)"
[ -x "$OCITOOL" ] || die "no ocitool binary at $OCITOOL (run 'make build')"

cpu_seconds() { awk -v t="$TICKS" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }
B_DIR=$(mktemp -d)
cleanup() {
  "$REGISTRY" stop "$B_DIR" >/dev/null 2>&1 || true
  "$REGISTRY" stop "$WORK/registry-a" >/dev/null 2>&1 || true
  rm -rf "$B_DIR"
}
trap cleanup EXIT

A=$("$REGISTRY" start "$WORK/registry-a")
A_PID=$(cat "$WORK/registry-a/pid")
IMAGES=$(ls "$WORK"/img-*.json | wc -l)
printf '| tool | wall s | client CPU s | source registry CPU s | destination registry CPU s | total CPU s |\n'
printf '|---|---|---|---|---|---|\n'
for run in $(seq "$RUNS"); do
  for tool in ocitool skopeo; do
    "$REGISTRY" stop "$B_DIR" >/dev/null 2>&1 || true
    rm -rf "$B_DIR" && mkdir -p "$B_DIR"
    B=$(REGISTRY_HOST=127.0.$((RANDOM % 250 + 2)).$((RANDOM % 250 + 2)) "$REGISTRY" start "$B_DIR")
    B_PID=$(cat "$B_DIR/pid")
    a0=$(cpu_seconds "$A_PID"); b0=$(cpu_seconds "$B_PID"); t0=$(date +%s.%N)
    if [ "$tool" = ocitool ]; then
      sources=()
      for n in $(seq "$IMAGES"); do sources+=("$A/bench/img-$n:1.0"); done
      /usr/bin/time -f '%U %S' -o "$B_DIR/time" "$OCITOOL" --insecure-registry "$A" --insecure-registry "$B" \
        mirror "${sources[@]}" "$B/mirror/" --quiet >/dev/null 2>&1
    else
      /usr/bin/time -f '%U %S' -o "$B_DIR/time" bash -c '
        for n in $(seq "$1"); do
          skopeo --registries.d "$2" copy -q --all --preserve-digests --src-tls-verify=false --dest-tls-verify=false \
            "docker://$3/bench/img-$n:1.0" "docker://$4/mirror/bench/img-$n:1.0" >/dev/null || exit 1
        done' _ "$IMAGES" "$WORK/registries.d" "$A" "$B"
    fi
    t1=$(date +%s.%N)
    sleep 0.5 # the registries finish logging
    a1=$(cpu_seconds "$A_PID"); b1=$(cpu_seconds "$B_PID")
    read -r user sys <"$B_DIR/time"
    python3 -c 'import sys
wall, user, sys_, a0, a1, b0, b1 = map(float, sys.argv[2:])
client, a, b = user + sys_, a1 - a0, b1 - b0
print(f"| {sys.argv[1]} | {wall:.2f} | {client:.2f} | {a:.2f} | {b:.2f} | {client + a + b:.2f} |")' \
      "$tool" "$(echo "$t1 - $t0" | bc)" "$user" "$sys" "$a0" "$a1" "$b0" "$b1"
  done
done
echo
echo "Cores: $(nproc). The wall time of any client is at least total CPU ÷ cores."
