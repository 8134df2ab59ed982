#!/usr/bin/env bash
# Runs every test of the repository. Installs what the tests need first, so it works on a fresh machine.
# This is the README's test command and what CI (.ci/run) runs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-tools.sh

echo "==> build (Release, warnings are errors)"
dotnet build Runtime.sln -c Release -nologo -clp:ErrorsOnly

echo "==> .NET tests"
dotnet test Runtime.sln -c Release --no-build -nologo --blame-hang-timeout 5m

# --- Containers (issue 8): a Docker engine (installed and started when missing), the server and sink images, and
# the Testcontainers suite that kills, stops and pauses them for real. Not in Runtime.sln's run above: it needs
# the images first. TESTCONTAINERS_RYUK_DISABLED: the reaper's image cannot be pulled; fixtures clean up.
echo "==> Docker engine and images"
bash scripts/ensure-docker.sh
bash scripts/build-images.sh
echo "==> integration tests (containers)"
TESTCONTAINERS_RYUK_DISABLED=true dotnet test tests/Runtime.IntegrationTests -c Release -nologo --blame-hang-timeout 5m
# --- end containers
