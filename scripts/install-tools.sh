#!/usr/bin/env bash
# Installs what the build and tests need on a fresh Debian 12 machine (idempotent, quiet when already there).
set -euo pipefail
cd "$(dirname "$0")/.."

# buf (lint, breaking checks, and `buf curl`, our grpcurl stand-in): shipped inside an npm package.
if [ ! -x tools/node_modules/.bin/buf ]; then
  echo "==> installing buf (npm)"
  (cd tools && npm install --no-audit --no-fund --loglevel=error)
fi

# The Python client: generated with protoc + grpc_python_plugin, tested with pytest, all from Debian (no PyPI).
# Use /usr/bin/python3: that is the interpreter these packages install into.
if ! command -v protoc >/dev/null || ! command -v grpc_python_plugin >/dev/null \
  || [ ! -f /usr/include/google/protobuf/any.proto ] \
  || ! /usr/bin/python3 -c 'import grpc, google.protobuf, pytest' >/dev/null 2>&1; then
  echo "==> installing protoc, grpc_python_plugin, python3-grpcio, python3-protobuf, pytest (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends \
    protobuf-compiler protobuf-compiler-grpc libprotobuf-dev python3-grpcio python3-protobuf python3-pytest >/dev/null
fi

# The TypeScript client: its own npm dependencies (connect, protobuf-es, protoc-gen-es, typescript; buf comes from tools/).
if [ ! -x clients/typescript/node_modules/.bin/tsc ]; then
  echo "==> installing the TypeScript client's dependencies (npm)"
  (cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error)
fi

# The console (console/): esbuild, TypeScript, connect-web and playwright-core for its browser tests.
if [ ! -x console/node_modules/.bin/esbuild ] || [ ! -d console/node_modules/playwright-core ]; then
  echo "==> installing the console's dependencies (npm)"
  (cd console && npm ci --no-audit --no-fund --loglevel=error)
fi

# The console's browser tests drive Debian's Chromium through playwright-core: no browser download.
if ! command -v chromium >/dev/null; then
  echo "==> installing chromium (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
