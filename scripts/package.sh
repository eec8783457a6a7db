#!/usr/bin/env bash
# Builds the release packages: switchboard-runner_<ver>_<arch>.deb (headless runner),
# switchboard_<ver>_<arch>.deb (studio) and switchboard-<ver>-Linux-<arch>.tar.gz, into
# build-release/packages/, and prints their names and dependencies.
#   scripts/package.sh [BUILD_DIR]      (default: build-release)
# Environment: JOBS (parallel compile jobs, default: number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."
src="$(pwd)"
build="$(realpath -m "${1:-build-release}")"
jobs="${JOBS:-$(nproc)}"

bash scripts/install-deps.sh
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DSWITCHBOARD_BUILD_TESTS=OFF -DSWITCHBOARD_BUILD_BENCH=OFF
cmake --build "$build" --parallel "$jobs"
rm -rf "$build/packages"
(cd "$build" && cpack --config CPackConfig.cmake -B "$build/packages" -G "DEB;TGZ")
rm -rf "$build/packages/_CPack_Packages"

echo
echo "Packages in $build/packages:"
for f in "$build"/packages/*.deb "$build"/packages/*.tar.gz; do
  [ -e "$f" ] || continue
  echo "  $f"
  case $f in *.deb) echo "      Depends: $(dpkg-deb -f "$f" Depends)";; esac
done
echo
echo "Install with:  sudo apt install $build/packages/switchboard-runner_*.deb $build/packages/switchboard_*.deb"
