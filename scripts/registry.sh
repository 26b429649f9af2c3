#!/usr/bin/env bash
# Start and stop a real registry (CNCF distribution 2.8, Debian's `docker-registry`) on loopback.
#
#   scripts/registry.sh start DIR [--tls] [--htpasswd USER:PASSWORD]
#       Starts a registry on a free 127.0.0.1 port with its storage, config and logs in DIR, waits until
#       GET /v2/ answers, and prints HOST:PORT on stdout (the only thing printed there).
#       --tls       serve HTTPS with a throwaway CA; the CA certificate is DIR/ca.pem.
#       --htpasswd  require HTTP Basic credentials (bcrypt htpasswd file; needs Python's crypt module).
#   scripts/registry.sh stop DIR
#       Stops the registry started in DIR (SIGTERM, then SIGKILL after 5 s). Storage and logs are kept.
#
# Files in DIR: config.yml, storage/, pid, address, access.log (one Apache "combined" line per HTTP
# request, written by the registry's access logger on stdout), registry.log (the registry's own log).
# Environment: REGISTRY_START_TIMEOUT (seconds to wait for /v2/, default 20).
set -euo pipefail

die() { echo "registry.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 start DIR [--tls] [--htpasswd USER:PASSWORD] | $0 stop DIR"; }

# True when DIR/pid names a live docker-registry process (guards against a recycled pid).
running() {
  local pid
  [ -f "$1/pid" ] || return 1
  pid=$(cat "$1/pid")
  kill -0 "$pid" 2>/dev/null && grep -q docker-registry "/proc/$pid/cmdline" 2>/dev/null
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

make_tls() {
  local dir=$1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=ocitool test CA" -addext "basicConstraints=critical,CA:TRUE" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "/CN=127.0.0.1" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    >"$dir/server.ext"
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
  addr: 127.0.0.1:$port
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

# Waits until GET /v2/ gets any HTTP answer (200, or 401 behind auth). Returns 1 if the process died.
wait_ready() {
  local dir=$1 url=$2 deadline=$((SECONDS + ${REGISTRY_START_TIMEOUT:-20}))
  local -a curl_tls=()
  [ -f "$dir/ca.pem" ] && curl_tls=(--cacert "$dir/ca.pem")
  while [ "$SECONDS" -lt "$deadline" ]; do
    running "$dir" || return 1
    if curl -s -o /dev/null "${curl_tls[@]}" --max-time 2 "$url"; then return 0; fi
    sleep 0.1
  done
  die "registry in $dir did not answer $url within ${REGISTRY_START_TIMEOUT:-20}s; see $dir/registry.log"
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
    docker-registry serve "$dir/config.yml" </dev/null >>"$dir/access.log" 2>>"$dir/registry.log" &
    echo $! >"$dir/pid"
    if wait_ready "$dir" "$scheme://127.0.0.1:$port/v2/"; then
      echo "127.0.0.1:$port" >"$dir/address"
      echo "127.0.0.1:$port"
      return 0
    fi
    echo "registry.sh: registry exited on start (attempt $attempt); last log lines:" >&2
    tail -n 3 "$dir/registry.log" >&2
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
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/pid"
}

[ $# -ge 2 ] || usage
case $1 in
  start) shift; start "$@" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
