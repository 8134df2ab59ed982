#!/usr/bin/env bash
# Installs what the build and tests need on a fresh Debian 12 machine (idempotent, quiet when already there).
set -euo pipefail
cd "$(dirname "$0")/.."

# buf (lint, breaking checks, and `buf curl`, our grpcurl stand-in): shipped inside an npm package.
if [ ! -x tools/node_modules/.bin/buf ]; then
  echo "==> installing buf (npm)"
  (cd tools && npm install --no-audit --no-fund --loglevel=error)
fi
