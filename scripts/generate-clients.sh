#!/usr/bin/env bash
# Regenerates the committed client code from protos/ (and clients/third_party/): TypeScript with `buf generate`
# and the local protoc-gen-es, Python with Debian's protoc and grpc_python_plugin. The .NET client needs nothing
# here: src/Runtime.Contracts compiles the protos at build time. Run scripts/install-tools.sh first.
# scripts/test.sh runs this and fails when `git diff` shows the committed code was stale.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> generate TypeScript client (buf generate)"
(cd clients/typescript && ../../tools/node_modules/.bin/buf generate)

echo "==> generate Python client (protoc)"
bash clients/python/generate.sh
