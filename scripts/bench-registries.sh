# Helpers shared by the benchmarks that start their own docker-registry instances (sourced, not run).
# Needs: $REGISTRY (scripts/registry.sh), an array STARTED the caller's cleanup stops, $ACCEPT for HEADs.

# start_registry VAR DIR [HOST]: starts a registry in DIR and stores its HOST:PORT in VAR.
start_registry() {
  local address
  address=$(REGISTRY_HOST=${3:-127.0.0.1} "$REGISTRY" start "$2")
  STARTED+=("$2")
  printf -v "$1" '%s' "$address"
}

# A loopback address this bench has not used yet (127.0.0.1 is kept for the source registry and proxies).
declare -A USED_HOSTS=([127.0.0.1]=1)
fresh_host() {
  local host
  while :; do
    host=127.$((RANDOM % 254 + 1)).$((RANDOM % 254 + 1)).$((RANDOM % 254 + 1))
    [ -z "${USED_HOSTS[$host]:-}" ] && break
  done
  USED_HOSTS[$host]=1
  FRESH_HOST=$host
}

# log_sizes DIR: line counts of a registry's access log and application log ("ACCESS APP"). A run's
# requests are the lines between the sizes before and after it.
log_sizes() { echo "$(wc -l <"$1/access.log") $(wc -l <"$1/registry.log")"; }

# The registry logs a request as its response completes; wait until both registries' logs stop growing.
settle() {
  local before after tries=0
  after="$(log_sizes "$1") $(log_sizes "$2")"
  while [ $tries -lt 20 ]; do
    sleep 0.1
    before=$after
    after="$(log_sizes "$1") $(log_sizes "$2")"
    [ "$before" = "$after" ] && return
    tries=$((tries + 1))
  done
}

# The digest the registry at $1 serves for manifest reference $2 (repo:tag), from a HEAD request.
served_digest() {
  local host=${1%%/*} path=${2%:*} tag=${2##*:}
  curl -sfI -H "Accept: $ACCEPT" "http://$host/v2/$path/manifests/$tag" \
    | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }'
}
