#!/usr/bin/env bash
# Makes sure a Docker engine with API >= 1.44 (what Testcontainers 4.x needs) answers on this machine.
# Idempotent: does nothing when one already answers. Otherwise starts the installed engine, or installs one first:
# Debian 12's docker.io is too old (API 1.41), so the engine comes from Debian 13 "trixie", added as an apt source
# pinned low so nothing else on the machine is upgraded from it (checked on a clean bookworm: libc6 and base-files
# stay, containerd comes from trixie). Starts dockerd itself (no systemd on CI machines).
# Needs root for the install and the start. Every wait is bounded.
set -euo pipefail

MIN_API="1.44"
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/runtime-dockerd.log}"
START_TIMEOUT_S="${DOCKER_START_TIMEOUT_S:-60}"

log() { echo "==> ensure-docker: $*"; }

# True when $1 >= $2 for dotted versions.
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

server_api() { timeout 10 docker version --format '{{.Server.APIVersion}}' 2>/dev/null || true; }

engine_ok() {
  local api
  api="$(server_api)"
  [ -n "$api" ] && version_ge "$api" "$MIN_API"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

# The API version the installed dockerd serves, from its package version (26.x serves 1.45, 25.x 1.44).
dockerd_new_enough() {
  command -v dockerd >/dev/null 2>&1 || return 1
  local version
  version="$(dockerd --version 2>/dev/null | sed -n 's/^Docker version \([0-9][0-9.]*\).*/\1/p')"
  [ -n "$version" ] && version_ge "$version" "25.0"
}

# The URI and keyring of the machine's own Debian archive entry (deb822 or one-line format).
debian_mirror() {
  local uri="" signed=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri="$(awk '/^URIs:/ && $2 ~ /debian\/?$/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)"
    signed="$(awk '/^Signed-By:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)"
  fi
  echo "${uri:-http://deb.debian.org/debian}|${signed:-/usr/share/keyrings/debian-archive-keyring.gpg}"
}

install_engine() {
  local mirror uri signed
  mirror="$(debian_mirror)"
  uri="${mirror%%|*}"
  signed="${mirror##*|}"
  log "installing docker.io from Debian trixie (pinned low) via $uri"
  as_root tee /etc/apt/sources.list.d/trixie.sources >/dev/null <<EOF
Types: deb
URIs: $uri
Suites: trixie
Components: main
Signed-By: $signed
EOF
  as_root tee /etc/apt/preferences.d/trixie >/dev/null <<'EOF'
Package: *
Pin: release n=trixie
Pin-Priority: 100
EOF
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # Only the engine and its client come from trixie (pkg/trixie), plus what they strictly need (containerd):
  # libc and the rest of the machine stay on bookworm. docker-cli is only a recommendation of docker.io.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    docker.io/trixie docker-cli/trixie iptables </dev/null
}

start_engine() {
  if [ -s /var/run/docker.pid ] && as_root kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    log "dockerd is already running; waiting for it to answer"
  else
    log "starting dockerd (log: $DOCKERD_LOG)"
    # containerd comes with docker.io; dockerd starts its own when none runs. setsid: not tied to this shell.
    as_root bash -c "setsid dockerd >>'$DOCKERD_LOG' 2>&1 </dev/null &"
  fi
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until engine_ok; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "the engine did not answer within ${START_TIMEOUT_S}s; last lines of $DOCKERD_LOG:"
      tail -n 30 "$DOCKERD_LOG" 2>/dev/null || true
      exit 1
    fi
    sleep 1
  done
}

if engine_ok; then
  log "engine API $(server_api) answers"
  exit 0
fi

api="$(server_api)"
if [ -n "$api" ]; then
  log "a Docker engine answers with API $api, but $MIN_API or newer is needed; stop it or upgrade it" >&2
  exit 1
fi

if ! dockerd_new_enough; then
  install_engine
fi
start_engine
log "engine API $(server_api) answers"
