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
