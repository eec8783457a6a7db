#!/usr/bin/env bash
# Installs what is missing, builds the studio and opens it on the Quote-to-Cash example
# (or on the project given as first argument).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build --parallel "$(nproc)" --target switchboard switchboard-run
project="${1:-templates/quote-to-cash/quote-to-cash.switchboard}"
exec build/app/switchboard "$project"
