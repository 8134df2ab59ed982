#!/usr/bin/env bash
# Builds the container images of the server and the sample sink:
#   runtime-server:local       (docker/server.Dockerfile)
#   runtime-sample-sink:local  (docker/sample-sink.Dockerfile)
# Each app is published self-contained on the host (no SDK image needed) and copied onto a base image given as the
# build argument BASE_IMAGE. With a registry at hand, set RUNTIME_BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0.
# Without one (this project's machines), a minimal Debian base is made once with debootstrap and cached as an image.
# Needs a running engine: run scripts/ensure-docker.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."

LOCAL_BASE="runtime-local/runtime-deps:bookworm"
BASE_IMAGE="${RUNTIME_BASE_IMAGE:-}"
TAG="${RUNTIME_IMAGE_TAG:-local}"
OUT="artifacts/docker"
RID="linux-x64"

log() { echo "==> build-images: $*"; }

# The machine's Debian archive URI, so debootstrap uses the same (reachable) mirror as apt.
debian_mirror() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri="$(awk '/^URIs:/ && $2 ~ /debian\/?$/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# What .NET's runtime-deps image holds (libc, libstdc++, OpenSSL, zlib, CA roots, time zones), from Debian packages.
build_local_base() {
  if docker image inspect "$LOCAL_BASE" >/dev/null 2>&1; then
    log "base image $LOCAL_BASE exists (cached)"
    return
  fi
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap </dev/null
  fi
  local rootfs mirror
  rootfs="$(mktemp -d /tmp/runtime-base.XXXXXX)"
  mirror="$(debian_mirror)"
  log "making $LOCAL_BASE with debootstrap from $mirror"
  timeout 600 debootstrap --variant=minbase --include=ca-certificates,libssl3,tzdata,zlib1g,libstdc++6 \
    bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log"; rm -rf "$rootfs"; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' - "$LOCAL_BASE" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
}

# Publishes an app self-contained into $OUT/<name>, with its helper tools beside it (they share the runtime files,
# so each tool adds only its own small assemblies to the image).
publish() {
  local name="$1" project="$2"
  shift 2
  log "publishing $project"
  rm -rf "${OUT:?}/$name"
  dotnet publish "$project" -c Release -r "$RID" --self-contained -o "$OUT/$name" -nologo -v quiet -p:UseAppHost=true
  local tool
  for tool in "$@"; do
    dotnet publish "$tool" -c Release -r "$RID" --self-contained -o "$OUT/$name" -nologo -v quiet
  done
}

image() {
  local name="$1" dockerfile="$2"
  log "building $name:$TAG on $BASE_IMAGE"
  docker build --quiet --pull=false --build-arg "BASE_IMAGE=$BASE_IMAGE" -f "$dockerfile" -t "$name:$TAG" "$OUT/${name#runtime-}" >/dev/null
}

if [ -z "$BASE_IMAGE" ]; then
  if docker image inspect mcr.microsoft.com/dotnet/runtime-deps:10.0 >/dev/null 2>&1; then
    BASE_IMAGE="mcr.microsoft.com/dotnet/runtime-deps:10.0"
  else
    build_local_base
    BASE_IMAGE="$LOCAL_BASE"
  fi
fi

# healthprobe: the images' HEALTHCHECK. subscriber: an observation subscriber the fault tests run as a container.
publish server src/Runtime.Server/Runtime.Server.csproj \
  docker/HealthProbe/Runtime.HealthProbe.csproj docker/Subscriber/Runtime.Subscriber.csproj
publish sample-sink samples/Runtime.SampleSink/Runtime.SampleSink.csproj docker/HealthProbe/Runtime.HealthProbe.csproj
image runtime-server docker/server.Dockerfile
image runtime-sample-sink docker/sample-sink.Dockerfile
log "images: runtime-server:$TAG runtime-sample-sink:$TAG (base $BASE_IMAGE)"
