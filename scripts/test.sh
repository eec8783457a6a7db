#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite (CTest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# ccache, where present, makes a rebuild in another clone of the tree cheap.
LAUNCHER=()
if command -v ccache >/dev/null 2>&1; then
  CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(cd .. && pwd)}"
  export CCACHE_BASEDIR CCACHE_NOHASHDIR=1
  LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# CI sets SWITCHBOARD_WERROR=ON: a compiler warning then fails the build.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${LAUNCHER[@]}" \
  -DSWITCHBOARD_WERROR="${SWITCHBOARD_WERROR:-OFF}"
cmake --build build --parallel "$(nproc)"
cd build
ctest --output-on-failure --timeout 900 "$@"
