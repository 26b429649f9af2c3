#!/usr/bin/env bash
# Start and stop a real registry (CNCF distribution 2.8, Debian's `docker-registry`) on loopback.
#
#   scripts/registry.sh start DIR [--tls] [--htpasswd USER:PASSWORD]
#       Starts a registry on a free port of 127.0.0.1 (or REGISTRY_HOST) with its storage, config and logs
#       in DIR, waits until GET /v2/ answers, and prints HOST:PORT on stdout (the only thing printed there).
#       --tls       serve HTTPS with a throwaway CA; the CA certificate is DIR/ca.pem.
#       --htpasswd  require HTTP Basic credentials (bcrypt htpasswd file; needs Python's crypt module).
#   scripts/registry.sh stop DIR
#       Stops the registry started in DIR (SIGTERM, then SIGKILL after 5 s). Storage and logs are kept.
#
# Files in DIR: config.yml, storage/, pid, address, access.log (one Apache "combined" line per HTTP
# request, written by the registry's access logger on stdout), registry.log (the registry's own log).
# Environment: REGISTRY_START_TIMEOUT (seconds to wait for /v2/, default 20); REGISTRY_HOST (loopback
# address to listen on, default 127.0.0.1: any 127.x.y.z works on Linux, which gives a registry an address
# no earlier one had); REGISTRY_PORT (use this port instead of a free one).
set -euo pipefail

HOST=${REGISTRY_HOST:-127.0.0.1}

die() { echo "registry.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 start DIR [--tls] [--htpasswd USER:PASSWORD] | $0 stop DIR"; }

# True while process $1 exists and is not a zombie (an exited registry whose parent has gone waits for
# init to reap it, which can take a second).
alive() {
  case $(ps -o stat= -p "$1" 2>/dev/null) in ''|Z*) return 1 ;; *) return 0 ;; esac
}

# True when DIR/pid names a live docker-registry process (the cmdline check guards against a recycled pid).
running() {
  local pid
  [ -f "$1/pid" ] || return 1
  pid=$(cat "$1/pid")
  alive "$pid" && grep -q docker-registry "/proc/$pid/cmdline" 2>/dev/null
}

free_port() {
  if [ -n "${REGISTRY_PORT:-}" ]; then echo "$REGISTRY_PORT"; return; fi
  python3 -c 'import socket, sys; s = socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1]); s.close()' \
    "$HOST"
}

make_tls() {
  local dir=$1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=ocitool test CA" -addext "basicConstraints=critical,CA:TRUE" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "/CN=$HOST" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:%s,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    "$HOST" >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 2 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
}

make_htpasswd() {
  local user=${1%%:*} password=${1#*:}
  # docker-registry accepts bcrypt entries only; glibc's libxcrypt provides $2b$ through Python's crypt.
  python3 -W ignore -c '
import crypt, sys
user, password = sys.argv[1], sys.argv[2]
print(f"{user}:{crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH))}")' "$user" "$password"
}

write_config() {
  local dir=$1 port=$2 tls=$3 htpasswd=$4
  {
    cat <<YAML
version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: $HOST:$port
  secret: ocitool-test-secret
YAML
    if [ "$tls" = 1 ]; then
      printf '  tls:\n    certificate: %s/server.pem\n    key: %s/server.key\n' "$dir" "$dir"
    fi
    if [ -n "$htpasswd" ]; then
      printf 'auth:\n  htpasswd:\n    realm: ocitool-test\n    path: %s/htpasswd\n' "$dir"
    fi
  } >"$dir/config.yml"
}

# Waits until GET /v2/ gets any HTTP answer (200, or 401 behind auth). Returns 1 if the process died,
# 2 on timeout. (Liveness by pid, not `running`: right after the fork the child is not docker-registry yet.)
wait_ready() {
  local dir=$1 url=$2 pid=$3 deadline=$((SECONDS + ${REGISTRY_START_TIMEOUT:-20}))
  local -a curl_tls=()
  [ -f "$dir/ca.pem" ] && curl_tls=(--cacert "$dir/ca.pem")
  while [ "$SECONDS" -lt "$deadline" ]; do
    alive "$pid" || return 1
    if curl -s -o /dev/null "${curl_tls[@]}" --max-time 2 "$url"; then return 0; fi
    sleep 0.1
  done
  return 2
}

start() {
  local dir=$1; shift
  local tls=0 htpasswd=""
  while [ $# -gt 0 ]; do
    case $1 in
      --tls) tls=1 ;;
      --htpasswd) [ $# -ge 2 ] || usage; htpasswd=$2; shift ;;
      *) usage ;;
    esac
    shift
  done
  command -v docker-registry >/dev/null || die "docker-registry is not installed (run: make deps)"
  mkdir -p "$dir/storage"
  dir=$(cd "$dir" && pwd)
  running "$dir" && die "a registry is already running from $dir (pid $(cat "$dir/pid"))"
  [ "$tls" = 1 ] && make_tls "$dir"
  [ -n "$htpasswd" ] && make_htpasswd "$htpasswd" >"$dir/htpasswd"
  local scheme=http
  [ "$tls" = 1 ] && scheme=https

  # The free port is released before the registry binds it, so another process can take it in between:
  # if the registry dies on start, try again with a new port.
  local attempt port
  for attempt in 1 2 3; do
    port=$(free_port)
    write_config "$dir" "$port" "$tls" "$htpasswd"
    # docker-registry reads REGISTRY_* variables as overrides of its config (REGISTRY_HTTP_ADDR...):
    # start it without any, this script's own REGISTRY_HOST/REGISTRY_PORT included.
    env $(compgen -e | grep '^REGISTRY_' | sed 's/^/-u /') \
      docker-registry serve "$dir/config.yml" </dev/null >>"$dir/access.log" 2>>"$dir/registry.log" &
    echo $! >"$dir/pid"
    local ready=0
    wait_ready "$dir" "$scheme://$HOST:$port/v2/" "$!" || ready=$?
    case $ready in
      0) echo "$HOST:$port" >"$dir/address"; echo "$HOST:$port"; return 0 ;;
      2) stop "$dir"
         die "registry in $dir did not answer GET /v2/ within ${REGISTRY_START_TIMEOUT:-20}s; see $dir/registry.log" ;;
    esac
    echo "registry.sh: registry exited on start (attempt $attempt); last log lines:" >&2
    tail -n 3 "$dir/registry.log" >&2 || true
  done
  rm -f "$dir/pid"
  die "could not start docker-registry in $dir"
}

stop() {
  local dir=$1 pid i
  if ! running "$dir"; then
    rm -f "$dir/pid"
    return 0
  fi
  pid=$(cat "$dir/pid")
  kill "$pid" 2>/dev/null || true
  for i in $(seq 50); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$dir/pid"
}

[ $# -ge 2 ] || usage
case $1 in
  start) shift; start "$@" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
