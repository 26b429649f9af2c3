# Servers the benchmarks start (the fake registry, the latency proxy), sourced, not run. Needs $WORK and die().
# Each server reads a fifo as stdin and exits when it reaches EOF: closing our end stops it; `cleanup` (set as
# the EXIT trap by the caller) closes every end and waits.
SERVER_PIDS=()
SERVER_FDS=()
cleanup() {
  local fd pid i
  for fd in "${SERVER_FDS[@]}"; do eval "exec $fd>&-"; done
  for pid in "${SERVER_PIDS[@]}"; do
    for i in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}

# start_server NAME COMMAND…: runs COMMAND with stdin on a fifo, waits for its "READY …" line and sets
# READY_LINE to it.
start_server() {
  local name=$1 fd i
  shift
  mkfifo "$WORK/$name.stdin"
  "$@" <"$WORK/$name.stdin" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  SERVER_PIDS+=($!)
  exec {fd}>"$WORK/$name.stdin"
  SERVER_FDS+=("$fd")
  for i in $(seq 200); do
    READY_LINE=$(grep -m 1 '^READY ' "$WORK/$name.out" 2>/dev/null || true)
    [ -n "$READY_LINE" ] && return 0
    kill -0 "${SERVER_PIDS[-1]}" 2>/dev/null || die "$name exited on start: $(tail -n 5 "$WORK/$name.err")"
    sleep 0.05
  done
  die "$name did not print READY within 10 s"
}
